// Issue 11: the resource audit's pages over HTTP (in-process): directory and filters, the service
// page, forms with errors, the import page (dry run → apply), templates, demo spreadsheet, family keys.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../lib/csv.ts';
import { TestClient } from '../../test/client.ts';
import { auditLog } from '../audit/schema.ts';
import { resServices, resSpend } from './schema.ts';
import { saveService } from './service.ts';
import { resSetup } from './test-setup.ts';

async function signedIn(s: Awaited<ReturnType<typeof resSetup>>, cookie: string) {
  const client = new TestClient(s.app, s.host);
  client.cookies.set('pm_session', cookie);
  await client.get('/');
  return client;
}

describe('resource audit pages', () => {
  it('directory with filters, service page with its facts, forms that say what to fix', async () => {
    const s = await resSetup();
    const id = await saveService(s.db, s.coordinator, { providerId: s.providerA, ref: 'SP', name: 'Stay and play', categoryId: s.categories[0]!.id, tier: 'universal', wardIds: [s.wards[0]!.id] });
    await saveService(s.db, s.coordinator, { providerId: s.providerB, ref: 'HV', name: 'Baby clinic', categoryId: s.categories[3]!.id, tier: 'targeted', wardIds: [s.wards[1]!.id] });
    const c = await signedIn(s, s.coord.cookie);
    const all = await (await c.get('/resources')).text();
    expect(all).toContain('Stay and play');
    expect(all).toContain('Baby clinic');
    const filtered = await (await c.get(`/resources?tier=targeted&ward=${s.wards[1]!.code}`)).text();
    expect(filtered).toContain('Baby clinic');
    expect(filtered).not.toContain('>Stay and play</a>');
    expect(await (await c.get(`/resources?category=${s.categories[0]!.key}`)).text()).not.toContain('Baby clinic');

    const bad = await c.post(`/resources/services/${id}/spend`, { periodStart: '2025-04-01', periodEnd: '2025-03-01', kind: 'staff', amount: '£1,2,3' });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('The period ends before it starts');
    expect(page).toContain('Write the amount in pounds and pence');
    const ok = await c.post(`/resources/services/${id}/spend`, { periodStart: '2025-04-01', periodEnd: '2025-06-30', kind: 'staff', amount: '1,250.50', fundingSource: 'Council' });
    expect(ok.status).toBe(303);
    await c.post(`/resources/services/${id}/reach`, { periodStart: '2025-04-01', periodEnd: '2025-06-30', wardId: s.wards[0]!.id, attendances: '40', families: '3' });
    const svc = await (await c.get(`/resources/services/${id}`)).text();
    expect(svc).toContain('£1,250.50');
    expect(svc).toContain(s.wards[0]!.name);
    expect(svc).toContain('Service blueprints');
    // A viewer sees counts 1–5 suppressed.
    const { buildMember } = await import('../../test/members.ts');
    const viewer = await buildMember(s.db, s.tenant.id, { roles: ['viewer'] });
    const v = await signedIn(s, viewer.cookie);
    const seen = await (await v.get(`/resources/services/${id}`)).text();
    expect(seen).toContain('<td class="num">c</td>');
    expect(seen).not.toContain('Add a cost line');
    expect((await v.post(`/resources/services/${id}/spend`, { periodStart: '2025-04-01', periodEnd: '2025-06-30', kind: 'staff', amount: '1' })).status).toBe(403);
  });

  it('a partner cannot change another provider’s service by id in the URL (404, nothing changes)', async () => {
    const s = await resSetup();
    const theirs = await saveService(s.db, s.coordinator, { providerId: s.providerB, ref: 'X', name: 'Theirs', categoryId: s.categories[0]!.id, tier: 'universal' });
    const mine = await saveService(s.db, s.coordinator, { providerId: s.providerA, ref: 'Y', name: 'Mine', categoryId: s.categories[0]!.id, tier: 'universal' });
    const p = await signedIn(s, s.partnerA.cookie);
    expect((await p.get(`/resources/services/${theirs}`)).status).toBe(200);
    expect((await p.get(`/resources/services/${theirs}/edit`)).status).toBe(404);
    expect((await p.post(`/resources/services/${theirs}`, { ref: 'X', name: 'Hijacked', categoryId: s.categories[0]!.id, tier: 'universal' })).status).toBe(404);
    expect((await p.post(`/resources/services/${theirs}/spend`, { periodStart: '2025-04-01', periodEnd: '2025-06-30', kind: 'staff', amount: '5' })).status).toBe(404);
    const form = await p.post('/resources/services', { providerId: s.providerB, ref: 'Z', name: 'Sneaky', categoryId: s.categories[0]!.id, tier: 'universal' });
    expect(form.status).toBe(400);
    expect((await s.db.select().from(resServices).where(eq(resServices.tenantId, s.tenant.id))).map((x) => x.name).sort()).toEqual(['Mine', 'Theirs']);
    expect(await s.db.select().from(resSpend).where(eq(resSpend.serviceId, theirs))).toHaveLength(0);
    expect((await p.get(`/resources/services/${mine}/edit`)).status).toBe(200);
    expect((await p.post(`/resources/services/${mine}/spend`, { periodStart: '2025-04-01', periodEnd: '2025-06-30', kind: 'staff', amount: '5' })).status).toBe(303);
  });

  it('import page: check, then import; templates and the demo spreadsheet download', async () => {
    const s = await resSetup();
    const c = await signedIn(s, s.coord.cookie);
    const page = await (await c.get('/resources/import')).text();
    expect(page).toContain('Download the demo spreadsheet');
    const csv = toCsv([
      ['provider_ref', 'service_ref', 'service_name', 'category_key', 'tier', 'ward_codes'],
      ['PROV-A', 'SP', 'Stay and play', 'stay-and-play', 'universal', s.wards[0]!.code],
      ['PROV-A', 'SP2', 'Other', 'nope', 'universal', 'E00000000'],
    ]);
    const bad = await c.postMultipart('/resources/import', { kind: 'services', mode: 'apply' }, { name: 'services.csv', field: 'file', content: csv });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('Row 3, column category_key: Unknown category');
    expect(text).toContain('Row 3, column ward_codes: Unknown ward');
    expect(text).toContain('nothing has been written');
    const good = csv.split('\r\n').slice(0, 2).join('\r\n');
    const check = await (await c.postMultipart('/resources/import', { kind: 'services', mode: 'check' }, { name: 'services.csv', field: 'file', content: good })).text();
    expect(check).toContain('1 rows read, 1 added');
    expect(check).toContain('nothing written yet');
    const applied = await (await c.postMultipart('/resources/import', { kind: 'services', mode: 'apply' }, { name: 'services.csv', field: 'file', content: good })).text();
    expect(applied).toContain('Imported');
    expect(await s.db.select().from(resServices).where(eq(resServices.tenantId, s.tenant.id))).toHaveLength(1);
    const pl = await (await c.postMultipart('/resources/import?lang=pl', { kind: 'services', mode: 'check' }, { name: 'x.csv', field: 'file', content: new Uint8Array([0x61, 0xe9, 0x0a]) })).text();
    expect(pl).toContain('CSV UTF-8');

    const tpl = await c.get('/resources/import/templates/reach.csv');
    expect(tpl.headers.get('content-type')).toContain('text/csv');
    expect(await tpl.text()).toContain('provider_ref,service_ref,period_start,period_end,ward_code,attendances,families');
    const x = await c.get('/resources/import/templates/spend.xlsx');
    expect(x.headers.get('content-type')).toContain('spreadsheetml');
    expect((await c.get('/resources/import/templates/nothing.csv')).status).toBe(404);
    const demo = await c.get('/resources/import/demo.xlsx');
    expect(demo.status).toBe(200);
    expect(new Uint8Array(await demo.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });

  it('family keys page: the secret for staff (audited view), the local hasher and the CLI line', async () => {
    const s = await resSetup();
    const p = await signedIn(s, s.partnerA.cookie);
    const res = await p.get('/resources/family-keys');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/<code id="family-key-secret">[A-Za-z0-9_-]{43}<\/code>/);
    expect(html).toContain('family-keys.');
    expect(html).toContain('parent-mutual resources family-keys');
    expect(html).not.toContain('Rotate the secret');
    const views = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'resources.family_key.view')));
    expect(views).toHaveLength(1);
    expect(views[0]!.actor).toBe(s.partnerA.member.id);
  });
});
