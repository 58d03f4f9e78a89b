import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { actorFromSession } from '../../modules/membership/sessions.ts';
import type { AppEnv } from '../context.ts';
import { cookieName } from '../cookies.ts';

export const SESSION_COOKIE = 'pm_session';

/** Load the signed-in member (if any) from the session cookie; never trusts a cookie across tenants. */
export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, cookieName(c, SESSION_COOKIE));
    const actor = token ? await actorFromSession(c.get('deps').database.db, c.get('tenant').id, token) : undefined;
    if (actor) {
      c.set('actor', actor);
      c.set('actorScope', `member:${actor.memberId}`);
      c.header('Cache-Control', 'private, no-store');
    }
    await next();
  };
}
