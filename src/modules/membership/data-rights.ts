import { sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import type { Db, Executor } from '../../db/connection.ts';
import { toCsv } from '../../lib/csv.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import { isLocale, translator, type Translate } from '../../ui/i18n/index.ts';
import { MODULES } from '../index.ts';
import type { DataCell, DataRow, DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import type { Actor } from './policy.ts';
import { findMemberById } from './queries.ts';
import { consumeToken, issueToken } from './tokens.ts';
import { changeStatus, recordStatus } from './service.ts';

/**
 * What the law makes us keep after erasure (SECURITY.md 15), and nothing else:
 * - the member row's id, member number, join/consent dates and status history (register of members,
 *   Co-operative and Community Benefit Societies Act 2014 s.30), with every personal field blanked;
 * - audit rows, which carry the member's pseudonymous id and never a name or contact detail;
 * - ward-representative appointments (a public record of representation), pointing at the blanked row.
 */
export const KEPT_AFTER_ERASURE = ['members (blanked)', 'member_status_history', 'audit_log', 'ward_representatives'] as const;

type Cell = DataCell;
type Row = DataRow;

/**
 * Who did something, in words: the download must not carry another member's id (a coordinator's
 * pseudonymous id is their personal data, not the requester's).
 */
function whoLabel(t: Translate, memberId: string, actor: string): string {
  if (actor === memberId) return t('data.by.you');
  if (actor.startsWith('system:') || actor === 'system') return t('data.by.system');
  return t('data.by.staff');
}

/** The modules' providers in download order (read when called: MODULES imports this file's importers). */
export function personalDataProviders(): PersonalDataProvider[] {
  return MODULES.flatMap((m): PersonalDataProvider[] => ('personalData' in m && m.personalData ? [m.personalData] : [])).sort((a, b) => a.order - b.order);
}

/** Everything we hold about a member (SECURITY.md 16): each module's sections, in provider order. */
async function collectSections(db: Executor, tenantId: string, memberId: string): Promise<DataSection[]> {
  const member = await findMemberById(db, tenantId, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  const t = translator(isLocale(member.preferredLocale) ? member.preferredLocale : 'en');
  const ctx: ExportContext = { subject: { tenantId, id: memberId, email: member.email, phone: member.phone }, t, who: (actor) => whoLabel(t, memberId, actor) };
  const parts = await Promise.all(personalDataProviders().map((p) => p.exportFor(db, ctx)));
  return parts.flat();
}

/** Everything we hold about a member, as plain data: `profile` and one array of flat rows per section. */
export async function collectMemberData(db: Executor, tenantId: string, memberId: string): Promise<MemberData> {
  const sections = await collectSections(db, tenantId, memberId);
  return { exportedAt: new Date().toISOString(), ...Object.fromEntries(sections.map((s) => [s.name, s.rows])) };
}

export type MemberData = { exportedAt: string } & Record<string, Row | Row[] | string>;

/** The CSV rows of one section: its header, then one line per JSON row. */
export function sectionRows(columns: readonly string[], value: Row | Row[]): Array<Array<string | number | null>> {
  const list = Array.isArray(value) ? value : [value];
  const cell = (v: Cell | undefined): string | number | null => (v === null || v === undefined ? null : typeof v === 'boolean' ? String(v) : v);
  return [[...columns], ...list.map((o) => columns.map((k) => cell(o[k])))];
}

/** A zip with my-data.json and one CSV per section (formula-escaped), row for row the same. */
export async function memberDataZip(db: Executor, tenantId: string, memberId: string): Promise<Uint8Array> {
  const sections = await collectSections(db, tenantId, memberId);
  const data = { exportedAt: new Date().toISOString(), ...Object.fromEntries(sections.map((s) => [s.name, s.rows])) };
  const files: Record<string, Uint8Array> = { 'my-data.json': strToU8(JSON.stringify(data, null, 2)) };
  // An empty section still gets its CSV with the header, so it says what it would hold.
  for (const section of sections) files[`${section.name}.csv`] = strToU8(toCsv(sectionRows(section.columns, section.rows)));
  return zipSync(files, { level: 6 });
}

/** Ask for a download of my data: a single-use link (5 minutes), bound to the session that asked. */
export function requestDataDownload(db: Db, actor: Actor): Promise<string> {
  return issueToken(db, { tenantId: actor.tenantId, memberId: actor.memberId, purpose: 'data_export', sessionId: actor.sessionId });
}

/**
 * The download behind such a link: only for the member and the session that asked (another of
 * their own signed-in sessions cannot use it), once. Refused links all read as expired.
 */
export async function downloadMemberData(db: Db, actor: Actor, token: string): Promise<Uint8Array> {
  return db.transaction(async (tx) => {
    const used = await consumeToken(tx, actor.tenantId, token, 'data_export');
    if (!used || used.memberId !== actor.memberId || used.sessionId !== actor.sessionId) {
      throw new AppError('not_found', 'This download link has expired or was already used. Ask for a new one from your page.', [], 'error.download.expired');
    }
    return memberDataZip(tx, actor.tenantId, actor.memberId);
  });
}

/** Leave the mutual: status "left", signed out everywhere; the record stays (register of members). */
export async function leave(db: Db, tenantId: string, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await changeStatus(tx, tenantId, memberId, 'left', memberId, 'left the mutual');
  });
}

/** Tables an erasure deletes from or blanks rows of (each of them is vacuumed afterwards): the union of what the providers declare they erase. */
export function erasureTables(): string[] {
  return [...new Set(personalDataProviders().flatMap((p) => p.erases ?? []))];
}

/**
 * After an erasure the old row versions still hold the name and addresses in the table files until
 * VACUUM reclaims them, and B-tree index pages keep the old keys even after that (seen on the files of
 * the embedded store): vacuum the tables, then rebuild the members indexes (CONCURRENTLY, so reads
 * and writes go on). Runs outside any transaction, as VACUUM must. What it cannot reach: WAL already
 * written (recycled at later checkpoints) and earlier backups (see docs/ARCHITECTURE.md).
 */
export async function vacuumAfterErasure(db: Db, tables: readonly string[]): Promise<void> {
  // The erasure's row counts may still be pending in this backend (flushed at most once a second):
  // flush them first, or they land after VACUUM and the statistics show dead rows that are gone.
  await db.execute(sql.raw('SELECT pg_stat_force_next_flush()'));
  // Names come from the providers' code, never from input; quoted all the same.
  for (const table of new Set(tables)) await db.execute(sql.raw(`VACUUM "${table.replace(/"/g, '""')}"`));
  // An interrupted concurrent rebuild leaves invalid "…_ccnew" copies that every write still
  // maintains and that a later REINDEX skips: drop them first, so one failure heals at the next erasure.
  const leftovers = (await db.execute(
    sql`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'members'::regclass AND NOT i.indisvalid AND c.relname ~ '_ccnew[0-9]*$'`,
  )) as unknown as { rows: Array<{ name: string }> }; // both drivers answer with rows
  for (const { name } of leftovers.rows) await db.execute(sql.raw(`DROP INDEX CONCURRENTLY IF EXISTS "${name.replace(/"/g, '""')}"`));
  await db.execute(sql.raw('REINDEX TABLE CONCURRENTLY members'));
}

/**
 * Erase a member: every module's provider deletes or blanks its rows about them, in one
 * transaction; only KEPT_AFTER_ERASURE remains. Then vacuum the tables the providers changed (above).
 */
export async function erase(db: Db, tenantId: string, memberId: string, actor: string): Promise<void> {
  const changed = await db.transaction((tx) => eraseIn(tx, tenantId, memberId, actor));
  if (changed) await vacuumAfterErasure(db, changed);
}

/**
 * The erasure itself, in the caller's transaction: the tables it changed, or null when the member
 * was erased already. The caller runs vacuumAfterErasure on them once the transaction has committed.
 */
export async function eraseIn(tx: Executor, tenantId: string, memberId: string, actor: string): Promise<readonly string[] | null> {
  const member = await findMemberById(tx, tenantId, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  if (member.status === 'erased') return null;
  // The subject is read before any provider runs: membership blanks the email and number the outboxes are keyed by.
  const subject: DataSubject = { tenantId, id: memberId, email: member.email, phone: member.phone };
  const changed = new Set<string>();
  for (const provider of personalDataProviders()) {
    if (!provider.eraseFor) continue;
    for (const table of await provider.eraseFor(tx, subject)) changed.add(table);
  }
  await recordStatus(tx, { tenantId, memberId }, 'erased', actor, 'erasure');
  await appendAudit(tx, { tenantId, actor, action: 'member.erase', entity: 'member', entityId: memberId });
  return [...changed];
}
