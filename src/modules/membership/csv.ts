/**
 * Coordinator CSV tools: export the member list (formula-escaped) and import the mutual's existing
 * register with a dry run, row-level errors and an idempotent re-import (issue 3, item 6).
 *
 * Import rules: every row is checked before anything is written; any error means nothing is written.
 * Rows match existing (not erased) members by external_ref first, then by email; a row with only a
 * phone number matches a member with the same phone number and name. For a matched
 * member a blank cell keeps what is stored (an empty cell never wipes data); defaults
 * (relationship other, locale en, status active) apply only to new members.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { normaliseEmail, normaliseUkPhone } from '../../lib/contact.ts';
import { CsvError, readCsvRows, toCsv, type CsvRow } from '../../lib/csv.ts';
import { newId } from '../../lib/ids.ts';
import { AppError } from '../../server/errors.ts';
import { appendAuditMany } from '../audit/service.ts';
import { wards, wardSets } from '../tenancy/schema.ts';
import { MEMBER_SORTS, memberSearchWhere, type MemberSearch } from './queries.ts';
import {
  memberCounters,
  memberRoles,
  members,
  memberStatusHistory,
  RELATIONSHIPS,
  sessions,
  type MemberStatus,
  type Relationship,
} from './schema.ts';

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

export const EXPORT_COLUMNS = [
  'member_number',
  'name',
  'email',
  'phone',
  'ward_code',
  'ward_name',
  'relationship',
  'children_under_5',
  'preferred_locale',
  'status',
  'external_ref',
  'joined_at',
] as const;

const EXPORT_PAGE = 5000;

/**
 * Every member matching the search as CSV (header row first), in pages of 5,000. Cells a
 * spreadsheet would run as a formula are escaped by toCsv. Starts with a UTF-8 byte order mark so
 * Excel shows Polish names correctly (our importer skips it).
 */
