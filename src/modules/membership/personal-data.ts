import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { idempotencyKeys } from '../../db/system-schema.ts';
import { iso } from '../../lib/iso.ts';
import { AppError } from '../../server/errors.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import { findMemberById, representativesOfMember, statusHistory } from './queries.ts';
import { members, memberRoles, memberTokens, passkeys, phoneCodes, recoveryCodes, secondFactorResets, sessions, totpFactors, webauthnChallenges } from './schema.ts';
import { revokeAllSessions } from './sessions.ts';

/** The register entry, roles, representation, sign-in records and second factor of a member. */
/** What eraseFor deletes from or blanks. */
const ERASES = ['members', 'member_roles', 'sessions', 'member_tokens', 'totp_factors', 'passkeys', 'webauthn_challenges', 'recovery_codes', 'second_factor_resets', 'phone_codes', 'idempotency_keys'] as const;

export const membershipPersonalData = {
  order: 10,
  // member_status_history and ward_representatives are kept after erasure (KEPT_AFTER_ERASURE);
  // rate_limits hold hashed keys, no member id. idempotency_keys is the system table scoped by member.
  covers: ['members', 'member_roles', 'member_status_history', 'ward_representatives', 'sessions', 'member_tokens', 'totp_factors', 'passkeys', 'webauthn_challenges', 'recovery_codes', 'second_factor_resets', 'phone_codes', 'idempotency_keys'],
  async exportFor(db: Executor, { subject, t, who }: ExportContext): Promise<DataSection[]> {
    const { tenantId, id: memberId } = subject;
    const member = await findMemberById(db, tenantId, memberId);
    if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
    const [roleRows, history, representation, sessionRows, keys, totp, codes, resets] = await Promise.all([
      db.select({ role: memberRoles.role, grantedAt: memberRoles.grantedAt, grantedBy: memberRoles.grantedBy }).from(memberRoles).where(and(eq(memberRoles.tenantId, tenantId), eq(memberRoles.memberId, memberId))).orderBy(asc(memberRoles.grantedAt), asc(memberRoles.role)),
      statusHistory(db, tenantId, memberId),
      representativesOfMember(db, tenantId, memberId),
      db.select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, revokedAt: sessions.revokedAt }).from(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.memberId, memberId))).orderBy(asc(sessions.createdAt)),
      // Public-key credentials: when they were added and used, never the keys or credential ids.
      db.select({ createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt }).from(passkeys).where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.memberId, memberId))).orderBy(asc(passkeys.createdAt)),
      db.select({ confirmedAt: totpFactors.confirmedAt }).from(totpFactors).where(and(eq(totpFactors.tenantId, tenantId), eq(totpFactors.memberId, memberId))),
      // Staff second factor: when recovery codes were made and used (never the codes), and reset requests.
      db.select({ createdAt: recoveryCodes.createdAt, usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId))).orderBy(asc(recoveryCodes.createdAt)),
      db.select({ requestedAt: secondFactorResets.requestedAt, requestedBy: secondFactorResets.requestedBy, completedAt: secondFactorResets.completedAt, cancelledAt: secondFactorResets.cancelledAt }).from(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenantId), eq(secondFactorResets.memberId, memberId))).orderBy(asc(secondFactorResets.requestedAt)),
    ]);
    // Wards by code and name, through tenancy's view (which also finds wards of an old set).
    const wardIds = [...new Set([member.wardId, ...representation.map((r) => r.wardId)].filter((id): id is string => !!id))];
    const wardRows = await wardNamesByIds(db, tenantId, wardIds);
    const ward = (id: string | null) => wardRows.find((w) => w.id === id);
    return [
      {
        name: 'profile',
        columns: ['id', 'memberNumber', 'name', 'email', 'emailVerifiedAt', 'phone', 'wardCode', 'wardName', 'relationship', 'childrenUnder5', 'preferredLocale', 'consentVersion', 'consentedAt', 'status', 'suspendedAt', 'externalRef', 'createdAt', 'updatedAt'],
        rows: {
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
        },
      },
      // Everyone is a member; other roles are rows in member_roles.
      { name: 'roles', columns: ['role', 'grantedAt', 'grantedBy'], rows: [{ role: 'member', grantedAt: iso(member.createdAt), grantedBy: null }, ...roleRows.filter((r) => r.role !== 'member').map((r) => ({ role: r.role, grantedAt: iso(r.grantedAt), grantedBy: who(r.grantedBy) }))] },
      { name: 'statusHistory', columns: ['status', 'changedAt', 'changedBy', 'reason'], rows: history.map((h) => ({ status: h.status, changedAt: iso(h.changedAt), changedBy: who(h.changedBy), reason: h.reason })) },
      { name: 'wardRepresentation', columns: ['wardCode', 'wardName', 'startsOn', 'endsOn', 'appointedBy', 'createdAt'], rows: representation.map((r) => ({ wardCode: ward(r.wardId)?.code ?? null, wardName: ward(r.wardId)?.name ?? null, startsOn: r.startsOn, endsOn: r.endsOn, appointedBy: who(r.appointedBy), createdAt: iso(r.createdAt) })) },
      { name: 'sessions', columns: ['createdAt', 'lastSeenAt', 'revokedAt'], rows: sessionRows.map((x) => ({ createdAt: iso(x.createdAt), lastSeenAt: iso(x.lastSeenAt), revokedAt: iso(x.revokedAt) })) },
      { name: 'passkeys', columns: ['name', 'createdAt', 'lastUsedAt'], rows: keys.map((k, i) => ({ name: t('data.passkey.name', { n: i + 1 }), createdAt: iso(k.createdAt), lastUsedAt: iso(k.lastUsedAt) })) },
      { name: 'secondFactors', columns: ['kind', 'setUp', 'setUpAt'], rows: totp.map((f) => ({ kind: t('data.factor.totp'), setUp: f.confirmedAt !== null, setUpAt: iso(f.confirmedAt) })) },
      { name: 'recoveryCodes', columns: ['createdAt', 'usedAt'], rows: codes.map((r) => ({ createdAt: iso(r.createdAt), usedAt: iso(r.usedAt) })) },
      { name: 'secondFactorResets', columns: ['requestedAt', 'requestedBy', 'completedAt', 'cancelledAt'], rows: resets.map((r) => ({ requestedAt: iso(r.requestedAt), requestedBy: who(r.requestedBy), completedAt: iso(r.completedAt), cancelledAt: iso(r.cancelledAt) })) },
    ];
  },
  /** Blank the register entry and delete sign-in records; status history and appointments stay (the law). */
  erases: ERASES,
  async eraseFor(tx: Executor, { tenantId, id: memberId }: DataSubject): Promise<readonly string[]> {
    await revokeAllSessions(tx, tenantId, memberId);
    await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.scope, `member:${memberId}`)));
    await tx.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.memberId, memberId)));
    await tx.delete(memberTokens).where(and(eq(memberTokens.tenantId, tenantId), eq(memberTokens.memberId, memberId)));
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
    return ERASES;
  },
} satisfies PersonalDataProvider;
