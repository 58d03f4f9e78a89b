import { isoDate } from '../../lib/dates.ts';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { AppError } from '../../server/errors.ts';
import { translator, type Locale } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { findMemberByEmail } from './queries.ts';
import { members, type Member } from './schema.ts';
import { insertMember, PRIVACY_NOTICE_VERSION, recordStatus, wardIdForCode } from './service.ts';
import { rateLimit } from './rate-limit.ts';
import { issueToken } from './tokens.ts';

/** A link in an email: always built from the tenant's base URL, in the reader's language. */
export function mailLink(baseUrl: string, path: string, locale: Locale, token?: string): string {
  const query = new URLSearchParams();
  if (token) query.set('token', token);
  query.set('lang', locale);
  return `${baseUrl}${path}?${query.toString()}`;
}

function localeOf(member: Pick<Member, 'preferredLocale'>): Locale {
  return member.preferredLocale === 'pl' ? 'pl' : 'en';
}

/**
 * Queue the "confirm your email" message. It greets nobody by name: the name was typed by whoever
 * filled in the form, and this is the first email the address gets (issue 7 item 10).
 */
export async function sendConfirmEmail(tx: Executor, tenant: Tenant, member: Member, baseUrl: string): Promise<void> {
  if (!member.email) return;
  const token = await issueToken(tx, { tenantId: tenant.id, memberId: member.id, purpose: 'confirm_email' });
  const locale = localeOf(member);
  const t = translator(locale);
  await enqueueEmail(tx, {
    tenantId: tenant.id,
    to: member.email,
    subject: t('mail.confirm.subject', { tenant: tenant.name }),
    text: t('mail.confirm.body', { tenant: tenant.name, url: mailLink(baseUrl, '/join/confirm', locale, token), number: member.memberNumber }),
    template: 'confirm_email',
    locale,
    dedupeKey: `confirm:${member.id}:${token.slice(0, 8)}`,
  });
}

/** "You already have a membership: sign in here" (no name, no token; at most one a day per member). */
async function sendAlreadyMemberEmail(tx: Executor, tenant: Tenant, member: Member, baseUrl: string, locale: Locale): Promise<void> {
  if (!member.email) return;
  const t = translator(locale);
  await enqueueEmail(tx, {
    tenantId: tenant.id,
    to: member.email,
    subject: t('mail.already.subject', { tenant: tenant.name }),
    text: t('mail.already.body', { tenant: tenant.name, url: mailLink(baseUrl, '/sign-in', locale), resend: mailLink(baseUrl, '/join/resend', locale) }),
    template: 'already_member',
    locale,
    dedupeKey: `already:${member.id}:${isoDate()}`,
  });
}

async function findMemberByPhone(tx: Executor, tenantId: string, phone: string): Promise<Member | undefined> {
  const rows = await tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.phone, phone), ne(members.status, 'erased')))
    .orderBy(asc(members.memberNumber))
    .limit(1);
  return rows[0];
}

export interface JoinInput {
  name: string;
  email: string | undefined;
  phone: string | undefined;
  ward: string;
  relationship: Member['relationship'];
  childrenUnder5: number | undefined;
  preferredLocale: Locale;
  joinKey: string | undefined;
}

/** What happened, for tests and logs only: callers must answer every outcome the same way. */
export type JoinOutcome = 'joined' | 'rejoined' | 'already_member' | 'replay';

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Join the mutual. The answer never says whether the address already belongs to a member
 * (issue 7 item 9):
 * - a new address: a pending member with a number and a confirmation email;
 * - a member who left or lapsed: the same record becomes pending again with the new details, a
 *   status-history row, an audit row and a new confirmation (erased members are blank rows, so their
 *   address is new);
 * - a current member: nothing changes, and the address gets a "you already have a membership" email.
 * Members are matched by email when one is given, otherwise by phone. A retried request with the
 * same join key returns the first outcome and never makes two members.
 */
