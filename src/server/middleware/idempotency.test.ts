import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';

describe(`Idempotency-Key (${storeName()})`, () => {
  async function setup() {
    let calls = 0;
    const { app, deps } = await testApp({}, (a) => {
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
    const { host } = await buildTenant(deps.database.db);
    const post = (path: string, key: string, body: unknown) =>
      app.request(path, { method: 'POST', headers: { host, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    return { post, calls: () => calls };
  }

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
