import type { Role } from '../membership/schema.ts';

export type ResourcesPermission = keyof typeof resourcesPermissions;

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<ResourcesPermission, true> {}
}

export const resourcesPermissions = {
  /** The directory, services, spend, reach and the answers (partners read all; edit their own). */
  'resources.read': ['coordinator', 'admin', 'viewer', 'board', 'partner'],
  /** Providers, categories, settings, partner staff links, the family-key secret's rotation. */
  'resources.manage': ['coordinator', 'admin'],
  /** Services, spend, reach, imports: record-level in the service (a partner only for providers they are staff of). */
  'resources.edit': ['coordinator', 'admin', 'partner'],
  /** Scenarios and the marginal-impact thresholds. */
  'resources.plan': ['coordinator', 'admin', 'board'],
} as const satisfies Record<string, readonly Role[]>;
