import { and, eq, isNull, sql } from 'drizzle-orm';
// zod extended with .openapi(): JoinRequest is also the API's documented body (routes.ts).
import { z } from '@hono/zod-openapi';
import type { Db, Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { AppError } from '../../server/errors.ts';
import { LOCALES, type Locale } from '../../ui/i18n/locales.ts';
import { appendAudit } from '../audit/service.ts';
import { wardByCode } from '../tenancy/views.ts';
import { canChangeStanding, canGrantRole, canManageMembers, isStaffRole, wouldRemoveLastAdmin, type Actor, type StandingChange } from './policy.ts';
import { findMemberById, rolesOf } from './queries.ts';
import {
  memberCounters,
  memberRoles,
  members,
  memberStatusHistory,
  passkeys,
  RELATIONSHIPS,
  wardRepresentatives,
  type Member,
  type MemberStatus,
  type Role,
} from './schema.ts';
import { revokeAllSessions } from './sessions.ts';

/** The privacy notice members agree to; stored with each consent. */
export const PRIVACY_NOTICE_VERSION = '2026-11';

/** Allocate the next member number of a tenant (the counter row serialises concurrent joins). */
async function nextMemberNumber(tx: Executor, tenantId: string): Promise<number> {
  const rows = await tx
    .insert(memberCounters)
    .values({ tenantId, last: 1 })
    .onConflictDoUpdate({ target: memberCounters.tenantId, set: { last: sql`${memberCounters.last} + 1` } })
    .returning({ last: memberCounters.last });
  const n = rows[0]?.last;
  if (n === undefined) throw new Error('member counter returned nothing');
  return n;
}

export async function recordStatus(tx: Executor, m: { tenantId: string; memberId: string }, status: MemberStatus, by: string, reason = ''): Promise<void> {
  await tx.insert(memberStatusHistory).values({ tenantId: m.tenantId, id: newId(), memberId: m.memberId, status, changedBy: by, reason });
}

export interface NewMember {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  wardId?: string | null | undefined;
  relationship: Member['relationship'];
  childrenUnder5?: number | undefined;
  preferredLocale: Locale;
  consentVersion: string;
  externalRef?: string | undefined;
  joinKey?: string | undefined;
  status: MemberStatus;
}

/** Insert a member with its first status row and an audit row (in the caller's transaction). */
export async function insertMember(tx: Executor, tenantId: string, input: NewMember, actor: string): Promise<Member> {
  const id = newId();
  const [member] = await tx
    .insert(members)
    .values({
      tenantId,
      id,
      memberNumber: await nextMemberNumber(tx, tenantId),
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      wardId: input.wardId ?? null,
      relationship: input.relationship,
      childrenUnder5: input.childrenUnder5 ?? null,
      preferredLocale: input.preferredLocale,
      consentVersion: input.consentVersion,
      consentedAt: new Date(),
      status: input.status,
      externalRef: input.externalRef ?? null,
      joinKey: input.joinKey ?? null,
    })
    .returning();
  if (!member) throw new Error('member insert returned nothing');
  await tx.insert(memberRoles).values({ tenantId, memberId: id, role: 'member', grantedBy: actor });
  await recordStatus(tx, { tenantId, memberId: id }, input.status, actor, 'joined');
  await appendAudit(tx, { tenantId, actor, action: 'member.create', entity: 'member', entityId: id, data: { status: input.status, memberNumber: member.memberNumber } });
  return member;
}

export async function wardIdForCode(db: Executor, tenantId: string, wardSetId: string, code: string): Promise<string> {
  const ward = await wardByCode(db, tenantId, wardSetId, code);
  if (!ward) throw new AppError('validation_failed', 'Choose your ward from the list.', [{ field: 'ward', message: 'join.error.ward' }]);
  return ward.id;
}

/** Fields a member gives about themselves, shared by the join form and the profile form. */
const childrenUnder5Field = z
  .union([z.literal(''), z.coerce.number('join.error.children').int('join.error.children').min(0, 'join.error.children').max(20, 'join.error.children')], 'join.error.children')
  .optional()
  .transform((v) => (v === '' || v === undefined ? undefined : v));
const memberFields = {
  name: z.string('join.error.name').trim().min(1, 'join.error.name').max(100, 'join.error.nameLong'),
  phone: z.string().trim().max(40).optional(),
  ward: z.string('join.error.ward').trim().min(1, 'join.error.ward').max(40),
  relationship: z.enum(RELATIONSHIPS, 'join.error.relationship'),
  childrenUnder5: childrenUnder5Field,
};

/**
 * The one join contract: the form (strings as posted, consent "yes") and the API (JSON, consent
 * true) both validate with it, so a field is refused with the same message either way. Email and
 * phone are normalised after it (join-form.ts checkContact).
 */
export const JoinRequest = z.object({
  ...memberFields,
  email: z.string().trim().max(254).optional(),
  preferredLocale: z.enum(LOCALES).default('en'),
  consent: z.union([z.literal(true), z.literal('yes')], 'join.error.consent'),
  joinKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
});
export type JoinRequest = z.output<typeof JoinRequest>;

/** Lock the tenant's admins' member rows, then count those who can act as admin (a fresh statement sees committed changes). */
async function usableAdminCount(tx: Executor, tenantId: string): Promise<number> {
  await tx.execute(sql`SELECT 1 FROM ${members} m WHERE m.tenant_id = ${tenantId}::uuid
    AND EXISTS (SELECT 1 FROM ${memberRoles} r WHERE r.tenant_id = m.tenant_id AND r.member_id = m.id AND r.role = 'admin')
    ORDER BY m.id FOR UPDATE`);
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .innerJoin(memberRoles, and(eq(memberRoles.tenantId, members.tenantId), eq(memberRoles.memberId, members.id), eq(memberRoles.role, 'admin')))
    .where(and(eq(members.tenantId, tenantId), eq(members.status, 'active'), isNull(members.suspendedAt)));
  return row?.n ?? 0;
}

export const LAST_ADMIN_MESSAGE = 'This is the only admin of the mutual. Make another member an admin first, so that someone can still manage staff.';

/** Refuse (409) a change that would leave the tenant without a usable admin. */
async function guardLastAdmin(tx: Executor, member: Member, roles: readonly Role[], change: StandingChange): Promise<void> {
  if (!roles.includes('admin')) return;
  const standing = { roles, status: member.status, suspended: !!member.suspendedAt };
  if (wouldRemoveLastAdmin(standing, change, await usableAdminCount(tx, member.tenantId))) {
    throw new AppError('conflict', LAST_ADMIN_MESSAGE, [{ field: 'member', message: 'staff.error.lastAdmin' }]);
  }
}

/** The member and their roles, or 404; refuses (403) when the actor may not change their standing. */
async function targetFor(tx: Executor, actor: Actor, memberId: string): Promise<{ member: Member; roles: Role[] }> {
  const member = await findMemberById(tx, actor.tenantId, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  const roles = await rolesOf(tx, actor.tenantId, memberId);
  if (!canChangeStanding(actor, roles)) {
    throw new AppError('forbidden', 'You may not change the membership of someone whose role is at or above your own.', [{ field: 'member', message: 'staff.error.aboveYou' }]);
  }
  return { member, roles };
}

/**
 * Change a member's status with history and audit; leaving, lapsing or erasure signs them out
 * everywhere. The last usable admin cannot stop being active (409). Callers that act for someone
 * else use changeMemberStatus, which checks the actor.
 */
export async function changeStatus(tx: Executor, tenantId: string, memberId: string, status: MemberStatus, actor: string, reason = ''): Promise<void> {
  const member = await findMemberById(tx, tenantId, memberId);
  if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  if (member.status === status) return;
  if (member.status === 'erased') throw new AppError('conflict', 'This member has been erased.', [], 'error.member.erased');
  await guardLastAdmin(tx, member, await rolesOf(tx, tenantId, memberId), { kind: 'status', to: status });
  await tx.update(members).set({ status, updatedAt: sql`now()` }).where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
  await recordStatus(tx, { tenantId, memberId }, status, actor, reason);
  if (status !== 'active' && status !== 'pending') await revokeAllSessions(tx, tenantId, memberId);
  await appendAudit(tx, { tenantId, actor, action: 'member.status', entity: 'member', entityId: memberId, data: { from: member.status, to: status } });
}

/** A coordinator or admin changes someone's status: refused (403) for a target at or above the actor. */
export async function changeMemberStatus(db: Db, actor: Actor, memberId: string, status: Exclude<MemberStatus, 'erased'>, reason = 'changed by a coordinator'): Promise<void> {
  await db.transaction(async (tx) => {
    await targetFor(tx, actor, memberId);
    await changeStatus(tx, actor.tenantId, memberId, status, actor.memberId, reason);
  });
}

/** Suspend (or lift a suspension): suspension revokes every session at once. */
export async function setSuspended(db: Db, actor: Actor, memberId: string, suspended: boolean): Promise<void> {
  if (!canManageMembers(actor)) throw new AppError('forbidden', 'Only coordinators can suspend members.', [], 'error.suspend.forbidden');
  await db.transaction(async (tx) => {
    const { member, roles } = await targetFor(tx, actor, memberId);
    if (suspended) await guardLastAdmin(tx, member, roles, { kind: 'suspend' });
    await tx
      .update(members)
      .set({ suspendedAt: suspended ? sql`now()` : null, updatedAt: sql`now()` })
      .where(and(eq(members.tenantId, actor.tenantId), eq(members.id, memberId)));
    if (suspended) await revokeAllSessions(tx, actor.tenantId, memberId);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: suspended ? 'member.suspend' : 'member.unsuspend', entity: 'member', entityId: memberId });
  });
}

