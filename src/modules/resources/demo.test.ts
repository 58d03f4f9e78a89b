// Issue 11 (resource audit items 3, 6, 8): the demo (a duplication, two marginal candidates; the
// demo spreadsheet gives the same figures), family counts (M2, M3), personal data, retention.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { resourcesPersonalData } from './personal-data.ts';
import { demoWorkbookSheets, lastFinancialYear, loadResourcesDemo, clearResourcesDemo } from './demo.ts';
import { familyKey } from './family-keys.ts';
import { writeXlsx } from './import-files.ts';
import { importResources } from './import.ts';
import { getSettings } from './queries.ts';
import { resCategories, resFamilyContacts, resImports, resProviders, resProviderStaff, resReach, resServices, resSpend } from './schema.ts';
import { retainContacts } from './service.ts';
import { familyCounts } from './views.ts';
import { resSetup } from './test-setup.ts';
import type { Db } from '../../db/connection.ts';

const TODAY = new Date('2026-11-20T12:00:00Z');

/** Per service: category, tier, evidence, pence, families (summed), wards, schedule — the figures the answers use. */
async function figures(db: Db, tenantId: string) {
  const rows = await db
    .select({
      ref: sql<string>`${resProviders.ref} || '/' || ${resServices.ref}`,
      category: resCategories.key,
      tier: resServices.tier,
      evidence: resServices.evidence,
      isDemo: resServices.isDemo,
      pence: sql<number>`(select coalesce(sum(amount_pence), 0)::bigint from res_spend s where s.tenant_id = ${resServices.tenantId} and s.service_id = ${resServices.id})`,
      families: sql<number>`(select coalesce(sum(families), 0)::int from res_reach r where r.tenant_id = ${resServices.tenantId} and r.service_id = ${resServices.id})`,
      wards: sql<string>`(select coalesce(string_agg(w.ward_id::text, ',' order by w.ward_id), '') from res_service_wards w where w.tenant_id = ${resServices.tenantId} and w.service_id = ${resServices.id})`,
      schedule: sql<string>`(select coalesce(string_agg(x.weekday || ' ' || x.opens_at || '-' || x.closes_at, ';' order by x.weekday, x.opens_at), '') from res_service_schedules x where x.tenant_id = ${resServices.tenantId} and x.service_id = ${resServices.id})`,
      contacts: sql<number>`(select count(*)::int from res_family_contacts c where c.tenant_id = ${resServices.tenantId} and c.service_id = ${resServices.id})`,
    })
    .from(resServices)
    .innerJoin(resProviders, and(eq(resProviders.tenantId, resServices.tenantId), eq(resProviders.id, resServices.providerId)))
    .innerJoin(resCategories, and(eq(resCategories.tenantId, resServices.tenantId), eq(resCategories.id, resServices.categoryId)))
    .where(eq(resServices.tenantId, tenantId))
    .orderBy(sql`1`);
  return rows.map((r) => ({ ...r, pence: Number(r.pence), families: Number(r.families), contacts: Number(r.contacts) }));
}

