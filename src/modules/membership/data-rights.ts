import { and, eq, or, sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import type { Db, Executor } from '../../db/connection.ts';
import { toCsv } from '../../lib/csv.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import { auditLog } from '../audit/schema.ts';
import { idempotencyKeys } from '../../db/system-schema.ts';
import { emailOutbox } from '../email/schema.ts';
import { findMemberById, representativesOfMember, rolesOf, statusHistory } from './queries.ts';
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

/** Everything we hold about a member, as plain data (SECURITY.md 16). */
export async function collectMemberData(db: Executor, tenantId: string, memberId: string) {
  const member = await findMemberById(db, tenantId, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.');
  const [roles, history, representation, sessionRows, emails, audit, codes, resets] = await Promise.all([
    rolesOf(db, tenantId, memberId),
    statusHistory(db, tenantId, memberId),
    representativesOfMember(db, tenantId, memberId),
    db.select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, revokedAt: sessions.revokedAt }).from(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.memberId, memberId))),
    member.email
      ? db.select({ subject: emailOutbox.subject, status: emailOutbox.status, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt }).from(emailOutbox).where(and(eq(emailOutbox.tenantId, tenantId), eq(emailOutbox.toAddress, member.email)))
      : Promise.resolve([]),
    db.select({ at: auditLog.at, action: auditLog.action, entity: auditLog.entity }).from(auditLog).where(and(eq(auditLog.tenantId, tenantId), or(eq(auditLog.actor, memberId), eq(auditLog.entityId, memberId)))),
    // Staff second factor: when recovery codes were made and used (never the codes), and reset requests.
    db.select({ createdAt: recoveryCodes.createdAt, usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId))),
    db.select({ requestedAt: secondFactorResets.requestedAt, completedAt: secondFactorResets.completedAt, cancelledAt: secondFactorResets.cancelledAt }).from(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenantId), eq(secondFactorResets.memberId, memberId))),
  ]);
  // Texts to the member's number (without bodies: they held one-time codes).
  const texts = member.phone ? await smsTo(db, tenantId, member.phone) : [];
  const { joinKey: _joinKey, tenantId: _tenant, ...profile } = member;
  return { exportedAt: new Date().toISOString(), profile, roles, statusHistory: history, wardRepresentation: representation, sessions: sessionRows, emails, texts, activity: audit, recoveryCodes: codes, secondFactorResets: resets };
}

function toRows(value: unknown): Array<Array<string | number | null>> {
  const list = Array.isArray(value) ? value : [value];
  const objects = list.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object');
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const cell = (v: unknown): string | number | null =>
    v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? v : String(v);
  return [keys, ...objects.map((o) => keys.map((k) => cell(o[k])))];
}

/** A zip with my-data.json and one CSV per section (formula-escaped). */
export async function memberDataZip(db: Executor, tenantId: string, memberId: string): Promise<Uint8Array> {
  const data = await collectMemberData(db, tenantId, memberId);
  const files: Record<string, Uint8Array> = { 'my-data.json': strToU8(JSON.stringify(data, null, 2)) };
  for (const [section, value] of Object.entries(data)) {
    if (section === 'exportedAt') continue;
    files[`${section}.csv`] = strToU8(toCsv(toRows(value)));
  }
  return zipSync(files, { level: 6 });
}

/** Leave the mutual: status "left", signed out everywhere; the record stays (register of members). */
export async function leave(db: Db, tenantId: string, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await changeStatus(tx, tenantId, memberId, 'left', memberId, 'left the mutual');
  });
}

/**
 * Erase a member: blank every personal field, remove their roles, sessions, tokens, second factor
 * and queued or sent emails; keep only what KEPT_AFTER_ERASURE lists.
 */
export async function erase(db: Executor, tenantId: string, memberId: string, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    const member = await findMemberById(tx, tenantId, memberId);
    if (!member) throw new AppError('not_found', 'That member was not found.');
    if (member.status === 'erased') return;
    if (member.email) await tx.delete(emailOutbox).where(and(eq(emailOutbox.tenantId, tenantId), eq(emailOutbox.toAddress, member.email)));
    if (member.phone) await deleteSmsTo(tx, tenantId, member.phone);
    await tx.delete(phoneCodes).where(and(eq(phoneCodes.tenantId, tenantId), eq(phoneCodes.memberId, memberId)));
    await revokeAllSessions(tx, tenantId, memberId);
    await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.scope, `member:${memberId}`)));
    await tx.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.memberId, memberId)));
    await tx.delete(memberTokens).where(and(eq(memberTokens.tenantId, tenantId), eq(memberTokens.memberId, memberId)));
    await tx.delete(totpFactors).where(and(eq(totpFactors.tenantId, tenantId), eq(totpFactors.memberId, memberId)));
    await tx.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId)));
    await tx.delete(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenantId), eq(secondFactorResets.memberId, memberId)));
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
  });
}