export async function join(db: Db, tenant: Tenant, wardSetId: string, input: JoinInput, baseUrl: string): Promise<JoinOutcome> {
  if (!input.email && !input.phone) {
    throw new AppError('validation_failed', 'Give an email address or a mobile number.', [{ field: 'email', message: 'join.error.contact' }]);
  }
  const attempt = () =>
    db.transaction(async (tx): Promise<JoinOutcome> => {
      if (input.joinKey) {
        const [previous] = await tx.select({ id: members.id }).from(members).where(and(eq(members.tenantId, tenant.id), eq(members.joinKey, input.joinKey))).limit(1);
        if (previous) return 'replay';
      }
      // The ward is checked first, so its error cannot depend on who is a member.
      const wardId = await wardIdForCode(tx, tenant.id, wardSetId, input.ward);
      const existing = input.email ? await findMemberByEmail(tx, tenant.id, input.email) : input.phone ? await findMemberByPhone(tx, tenant.id, input.phone) : undefined;
      if (existing && (existing.status === 'left' || existing.status === 'lapsed')) {
        const [member] = await tx
          .update(members)
          .set({
            name: input.name,
            email: input.email ?? existing.email,
            phone: input.phone ?? existing.phone,
            wardId,
            relationship: input.relationship,
            childrenUnder5: input.childrenUnder5 ?? null,
            preferredLocale: input.preferredLocale,
            consentVersion: PRIVACY_NOTICE_VERSION,
            consentedAt: new Date(),
            status: 'pending',
            joinKey: input.joinKey ?? null,
            updatedAt: sql`now()`,
          })
          .where(and(eq(members.tenantId, tenant.id), eq(members.id, existing.id)))
          .returning();
        if (!member) throw new Error('rejoin update returned nothing');
        await recordStatus(tx, { tenantId: tenant.id, memberId: member.id }, 'pending', 'self', 'joined again');
        await appendAudit(tx, { tenantId: tenant.id, actor: 'self', action: 'member.rejoin', entity: 'member', entityId: member.id, data: { from: existing.status, to: 'pending' } });
        await sendConfirmEmail(tx, tenant, member, baseUrl);
        return 'rejoined';
      }
      if (existing) {
        // Matched by email: tell that address. Matched by phone only: the "sign in with a code
        // texted to you" that the joiner is shown works for an existing member too, so no text is sent.
        if (input.email) await sendAlreadyMemberEmail(tx, tenant, existing, baseUrl, input.preferredLocale);
        return 'already_member';
      }
      const member = await insertMember(tx, tenant.id, { ...input, wardId, consentVersion: PRIVACY_NOTICE_VERSION, status: 'pending' }, 'self');
      await sendConfirmEmail(tx, tenant, member, baseUrl);
      return 'joined';
    });
  try {
    return await attempt();
  } catch (err) {
    // Two joins with one new address at the same moment: the second now finds the first.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}

/**
 * "Send me a new confirmation link" (the expired-link page and /me): a pending member gets a new
 * link, a current member the "you already have a membership" email, anyone else nothing. The
 * caller answers the same way whatever happened.
 */
export async function resendConfirmation(db: Db, tenant: Tenant, email: string, baseUrl: string): Promise<'sent' | 'already_member' | 'nothing'> {
  return db.transaction(async (tx) => {
    const member = await findMemberByEmail(tx, tenant.id, email);
    if (!member || member.suspendedAt) return 'nothing';
    if (member.status === 'pending') {
      await sendConfirmEmail(tx, tenant, member, baseUrl);
      return 'sent';
    }
    if (member.status === 'active') {
      await sendAlreadyMemberEmail(tx, tenant, member, baseUrl, localeOf(member));
      return 'already_member';
    }
    return 'nothing';
  });
}

/** Join limits shared by the form and the API: per client address, and per address being joined (email or phone). */
export const JOIN_LIMITS = { perClient: { limit: 30, windowSeconds: 600 }, perTarget: { limit: 5, windowSeconds: 3600 } } as const;

export async function limitJoin(db: Executor, tenantId: string, client: string, target: string | undefined): Promise<void> {
  await rateLimit(db, `join:ip:${tenantId}:${client}`, JOIN_LIMITS.perClient.limit, JOIN_LIMITS.perClient.windowSeconds);
  if (target) await rateLimit(db, `join:to:${tenantId}:${target}`, JOIN_LIMITS.perTarget.limit, JOIN_LIMITS.perTarget.windowSeconds);
}