describe('resources demo', () => {
  it('loads about 40 labelled services over the last financial year, idempotently, and clears them', async () => {
    const s = await resSetup();
    const ctx = { db: s.db, tenant: s.tenant, today: TODAY };
    expect(lastFinancialYear('2026-11-20')).toMatchObject({ start: '2025-04-01', end: '2026-03-31' });
    expect(lastFinancialYear('2026-02-10').start).toBe('2024-04-01');
    const added = await loadResourcesDemo(ctx);
    expect(added).toBeGreaterThan(500);
    expect(await loadResourcesDemo(ctx)).toBe(0);
    const f = (await figures(s.db, s.tenant.id)).filter((r) => r.isDemo);
    expect(f).toHaveLength(40);
    expect(new Set(f.map((r) => r.tier))).toEqual(new Set(['universal', 'targeted', 'specialist', 'acute']));
    expect(new Set(f.map((r) => r.category)).size).toBeGreaterThanOrEqual(12);
    const spend = await s.db.select().from(resSpend).where(eq(resSpend.tenantId, s.tenant.id));
    expect(spend.every((r) => r.isDemo && r.periodStart >= '2025-04-01' && r.periodEnd <= '2026-03-31')).toBe(true);
    expect(new Set(spend.map((r) => r.periodStart))).toEqual(new Set(['2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01']));
    const reachWards = new Set((await s.db.select().from(resReach).where(eq(resReach.tenantId, s.tenant.id))).map((r) => r.wardId));
    expect([...reachWards].every((w) => s.wards.some((x) => x.id === w))).toBe(true);
    expect(f.filter((r) => r.contacts > 0).length).toBeGreaterThanOrEqual(3);

    // A real duplication: two providers, same category, overlapping wards, same weekday and overlapping times.
    const sp = f.filter((r) => r.category === 'stay-and-play' && r.schedule.startsWith('2 '));
    expect(sp.map((r) => r.ref.split('/')[0])).toEqual(['DEMO-CC-LODGE', 'DEMO-HOMESTART']);
    const [a, b] = sp.map((r) => r.wards.split(','));
    expect(a!.some((w) => b!.includes(w))).toBe(true);
    // Marginal impact: under 2 families per £1,000 with evidence none or some: exactly the two planted.
    const marginal = f.filter((r) => (r.evidence === 'none' || r.evidence === 'some') && r.families / (r.pence / 100_000) < 2);
    expect(marginal.map((r) => r.ref).sort()).toEqual(['DEMO-CSP/SAFETY-WORKSHOPS', 'DEMO-VG-DADS/BREAKFAST']);

    // A coordinator's own service stays when the demo is cleared.
    expect(await clearResourcesDemo(ctx)).toBeGreaterThan(40);
    expect(await s.db.select().from(resServices).where(and(eq(resServices.tenantId, s.tenant.id), eq(resServices.isDemo, true)))).toHaveLength(0);
    expect(await s.db.select().from(resFamilyContacts).where(eq(resFamilyContacts.tenantId, s.tenant.id))).toHaveLength(0);
    expect((await s.db.select().from(resProviders).where(eq(resProviders.tenantId, s.tenant.id))).map((p) => p.ref).sort()).toEqual(['PROV-A', 'PROV-B']);
  });

  it('importing the demo spreadsheet into an empty tenant gives the same figures as demo load', async () => {
    const s = await resSetup();
    await loadResourcesDemo({ db: s.db, tenant: s.tenant, today: TODAY });
    const viaDemo = await figures(s.db, s.tenant.id);
    const sheets = await demoWorkbookSheets(s.db, s.tenant.id, TODAY);
    const xlsx = await writeXlsx(sheets.map((x) => ({ name: x.name, rows: [x.header, ...x.rows.map((r) => r.cells)] })));

    const other = await buildTenant(s.db);
    const coord = await buildMember(s.db, other.tenant.id, { roles: ['coordinator'] });
    const actor = { memberId: coord.member.id, tenantId: other.tenant.id, roles: new Set(['member', 'coordinator'] as const), sessionId: 's' };
    const check = await importResources(s.db, actor, { fileName: 'resources-demo.xlsx', bytes: xlsx, dryRun: true });
    expect(check.problems).toEqual([]);
    const applied = await importResources(s.db, actor, { fileName: 'resources-demo.xlsx', bytes: xlsx, dryRun: false });
    expect(applied.applied).toBe(true);
    const viaImport = await figures(s.db, other.tenant.id);
    // Wards are the same codes but other ids in the other tenant: compare by everything else.
    const strip = (rows: typeof viaDemo) => rows.map(({ wards, contacts, ...r }) => ({ ...r, wardCount: wards.split(',').length, contacts: contacts > 0 }));
    expect(strip(viaImport)).toEqual(strip(viaDemo.filter((r) => r.isDemo)));
    expect(viaImport.reduce((n, r) => n + r.pence, 0)).toBe(viaDemo.filter((r) => r.isDemo).reduce((n, r) => n + r.pence, 0));
    // And again: nothing added.
    const again = await importResources(s.db, actor, { fileName: 'resources-demo.xlsx', bytes: xlsx, dryRun: false });
    expect(again.kinds.every((k) => k.added === 0 && k.changed === 0)).toBe(true);
  });
});

