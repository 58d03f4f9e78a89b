/**
 * Staff edits of a member (issue 7, items 1 and 13): a coordinator's edit of someone's details,
 * erasure on the member's request, and the pending change of an email address or phone number
 * that anyone other than the member asks for (this page or a CSV import).
 *
 * A contact detail is how a member signs in, so nobody else may set it directly: a new email
 * address takes effect only when confirmed by a link sent to it, and — when the member already has
 * a verified address — only after the member, signed in, has accepted it. A new phone number takes
 * effect when the member accepts it, signed in.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { normaliseEmail, normalisePhone } from '../../lib/contact.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { translator, type MessageKey } from '../../ui/i18n/index.ts';
import { LOCALES } from '../../ui/i18n/locales.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { eraseIn, vacuumAfterErasure } from './data-rights.ts';
import { canEditMember, canEraseMember, type Actor } from './policy.ts';
import { findMemberById, rolesOf } from './queries.ts';
import { members, memberTokens, RELATIONSHIPS, type Member } from './schema.ts';
import { wardIdForCode } from './service.ts';
import { consumeToken, issueToken } from './tokens.ts';

/** Where links in emails point, and whose name they carry. */
export interface Notify {
  tenant: Tenant;
  baseUrl: string;
}

/** The parts of a member the pending-change rules read. */
export type ContactHolder = Pick<Member, 'id' | 'tenantId' | 'memberNumber' | 'email' | 'emailVerifiedAt' | 'phone' | 'preferredLocale' | 'pendingEmail' | 'pendingPhone'>;

function tFor(member: Pick<Member, 'preferredLocale'>) {
  return translator(member.preferredLocale === 'pl' ? 'pl' : 'en');
}

/**
 * Tell a member, at their current address and in their language, that a change of their contact
 * details was asked for (tenant, member number and a link to /me are in every such message).
 */
async function tellMember(tx: Executor, notify: Notify, member: ContactHolder, template: string, subjectKey: MessageKey, textKey: MessageKey, params: Record<string, string>): Promise<void> {
  if (!member.email) return;
  const t = tFor(member);
  await enqueueEmail(tx, {
    tenantId: member.tenantId,
    to: member.email,
    subject: t(subjectKey, { tenant: notify.tenant.name }),
    text: t(textKey, { tenant: notify.tenant.name, number: member.memberNumber, url: `${notify.baseUrl}/me`, ...params }),
    template,
    locale: member.preferredLocale,
  });
}

/** "a***@example.org": enough for the owner to recognise, not a full address in someone else's mailbox. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email.charAt(0)}***${email.slice(at)}`;
}

/** Another (not erased) member already uses this email address. */
async function emailTaken(tx: Executor, tenantId: string, email: string, memberId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.email, email), ne(members.id, memberId)))
    .limit(1);
  return rows.length > 0;
}

async function sendChangeLink(tx: Executor, notify: Notify, member: ContactHolder, to: string): Promise<void> {
  // A link issued for an earlier request must not confirm this one.
  await tx.delete(memberTokens).where(and(eq(memberTokens.tenantId, member.tenantId), eq(memberTokens.memberId, member.id), eq(memberTokens.purpose, 'confirm_email_change'), isNull(memberTokens.usedAt)));
  const token = await issueToken(tx, { tenantId: member.tenantId, memberId: member.id, purpose: 'confirm_email_change' });
  const t = tFor(member);
  await enqueueEmail(tx, {
    tenantId: member.tenantId,
    to,
    subject: t('mail.emailChange.confirm.subject', { tenant: notify.tenant.name }),
    text: t('mail.emailChange.confirm.body', { tenant: notify.tenant.name, number: member.memberNumber, url: `${notify.baseUrl}/email-change/confirm?token=${encodeURIComponent(token)}` }),
    template: 'email_change_confirm',
    locale: member.preferredLocale,
  });
}

/**
 * Ask for a member's email address to become `email` (in the caller's transaction). Nothing
 * changes now: a member with a verified address must accept it on their page first; otherwise
 * the link to the new address is sent at once. The current address, if any, is told.
 * Returns false when there was nothing to ask (same address, or already asked for).
 */
