import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import type { Db, Executor } from '../../db/connection.ts';
import { toCsv } from '../../lib/csv.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import { auditLog } from '../audit/schema.ts';
import { idempotencyKeys } from '../../db/system-schema.ts';
import { emailOutbox } from '../email/schema.ts';
import { isLocale, translator, type Translate } from '../../ui/i18n/index.ts';
import { wards } from '../tenancy/schema.ts';
import { findMemberById, representativesOfMember, statusHistory } from './queries.ts';
import { deleteSmsTo, smsTo } from '../sms/service.ts';
import { members, memberRoles, memberTokens, passkeys, phoneCodes, recoveryCodes, secondFactorResets, sessions, totpFactors, webauthnChallenges } from './schema.ts';
import { changeStatus, recordStatus } from './service.ts';
import { revokeAllSessions } from './sessions.ts';

/**
 * What the law makes us keep after erasure (SECURITY.md 15), and nothing else:
 * - the member row's id, member number, join/consent dates and status history (register of members,
 *   Co-operative and Community Benefit Societies Act 2014 s.30), with every personal field blanked;
 * - audit rows, which carry the member's pseudonymous id and never a name or contact detail;
 * - ward-representative appointments (a public record of representation), pointing at the blanked row.
 */
export const KEPT_AFTER_ERASURE = ['members (blanked)', 'member_status_history', 'audit_log', 'ward_representatives'] as const;

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/**
 * Who did something, in words: the download must not carry another member's id (a coordinator's
 * pseudonymous id is their personal data, not the requester's).
 */
function whoLabel(t: Translate, memberId: string, actor: string): string {
  if (actor === memberId) return t('data.by.you');
  if (actor.startsWith('system:') || actor === 'system') return t('data.by.system');
  return t('data.by.staff');
}

