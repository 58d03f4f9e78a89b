import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { memberRoles, members, type MemberStatus, type Role } from './schema.ts';

/**
 * Read models of membership for other modules (they may not read membership's tables or queries):
 * who a member is, how to reach them, their ward and roles. Erased members have empty names and
 * no contact details, so nothing here can bring an erased person back.
 */
export interface MemberCard {
  id: string;
  memberNumber: number;
  name: string;
  email: string | null;
  phone: string | null;
  preferredLocale: string;
  wardId: string | null;
  status: MemberStatus;
  isDemo: boolean;
}

const card = {
  id: members.id,
  memberNumber: members.memberNumber,
  name: members.name,
  email: members.email,
  phone: members.phone,
  preferredLocale: members.preferredLocale,
  wardId: members.wardId,
  status: members.status,
  isDemo: members.isDemo,
};

/** The members with these ids in the tenant (any order; unknown ids are left out). */
export async function memberCards(db: Executor, tenantId: string, ids: readonly string[]): Promise<MemberCard[]> {
  if (ids.length === 0) return [];
  return db.select(card).from(members).where(and(eq(members.tenantId, tenantId), inArray(members.id, [...ids])));
}

export async function memberCard(db: Executor, tenantId: string, id: string): Promise<MemberCard | undefined> {
  return (await memberCards(db, tenantId, [id]))[0];
}

/** Active members with their ward and roles (bulk: e.g. the ladder's eligibility over every volunteer). */
export async function activeMembersWithRoles(db: Executor, tenantId: string): Promise<Array<{ id: string; wardId: string | null; isDemo: boolean; roles: Role[] }>> {
  const rows = await db
    .select({
      id: members.id,
      wardId: members.wardId,
      isDemo: members.isDemo,
      // Outer columns written out: drizzle renders a column in a select's sql as a bare name, which would bind to r.
      roles: sql<Role[]>`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM ${memberRoles} r WHERE r.tenant_id = "members"."tenant_id" AND r.member_id = "members"."id"), '{}')`,
    })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.status, 'active')));
  return rows;
}

/** The roles of one member. */
export async function memberRolesOf(db: Executor, tenantId: string, memberId: string): Promise<Role[]> {
  const rows = await db.select({ role: memberRoles.role }).from(memberRoles).where(and(eq(memberRoles.tenantId, tenantId), eq(memberRoles.memberId, memberId))).orderBy(memberRoles.role);
  return rows.map((r) => r.role);
}

/** Active members holding a role (e.g. the safeguarding leads to alert), as cards. */
export async function activeMembersWithRole(db: Executor, tenantId: string, role: Role): Promise<MemberCard[]> {
  return db
    .select(card)
    .from(members)
    .innerJoin(memberRoles, and(eq(memberRoles.tenantId, members.tenantId), eq(memberRoles.memberId, members.id), eq(memberRoles.role, role)))
    .where(and(eq(members.tenantId, tenantId), eq(members.status, 'active')));
}

/** The demo members of a tenant (other modules' demo loaders hang their demo records on them). */
export async function demoMembers(db: Executor, tenantId: string): Promise<MemberCard[]> {
  return db.select(card).from(members).where(and(eq(members.tenantId, tenantId), eq(members.isDemo, true))).orderBy(members.memberNumber);
}
