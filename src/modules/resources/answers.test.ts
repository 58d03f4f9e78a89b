// Issue 11, item 4: the answers on a small hand-made dataset with known figures.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildMember } from '../../test/members.ts';
import { parseCsv } from '../../lib/csv.ts';
import { translator } from '../../ui/i18n/index.ts';
import { periodOf } from './answers-period.ts';
import { answerRows } from './answers-export.ts';
import { loadAnswer, type AnswerName } from './answers.ts';
import { updateThresholds } from './answers-service.ts';
import { auditFindings } from './findings.ts';
import { answersWorld } from './answers.test-helpers.ts';
import { AppError } from '../../server/errors.ts';

const t = translator('en');
const FY = periodOf('fy2025')!;

const exact = { t, locale: 'en' as const, exact: true };
const load = (w: Awaited<ReturnType<typeof answersWorld>>, name: AnswerName, opts = exact) => loadAnswer(w.db, w.tenant.id, name, FY, opts);
const col = (table: { columns: Array<{ label: string }> }, label: string) => table.columns.findIndex((c) => c.label === label);

describe(`resource audit answers (${storeName()})`, { timeout: 120_000 }, () => {
  it('spend by category, tier and provider, lines outside the period left out', async () => {
    const w = await answersWorld();
    const cat = await load(w, 'spend-by-category');
    expect(cat.rows.map((r) => [r.values[0], r.values[2]])).toEqual([
      ['Stay and play', 1_800_000],
      ['Parenting support', 2_000_000],
    ]);
    expect(cat.total!.values[2]).toBe(3_800_000);
    const tier = await load(w, 'spend-by-tier');
    expect(tier.rows.map((r) => [r.values[0], r.values[2]])).toEqual([
      ['Universal', 1_200_000],
      ['Targeted', 600_000],
      ['Specialist', 2_000_000],
    ]);
    const prov = await load(w, 'spend-by-provider');
    expect(prov.rows.map((r) => [r.values[0], r.values[2]])).toEqual([
      ['Home-Start', 800_000],
      ['Lodge Park CC', 3_000_000],
    ]);
  });

  it('spend by ward: shared by families reached, equally over served wards without reach', async () => {
    const w = await answersWorld();
    const ward = await load(w, 'spend-by-ward');
    const by = Object.fromEntries(ward.rows.map((r) => [r.values[0], r.values[1]]));
    // S1 £10,000 split 30:10; S2 £5,000 to W2; S3 £2,000 to W1; S5 £20,000 to W3; S6 £1,000 (no reach) to W3.
    expect(by[w.w1.name]).toBe(950_000);
    expect(by[w.w2.name]).toBe(750_000);
    expect(by[w.w3.name]).toBe(2_100_000);
    expect(ward.total!.values[1]).toBe(3_800_000);
    expect(ward.notes[0]).toContain('in proportion to the families');
  });

  it('a built answer is reused only while no write changed the data (the triggers bump the version in the writing transaction)', async () => {
    const w = await answersWorld();
    expect((await load(w, 'spend-by-tier')).total!.values[2]).toBe(3_800_000);
    await w.f.spend(w.s4, '2025-04-01', '2026-03-31', 500);
    expect((await load(w, 'spend-by-tier')).total!.values[2]).toBe(3_850_000);
    await w.deps.database.query('DELETE FROM res_spend WHERE tenant_id = $1 AND service_id = $2', [w.tenant.id, w.s4]);
    expect((await load(w, 'spend-by-tier')).total!.values[2]).toBe(3_800_000);
    await w.deps.database.query('UPDATE res_reach SET families = 2 WHERE tenant_id = $1 AND service_id = $2', [w.tenant.id, w.s5]);
    expect((await load(w, 'early-acute')).rows[1]!.values[4]).toBe(2);
  });

  it('cost per family and per attendance, per service and per category', async () => {
    const w = await answersWorld();
    const svc = await load(w, 'cost-per-service');
    const s1 = svc.rows.find((r) => r.values[0] === 'Stay and play A')!;
    expect(s1.values[col(svc, 'Cost per family')]).toBe(25_000);
    expect(Math.round(s1.values[col(svc, 'Cost per attendance')] as number)).toBe(7143);
    const s6 = svc.rows.find((r) => r.values[0] === 'Stay and play E')!;
    expect(s6.values[col(svc, 'Cost per family')]).toBeNull();
    const cat = await load(w, 'cost-per-category');
    const stay = cat.rows.find((r) => r.values[0] === 'Stay and play')!;
    expect(stay.values[col(cat, 'Families reached')]).toBe(63);
    expect(stay.values[col(cat, 'Cost per family')]).toBeCloseTo(1_800_000 / 63, 6);
  });

  it('early intervention against acute: money and families', async () => {
    const w = await answersWorld();
    const ea = await load(w, 'early-acute');
    expect(ea.rows.map((r) => [r.values[0], r.values[2], r.values[4]])).toEqual([
      ['Early intervention', 1_800_000, 63],
      ['Acute', 2_000_000, 4],
    ]);
  });

  it('duplication: found for different providers with shared wards and times; not for other times, wards or the same provider', async () => {
    const w = await answersWorld();
    const dup = await load(w, 'duplication');
    expect(dup.rows).toHaveLength(1);
    const [cat, a, b, wards, when, times] = dup.rows[0]!.values;
    expect(cat).toBe('Stay and play');
    expect([a, b].sort()).toEqual(['Stay and play A (Lodge Park CC)', 'Stay and play B (Home-Start)']);
    expect(wards).toBe(w.w2.name);
    expect(when).toBe('Monday 11:00–11:30 (weekly / fortnightly)'.replace(/weekly \/ fortnightly/, String(when).includes('fortnightly / weekly') ? 'fortnightly / weekly' : 'weekly / fortnightly'));
    expect(times).toBeCloseTo(26 / 12, 6);
    const findings = await auditFindings(w.db, w.tenant.id, FY);
    const d = findings.filter((x) => x.kind === 'duplication');
    expect(d).toHaveLength(1);
    expect(d[0]!.serviceIds.sort()).toEqual([w.s1, w.s2].sort());
    expect(d[0]!.id).toBe(`duplication:${[w.s1, w.s2].sort().join(':')}`);
  });

  it('marginal impact with the thresholds, and thresholds edited (validated, audited)', async () => {
    const w = await answersWorld();
    const names = async () => (await load(w, 'marginal')).rows.map((r) => r.values[0]);
    // Defaults: fewer than 2 families per £1,000, evidence at most "some".
    expect(await names()).toEqual(['Stay and play E', 'Family intensive support', 'Stay and play C']);
    const bad = await updateThresholds(w.db, w.coordinator, { familiesPer1000: '-1', evidenceAtMost: 'excellent' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).fields.map((f) => f.field)).toEqual(['familiesPer1000', 'evidenceAtMost']);
    expect(await names()).toHaveLength(3);
    const viewer = await buildMember(w.db, w.tenant.id, { roles: ['viewer'] });
    await expect(updateThresholds(w.db, w.actorOf(viewer, ['viewer']), { familiesPer1000: '1', evidenceAtMost: 'none' })).rejects.toThrow(AppError);
    await updateThresholds(w.db, w.coordinator, { familiesPer1000: '1', evidenceAtMost: 'none' });
    expect(await names()).toEqual(['Stay and play E']);
    const audit = await w.deps.database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND action = 'resources.thresholds.update'", [w.tenant.id]);
    expect(audit).toHaveLength(1);
    const findings = await auditFindings(w.db, w.tenant.id, FY);
    expect(findings.filter((x) => x.kind === 'marginal').map((x) => x.serviceIds[0])).toEqual([w.s6]);
  });

  it('families from aggregate reach when there are no contacts; suppressed per ward for non-coordinators', async () => {
    const w = await answersWorld();
    const fam = await load(w, 'families');
    expect(fam.notes[0]).toContain('aggregate');
    expect(fam.total!.values[1]).toEqual({ value: 67, suppressed: false });
    const pub = await load(w, 'families', { ...exact, exact: false });
    const by = Object.fromEntries(pub.rows.map((r) => [r.values[0], r.values[1]]));
    expect(by[w.w1.name]).toEqual({ value: 33, suppressed: false });
    expect(by[w.w3.name]).toMatchObject({ suppressed: true, reason: 'primary' });
    expect(by[w.w2.name]).toMatchObject({ suppressed: true, reason: 'secondary' });
    const ward = await load(w, 'spend-by-ward', { ...exact, exact: false });
    expect(ward.rows.find((r) => r.values[0] === w.w3.name)!.values[3]).toMatchObject({ suppressed: true });
  });

  it('families from pseudonymous contacts: distinct, newly engaging, sustained (M2, M3)', async () => {
    const w = await answersWorld();
    const key = (c: string) => c.repeat(64);
    for (const d of ['2024-05-01', '2024-05-15', '2024-06-01']) await w.f.contact(w.s1, key('a'), d, w.w1.id);
    await w.f.contact(w.s1, key('b'), '2023-12-01', w.w2.id);
    await w.f.contact(w.s2, key('b'), '2024-07-01', w.w2.id);
    for (const d of ['2024-08-01', '2024-12-01', '2025-02-01']) await w.f.contact(w.s2, key('c'), d, w.w2.id);
    const fam = await loadAnswer(w.db, w.tenant.id, 'families', periodOf('fy2024')!, exact);
    expect(fam.notes[0]).toContain('pseudonymous');
    const cells = (r: { values: unknown[] }) => r.values.slice(1).map((c) => (c as { value: number }).value);
    expect(cells(fam.total!)).toEqual([3, 2, 1]);
    expect(cells(fam.rows.find((r) => r.values[0] === w.w1.name)!)).toEqual([1, 1, 1]);
    expect(cells(fam.rows.find((r) => r.values[0] === w.w2.name)!)).toEqual([2, 1, 0]);
  });

  it('pages: chart with title and role, the table, and CSV and XLSX equal to the table; non-coordinators see suppressed counts', async () => {
    const w = await answersWorld();
    const client = new TestClient(w.app, w.host);
    client.cookies.set('pm_session', w.coord.cookie);
    const page = await client.get('/resources/answers/spend-by-ward?period=fy2025');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<svg role="img" aria-labelledby="chart-spend-by-ward-title chart-spend-by-ward-desc"/);
    expect(html).toContain('<title id="chart-spend-by-ward-title">');
    expect(html).toContain('£21,000.00');
    const table = await load(w, 'spend-by-ward');
    const csv = await client.get('/resources/answers/spend-by-ward.csv?period=fy2025');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(parseCsv(await csv.text())).toEqual(answerRows(table).map((r) => r.map(String)));
    const xlsx = await client.get('/resources/answers/spend-by-ward.xlsx?period=fy2025');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual(answerRows(table));
    for (const name of ['spend-by-category', 'spend-by-tier', 'spend-by-provider', 'cost-per-service', 'cost-per-category', 'early-acute', 'duplication', 'marginal', 'families']) {
      const r = await client.get(`/resources/answers/${name}`);
      expect(r.status, name).toBe(200);
      expect(await r.text(), name).toContain('role="img"');
    }
    expect((await client.get('/resources/answers/spend-by-ward?period=fy1999q9')).status).toBe(400);
    // A partner sees the per-ward families suppressed, on the page and in the export.
    const partner = await buildMember(w.db, w.tenant.id, { roles: ['partner'] });
    const p = new TestClient(w.app, w.host);
    p.cookies.set('pm_session', partner.cookie);
    const pcsv = parseCsv(await (await p.get('/resources/answers/families.csv?period=fy2025')).text());
    expect(pcsv.find((r) => r[0] === w.w3.name)![1]).toBe('c');
    const ccsv = parseCsv(await (await client.get('/resources/answers/families.csv?period=fy2025')).text());
    expect(ccsv.find((r) => r[0] === w.w3.name)![1]).toBe('4');
    // The default period is the last full financial year (the test clock is the wall clock: just check it is a year).
    expect(await (await client.get('/resources/answers')).text()).toMatch(/selected[^>]*>\d{4}\/\d{2} \(April/);
  });

  it('a long table is shown 100 rows a page; the download holds every row', async () => {
    const w = await answersWorld();
    const cat = await w.f.category('many', 'Many');
    const prov = await w.f.provider('many', 'Many services');
    for (let i = 0; i < 96; i++) {
      const id = await w.f.service({ providerId: prov, categoryId: cat, name: `Bulk ${String(i).padStart(3, '0')}` });
      await w.f.spend(id, '2025-04-01', '2026-03-31', 100 + i);
    }
    const client = new TestClient(w.app, w.host);
    client.cookies.set('pm_session', w.coord.cookie);
    const first = await (await client.get('/resources/answers/cost-per-service?period=fy2025')).text();
    expect(first).toContain('Rows 1 to 100 of 101');
    const second = await (await client.get('/resources/answers/cost-per-service?period=fy2025&page=2')).text();
    expect(second).toContain('Rows 101 to 101 of 101');
    expect(parseCsv(await (await client.get('/resources/answers/cost-per-service.csv?period=fy2025')).text())).toHaveLength(1 + 101 + 1);
  });

  it('thresholds form: a bad value is shown with its message and changes nothing', async () => {
    const w = await answersWorld();
    const client = new TestClient(w.app, w.host);
    client.cookies.set('pm_session', w.coord.cookie);
    await client.get('/resources/answers/marginal');
    const bad = await client.post('/resources/answers/marginal?period=fy2025', { familiesPer1000: 'lots', evidenceAtMost: 'some' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter families per £1,000 as a number');
    const ok = await client.post('/resources/answers/marginal?period=fy2025', { familiesPer1000: '1', evidenceAtMost: 'none' });
    expect(ok.status).toBe(303);
    expect((await load(w, 'marginal')).rows).toHaveLength(1);
  });
});

