import { isoDate } from '../../lib/dates.ts';
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
import { issueRecoveryCodes, useRecoveryCode } from './recovery-codes.ts';
import { members, memberTokens, totpFactors, type Member } from './schema.ts';
import { mailLink } from './join-service.ts';
import { recordStatus } from './service.ts';
import { createSession } from './sessions.ts';
import { consumeToken, issueToken, lockLiveToken, peekToken } from './tokens.ts';

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
      dedupeKey: `signin-unknown:${sha256Hex(email)}:${isoDate()}`,
    });
  });
}

export type SignInResult =
  | { kind: 'session'; token: string; member: Member }
  | { kind: 'second_factor'; pendingToken: string; enrol: boolean; member: Member };

/** Wrong second-factor codes: per pending sign-in (then it is burnt) and per member in a window (then paused, never locked for good). */
export const SECOND_FACTOR_LIMITS = { perPendingSignIn: 5, perMember: 10, memberWindowMs: 15 * 60_000 } as const;

/**
 * Start a session for a member, or (staff) hand over to the second-factor step with no session yet.
 * mayEnrol: this sign-in proved an address verified beforehand, or came by staff invitation, so a
 * staff member without TOTP may set it up now (issue 7, item 1).
 */
export async function finishFirstFactor(db: Executor, tenant: Tenant, member: Member, opts: { mayEnrol: boolean }): Promise<SignInResult> {
  const roles = await rolesOf(db, tenant.id, member.id);
  if (roles.some(isStaffRole)) {
    const pendingToken = await issueToken(db, { tenantId: tenant.id, memberId: member.id, purpose: 'second_factor', mayEnrol: opts.mayEnrol });
    const [factor] = await db.select().from(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, member.id)));
    return { kind: 'second_factor', pendingToken, enrol: !factor?.confirmedAt && opts.mayEnrol, member };
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
    const staff = (await rolesOf(tx, tenant.id, member.id)).some(isStaffRole);
    const verifiedBefore = !!member.emailVerifiedAt && new Date(member.emailVerifiedAt).getTime() < new Date(used.createdAt).getTime();
    // Following an emailed link proves a member's address. Not a staff member's: an address someone
    // else changed must never lead to TOTP enrolment; staff prove theirs by invitation.
    if (!member.emailVerifiedAt && !staff) await tx.update(members).set({ emailVerifiedAt: sql`now()` }).where(and(eq(members.tenantId, tenant.id), eq(members.id, member.id)));
    return finishFirstFactor(tx, tenant, member, { mayEnrol: verifiedBefore });
  });
}

/** Confirm the email address given at joining: the membership becomes active and the member is signed in. */
export async function confirmEmail(db: Db, tenant: Tenant, token: string): Promise<SignInResult> {
  return db.transaction(async (tx) => {
    const used = await consumeToken(tx, tenant.id, token, 'confirm_email');
    if (!used) throw new AppError('bad_request', 'This confirmation link has expired or was already used.', [{ field: 'token', message: 'join.error.confirmLink' }]);
    const member = await findMemberById(tx, tenant.id, used.memberId);
    if (!member || member.status === 'erased' || member.status === 'left') throw new AppError('bad_request', 'This confirmation link can no longer be used.', [], 'error.confirmLink.unusable');
    await tx.update(members).set({ emailVerifiedAt: sql`now()`, status: 'active', updatedAt: sql`now()` }).where(and(eq(members.tenantId, tenant.id), eq(members.id, member.id)));
    if (member.status !== 'active') {
      await recordStatus(tx, { tenantId: tenant.id, memberId: member.id }, 'active', member.id, 'email confirmed');
      await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'member.status', entity: 'member', entityId: member.id, data: { from: member.status, to: 'active' } });
    }
    // The address is proved by this very link, not beforehand: no TOTP enrolment from here.
    return finishFirstFactor(tx, tenant, { ...member, status: 'active' }, { mayEnrol: false });
  });
}

/** Where a pending second-factor step stands, for its page. */
export interface SecondFactorState {
  memberId: string;
  /** TOTP is set up and confirmed: ask for a code (or a recovery code). */
  confirmed: boolean;
  /** Not set up, and this sign-in may set it up. */
  enrol: boolean;
  /** Too many wrong codes for this member lately: the step refuses until then. */
  pausedUntil: Date | undefined;
}

