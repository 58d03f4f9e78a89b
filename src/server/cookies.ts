import type { Context } from 'hono';
import type { CookieOptions } from 'hono/utils/cookie';
import type { AppEnv } from './context.ts';

/** True when the browser reached us over HTTPS (directly or through a proxy) or in production. */
export function isSecureRequest(c: Context<AppEnv>): boolean {
  if (c.get('deps').config.env === 'production') return true;
  const proto = c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '');
  return proto === 'https';
}

/**
 * Name and options for a first-party cookie: `__Host-` prefixed, Secure, HttpOnly, SameSite=Lax
 * over HTTPS; over plain-HTTP development the prefix and Secure are dropped (browsers refuse them).
 */
export function cookieFor(c: Context<AppEnv>, baseName: string, maxAge?: number): { name: string; options: CookieOptions } {
  const secure = isSecureRequest(c);
  const options: CookieOptions = { path: '/', httpOnly: true, sameSite: 'Lax', secure };
  if (maxAge !== undefined) options.maxAge = maxAge;
  if (secure) options.prefix = 'host';
  return { name: baseName, options };
}

export function cookieName(c: Context<AppEnv>, baseName: string): string {
  return isSecureRequest(c) ? `__Host-${baseName}` : baseName;
}
