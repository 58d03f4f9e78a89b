import { and, eq, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { clientKey } from '../client-address.ts';
import { cookieName } from '../cookies.ts';
import { CSRF_COOKIE } from './csrf.ts';
import { idempotencyKeys } from '../../db/system-schema.ts';
import { sha256Hex } from '../../lib/hash.ts';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';

/**
 * The scope of a signed-out caller: its CSRF cookie when it sent one (a browser), else its address
 * (a script without cookies), so one visitor can never replay or probe another's key.
 */
export function anonymousScope(by: { csrfCookie?: string | undefined; address: string }): string {
  return `anon:${sha256Hex(by.csrfCookie ? `csrf:${by.csrfCookie}` : `addr:${by.address}`).slice(0, 32)}`;
}

const KEY_RE = /^[A-Za-z0-9_-]{16,100}$/;
const IN_PROGRESS = 0;

/**
 * Idempotency-Key for POSTs (DESIGN.md §4): the first response is stored; a replay with the same
 * key and body gets it back (Idempotent-Replayed: true); the same key with a different body is a
 * 409. Keys are scoped by tenant and by who is asking. Server errors are not stored, so a retry
 * after a 5xx runs again. Domain creates that a phone may retry also carry a unique client key,
 * so even a crash between commit and storing the response cannot duplicate.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY_RE.test(key)) {
      throw new AppError('bad_request', 'Idempotency-Key must be 16–100 letters, digits, dashes or underscores (a UUID is ideal).');
    }
    const { database, config } = c.get('deps');
    const db = database.db;
    const tenantId = c.get('tenant').id;
    // Signed in: the member. Signed out: the cookie the request carried (the CSRF middleware makes
    // a fresh one when there is none), else the address. Worked out only for requests with a key.
    const scope = c.get('actor') ? c.get('actorScope') : anonymousScope({ csrfCookie: getCookie(c, cookieName(c, CSRF_COOKIE)), address: clientKey(c) });
    const path = new URL(c.req.url).pathname;
    const bodyHash = sha256Hex(`${c.req.method} ${path}\n${await c.req.text()}`);
    const where = and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));

    const claimed = await db
      .insert(idempotencyKeys)
      .values({ tenantId, scope, key, method: c.req.method, path, bodyHash, status: IN_PROGRESS, contentType: '', responseBody: '' })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [existing] = await db.select().from(idempotencyKeys).where(where);
      if (!existing) throw new AppError('idempotency_in_progress', 'That request is still being processed. Try again in a moment.');
      if (existing.bodyHash !== bodyHash) {
        throw new AppError('idempotency_conflict', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.');
      }
      if (existing.status === IN_PROGRESS) {
        // A claim left by a process that died (kill -9) is taken over once it is stale. The age is
        // decided in SQL: a JavaScript Date has only milliseconds and never equals the stored
        // microsecond timestamp. One UPDATE both checks and claims, so only one retry wins.
        const retaken = await db
          .update(idempotencyKeys)
          .set({ createdAt: sql`now()` })
          .where(and(where, eq(idempotencyKeys.status, IN_PROGRESS), sql`${idempotencyKeys.createdAt} <= now() - make_interval(secs => ${config.idempotencyStaleSeconds})`))
          .returning({ key: idempotencyKeys.key });
        if (retaken.length === 0) throw new AppError('idempotency_in_progress', 'That request is still being processed. Try again in a moment.');
      } else {
        c.header('Idempotent-Replayed', 'true');
        return c.body(existing.responseBody, existing.status as 200, { 'Content-Type': existing.contentType });
      }
    }

    try {
      await next();
    } catch (err) {
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.status, IN_PROGRESS)));
      throw err;
    }
    if (c.res.status >= 500 || c.error) {
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.status, IN_PROGRESS)));
      return;
    }
    const responseBody = await c.res.clone().text();
    await db
      .update(idempotencyKeys)
      .set({ status: c.res.status, contentType: c.res.headers.get('content-type') ?? 'application/json', responseBody })
      .where(where);
  };
}
