import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { normaliseEmail } from '../../lib/contact.ts';
import { newId } from '../../lib/ids.ts';
import { AppError } from '../../server/errors.ts';
import { translator } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { finishFirstFactor, type SignInResult } from './auth.ts';
import { canApproveReset, canInviteStaff, canResetSecondFactor, isStaffRole, isUsableAdmin, resetNeedsSecondAdmin, STAFF_ROLES, type Actor } from './policy.ts';
import { findMemberByEmail, findMemberById, rolesOf } from './queries.ts';
import { unusedRecoveryCodes } from './recovery-codes.ts';
import { memberRoles, members, passkeys, recoveryCodes, secondFactorResets, totpFactors, type Member, type Role } from './schema.ts';
import { grantRoleIn, insertMember, PRIVACY_NOTICE_VERSION, recordStatus } from './service.ts';
import { revokeAllSessions } from './sessions.ts';
import { consumeToken, issueToken, spendTokens, TOKEN_TTL_MS } from './tokens.ts';

export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffInvitationInput {
  email: string;
  name: string;
  role: Role;
}

/** Check an invitation's fields; field messages are catalogue keys. */
export function checkInvitation(raw: { email: string; name: string; role: string }): StaffInvitationInput & { role: StaffRole } {
  const issues: Array<{ field: string; message: string }> = [];
  const email = normaliseEmail(raw.email);
  if (!email.ok) issues.push({ field: 'email', message: 'join.error.email' });
  const name = raw.name.trim();
  // Control characters (NUL above all) never reach the database.
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) issues.push({ field: 'name', message: 'join.error.name' });
  const role = (STAFF_ROLES as readonly string[]).includes(raw.role) ? (raw.role as StaffRole) : undefined;
  if (!role) issues.push({ field: 'role', message: 'staff.error.role' });
  if (issues.length || !email.ok || !role) throw new AppError('validation_failed', 'Check the invitation: an email address, a name and a staff role.', issues);
  return { email: email.value, name, role };
}

/**
 * Make (or find) the member, grant the staff role and queue a single-use invitation link (72 hours).
 * A new invitation replaces any earlier one. Returns the link, for the operator when the CLI asks.
 */
export async function inviteStaffIn(tx: Executor, tenant: Tenant, input: StaffInvitationInput, actor: string, baseUrl: string): Promise<{ member: Member; url: string; created: boolean }> {
  let member = await findMemberByEmail(tx, tenant.id, input.email);
  const created = !member;
  if (member && ((member.status !== 'active' && member.status !== 'pending') || member.suspendedAt)) {
    throw new AppError('conflict', 'This address belongs to a member whose membership is not active (lapsed, left or suspended). Sort that out first.', [{ field: 'email', message: 'staff.error.notActive' }]);
  }
  if (!member) {
    member = await insertMember(
      tx,
      tenant.id,
      { name: input.name, email: input.email, relationship: 'other', preferredLocale: tenant.defaultLocale === 'pl' ? 'pl' : 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'pending' },
      actor,
    );
  }
  await grantRoleIn(tx, tenant.id, member.id, input.role, actor);
  await spendTokens(tx, tenant.id, member.id, ['staff_invitation']);
  const token = await issueToken(tx, { tenantId: tenant.id, memberId: member.id, purpose: 'staff_invitation' });
  const url = `${baseUrl}/staff/invitation?token=${encodeURIComponent(token)}`;
  const t = translator(member.preferredLocale === 'pl' ? 'pl' : 'en');
  await enqueueEmail(tx, {
    tenantId: tenant.id,
    to: input.email,
    subject: t('mail.invite.subject', { tenant: tenant.name }),
    text: t('mail.invite.body', { tenant: tenant.name, role: t(`role.${input.role}`), url, hours: TOKEN_TTL_MS.staff_invitation / 3_600_000 }),
    template: 'staff_invitation',
    locale: member.preferredLocale,
  });
  await appendAudit(tx, { tenantId: tenant.id, actor, action: 'staff.invite', entity: 'member', entityId: member.id, data: { role: input.role, created } });
  return { member, url, created };
}

