/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.ts';
import { STAFF_ROLES, type Actor } from '../modules/membership/policy.ts';
import { ROLES, type Role } from '../modules/membership/schema.ts';
import { appointRepresentative } from '../modules/membership/service.ts';
import { createSession } from '../modules/membership/sessions.ts';
import { testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { enqueueEmail } from '../modules/email/service.ts';
import { requestSecondFactorReset } from '../modules/membership/staff.ts';
import type { AccessFixture, AccessTargets } from '../test/access-fixture.ts';
import { allows, routeRegistry, type Access } from './access.ts';

/** Each module's fixture for its own routes (src/modules/<name>/access.fixture.ts, found by the glob). */
const moduleFixtures = import.meta.glob<AccessFixture>('../modules/*/access.fixture.ts', { eager: true, import: 'accessTargets' });

type ActorKind = 'signed-out' | Role | 'other-tenant-admin';
const ACTORS: ActorKind[] = ['signed-out', ...ROLES, 'other-tenant-admin'];

function allowed(access: Access, actor: ActorKind): boolean {
  if (access === 'public') return true;
  if (actor === 'signed-out' || actor === 'other-tenant-admin') return false;
  return allows(access, [actor]);
}

/**
 * Routes whose fixture has no record to find, so an allowed request may answer 404 (with why).
 * Every other allowed request must reach a real target: a 404 there fails the test.
 */
const NO_TARGET: Record<string, string> = {
  'GET /me/data/download': 'needs the single-use download link /me/data sends; the fixture has none',
  'POST /me/contact-change/email/accept': 'needs a pending email change on the signed-in member',
  'POST /me/contact-change/email/decline': 'needs a pending email change on the signed-in member',
  'POST /me/contact-change/phone/accept': 'needs a pending phone change on the signed-in member',
  'POST /me/contact-change/phone/decline': 'needs a pending phone change on the signed-in member',
  'POST /me/passkeys/remove': 'needs a passkey of the signed-in member (WebAuthn cannot be faked here)',
};

/**
 * A fingerprint of every table (read from information_schema, so a new table is covered without
 * editing this test): tenant-owned rows of the tenant, whole tables for those without tenant_id.
 */
async function fingerprint(database: Database, tenantId: string): Promise<string> {
  const tables = await database.query<{ t: string; tenant: boolean }>(
    `SELECT table_name AS t, bool_or(column_name = 'tenant_id') AS tenant FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_\\_%' GROUP BY table_name ORDER BY 1`,
  );
  expect(tables.length).toBeGreaterThan(20);
  const parts: string[] = [];
  for (const { t, tenant } of tables) {
    const [row] = await database.query<{ h: string | null }>(
      `SELECT md5(string_agg(row_to_json(x)::text, '|' ORDER BY row_to_json(x)::text)) AS h FROM "${t}" x${tenant ? ' WHERE tenant_id = $1' : ''}`,
      tenant ? [tenantId] : [],
    );
    parts.push(`${t}:${row?.h ?? ''}`);
  }
  return parts.join(';');
}

describe(`access matrix: every route × every role (${storeName()})`, () => {
  it('allows exactly the roles each route declares, and denied requests change nothing', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const other = await buildTenant(db);
    const target = await buildMember(db, tenant.id, { wardCode: 'E05010264' });
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    const actorRow: Actor = { memberId: admin.member.id, tenantId: tenant.id, roles: new Set<Role>(['admin']), sessionId: 'x' };
    const appointmentId = await appointRepresentative(db, actorRow, { memberId: target.member.id, wardId: target.member.wardId!, startsOn: '2026-01-01' });

    const members = new Map<ActorKind, string>();
    for (const role of ROLES) members.set(role, (await buildMember(db, tenant.id, { roles: [role] })).member.id);
    const otherAdmin = await buildMember(db, other.tenant.id, { roles: ['admin'] });

    // Staff routes act on a staff member: one who is nobody's actor in the loop below.
    const staffTarget = await buildMember(db, tenant.id, { roles: ['board'] });
    // A reset another admin asked for, so that the approving admin in the loop has one to approve.
    const approveTarget = await buildMember(db, tenant.id, { roles: ['board'] });
    expect(await requestSecondFactorReset(db, actorRow, tenant, approveTarget.member.id, 'http://localhost')).toBe('requested');
    const mail = await enqueueEmail(db, { tenantId: tenant.id, to: 'someone@example.org', subject: 'Fixture', text: 'Fixture', template: 'test.fixture', locale: 'en' });

    const targets: AccessTargets = {};
    for (const [file, fixture] of Object.entries(moduleFixtures)) {
      for (const [key, value] of Object.entries(await fixture({ db, tenantId: tenant.id, admin: actorRow, memberId: target.member.id }))) {
        expect(key in targets, `${key} has targets from two fixtures (${file})`).toBe(false);
        targets[key] = value;
      }
    }
    const noTarget = (key: string) => key in NO_TARGET || (targets[key] !== undefined && 'noTarget' in targets[key]);

    const concrete = (key: string, path: string) => {
      const own = targets[key];
      if (own && !('noTarget' in own)) return path.replace(/:([A-Za-z_]+)/g, (whole, name: string) => own[name] ?? whole);
      return path
        .replace(':id', path.startsWith('/dev/') ? mail.id : path.endsWith('/reset/approve') ? approveTarget.member.id : path.startsWith('/coordinator/staff/') ? staffTarget.member.id : target.member.id)
        .replace(':file', 'favicon.svg')
        .replace(':appointment', appointmentId);
    };

    const routes = [...routeRegistry.values()];
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => r.path.startsWith('/api/')).length).toBeGreaterThanOrEqual(7);
    const failures: string[] = [];
    let denials = 0;
    for (const route of routes) {
      for (const actor of ACTORS) {
        const client = new TestClient(app, host);
        await client.get('/healthz');
        await client.get('/about');
        if (actor === 'other-tenant-admin') {
          client.cookies.set('pm_session', otherAdmin.cookie);
        } else if (actor !== 'signed-out') {
          const staff = (STAFF_ROLES as readonly string[]).includes(actor);
          const { token } = await createSession(db, { tenantId: tenant.id, memberId: members.get(actor)!, staff, secondFactor: staff });
          client.cookies.set('pm_session', token);
        }
        const key = `${route.method} ${route.path}`;
        const path = concrete(key, route.path);
        const expectAllowed = allowed(route.access, actor);
        const before = expectAllowed ? '' : await fingerprint(deps.database, tenant.id);
        if (!expectAllowed) denials++;
        const res = route.method === 'GET' ? await client.get(path) : await client.post(path, {});
        const denied = res.status === 401 || res.status === 403 || (res.status === 303 && res.headers.get('location') === '/sign-in');
        if (expectAllowed && denied) failures.push(`${key} as ${actor}: expected allowed, got ${res.status}`);
        // A 404 is neither: allowed requests have a real target (unless NO_TARGET says why not).
        if (expectAllowed && res.status === 404 && !noTarget(key)) failures.push(`${key} as ${actor}: expected allowed, got 404 (no target?)`);
        if (!expectAllowed) {
          if (!denied) failures.push(`${key} as ${actor}: expected denied, got ${res.status}`);
          const after = await fingerprint(deps.database, tenant.id);
          if (after !== before) failures.push(`${route.method} ${route.path} as ${actor}: data changed although denied`);
        }
        expect(res.status, `${route.method} ${path} as ${actor}`).toBeLessThan(500);
      }
    }
    expect(failures).toEqual([]);
    expect(denials).toBeGreaterThan(100);
  }, 1_200_000);

  it("answers another tenant's record ids with 404 and changes nothing", async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const a = await buildTenant(db);
    const b = await buildTenant(db);
    // Every staff role, so routes an admin alone may not open (DBS checks) are reached too.
    const admin = await buildMember(db, a.tenant.id, { roles: [...STAFF_ROLES] });
    const foreign = await buildMember(db, b.tenant.id);
    const client = new TestClient(app, a.host);
    await client.get('/about');
    client.cookies.set('pm_session', admin.cookie);
    // Routes an admin may not use (safeguarding concerns: leads only) are tried by a member holding every role.
    const everyRole = await buildMember(db, a.tenant.id, { roles: [...ROLES] });
    const allRoles = new TestClient(app, a.host);
    await allRoles.get('/about');
    allRoles.cookies.set('pm_session', everyRole.cookie);
    const before = await fingerprint(deps.database, b.tenant.id);
    const idRoutes = [...routeRegistry.values()].filter((r) => r.path.includes(':id') && !r.path.startsWith('/dev/'));
    expect(idRoutes.length).toBeGreaterThan(3);
    for (const r of idRoutes) {
      const path = r.path.replace(':id', foreign.member.id).replace(':appointment', foreign.member.id);
      const as = allows(r.access, ['admin']) ? client : allRoles;
      const res = r.method === 'GET' ? await as.get(path) : await as.post(path, { role: 'board', status: 'left', suspended: 'yes', ward: 'E05010264', startsOn: '2026-01-01', endsOn: '2026-12-01' });
      expect(res.status, `${r.method} ${path}`).toBe(404);
    }
    expect(await fingerprint(deps.database, b.tenant.id)).toBe(before);
  });

  it('refuses a sort key outside the allow-list at once', async () => {
    const { app, deps } = await testApp();
    const { tenant, host } = await buildTenant(deps.database.db);
    const coordinator = await buildMember(deps.database.db, tenant.id, { roles: ['coordinator'] });
    const client = new TestClient(app, host);
    client.cookies.set('pm_session', coordinator.cookie);
    const res = await client.get('/coordinator/members?sort=pg_sleep(5)');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('sort must be one of');
  });
});