export async function exportMembersCsv(db: Executor, tenantId: string, search: Omit<MemberSearch, 'limit' | 'offset'>): Promise<string> {
  const where = memberSearchWhere(tenantId, search);
  const out: Array<Array<string | number | null>> = [[...EXPORT_COLUMNS]];
  for (let offset = 0; ; offset += EXPORT_PAGE) {
    const rows = await db
      .select({
        memberNumber: members.memberNumber,
        name: members.name,
        email: members.email,
        phone: members.phone,
        wardCode: wards.code,
        wardName: wards.name,
        relationship: members.relationship,
        childrenUnder5: members.childrenUnder5,
        preferredLocale: members.preferredLocale,
        status: members.status,
        externalRef: members.externalRef,
        createdAt: members.createdAt,
      })
      .from(members)
      .leftJoin(wards, and(eq(wards.tenantId, members.tenantId), eq(wards.id, members.wardId)))
      .where(where)
      .orderBy(...MEMBER_SORTS[search.sort])
      .limit(EXPORT_PAGE)
      .offset(offset);
    for (const r of rows) {
      out.push([
        r.memberNumber,
        r.name,
        r.email,
        r.phone,
        r.wardCode,
        r.wardName,
        r.relationship,
        r.childrenUnder5,
        r.preferredLocale,
        r.status,
        r.externalRef,
        new Date(r.createdAt).toISOString(),
      ]);
    }
    if (rows.length < EXPORT_PAGE) break;
  }
  return `\uFEFF${toCsv(out)}`;
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

export const IMPORT_COLUMNS = [
  'name',
  'email',
  'phone',
  'ward_code',
  'relationship',
  'children_under_5',
  'preferred_locale',
  'external_ref',
  'status',
] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Columns our own export writes that the import accepts and ignores, so an export can be re-imported. */
export const IGNORED_IMPORT_COLUMNS = ['member_number', 'ward_name', 'joined_at'] as const;

export const IMPORT_STATUSES = ['pending', 'active', 'lapsed', 'left'] as const satisfies readonly MemberStatus[];
type ImportStatus = (typeof IMPORT_STATUSES)[number];
const LOCALES = ['en', 'pl'] as const;
type ImportLocale = (typeof LOCALES)[number];

/** Consent recorded for imported members: it was collected by the mutual's own register. */
export const IMPORT_CONSENT_VERSION = 'import';
export const MAX_IMPORT_ROWS = 200_000;
/** Long error lists are cut here, with a last entry saying how many more there are. */
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportError {
  /** Line in the file (the header is line 1); 0 for a problem with the whole file. */
  line: number;
  field: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  toCreate: number;
  toUpdate: number;
  unchanged: number;
  errors: ImportError[];
  applied: boolean;
}

export interface ImportOptions {
  dryRun: boolean;
  wardSetId: string;
}

/** "line 7: email: enter an email address …" — how an error reads in a list. */
export function formatImportError(e: ImportError): string {
  return e.line > 0 ? `line ${e.line}: ${e.field}: ${e.message}` : `${e.field}: ${e.message}`;
}

/** "Ward code", "WARD-CODE" and "ward_code" all name the ward_code column. */
function headerKey(h: string): string {
  return h.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

const FORMULA_START = /^[=+\-@\t\r]/;

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** One valid file row. `undefined` = the cell is blank or the column absent (keeps stored values). */
interface ParsedRow {
  line: number;
  name: string;
  email: string | undefined;
  phone: string | undefined;
  wardId: string;
  relationship: Relationship | undefined;
  childrenUnder5: number | undefined;
  preferredLocale: ImportLocale | undefined;
  externalRef: string | undefined;
  status: ImportStatus | undefined;
}

interface ExistingMember {
  id: string;
  memberNumber: number;
  name: string;
  email: string | null;
  phone: string | null;
  wardId: string | null;
  relationship: Relationship;
  childrenUnder5: number | null;
  preferredLocale: string;
  status: MemberStatus;
  externalRef: string | null;
}

/** The stored fields a row can change, in the order they are compared and named in audit rows. */
const COMPARED = ['name', 'email', 'phone', 'wardId', 'relationship', 'childrenUnder5', 'preferredLocale', 'status', 'externalRef'] as const;
type Compared = (typeof COMPARED)[number];
type MemberValues = Pick<ExistingMember, Compared>;

interface Update {
  line: number;
  id: string;
  before: ExistingMember;
  after: MemberValues;
  fields: Compared[];
}

interface Plan {
  report: ImportReport;
  creates: Array<ParsedRow & { after: MemberValues }>;
  updates: Update[];
}

class ErrorList {
  readonly items: ImportError[] = [];
  total = 0;
  add(line: number, field: string, message: string): void {
    this.total += 1;
    if (this.items.length < MAX_REPORTED_ERRORS) this.items.push({ line, field, message });
  }
  list(): ImportError[] {
    const more = this.total - this.items.length;
    return more > 0
      ? [...this.items, { line: 0, field: 'file', message: `${more} more errors are not listed; fix the ones above and check the file again` }]
      : this.items;
  }
}

function validateRow(
  rec: CsvRow,
  columns: ReadonlyArray<ImportColumn | null>,
  wardsByCode: ReadonlyMap<string, string>,
  wardSetName: string,
  errors: ErrorList,
): ParsedRow | undefined {
  const before = errors.total;
  const cell: Partial<Record<ImportColumn, string>> = {};
  columns.forEach((col, j) => {
    if (!col) return;
    let value = (rec.cells[j] ?? '').trim();
    // Our own export writes '=… for a cell that starts like a formula; undo that, then check again.
    if (value.startsWith("'") && FORMULA_START.test(value.slice(1))) value = value.slice(1);
    cell[col] = value;
  });
  const fail = (field: string, message: string) => errors.add(rec.line, field, message);

  // Refused cells are reported once and then treated as blank, without a second message.
  const refused = new Set<ImportColumn>();
  for (const col of IMPORT_COLUMNS) {
    const value = cell[col];
    if (!value || !FORMULA_START.test(value)) continue;
    // "+44 7700 900123" is a phone number, and "-1" is a number that gets a range message below.
    if (col === 'phone' && /^\+[\d\s().-]+$/.test(value)) continue;
    if (col === 'children_under_5' && /^-\d+$/.test(value)) continue;
    fail(col, `this cell starts with "${value.charAt(0)}", which a spreadsheet runs as a formula; type the value without a formula`);
    cell[col] = undefined;
    refused.add(col);
  }
  const formula = (col: ImportColumn) => refused.has(col);

  const name = cell.name ?? '';
  if (name === '') {
    if (!formula('name')) fail('name', "enter the member's name");
  } else if (name.length > 100) fail('name', 'the name must be 100 characters or fewer');

  let email: string | undefined;
  if (cell.email) {
    const r = normaliseEmail(cell.email);
    if (r.ok) email = r.value;
    else fail('email', lowerFirst(r.message));
  }
  let phone: string | undefined;
  if (cell.phone) {
    const r = normaliseUkPhone(cell.phone);
    if (r.ok) phone = r.value;
    else fail('phone', lowerFirst(r.message));
  }
  let externalRef: string | undefined;
  if (cell.external_ref) {
    if (cell.external_ref.length > 100) fail('external_ref', 'the external reference must be 100 characters or fewer');
    else externalRef = cell.external_ref;
  }
  if (!cell.email && !cell.phone && !cell.external_ref && !formula('email') && !formula('phone') && !formula('external_ref')) {
    fail('email', 'give an email address, a phone number or an external reference, so the member can be contacted and matched');
  }

  let wardId: string | undefined;
  const wardCode = (cell.ward_code ?? '').toUpperCase();
  if (wardCode === '') {
    if (!formula('ward_code')) fail('ward_code', 'enter the ward code, like E05010264 (see the Wards page for the codes)');
  } else {
    wardId = wardsByCode.get(wardCode);
    if (!wardId) fail('ward_code', `"${cell.ward_code}" is not a ward of ${wardSetName}; use a ward code like E05010264 (see the Wards page for the codes)`);
  }

  let relationship: Relationship | undefined;
  if (cell.relationship) {
    const v = cell.relationship.toLowerCase();
    if ((RELATIONSHIPS as readonly string[]).includes(v)) relationship = v as Relationship;
    else fail('relationship', `enter one of ${RELATIONSHIPS.join(', ')} (or leave it blank for other)`);
  }
  let childrenUnder5: number | undefined;
  if (cell.children_under_5) {
    const v = cell.children_under_5;
    if (/^-?\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 20) childrenUnder5 = Number(v);
    else fail('children_under_5', 'enter a whole number from 0 to 20, or leave it blank');
  }
  let preferredLocale: ImportLocale | undefined;
  if (cell.preferred_locale) {
    const v = cell.preferred_locale.toLowerCase();
    if ((LOCALES as readonly string[]).includes(v)) preferredLocale = v as ImportLocale;
    else fail('preferred_locale', 'enter en (English) or pl (Polish), or leave it blank for English');
  }
  let status: ImportStatus | undefined;
  if (cell.status) {
    const v = cell.status.toLowerCase();
    if ((IMPORT_STATUSES as readonly string[]).includes(v)) status = v as ImportStatus;
    else fail('status', `enter one of ${IMPORT_STATUSES.join(', ')} (or leave it blank for active)`);
  }

  if (errors.total > before || !wardId) return undefined;
  return { line: rec.line, name, email, phone, wardId, relationship, childrenUnder5, preferredLocale, externalRef, status };
}

async function loadWards(db: Executor, tenantId: string, wardSetId: string) {
  const [set] = await db
    .select({ name: wardSets.name })
    .from(wardSets)
    .where(and(eq(wardSets.tenantId, tenantId), eq(wardSets.id, wardSetId)))
    .limit(1);
  if (!set) throw new AppError('not_found', 'That ward set was not found.');
  const rows = await db
    .select({ id: wards.id, code: wards.code })
    .from(wards)
    .where(and(eq(wards.tenantId, tenantId), eq(wards.wardSetId, wardSetId)));
  return { name: set.name, byCode: new Map(rows.map((w) => [w.code.toUpperCase(), w.id])) };
}

async function loadExisting(db: Executor, tenantId: string): Promise<ExistingMember[]> {
  return db
    .select({
      id: members.id,
      memberNumber: members.memberNumber,
      name: members.name,
      email: members.email,
      phone: members.phone,
      wardId: members.wardId,
      relationship: members.relationship,
      childrenUnder5: members.childrenUnder5,
      preferredLocale: members.preferredLocale,
      status: members.status,
      externalRef: members.externalRef,
    })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), ne(members.status, 'erased')));
}