export async function requestEmailChange(tx: Executor, notify: Notify, member: ContactHolder, email: string, actor: string, via: 'import' | 'staff'): Promise<boolean> {
  if (email === member.email || email === member.pendingEmail) return false;
  if (await emailTaken(tx, member.tenantId, email, member.id)) {
    throw new AppError('conflict', 'Another member already uses this email address.', [{ field: 'email', message: 'contactChange.error.emailTaken' }]);
  }
  const needsAcceptance = !!member.email && !!member.emailVerifiedAt;
  await tx
    .update(members)
    .set({ pendingEmail: email, pendingEmailRequestedAt: sql`now()`, pendingEmailAcceptedAt: needsAcceptance ? null : sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(members.tenantId, member.tenantId), eq(members.id, member.id)));
  if (needsAcceptance) {
    await tx.delete(memberTokens).where(and(eq(memberTokens.tenantId, member.tenantId), eq(memberTokens.memberId, member.id), eq(memberTokens.purpose, 'confirm_email_change'), isNull(memberTokens.usedAt)));
  } else {
    await sendChangeLink(tx, notify, member, email);
  }
  await tellMember(tx, notify, member, 'email_change_requested', 'mail.emailChange.requested.subject', needsAcceptance ? 'mail.emailChange.requested.accept' : 'mail.emailChange.requested.sent', { masked: maskEmail(email) });
  await appendAudit(tx, { tenantId: member.tenantId, actor, action: 'member.email_change.request', entity: 'member', entityId: member.id, data: { via, needsAcceptance } });
  return true;
}

/** Ask for a member's phone number to become `phone`; it changes when the member accepts it on their page. */
export async function requestPhoneChange(tx: Executor, notify: Notify, member: ContactHolder, phone: string, actor: string, via: 'import' | 'staff'): Promise<boolean> {
  if (phone === member.phone || phone === member.pendingPhone) return false;
  await tx
    .update(members)
    .set({ pendingPhone: phone, pendingPhoneRequestedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(members.tenantId, member.tenantId), eq(members.id, member.id)));
  await tellMember(tx, notify, member, 'phone_change_requested', 'mail.phoneChange.requested.subject', 'mail.phoneChange.requested.body', { last: phone.slice(-3) });
  await appendAudit(tx, { tenantId: member.tenantId, actor, action: 'member.phone_change.request', entity: 'member', entityId: member.id, data: { via } });
  return true;
}

// ---------------------------------------------------------------------------------------------
// The member's side: accept or decline on /me, confirm from the new address.
// ---------------------------------------------------------------------------------------------

async function signedInMember(tx: Executor, actor: Actor): Promise<Member> {
  const member = await findMemberById(tx, actor.tenantId, actor.memberId);
  if (!member || member.status === 'erased') throw new AppError('unauthenticated', 'Please sign in.');
  return member;
}

/** The member accepts the new email address (or asks for the link again): a link goes to the new address. */
export async function acceptEmailChange(db: Db, notify: Notify, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const member = await signedInMember(tx, actor);
    if (!member.pendingEmail) throw new AppError('not_found', 'There is no change of email address waiting.', [], 'error.pending.email');
    if (await emailTaken(tx, member.tenantId, member.pendingEmail, member.id)) {
      throw new AppError('conflict', 'Another member already uses this email address.', [{ field: 'email', message: 'contactChange.error.emailTaken' }]);
    }
    await tx.update(members).set({ pendingEmailAcceptedAt: sql`now()` }).where(and(eq(members.tenantId, member.tenantId), eq(members.id, member.id)));
    await sendChangeLink(tx, notify, member, member.pendingEmail);
    await appendAudit(tx, { tenantId: member.tenantId, actor: member.id, action: 'member.email_change.accept', entity: 'member', entityId: member.id });
  });
}