/** An admin invites a person to a staff role from the coordinator pages. */
export async function inviteStaff(db: Db, actor: Actor, tenant: Tenant, raw: { email: string; name: string; role: string }, baseUrl: string): Promise<Member> {
  const input = checkInvitation(raw);
  if (!canInviteStaff(actor, input.role)) throw new AppError('forbidden', 'Only admins can invite staff.', [{ field: 'role', message: 'roles.error.notAllowed' }]);
  return db.transaction(async (tx) => (await inviteStaffIn(tx, tenant, input, actor.memberId, baseUrl)).member);
}

/**
 * Accept an invitation (by POST, so a mail scanner cannot use it): proves the address, activates a
 * pending membership, and opens the second-factor step with TOTP set-up allowed.
 */
export async function acceptInvitation(db: Db, tenant: Tenant, token: string): Promise<SignInResult> {
  return db.transaction(async (tx) => {
    const used = await consumeToken(tx, tenant.id, token, 'staff_invitation');
    if (!used) throw new AppError('bad_request', 'This invitation link has expired or was already used. Ask an admin for a new one.', [{ field: 'token', message: 'invite.error.link' }]);
    const member = await findMemberById(tx, tenant.id, used.memberId);
    if (!member || member.suspendedAt || (member.status !== 'active' && member.status !== 'pending')) {
      throw new AppError('bad_request', 'This invitation can no longer be used.', [{ field: 'token', message: 'invite.error.link' }]);
    }
    await tx.update(members).set({ emailVerifiedAt: sql`now()`, status: 'active', updatedAt: sql`now()` }).where(and(eq(members.tenantId, tenant.id), eq(members.id, member.id)));
    if (member.status !== 'active') {
      await recordStatus(tx, { tenantId: tenant.id, memberId: member.id }, 'active', member.id, 'staff invitation accepted');
      await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'member.status', entity: 'member', entityId: member.id, data: { from: member.status, to: 'active' } });
    }
    await appendAudit(tx, { tenantId: tenant.id, actor: member.id, action: 'staff.invitation.accept', entity: 'member', entityId: member.id });
    return finishFirstFactor(tx, tenant, { ...member, status: 'active' }, { mayEnrol: true });
  });
}

/** Staff of a tenant, with the state of their second factor and any open reset request. */
export async function listStaff(db: Executor, tenantId: string) {
  const rows = await db
    .select({ id: members.id, name: members.name, email: members.email, status: members.status, memberNumber: members.memberNumber, role: memberRoles.role })
    .from(members)
    .innerJoin(memberRoles, and(eq(memberRoles.tenantId, members.tenantId), eq(memberRoles.memberId, members.id)))
    .where(and(eq(members.tenantId, tenantId), inArray(memberRoles.role, [...STAFF_ROLES])))
    .orderBy(asc(members.memberNumber));
  const byId = new Map<string, { id: string; name: string; email: string | null; status: string; memberNumber: number; roles: Role[] }>();
  for (const r of rows) {
    const entry = byId.get(r.id) ?? { id: r.id, name: r.name, email: r.email, status: r.status, memberNumber: r.memberNumber, roles: [] };
    entry.roles.push(r.role);
    byId.set(r.id, entry);
  }
  const ids = [...byId.keys()];
  if (!ids.length) return [];
  const [factors, resets] = await Promise.all([
    db.select({ memberId: totpFactors.memberId, confirmedAt: totpFactors.confirmedAt }).from(totpFactors).where(and(eq(totpFactors.tenantId, tenantId), inArray(totpFactors.memberId, ids))),
    db.select().from(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenantId), inArray(secondFactorResets.memberId, ids), isNull(secondFactorResets.completedAt), isNull(secondFactorResets.cancelledAt))),
  ]);
  return Promise.all(
    [...byId.values()].map(async (s) => ({
      ...s,
      totp: !!factors.find((f) => f.memberId === s.id)?.confirmedAt,
      recoveryCodesLeft: await unusedRecoveryCodes(db, tenantId, s.id),
      openReset: resets.find((r) => r.memberId === s.id),
    })),
  );
}

