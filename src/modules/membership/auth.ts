import { and, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { open, seal } from '../../lib/secret-box.ts';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../../lib/totp.ts';
import { AppError } from '../../server/errors.ts';
import { randomToken, sha256Hex } from '../../lib/hash.ts';
import { translator, type Locale } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { isStaffRole } from './policy.ts';
import { findMemberByEmail, findMemberById, rolesOf } from './queries.ts';
import { members, totpFactors, type Member } from './schema.ts';
import { mailLink } from './join-service.ts';
import { recordStatus } from './service.ts';
import { createSession } from './sessions.ts';
import { consumeToken, issueToken } from './tokens.ts';

const TOTP_PURPOSE = 'totp-seed';

/** Whether a member may get a sign-in link or code (the same rule for email and text). */
export function canSignIn(member: Member | undefined): member is Member {
  return !!member && !member.suspendedAt && (member.status === 'active' || member.status === 'pending');
}

/**
 * Ask for a sign-in link. Always answers the same way and does the same work, whether or not the
 * address belongs to a member (issue 7 item 9): one lookup, one token made, and one email queued,
 * either the link or, for an address that cannot sign in, a note saying so with a link to join
 * (at most one such note a day per address). Nothing in the response or its timing tells them apart.
 */
export async function requestSignInLink(db: Db, tenant: Tenant, email: string, baseUrl: string, locale: Locale): Promise<void> {
  await db.transaction(async (tx) => {
    const found = await findMemberByEmail(tx, tenant.id, email);
    if (canSignIn(found)) {
      const token = await issueToken(tx, { tenantId: tenant.id, memberId: found.id, purpose: 'sign_in' });
      const memberLocale = found.preferredLocale === 'pl' ? 'pl' : 'en';
      const t = translator(memberLocale);
      await enqueueEmail(tx, {
        tenantId: tenant.id,
        to: email,
        subject: t('mail.signin.subject', { tenant: tenant.name }),
        // No name: it was typed by whoever joined with this address, perhaps not its owner.
        text: t('mail.signin.body', { url: mailLink(baseUrl, '/sign-in/link', memberLocale, token) }),
        template: 'sign_in',
        locale: memberLocale,
      });
      return;
    }
    // The same cost as issuing a token, without one that anybody could use.
    sha256Hex(randomToken(32));
    const t = translator(locale);
    await enqueueEmail(tx, {
      tenantId: tenant.id,
      to: email,
      subject: t('mail.signinUnknown.subject', { tenant: tenant.name }),
      text: t('mail.signinUnknown.body', { tenant: tenant.name, url: mailLink(baseUrl, '/join', locale) }),
      template: 'sign_in_unknown',
      locale,
      dedupeKey: `signin-unknown:${sha256Hex(email)}:${new Date().toISOString().slice(0, 10)}`,
    });
  });
}

export type SignInResult =
  | { kind: 'session'; token: string; member: Member }
  | { kind: 'second_factor'; pendingToken: string; enrol: boolean; member: Member };

/** Start a session for a member, or (staff) hand over to the second-factor step with no session yet. */
export async function finishFirstFactor(db: Executor, tenant: Tenant, member: Member): Promise<SignInResult> {
  const roles = await rolesOf(db, tenant.id, member.id);
  if (roles.some(isStaffRole)) {
    const pendingToken = await issueToken(db, { tenantId: tenant.id, memberId: member.id, purpose: 'second_factor' });
    const [factor] = await db.select().from(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, member.id)));
    return { kind: 'second_factor', pendingToken, enrol: !factor?.confirmedAt, member };
  }
  const { token } = await createSession(db, { tenantId: tenant.id, memberId: member.id, staff: false, secondFactor: false });
  await appendAudit(db, { tenantId: tenant.id, actor: member.id, action: 'session.start', entity: 'member', entityId: member.id });
  return { kind: 'session', token, member };
}

