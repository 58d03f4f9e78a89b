/**
 * Coordinator CSV tools: export the member list (formula-escaped) and import the mutual's existing
 * register with a dry run, row-level errors and an idempotent re-import (issue 3 item 6, issue 7
 * items 1 and 19).
 *
 * Import rules: every row is checked before anything is written; any error means nothing is written.
 * Rows match existing (not erased) members by external_ref first, then by email (also a new email
 * waiting for confirmation); a row with only a phone number matches a member with the same phone
 * number and name. For a matched member:
 * - a blank cell keeps what is stored (an empty cell never wipes data); defaults (relationship
 *   other, locale en, status active) apply only to new members;
 * - staff records (coordinator, board, safeguarding lead, admin) are never changed: the row is
 *   refused, whoever imports (an admin edits staff one at a time);
 * - a new email or phone never replaces the stored one: it becomes a change waiting for the member
 *   (member-admin.ts);
 * - a field changed in the app since the last import (stored value ≠ what that import set, kept in
 *   import_snapshot) is a conflict: the member's value stays.
 */
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { CsvError, detectDelimiter, readCsvRows, toCsv, type CsvRow } from '../../lib/csv.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import { wardLabels, wardSetWithAllWards } from '../tenancy/views.ts';
import { applyPlan, type Plan, type PlannedUpdate } from './csv-apply.ts';
import { cellCountMessage, ErrorList, readHeader, validateRow, wardLookup, type ImportError, type ParsedRow } from './csv-rows.ts';
import type { Notify } from './member-admin.ts';
import { canImportOver, STAFF_ROLES, type Actor } from './policy.ts';
import { MEMBER_SORTS, memberSearchWhere, type MemberSearch } from './queries.ts';
import { memberRoles, members, type ImportSnapshot, type Member } from './schema.ts';

export { IGNORED_IMPORT_COLUMNS, IMPORT_COLUMNS, IMPORT_STATUSES, MAX_REPORTED_ERRORS, type ImportError } from './csv-rows.ts';

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
 * The register export for an actor: checks the permission itself and records the export (who,
 * when, which filters; never the data) in the audit log.
 */
export async function exportMembersCsvFor(db: Db, actor: Actor, search: Omit<MemberSearch, 'limit' | 'offset'>, filters: { q?: string; ward?: string; status?: string; role?: string }): Promise<string> {
  requirePermission(actor, 'members.import', 'Only coordinators can export members.', 'error.import.forbidden');
  const csv = await exportMembersCsv(db, actor.tenantId, search);
  await appendAudit(db, { tenantId: actor.tenantId, actor: actor.memberId, action: 'member.export', entity: 'member', entityId: '*', data: { q: filters.q ?? null, ward: filters.ward ?? null, status: filters.status ?? null, role: filters.role ?? null } });
  return csv;
}

/**
 * Every member matching the search as CSV (header row first), in pages of 5,000. Cells a
 * spreadsheet would run as a formula are escaped by toCsv. Starts with a UTF-8 byte order mark so
 * Excel shows Polish names correctly (our importer skips it).
 */
