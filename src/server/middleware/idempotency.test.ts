import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { anonymousScope } from './idempotency.ts';

describe(`Idempotency-Key (${storeName()})`, () => {
  async function setup(staleSeconds = 60) {
    let calls = 0;
    const { app, deps } = await testApp({ idempotencyStaleSeconds: staleSeconds }, (a) => {
      a.post('/api/v1/test-counter', async (c) => {
        calls += 1;
        const body = (await c.req.json()) as { n: number };
        return c.json({ call: calls, n: body.n }, 201);
      });
      a.post('/api/v1/test-fail', () => {
        calls += 1;
        throw new Error('boom');
      });
    });
    const { host, tenant } = await buildTenant(deps.database.db);
    const post = (path: string, key: string, body: unknown) =>
      app.request(path, { method: 'POST', headers: { host, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    /** A claim as a process killed mid-request leaves it, made `ageSeconds` ago (microsecond timestamp). */
    const abandon = async (key: string, body: unknown, ageSeconds: number) => {
      const bodyHash = sha256Hex(`POST /api/v1/test-counter\n${JSON.stringify(body)}`);
      await deps.database.query(
        `INSERT INTO idempotency_keys (tenant_id, scope, key, method, path, body_hash, status, content_type, response_body, created_at)
         VALUES ($1, $5, $2, 'POST', '/api/v1/test-counter', $3, 0, '', '', now() - make_interval(secs => $4))`,
        [tenant.id, key, bodyHash, ageSeconds, anonymousScope({ address: 'in-process' })],
      );
    };
    return { post, abandon, calls: () => calls };
  }

  it('takes over a claim abandoned longer ago than the stale period, and then replays', async () => {
    const { post, abandon, calls } = await setup(60);
    const key = crypto.randomUUID();
    await abandon(key, { n: 3 }, 61.5);
    const retry = await post('/api/v1/test-counter', key, { n: 3 });
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual({ call: 1, n: 3 });
    const again = await post('/api/v1/test-counter', key, { n: 3 });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ call: 1, n: 3 });
    expect(calls()).toBe(1);
  });

  it('keeps a claim younger than the stale period in progress (409)', async () => {
    const { post, abandon, calls } = await setup(60);
    const key = crypto.randomUUID();
    await abandon(key, { n: 4 }, 30);
    const retry = await post('/api/v1/test-counter', key, { n: 4 });
    expect(retry.status).toBe(409);
    expect(((await retry.json()) as { error: { code: string } }).error.code).toBe('idempotency_in_progress');
    expect(calls()).toBe(0);
  });

  it("scopes signed-out keys by the caller: another visitor's same key neither replays nor conflicts", async () => {
    const { app, deps } = await testApp({}, (a) => a.post('/api/v1/test-echo', async (c) => c.json({ n: ((await c.req.json()) as { n: number }).n }, 201)));
    const { host } = await buildTenant(deps.database.db);
    const key = crypto.randomUUID();
    const as = (cookie: string | undefined, n: number) =>
      app.request('/api/v1/test-echo', { method: 'POST', headers: { host, 'content-type': 'application/json', 'idempotency-key': key, ...(cookie ? { cookie: `pm_csrf=${cookie}` } : {}) }, body: JSON.stringify({ n }) });
    const first = await as('visitor-a-csrf-cookie-000000', 1);
    expect(first.status).toBe(201);
    // Another browser with the same key: its own request runs (no 409 telling it the key was used, no replay of A's answer).
    const other = await as('visitor-b-csrf-cookie-000000', 2);
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await other.json()).toEqual({ n: 2 });
    // The same browser retrying gets its first answer back.
    const retry = await as('visitor-a-csrf-cookie-000000', 1);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual({ n: 1 });
    // A script without cookies is scoped by its address: its retries replay.
    expect((await as(undefined, 3)).status).toBe(201);
    const scripted = await as(undefined, 3);
    expect(scripted.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays the first response for a retry and never runs the handler twice', async () => {
    const { post, calls } = await setup();
    const key = crypto.randomUUID();
    const first = await post('/api/v1/test-counter', key, { n: 7 });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const again = await post('/api/v1/test-counter', key, { n: 7 });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(firstBody);
    expect(calls()).toBe(1);
  });

  it('answers the same key with a different body with 409', async () => {
    const { post, calls } = await setup();
    const key = crypto.randomUUID();
    await post('/api/v1/test-counter', key, { n: 1 });
    const other = await post('/api/v1/test-counter', key, { n: 2 });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('idempotency_conflict');
    expect(calls()).toBe(1);
  });

  it('does not store server errors, so a retry runs again', async () => {
    const { post, calls } = await setup();
    const key = crypto.randomUUID();
    expect((await post('/api/v1/test-fail', key, {})).status).toBe(500);
    expect((await post('/api/v1/test-fail', key, {})).status).toBe(500);
    expect(calls()).toBe(2);
  });

  it('refuses a malformed key with a message', async () => {
    const { post } = await setup();
    const res = await post('/api/v1/test-counter', 'short', { n: 1 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Idempotency-Key/);
  });
});
