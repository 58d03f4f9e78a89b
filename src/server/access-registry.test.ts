import { createRoute } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { routeRegistry, secured } from './access.ts';
import { createApi } from './api.ts';
import type { AppEnv } from './context.ts';

/** Every method + path Hono serves (middleware excluded) that the access registry does not hold. */
function unregistered(app: Hono<AppEnv>): string[] {
  const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
  return [...served].filter((key) => !routeRegistry.has(key)).sort();
}

describe(`no route escapes the access registry (${storeName()})`, () => {
  it('every route the app serves, pages and API, health, assets and docs, is in the registry', async () => {
    const { app } = await testApp();
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    expect(served.size).toBeGreaterThan(60);
    expect(unregistered(app)).toEqual([]);
    for (const key of ['GET /healthz', 'GET /readyz', 'GET /assets/:file', 'GET /api/docs', 'GET /api/openapi.json', 'GET /dev/mailbox', 'GET /dev/sms', 'POST /api/v1/join', 'GET /api/v1/wards/:code']) {
      expect(served.has(key), key).toBe(true);
      expect(routeRegistry.has(key), key).toBe(true);
    }
  });

  it('finds a route added behind the registry’s back', async () => {
    const { app } = await testApp({}, (a) => a.get('/sneaky', (c) => c.text('x')));
    expect(unregistered(app)).toEqual(['GET /sneaky']);
  });

  it('an API route declared with a permission enforces it (401 signed out, 403 without it)', async () => {
    const { app, deps } = await testApp({}, (a) => {
      const api = createApi();
      api.openapi(secured('members.manage', createRoute({ method: 'get', path: '/api/v1/toy/{code}', responses: { 200: { description: 'ok' } } })), (c) => c.json({ code: c.req.param('code') }));
      a.route('/', api);
    });
    expect(routeRegistry.get('GET /api/v1/toy/:code')?.access).toBe('members.manage');
    expect(unregistered(app)).toEqual([]);
    const { tenant, host } = await buildTenant(deps.database.db);
    const member = await buildMember(deps.database.db, tenant.id);
    const coordinator = await buildMember(deps.database.db, tenant.id, { roles: ['coordinator'] });
    const client = new TestClient(app, host);
    expect((await client.get('/api/v1/toy/E05')).status).toBe(401);
    client.cookies.set('pm_session', member.cookie);
    expect((await client.get('/api/v1/toy/E05')).status).toBe(403);
    client.cookies.set('pm_session', coordinator.cookie);
    const ok = await client.get('/api/v1/toy/E05');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ code: 'E05' });
  });
});