/** The member accepts the new phone number: it is theirs at once. */
export async function acceptPhoneChange(db: Db, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const member = await signedInMember(tx, actor);
    if (!member.pendingPhone) throw new AppError('not_found', 'There is no change of phone number waiting.', [], 'error.pending.phone');
    await tx
      .update(members)
      .set({ phone: member.pendingPhone, pendingPhone: null, pendingPhoneRequestedAt: null, updatedAt: sql`now()` })
      .where(and(eq(members.tenantId, member.tenantId), eq(members.id, member.id)));
    await appendAudit(tx, { tenantId: member.tenantId, actor: member.id, action: 'member.phone_change.accept', entity: 'member', entityId: member.id });
  });
}

/** The member declines a waiting change; links already sent stop working. */
export async function declineContactChange(db: Db, actor: Actor, field: 'email' | 'phone'): Promise<void> {
  await db.transaction(async (tx) => {
    const member = await signedInMember(tx, actor);
    if (field === 'email' ? !member.pendingEmail : !member.pendingPhone) throw new AppError('not_found', 'There is no change waiting.', [], 'error.pending.none');
    const set = field === 'email' ? { pendingEmail: null, pendingEmailRequestedAt: null, pendingEmailAcceptedAt: null } : { pendingPhone: null, pendingPhoneRequestedAt: null };
    await tx.update(members).set(set).where(and(eq(members.tenantId, member.tenantId), eq(members.id, member.id)));
    if (field === 'email') {
      await tx.delete(memberTokens).where(and(eq(memberTokens.tenantId, member.tenantId), eq(memberTokens.memberId, member.id), eq(memberTokens.purpose, 'confirm_email_change'), isNull(memberTokens.usedAt)));
    }
    await appendAudit(tx, { tenantId: member.tenantId, actor: member.id, action: `member.${field}_change.decline`, entity: 'member', entityId: member.id });
  });
}

/**
 * Use the link sent to the new address: the change was asked for and (where needed) accepted
 * before the link was issued, so following it makes the new address the member's, verified.
 * Nobody is signed in by it.
 */
export async function confirmEmailChange(db: Db, tenant: Tenant, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    const used = await consumeToken(tx, tenant.id, token, 'confirm_email_change');
    const invalid = () => new AppError('bad_request', 'This link has expired, was already used, or the change was withdrawn.', [{ field: 'token', message: 'contactChange.confirm.invalid' }]);
    if (!used) throw invalid();
    const member = await findMemberById(tx, tenant.id, used.memberId);
    if (!member || member.status === 'erased' || !member.pendingEmail || !member.pendingEmailAcceptedAt) throw invalid();
    if (await emailTaken(tx, tenant.id, member.pendingEmail, member.id)) {
      throw new AppError('conflict', 'Another member already uses this email address.', [{ field: 'token', message: 'contactChange.error.emailTaken' }]);
    }
    await tx
      .update(members)
      .set({ email: member.pendingEmail, emailVerifiedAt: sql`now()`, pendingEmail: null, pendingEmailRequestedAt: null, pendingEmailAcceptedAt: null, updatedAt: sql`now()` })
      .where(and(eq(members.tenantId, tenant.id), eq(members.id, member.id)));
    await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'member.email_change.confirm', entity: 'member', entityId: member.id });
  });
}

// ---------------------------------------------------------------------------------------------
// The coordinator's side: edit details, erase on request.
// ---------------------------------------------------------------------------------------------

/** The coordinator's edit form. Blank email or phone = keep what is stored (a new one goes through the pending flow). */
export const MemberEdit = z.object({
  name: z.string('join.error.name').trim().min(1, 'join.error.name').max(100, 'join.error.nameLong'),
  ward: z.string('join.error.ward').trim().min(1, 'join.error.ward').max(40, 'join.error.ward'),
  relationship: z.enum(RELATIONSHIPS, 'join.error.relationship'),
  childrenUnder5: z
    .union([z.literal(''), z.coerce.number('join.error.children').int('join.error.children').min(0, 'join.error.children').max(20, 'join.error.children')], 'join.error.children')
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
  preferredLocale: z.enum(LOCALES, 'memberAdmin.error.language'),
  email: z.string().trim().max(254, 'join.error.email').optional(),
  phone: z.string().trim().max(40, 'join.error.phone').optional(),
});
export type MemberEdit = z.output<typeof MemberEdit>;

