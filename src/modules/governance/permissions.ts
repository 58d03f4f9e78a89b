import type { Role } from '../membership/schema.ts';

export type GovernancePermission = keyof typeof governancePermissions;

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<GovernancePermission, true> {}
}

/**
 * Record-level rules live in the services: the chair or secretary of a meeting records its counts
 * and attendance; a board member edits only their own register of interests; entitlement to vote
 * (board / members, conflicts, the closing time) is checked per motion.
 */
export const governancePermissions = {
  /** Drafts, settings, seats, terms, officers, meetings, papers, minutes. */
  'governance.manage': ['board', 'admin'],
  /** Read drafts and internal papers (published records are public). */
  'governance.read': ['board', 'admin', 'coordinator'],
  /** Table, open, count and close motions; record in-meeting votes. */
  'motions.manage': ['board', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
