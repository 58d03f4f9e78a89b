import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { areaOverview, wardsOf } from '../tenancy/views.ts';
import { ORUK_DEMO_NOTE, orukDirectory } from './oruk-export.ts';
import { importOruk } from './oruk-import.ts';
import { resCategories, resProviders, resServiceSchedules, resServiceWards, resServices, resSpend } from './schema.ts';

// The UK profile's schemas, copied unmodified into oruk-schema/ (see its SOURCES.md and LICENSE).
const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oruk-schema');
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
// The files declare no $schema (draft-07 by Ajv's default) and carry non-standard keywords (name, constraints, core…): not strict.
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const schema = (file: string): ValidateFunction => {
  const s = JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
  ajv.addSchema(s, file);
  return ajv.getSchema(file)!;
};
const term = schema('taxonomy_term.json');
const validators = { service: schema('service.json'), serviceList: schema('service_list.json'), organization: schema('organization.json'), organizationList: schema('organization_list.json'), taxonomy: schema('taxonomy.json'), term };

function expectValid(v: ValidateFunction, record: unknown, what: string) {
  const ok = v(record);
  expect(ok ? [] : (v.errors ?? []).map((e) => `${what} ${e.instancePath} ${e.message ?? ''}`)).toEqual([]);
}

async function wardIds(db: Db, tenant: Tenant, codes: string[]) {
  const overview = await areaOverview(db, tenant);
  const wards = await wardsOf(db, tenant, overview.currentSet!);
  return Object.fromEntries(wards.filter((w) => codes.includes(w.code)).map((w) => [w.code, w.id]));
}

/** A tenant with varied services: with and without schedules, wards, contacts, venue, funding; a demo one; every status. */
async function directoryTenant(db: Db) {
  const { tenant, host } = await buildTenant(db);
  const t = tenant.id;
  const w = await wardIds(db, tenant, ['E05010264', 'E05010265', 'E05010266']);
  // The tenant's seeded taxonomy already has these keys: take them (with these titles).
  const cats = await db
    .insert(resCategories)
    .values([
      { tenantId: t, id: newId(), key: 'stay-and-play', title: 'Stay and play', titlePl: 'Zabawa z dziećmi' },
      { tenantId: t, id: newId(), key: 'health-visiting', title: 'Health visiting' },
    ])
    .onConflictDoUpdate({ target: [resCategories.tenantId, resCategories.key], set: { title: sql`excluded.title`, titlePl: sql`excluded.title_pl` } })
    .returning({ id: resCategories.id, key: resCategories.key });
  const cat1 = cats.find((c) => c.key === 'stay-and-play')!.id;
  const cat2 = cats.find((c) => c.key === 'health-visiting')!.id;
  const p1 = newId();
  const p2 = newId();
  await db.insert(resProviders).values([
    { tenantId: t, id: p1, ref: 'cc-kingswood', name: 'Kingswood Children’s Centre', kind: 'childrens_centre', description: 'Children’s centre for the south of the town.', website: 'https://kingswood.example.org/', email: 'hello@kingswood.example.org', phone: '01536 400000' },
    { tenantId: t, id: p2, ref: 'homestart', name: 'Home-Start Corby', kind: 'home_start', description: '', isDemo: true },
  ]);
  const s1 = newId();
  const s2 = newId();
  const s3 = newId();
  const s4 = newId();
  await db.insert(resServices).values([
    { tenantId: t, id: s1, providerId: p1, ref: 'sp-1', name: 'Stay and play', description: 'Songs and messy play.', categoryId: cat1, tier: 'universal', targetGroup: 'parents of under-5s', venueName: 'Kingswood Centre', venueAddress: '1 Gainsborough Road', venuePostcode: 'NN18 0QF', url: 'https://kingswood.example.org/play', email: 'play@kingswood.example.org', phone: '01536 400001' },
    { tenantId: t, id: s2, providerId: p1, ref: 'hv-1', name: 'Baby clinic', description: '', categoryId: cat2, tier: 'targeted', status: 'planned' },
    { tenantId: t, id: s3, providerId: p2, ref: 'hs-visits', name: 'Home visiting', description: 'Volunteers visit families at home.', categoryId: cat1, tier: 'targeted', isDemo: true },
    { tenantId: t, id: s4, providerId: p2, ref: 'hs-old', name: 'Old group', description: 'No longer runs.', categoryId: cat2, tier: 'universal', status: 'decommissioned', venueName: 'Church hall' },
  ]);
  await db.insert(resServiceSchedules).values([
    { tenantId: t, id: newId(), serviceId: s1, weekday: 2, opensAt: '09:30', closesAt: '11:00', frequency: 'weekly', termTimeOnly: true },
    { tenantId: t, id: newId(), serviceId: s1, weekday: 4, opensAt: '13:00', closesAt: '14:30', frequency: 'fortnightly' },
    { tenantId: t, id: newId(), serviceId: s3, weekday: 1, opensAt: '10:00', closesAt: '12:00', frequency: 'termly' },
  ]);
  await db.insert(resServiceWards).values([
    { tenantId: t, serviceId: s1, wardId: w.E05010264! },
    { tenantId: t, serviceId: s1, wardId: w.E05010265! },
    { tenantId: t, serviceId: s3, wardId: w.E05010266! },
  ]);
  await db.insert(resSpend).values([
    { tenantId: t, id: newId(), serviceId: s1, periodStart: '2026-04-01', periodEnd: '2027-03-31', kind: 'staff', amountPence: 1_200_000, fundingSource: 'Council early-years grant' },
    { tenantId: t, id: newId(), serviceId: s1, periodStart: '2026-04-01', periodEnd: '2027-03-31', kind: 'venue', amountPence: 300_000, fundingSource: 'Council early-years grant' },
    { tenantId: t, id: newId(), serviceId: s3, periodStart: '2026-04-01', periodEnd: '2027-03-31', kind: 'staff', amountPence: 500_000, fundingSource: '' },
  ]);
  return { tenant, host, ids: { p1, p2, s1, s2, s3, s4, cat1 } };
}