function phoneNameKey(phone: string, name: string): string {
  return `${phone}\u0000${name.trim().toLowerCase()}`;
}

/** Check the whole file and work out what it would do; writes nothing. */
async function plan(db: Executor, tenantId: string, csvText: string, wardSetId: string): Promise<Plan> {
  const errors = new ErrorList();
  const empty = (): Plan => ({ report: { rows: 0, toCreate: 0, toUpdate: 0, unchanged: 0, errors: errors.list(), applied: false }, creates: [], updates: [] });

  if (csvText.includes('\u0000')) {
    errors.add(0, 'file', 'this is not a CSV text file; in your spreadsheet use "Save as" and choose "CSV UTF-8"');
    return empty();
  }
  let fileRows: CsvRow[];
  try {
    fileRows = readCsvRows(csvText);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    errors.add(err.line, 'file', err.message.replace(/^line \d+: /, ''));
    return empty();
  }
  const [header, ...records] = fileRows;
  if (!header) {
    errors.add(0, 'file', 'the file is empty; the first line must name the columns, like name,email,phone,ward_code');
    return empty();
  }
  if (records.length > MAX_IMPORT_ROWS) {
    errors.add(0, 'file', `the file has ${records.length} rows; import at most ${MAX_IMPORT_ROWS} at a time`);
    return empty();
  }

  // Header: known columns, ignored export columns, nothing unknown, nothing twice.
  const columns: Array<ImportColumn | null> = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const raw of header.cells) {
    const key = headerKey(raw);
    if (seen.has(key) && key !== '') errors.add(header.line, key, 'this column appears twice; keep one of them');
    seen.add(key);
    if ((IMPORT_COLUMNS as readonly string[]).includes(key)) columns.push(key as ImportColumn);
    else if ((IGNORED_IMPORT_COLUMNS as readonly string[]).includes(key)) columns.push(null);
    else {
      unknown.push(raw.trim() === '' ? '(blank)' : raw.trim());
      columns.push(null);
    }
  }
  if (unknown.length) {
    errors.add(header.line, 'header', `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are ${IMPORT_COLUMNS.join(', ')}`);
  }
  for (const required of ['name', 'ward_code'] as const) {
    if (!columns.includes(required)) errors.add(header.line, 'header', `add a ${required} column`);
  }
  if (!columns.includes('email') && !columns.includes('phone') && !columns.includes('external_ref')) {
    errors.add(header.line, 'header', 'add an email, phone or external_ref column');
  }
  if (errors.total > 0) {
    const p = empty();
    p.report.rows = records.length;
    return p;
  }

  const wardInfo = await loadWards(db, tenantId, wardSetId);
  const rows: ParsedRow[] = [];
  for (const rec of records) {
    if (rec.cells.length !== header.cells.length) {
      errors.add(rec.line, 'row', `this row has ${rec.cells.length} cells but the header has ${header.cells.length}; check for a missing or extra comma`);
      continue;
    }
    const row = validateRow(rec, columns, wardInfo.byCode, wardInfo.name, errors);
    if (row) rows.push(row);
  }

  // The same person twice in the file.
  const emailLine = new Map<string, number>();
  const refLine = new Map<string, number>();
  const phoneLine = new Map<string, number>();
  const unique: ParsedRow[] = [];
  for (const row of rows) {
    let ok = true;
    if (!row.email && !row.externalRef && row.phone) {
      const key = phoneNameKey(row.phone, row.name);
      const first = phoneLine.get(key);
      if (first !== undefined) {
        errors.add(row.line, 'phone', `the same name and phone number are on line ${first}; each member must appear once`);
        ok = false;
      } else phoneLine.set(key, row.line);
    }
    if (row.email) {
      const first = emailLine.get(row.email);
      if (first !== undefined) {
        errors.add(row.line, 'email', `the same email address is on line ${first}; each member must appear once`);
        ok = false;
      } else emailLine.set(row.email, row.line);
    }
    if (row.externalRef) {
      const first = refLine.get(row.externalRef);
      if (first !== undefined) {
        errors.add(row.line, 'external_ref', `the same external reference is on line ${first}; each member must appear once`);
        ok = false;
      } else refLine.set(row.externalRef, row.line);
    }
    if (ok) unique.push(row);
  }

  // Match against stored members: external_ref first, then email.
  const existing = await loadExisting(db, tenantId);
  const byRef = new Map<string, ExistingMember>();
  const byEmail = new Map<string, ExistingMember>();
  const byPhoneName = new Map<string, ExistingMember[]>();
  for (const m of existing) {
    if (m.externalRef) byRef.set(m.externalRef, m);
    if (m.email) byEmail.set(m.email, m);
    if (m.phone) {
      const key = phoneNameKey(m.phone, m.name);
      byPhoneName.set(key, [...(byPhoneName.get(key) ?? []), m]);
    }
  }
  const matchedLine = new Map<string, number>();
  const creates: Plan['creates'] = [];
  const updates: Update[] = [];
  let unchanged = 0;
  for (const row of unique) {
    const viaRef = row.externalRef ? byRef.get(row.externalRef) : undefined;
    const viaEmail = row.email ? byEmail.get(row.email) : undefined;
    // A row with only a phone number has nothing unique to match on; phone and name together
    // still find the member it created last time, so a re-import makes no duplicate.
    let viaPhone: ExistingMember | undefined;
    if (!row.externalRef && !row.email && row.phone) {
      const candidates = byPhoneName.get(phoneNameKey(row.phone, row.name)) ?? [];
      if (candidates.length > 1) {
        errors.add(row.line, 'phone', `${candidates.length} members (${candidates.map((c) => c.memberNumber).join(', ')}) have this name and phone number; add an email or external_ref to say which one`);
        continue;
      }
      viaPhone = candidates[0];
    }
    const match = viaRef ?? viaEmail ?? viaPhone;
    if (viaRef && viaEmail && viaEmail.id !== viaRef.id) {
      errors.add(row.line, 'email', `this email address belongs to member ${viaEmail.memberNumber}, but the external reference belongs to member ${viaRef.memberNumber}; correct one of them`);
      continue;
    }
    if (!viaRef && viaEmail && row.externalRef && viaEmail.externalRef && viaEmail.externalRef !== row.externalRef) {
      errors.add(row.line, 'external_ref', `member ${viaEmail.memberNumber} has this email address and the external reference "${viaEmail.externalRef}"; use that reference or correct the email`);
      continue;
    }
    if (!match) {
      creates.push({
        ...row,
        after: {
          name: row.name,
          email: row.email ?? null,
          phone: row.phone ?? null,
          wardId: row.wardId,
          relationship: row.relationship ?? 'other',
          childrenUnder5: row.childrenUnder5 ?? null,
          preferredLocale: row.preferredLocale ?? 'en',
          status: row.status ?? 'active',
          externalRef: row.externalRef ?? null,
        },
      });
      continue;
    }
    const firstLine = matchedLine.get(match.id);
    if (firstLine !== undefined) {
      errors.add(row.line, row.externalRef && viaRef ? 'external_ref' : 'email', `this row is the same member (${match.memberNumber}) as line ${firstLine}; each member must appear once`);
      continue;
    }
    matchedLine.set(match.id, row.line);
    // Blank cells keep what is stored.
    const after: MemberValues = {
      name: row.name,
      email: row.email ?? match.email,
      phone: row.phone ?? match.phone,
      wardId: row.wardId,
      relationship: row.relationship ?? match.relationship,
      childrenUnder5: row.childrenUnder5 ?? match.childrenUnder5,
      preferredLocale: row.preferredLocale ?? match.preferredLocale,
      status: row.status ?? match.status,
      externalRef: row.externalRef ?? match.externalRef,
    };
    const fields = COMPARED.filter((f) => after[f] !== match[f]);
    if (fields.length === 0) unchanged += 1;
    else updates.push({ line: row.line, id: match.id, before: match, after, fields });
  }

  const errorList = errors.list();
  return {
    report: { rows: records.length, toCreate: creates.length, toUpdate: updates.length, unchanged, errors: errorList, applied: false },
    creates: errorList.length ? [] : creates,
    updates: errorList.length ? [] : updates,
  };
}

