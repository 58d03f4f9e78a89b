import { describe, expect, it } from 'vitest';
import { isoDate } from '../../lib/dates.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type { Role } from '../membership/schema.ts';
import { DEFAULT_CATEGORIES } from './seed.ts';

const NOW = new Date('2026-11-30T12:00:00Z');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read loosely in assertions
type ApiBody = Record<string, any>;

async function setup() {
  const { app, deps } = await testApp();
  deps.clock = () => NOW.getTime();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const as = async (roles: Role[]) => {
    const m = await buildMember(db, tenant.id, { roles });
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', m.cookie);
    return { c, member: m.member };
  };
  const api = async (c: TestClient, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { host, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': c.csrf(), ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (res.status === 204 ? null : await res.json()) as ApiBody };
  };
  const count = async (table: string) => (await deps.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenant.id]))[0]?.n ?? 0;
  return { app, deps, db, tenant, host, as, api, count };
}

const good = (over: Record<string, unknown> = {}) => ({
  clientId: `r-${Math.random().toString(36).slice(2, 12)}`,
  categoryKey: 'play-spaces',
  wardCode: 'E05010264',
  observedOn: '2026-11-20',
  observedText: 'The swings on the green have been broken since the summer.',
  familiesEstimate: 30,
  since: 'few_months',
  source: 'seen',
  ...over,
});

describe(`the taxonomy seed (${storeName()})`, () => {
  it('seeds every category with English and Polish titles, and settings with 24 months', async () => {
    const { deps, tenant } = await setup();
    const rows = await deps.database.query<{ key: string; title_pl: string; description_pl: string }>('SELECT key, title_pl, description_pl FROM intel_categories WHERE tenant_id = $1 ORDER BY sort_order', [tenant.id]);
    expect(rows.map((r) => r.key)).toEqual(['demographics', 'drugs-alcohol', 'housing', 'road-safety', 'play-spaces', 'isolation', 'food-fuel-poverty', 'service-gaps', 'other']);
    expect(rows.every((r) => r.title_pl && r.description_pl)).toBe(true);
    expect(DEFAULT_CATEGORIES).toHaveLength(9);
    const [s] = await deps.database.query<{ text_retention_months: number }>('SELECT text_retention_months FROM intel_settings WHERE tenant_id = $1', [tenant.id]);
    expect(s?.text_retention_months).toBe(24);
  });
});