export async function exportMembersCsv(db: Executor, tenantId: string, search: Omit<MemberSearch, 'limit' | 'offset'>): Promise<string> {
  const where = memberSearchWhere(tenantId, search);
  const out: Array<Array<string | number | null>> = [[...EXPORT_COLUMNS]];
  for (let offset = 0; ; offset += EXPORT_PAGE) {
    const wards = wardLabels(db);
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

export { IMPORT_CONSENT_VERSION } from './csv-apply.ts';
export const MAX_IMPORT_ROWS = 200_000;
/** Rows described one by one in a report; the rest are counted. */
export const MAX_REPORTED_ROWS = 1000;

/** The stored fields a row can change, in the order they are compared and named in reports and audit rows. */
export const COMPARED = ['name', 'email', 'phone', 'wardId', 'relationship', 'childrenUnder5', 'preferredLocale', 'status', 'externalRef'] as const;
export type Compared = (typeof COMPARED)[number];
/** Set directly by an import; email and phone only ever become a pending change. */
const DIRECT = ['name', 'wardId', 'relationship', 'childrenUnder5', 'preferredLocale', 'status', 'externalRef'] as const satisfies readonly Compared[];
const CONTACT = ['email', 'phone'] as const satisfies readonly Compared[];

type Value = string | number | null;
/** One field of one row: from the stored value to the file's (for a conflict: the member's value kept, the file's). */
export interface FieldChange {
  field: Compared;
  from: Value;
  to: Value;
}

export interface RowReport {
  line: number;
  kind: 'new' | 'matched' | 'refused';
  memberNumber?: number;
  /** Applied (or, in a check, would be). */
  changes: FieldChange[];
  /** New contact details waiting for the member to confirm. */
  pending: FieldChange[];
  /** Changed in the app after the last import: the member's value is kept. */
  conflicts: FieldChange[];
}

export interface ImportReport {
  rows: number;
  toCreate: number;
  toUpdate: number;
  unchanged: number;
  /** Rows with a new email or phone waiting for the member. */
  pending: number;
  /** Rows about staff records, which an import never changes. */
  refused: number;
  /** Rows with a field the member changed after the last import. */
  conflicts: number;
  /** Rows that do something, in file order (new, changed, pending, refused, conflict), at most MAX_REPORTED_ROWS. */
  details: RowReport[];
  /** Rows left out of details. */
  detailsMore: number;
  errors: ImportError[];
  applied: boolean;
}

export interface ImportOptions {
  dryRun: boolean;
  wardSetId: string;
  /** For the links in "confirm your new email address" messages. */
  notify: Notify;
}

/** "line 7: email: enter an email address …" — how an error reads in a list. */
export function formatImportError(e: ImportError): string {
  return e.line > 0 ? `line ${e.line}: ${e.field}: ${e.message}` : `${e.field}: ${e.message}`;
}

export type ExistingMember = Pick<
  Member,
  'id' | 'tenantId' | 'memberNumber' | 'name' | 'email' | 'emailVerifiedAt' | 'phone' | 'wardId' | 'relationship' | 'childrenUnder5' | 'preferredLocale' | 'status' | 'externalRef' | 'pendingEmail' | 'pendingPhone' | 'importSnapshot'
>;
export type MemberValues = Pick<ExistingMember, Compared>;

async function loadWards(db: Executor, tenantId: string, wardSetId: string) {
  const set = await wardSetWithAllWards(db, tenantId, wardSetId);
  if (!set) throw new AppError('not_found', 'That ward set was not found.', [], 'error.wardSet.noSuch');
  const all = set.wards;
  return { lookup: wardLookup(set.name, all.filter((w) => w.wardSetId === wardSetId)), names: new Map(all.map((w) => [w.id, w.name])) };
}

async function loadExisting(db: Executor, tenantId: string): Promise<ExistingMember[]> {
  return db
    .select({
      id: members.id,
      tenantId: members.tenantId,
      memberNumber: members.memberNumber,
      name: members.name,
      email: members.email,
      emailVerifiedAt: members.emailVerifiedAt,
      phone: members.phone,
      wardId: members.wardId,
      relationship: members.relationship,
      childrenUnder5: members.childrenUnder5,
      preferredLocale: members.preferredLocale,
      status: members.status,
      externalRef: members.externalRef,
      pendingEmail: members.pendingEmail,
      pendingPhone: members.pendingPhone,
      importSnapshot: members.importSnapshot,
    })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), ne(members.status, 'erased')));
}

async function staffIds(db: Executor, tenantId: string): Promise<Map<string, Array<(typeof STAFF_ROLES)[number]>>> {
  const rows = await db
    .select({ memberId: memberRoles.memberId, role: memberRoles.role })
    .from(memberRoles)
    .where(and(eq(memberRoles.tenantId, tenantId), inArray(memberRoles.role, [...STAFF_ROLES])));
  const out = new Map<string, Array<(typeof STAFF_ROLES)[number]>>();
  for (const r of rows) out.set(r.memberId, [...(out.get(r.memberId) ?? []), r.role as (typeof STAFF_ROLES)[number]]);
  return out;
}

function phoneNameKey(phone: string, name: string): string {
  return `${phone}\u0000${name.trim().toLowerCase()}`;
}

/** The snapshot with keys in one order, so that equal snapshots compare equal as text. */
export function snapshotText(s: ImportSnapshot | null | undefined): string {
  const src = (s ?? {}) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(COMPARED.filter((k) => src[k] !== undefined).map((k) => [k, src[k]])));
}

/** The values a row sets (blank cells are absent). */
function rowValues(row: ParsedRow): Partial<MemberValues> {
  const v: Partial<Record<Compared, Value>> = { name: row.name, wardId: row.wardId };
  if (row.email !== undefined) v.email = row.email;
  if (row.phone !== undefined) v.phone = row.phone;
  if (row.relationship !== undefined) v.relationship = row.relationship;
  if (row.childrenUnder5 !== undefined) v.childrenUnder5 = row.childrenUnder5;
  if (row.preferredLocale !== undefined) v.preferredLocale = row.preferredLocale;
  if (row.status !== undefined) v.status = row.status;
  if (row.externalRef !== undefined) v.externalRef = row.externalRef;
  return v as Partial<MemberValues>;
}

/**
 * What a row does to a matched member, field by field: unchanged, changed, pending (contact
 * details) or a conflict (changed in the app since the last import), and the new snapshot.
 */
