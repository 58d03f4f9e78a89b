import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { routeRegistry } from './access.ts';
import { createSession } from '../modules/membership/sessions.ts';

const FIELDS = ['name', 'email', 'phone', 'ward', 'relationship', 'childrenUnder5', 'preferredLocale', 'consent', 'step', 'joinKey', 'token', 'code', 'role', 'status', 'suspended', 'startsOn', 'endsOn', 'confirm', 'id', 'mode', 'back', 'confirmNumber'];
const NASTY = ['', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '<svg onload=alert(1)>', "' OR 1=1 --", 'pg_sleep(5)', '\u0000', '😀'.repeat(50), 'x'.repeat(5000), '../../etc/passwd', '%00', '{"a":1}', '2026-02-30', 'E05010264', 'admin'];

describe(`fuzzing every POST route with malformed input (${storeName()})`, () => {
  it('never answers 5xx and never changes another tenant', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const bystander = await buildTenant(db);
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    const target = await buildMember(db, tenant.id);
    const before = await deps.database.query('SELECT count(*)::int AS n FROM members WHERE tenant_id = $1', [bystander.tenant.id]);
    const posts = [...routeRegistry.values()].filter((r) => r.method === 'POST');
    const value = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.integer().map(String));
    const form = fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), form, fc.boolean(), fc.constantFrom('form', 'json', 'garbage'), async (route, body, signedIn, kind) => {
        const client = new TestClient(app, host);
        await client.get('/about');
        // A fresh staff session each run: an earlier run may have signed out or erased.
        if (signedIn) client.cookies.set('pm_session', (await createSession(db, { tenantId: tenant.id, memberId: admin.member.id, staff: true, secondFactor: true })).token);
        const path = route.path.replace(':id', target.member.id).replace(':appointment', target.member.id);
        let res: Response;
        if (kind === 'form') res = await client.post(path, body);
        else {
          res = await app.request(path, {
            method: 'POST',
            headers: { host, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': client.csrf() },
            body: kind === 'json' ? JSON.stringify(body) : '{"unterminated": [',
          });
        }
        expect(res.status, `${route.method} ${route.path} ${kind} ${JSON.stringify(body).slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 250, seed: 20261126 },
    );
    expect(await deps.database.query('SELECT count(*)::int AS n FROM members WHERE tenant_id = $1', [bystander.tenant.id])).toEqual(before);
  }, 180_000);

  it('renders stored markup inert on every page that shows it', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    const evil = '<svg onload=alert(1)><script>alert(2)</script>';
    const target = await buildMember(db, tenant.id, { name: evil, wardCode: 'E05010264' });
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', admin.cookie);
    for (const path of ['/coordinator/members', `/coordinator/members/${target.member.id}`, '/coordinator/coverage']) {
      const html = await (await c.get(path)).text();
      expect(html, path).not.toContain('<svg onload');
      expect(html, path).not.toContain('<script>alert');
    }
    await c.post(`/coordinator/members/${target.member.id}/reps/appoint`, { ward: 'E05010264', startsOn: '2026-01-01' });
    const coverage = await (await c.get('/coordinator/coverage')).text();
    expect(coverage).toContain('&lt;svg onload=alert(1)&gt;');
    const self = new TestClient(app, host);
    self.cookies.set('pm_session', target.cookie);
    const me = await (await self.get('/me')).text();
    expect(me).not.toContain('<svg onload');
  });
});