/** Everything we hold about a member, as plain data (SECURITY.md 16): sections of flat rows. */
export async function collectMemberData(db: Executor, tenantId: string, memberId: string) {
  const member = await findMemberById(db, tenantId, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  const t = translator(isLocale(member.preferredLocale) ? member.preferredLocale : 'en');
  const who = (actor: string) => whoLabel(t, memberId, actor);
  const [roleRows, history, representation, sessionRows, keys, totp, emails, audit, codes, resets, texts] = await Promise.all([
    db.select({ role: memberRoles.role, grantedAt: memberRoles.grantedAt, grantedBy: memberRoles.grantedBy }).from(memberRoles).where(and(eq(memberRoles.tenantId, tenantId), eq(memberRoles.memberId, memberId))).orderBy(asc(memberRoles.grantedAt), asc(memberRoles.role)),
    statusHistory(db, tenantId, memberId),
    representativesOfMember(db, tenantId, memberId),
    db.select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, revokedAt: sessions.revokedAt }).from(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.memberId, memberId))).orderBy(asc(sessions.createdAt)),
    // Public-key credentials: when they were added and used, never the keys or credential ids.
    db.select({ createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt }).from(passkeys).where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.memberId, memberId))).orderBy(asc(passkeys.createdAt)),
    db.select({ confirmedAt: totpFactors.confirmedAt }).from(totpFactors).where(and(eq(totpFactors.tenantId, tenantId), eq(totpFactors.memberId, memberId))),
    member.email
      ? db.select({ subject: emailOutbox.subject, status: emailOutbox.status, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt }).from(emailOutbox).where(and(eq(emailOutbox.tenantId, tenantId), eq(emailOutbox.toAddress, member.email))).orderBy(asc(emailOutbox.createdAt))
      : Promise.resolve([]),
    db.select({ at: auditLog.at, actor: auditLog.actor, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId }).from(auditLog).where(and(eq(auditLog.tenantId, tenantId), or(eq(auditLog.actor, memberId), eq(auditLog.entityId, memberId)))).orderBy(asc(auditLog.at)),
    // Staff second factor: when recovery codes were made and used (never the codes), and reset requests.
    db.select({ createdAt: recoveryCodes.createdAt, usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId))).orderBy(asc(recoveryCodes.createdAt)),
    db.select({ requestedAt: secondFactorResets.requestedAt, requestedBy: secondFactorResets.requestedBy, completedAt: secondFactorResets.completedAt, cancelledAt: secondFactorResets.cancelledAt }).from(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenantId), eq(secondFactorResets.memberId, memberId))).orderBy(asc(secondFactorResets.requestedAt)),
    // Texts to the member's number, without their bodies (they held one-time codes).
    member.phone ? smsTo(db, tenantId, member.phone) : Promise.resolve([]),
  ]);
  // Wards by code and name, from whichever ward set they belong to (an old set stays for history).
  const wardIds = [...new Set([member.wardId, ...representation.map((r) => r.wardId)].filter((id): id is string => !!id))];
  const wardRows = wardIds.length ? await db.select({ id: wards.id, code: wards.code, name: wards.name }).from(wards).where(and(eq(wards.tenantId, tenantId), inArray(wards.id, wardIds))) : [];
  const ward = (id: string | null) => wardRows.find((w) => w.id === id);

  const profile: Row = {
    id: member.id,
    memberNumber: member.memberNumber,
    name: member.name,
    email: member.email,
    emailVerifiedAt: iso(member.emailVerifiedAt),
    phone: member.phone,
    wardCode: ward(member.wardId)?.code ?? null,
    wardName: ward(member.wardId)?.name ?? null,
    relationship: member.relationship,
    childrenUnder5: member.childrenUnder5,
    preferredLocale: member.preferredLocale,
    consentVersion: member.consentVersion,
    consentedAt: iso(member.consentedAt),
    status: member.status,
    suspendedAt: iso(member.suspendedAt),
    externalRef: member.externalRef,
    createdAt: iso(member.createdAt),
    updatedAt: iso(member.updatedAt),
  };
  const sections = {
    // Everyone is a member; other roles are rows in member_roles.
    roles: [{ role: 'member', grantedAt: iso(member.createdAt), grantedBy: null }, ...roleRows.filter((r) => r.role !== 'member').map((r) => ({ role: r.role, grantedAt: iso(r.grantedAt), grantedBy: who(r.grantedBy) }))] satisfies Row[],
    statusHistory: history.map((h) => ({ status: h.status, changedAt: iso(h.changedAt), changedBy: who(h.changedBy), reason: h.reason })) satisfies Row[],
    wardRepresentation: representation.map((r) => ({ wardCode: ward(r.wardId)?.code ?? null, wardName: ward(r.wardId)?.name ?? null, startsOn: r.startsOn, endsOn: r.endsOn, appointedBy: who(r.appointedBy), createdAt: iso(r.createdAt) })) satisfies Row[],
    sessions: sessionRows.map((x) => ({ createdAt: iso(x.createdAt), lastSeenAt: iso(x.lastSeenAt), revokedAt: iso(x.revokedAt) })) satisfies Row[],
    passkeys: keys.map((k, i) => ({ name: t('data.passkey.name', { n: i + 1 }), createdAt: iso(k.createdAt), lastUsedAt: iso(k.lastUsedAt) })) satisfies Row[],
    secondFactors: totp.map((f) => ({ kind: t('data.factor.totp'), setUp: f.confirmedAt !== null, setUpAt: iso(f.confirmedAt) })) satisfies Row[],
    recoveryCodes: codes.map((r) => ({ createdAt: iso(r.createdAt), usedAt: iso(r.usedAt) })) satisfies Row[],
    secondFactorResets: resets.map((r) => ({ requestedAt: iso(r.requestedAt), requestedBy: who(r.requestedBy), completedAt: iso(r.completedAt), cancelledAt: iso(r.cancelledAt) })) satisfies Row[],
    texts: texts.map((x) => ({ template: x.template, status: x.status, createdAt: iso(x.createdAt), sentAt: iso(x.sentAt) })) satisfies Row[],
    emails: emails.map((e) => ({ subject: e.subject, status: e.status, createdAt: iso(e.createdAt), sentAt: iso(e.sentAt) })) satisfies Row[],
    activity: audit.map((a) => ({ at: iso(a.at), action: a.action, entity: a.entity, by: who(a.actor), aboutYou: a.entityId === memberId })) satisfies Row[],
  };
  return { exportedAt: new Date().toISOString(), profile, ...sections };
}

