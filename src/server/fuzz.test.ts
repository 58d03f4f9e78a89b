import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.ts';
import type { Actor } from '../modules/membership/policy.ts';
import { STAFF_ROLES } from '../modules/membership/policy.ts';
import { ROLES, type Role } from '../modules/membership/schema.ts';
import { appointRepresentative } from '../modules/membership/service.ts';
import { csrfPair, testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { routeRegistry, type RouteEntry } from './access.ts';
import { createSession } from '../modules/membership/sessions.ts';

const FIELDS = ['name', 'email', 'phone', 'ward', 'relationship', 'childrenUnder5', 'preferredLocale', 'consent', 'step', 'joinKey', 'token', 'code', 'role', 'status', 'suspended', 'startsOn', 'endsOn', 'confirm', 'id', 'mode', 'back', 'q', 'sort', 'page', 'set', 'lang', 'reason', 'credential', 'confirmNumber'];
const NASTY = ['', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '<svg onload=alert(1)>', "' OR 1=1 --", 'pg_sleep(5)', '\u0000', '😀'.repeat(50), 'x'.repeat(5000), '../../etc/passwd', '%00', '{"a":1}', '2026-02-30', 'E05010264', 'admin', 'coordinator', 'active', 'suspended', 'left', 'yes', 'on', '3', '\ud800', '=cmd|/C calc', 'corby-2015'];
const QUERY_KEYS = ['q', 'sort', 'dir', 'page', 'set', 'lang', 'token', 'status', 'ward', 'role', 'format', 'step'];

/** Every class of request the fuzzer sends; body classes only to POST routes. */
const URL_KINDS = ['plain', 'query', 'nul-path', 'nul-query', 'nul-cookie', 'huge-headers', 'invalid-utf8-url', 'odd-host', 'bad-param'] as const;
const BODY_KINDS = ['form', 'json', 'garbage-json', 'multipart', 'multipart-no-boundary', 'multipart-truncated', 'nul-form', 'nul-json', 'wrong-type', 'invalid-utf8-body', 'deep-json', 'empty-body'] as const;
type Kind = (typeof URL_KINDS)[number] | (typeof BODY_KINDS)[number];
type ActorKind = 'signed-out' | Role | 'other-tenant-admin';
const ACTORS: ActorKind[] = ['signed-out', ...ROLES, 'other-tenant-admin'];

interface Spec {
  route: RouteEntry;
  actor: ActorKind;
  kind: Kind;
  fields: Record<string, string>;
  query: Record<string, string>;
  /** Which value each path parameter gets: 0 = the real record, then other tenant's, random, malformed. */
  param: number;
  csrf: 'good' | 'header' | 'bad' | 'none';
}

/** A digest of every tenant-owned row of one tenant (every table with a tenant_id column). */
async function fingerprint(database: Database, tenantId: string): Promise<string> {
  const tables = await database.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.columns WHERE column_name = 'tenant_id' AND table_schema = current_schema() ORDER BY 1",
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const [row] = await database.query<{ h: string | null }>(
      `SELECT md5(string_agg(row_to_json(x)::text, '|' ORDER BY row_to_json(x)::text)) AS h FROM "${t}" x WHERE tenant_id = $1`,
      [tenantId],
    );
    parts.push(`${t}:${row?.h ?? ''}`);
  }
  return parts.join(';');
}

