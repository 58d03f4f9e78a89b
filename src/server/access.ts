import type { RouteConfig } from '@hono/zod-openapi';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Actor } from '../modules/membership/policy.ts';
import type { Role } from '../modules/membership/schema.ts';
import { rolesFor, type Permission } from './auth/permissions.ts';
import type { AppEnv } from './context.ts';
import { isLocalRequest } from './client-address.ts';
import { AppError } from './errors.ts';
import type { MessageKey } from '../ui/i18n/index.ts';

/** Who may use a route: anyone, any signed-in member, or members whose roles hold the permission. */
export type Access = 'public' | 'signed-in' | Permission;

export interface RouteEntry {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
}

/**
 * Every route declares its access rule here, through the same call that enforces it (`route`,
 * `secured`); the access-matrix test walks this registry and fails on any route Hono serves that is
 * missing from it (deny by default).
 */
export const routeRegistry = new Map<string, RouteEntry>();

export function declareRoute(entry: RouteEntry): void {
  routeRegistry.set(`${entry.method} ${entry.path}`, entry);
}

/** Whether an actor with these roles passes the rule (signed-in is checked by the caller). */
export function allows(access: Access, roles: ReadonlySet<Role> | readonly Role[]): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  const held = roles instanceof Set ? roles : new Set(roles);
  return rolesFor(access).some((r) => held.has(r));
}

/** Check the rule for the current actor: 401 when signed out, 403 when no role holds the permission. */
export function authorize(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access !== 'public') {
      const actor = c.get('actor');
      if (!actor) throw new AppError('unauthenticated', 'Please sign in to see this page.');
      if (!allows(access, actor.roles)) throw new AppError('forbidden', 'Your role does not allow this.');
    }
    await next();
  };
}

type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;

interface PageRoute extends RouteEntry {
  handler: Handler;
}

/**
 * A module's page routes, collected so that the app mounts them in a fixed order: static path
 * segments before parameters (`/wards/coverage` before `/wards/:code`), whatever order modules or
 * files register them in.
 */
export class Pages {
  readonly routes: PageRoute[] = [];
  readonly guards: Array<{ path: string; middleware: MiddlewareHandler<AppEnv> }> = [];

  /** Middleware for a path pattern, run before any route under it (e.g. the dev pages' loopback check). */
  use(path: string, middleware: MiddlewareHandler<AppEnv>): void {
    this.guards.push({ path, middleware });
  }

  /** Mount guards, then routes sorted by specificity (stable: equal shapes keep their order). */
  mount(app: Hono<AppEnv>): void {
    for (const g of this.guards) app.use(g.path, g.middleware);
    const shape = (path: string) => path.split('/').map((s) => (s.startsWith(':') ? '1' : s === '*' ? '2' : '0')).join('');
    const sorted = this.routes.map((r, i) => ({ r, i, k: shape(r.path) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
    for (const { r } of sorted) app.on(r.method, r.path, authorize(r.access), r.handler);
  }
}

/** Where a module registers routes: the app's `Pages` list, or a Hono app directly (tests). */
export type RouteTarget = Hono<AppEnv> | Pages;

/**
 * Register a route with its access rule (checked before the handler runs). On a `Pages` list the
 * route is mounted later in specificity order; on the app itself (health, assets: before tenancy)
 * at once.
 */
export function route(target: RouteTarget, method: 'GET' | 'POST', path: string, access: Access, handler: Handler): void {
  declareRoute({ method, path, access });
  if (target instanceof Pages) target.routes.push({ method, path, access, handler });
  else target.on(method, path, authorize(access), handler);
}

/**
 * An OpenAPI route with its access rule: declares it in the registry and adds the check as the
 * route's first middleware, so `api.openapi(secured('public', createRoute(…)), handler)` is the one
 * call for API routes.
 */
export function secured<R extends RouteConfig>(access: Access, config: R): R {
  const method = config.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw new Error(`Unsupported method ${config.method}`);
  declareRoute({ method, path: config.path.replaceAll(/\/{(.+?)}/g, '/:$1'), access });
  const existing = config.middleware ? (Array.isArray(config.middleware) ? config.middleware : [config.middleware]) : [];
  return { ...config, middleware: [authorize(access), ...existing] };
}

/** For the development pages: 404 unless the request comes from this machine (`isLocalRequest`). */
export function localOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isLocalRequest(c)) throw new AppError('not_found', 'Not found.');
    await next();
  };
}

/**
 * A service's own check (issue 8 item 3): the actor's roles must hold the permission, whatever the
 * route in front of it checked. `messageKey` is the catalogue key of the reason shown.
 */
export function requirePermission(actor: Actor | undefined, permission: Permission, message = 'Your role does not allow this.', messageKey?: MessageKey): asserts actor is Actor {
  if (!actor || !allows(permission, actor.roles)) throw new AppError('forbidden', message, [], messageKey);
}

/** The signed-in member of a route whose access rule already required one. */
export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (!actor) throw new AppError('unauthenticated', 'Please sign in.');
  return actor;
}
