import { eq } from 'drizzle-orm';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/csv.ts';
import { newId } from '../../lib/ids.ts';
import type { Cell } from '../../lib/suppression.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { loadWardSet } from '../tenancy/service.ts';
import { buildMember } from '../../test/members.ts';
import { chartSpec, renderChart } from './needs-chart.ts';
import { defaultFilter, londonMonth, needsPicture, parseNeedsFilter, publishLine, publishNeeds, shownPicture, type NeedsPicture } from './needs.ts';
import { insertTestReports, needsTestCategories, needsTestWards } from './needs.test-helpers.ts';
import { intelCategories, safeguardingConcerns } from './schema.ts';

const BEANFIELD = 'E05010264';
const CENTRAL = 'E05010265';
const LLOYDS = 'E05010268';
const NOW = Date.parse('2026-11-15T12:00:00Z');

/** A tenant with a few reports: Beanfield food 12 (one month 2, one 10), Central food 3, Lloyds roads 8; merged duplicates and a concern beside them. */
async function scene() {
  const { app, deps } = await testApp();
  deps.clock = () => NOW;
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const cats = await needsTestCategories(db, tenant.id, ['t-food', 't-roads']);
  const wards = await needsTestWards(deps.database, tenant.id);
  const food = cats['t-food']!;
  const roads = cats['t-roads']!;
  const [survivor] = await insertTestReports(db, tenant.id, [{ ward: wards[BEANFIELD]!, category: food, observedOn: '2026-09-03', families: 4 }]);
  await insertTestReports(db, tenant.id, [
    { ward: wards[BEANFIELD]!, category: food, observedOn: '2026-09-20', families: 3 },
    { ward: wards[BEANFIELD]!, category: food, observedOn: '2026-10-05', families: 1, n: 10 },
    { ward: wards[CENTRAL]!, category: food, observedOn: '2026-10-06', families: 2, n: 3 },
    { ward: wards[LLOYDS]!, category: roads, observedOn: '2026-08-01', families: 5, n: 8 },
    // Duplicates merged into the first: never counted.
    { ward: wards[BEANFIELD]!, category: food, observedOn: '2026-09-03', families: 4, mergedInto: survivor!, n: 4 },
  ]);
  // A safeguarding concern in Beanfield: never part of the picture.
  await db.insert(safeguardingConcerns).values({ tenantId: tenant.id, id: newId(), clientId: 'c-1', contentHash: 'h', wardId: wards[BEANFIELD]!, observedText: 'a child' });
  return { app, deps, db, tenant, host, cats, wards };
}

function cellOf(p: NeedsPicture, wardCode: string, catId: string, measure: 'reports' | 'families') {
  const pub = publishNeeds(p, true);
  const i = p.wards.findIndex((w) => w.code === wardCode);
  const j = p.categories.findIndex((c) => c.id === catId);
  return pub.byWard[measure].cells[i]![j]!.value;
}

