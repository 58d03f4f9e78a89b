/**
 * Reading a member CSV: the header, every row's cells checked and normalised, with row-level
 * errors that name the line and the column. Nothing here touches the database (csv.ts does).
 */
import { normaliseEmail, normalisePhone } from '../../lib/contact.ts';
import type { CsvDelimiter, CsvRow } from '../../lib/csv.ts';
import { LOCALES, type Locale } from '../../ui/i18n/locales.ts';
import { RELATIONSHIPS, type MemberStatus, type Relationship } from './schema.ts';

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
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
/** ward_name is read when there is no ward_code column (our export has both: the code wins). */
type ReadColumn = ImportColumn | 'ward_name';

/** Columns our own export writes that the import accepts and ignores, so an export can be re-imported. */
export const IGNORED_IMPORT_COLUMNS = ['member_number', 'joined_at'] as const;
/** Other spellings of a column. */
const ALIASES: Record<string, ReadColumn> = { ward: 'ward_code' };

export const IMPORT_STATUSES = ['pending', 'active', 'lapsed', 'left'] as const satisfies readonly MemberStatus[];
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ImportLocale = Locale;

/** Long error lists are cut here, with a last entry saying how many more there are. */
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportError {
  /** Line in the file (the header is line 1); 0 for a problem with the whole file. */
  line: number;
  field: string;
  message: string;
}

export class ErrorList {
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

/** One valid file row. `undefined` = the cell is blank or the column absent (keeps stored values). */
export interface ParsedRow {
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

/** "Ward code", "WARD-CODE" and "ward_code" all name the ward_code column. */
function headerKey(h: string): string {
  return h.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** Our own export's escape: one "'" before a cell that starts like a formula (or like an escaped one). */
const EXPORT_ESCAPED = /^'+[=+\-@\t\r]/;

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

const FOLD: Record<string, string> = { ł: 'l', đ: 'd', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe' };

/** "Łodygowice Śródmieście" and "lodygowice  srodmiescie" compare equal: case, accents, spacing and "&" ignored. */
export function wardNameKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łđøßæœ]/g, (ch) => FOLD[ch] ?? ch)
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface WardLookup {
  setName: string;
  byCode: ReadonlyMap<string, string>;
  /** Normalised name → ward id, or null when two wards share the name. */
  byName: ReadonlyMap<string, string | null>;
}

export function wardLookup(setName: string, wards: ReadonlyArray<{ id: string; code: string; name: string }>): WardLookup {
  const byName = new Map<string, string | null>();
  for (const w of wards) {
    const key = wardNameKey(w.name);
    byName.set(key, byName.has(key) ? null : w.id);
  }
  return { setName, byCode: new Map(wards.map((w) => [w.code.toUpperCase(), w.id])), byName };
}

export interface Header {
  columns: Array<ReadColumn | null>;
  /** Which column holds the ward: ward_code, or ward_name when there is no ward_code column. */
  wardColumn: 'ward_code' | 'ward_name';
}

/** Known columns, ignored export columns, nothing unknown, nothing twice; errors go to the list. */
export function readHeader(header: CsvRow, errors: ErrorList): Header {
  const columns: Array<ReadColumn | null> = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const raw of header.cells) {
    const plain = headerKey(raw);
    const key = ALIASES[plain] ?? plain;
    if (seen.has(key) && key !== '') errors.add(header.line, key, 'this column appears twice; keep one of them');
    seen.add(key);
    if ((IMPORT_COLUMNS as readonly string[]).includes(key) || key === 'ward_name') columns.push(key as ReadColumn);
    else if ((IGNORED_IMPORT_COLUMNS as readonly string[]).includes(key)) columns.push(null);
    else {
      unknown.push(raw.trim() === '' ? '(blank)' : raw.trim());
      columns.push(null);
    }
  }
  if (unknown.length) {
    errors.add(header.line, 'header', `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are ${IMPORT_COLUMNS.join(', ')}`);
  }
  if (!columns.includes('name')) errors.add(header.line, 'header', 'add a name column');
  if (!columns.includes('ward_code') && !columns.includes('ward_name')) errors.add(header.line, 'header', 'add a ward_code column');
  if (!columns.includes('email') && !columns.includes('phone')) errors.add(header.line, 'header', 'add an email or phone column');
  const wardColumn = columns.includes('ward_code') ? 'ward_code' : 'ward_name';
  // With both, the code is read and the name (our export's) is ignored.
  return { columns: columns.map((c) => (c === 'ward_name' && wardColumn === 'ward_code' ? null : c)), wardColumn };
}

const SEPARATOR_NAME: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

export function cellCountMessage(cells: number, headerCells: number, delimiter: CsvDelimiter): string {
  return `this row has ${cells} cells but the header has ${headerCells}; check for a missing or extra ${SEPARATOR_NAME[delimiter]}`;
}

/** Check one row; errors go to the list, and a row with any error comes back undefined. */
export function validateRow(rec: CsvRow, header: Header, wards: WardLookup, errors: ErrorList): ParsedRow | undefined {
  const before = errors.total;
  const cell: Partial<Record<ImportColumn, string>> = {};
  const escaped = new Set<ImportColumn>();
  header.columns.forEach((read, j) => {
    if (!read) return;
    const col: ImportColumn = read === 'ward_name' ? 'ward_code' : read;
    let value = (rec.cells[j] ?? '').trim();
    // Our own export writes '=… for a cell that starts like a formula: that is data, given back as it was.
    if (EXPORT_ESCAPED.test(value)) {
      value = value.slice(1);
      escaped.add(col);
    }
    cell[col] = value;
  });
  const fail = (field: string, message: string) => errors.add(rec.line, field, message);

  // A formula typed into the file (not escaped by our export) is refused, reported once and then
  // treated as blank, without a second message.
  const refused = new Set<ImportColumn>();
  for (const col of IMPORT_COLUMNS) {
    const value = cell[col];
    if (!value || escaped.has(col) || !FORMULA_START.test(value)) continue;
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
    const r = normalisePhone(cell.phone);
    if (r.ok) phone = r.value;
    else fail('phone', lowerFirst(r.message));
  }
  let externalRef: string | undefined;
  if (cell.external_ref) {
    if (cell.external_ref.length > 100) fail('external_ref', 'the external reference must be 100 characters or fewer');
    else externalRef = cell.external_ref;
  }
  if (!cell.email && !cell.phone && !formula('email') && !formula('phone')) {
    fail('email', 'give an email address or a phone number, so the member can be contacted');
  }

  let wardId: string | undefined;
  const ward = cell.ward_code ?? '';
  if (ward === '') {
    if (!formula('ward_code')) fail(header.wardColumn, 'enter the ward code, like E05010264 (see the Wards page for the codes)');
  } else {
    wardId = wards.byCode.get(ward.toUpperCase());
    if (!wardId) {
      const byName = wards.byName.get(wardNameKey(ward));
      if (byName) wardId = byName;
      else if (byName === null) fail(header.wardColumn, `more than one ward of ${wards.setName} is called "${ward}"; use the ward code (see the Wards page for the codes)`);
      else fail(header.wardColumn, `"${ward}" is not a ward of ${wards.setName}; use a ward code like E05010264 (see the Wards page for the codes)`);
    }
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
