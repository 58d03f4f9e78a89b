import type { Role } from './schema.ts';

/** Who is asking: a signed-in member of the current tenant, with their roles. */
export interface Actor {
  memberId: string;
  tenantId: string;
  roles: ReadonlySet<Role>;
  sessionId: string;
}

/** Roles that need a second factor at sign-in (SECURITY.md 1). */
export const STAFF_ROLES = ['coordinator', 'board', 'safeguarding_lead', 'admin'] as const satisfies readonly Role[];

export function isStaffRole(role: Role): boolean {
  return (STAFF_ROLES as readonly Role[]).includes(role);
}

export function hasAnyRole(actor: Actor | undefined, roles: readonly Role[]): boolean {
  return !!actor && roles.some((r) => actor.roles.has(r));
}

/** Who may grant each role (a missing role is a compile error). */
const GRANTED_BY = {
  member: ['coordinator', 'admin'],
  volunteer: ['coordinator', 'admin'],
  street_champion: ['coordinator', 'admin'],
  ward_rep: ['coordinator', 'admin'],
  partner: ['coordinator', 'admin'],
  viewer: ['coordinator', 'admin'],
  coordinator: ['admin'],
  board: ['admin'],
  safeguarding_lead: ['admin'],
  admin: ['admin'],
} as const satisfies Record<Role, readonly Role[]>;

export function canGrantRole(actor: Actor | undefined, role: Role): boolean {
  return hasAnyRole(actor, GRANTED_BY[role]);
}

export const MEMBER_MANAGERS = ['coordinator', 'admin'] as const satisfies readonly Role[];

/** List, search, export, import and edit members; appoint ward representatives. */
export function canManageMembers(actor: Actor | undefined): boolean {
  return hasAnyRole(actor, MEMBER_MANAGERS);
}

/** A member's own record, or a member manager. */
export function canViewMember(actor: Actor | undefined, memberId: string): boolean {
  return !!actor && (actor.memberId === memberId || canManageMembers(actor));
}

/** Exact (unsuppressed) counts about people: coordinators of the tenant (METRICS.md). */
export function canSeeExactCounts(actor: Actor | undefined): boolean {
  return hasAnyRole(actor, MEMBER_MANAGERS);
}

// Staff edits of members (issue 7, items 1 and 13). Staff records (a member holding a staff role)
// control other people's data, so only an admin changes them, one at a time, and never an import.

/** A member holding coordinator, board, safeguarding_lead or admin. */
export function isStaffRecord(targetRoles: readonly Role[]): boolean {
  return targetRoles.some(isStaffRole);
}

/** An import may change a matched member only when they hold no staff role (whoever imports). */
export function canImportOver(actor: Actor | undefined, targetRoles: readonly Role[]): boolean {
  return canManageMembers(actor) && !isStaffRecord(targetRoles);
}

/** Edit a member's details: coordinators for members without a staff role, admins for anyone. */
export function canEditMember(actor: Actor | undefined, targetRoles: readonly Role[]): boolean {
  if (!canManageMembers(actor)) return false;
  return !isStaffRecord(targetRoles) || hasAnyRole(actor, ['admin']);
}

/**
 * Erase a member on their request: as editing, and never oneself (members erase themselves from
 * their own page), so an admin cannot erase the last admin from here.
 */
export function canEraseMember(actor: Actor | undefined, target: { memberId: string; roles: readonly Role[] }): boolean {
  return !!actor && actor.memberId !== target.memberId && canEditMember(actor, target.roles);
}