/** Fields the edit compares, as named in audit rows (never their values). */
const EDITED = ['name', 'ward', 'relationship', 'childrenUnder5', 'preferredLocale'] as const;

export interface EditResult {
  changed: Array<(typeof EDITED)[number]>;
  pending: Array<'email' | 'phone'>;
}

async function targetOf(tx: Executor, actor: Actor, memberId: string) {
  const member = await findMemberById(tx, actor.tenantId, memberId);
  if (!member || member.status === 'erased') throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  return { member, roles: await rolesOf(tx, actor.tenantId, memberId) };
}

/**
 * A coordinator (or admin) edits a member's details; staff records only by an admin. Changed
 * fields are audited by name; a new email or phone becomes a pending change for the member.
 */
export async function editMember(db: Db, actor: Actor, notify: Notify, wardSetId: string, memberId: string, input: MemberEdit): Promise<EditResult> {
  const issues: FieldIssue[] = [];
  let email: string | undefined;
  if (input.email) {
    const r = normaliseEmail(input.email);
    if (r.ok) email = r.value;
    else issues.push({ field: 'email', message: 'join.error.email' });
  }
  let phone: string | undefined;
  if (input.phone) {
    const r = normalisePhone(input.phone);
    if (r.ok) phone = r.value;
    else issues.push({ field: 'phone', message: 'join.error.phone' });
  }
  return db.transaction(async (tx) => {
    const { member, roles } = await targetOf(tx, actor, memberId);
    if (!canEditMember(actor, roles)) throw new AppError('forbidden', 'Staff records are changed by an admin.', [{ field: 'name', message: 'memberAdmin.error.staff' }]);
    if (issues.length) throw new AppError('validation_failed', 'Check the highlighted fields.', issues);
    const wardId = await wardIdForCode(tx, actor.tenantId, wardSetId, input.ward);
    const after = { name: input.name, ward: wardId, relationship: input.relationship, childrenUnder5: input.childrenUnder5, preferredLocale: input.preferredLocale };
    const before = { name: member.name, ward: member.wardId, relationship: member.relationship, childrenUnder5: member.childrenUnder5, preferredLocale: member.preferredLocale };
    const changed = EDITED.filter((f) => after[f] !== before[f]);
    if (changed.length) {
      await tx
        .update(members)
        .set({ name: after.name, wardId, relationship: after.relationship, childrenUnder5: after.childrenUnder5, preferredLocale: after.preferredLocale, updatedAt: sql`now()` })
        .where(and(eq(members.tenantId, actor.tenantId), eq(members.id, memberId)));
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'member.staff_update', entity: 'member', entityId: memberId, data: { fields: changed } });
    }
    const pending: EditResult['pending'] = [];
    if (email && (await requestEmailChange(tx, notify, member, email, actor.memberId, 'staff'))) pending.push('email');
    if (phone && (await requestPhoneChange(tx, notify, member, phone, actor.memberId, 'staff'))) pending.push('phone');
    return { changed, pending };
  });
}

/**
 * Erase a member who asked for it, after the coordinator typed the member number to confirm.
 * Staff records need an admin; nobody erases themselves from here.
 */
export async function eraseOnRequest(db: Db, actor: Actor, memberId: string, typedNumber: string): Promise<void> {
  const changed = await db.transaction(async (tx) => {
    const { member, roles } = await targetOf(tx, actor, memberId);
    if (!canEraseMember(actor, { memberId, roles })) throw new AppError('forbidden', 'Staff records are erased by an admin.', [{ field: 'confirmNumber', message: 'memberAdmin.error.staffErase' }]);
    if (typedNumber.trim() !== String(member.memberNumber)) {
      throw new AppError('validation_failed', 'Type the member number to confirm.', [{ field: 'confirmNumber', message: 'memberAdmin.error.number' }]);
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'member.erase.on_request', entity: 'member', entityId: memberId, data: { memberNumber: member.memberNumber } });
    return eraseIn(tx, actor.tenantId, memberId, actor.memberId);
  });
  if (changed) await vacuumAfterErasure(db, changed);
}
