import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { hmacHex, randomToken, safeEqual } from '../../lib/hash.ts';
import type { AppEnv } from '../context.ts';
import { cookieFor, cookieName } from '../cookies.ts';
import { AppError } from '../errors.ts';

export const CSRF_COOKIE = 'pm_csrf';
const COOKIE = CSRF_COOKIE;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function csrfTokenFor(secret: string, cookieValue: string): string {
  return hmacHex(secret, `csrf:${cookieValue}`);
}

function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') {
    try {
      return new URL(origin).host === (c.req.header('host') ?? new URL(c.req.url).host);
    } catch {
      return false;
    }
  }
  // Browsers send "Origin: null" for a form on a page served with Referrer-Policy: no-referrer (our
  // token-link pages). Sec-Fetch-Site comes from the browser, not the page: accept null only when it
  // says same-origin (a sandboxed frame on another site says cross-site). Forms still need the token.
  if (origin === 'null') return c.req.header('sec-fetch-site') === 'same-origin';
  return c.req.header('sec-fetch-site') !== 'cross-site';
}

/**
 * CSRF protection for every state-changing request (SECURITY.md 5):
 * - a cross-site Origin (or Sec-Fetch-Site: cross-site) is refused outright;
 * - HTML forms must carry a token bound to the visitor's CSRF cookie (double submit, HMAC-signed);
 * - JSON requests need Content-Type: application/json (a cross-site form cannot send it without
 *   a CORS preflight, which we never grant) or the token in X-CSRF-Token.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { secret } = c.get('deps');
    let cookieValue = getCookie(c, cookieName(c, COOKIE));
    if (!cookieValue || cookieValue.length < 20) {
      cookieValue = randomToken(24);
      const { name, options } = cookieFor(c, COOKIE);
      setCookie(c, name, cookieValue, options);
    }
    const expected = csrfTokenFor(secret, cookieValue);
    c.set('csrfToken', expected);
    if (!UNSAFE.has(c.req.method)) return next();

    if (!sameOrigin(c)) throw new AppError('csrf_failed', 'This request came from another site and was refused.');
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    const headerToken = c.req.header(CSRF_HEADER);
    if (headerToken) {
      if (!safeEqual(headerToken, expected)) throw new AppError('csrf_failed', 'The security token is wrong or expired. Reload the page and try again.');
      return next();
    }
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      // inputGuard() has parsed (and cached) this body already; a broken one never gets here.
      let token: unknown;
      try {
        token = (await c.req.parseBody())[CSRF_FIELD];
      } catch {
        throw new AppError('bad_request', c.get('t')('error.input.form'), [], 'error.input.form');
      }
      if (typeof token !== 'string' || !safeEqual(token, expected)) {
        throw new AppError('csrf_failed', 'This form has expired or came from another site. Reload the page and try again.');
      }
      return next();
    }
    if (type.startsWith('application/json')) return next();
    if (c.req.header('content-length') === '0' || !c.req.raw.body) {
      throw new AppError('csrf_failed', 'Send a form with its security token, or JSON with Content-Type: application/json.');
    }
    throw new AppError('unsupported_media_type', 'Send JSON (Content-Type: application/json) or an HTML form.');
  };
}
