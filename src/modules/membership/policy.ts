import type { MemberStatus, Role } from './schema.ts';

/** Who is asking: a signed-in member of the current tenant, with their roles. */
export interface Actor {
  memberId: string;
  tenantId: string;
  roles: ReadonlySet<Role>;
  sessionId: string;
  /**
   * The member's status and ward as read with the session at the start of this request (the
   * session middleware fills it; actors made elsewhere may leave it out and be looked up).
   */
  member?: { status: MemberStatus; wardId: string | null };
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

/**
 * Change a member's standing (status, suspension, role removal): only a member manager, and only
 * when the actor could grant every role the target holds, so nobody locks out someone at or above
 * their own level (admins may act on admins).
 */
export function canChangeStanding(actor: Actor | undefined, targetRoles: readonly Role[]): boolean {
  return canManageMembers(actor) && targetRoles.every((r) => canGrantRole(actor, r));
}

/** What a change does to a member's standing. */
export type StandingChange =
  | { kind: 'status'; to: 'pending' | 'active' | 'lapsed' | 'left' | 'erased' }
  | { kind: 'suspend' }
  | { kind: 'remove_role'; role: Role };

/** A member who can act as an admin now: holds the role, is active and not suspended. */
export interface AdminStanding {
  roles: readonly Role[];
  status: string;
  suspended: boolean;
}

export function isUsableAdmin(m: AdminStanding): boolean {
  return m.roles.includes('admin') && m.status === 'active' && !m.suspended;
}

/**
 * True when the change would leave the tenant with no usable admin: the target is the last one and
 * would lose the role, be suspended, or stop being active. Nobody could ever grant admin again.
 */
export function wouldRemoveLastAdmin(target: AdminStanding, change: StandingChange, usableAdmins: number): boolean {
  if (!isUsableAdmin(target) || usableAdmins > 1) return false;
  switch (change.kind) {
    case 'status':
      return change.to !== 'active';
    case 'suspend':
      return true;
    case 'remove_role':
      return change.role === 'admin';
  }
}

/** Invite someone to a staff role: only roles the actor may grant (today: admins, for every staff role). */
export function canInviteStaff(actor: Actor | undefined, role: Role): boolean {
  return isStaffRole(role) && canGrantRole(actor, role);
}

/**
 * Reset another staff member's lost second factor: admins only, never their own. With two or more
 * usable admins besides the target, one requests and a different one approves.
 */
export function canResetSecondFactor(actor: Actor | undefined, targetId: string): boolean {
  return hasAnyRole(actor, ['admin']) && actor?.memberId !== targetId;
}

export function resetNeedsSecondAdmin(usableAdminsOtherThanTarget: number): boolean {
  return usableAdminsOtherThanTarget >= 2;
}

/** Who may approve a pending reset: an admin other than the requester and the target. */
export function canApproveReset(actor: Actor | undefined, reset: { memberId: string; requestedBy: string }): boolean {
  return canResetSecondFactor(actor, reset.memberId) && actor?.memberId !== reset.requestedBy;
}