export type MemberData = Awaited<ReturnType<typeof collectMemberData>>;

/** The columns of each CSV, so that an empty section still says what it would hold. */
export const SECTION_COLUMNS = {
  profile: ['id', 'memberNumber', 'name', 'email', 'emailVerifiedAt', 'phone', 'wardCode', 'wardName', 'relationship', 'childrenUnder5', 'preferredLocale', 'consentVersion', 'consentedAt', 'status', 'suspendedAt', 'externalRef', 'createdAt', 'updatedAt'],
  roles: ['role', 'grantedAt', 'grantedBy'],
  statusHistory: ['status', 'changedAt', 'changedBy', 'reason'],
  wardRepresentation: ['wardCode', 'wardName', 'startsOn', 'endsOn', 'appointedBy', 'createdAt'],
  sessions: ['createdAt', 'lastSeenAt', 'revokedAt'],
  passkeys: ['name', 'createdAt', 'lastUsedAt'],
  secondFactors: ['kind', 'setUp', 'setUpAt'],
  recoveryCodes: ['createdAt', 'usedAt'],
  secondFactorResets: ['requestedAt', 'requestedBy', 'completedAt', 'cancelledAt'],
  texts: ['template', 'status', 'createdAt', 'sentAt'],
  emails: ['subject', 'status', 'createdAt', 'sentAt'],
  activity: ['at', 'action', 'entity', 'by', 'aboutYou'],
} as const satisfies Record<Exclude<keyof MemberData, 'exportedAt'>, readonly string[]>;

/** The CSV rows of one section: its header, then one line per JSON row. */
export function sectionRows(columns: readonly string[], value: Row | Row[]): Array<Array<string | number | null>> {
  const list = Array.isArray(value) ? value : [value];
  const cell = (v: Cell | undefined): string | number | null => (v === null || v === undefined ? null : typeof v === 'boolean' ? String(v) : v);
  return [[...columns], ...list.map((o) => columns.map((k) => cell(o[k])))];
}

/** A zip with my-data.json and one CSV per section (formula-escaped), row for row the same. */
export async function memberDataZip(db: Executor, tenantId: string, memberId: string): Promise<Uint8Array> {
  const data = await collectMemberData(db, tenantId, memberId);
  const files: Record<string, Uint8Array> = { 'my-data.json': strToU8(JSON.stringify(data, null, 2)) };
  for (const [section, columns] of Object.entries(SECTION_COLUMNS)) {
    files[`${section}.csv`] = strToU8(toCsv(sectionRows(columns, data[section as keyof typeof SECTION_COLUMNS])));
  }
  return zipSync(files, { level: 6 });
}

/** Leave the mutual: status "left", signed out everywhere; the record stays (register of members). */
export async function leave(db: Db, tenantId: string, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await changeStatus(tx, tenantId, memberId, 'left', memberId, 'left the mutual');
  });
}

/** Tables an erasure deletes from or blanks rows of (each of them is vacuumed afterwards). */
export const ERASURE_TABLES = ['members', 'member_roles', 'sessions', 'member_tokens', 'totp_factors', 'passkeys', 'webauthn_challenges', 'recovery_codes', 'second_factor_resets', 'phone_codes', 'email_outbox', 'sms_outbox', 'idempotency_keys'] as const;

/**
 * After an erasure the old row versions still hold the name and addresses in the table files until
 * VACUUM reclaims them, and B-tree index pages keep the old keys even after that (seen on the files of
 * the embedded store): vacuum the tables, then rebuild the members indexes (CONCURRENTLY, so reads
 * and writes go on). Runs outside any transaction, as VACUUM must. What it cannot reach: WAL already
 * written (recycled at later checkpoints) and earlier backups (see docs/ARCHITECTURE.md).
 */
