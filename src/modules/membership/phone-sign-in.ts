import { randomInt } from 'node:crypto';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { hmacHex, randomToken, safeEqual, sha256Hex } from '../../lib/hash.ts';
import { AppError } from '../../server/errors.ts';
import { translator, type Locale } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueSms, recordSuppressedSms } from '../sms/service.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { canSignIn, finishFirstFactor, type SignInResult } from './auth.ts';
import { canManageMembers, type Actor } from './policy.ts';
import { findMemberById } from './queries.ts';
import { members, phoneCodes, type Member } from './schema.ts';
import { recordStatus } from './service.ts';

/** Codes by text: 6 digits, 10 minutes, single use, burnt after 5 wrong tries (like email links, SECURITY.md 1–2). */
export const PHONE_CODE = { ttlMs: 10 * 60_000, maxAttempts: 5 } as const;

const codeHash = (secret: string, id: string, code: string) => hmacHex(secret, `phone-code:${id}:${code}`);

/**
 * Ask for a sign-in code for a mobile number. Whether or not the number is a member's, the same
 * work is done (a pending row and an outbox row) and the same pending token comes back for the
 * cookie; for a number that is nobody's the outbox row is 'suppressed' (never sent, nothing
 * personal in it) and no code can ever match the pending row.
 */
export async function requestPhoneCode(db: Db, tenant: Tenant, secret: string, phone: string, locale: Locale): Promise<string> {
  const pending = randomToken(32);
  const id = sha256Hex(pending);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.transaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenant.id), eq(members.phone, phone), ne(members.status, 'erased')))
      .orderBy(asc(members.memberNumber))
      .limit(1);
    const member: Member | undefined = canSignIn(found) ? found : undefined;
    await tx.insert(phoneCodes).values({ id, tenantId: tenant.id, memberId: member?.id ?? null, codeHash: codeHash(secret, id, code), expiresAt: new Date(Date.now() + PHONE_CODE.ttlMs) });
    if (member) {
      const memberLocale = member.preferredLocale === 'pl' ? 'pl' : 'en';
      await enqueueSms(tx, { tenantId: tenant.id, to: phone, body: translator(memberLocale)('sms.signin.body', { code, tenant: tenant.name }), template: 'sign_in_code', locale: memberLocale });
    } else {
      await recordSuppressedSms(tx, tenant.id, 'sign_in_code', locale);
    }
  });
  return pending;
}

type Check = { ok: true; memberId: string } | { ok: false; reason: 'expired' | 'wrong' };

/**
 * Use a texted code. A wrong code counts against the pending sign-in (committed even though the
 * request fails); the 5th wrong one burns it. A right code signs the member in; a pending member
 * becomes active, since the code proves the number is theirs.
 */
export async function consumePhoneCode(db: Db, tenant: Tenant, secret: string, pending: string, code: string): Promise<SignInResult> {
  const digits = code.replace(/\s/g, '');
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(pending)) throw new AppError('bad_request', 'This code has expired. Ask for a new one.', [{ field: 'code', message: 'signin.error.phoneExpired' }]);
  const id = sha256Hex(pending);
  const check = await db.transaction(async (tx): Promise<Check> => {
    const [row] = await tx.select().from(phoneCodes).where(and(eq(phoneCodes.id, id), eq(phoneCodes.tenantId, tenant.id))).for('update');
    if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now() || row.attempts >= PHONE_CODE.maxAttempts) return { ok: false, reason: 'expired' };
    const right = /^\d{6}$/.test(digits) && safeEqual(row.codeHash, codeHash(secret, id, digits));
    if (!right || !row.memberId) {
      const attempts = row.attempts + 1;
      await tx
        .update(phoneCodes)
        .set({ attempts, ...(attempts >= PHONE_CODE.maxAttempts ? { usedAt: sql`now()` } : {}) })
        .where(eq(phoneCodes.id, id));
      return { ok: false, reason: attempts >= PHONE_CODE.maxAttempts ? 'expired' : 'wrong' };
    }
    await tx.update(phoneCodes).set({ usedAt: sql`now()` }).where(eq(phoneCodes.id, id));
    return { ok: true, memberId: row.memberId };
  });
  if (!check.ok) {
    if (check.reason === 'expired') throw new AppError('bad_request', 'This code has expired. Ask for a new one.', [{ field: 'code', message: 'signin.error.phoneExpired' }]);
    throw new AppError('validation_failed', 'That code is not right.', [{ field: 'code', message: 'signin.error.phoneCode' }]);
  }
  return db.transaction(async (tx) => {
    const member = await findMemberById(tx, tenant.id, check.memberId);
    if (!canSignIn(member)) throw new AppError('bad_request', 'This code can no longer be used.', [{ field: 'code', message: 'signin.error.phoneExpired' }]);
    if (member.status === 'pending') {
      await tx.update(members).set({ status: 'active', updatedAt: sql`now()` }).where(and(eq(members.tenantId, tenant.id), eq(members.id, member.id)));
      await recordStatus(tx, { tenantId: tenant.id, memberId: member.id }, 'active', member.id, 'phone confirmed by a texted code');
      await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'member.status', entity: 'member', entityId: member.id, data: { from: 'pending', to: 'active', by: 'phone_code' } });
    }
    // A texted code proves a phone, not an email address: never a way to set up a staff second factor.
    return finishFirstFactor(tx, tenant, { ...member, status: 'active' }, { mayEnrol: false });
  });
}

/**
 * A coordinator confirms a pending member they have met or spoken to (the way in for phone-only
 * members while no SMS provider is configured): active, with a status-history row and an audit row.
 */
export async function confirmInPerson(db: Db, actor: Actor, memberId: string): Promise<void> {
  if (!canManageMembers(actor)) throw new AppError('forbidden', 'Only coordinators can confirm members in person.', [], 'error.inPerson.forbidden');
  await db.transaction(async (tx) => {
    const member = await findMemberById(tx, actor.tenantId, memberId);
    if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
    if (member.status !== 'pending') throw new AppError('conflict', 'Only a membership waiting for confirmation can be confirmed in person.', [], 'error.inPerson.notPending');
    await tx.update(members).set({ status: 'active', updatedAt: sql`now()` }).where(and(eq(members.tenantId, actor.tenantId), eq(members.id, memberId)));
    await recordStatus(tx, { tenantId: actor.tenantId, memberId }, 'active', actor.memberId, 'confirmed in person by a coordinator');
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'member.confirm_in_person', entity: 'member', entityId: memberId, data: { from: 'pending', to: 'active' } });
  });
}
