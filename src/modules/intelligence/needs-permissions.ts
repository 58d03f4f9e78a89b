import type { Role } from '../membership/schema.ts';

/** The needs picture's permission: exact figures (everyone else sees small numbers suppressed). */
export const needsPermissions = {
  'intel.exact': ['coordinator', 'admin'],
} as const satisfies Record<'intel.exact', readonly Role[]>;