/**
 * Rows per statement. Each column goes as one array parameter through unnest(), so a statement
 * costs the same to build at any size; drizzle's multi-row VALUES spent ~3/4 of the import time
 * building parameter lists (50,000 rows: 13 s with VALUES × 1,000 rows on PGlite).
 */
const BATCH = 5000;

/** Allocate n member numbers in one statement; returns the first. */
async function allocateMemberNumbers(tx: Executor, tenantId: string, n: number): Promise<number> {
  const rows = await tx
    .insert(memberCounters)
    .values({ tenantId, last: n })
    .onConflictDoUpdate({ target: memberCounters.tenantId, set: { last: sql`${memberCounters.last} + ${n}` } })
    .returning({ last: memberCounters.last });
  const last = rows[0]?.last;
  if (last === undefined) throw new Error('member counter returned nothing');
  return last - n + 1;
}

/** One array parameter (not drizzle's "(a, b, c)" list expansion). */
const arr = (values: ReadonlyArray<string | number | boolean | null>) => sql.param(values);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function insertStatusHistory(tx: Executor, tenantId: string, actor: string, rows: ReadonlyArray<{ memberId: string; status: MemberStatus }>): Promise<void> {
  for (const batch of chunks(rows, BATCH)) {
    await tx.execute(sql`
      INSERT INTO ${memberStatusHistory} (tenant_id, id, member_id, status, changed_by, reason)
      SELECT ${tenantId}::uuid, v.id, v.member_id, v.status, ${actor}, 'import'
      FROM unnest(${arr(batch.map(() => newId()))}::uuid[], ${arr(batch.map((r) => r.memberId))}::uuid[], ${arr(batch.map((r) => r.status))}::text[])
        AS v(id, member_id, status)`);
  }
}

