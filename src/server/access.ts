import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Actor } from '../modules/membership/policy.ts';
import type { Role } from '../modules/membership/schema.ts';
import type { AppEnv } from './context.ts';
import { AppError } from './errors.ts';

/** Who may use a route: anyone, any signed-in member, or members holding one of the roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface RouteEntry {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
}

/**
 * Every route declares its access rule here; the access-matrix test walks this registry, so a
 * route cannot be added without saying who may use it (deny by default).
 */
export const routeRegistry = new Map<string, RouteEntry>();

export function declareRoute(entry: RouteEntry): void {
  routeRegistry.set(`${entry.method} ${entry.path}`, entry);
}

/** Check the rule for the current actor: 401 when signed out, 403 for a wrong role. */
export function authorize(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access !== 'public') {
      const actor = c.get('actor');
      if (!actor) throw new AppError('unauthenticated', 'Please sign in to see this page.');
      if (access !== 'signed-in' && !access.some((r) => actor.roles.has(r))) {
        throw new AppError('forbidden', 'Your role does not allow this.');
      }
    }
    await next();
  };
}

type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;

/** Register a page route with its access rule (checked before the handler runs). */
export function route(app: Hono<AppEnv>, method: 'GET' | 'POST', path: string, access: Access, handler: Handler): void {
  declareRoute({ method, path, access });
  app.on(method, path, authorize(access), handler);
}

/** The signed-in member of a route whose access rule already required one. */
export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (!actor) throw new AppError('unauthenticated', 'Please sign in.');
  return actor;
}
