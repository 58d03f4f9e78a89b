import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { PLATFORM_DATA } from '../db/privacy.ts';
import { Pages, route, routeRegistry } from '../server/access.ts';
import { allPermissions, rolesFor } from '../server/auth/index.ts';
import type { AppEnv } from '../server/context.ts';
import { testDeps } from '../test/app.ts';
import { storeName, testDatabase } from '../test/db.ts';
import { coreEn, en } from '../ui/i18n/en.ts';
import { pl } from '../ui/i18n/pl.ts';
import { DATA_CATALOGUE, MODULES } from './index.ts';
import { messages, type ModuleManifest } from './manifest.ts';
import { manifestClashes } from './manifest-check.ts';
import { ROLES } from './membership/schema.ts';

const PLATFORM_TABLES = Object.keys(PLATFORM_DATA);

describe('module manifests (src/modules/index.ts)', () => {
  it('no two modules declare the same message key, route, table or permission', async () => {
    const deps = await testDeps();
    expect(manifestClashes(MODULES, deps, { messages: Object.keys(coreEn), tables: PLATFORM_TABLES })).toEqual([]);
  });

  it('reports a clash when two modules claim the same key, route, table or permission', async () => {
    const deps = await testDeps();
    const toy = (name: string): ModuleManifest => ({
      name,
      pages: (pages) => route(pages, 'GET', '/toy', 'public', (c) => c.text(name)),
      messages: messages({ 'toy.title': 'Toy', 'site.skip': 'Skip' }, { 'toy.title': 'Zabawka', 'site.skip': 'Pomiń' }),
      permissions: { 'toy.run': ['admin'] },
      data: { members: DATA_CATALOGUE.members! },
    });
    const clashes = manifestClashes([toy('a'), toy('b')], deps, { messages: Object.keys(coreEn), tables: PLATFORM_TABLES });
    expect(clashes.sort()).toEqual([
      'message site.skip: site and a',
      'message site.skip: site and b',
      'message toy.title: a and b',
      'permission toy.run: a and b',
      'route GET /toy: a and b',
      'table members: a and b',
    ]);
  });

  it('every classified table belongs to exactly one module or the platform', () => {
    const owned = [...PLATFORM_TABLES, ...MODULES.flatMap((m) => Object.keys('data' in m ? m.data : {}))];
    expect(owned.sort()).toEqual(Object.keys(DATA_CATALOGUE).sort());
  });

  it('the catalogues are the site strings plus every module’s, in English and Polish alike', () => {
    const keys = [...Object.keys(coreEn), ...MODULES.flatMap((m) => Object.keys('messages' in m ? m.messages.en : {}))];
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
    expect(Object.keys(pl).sort()).toEqual([...keys].sort());
    for (const m of MODULES) if ('messages' in m) expect(Object.keys(m.messages.pl).sort(), m.name).toEqual(Object.keys(m.messages.en).sort());
  });

  it('permissions map to known roles, and every permission a route names exists', async () => {
    const { createApp } = await import('../server/app.ts');
    createApp(await testDeps());
    const perms = allPermissions();
    // Membership's own permissions, exactly (a later module adds its own without editing this test).
    expect(perms.filter((p) => p.module === 'membership').map((p) => p.permission).sort()).toEqual(['coverage.exact', 'members.import', 'members.manage', 'staff.manage']);
    expect(new Set(perms.map((p) => p.permission)).size).toBe(perms.length);
    for (const p of perms) for (const role of p.roles) expect(ROLES).toContain(role);
    expect(rolesFor('staff.manage')).toEqual(['admin']);
    expect(rolesFor('members.manage')).toEqual(['coordinator', 'admin']);
    for (const { method, path, access } of routeRegistry.values()) {
      if (access !== 'public' && access !== 'signed-in') expect(() => rolesFor(access), `${method} ${path}`).not.toThrow();
    }
  });

  it('mounts static path segments before parameters, whatever the registration order', async () => {
    const pages = new Pages();
    route(pages, 'GET', '/toy/:code', 'public', (c) => c.text(`code ${c.req.param('code')}`));
    route(pages, 'GET', '/toy/:code/map', 'public', (c) => c.text('map'));
    route(pages, 'GET', '/toy/coverage', 'public', (c) => c.text('coverage'));
    const app = new Hono<AppEnv>();
    pages.mount(app);
    expect(await (await app.request('/toy/coverage')).text()).toBe('coverage');
    expect(await (await app.request('/toy/E05')).text()).toBe('code E05');
    expect(await (await app.request('/toy/E05/map')).text()).toBe('map');
  });
});

