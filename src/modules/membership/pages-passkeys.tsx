import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { cookieFor, isSecureRequest } from '../../server/cookies.ts';
import { AppError } from '../../server/errors.ts';
import { SESSION_COOKIE } from '../../server/middleware/session.ts';
import { authenticationOptions, registerPasskey, registrationOptions, removePasskey, signInWithPasskey, type RelyingParty } from './passkeys.ts';
import { rateLimit } from './rate-limit.ts';
import { clientKey } from '../../server/client-address.ts';
import { SESSION_LIMITS } from './sessions.ts';
import { SECOND_FACTOR_COOKIE } from './sign-in-cookies.ts';

/** The relying party is this host, as the browser sees it. */
function relyingParty(c: Context<AppEnv>): RelyingParty {
  const url = new URL(c.req.url);
  const host = c.req.header('host') ?? url.host;
  const proto = isSecureRequest(c) ? 'https:' : url.protocol;
  return { rpId: host.replace(/:\d+$/, ''), origin: `${proto}//${host}` };
}

const PasskeyResponse = z.object({
  challengeId: z.string().min(10).max(100),
  response: z.object({ id: z.string().min(1).max(1024), rawId: z.string(), type: z.literal('public-key'), response: z.record(z.string(), z.unknown()) }).passthrough(),
});

async function readResponse(c: Context<AppEnv>) {
  const parsed = PasskeyResponse.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) throw new AppError('bad_request', 'The passkey response was not understood. Try again.', [], 'error.passkey.unreadable');
  return parsed.data;
}


/** JSON endpoints for the passkey buttons (src/client/passkeys.ts); the forms work without them. */
export function registerPasskeyRoutes(app: RouteTarget): void {
  route(app, 'POST', '/me/passkeys/options', 'signed-in', async (c) => {
    const result = await registrationOptions(c.get('deps').database.db, c.get('tenant'), requireActor(c), relyingParty(c));
    return c.json(result);
  });

  route(app, 'POST', '/me/passkeys', 'signed-in', async (c) => {
    const { challengeId, response } = await readResponse(c);
    await registerPasskey(c.get('deps').database.db, c.get('tenant'), requireActor(c), relyingParty(c), challengeId, response as unknown as RegistrationResponseJSON);
    return c.json({ ok: true, redirect: '/me?saved=1' });
  });

  route(app, 'POST', '/me/passkeys/remove', 'signed-in', async (c) => {
    const body = await c.req.parseBody();
    await removePasskey(c.get('deps').database.db, c.get('tenant').id, requireActor(c), typeof body.id === 'string' ? body.id : '');
    return c.redirect('/me?saved=1', 303);
  });

  route(app, 'POST', '/sign-in/passkey/options', 'public', async (c) => {
    const db = c.get('deps').database.db;
    await rateLimit(db, `passkey:ip:${c.get('tenant').id}:${clientKey(c)}`, 30, 600);
    return c.json(await authenticationOptions(db, c.get('tenant'), relyingParty(c)));
  });

  route(app, 'POST', '/sign-in/passkey', 'public', async (c) => {
    const db = c.get('deps').database.db;
    await rateLimit(db, `passkey-verify:ip:${c.get('tenant').id}:${clientKey(c)}`, 30, 600);
    const { challengeId, response } = await readResponse(c);
    const result = await signInWithPasskey(db, c.get('tenant'), relyingParty(c), challengeId, response as unknown as AuthenticationResponseJSON);
    if (result.kind === 'second_factor') {
      // A passkey that does not count as a staff second factor: the authenticator code comes next.
      const pending = cookieFor(c, SECOND_FACTOR_COOKIE, 600);
      setCookie(c, pending.name, result.pendingToken, pending.options);
      return c.json({ ok: true, redirect: '/sign-in/second-factor' });
    }
    const limits = result.staff ? SESSION_LIMITS.staff : SESSION_LIMITS.member;
    const { name, options } = cookieFor(c, SESSION_COOKIE, limits.absoluteMs / 1000);
    setCookie(c, name, result.token, options);
    return c.json({ ok: true, redirect: '/me' });
  });
}