/**
 * Grant a role (in the caller's transaction). Becoming staff re-checks factors: passkeys added
 * before now no longer count as the staff second factor until added again from a session that has one.
 */
export async function grantRoleIn(tx: Executor, tenantId: string, memberId: string, role: Role, actor: string): Promise<boolean> {
  const before = await rolesOf(tx, tenantId, memberId);
  const inserted = await tx.insert(memberRoles).values({ tenantId, memberId, role, grantedBy: actor }).onConflictDoNothing().returning();
  if (!inserted.length) return false;
  if (isStaffRole(role) && !before.some(isStaffRole)) {
    await tx.update(passkeys).set({ secondFactor: false }).where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.memberId, memberId)));
  }
  await appendAudit(tx, { tenantId, actor, action: 'role.grant', entity: 'member', entityId: memberId, data: { role } });
  return true;
}

export async function grantRole(db: Db, actor: Actor, memberId: string, role: Role): Promise<void> {
  if (!canGrantRole(actor, role)) throw new AppError('forbidden', `You may not grant the ${role} role.`, [{ field: 'role', message: 'roles.error.notAllowed' }]);
  await db.transaction(async (tx) => {
    const member = await findMemberById(tx, actor.tenantId, memberId);
    if (!member || member.status === 'erased') throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
    await grantRoleIn(tx, actor.tenantId, memberId, role, actor.memberId);
  });
}