describe(`retention from the manifests (${storeName()})`, () => {
  it('runs the platform job and every module’s, and reports each by name', async () => {
    const { runRetention } = await import('../server/retention.ts');
    const report = await runRetention((await testDatabase()).db);
    const declared = MODULES.flatMap((m) => ((m as ModuleManifest).retention ?? []).map((j) => j.name));
    expect(Object.keys(report).sort()).toEqual([...new Set(['idempotency', ...declared])].sort());
    // The platform's and the first modules' jobs, by name.
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['challenges', 'counters', 'emails', 'idempotency', 'phone codes', 'texts', 'tokens']));
  });
});

describe(`roles are text (${storeName()})`, () => {
  it('nothing in the database constrains a role, so a module may add one without a membership migration', async () => {
    const database = await testDatabase();
    const columns = await database.query<{ data_type: string }>(
      "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'member_roles' AND column_name = 'role'",
    );
    expect(columns).toEqual([{ data_type: 'text' }]);
    const checks = await database.query<{ conname: string }>("SELECT conname FROM pg_constraint WHERE conrelid = 'member_roles'::regclass AND contype IN ('c', 'f') AND pg_get_constraintdef(oid) ILIKE '%role%'");
    expect(checks).toEqual([]);
  });
});

describe(`navigation from the manifests (${storeName()})`, () => {
  it('shows each module’s entries to the actors their access admits, in order', async () => {
    const { testApp } = await import('../test/app.ts');
    const { TestClient } = await import('../test/client.ts');
    const { buildTenant } = await import('../test/factories.ts');
    const { buildMember } = await import('../test/members.ts');
    const { app, deps } = await testApp();
    const { tenant, host } = await buildTenant(deps.database.db);
    const links = async (cookie?: string) => {
      const client = new TestClient(app, host);
      if (cookie) client.cookies.set('pm_session', cookie);
      const html = await (await client.get('/about')).text();
      const nav = html.slice(html.indexOf('<nav class="site-nav"'), html.indexOf('</nav>', html.indexOf('<nav class="site-nav"')));
      return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    };
    // The site's own entries, in order (other modules' entries may sit among them); nothing staff-only leaks.
    const core = (hrefs: Array<string | undefined>) => hrefs.filter((h) => ['/', '/wards', '/wards/coverage', '/about', '/join', '/sign-in', '/me', '/work', '/coordinator/members'].includes(h ?? ''));
    const anon = await links();
    expect(core(anon)).toEqual(['/', '/wards', '/wards/coverage', '/about', '/join', '/sign-in']);
    expect(anon.filter((h) => h === '/me' || h?.startsWith('/coordinator'))).toEqual([]);
    const member = await links((await buildMember(deps.database.db, tenant.id)).cookie);
    expect(core(member)).toEqual(['/', '/wards', '/wards/coverage', '/about', '/me']);
    expect(member.filter((h) => h?.startsWith('/coordinator'))).toEqual([]);
    const coordinator = await links((await buildMember(deps.database.db, tenant.id, { roles: ['coordinator'] })).cookie);
    // Staff entries gather on the work hub: the bar has one link to it, the hub lists them.
    expect(core(coordinator)).toEqual(['/', '/wards', '/wards/coverage', '/about', '/work', '/me']);
    expect(coordinator.filter((h) => h?.startsWith('/coordinator'))).toEqual([]);
    const hub = new TestClient(app, host);
    hub.cookies.set('pm_session', (await buildMember(deps.database.db, tenant.id, { roles: ['coordinator'] })).cookie);
    const hubHtml = await (await hub.get('/work')).text();
    const main = hubHtml.slice(hubHtml.indexOf('<main'));
    expect(main).toContain('href="/coordinator/members"');
    expect(main).toContain('href="/coordinator/training"');
    const memberHub = new TestClient(app, host);
    memberHub.cookies.set('pm_session', (await buildMember(deps.database.db, tenant.id)).cookie);
    const memberMain = (await (await memberHub.get('/work')).text()).split('<main')[1] ?? '';
    expect(memberMain).not.toContain('href="/coordinator');
    // Every link shown is a distinct page.
    for (const list of [anon, member, coordinator]) expect(new Set(list).size).toBe(list.length);
  });
});