function pausedUntil(factor: { failedCount: number; failedSince: Date | string | null } | undefined, now: number): Date | undefined {
  if (!factor?.failedSince || factor.failedCount < SECOND_FACTOR_LIMITS.perMember) return undefined;
  const until = new Date(factor.failedSince).getTime() + SECOND_FACTOR_LIMITS.memberWindowMs;
  return until > now ? new Date(until) : undefined;
}

export async function secondFactorState(db: Executor, tenantId: string, pendingToken: string, now: number): Promise<SecondFactorState | undefined> {
  const row = await peekToken(db, tenantId, pendingToken, 'second_factor');
  if (!row) return undefined;
  const [factor] = await db.select().from(totpFactors).where(and(eq(totpFactors.tenantId, tenantId), eq(totpFactors.memberId, row.memberId)));
  const confirmed = !!factor?.confirmedAt;
  return { memberId: row.memberId, confirmed, enrol: !confirmed && row.mayEnrol, pausedUntil: pausedUntil(factor, now) };
}

/** The TOTP enrolment secret for a staff member allowed to set it up (created once, unconfirmed). */
export async function totpEnrolment(db: Db, tenant: Tenant, secretKey: string, memberId: string): Promise<{ secret: string; uri: string }> {
  const member = await findMemberById(db, tenant.id, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  const [existing] = await db.select().from(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, memberId)));
  if (existing?.confirmedAt) throw new AppError('conflict', 'A second factor is already set up.', [], 'error.twofa.already');
  let secret: string;
  if (existing) secret = open(secretKey, TOTP_PURPOSE, existing.secretEnc);
  else {
    secret = generateTotpSecret();
    await db.insert(totpFactors).values({ tenantId: tenant.id, memberId, secretEnc: seal(secretKey, TOTP_PURPOSE, secret) }).onConflictDoNothing();
  }
  return { secret, uri: otpauthUri({ issuer: tenant.name.replace(/:/g, ' '), account: `member ${member.memberNumber}`, secret }) };
}

export interface SecondFactorDone {
  token: string;
  member: Member;
  /** Set when TOTP was confirmed for the first time: shown once, never stored in clear. */
  recoveryCodes: string[] | undefined;
}

type Outcome = { ok: true; done: SecondFactorDone } | { ok: false; error: AppError };

/**
 * The second step for staff: a valid TOTP code (never one used before) or an unused recovery code
 * turns the pending sign-in into a session marked with its second factor. Wrong codes are counted
 * and committed (the transaction does not roll back on them): 5 on one pending sign-in burn it,
 * 10 for one member in 15 minutes pause the step for that member.
 */
