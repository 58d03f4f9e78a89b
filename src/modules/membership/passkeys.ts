import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { randomToken } from '../../lib/hash.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { isStaffRole, type Actor } from './policy.ts';
import { findMemberById, rolesOf } from './queries.ts';
import { passkeys, sessions, webauthnChallenges, type Member } from './schema.ts';
import { issueToken } from './tokens.ts';
import { createSession } from './sessions.ts';

const CHALLENGE_TTL_MS = 5 * 60_000;

/** Where the browser is: WebAuthn binds credentials to the host name (RP id) and origin. */
export interface RelyingParty {
  rpId: string;
  origin: string;
}

async function saveChallenge(db: Executor, tenantId: string, memberId: string | null, purpose: 'register' | 'authenticate', challenge: string): Promise<string> {
  const id = randomToken(24);
  await db.insert(webauthnChallenges).values({ id, tenantId, memberId, purpose, challenge, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) });
  return id;
}

/** Take a challenge once (deleted as it is read), or refuse. */
async function takeChallenge(db: Executor, tenantId: string, id: string, purpose: 'register' | 'authenticate') {
  const rows = await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.id, id), eq(webauthnChallenges.tenantId, tenantId), eq(webauthnChallenges.purpose, purpose), gt(webauthnChallenges.expiresAt, sql`now()`)))
    .returning();
  const row = rows[0];
  if (!row) throw new AppError('bad_request', 'This passkey request has expired. Try again.', [], 'error.passkey.expired');
  return row;
}

export async function listPasskeys(db: Executor, tenantId: string, memberId: string) {
  return db.select().from(passkeys).where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.memberId, memberId))).orderBy(asc(passkeys.createdAt));
}

export async function registrationOptions(db: Db, tenant: Tenant, actor: Actor, rp: RelyingParty) {
  const member = await findMemberById(db, tenant.id, actor.memberId);
  if (!member) throw new AppError('unauthenticated', 'Please sign in.');
  const existing = await listPasskeys(db, tenant.id, member.id);
  const options = await generateRegistrationOptions({
    rpName: tenant.name,
    rpID: rp.rpId,
    userName: `member-${member.memberNumber}`,
    userDisplayName: member.name,
    userID: new TextEncoder().encode(member.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: JSON.parse(p.transports) as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const challengeId = await saveChallenge(db, tenant.id, member.id, 'register', options.challenge);
  return { challengeId, options };
}

export async function registerPasskey(db: Db, tenant: Tenant, actor: Actor, rp: RelyingParty, challengeId: string, response: RegistrationResponseJSON): Promise<void> {
  await db.transaction(async (tx) => {
    const challenge = await takeChallenge(tx, tenant.id, challengeId, 'register');
    if (challenge.memberId !== actor.memberId) throw new AppError('bad_request', 'This passkey request belongs to another sign-in. Try again.', [], 'error.passkey.otherSignIn');
    let verified;
    try {
      verified = await verifyRegistrationResponse({ response, expectedChallenge: challenge.challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpId, requireUserVerification: true });
    } catch {
      throw new AppError('bad_request', 'The passkey could not be checked. Try again, or use the email link.', [], 'error.passkey.unchecked');
    }
    if (!verified.verified || !verified.registrationInfo) throw new AppError('bad_request', 'The passkey could not be checked. Try again.', [], 'error.passkey.unchecked');
    const { credential } = verified.registrationInfo;
    // Only a passkey added from a session that passed the staff second factor counts as one later.
    const [session] = await tx.select({ secondFactorAt: sessions.secondFactorAt }).from(sessions).where(and(eq(sessions.tenantId, tenant.id), eq(sessions.id, actor.sessionId)));
    const secondFactor = !!session?.secondFactorAt && (await rolesOf(tx, tenant.id, actor.memberId)).some(isStaffRole);
    await tx.insert(passkeys).values({
      tenantId: tenant.id,
      id: credential.id,
      memberId: actor.memberId,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: JSON.stringify(credential.transports ?? []),
      secondFactor,
    });
    await appendAudit(tx, { tenantId: tenant.id, actor: actor.memberId, action: 'passkey.add', entity: 'member', entityId: actor.memberId, data: { secondFactor } });
  });
}

export async function removePasskey(db: Db, tenantId: string, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await tx.delete(passkeys).where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.memberId, actor.memberId), eq(passkeys.id, id))).returning();
    if (!removed.length) throw new AppError('not_found', 'That passkey was not found.', [], 'error.passkey.notFound');
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'passkey.remove', entity: 'member', entityId: actor.memberId });
  });
}