function compareRow(row: ParsedRow, match: ExistingMember) {
  const file = rowValues(row) as Partial<Record<Compared, Value>>;
  const stored = match as unknown as Record<Compared, Value>;
  const snap = (match.importSnapshot ?? {}) as Partial<Record<Compared, Value>>;
  const nextSnap: Partial<Record<Compared, Value>> = { ...snap };
  const after = Object.fromEntries(COMPARED.map((f) => [f, stored[f]])) as Record<Compared, Value>;
  const changes: FieldChange[] = [];
  const pending: FieldChange[] = [];
  const conflicts: FieldChange[] = [];
  const requests: Array<{ field: 'email' | 'phone'; value: string }> = [];
  const editedSinceImport = (f: Compared) => f in snap && snap[f] !== stored[f];
  for (const f of DIRECT) {
    const v = file[f];
    if (v === undefined) continue;
    if (v === stored[f]) nextSnap[f] = v;
    else if (editedSinceImport(f)) conflicts.push({ field: f, from: stored[f], to: v });
    else {
      changes.push({ field: f, from: stored[f], to: v });
      after[f] = v;
      nextSnap[f] = v;
    }
  }
  for (const f of CONTACT) {
    const v = file[f];
    if (v === undefined || v === null) continue;
    const waiting = f === 'email' ? match.pendingEmail : match.pendingPhone;
    if (v === stored[f]) nextSnap[f] = v;
    else if (v === waiting) pending.push({ field: f, from: stored[f], to: v });
    else if (snap[f] === v && editedSinceImport(f)) conflicts.push({ field: f, from: stored[f], to: v });
    else {
      pending.push({ field: f, from: stored[f], to: v });
      requests.push({ field: f, value: String(v) });
      nextSnap[f] = v;
    }
  }
  return { changes, pending, conflicts, requests, after: after as unknown as MemberValues, snapshot: nextSnap as ImportSnapshot };
}