async function usableAdminsOtherThan(tx: Executor, tenantId: string, memberId: string): Promise<number> {
  const admins = await tx
    .select({ id: members.id, status: members.status, suspendedAt: members.suspendedAt })
    .from(members)
    .innerJoin(memberRoles, and(eq(memberRoles.tenantId, members.tenantId), eq(memberRoles.memberId, members.id), eq(memberRoles.role, 'admin')))
    .where(eq(members.tenantId, tenantId));
  return admins.filter((a) => a.id !== memberId && isUsableAdmin({ roles: ['admin'], status: a.status, suspended: !!a.suspendedAt })).length;
}

/** Remove TOTP, recovery codes and staff-grade passkeys; revoke sessions and pending steps; send a new invitation. */
async function executeReset(tx: Executor, tenant: Tenant, member: Member, roles: Role[], actor: string, baseUrl: string): Promise<void> {
  await tx.delete(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, member.id)));
  await tx.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenant.id), eq(recoveryCodes.memberId, member.id)));
  await tx.delete(passkeys).where(and(eq(passkeys.tenantId, tenant.id), eq(passkeys.memberId, member.id), eq(passkeys.secondFactor, true)));
  await revokeAllSessions(tx, tenant.id, member.id);
  await spendTokens(tx, tenant.id, member.id, ['second_factor', 'sign_in']);
  await appendAudit(tx, { tenantId: tenant.id, actor, action: 'second_factor.reset', entity: 'member', entityId: member.id });
  const role = roles.find(isStaffRole);
  if (member.email && role) await inviteStaffIn(tx, tenant, { email: member.email, name: member.name, role }, actor, baseUrl);
}

async function resetTarget(tx: Executor, actor: Actor, memberId: string): Promise<{ member: Member; roles: Role[] }> {
  const member = await findMemberById(tx, actor.tenantId, memberId);
  if (!member || member.status === 'erased') throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  const roles = await rolesOf(tx, actor.tenantId, memberId);
  if (!roles.some(isStaffRole)) throw new AppError('not_found', 'That member is not staff.', [], 'error.staff.notStaff');
  return { member, roles };
}

/**
 * An admin resets another staff member's lost second factor. With two or more usable admins besides
 * the target this only records a request, which a different admin approves; otherwise it happens now.
 */
export async function requestSecondFactorReset(db: Db, actor: Actor, tenant: Tenant, memberId: string, baseUrl: string): Promise<'done' | 'requested'> {
  if (!canResetSecondFactor(actor, memberId)) {
    throw new AppError('forbidden', 'Only an admin can reset the second factor of another staff member.', [{ field: 'member', message: actor.memberId === memberId ? 'staff.error.resetSelf' : 'roles.error.notAllowed' }]);
  }
  return db.transaction(async (tx) => {
    // Serialise requests and approvals for this member.
    await tx.execute(sql`SELECT 1 FROM ${members} WHERE tenant_id = ${tenant.id}::uuid AND id = ${memberId}::uuid FOR UPDATE`);
    const { member, roles } = await resetTarget(tx, actor, memberId);
    const [open] = await tx.select().from(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenant.id), eq(secondFactorResets.memberId, memberId), isNull(secondFactorResets.completedAt), isNull(secondFactorResets.cancelledAt)));
    if (open) throw new AppError('conflict', 'A reset for this member is already waiting for a second admin.', [{ field: 'member', message: 'staff.error.resetOpen' }]);
    const id = newId();
    if (resetNeedsSecondAdmin(await usableAdminsOtherThan(tx, tenant.id, memberId))) {
      await tx.insert(secondFactorResets).values({ tenantId: tenant.id, id, memberId, requestedBy: actor.memberId });
      await appendAudit(tx, { tenantId: tenant.id, actor: actor.memberId, action: 'second_factor.reset.request', entity: 'member', entityId: memberId, data: { resetId: id } });
      return 'requested';
    }
    await tx.insert(secondFactorResets).values({ tenantId: tenant.id, id, memberId, requestedBy: actor.memberId, completedAt: new Date() });
    await executeReset(tx, tenant, member, roles, actor.memberId, baseUrl);
    return 'done';
  });
}