export async function removeRole(db: Db, actor: Actor, memberId: string, role: Role): Promise<void> {
  if (!canGrantRole(actor, role)) throw new AppError('forbidden', `You may not remove the ${role} role.`, [{ field: 'role', message: 'roles.error.notAllowed' }]);
  if (role === 'member') throw new AppError('validation_failed', 'Every member keeps the member role; change their status instead.', [{ field: 'role', message: 'staff.error.memberRole' }]);
  await db.transaction(async (tx) => {
    const { member, roles } = await targetFor(tx, actor, memberId);
    await guardLastAdmin(tx, member, roles, { kind: 'remove_role', role });
    const removed = await tx
      .delete(memberRoles)
      .where(and(eq(memberRoles.tenantId, actor.tenantId), eq(memberRoles.memberId, memberId), eq(memberRoles.role, role)))
      .returning();
    if (removed.length) {
      // Roles are read on every request, so the change applies to open sessions at once.
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'role.remove', entity: 'member', entityId: memberId, data: { role } });
    }
  });
}

const IsoDate = z.iso.date('reps.error.date');

/** Appoint a ward representative (also grants the ward_rep role). */
export async function appointRepresentative(db: Db, actor: Actor, input: { memberId: string; wardId: string; startsOn: string }): Promise<string> {
  if (!canManageMembers(actor)) throw new AppError('forbidden', 'Only coordinators can appoint ward representatives.', [], 'error.reps.appointForbidden');
  const startsOn = IsoDate.safeParse(input.startsOn);
  if (!startsOn.success) throw new AppError('validation_failed', 'Use a date like 2026-11-26.', [{ field: 'startsOn', message: 'reps.error.date' }]);
  return db.transaction(async (tx) => {
    const member = await findMemberById(tx, actor.tenantId, input.memberId);
    if (!member || member.status !== 'active') {
      throw new AppError('validation_failed', 'Only an active member can be a ward representative.', [{ field: 'memberId', message: 'reps.error.member' }]);
    }
    const current = await tx
      .select()
      .from(wardRepresentatives)
      .where(and(eq(wardRepresentatives.tenantId, actor.tenantId), eq(wardRepresentatives.memberId, input.memberId), eq(wardRepresentatives.wardId, input.wardId), isNull(wardRepresentatives.endsOn)));
    if (current.length) throw new AppError('conflict', 'This member already represents this ward.', [{ field: 'memberId', message: 'reps.error.already' }]);
    const id = newId();
    await tx.insert(wardRepresentatives).values({ tenantId: actor.tenantId, id, memberId: input.memberId, wardId: input.wardId, startsOn: startsOn.data, appointedBy: actor.memberId });
    await tx.insert(memberRoles).values({ tenantId: actor.tenantId, memberId: input.memberId, role: 'ward_rep', grantedBy: actor.memberId }).onConflictDoNothing();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'ward_rep.appoint', entity: 'member', entityId: input.memberId, data: { wardId: input.wardId, startsOn: startsOn.data } });
    return id;
  });
}