async function applyPlan(tx: Executor, tenantId: string, actor: string, p: Plan): Promise<void> {
  const audit: Array<{ actor: string; action: string; entity: string; entityId: string; data: Record<string, unknown> }> = [];

  if (p.creates.length) {
    const first = await allocateMemberNumbers(tx, tenantId, p.creates.length);
    const consentedAt = new Date().toISOString();
    const created = p.creates.map((c, i) => ({ id: newId(), memberNumber: first + i, v: c.after }));
    for (const batch of chunks(created, BATCH)) {
      await tx.execute(sql`
        INSERT INTO ${members} (tenant_id, id, member_number, name, email, phone, ward_id, relationship, children_under_5,
          preferred_locale, status, external_ref, consent_version, consented_at)
        SELECT ${tenantId}::uuid, v.id, v.member_number, v.name, v.email, v.phone, v.ward_id, v.relationship, v.children_under_5,
          v.preferred_locale, v.status, v.external_ref, ${IMPORT_CONSENT_VERSION}, ${consentedAt}::timestamptz
        FROM unnest(
          ${arr(batch.map((c) => c.id))}::uuid[], ${arr(batch.map((c) => c.memberNumber))}::int[], ${arr(batch.map((c) => c.v.name))}::text[],
          ${arr(batch.map((c) => c.v.email))}::text[], ${arr(batch.map((c) => c.v.phone))}::text[], ${arr(batch.map((c) => c.v.wardId))}::uuid[],
          ${arr(batch.map((c) => c.v.relationship))}::text[], ${arr(batch.map((c) => c.v.childrenUnder5))}::int[],
          ${arr(batch.map((c) => c.v.preferredLocale))}::text[], ${arr(batch.map((c) => c.v.status))}::text[], ${arr(batch.map((c) => c.v.externalRef))}::text[]
        ) AS v(id, member_number, name, email, phone, ward_id, relationship, children_under_5, preferred_locale, status, external_ref)`);
      await tx.execute(sql`
        INSERT INTO ${memberRoles} (tenant_id, member_id, role, granted_by)
        SELECT ${tenantId}::uuid, v.id, 'member', ${actor} FROM unnest(${arr(batch.map((c) => c.id))}::uuid[]) AS v(id)`);
    }
    await insertStatusHistory(tx, tenantId, actor, created.map((c) => ({ memberId: c.id, status: c.v.status })));
    for (const c of created) {
      audit.push({ actor, action: 'member.import.create', entity: 'member', entityId: c.id, data: { memberNumber: c.memberNumber, status: c.v.status } });
    }
  }

  if (p.updates.length) {
    for (const batch of chunks(p.updates, BATCH)) {
      // Whole rows are written (blank cells already hold the stored value); a changed email is no longer verified.
      await tx.execute(sql`
        UPDATE ${members} AS m SET
          name = v.name, email = v.email, phone = v.phone, ward_id = v.ward_id, relationship = v.relationship,
          children_under_5 = v.children_under_5, preferred_locale = v.preferred_locale, status = v.status,
          external_ref = v.external_ref,
          email_verified_at = CASE WHEN v.email_changed THEN NULL ELSE m.email_verified_at END,
          updated_at = now()
        FROM unnest(
          ${arr(batch.map((u) => u.id))}::uuid[], ${arr(batch.map((u) => u.after.name))}::text[], ${arr(batch.map((u) => u.after.email))}::text[],
          ${arr(batch.map((u) => u.after.phone))}::text[], ${arr(batch.map((u) => u.after.wardId))}::uuid[], ${arr(batch.map((u) => u.after.relationship))}::text[],
          ${arr(batch.map((u) => u.after.childrenUnder5))}::int[], ${arr(batch.map((u) => u.after.preferredLocale))}::text[],
          ${arr(batch.map((u) => u.after.status))}::text[], ${arr(batch.map((u) => u.after.externalRef))}::text[],
          ${arr(batch.map((u) => u.fields.includes('email')))}::boolean[]
        ) AS v(id, name, email, phone, ward_id, relationship, children_under_5, preferred_locale, status, external_ref, email_changed)
        WHERE m.tenant_id = ${tenantId}::uuid AND m.id = v.id`);
    }
    const statusChanged = p.updates.filter((u) => u.fields.includes('status'));
    await insertStatusHistory(tx, tenantId, actor, statusChanged.map((u) => ({ memberId: u.id, status: u.after.status })));
    // As changeStatus does: lapsing or leaving signs the member out everywhere.
    const signedOut = statusChanged.filter((u) => u.after.status !== 'active' && u.after.status !== 'pending').map((u) => u.id);
    for (const batch of chunks(signedOut, BATCH)) {
      await tx
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.tenantId, tenantId), sql`${sessions.memberId} = ANY(${arr(batch)}::uuid[])`, isNull(sessions.revokedAt)));
    }
    for (const u of p.updates) {
      const data: Record<string, unknown> = { fields: u.fields.map((f) => (f === 'wardId' ? 'ward' : f)), memberNumber: u.before.memberNumber };
      if (u.fields.includes('status')) data.status = { from: u.before.status, to: u.after.status };
      audit.push({ actor, action: 'member.import.update', entity: 'member', entityId: u.id, data });
    }
  }

  await appendAuditMany(tx, tenantId, audit);
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Check a members CSV and, unless dryRun or any row has an error, apply it in one transaction:
 * bulk inserts with member numbers from one counter update, status history, the member role and
 * one audit row per created or updated member (actor = the coordinator). The caller checks that
 * the actor may manage members.
 */
export async function importMembers(db: Db, actor: { tenantId: string; memberId: string }, csvText: string, opts: ImportOptions): Promise<ImportReport> {
  if (opts.dryRun) return (await plan(db, actor.tenantId, csvText, opts.wardSetId)).report;
  try {
    return await db.transaction(async (tx) => {
      const p = await plan(tx, actor.tenantId, csvText, opts.wardSetId);
      if (p.report.errors.length) return p.report;
      await applyPlan(tx, actor.tenantId, actor.memberId, p);
      return { ...p.report, applied: true };
    });
  } catch (err) {
    // A member joined (or was edited) with the same email or reference while the import ran.
    if (isUniqueViolation(err)) {
      throw new AppError('conflict', 'A member with one of these email addresses or references was added while the import ran. Nothing was imported; run the import again.');
    }
    throw err;
  }
}