describe(`POST /api/v1/intelligence/reports (${storeName()})`, () => {
  it('stores a report (201), answers a retry with the same body (200), and refuses other content under the same id (409)', async () => {
    const { as, api, count, deps, tenant } = await setup();
    const { c } = await as(['street_champion']);
    const body = good();
    const first = await api(c, '/api/v1/intelligence/reports', body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), clientId: body.clientId, status: 'received' });
    const retry = await api(c, '/api/v1/intelligence/reports', body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const other = await api(c, '/api/v1/intelligence/reports', { ...body, familiesEstimate: 31 });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
    expect(other.body.error.message).toMatch(/already sent with different content/);
    expect(await count('intel_reports')).toBe(1);
    const [row] = await deps.database.query<{ received_at: Date; reporter_id: string }>('SELECT received_at, reporter_id FROM intel_reports WHERE tenant_id = $1', [tenant.id]);
    expect(new Date(row!.received_at).toISOString()).toBe(NOW.toISOString());
  });

  it('the same client id from another champion is a 409, not their report', async () => {
    const { as, api } = await setup();
    const a = await as(['street_champion']);
    const b = await as(['street_champion']);
    const body = good();
    expect((await api(a.c, '/api/v1/intelligence/reports', body)).status).toBe(201);
    expect((await api(b.c, '/api/v1/intelligence/reports', body)).status).toBe(409);
  });

  it.each([
    ['a missing category', { categoryKey: '' }, 'categoryKey', /Choose what the report is about/],
    ['an unknown category', { categoryKey: 'nope' }, 'categoryKey', /Choose what the report is about/],
    ['a missing ward (and no point)', { wardCode: undefined }, 'wardCode', /Choose the ward/],
    ['a ward of another area', { wardCode: 'E05009999' }, 'wardCode', /ward of this area/],
    ['a date in the future', { observedOn: '2026-12-01' }, 'observedOn', /cannot be in the future/],
    ['a date over a year ago', { observedOn: '2025-11-29' }, 'observedOn', /at most a year ago/],
    ['a date that does not exist', { observedOn: '2026-02-30' }, 'observedOn', /Enter the date/],
    ['text over 2,000 characters', { observedText: 'a'.repeat(2001) }, 'observedText', /2,000 characters/],
    ['empty text', { observedText: '   ' }, 'observedText', /Write what you saw/],
    ['families over 10,000', { familiesEstimate: 10001 }, 'familiesEstimate', /0 to 10,000/],
    ['negative families', { familiesEstimate: -1 }, 'familiesEstimate', /0 to 10,000/],
    ['an unknown source', { source: 'rumour' }, 'source', /how you know/],
    ['an unknown since', { since: 'forever' }, 'since', /since when/],
    ['a short client id', { clientId: 'abc' }, 'clientId', /reload the page/],
    ['a client id with other characters', { clientId: 'abc def ghi' }, 'clientId', /reload the page/],
  ])('refuses %s with a clear message (400) and stores nothing', async (_label, over, field, message) => {
    const { as, api, count } = await setup();
    const { c } = await as(['street_champion']);
    const res = await api(c, '/api/v1/intelligence/reports', good(over));
    expect(res.status).toBe(400);
    const issue = (res.body.error.fields as Array<{ field: string; message: string }>).find((f) => f.field === field);
    expect(issue?.message).toMatch(message);
    expect(await count('intel_reports')).toBe(0);
  });

  it('a date of exactly a year ago and of today are accepted', async () => {
    const { as, api } = await setup();
    const { c } = await as(['street_champion']);
    expect((await api(c, '/api/v1/intelligence/reports', good({ observedOn: '2025-11-30' }))).status).toBe(201);
    expect((await api(c, '/api/v1/intelligence/reports', good({ observedOn: isoDate(NOW) }))).status).toBe(201);
  });

  it('asks to remove personal details (422 with the kinds) unless the champion confirms', async () => {
    const { as, api, count } = await setup();
    const { c } = await as(['street_champion']);
    const body = good({ observedText: 'Mrs Campbell at 12 Elizabeth Street, ring 07700 900123' });
    const res = await api(c, '/api/v1/intelligence/reports', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('personal_details');
    expect(res.body.error.kinds).toEqual(['phone', 'address', 'name']);
    expect(res.body.error.fields[0].field).toBe('observedText');
    expect(await count('intel_reports')).toBe(0);
    const sent = await api(c, '/api/v1/intelligence/reports', { ...body, confirmNoPersonalDetails: true });
    expect(sent.status).toBe(201);
    // The confirmation is not content: a retry without it is still the same report.
    expect((await api(c, '/api/v1/intelligence/reports', { ...body, confirmNoPersonalDetails: true })).status).toBe(200);
  });

  it('finds the ward from a point, stores the point rounded to about 100 m, and refuses a point outside the area', async () => {
    const { as, api, deps, tenant } = await setup();
    const { c } = await as(['street_champion']);
    // A point inside Corby's wards (Beanfield area).
    const geo = await deps.database.query<{ code: string; geometry: { type: string; coordinates: number[][][] | number[][][][] } }>('SELECT code, geometry FROM wards WHERE tenant_id = $1 AND code = $2', [tenant.id, 'E05010264']);
    const ring = (geo[0]!.geometry.type === 'Polygon' ? geo[0]!.geometry.coordinates[0] : (geo[0]!.geometry.coordinates as number[][][][])[0]![0]) as number[][];
    // The centroid of the ring's vertices is inside for these compact wards; check by the answer.
    const lon = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
    const res = await api(c, '/api/v1/intelligence/reports', good({ wardCode: undefined, point: { lon: lon + 0.000123, lat: lat + 0.000234 } }));
    expect(res.status).toBe(201);
    const [row] = await deps.database.query<{ point_lat: number; point_lon: number; code: string }>('SELECT r.point_lat, r.point_lon, w.code FROM intel_reports r JOIN wards w ON w.tenant_id = r.tenant_id AND w.id = r.ward_id WHERE r.tenant_id = $1', [tenant.id]);
    expect(row?.code).toBe('E05010264');
    expect(Math.round(row!.point_lat * 1000)).toBeCloseTo(row!.point_lat * 1000, 3);
    const outside = await api(c, '/api/v1/intelligence/reports', good({ wardCode: undefined, point: { lon: -0.1276, lat: 51.5072 } }));
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields[0]).toMatchObject({ field: 'point', message: expect.stringMatching(/outside the area/) });
  });

  it('refuses members without the role (403) and signed-out callers (401), storing nothing', async () => {
    const { as, api, count, app, host } = await setup();
    for (const role of ['member', 'volunteer', 'safeguarding_lead', 'admin', 'board'] as Role[]) {
      const { c } = await as([role]);
      expect((await api(c, '/api/v1/intelligence/reports', good())).status, role).toBe(403);
    }
    const res = await app.request('/api/v1/intelligence/reports', { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: JSON.stringify(good()) });
    expect(res.status).toBe(401);
    // A coordinator may file.
    const { c } = await as(['coordinator']);
    expect((await api(c, '/api/v1/intelligence/reports', good())).status).toBe(201);
    expect(await count('intel_reports')).toBe(1);
  });
});

