/**
 * The access kernel: who the actor is (the session middleware sets `actor`), which roles exist
 * (the Role list stays in membership for now; roles are text, so a module's new role needs no
 * migration), which permissions each module declares (`ModuleManifest.permissions`), and the one
 * call that declares and enforces a route's access (`route` for pages, `secured` for the API).
 */
export type { Actor } from '../../modules/membership/policy.ts';
export { ROLES, type Role } from '../../modules/membership/schema.ts';
export { allPermissions, rolesFor, type Permission } from './permissions.ts';
export { authorize, allows, declareRoute, Pages, requireActor, route, routeRegistry, secured, type Access, type RouteEntry } from '../access.ts';
