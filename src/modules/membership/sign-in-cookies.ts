import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppEnv } from '../../server/context.ts';
import { cookieFor } from '../../server/cookies.ts';
import { SESSION_COOKIE } from '../../server/middleware/session.ts';
import type { SignInResult } from './auth.ts';
import { SESSION_LIMITS } from './sessions.ts';

/** Holds a staff member's pending sign-in between the email link and the second factor. */
export const SECOND_FACTOR_COOKIE = 'pm_2fa';

/** Set the session cookie for a finished sign-in, or the pending second-factor cookie for staff; returns where to go next. */
export function applySignIn(c: Context<AppEnv>, result: SignInResult): string {
  if (result.kind === 'session') {
    const { name, options } = cookieFor(c, SESSION_COOKIE, SESSION_LIMITS.member.absoluteMs / 1000);
    setCookie(c, name, result.token, options);
    return '/me';
  }
  const { name, options } = cookieFor(c, SECOND_FACTOR_COOKIE, 600);
  setCookie(c, name, result.pendingToken, options);
  return '/sign-in/second-factor';
}