/** Use an emailed sign-in link (by POST: a mail scanner's GET never reaches this). */
export async function consumeSignInLink(db: Db, tenant: Tenant, token: string): Promise<SignInResult> {
  return db.transaction(async (tx) => {
    const used = await consumeToken(tx, tenant.id, token, 'sign_in');
    if (!used) throw new AppError('bad_request', 'This sign-in link has expired or was already used. Ask for a new one.', [{ field: 'token', message: 'signin.error.link' }]);
    const member = await findMemberById(tx, tenant.id, used.memberId);
    if (!member || member.suspendedAt || (member.status !== 'active' && member.status !== 'pending')) {
      throw new AppError('bad_request', 'This sign-in link can no longer be used.', [{ field: 'token', message: 'signin.error.link' }]);
    }
    // Following an emailed link proves the address.
    if (!member.emailVerifiedAt) await tx.update(members).set({ emailVerifiedAt: sql`now()` }).where(and(eq(members.tenantId, tenant.id), eq(members.id, member.id)));
    return finishFirstFactor(tx, tenant, member);
  });
}

/** Confirm the email address given at joining: the membership becomes active and the member is signed in. */
export async function confirmEmail(db: Db, tenant: Tenant, token: string): Promise<SignInResult> {
  return db.transaction(async (tx) => {
    const used = await consumeToken(tx, tenant.id, token, 'confirm_email');
    if (!used) throw new AppError('bad_request', 'This confirmation link has expired or was already used.', [{ field: 'token', message: 'join.error.confirmLink' }]);
    const member = await findMemberById(tx, tenant.id, used.memberId);
    if (!member || member.status === 'erased' || member.status === 'left') throw new AppError('bad_request', 'This confirmation link can no longer be used.');
    await tx.update(members).set({ emailVerifiedAt: sql`now()`, status: 'active', updatedAt: sql`now()` }).where(and(eq(members.tenantId, tenant.id), eq(members.id, member.id)));
    if (member.status !== 'active') {
      await recordStatus(tx, { tenantId: tenant.id, memberId: member.id }, 'active', member.id, 'email confirmed');
      await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'member.status', entity: 'member', entityId: member.id, data: { from: member.status, to: 'active' } });
    }
    return finishFirstFactor(tx, tenant, { ...member, status: 'active' });
  });
}

/** The TOTP enrolment secret for a staff member on their first staff sign-in (created once, unconfirmed). */
export async function totpEnrolment(db: Db, tenant: Tenant, secretKey: string, memberId: string): Promise<{ secret: string; uri: string }> {
  const member = await findMemberById(db, tenant.id, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.');
  const [existing] = await db.select().from(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, memberId)));
  if (existing?.confirmedAt) throw new AppError('conflict', 'A second factor is already set up.');
  let secret: string;
  if (existing) secret = open(secretKey, TOTP_PURPOSE, existing.secretEnc);
  else {
    secret = generateTotpSecret();
    await db.insert(totpFactors).values({ tenantId: tenant.id, memberId, secretEnc: seal(secretKey, TOTP_PURPOSE, secret) }).onConflictDoNothing();
  }
  return { secret, uri: otpauthUri({ issuer: tenant.name, account: `member ${member.memberNumber}`, secret }) };
}

/**
 * The second step for staff: a valid code (never one used before) turns the pending sign-in into a
 * session marked with its second factor; the pending token is single-use.
 */
export async function completeSecondFactor(db: Db, tenant: Tenant, secretKey: string, pendingToken: string, code: string): Promise<{ token: string; member: Member }> {
  return db.transaction(async (tx) => {
    const pending = await consumeToken(tx, tenant.id, pendingToken, 'second_factor');
    if (!pending) throw new AppError('bad_request', 'Your sign-in took too long. Start again from a new email link.');
    const [factor] = await tx.select().from(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, pending.memberId))).for('update');
    if (!factor) throw new AppError('bad_request', 'Set up your authenticator app first.');
    const result = verifyTotp(open(secretKey, TOTP_PURPOSE, factor.secretEnc), code.replace(/\s/g, ''), Date.now(), { window: 1, lastUsedStep: factor.lastUsedStep ?? undefined });
    if (!result.ok) throw new AppError('validation_failed', 'That code is not right. Check the time on your phone and try the newest code.', [{ field: 'code', message: 'signin.error.code' }]);
    await tx
      .update(totpFactors)
      .set({ lastUsedStep: result.step, confirmedAt: factor.confirmedAt ?? new Date() })
      .where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, pending.memberId)));
    const member = await findMemberById(tx, tenant.id, pending.memberId);
    if (!member) throw new AppError('bad_request', 'Start again from a new email link.');
    const { token } = await createSession(tx, { tenantId: tenant.id, memberId: member.id, staff: true, secondFactor: true });
    await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'session.start', entity: 'member', entityId: member.id, data: { secondFactor: 'totp' } });
    return { token, member };
  });
}