/** Check the whole file and work out what it would do; writes nothing. */
async function plan(db: Executor, actor: Actor, csvText: string, wardSetId: string): Promise<Plan & { report: ImportReport }> {
  const tenantId = actor.tenantId;
  const errors = new ErrorList();
  const report: ImportReport = { rows: 0, toCreate: 0, toUpdate: 0, unchanged: 0, pending: 0, refused: 0, conflicts: 0, details: [], detailsMore: 0, errors: [], applied: false };
  const empty = () => ({ report: { ...report, errors: errors.list() }, creates: [], updates: [], requests: [] });

  if (csvText.includes('\u0000')) {
    errors.add(0, 'file', 'this is not a CSV text file; in your spreadsheet use "Save as" and choose "CSV UTF-8"');
    return empty();
  }
  const delimiter = detectDelimiter(csvText);
  let fileRows: CsvRow[];
  try {
    fileRows = readCsvRows(csvText, delimiter);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    errors.add(err.line, 'file', err.message.replace(/^line \d+: /, ''));
    return empty();
  }
  const [headerRow, ...records] = fileRows;
  if (!headerRow) {
    errors.add(0, 'file', 'the file is empty; the first line must name the columns, like name,email,phone,ward_code');
    return empty();
  }
  report.rows = records.length;
  if (records.length > MAX_IMPORT_ROWS) {
    errors.add(0, 'file', `the file has ${records.length} rows; import at most ${MAX_IMPORT_ROWS} at a time`);
    return empty();
  }
  const header = readHeader(headerRow, errors);
  if (errors.total > 0) return empty();

  const { lookup, names } = await loadWards(db, tenantId, wardSetId);
  const rows: ParsedRow[] = [];
  for (const rec of records) {
    if (rec.cells.length !== headerRow.cells.length) {
      errors.add(rec.line, 'row', cellCountMessage(rec.cells.length, headerRow.cells.length, delimiter));
      continue;
    }
    const row = validateRow(rec, header, lookup, errors);
    if (row) rows.push(row);
  }

  // The same person twice in the file: by external reference, by email, or (with neither) by name and phone.
  const seen = { external_ref: new Map<string, number>(), email: new Map<string, number>(), phone: new Map<string, number>() };
  const what = { external_ref: 'the same external reference', email: 'the same email address', phone: 'the same name and phone number' };
  const unique: ParsedRow[] = [];
  for (const row of rows) {
    const keys: Array<[keyof typeof seen, string | null | undefined]> = [
      ['phone', !row.email && !row.externalRef && row.phone ? phoneNameKey(row.phone, row.name) : null],
      ['email', row.email],
      ['external_ref', row.externalRef],
    ];
    let ok = true;
    for (const [field, key] of keys) {
      if (!key) continue;
      const first = seen[field].get(key);
      if (first !== undefined) {
        errors.add(row.line, field, `${what[field]} ${field === 'phone' ? 'are' : 'is'} on line ${first}; each member must appear once`);
        ok = false;
      } else seen[field].set(key, row.line);
    }
    if (ok) unique.push(row);
  }

  // Match against stored members: external_ref first, then email (stored, then waiting for confirmation).
  const [existing, staff] = await Promise.all([loadExisting(db, tenantId), staffIds(db, tenantId)]);
  const byRef = new Map<string, ExistingMember>();
  const byEmail = new Map<string, ExistingMember>();
  const byPendingEmail = new Map<string, ExistingMember>();
  const byPhoneName = new Map<string, ExistingMember[]>();
  for (const m of existing) {
    if (m.externalRef) byRef.set(m.externalRef, m);
    if (m.email) byEmail.set(m.email, m);
    if (m.pendingEmail) byPendingEmail.set(m.pendingEmail, m);
    if (m.phone) {
      const key = phoneNameKey(m.phone, m.name);
      byPhoneName.set(key, [...(byPhoneName.get(key) ?? []), m]);
    }
  }
  const display = (f: Compared, v: Value): Value => (f === 'wardId' && typeof v === 'string' ? (names.get(v) ?? v) : v);
  const shown = (list: FieldChange[]) => list.map((c) => ({ field: c.field, from: display(c.field, c.from), to: display(c.field, c.to) }));
  const describe = (r: RowReport) => {
    if (report.details.length < MAX_REPORTED_ROWS) report.details.push(r);
    else report.detailsMore += 1;
  };

  const matchedLine = new Map<string, number>();
  const creates: Plan['creates'] = [];
  const updates: PlannedUpdate[] = [];
  const requests: Plan['requests'] = [];
  for (const row of unique) {
    const viaRef = row.externalRef ? byRef.get(row.externalRef) : undefined;
    const viaEmail = row.email ? (byEmail.get(row.email) ?? byPendingEmail.get(row.email)) : undefined;
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
      const values = rowValues(row);
      creates.push({
        line: row.line,
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
        snapshot: values as ImportSnapshot,
      });
      describe({ line: row.line, kind: 'new', changes: [], pending: [], conflicts: [] });
      continue;
    }
    const firstLine = matchedLine.get(match.id);
    if (firstLine !== undefined) {
      errors.add(row.line, row.externalRef && viaRef ? 'external_ref' : 'email', `this row is the same member (${match.memberNumber}) as line ${firstLine}; each member must appear once`);
      continue;
    }
    matchedLine.set(match.id, row.line);
    if (!canImportOver(actor, staff.get(match.id) ?? [])) {
      report.refused += 1;
      describe({ line: row.line, kind: 'refused', memberNumber: match.memberNumber, changes: [], pending: [], conflicts: [] });
      continue;
    }
    const c = compareRow(row, match);
    if (c.changes.length) report.toUpdate += 1;
    if (c.pending.length) report.pending += 1;
    if (c.conflicts.length) report.conflicts += 1;
    if (!c.changes.length && !c.pending.length && !c.conflicts.length) report.unchanged += 1;
    else describe({ line: row.line, kind: 'matched', memberNumber: match.memberNumber, changes: shown(c.changes), pending: shown(c.pending), conflicts: shown(c.conflicts) });
    if (c.changes.length || snapshotText(c.snapshot) !== snapshotText(match.importSnapshot)) {
      updates.push({ line: row.line, id: match.id, before: match, after: c.after, fields: c.changes.map((x) => x.field), snapshot: c.snapshot });
    }
    for (const r of c.requests) requests.push({ member: match, ...r });
  }
  report.toCreate = creates.length;
  report.errors = errors.list();
  if (report.errors.length) return { report, creates: [], updates: [], requests: [] };
  return { report, creates, updates, requests };
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Check a members CSV and, unless dryRun or any row has an error, apply it in one transaction:
 * bulk inserts with member numbers from one counter update, status history, the member role,
 * pending contact changes (with their emails) and one audit row per created or updated member
 * (actor = the coordinator). Only member managers may import.
 */
export async function importMembers(db: Db, actor: Actor, csvText: string, opts: ImportOptions): Promise<ImportReport> {
  requirePermission(actor, 'members.import', 'Only coordinators can import members.', 'error.import.forbidden');
  if (opts.dryRun) return (await plan(db, actor, csvText, opts.wardSetId)).report;
  try {
    return await db.transaction(async (tx) => {
      const p = await plan(tx, actor, csvText, opts.wardSetId);
      if (p.report.errors.length) return p.report;
      await applyPlan(tx, actor, opts.notify, p);
      return { ...p.report, applied: true };
    });
  } catch (err) {
    // A member joined (or was edited) with the same email or reference while the import ran.
    if (isUniqueViolation(err)) {
      throw new AppError('conflict', 'A member with one of these email addresses or references was added while the import ran. Nothing was imported; run the import again.', [], 'error.import.raced');
    }
    throw err;
  }
}