/** A second admin (not the requester, not the target) approves a reset request; it happens now. */
export async function approveSecondFactorReset(db: Db, actor: Actor, tenant: Tenant, memberId: string, baseUrl: string): Promise<void> {
  if (!canResetSecondFactor(actor, memberId)) {
    throw new AppError('forbidden', 'Only an admin can approve this reset.', [{ field: 'member', message: actor.memberId === memberId ? 'staff.error.resetSelf' : 'roles.error.notAllowed' }]);
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT 1 FROM ${members} WHERE tenant_id = ${tenant.id}::uuid AND id = ${memberId}::uuid FOR UPDATE`);
    const { member, roles } = await resetTarget(tx, actor, memberId);
    const [open] = await tx.select().from(secondFactorResets).where(and(eq(secondFactorResets.tenantId, tenant.id), eq(secondFactorResets.memberId, memberId), isNull(secondFactorResets.completedAt), isNull(secondFactorResets.cancelledAt)));
    if (!open) throw new AppError('not_found', 'There is no reset waiting for approval.', [], 'error.reset.none');
    if (!canApproveReset(actor, open)) throw new AppError('forbidden', 'A different admin must approve the reset you asked for.', [{ field: 'member', message: 'staff.error.sameAdmin' }]);
    await tx.update(secondFactorResets).set({ approvedBy: actor.memberId, completedAt: new Date() }).where(and(eq(secondFactorResets.tenantId, tenant.id), eq(secondFactorResets.id, open.id)));
    await appendAudit(tx, { tenantId: tenant.id, actor: actor.memberId, action: 'second_factor.reset.approve', entity: 'member', entityId: memberId, data: { resetId: open.id, requestedBy: open.requestedBy } });
    await executeReset(tx, tenant, member, roles, actor.memberId, baseUrl);
  });
}

/**
 * The operator's way in (CLI): create the admin, or promote the existing member with that email,
 * and queue an invitation; the link also comes back for the console. resetSecondFactor clears a
 * lost factor first (the break-glass for a sole admin), audited like an admin's reset.
 */
export async function createAdmin(db: Db, tenant: Tenant, raw: { email: string; name: string }, actor: string, baseUrl: string, opts: { resetSecondFactor?: boolean } = {}) {
  const input = checkInvitation({ ...raw, role: 'admin' });
  return db.transaction(async (tx) => {
    const existing = await findMemberByEmail(tx, tenant.id, input.email);
    if (existing && opts.resetSecondFactor) {
      await tx.delete(totpFactors).where(and(eq(totpFactors.tenantId, tenant.id), eq(totpFactors.memberId, existing.id)));
      await tx.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenant.id), eq(recoveryCodes.memberId, existing.id)));
      await tx.delete(passkeys).where(and(eq(passkeys.tenantId, tenant.id), eq(passkeys.memberId, existing.id), eq(passkeys.secondFactor, true)));
      await revokeAllSessions(tx, tenant.id, existing.id);
      await spendTokens(tx, tenant.id, existing.id, ['second_factor', 'sign_in']);
      await appendAudit(tx, { tenantId: tenant.id, actor, action: 'second_factor.reset', entity: 'member', entityId: existing.id });
    }
    return inviteStaffIn(tx, tenant, input, actor, baseUrl);
  });
}
