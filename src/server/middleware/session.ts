import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { actorFromSession } from '../../modules/membership/sessions.ts';
import type { AppEnv } from '../context.ts';
import { cookieName } from '../cookies.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { clientKey } from '../client-address.ts';

export const SESSION_COOKIE = 'pm_session';

/**
 * The idempotency scope of a signed-out caller: its CSRF cookie when it sent one (a browser), else
 * its address (a script without cookies), so one visitor can never replay or probe another's key.
 */
export function anonymousScope(by: { csrfCookie?: string | undefined; address: string }): string {
  return `anon:${sha256Hex(by.csrfCookie ? `csrf:${by.csrfCookie}` : `addr:${by.address}`).slice(0, 32)}`;
}

/** Load the signed-in member (if any) from the session cookie; never trusts a cookie across tenants. */
export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, cookieName(c, SESSION_COOKIE));
    const actor = token ? await actorFromSession(c.get('deps').database.db, c.get('tenant').id, token) : undefined;
    if (actor) {
      c.set('actor', actor);
      c.set('actorScope', `member:${actor.memberId}`);
      c.header('Cache-Control', 'private, no-store');
    } else {
      // The cookie the request carried (the CSRF middleware makes a fresh one when there is none).
      const sent = getCookie(c, cookieName(c, 'pm_csrf'));
      c.set('actorScope', anonymousScope({ csrfCookie: sent, address: clientKey(c) }));
    }
    await next();
  };
}