export async function completeSecondFactor(db: Db, tenant: Tenant, secretKey: string, pendingToken: string, code: string, now: number = Date.now()): Promise<SecondFactorDone> {
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const pending = await lockLiveToken(tx, tenant.id, pendingToken, 'second_factor');
    if (!pending) return { ok: false, error: new AppError('bad_request', 'Your sign-in step has expired or was stopped. Start again from a new email link.', [{ field: 'code', message: 'twofa.error.expired' }]) };
    const [factor] = await tx.select().from(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, pending.memberId))).for('update');
    if (!factor || (!factor.confirmedAt && !pending.mayEnrol)) {
      return { ok: false, error: new AppError('bad_request', 'Your authenticator app is not set up. Ask an admin to send you a staff invitation.', [{ field: 'code', message: 'twofa.error.notSetUp' }]) };
    }
    const paused = pausedUntil(factor, now);
    if (paused) return { ok: false, error: new AppError('rate_limited', 'Too many wrong codes have been tried for this account. The second step is paused for a few minutes.', [{ field: 'code', message: 'twofa.error.paused' }]) };

    const typed = code.replace(/\s/g, '');
    let step: number | undefined;
    let recoveryLeft: number | undefined;
    if (/^\d{6}$/.test(typed)) {
      const result = verifyTotp(open(secretKey, TOTP_PURPOSE, factor.secretEnc), typed, now, { window: 1, lastUsedStep: factor.lastUsedStep ?? undefined });
      if (result.ok) step = result.step;
    } else if (factor.confirmedAt) {
      recoveryLeft = await useRecoveryCode(tx, secretKey, tenant.id, pending.memberId, typed);
    }

    if (step === undefined && recoveryLeft === undefined) {
      const attempts = pending.attempts + 1;
      const burnt = attempts >= SECOND_FACTOR_LIMITS.perPendingSignIn;
      await tx.update(memberTokens).set({ attempts, usedAt: burnt ? new Date(now) : null }).where(eq(memberTokens.tokenHash, pending.tokenHash));
      const fresh = !factor.failedSince || now - new Date(factor.failedSince).getTime() >= SECOND_FACTOR_LIMITS.memberWindowMs;
      const failedCount = fresh ? 1 : factor.failedCount + 1;
      await tx
        .update(totpFactors)
        .set({ failedCount, failedSince: fresh ? new Date(now) : factor.failedSince })
        .where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, pending.memberId)));
      if (burnt || failedCount === SECOND_FACTOR_LIMITS.perMember) {
        await appendAudit(tx, { tenantId: tenant.id, actor: pending.memberId, action: burnt ? 'second_factor.sign_in_stopped' : 'second_factor.paused', entity: 'member', entityId: pending.memberId, data: { attempts, failedCount } });
      }
      if (burnt) return { ok: false, error: new AppError('bad_request', 'Too many wrong codes: this sign-in has been stopped. Start again from a new email link.', [{ field: 'code', message: 'twofa.error.burnt' }]) };
      return { ok: false, error: new AppError('validation_failed', 'That code is not right. Check the time on your phone and try the newest code.', [{ field: 'code', message: 'signin.error.code' }]) };
    }

    await tx.update(memberTokens).set({ usedAt: new Date(now) }).where(eq(memberTokens.tokenHash, pending.tokenHash));
    const firstConfirmation = !factor.confirmedAt;
    await tx
      .update(totpFactors)
      .set({ lastUsedStep: step ?? factor.lastUsedStep, confirmedAt: factor.confirmedAt ?? new Date(now), failedCount: 0, failedSince: null })
      .where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, pending.memberId)));
    const member = await findMemberById(tx, tenant.id, pending.memberId);
    if (!member || member.suspendedAt || (member.status !== 'active' && member.status !== 'pending')) {
      return { ok: false, error: new AppError('bad_request', 'This membership cannot sign in.', [{ field: 'code', message: 'twofa.error.expired' }]) };
    }
    const recoveryCodes = firstConfirmation ? await issueRecoveryCodes(tx, secretKey, tenant.id, member.id) : undefined;
    if (firstConfirmation) await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'second_factor.enrol', entity: 'member', entityId: member.id, data: { recoveryCodes: recoveryCodes?.length ?? 0 } });
    const { token } = await createSession(tx, { tenantId: tenant.id, memberId: member.id, staff: true, secondFactor: true });
    await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'session.start', entity: 'member', entityId: member.id, data: { secondFactor: recoveryLeft === undefined ? 'totp' : 'recovery_code' } });
    if (recoveryLeft !== undefined) {
      await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'second_factor.recovery_code', entity: 'member', entityId: member.id, data: { left: recoveryLeft } });
      await notifyRecoveryCodeUsed(tx, tenant, member, recoveryLeft);
    }
    return { ok: true, done: { token, member, recoveryCodes } };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.done;
}

/** Tell the member a recovery code was used, so a stranger's use does not go unnoticed. */
async function notifyRecoveryCodeUsed(tx: Executor, tenant: Tenant, member: Member, left: number): Promise<void> {
  if (!member.email) return;
  const t = translator(member.preferredLocale === 'pl' ? 'pl' : 'en');
  await enqueueEmail(tx, {
    tenantId: tenant.id,
    to: member.email,
    subject: t('mail.recovery.subject', { tenant: tenant.name }),
    text: t('mail.recovery.body', { tenant: tenant.name, left }),
    template: 'recovery_code_used',
    locale: member.preferredLocale,
  });
}