const actorOf = async (db: Db, tenantId: string, roles: Role[]): Promise<Actor> => {
  const { member } = await buildMember(db, tenantId, { roles });
  return { memberId: member.id, tenantId, roles: new Set<Role>(['member', ...roles]), sessionId: 'test' };
};

/** A record with every id and timestamp taken out (they differ between tenants by design). */
function idsAside(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(idsAside);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'id' && !k.endsWith('_id') && k !== 'last_modified').map(([k, x]) => [k, idsAside(x)]));
  return v;
}

const file = (json: unknown, name = 'hub.json') => ({ name, bytes: new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json)) });

describe(`Open Referral UK export (${storeName()})`, () => {
  it('every record of every endpoint is valid against the UK profile schemas', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host, ids } = await directoryTenant(db);
    const c = new TestClient(app, host);
    const get = async (p: string) => {
      const res = await c.get(`/api/v1/openreferral${p}`);
      expect(res.status, p).toBe(200);
      return (await res.json()) as Record<string, unknown> & { contents: Array<Record<string, unknown>> };
    };
    const services = await get('/services?per_page=2');
    expect(services).toMatchObject({ total_items: 4, total_pages: 2, page_number: 1, size: 2, first_page: true, last_page: false });
    const page2 = await get('/services?per_page=2&page=2');
    const listed = [...services.contents, ...page2.contents];
    expect(listed).toHaveLength(4);
    for (const s of listed) {
      expectValid(validators.serviceList, s, `service_list ${String(s.id)}`);
      const full = await get(`/services/${String(s.id)}`);
      expectValid(validators.service, full, `service ${String(s.id)}`);
    }
    const orgs = await get('/organizations');
    expect(orgs.contents).toHaveLength(2);
    for (const o of orgs.contents) {
      expectValid(validators.organizationList, o, 'organization_list');
      expectValid(validators.organization, await get(`/organizations/${String(o.id)}`), 'organization');
    }
    const taxonomies = await get('/taxonomies');
    for (const x of taxonomies.contents) {
      expectValid(validators.taxonomy, x, 'taxonomy');
      expectValid(validators.taxonomy, await get(`/taxonomies/${String(x.id)}`), 'taxonomy');
    }
    const terms = await get('/taxonomy_terms');
    // Every category of the tenant's taxonomy (the seeded ones and the test's) is a term.
    const categories = await db.select({ id: resCategories.id }).from(resCategories).where(eq(resCategories.tenantId, tenant.id));
    expect(terms.contents.map((x) => String(x.id)).sort()).toEqual(categories.map((x) => x.id).sort());
    for (const x of terms.contents) {
      expectValid(validators.term, x, 'taxonomy_term');
      expectValid(validators.term, await get(`/taxonomy_terms/${String(x.id)}`), 'taxonomy_term');
    }
    // What the records say (field names as in the profile).
    const play = (await get(`/services/${ids.s1}`)) as Record<string, unknown> & Record<string, Array<Record<string, unknown>>>;
    expect(play.schedules!.map((x) => [x.byday, x.freq, x.interval, x.opens_at, x.closes_at])).toEqual([
      ['TU', 'WEEKLY', 1, '09:30', '11:00'],
      ['TH', 'WEEKLY', 2, '13:00', '14:30'],
    ]);
    expect(play.service_areas!.map((x) => x.uri)).toEqual(['http://statistics.data.gov.uk/id/statistical-geography/E05010264', 'http://statistics.data.gov.uk/id/statistical-geography/E05010265']);
    expect(play.funding!.map((x) => x.source)).toEqual(['Council early-years grant']);
    expect(play.contacts![0]).toMatchObject({ name: 'Enquiries', title: 'Telephone 01536 400001; Email play@kingswood.example.org' });
    expect(play.service_at_locations![0]!.location).toMatchObject({ location_type: 'physical', name: 'Kingswood Centre' });
    expect(play.attributes![0]!.taxonomy_term).toMatchObject({ name: 'Stay and play', term: 'stay-and-play' });
    const demo = await get(`/services/${ids.s3}`);
    expect(String(demo.description)).toContain(ORUK_DEMO_NOTE);
    expect(String((await get(`/organizations/${ids.p2}`)).description)).toContain(ORUK_DEMO_NOTE);
    expect((await get(`/services/${ids.s2}`)).status).toBe('inactive');
    expect((await get(`/services/${ids.s4}`)).status).toBe('defunct');
    expect((await c.get(`/api/v1/openreferral/services/${newId()}`)).status).toBe(404);
    // Listed in the OpenAPI document.
    const doc = (await (await c.get('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/services', '/services/{id}', '/organizations', '/organizations/{id}', '/taxonomies', '/taxonomy_terms']) expect(Object.keys(doc.paths)).toContain(`/api/v1/openreferral${p}`);
  });
});