function multipartTruncated(boundary: string, token: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\nContent-Type: text/csv\r\n\r\nname,email\r\nA,`;
}

describe(`fuzzing every route with malformed input (${storeName()})`, () => {
  it('answers at least 5,000 requests over every route, as everyone, with no 5xx and no change to another tenant', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const bystander = await buildTenant(db);
    const bystanderMember = await buildMember(db, bystander.tenant.id, { wardCode: 'E05010264' });
    const bystanderAdmin = await buildMember(db, bystander.tenant.id, { roles: ['admin'] });
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    const target = await buildMember(db, tenant.id, { wardCode: 'E05010264' });
    const adminActor: Actor = { memberId: admin.member.id, tenantId: tenant.id, roles: new Set<Role>(['admin']), sessionId: 'fuzz' };
    const appointment = await appointRepresentative(db, adminActor, { memberId: target.member.id, wardId: target.member.wardId!, startsOn: '2026-01-01' });
    const roleMembers = new Map<Role, string>();
    const rebuild = async (role: Role) => roleMembers.set(role, (await buildMember(db, tenant.id, { roles: [role], wardCode: 'E05010264' })).member.id);
    for (const role of ROLES) await rebuild(role);
    const before = await fingerprint(deps.database, bystander.tenant.id);

    const routes = [...routeRegistry.values()];
    expect(routes.length).toBeGreaterThan(40);
    const { cookie: csrfCookie, token } = csrfPair();
    const realParam: Record<string, string> = { id: target.member.id, appointment, code: 'E05010264', key: 'corby-2015' };
    const otherParam: Record<string, string> = { id: bystanderMember.member.id, appointment: bystanderMember.member.id, code: 'E05010264', key: 'corby-2015' };
    const bogus = ['00000000-0000-7000-8000-000000000000', crypto.randomUUID(), 'not-an-id', '0', "1' OR '1'='1", '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(300), '%F0%9F%98', '%25', '😀'];
    const paramValue = (name: string, choice: number): string => {
      if (choice === 0) return realParam[name] ?? 'E05010264';
      if (choice === 1) return otherParam[name] ?? bystanderMember.member.id;
      return bogus[(choice - 2) % bogus.length]!;
    };
    const concrete = (path: string, choice: number) => path.replace(/:([A-Za-z_]+)/g, (_, name: string) => (name in realParam || choice < 2 ? paramValue(name, choice) : encodeURIComponent(paramValue(name, choice)).replace(/%25/g, '%')));

    async function sessionCookie(actor: ActorKind): Promise<string> {
      if (actor === 'signed-out') return '';
      if (actor === 'other-tenant-admin') return `; pm_session=${bystanderAdmin.cookie}`;
      const staff = (STAFF_ROLES as readonly string[]).includes(actor);
      // A fresh session each time: an earlier request may have signed out, left or erased.
      const { token: t } = await createSession(db, { tenantId: tenant.id, memberId: roleMembers.get(actor)!, staff, secondFactor: staff });
      return `; pm_session=${t}`;
    }

    async function send(spec: Spec): Promise<Response> {
      const { route, kind } = spec;
      let path = concrete(route.path, kind === 'bad-param' ? 2 + (spec.param % bogus.length) : spec.param % 2);
      const query = new URLSearchParams(kind === 'query' || kind === 'nul-query' ? spec.query : {});
      if (kind === 'nul-query') query.set('q', 'a\u0000b');
      let search = query.size ? `?${query.toString()}` : '';
      if (kind === 'invalid-utf8-url') search = '?q=%C3%28&set=%FF%FE&lang=%E0%A4';
      if (kind === 'nul-path') path = path.includes('/', 1) ? path.replace(/\/([^/]*)$/, '/$1%00') : `${path}%00`;
      if (kind === 'invalid-utf8-url') path = `${path}${path.endsWith('/') ? '' : '/'}%FF%FE`.replace(/\/\/%FF/, '/%FF');
      const headers: Record<string, string> = { host, cookie: `${csrfCookie}${await sessionCookie(spec.actor)}` };
      if (kind === 'odd-host') headers.host = [`${host}.`, host.toUpperCase(), `${host}:8443`, 'unknown.example', `${'a'.repeat(300)}.example`][spec.param % 5]!;
      if (kind === 'nul-cookie') headers.cookie += '; pm_session=abc%00def; lang=p%00l';
      if (kind === 'huge-headers') {
        headers.cookie += `; junk=${'a'.repeat(60_000)}`;
        headers['accept-language'] = 'pl-PL;q=0.9, '.repeat(3000);
        headers['x-request-id'] = 'r'.repeat(10_000);
        headers['user-agent'] = 'u'.repeat(20_000);
        headers['accept-encoding'] = 'br;q=0.1, '.repeat(2000);
        if (route.method === 'POST') headers['idempotency-key'] = 'k'.repeat(10_000);
      }
      const csrfValue = spec.csrf === 'bad' ? 'forged' : token;
      if (spec.csrf === 'header') headers['x-csrf-token'] = token;
      if (route.method === 'GET') return app.request(`${path}${search}`, { headers });

      const form = { ...spec.fields };
      if (spec.csrf === 'good' || spec.csrf === 'bad') form._csrf = csrfValue;
      let body: BodyInit | undefined;
      switch (kind) {
        case 'json':
        case 'nul-json':
          headers['content-type'] = 'application/json';
          body = JSON.stringify(kind === 'nul-json' ? { ...form, name: 'A\u0000B', ['k\u0000']: 'v' } : form);
          break;
        case 'garbage-json':
          headers['content-type'] = 'application/json';
          body = '{"unterminated": [';
          break;
        case 'deep-json':
          headers['content-type'] = 'application/json';
          body = `{"name":${'['.repeat(3000)}${']'.repeat(3000)}}`;
          break;
        case 'multipart': {
          const fd = new FormData();
          for (const [k, v] of Object.entries(form)) fd.set(k, v);
          fd.set('file', new Blob([spec.fields.name ?? 'name,email\nA,a@example.org'], { type: 'text/csv' }), 'members.csv');
          body = fd;
          break;
        }
        case 'multipart-no-boundary':
          headers['content-type'] = 'multipart/form-data';
          body = new URLSearchParams(form).toString();
          break;
        case 'multipart-truncated':
          headers['content-type'] = 'multipart/form-data; boundary=----fuzz';
          body = multipartTruncated('----fuzz', csrfValue);
          break;
        case 'wrong-type':
          headers['content-type'] = ['text/plain', 'application/xml', 'image/png', 'application/x-www-form-urlencoded; charset=utf-16', 'application/jsonp', ''][spec.param % 6]!;
          body = '<xml>' + new URLSearchParams(form).toString();
          break;
        case 'invalid-utf8-body': {
          headers['content-type'] = spec.param % 2 ? 'application/json' : 'application/x-www-form-urlencoded';
          const head = new TextEncoder().encode(spec.param % 2 ? '{"name":"' : `_csrf=${csrfValue}&name=`);
          const tail = new TextEncoder().encode(spec.param % 2 ? '"}' : '&email=a%40example.org');
          body = new Uint8Array([...head, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, ...tail]);
          break;
        }
        case 'empty-body':
          headers['content-type'] = 'application/x-www-form-urlencoded';
          headers['content-length'] = '0';
          body = '';
          break;
        case 'nul-form':
          headers['content-type'] = 'application/x-www-form-urlencoded';
          body = new URLSearchParams({ ...form, name: 'A\u0000B', ['e\u0000']: '1' }).toString();
          break;
        case 'form':
        case 'plain':
        case 'query':
        case 'bad-param':
        case 'huge-headers':
        case 'invalid-utf8-url':
        case 'nul-cookie':
        case 'nul-path':
        case 'nul-query':
        case 'odd-host':
          headers['content-type'] = 'application/x-www-form-urlencoded';
          body = new URLSearchParams(form).toString();
      }
      return app.request(`${path}${search}`, { method: 'POST', headers, body });
    }

    const value = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer().map(String));
    const kindsFor = (r: RouteEntry): readonly Kind[] => (r.method === 'GET' ? URL_KINDS : [...URL_KINDS, ...BODY_KINDS]);
    const spec = fc.record({
      route: fc.constantFrom(...routes),
      actor: fc.constantFrom(...ACTORS),
      kindIndex: fc.nat(),
      fields: fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }),
      query: fc.dictionary(fc.constantFrom(...QUERY_KEYS), value, { maxKeys: 4 }),
      param: fc.nat({ max: 50 }),
      csrf: fc.constantFrom<Spec['csrf']>('good', 'good', 'good', 'header', 'bad', 'none'),
    });
    // First every route × every class (actors in turn), then random requests on top.
    const specs: Spec[] = [];
    for (const route of routes) {
      for (const kind of kindsFor(route)) {
        const i = specs.length;
        specs.push({ route, actor: ACTORS[i % ACTORS.length]!, kind, fields: { name: 'Fuzz Person', email: 'fuzz@example.org', step: '1' }, query: { sort: 'name', page: '2' }, param: i, csrf: 'good' });
      }
    }
    const sweep = specs.length;
    for (const r of fc.sample(spec, { numRuns: Math.max(0, 5200 - sweep), seed: 20261126 })) {
      const kinds = kindsFor(r.route);
      specs.push({ ...r, kind: kinds[r.kindIndex % kinds.length]! });
    }

    const histogram = new Map<number, number>();
    const failures: string[] = [];
    for (const s of specs) {
      const res = await send(s);
      await res.arrayBuffer();
      histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${res.status} ${s.route.method} ${s.route.path} as ${s.actor} (${s.kind}) ${JSON.stringify(s.fields).slice(0, 160)}`);
      // Leaving or erasing ends that member: give the role a new one.
      if (res.status < 400 && (s.route.path === '/me/erase' || s.route.path === '/me/leave') && s.actor !== 'signed-out' && s.actor !== 'other-tenant-admin') await rebuild(s.actor);
    }
    const statuses = [...histogram].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
    console.log(`fuzz (${storeName()}): ${specs.length} requests (${sweep} route × class sweep), ${routes.length} routes, ${ACTORS.length} actors; statuses ${statuses}`);
    expect(specs.length).toBeGreaterThanOrEqual(5000);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(await fingerprint(deps.database, bystander.tenant.id)).toBe(before);
  }, 600_000);

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