describe('family counts (METRICS.md M2, M3)', () => {
  it('counts distinct, newly engaging (no contact in the 12 months before) and sustained (3 in 12 weeks) families', async () => {
    const s = await resSetup();
    const svc = async (ref: string) => {
      const { saveService } = await import('./service.ts');
      return saveService(s.db, s.coordinator, { providerId: s.providerA, ref, name: ref, categoryId: s.categories[0]!.id, tier: 'universal' });
    };
    const one = await svc('ONE');
    const two = await svc('TWO');
    const secret = (await getSettings(s.db, s.tenant.id))!.familyKeySecret;
    const k = async (n: number) => familyKey(secret, `F-${n}`);
    const rows: Array<typeof resFamilyContacts.$inferInsert> = [];
    const add = async (n: number, serviceId: string, day: string, wardId: string | null = s.wards[0]!.id) => rows.push({ tenantId: s.tenant.id, serviceId, familyKey: await k(n), contactOn: day, wardId });
    // F-1: new in the period, 3 contacts in 5 weeks (sustained).
    await add(1, one, '2025-04-07');
    await add(1, one, '2025-04-21');
    await add(1, two, '2025-05-12');
    // F-2: seen at another service 6 months before: not new; 3 contacts but 16 weeks apart: not sustained.
    await add(2, two, '2024-10-01');
    await add(2, one, '2025-04-07');
    await add(2, one, '2025-06-01');
    await add(2, one, '2025-07-28');
    // F-3: seen 14 months before: new again; one contact in another ward.
    await add(3, one, '2024-02-01');
    await add(3, two, '2025-05-01', s.wards[1]!.id);
    // F-4: same day at two services counts as one day.
    await add(4, one, '2025-04-10');
    await add(4, two, '2025-04-10');
    await add(4, two, '2025-04-11');
    await s.db.insert(resFamilyContacts).values(rows);
    const period = { start: '2025-04-01', end: '2025-09-30' };
    expect(await familyCounts(s.db, s.tenant.id, period)).toEqual({ families: 4, newlyEngaging: 3, sustained: 1 });
    expect(await familyCounts(s.db, s.tenant.id, { ...period, serviceIds: [two] })).toEqual({ families: 3, newlyEngaging: 2, sustained: 0 });
    expect(await familyCounts(s.db, s.tenant.id, { ...period, wardIds: [s.wards[1]!.id] })).toEqual({ families: 1, newlyEngaging: 1, sustained: 0 });
    expect(await familyCounts(s.db, s.tenant.id, { ...period, wardIds: [] })).toEqual({ families: 0, newlyEngaging: 0, sustained: 0 });
    const other = await resSetup();
    expect(await familyCounts(other.db, other.tenant.id, period)).toEqual({ families: 0, newlyEngaging: 0, sustained: 0 });

    // Retention: contacts older than three years go.
    expect(await retainContacts(s.db, '2027-03-01')).toBeGreaterThanOrEqual(1);
    const left = await s.db.select().from(resFamilyContacts).where(eq(resFamilyContacts.tenantId, s.tenant.id));
    expect(left).toHaveLength(rows.length - 1);
    expect(left.every((r) => r.contactOn >= '2024-03-01')).toBe(true);
  });
});

describe('resources personal data', () => {
  it('exports a member’s staff links, imports and scenarios; erasure deletes links and clears the others', async () => {
    const s = await resSetup();
    await importResources(s.db, s.partner, { fileName: 'mine.csv', bytes: new TextEncoder().encode('provider_ref,service_ref,service_name,category_key,tier\nPROV-A,X,X,stay-and-play,universal\n'), kind: 'services', dryRun: false });
    await s.db.execute(sql`insert into res_scenarios (tenant_id, id, name, period_start, period_end, created_by) values (${s.tenant.id}, gen_random_uuid(), 'Shift to early help', '2025-04-01', '2026-03-31', ${s.partnerA.member.id})`);
    const subject = { tenantId: s.tenant.id, id: s.partnerA.member.id, email: null, phone: null };
    const sections = await resourcesPersonalData.exportFor(s.db, { subject, t: ((k: string) => k) as never, who: (a) => a });
    expect(sections.map((x) => [x.name, (x.rows as unknown[]).length])).toEqual([
      ['resourceProviderStaff', 1],
      ['resourceImports', 1],
      ['resourceScenarios', 1],
    ]);
    expect((sections[0]!.rows as Array<Record<string, unknown>>)[0]!.provider).toBe('Provider A');
    await s.db.transaction((tx) => resourcesPersonalData.eraseFor(tx, subject));
    expect(await s.db.select().from(resProviderStaff).where(and(eq(resProviderStaff.tenantId, s.tenant.id), eq(resProviderStaff.memberId, s.partnerA.member.id)))).toHaveLength(0);
    expect((await s.db.select().from(resImports).where(eq(resImports.tenantId, s.tenant.id)))[0]!.importedBy).toBeNull();
    const after = await resourcesPersonalData.exportFor(s.db, { subject, t: ((k: string) => k) as never, who: (a) => a });
    expect(after.every((x) => (x.rows as unknown[]).length === 0)).toBe(true);
    // The coordinator who added the links is cleared as adder when erased.
    await s.db.transaction((tx) => resourcesPersonalData.eraseFor(tx, { ...subject, id: s.coord.member.id }));
    expect((await s.db.select().from(resProviderStaff).where(eq(resProviderStaff.tenantId, s.tenant.id))).every((r) => r.addedBy === null)).toBe(true);
  });
});