/**
 * Stand a representative down from a date; the role goes when they represent no ward any more.
 * An unknown or ended appointment is 404; an end before the start is a mistake in the form (400).
 */
export async function standDownRepresentative(db: Db, actor: Actor, input: { memberId: string; appointmentId: string; endsOn: string }): Promise<void> {
  if (!canManageMembers(actor)) throw new AppError('forbidden', 'Only coordinators can stand down ward representatives.', [], 'error.reps.standDownForbidden');
  const endsOn = IsoDate.safeParse(input.endsOn);
  if (!endsOn.success) throw new AppError('validation_failed', 'Use a date like 2026-11-26.', [{ field: 'endsOn', message: 'reps.error.date' }]);
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(wardRepresentatives)
      .where(and(eq(wardRepresentatives.tenantId, actor.tenantId), eq(wardRepresentatives.id, input.appointmentId), eq(wardRepresentatives.memberId, input.memberId), isNull(wardRepresentatives.endsOn)))
      .for('update');
    if (!current) throw new AppError('not_found', 'That appointment was not found or has already ended.', [], 'error.appointment.notFound');
    if (endsOn.data < current.startsOn) {
      throw new AppError('validation_failed', 'The end date is before the start date.', [{ field: 'endsOn', message: 'reps.error.endBeforeStart' }]);
    }
    const [row] = await tx
      .update(wardRepresentatives)
      .set({ endsOn: endsOn.data })
      .where(and(eq(wardRepresentatives.tenantId, actor.tenantId), eq(wardRepresentatives.id, current.id)))
      .returning();
    if (!row) throw new AppError('not_found', 'That appointment was not found or has already ended.', [], 'error.appointment.notFound');
    const stillServing = await tx
      .select({ id: wardRepresentatives.id })
      .from(wardRepresentatives)
      .where(and(eq(wardRepresentatives.tenantId, actor.tenantId), eq(wardRepresentatives.memberId, row.memberId), isNull(wardRepresentatives.endsOn)));
    if (stillServing.length === 0) {
      await tx.delete(memberRoles).where(and(eq(memberRoles.tenantId, actor.tenantId), eq(memberRoles.memberId, row.memberId), eq(memberRoles.role, 'ward_rep')));
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'ward_rep.stand_down', entity: 'member', entityId: row.memberId, data: { wardId: row.wardId, endsOn: endsOn.data } });
  });
}


export const ProfileUpdate = z.object({ ...memberFields, preferredLocale: z.enum(LOCALES) });

/** A member edits their own profile (the email address is their sign-in and is not changed here). */
export async function updateProfile(
  db: Db,
  tenantId: string,
  memberId: string,
  wardSetId: string,
  input: { name: string; phone: string | null; ward: string; relationship: Member['relationship']; childrenUnder5: number | undefined; preferredLocale: Locale },
): Promise<void> {
  await db.transaction(async (tx) => {
    const wardId = await wardIdForCode(tx, tenantId, wardSetId, input.ward);
    await tx
      .update(members)
      .set({ name: input.name, phone: input.phone, wardId, relationship: input.relationship, childrenUnder5: input.childrenUnder5 ?? null, preferredLocale: input.preferredLocale, updatedAt: sql`now()` })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
    await appendAudit(tx, { tenantId, actor: memberId, action: 'member.update', entity: 'member', entityId: memberId, data: { fields: ['name', 'phone', 'ward', 'relationship', 'childrenUnder5', 'preferredLocale'] } });
  });
}