describe(`Open Referral UK import (${storeName()})`, () => {
  it('round trip: export → import into a fresh tenant → export gives the same records, ids aside; twice changes nothing', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await directoryTenant(db);
    const first = await orukDirectory(db, tenant);
    const fresh = await buildTenant(db, { name: tenant.name });
    const coordinator = await actorOf(db, fresh.tenant.id, ['coordinator']);
    const dry = await importOruk(db, coordinator, fresh.tenant, file(first.services), { dryRun: true });
    expect(dry.problems).toEqual([]);
    expect(dry.services).toEqual({ added: 4, changed: 0, unchanged: 0 });
    expect(await db.select().from(resServices).where(eq(resServices.tenantId, fresh.tenant.id))).toHaveLength(0);
    const done = await importOruk(db, coordinator, fresh.tenant, file(first.services), { dryRun: false });
    expect(done).toMatchObject({ organizations: { added: 2, changed: 0, unchanged: 0 }, services: { added: 4, changed: 0, unchanged: 0 }, problems: [] });
    const refs = (await db.select({ ref: resServices.ref }).from(resServices).where(eq(resServices.tenantId, fresh.tenant.id))).map((r) => r.ref).sort();
    expect(refs).toEqual(first.services.map((s) => String(s.id)).sort());
    const second = await orukDirectory(db, fresh.tenant);
    // Funding comes from spend lines, which the exchange does not carry; demo flags stay with the source (its note is in the text).
    const comparable = (d: typeof first) => idsAside(d.services.map(({ funding: _f, ...s }) => s));
    expect(comparable(second)).toEqual(comparable(first));
    expect(idsAside(second.terms)).toEqual(idsAside(first.terms));
    const before = await snapshot(db, fresh.tenant.id);
    const again = await importOruk(db, coordinator, fresh.tenant, file(first.services), { dryRun: false });
    expect(again).toMatchObject({ organizations: { added: 0, changed: 0, unchanged: 2 }, services: { added: 0, changed: 0, unchanged: 4 } });
    expect(await snapshot(db, fresh.tenant.id)).toEqual(before);
    // The organisations' shape (with nested services) imports the same.
    const asOrgs = await importOruk(db, coordinator, fresh.tenant, file(first.organizations), { dryRun: false });
    expect(asOrgs).toMatchObject({ problems: [], services: { added: 0, changed: 0, unchanged: 4 } });
    expect(await snapshot(db, fresh.tenant.id)).toEqual(before);
  });

  it('bad files: not JSON, wrong shape, records with the record and field named; nothing written', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db);
    const coordinator = await actorOf(db, tenant.id, ['coordinator']);
    expect((await importOruk(db, coordinator, tenant, file('{not json'), { dryRun: false })).problems).toEqual([{ record: 'file', field: '', key: 'res.oruk.error.json' }]);
    expect((await importOruk(db, coordinator, tenant, { name: 'x.json', bytes: new Uint8Array([0xff, 0xfe, 0x7b]) }, { dryRun: false })).problems[0]!.key).toBe('res.oruk.error.json');
    expect((await importOruk(db, coordinator, tenant, file('"hello"'), { dryRun: false })).problems).toEqual([{ record: 'file', field: '', key: 'res.oruk.error.shape' }]);
    const bad = await importOruk(
      db,
      coordinator,
      tenant,
      file([
        { id: 's1', name: 'Good', status: 'active', organization: { id: 'o1', name: 'Org', description: '' } },
        { id: 's2', status: 'open', organization_id: 'o1' },
        { id: 's3', name: 'Orphan', status: 'active', organization_id: 'nowhere' },
        { id: 's4', name: 42, status: 'active', organization_id: 'o1', schedules: 'weekly' },
      ]),
      { dryRun: false },
    );
    expect(bad.problems).toEqual([
      { record: 'service 2 (id "s2")', field: 'name', key: 'res.oruk.error.missing' },
      { record: 'service 2 (id "s2")', field: 'status', key: 'res.oruk.error.status' },
      { record: 'service 4 (id "s4")', field: 'name', key: 'res.oruk.error.text' },
      { record: 'service 4 (id "s4")', field: 'schedules', key: 'res.oruk.error.list' },
      { record: 'service 3 (id "s3")', field: 'organization_id', key: 'res.oruk.error.unknownOrg' },
    ]);
    expect(await db.select().from(resProviders).where(eq(resProviders.tenantId, tenant.id))).toHaveLength(0);
  });

  it('partners only into providers they are staff of (none until res-core links them); plain members not at all', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db);
    const partner = await actorOf(db, tenant.id, ['partner']);
    const r = await importOruk(db, partner, tenant, file([{ id: 's1', name: 'X', status: 'active', organization: { id: 'o1', name: 'Org', description: '' } }]), { dryRun: false });
    expect(r.problems).toEqual([{ record: 'organization (id "o1")', field: 'id', key: 'res.oruk.error.notYourProvider' }]);
    const member = await actorOf(db, tenant.id, []);
    await expect(importOruk(db, member, tenant, file([]), { dryRun: true })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the upload page: a dry run lists counts; a bad file lists problems per record and field', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const { cookie } = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', cookie);
    const form = await c.get('/resources/import/openreferral');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<label for="f-file">Open Referral UK file (JSON)</label>');
    const ok = await c.postMultipart('/resources/import/openreferral', { dryRun: '1' }, { name: 'hub.json', field: 'file', content: JSON.stringify([{ id: 's1', name: 'X', status: 'active', organization: { id: 'o1', name: 'Org', description: '' } }]), type: 'application/json' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Services: 1 new, 0 changed, 0 unchanged.');
    const bad = await c.postMultipart('/resources/import/openreferral', {}, { name: 'hub.json', field: 'file', content: JSON.stringify([{ id: 's2', status: 'open', organization_id: 'o1' }]), type: 'application/json' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('service 1 (id &quot;s2&quot;)');
    expect(html).toContain('Must be one of: active, inactive, defunct, temporarily closed.');
    expect(await db.select().from(resServices).where(and(eq(resServices.tenantId, tenant.id)))).toHaveLength(0);
  });
});

async function snapshot(db: Db, tenantId: string) {
  const rows = await Promise.all([
    db.select().from(resProviders).where(eq(resProviders.tenantId, tenantId)).orderBy(resProviders.id),
    db.select().from(resServices).where(eq(resServices.tenantId, tenantId)).orderBy(resServices.id),
    db.select().from(resServiceSchedules).where(eq(resServiceSchedules.tenantId, tenantId)).orderBy(resServiceSchedules.id),
    db.select().from(resServiceWards).where(eq(resServiceWards.tenantId, tenantId)).orderBy(resServiceWards.serviceId, resServiceWards.wardId),
    db.select().from(resCategories).where(eq(resCategories.tenantId, tenantId)).orderBy(resCategories.id),
  ]);
  return JSON.stringify(rows);
}