export async function vacuumAfterErasure(db: Db): Promise<void> {
  for (const table of ERASURE_TABLES) await db.execute(sql.raw(`VACUUM ${table}`));
  // An interrupted concurrent rebuild leaves invalid "…_ccnew" copies that every write still
  // maintains and that a later REINDEX skips: drop them first, so one failure heals at the next erasure.
  const leftovers = (await db.execute(
    sql`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'members'::regclass AND NOT i.indisvalid AND c.relname ~ '_ccnew[0-9]*$'`,
  )) as unknown as { rows: Array<{ name: string }> }; // both drivers answer with rows
  for (const { name } of leftovers.rows) await db.execute(sql.raw(`DROP INDEX CONCURRENTLY IF EXISTS "${name.replace(/"/g, '""')}"`));
  await db.execute(sql.raw('REINDEX TABLE CONCURRENTLY members'));
}

/**
 * Erase a member: blank every personal field, remove their roles, sessions, tokens, second factor
 * and queued or sent emails; keep only what KEPT_AFTER_ERASURE lists. Then vacuum (above).
 */
export async function erase(db: Db, tenantId: string, memberId: string, actor: string): Promise<void> {
  const erased = await db.transaction((tx) => eraseIn(tx, tenantId, memberId, actor));
  if (erased) await vacuumAfterErasure(db);
}

/**
 * The erasure itself, in the caller's transaction (true when it erased someone). The caller runs
 * vacuumAfterErasure once the transaction has committed.
 */
export async function eraseIn(tx: Executor, tenantId: string, memberId: string, actor: string): Promise<boolean> {
  {
    const member = await findMemberById(tx, tenantId, memberId);
    if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
    if (member.status === 'erased') return false;
    if (member.email) await tx.delete(emailOutbox).where(and(eq(emailOutbox.tenantId, tenantId), eq(emailOutbox.toAddress, member.email)));
    await revokeAllSessions(tx, tenantId, memberId);
    await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.scope, `member:${memberId}`)));
    await tx.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.memberId, memberId)));
    await tx.delete(memberTokens).where(and(eq(memberTokens.tenantId, tenantId), eq(memberTokens.memberId, memberId)));
    if (member.phone) await deleteSmsTo(tx, tenantId, member.phone);
    await tx.delete(phoneCodes).where(and(eq(phoneCodes.tenantId, tenantId), eq(phoneCodes.memberId, memberId)));
    await tx.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId)));
    await tx.delete(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenantId), eq(secondFactorResets.memberId, memberId)));
    await tx.delete(totpFactors).where(and(eq(totpFactors.tenantId, tenantId), eq(totpFactors.memberId, memberId)));
    await tx.delete(passkeys).where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.memberId, memberId)));
    await tx.delete(webauthnChallenges).where(and(eq(webauthnChallenges.tenantId, tenantId), eq(webauthnChallenges.memberId, memberId)));
    await tx.delete(memberRoles).where(and(eq(memberRoles.tenantId, tenantId), eq(memberRoles.memberId, memberId)));
    await tx
      .update(members)
      .set({
        name: '',
        email: null,
        emailVerifiedAt: null,
        phone: null,
        wardId: null,
        childrenUnder5: null,
        externalRef: null,
        joinKey: null,
        pendingEmail: null,
        pendingEmailRequestedAt: null,
        pendingEmailAcceptedAt: null,
        pendingPhone: null,
        pendingPhoneRequestedAt: null,
        importSnapshot: null,
        importedAt: null,
        status: 'erased',
        updatedAt: sql`now()`,
      })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
    await recordStatus(tx, { tenantId, memberId }, 'erased', actor, 'erasure');
    await appendAudit(tx, { tenantId, actor, action: 'member.erase', entity: 'member', entityId: memberId });
    return true;
  }
}