export async function authenticationOptions(db: Db, tenant: Tenant, rp: RelyingParty) {
  // Discoverable credentials: the browser offers the member's passkeys; we name nobody.
  const options = await generateAuthenticationOptions({ rpID: rp.rpId, userVerification: 'required', allowCredentials: [] });
  const challengeId = await saveChallenge(db, tenant.id, null, 'authenticate', options.challenge);
  return { challengeId, options };
}

/** A passkey sign-in: a session, or (staff whose passkey does not count as their second factor) the code step. */
export type PasskeySignIn = { kind: 'session'; token: string; member: Member; staff: boolean } | { kind: 'second_factor'; pendingToken: string; member: Member };

/**
 * Sign in with a passkey. User verification is required, so a passkey is two factors (the device
 * and its PIN or biometric): staff get a session marked with its second factor, if the passkey was
 * added from a session that had one. Otherwise (added as a plain member, before a staff role) it is
 * only the first factor and the authenticator code step follows (issue 7, item 11).
 */
export async function signInWithPasskey(db: Db, tenant: Tenant, rp: RelyingParty, challengeId: string, response: AuthenticationResponseJSON): Promise<PasskeySignIn> {
  return db.transaction(async (tx) => {
    const challenge = await takeChallenge(tx, tenant.id, challengeId, 'authenticate');
    const [key] = await tx.select().from(passkeys).where(and(eq(passkeys.tenantId, tenant.id), eq(passkeys.id, String(response.id)))).for('update');
    if (!key) throw new AppError('bad_request', 'This passkey is not registered here. Sign in with the email link instead.', [], 'error.passkey.unknown');
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        requireUserVerification: true,
        credential: { id: key.id, publicKey: new Uint8Array(Buffer.from(key.publicKey, 'base64url')), counter: key.counter, transports: JSON.parse(key.transports) as AuthenticatorTransportFuture[] },
      });
    } catch {
      throw new AppError('bad_request', 'The passkey could not be checked. Try again, or use the email link.', [], 'error.passkey.unchecked');
    }
    if (!verified.verified) throw new AppError('bad_request', 'The passkey could not be checked.', [], 'error.passkey.unchecked');
    const member = await findMemberById(tx, tenant.id, key.memberId);
    if (!member || member.suspendedAt || (member.status !== 'active' && member.status !== 'pending')) {
      throw new AppError('bad_request', 'This membership cannot sign in.', [], 'error.signIn.blocked');
    }
    await tx.update(passkeys).set({ counter: verified.authenticationInfo.newCounter, lastUsedAt: sql`now()` }).where(and(eq(passkeys.tenantId, tenant.id), eq(passkeys.id, key.id)));
    const staff = (await rolesOf(tx, tenant.id, member.id)).some(isStaffRole);
    if (staff && !key.secondFactor) {
      const pendingToken = await issueToken(tx, { tenantId: tenant.id, memberId: member.id, purpose: 'second_factor', mayEnrol: false });
      return { kind: 'second_factor', pendingToken, member };
    }
    const { token } = await createSession(tx, { tenantId: tenant.id, memberId: member.id, staff, secondFactor: staff });
    await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'session.start', entity: 'member', entityId: member.id, data: { method: 'passkey' } });
    return { kind: 'session', token, member, staff };
  });
}
