import type { Role } from '../../modules/membership/schema.ts';
import { MODULES } from '../../modules/index.ts';

/**
 * The permissions modules declare, filled by declaration merging from each module's index.ts
 * (`declare module '…/server/auth/permissions.ts' { interface Permissions extends Record<P, true> {} }`),
 * next to the runtime map in its manifest. Merging rather than reading the module list's type keeps
 * the page files (which name permissions) out of a type cycle with the list (which imports them).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules through declaration merging
export interface Permissions {}

/** Every permission a module declares, e.g. 'members.manage'. */
export type Permission = Extract<keyof Permissions, string>;

let table: ReadonlyMap<string, readonly Role[]> | undefined;

/**
 * The roles that hold a permission, read from the manifests. Read lazily: the module list imports
 * the page files, which import this kernel, so nothing here may touch MODULES at load time.
 */
export function rolesFor(permission: Permission): readonly Role[] {
  table ??= new Map(MODULES.flatMap((m) => Object.entries(('permissions' in m ? m.permissions : {}) as Record<string, readonly Role[]>)));
  const roles = table.get(permission);
  if (!roles) throw new Error(`Unknown permission ${permission}`);
  return roles;
}

/** Every declared permission with its roles (tests, the docs). */
export function allPermissions(): Array<{ module: string; permission: string; roles: readonly Role[] }> {
  return MODULES.flatMap((m) =>
    Object.entries(('permissions' in m ? m.permissions : {}) as Record<string, readonly Role[]>).map(([permission, roles]) => ({ module: m.name, permission, roles })),
  );
}