describe(`the phone's other endpoints (${storeName()})`, () => {
  it('the four endpoints are in the OpenAPI document', async () => {
    const { app, host } = await setup();
    const doc = (await (await app.request('/api/openapi.json', { headers: { host } })).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/api/v1/intelligence/reports']?.post?.responses ?? {}).sort()).toEqual(['200', '201', '400', '403', '409', '422']);
    expect(doc.paths['/api/v1/intelligence/concerns']?.post).toBeTruthy();
    expect(doc.paths['/api/v1/intelligence/sync']?.post).toBeTruthy();
    expect(doc.paths['/api/v1/intelligence/form-data']?.get).toBeTruthy();
  });


  it('form-data lists the active categories and the current wards', async () => {
    const { as, host, app } = await setup();
    const { c } = await as(['street_champion']);
    const res = await app.request('/api/v1/intelligence/form-data', { headers: { host, cookie: `pm_session=${c.cookies.get('pm_session')}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { categories: Array<{ key: string; titlePl: string }>; wards: Array<{ code: string; name: string }> };
    expect(body.categories.map((k) => k.key)).toContain('demographics');
    expect(body.categories.find((k) => k.key === 'housing')?.titlePl).toBe('Mieszkania i przeludnienie');
    expect(body.wards.find((w) => w.code === 'E05010264')?.name).toBeTruthy();
  });

  it('sync stores the server time and counts (204); coordinators see it per champion; bad counts are 400', async () => {
    const { as, api, deps, tenant } = await setup();
    const champ = await as(['street_champion']);
    expect((await api(champ.c, '/api/v1/intelligence/sync', { waiting: 3, refused: 1 })).status).toBe(204);
    expect((await api(champ.c, '/api/v1/intelligence/sync', { waiting: -1, refused: 0 })).status).toBe(400);
    expect((await api(champ.c, '/api/v1/intelligence/sync', { waiting: 1.5, refused: 0 })).status).toBe(400);
    const [row] = await deps.database.query<{ last_sync_at: Date; waiting_count: number; refused_count: number }>('SELECT * FROM intel_sync_status WHERE tenant_id = $1', [tenant.id]);
    expect(row).toMatchObject({ waiting_count: 3, refused_count: 1 });
    expect(new Date(row!.last_sync_at).toISOString()).toBe(NOW.toISOString());
    const coord = await as(['coordinator']);
    const page = await coord.c.get('/coordinator/intelligence/phones');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(champ.member.name);
    expect(html).toContain('30 November 2026');
    expect((await champ.c.get('/coordinator/intelligence/phones')).status).toBe(403);
  });
});

describe(`the no-JS report form (${storeName()})`, () => {
  it('asks about a child first, then files with a client id made when the page was rendered', async () => {
    const { as, count } = await setup();
    const { c } = await as(['street_champion']);
    const q = await (await c.get('/intelligence/report')).text();
    expect(q).toContain('Could a child be at risk of harm?');
    const form = await (await c.get('/intelligence/report?risk=no')).text();
    const clientId = /name="clientId" value="([^"]+)"/.exec(form)?.[1];
    expect(clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const fields = { clientId: clientId!, categoryKey: 'housing', wardCode: 'E05010264', observedOn: '2026-11-29', observedText: 'Damp in several flats in the block.', familiesEstimate: '12', since: 'this_month', source: 'residents' };
    const res = await c.post('/intelligence/report', fields);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Report received');
    // Sent twice (a double tap, a resend): one report.
    expect((await c.post('/intelligence/report', fields)).status).toBe(200);
    expect(await count('intel_reports')).toBe(1);
  });

  it('re-shows the form with every problem named, keeping what was typed', async () => {
    const { as, count } = await setup();
    const { c } = await as(['street_champion']);
    const res = await c.post('/intelligence/report', { clientId: 'form-abcdefgh', categoryKey: '', wardCode: '', observedOn: '2027-01-01', observedText: 'Something I saw', familiesEstimate: '', since: 'unknown', source: 'seen' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Choose what the report is about.');
    expect(html).toContain('Choose the ward where you saw it.');
    expect(html).toContain('The date cannot be in the future.');
    expect(html).toContain('Something I saw');
    expect(await count('intel_reports')).toBe(0);
  });

  it('warns about personal details and sends after "I have checked"', async () => {
    const { as, count } = await setup();
    const { c } = await as(['street_champion']);
    const fields = { clientId: 'form-pii-12345', categoryKey: 'housing', wardCode: 'E05010264', observedOn: '2026-11-29', observedText: 'Write to jo@example.org', familiesEstimate: '1', since: 'this_month', source: 'residents' };
    const warned = await c.post('/intelligence/report', fields);
    expect(warned.status).toBe(422);
    const html = await warned.text();
    expect(html).toContain('an email address');
    expect(html).toContain('name="confirmNoPersonalDetails"');
    expect(await count('intel_reports')).toBe(0);
    expect((await c.post('/intelligence/report', { ...fields, confirmNoPersonalDetails: 'yes' })).status).toBe(200);
    expect(await count('intel_reports')).toBe(1);
  });

  it('a resend of a changed form under the same id is refused with a message and a fresh id', async () => {
    const { as } = await setup();
    const { c } = await as(['street_champion']);
    const fields = { clientId: 'form-conflict-1', categoryKey: 'housing', wardCode: 'E05010264', observedOn: '2026-11-29', observedText: 'Damp in flats.', familiesEstimate: '1', since: 'this_month', source: 'residents' };
    expect((await c.post('/intelligence/report', fields)).status).toBe(200);
    const res = await c.post('/intelligence/report', { ...fields, observedText: 'Damp in many flats.' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('already sent with different content');
    expect(html).not.toContain('value="form-conflict-1"');
  });
});