/** Every number a public page shows in a table cell. */
function tableNumbers(html: string): string[] {
  return [...html.matchAll(/<td class="num"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!.trim());
}

/** A shown figure is "c", 0, or more than 5 (never 1 to 5). */
function safe(text: string): boolean {
  if (text === 'c' || text === '') return true;
  const n = Number(text.replace(/[\s,\u00a0]/g, ''));
  return Number.isFinite(n) && (n === 0 || n > 5);
}

describe(`needs picture (${storeName()})`, () => {
  it('counts reports and families per ward × category × month; merged duplicates and safeguarding concerns are not counted', async () => {
    const { db, tenant, cats } = await scene();
    const p = await needsPicture(db, tenant, { from: '2026-01', to: '2026-12' });
    expect(cellOf(p, BEANFIELD, cats['t-food']!, 'reports')).toBe(12);
    expect(cellOf(p, BEANFIELD, cats['t-food']!, 'families')).toBe(4 + 3 + 10);
    expect(cellOf(p, CENTRAL, cats['t-food']!, 'reports')).toBe(3);
    expect(cellOf(p, LLOYDS, cats['t-roads']!, 'families')).toBe(40);
    const sept = p.rows.find((r) => r.categoryId === cats['t-food'] && r.month === '2026-09');
    expect(sept).toMatchObject({ reports: 2, families: 7 });
    expect(p.rows.reduce((s, r) => s + r.reports, 0)).toBe(1 + 1 + 10 + 3 + 8);
  });

  it('never reads the safeguarding table (no needs file names it)', () => {
    const dir = import.meta.dirname;
    const files = readdirSync(dir).filter((f) => /^(needs|pages-needs|i18n-needs)/.test(f) && !f.includes('.test'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(readFileSync(path.join(dir, f), 'utf8')).not.toMatch(/safeguarding_?concerns/i);
  });

  it('takes months on the calendar of Europe/London, and defaults to the last 12 of them', async () => {
    // 23:30 UTC on 31 May is 00:30 on 1 June in London (BST): June is this month.
    const lateMay = new Date('2026-05-31T23:30:00Z');
    expect(londonMonth(lateMay)).toBe('2026-06');
    expect(defaultFilter(lateMay)).toEqual({ from: '2025-07', to: '2026-06' });
    expect(defaultFilter(new Date('2026-11-15T12:00:00Z'))).toEqual({ from: '2025-12', to: '2026-11' });
    const { db, tenant, cats, wards } = await scene();
    await insertTestReports(db, tenant.id, [
      { ward: wards[BEANFIELD]!, category: cats['t-roads']!, observedOn: '2026-05-31' },
      { ward: wards[BEANFIELD]!, category: cats['t-roads']!, observedOn: '2026-06-01' },
    ]);
    const p = await needsPicture(db, tenant, defaultFilter(lateMay));
    const months = p.rows.filter((r) => r.categoryId === cats['t-roads'] && r.wardId === wards[BEANFIELD]).map((r) => r.month).sort();
    expect(months).toEqual(['2026-05', '2026-06']);
    expect(p.months.at(-1)).toBe('2026-06');
    expect(p.months).toHaveLength(12);
  });

  it('filters by category and period, and counts only the tenant’s own reports', async () => {
    const { db, deps, tenant, cats, wards } = await scene();
    const other = await buildTenant(db);
    const otherCats = await needsTestCategories(db, other.tenant.id, ['t-food']);
    const otherWards = await needsTestWards(deps.database, other.tenant.id);
    await insertTestReports(db, other.tenant.id, [{ ward: otherWards[BEANFIELD]!, category: otherCats['t-food']!, observedOn: '2026-10-01', n: 7 }]);
    const roadsOnly = shownPicture(await needsPicture(db, tenant, { from: '2026-01', to: '2026-12', category: 't-roads' }));
    expect(roadsOnly.categories.map((c) => c.key)).toEqual(['t-roads']);
    expect(roadsOnly.rows.every((r) => r.categoryId === cats['t-roads'])).toBe(true);
    expect(roadsOnly.rows.reduce((n, r) => n + r.reports, 0)).toBe(8);
    const october = await needsPicture(db, tenant, { from: '2026-10', to: '2026-10' });
    expect(cellOf(october, BEANFIELD, cats['t-food']!, 'reports')).toBe(10);
    expect(cellOf(october, LLOYDS, cats['t-roads']!, 'reports')).toBe(0);
    expect(october.rows.every((r) => Object.values(wards).includes(r.wardId))).toBe(true);
    // A ward of another (not current) ward set: its reports are not in the picture of the current set.
    const seed = path.resolve(import.meta.dirname, '../tenancy/seed/corby');
    await loadWardSet(
      db,
      { tenantId: tenant.id, key: 'old-set', name: 'Old', source: 'ons-wd20', geojson: readFileSync(path.join(seed, 'corby_wards_2015_2021.geojson'), 'utf8'), factsCsv: readFileSync(path.join(seed, 'derived_ward2015_2021_summary.csv'), 'utf8'), makeCurrent: false },
      'system:test',
    );
    const [oldWard] = await deps.database.query<{ id: string }>("SELECT w.id FROM wards w JOIN ward_sets s ON s.tenant_id = w.tenant_id AND s.id = w.ward_set_id WHERE w.tenant_id = $1 AND s.key = 'old-set' AND w.code = $2", [tenant.id, BEANFIELD]);
    await insertTestReports(db, tenant.id, [{ ward: oldWard!.id, category: cats['t-food']!, observedOn: '2026-10-01', n: 9 }]);
    const current = await needsPicture(db, tenant, { from: '2026-10', to: '2026-10' });
    expect(cellOf(current, BEANFIELD, cats['t-food']!, 'reports')).toBe(10);
    expect(() => parseNeedsFilter({ from: '2026-13' }, new Date(NOW))).toThrow(/YYYY-MM/);
    expect(() => parseNeedsFilter({ from: '2026-10', to: '2026-01' }, new Date(NOW))).toThrow();
    expect(() => parseNeedsFilter({ from: '2020-01', to: '2026-01' }, new Date(NOW))).toThrow();
    expect(() => parseNeedsFilter({ category: 'nope' }, new Date(NOW), ['t-food'])).toThrow();
  });

  it('the public never sees a count from 1 to 5: page, ward page, CSV, GeoJSON and chart', async () => {
    const { app, host } = await scene();
    const pub = new TestClient(app, host);
    const q = 'from=2026-01&to=2026-11';

    const page = await pub.get(`/needs?${q}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const numbers = tableNumbers(html);
    expect(numbers.length).toBeGreaterThan(50);
    expect(numbers.filter((n) => !safe(n))).toEqual([]);
    expect(numbers).toContain('c');
    // The chart: no text in it is a small number, and no hidden point is drawn.
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="needs-trend-title">/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.trim());
    expect(texts.filter((x) => /^\d+$/.test(x) && !safe(x))).toEqual([]);
    expect(html).toMatch(/data-choropleth="[^"]*E05010265&quot;:&quot;c&quot;/);

    const ward = await (await pub.get(`/needs/wards/${BEANFIELD}?${q}`)).text();
    expect(tableNumbers(ward).filter((n) => !safe(n))).toEqual([]);
    expect(tableNumbers(ward)).toContain('c');
    // Months per ward are for coordinators only (beside the all-ward trend they would give a small month away).
    expect(ward).not.toContain('<svg');
    expect(ward).toContain('Month by month figures for one ward are shown to coordinators only');

    const csvRes = await pub.get(`/needs.csv?${q}`);
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    const csv = parseCsv(await csvRes.text());
    expect(csv[0]).toEqual(['table', 'ward_code', 'ward_name', 'category_key', 'category', 'month_from', 'month_to', 'reports', 'families']);
    const figures = csv.slice(1).flatMap((r) => [r[7]!, r[8]!]);
    expect(figures.filter((n) => !safe(n))).toEqual([]);
    expect(figures).toContain('c');
    expect(csv.some((r) => r[0] === 'ward_category_month')).toBe(false);

    const geo = (await (await pub.get(`/needs.geojson?${q}`)).json()) as { features: Array<{ properties: Record<string, unknown> }> };
    expect(geo.features).toHaveLength(12);
    for (const f of geo.features) {
      for (const k of ['reports', 'families'] as const) {
        const v = f.properties[k] as number | null;
        expect(v === null || v === 0 || v > 5).toBe(true);
        if (v === null) expect(f.properties[`${k}Suppressed`]).toBe(true);
      }
    }
    expect(geo.features.find((f) => f.properties.code === CENTRAL)?.properties.reports).toBeNull();
  });

  it('coordinators and admins see exact figures on the same pages and exports; others do not', async () => {
    const { app, db, host, tenant } = await scene();
    const q = 'from=2026-01&to=2026-11';
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const champion = await buildMember(db, tenant.id, { roles: ['street_champion'] });
    const coord = new TestClient(app, host);
    await coord.get('/about');
    coord.cookies.set('pm_session', coordinator.cookie);
    const html = await (await coord.get(`/needs?${q}`)).text();
    expect(html).toContain('exact figures');
    const central = html.slice(html.indexOf('>Central</a>'), html.indexOf('</tr>', html.indexOf('>Central</a>')));
    expect(central).toMatch(/data-label="Cat t-food">3</);
    const csv = parseCsv(await (await coord.get(`/needs.csv?${q}`)).text());
    expect(csv.find((r) => r[0] === 'ward_category' && r[1] === CENTRAL && r[3] === 't-food')?.[7]).toBe('3');
    expect(csv.some((r) => r[0] === 'ward_category_month' && r[1] === BEANFIELD && r[5] === '2026-09' && r[7] === '2')).toBe(true);
    const geo = (await (await coord.get(`/needs.geojson?${q}`)).json()) as { features: Array<{ properties: Record<string, unknown> }> };
    expect(geo.features.find((f) => f.properties.code === CENTRAL)?.properties.reports).toBe(3);
    expect((await coord.get(`/needs?${q}`)).headers.get('cache-control')).toBe('no-store');
    const coordWard = await (await coord.get(`/needs/wards/${BEANFIELD}?${q}`)).text();
    expect(coordWard).toContain('<svg role="img"');
    // Reports by month in Beanfield: September 2, October 10 (exact).
    expect(coordWard).toMatch(/Cat t-food<\/th>(<td class="num" data-label="[^"]+">0<\/td>){8}<td class="num" data-label="Sept? 2026">2<\/td><td class="num" data-label="Oct 2026">10<\/td>/);

    const admin = new TestClient(app, host);
    await admin.get('/about');
    admin.cookies.set('pm_session', (await buildMember(db, tenant.id, { roles: ['admin'] })).cookie);
    const adminHtml = await (await admin.get(`/needs?${q}`)).text();
    expect(adminHtml.slice(adminHtml.indexOf('>Central</a>'), adminHtml.indexOf('</tr>', adminHtml.indexOf('>Central</a>')))).toMatch(/data-label="Cat t-food">3</);

    const champ = new TestClient(app, host);
    await champ.get('/about');
    champ.cookies.set('pm_session', champion.cookie);
    const champHtml = await (await champ.get(`/needs?${q}`)).text();
    expect(tableNumbers(champHtml).filter((n) => !safe(n))).toEqual([]);
  });

  it('secondary suppression: a hidden cell cannot be worked out from the totals, and the months agree with the totals', async () => {
    const { db, tenant } = await scene();
    const p = await needsPicture(db, tenant, { from: '2026-01', to: '2026-11' });
    const pub = publishNeeds(p, false);
    const grid = pub.byWard.reports;
    // Every row and column with a published total holds zero or at least two hidden cells.
    const lines = [...grid.cells.map((r, i) => [...r, grid.rowTotals[i]!]), ...p.categories.map((_, j) => [...grid.cells.map((r) => r[j]!), grid.columnTotals[j]!])];
    for (const line of lines) expect(line.filter((c) => c.suppressed).length).not.toBe(1);
    expect(lines.flat().some((c) => c.suppressed)).toBe(true);
    // Each category's months either carry its published total (line rule) or hide at least one month.
    pub.trend.reports.forEach((line, j) => {
      expect(line.total).toEqual(grid.columnTotals[j]);
      const hidden = line.cells.filter((c) => c.suppressed).length;
      if (line.total.suppressed) expect(hidden).toBeGreaterThan(0);
      else expect(hidden).not.toBe(1);
    });
  });

  it('the view of one category shows exactly its column of the all-categories view (no other pattern of hidden cells)', async () => {
    const { db, tenant, cats } = await scene();
    const all = publishNeeds(await needsPicture(db, tenant, { from: '2026-01', to: '2026-11' }), false);
    const allPicture = await needsPicture(db, tenant, { from: '2026-01', to: '2026-11' });
    const j = allPicture.categories.findIndex((c) => c.id === cats['t-food']);
    const one = publishNeeds(await needsPicture(db, tenant, { from: '2026-01', to: '2026-11', category: 't-food' }), false);
    expect(one.byWard.reports.cells.map((r) => r[0])).toEqual(all.byWard.reports.cells.map((r) => r[j]));
    expect(one.byWard.reports.grandTotal).toEqual(all.byWard.reports.columnTotals[j]);
    expect(one.trend.families).toEqual([all.trend.families[j]]);
    // Beanfield's 12 food reports are hidden in the all-categories view (they would reveal Central's 3), so here too.
    expect(one.byWard.reports.cells[0]![0]).toMatchObject({ suppressed: true });
  });

  it('publishLine hides a month when the total is hidden elsewhere, so the total cannot be added up', () => {
    const hiddenTotal: Cell = { value: null, suppressed: true, reason: 'secondary' };
    const line = publishLine([10, 0, 12], hiddenTotal);
    expect(line.cells.map((c) => c.suppressed)).toEqual([true, false, false]);
    const shown = publishLine([10, 3, 12], { value: 25, suppressed: false });
    expect(shown.cells.map((c) => c.suppressed)).toEqual([true, true, false]);
  });

  it('the chart is drawn only from shown numbers, with a title and role="img"', async () => {
    const input = {
      id: 't',
      title: 'Reports <by> month',
      description: 'desc',
      months: ['2026-01', '2026-02'],
      monthLabels: ['Jan', 'Feb'],
      yTitle: 'Reports',
      suppressed: true,
      series: [{ label: 'Food', cells: [{ value: 9, suppressed: false }, { value: null, suppressed: true }] as Cell[] }],
    };
    const spec = chartSpec(input) as { data: { values: Array<{ n: number | null }> } };
    expect(spec.data.values.map((v) => v.n)).toEqual([9, null]);
    const svg = await renderChart(input);
    expect(svg.startsWith('<svg role="img" aria-labelledby="t-title t-desc"')).toBe(true);
    expect(svg).toContain('<title id="t-title">Reports &lt;by&gt; month</title>');
    expect(svg).not.toMatch(/style=/);
  });

  it('the ward page, the 390 px table markup, the home link, the demo notice and bad filters', async () => {
    const { app, host, db, tenant, wards, cats } = await scene();
    const pub = new TestClient(app, host);
    const home = await (await pub.get('/')).text();
    expect(home).toContain('href="/needs"');
    expect(home).toContain('Needs picture');
    const html = await (await pub.get('/needs')).text();
    // The ward table stacks into cards on a phone: class "stack" and a label on every cell.
    const table = html.slice(html.indexOf('<table class="stack needs-table">'), html.indexOf('</table>'));
    expect(table.length).toBeGreaterThan(100);
    expect([...table.matchAll(/<td(?![^>]*data-label)[^>]*>/g)]).toHaveLength(0);
    // So do the month tables (one card per category).
    const trend = html.slice(html.indexOf('<table class="stack needs-trend">'));
    expect(trend.length).toBeGreaterThan(100);
    expect([...trend.slice(0, trend.indexOf('</table>')).matchAll(/<td(?![^>]*data-label)[^>]*>/g)]).toHaveLength(0);
    expect(html).toMatch(/<div class="table-wrap" role="region" aria-label="Reports per ward and category/);
    expect(html).toContain('<label for="f-from">');
    const ward = await pub.get(`/needs/wards/${LLOYDS}`);
    expect(ward.status).toBe(200);
    expect(await ward.text()).toContain('<h1>Needs picture: Lloyds</h1>');
    expect((await pub.get('/needs/wards/E99999999')).status).toBe(404);
    const bad = await pub.get('/needs?from=2026-13');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter the month as year and month');
    expect((await pub.get('/needs.csv?to=nope')).status).toBe(400);
    expect((await pub.get('/needs.geojson?category=nope')).status).toBe(400);
    expect(html).not.toContain('Demo data is loaded');
    await insertTestReports(db, tenant.id, [{ ward: wards[LLOYDS]!, category: cats['t-roads']!, observedOn: '2026-10-01', isDemo: true }]);
    expect(await (await pub.get('/needs?from=2026-10&to=2026-10')).text()).toContain('Demo data is loaded');
    const pl = await (await pub.get('/needs?lang=pl')).text();
    expect(pl).toContain('Obraz potrzeb');
  });

  it('CSV cells that a spreadsheet would run are escaped', async () => {
    const { app, db, host, tenant, wards } = await scene();
    const cats = await needsTestCategories(db, tenant.id, ['t-evil']);
    await db.update(intelCategories).set({ title: '=HYPERLINK("http://x")' }).where(eq(intelCategories.id, cats['t-evil']!));
    await insertTestReports(db, tenant.id, [{ ward: wards[BEANFIELD]!, category: cats['t-evil']!, observedOn: '2026-10-01', n: 6 }]);
    const text = await (await new TestClient(app, host).get('/needs.csv?from=2026-01&to=2026-11')).text();
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
