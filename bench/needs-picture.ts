// The needs picture over many reports (issue 10: 1,000,000 reports, many tenants, 3 years; p95 ≤ 100 ms
// on PostgreSQL). Bulk-inserts reports with generate_series over TENANTS tenants (Corby wards, 9
// categories each, 3 years, 3% merged duplicates), then times ≥ 200 runs with varied filters (tenant,
// period of 1–36 months, a category or all):
//   - query: needsPicture (the aggregate query, categories, demo flag) + publishNeeds (suppression);
//   - page:  GET /needs in-process (public: suppressed, every filter distinct so the minute cache never hits).
// Baselines in the same run: GET /healthz in-process (page), SELECT 1 (query).
// PostgreSQL: DATABASE_URL (or BENCH_DATABASE_URL); without one, PGlite in memory with REPORTS
// (default 100,000 there, 1,000,000 on PostgreSQL). Prints JSON only.
import { cpus, loadavg } from 'node:os';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { needsPicture, publishNeeds, type NeedsFilter, addMonths } from '../src/modules/intelligence/needs.ts';
import { createApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createLogger } from '../src/server/logger.ts';
import { buildTenant } from '../src/test/factories.ts';
import { TEST_SECRET } from '../src/test/secret.ts';
import { buildAssets } from '../src/ui/assets.ts';
import type { Tenant } from '../src/modules/tenancy/schema.ts';

const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const TENANTS = Number(process.env.TENANTS ?? 20);
const REPORTS = Number(process.env.REPORTS ?? (url ? 1_000_000 : 100_000));
const RUNS = Number(process.env.RUNS ?? 240);
const CATEGORIES = ['demographics', 'drugs_alcohol', 'housing', 'road_safety', 'play', 'isolation', 'food_fuel', 'services_gap', 'other'];
// Three years of reports ending in the current month: 2023-12 … 2026-11 when run in November 2026.
const NOW = new Date();
const LAST = NOW.toISOString().slice(0, 7);
const FIRST = addMonths(LAST, -35);

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}
function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: ms.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: percentile(sorted, 100) };
}

async function load(database: Database): Promise<Array<{ id: string; host: string; tenant: Tenant }>> {
  const tenants: Array<{ id: string; host: string; tenant: Tenant }> = [];
  for (let i = 0; i < TENANTS; i += 1) {
    const { tenant, host } = await buildTenant(database.db, { name: `Needs bench ${i}` });
    tenants.push({ id: tenant.id, host, tenant });
    await database.query(
      `INSERT INTO intel_categories (tenant_id, id, key, title, sort_order)
       SELECT $1, gen_random_uuid(), k, initcap(replace(k, '_', ' ')), o::int FROM unnest($2::text[]) WITH ORDINALITY AS c(k, o)
       ON CONFLICT (tenant_id, key) DO NOTHING`, // the module's tenant seed already made the shared keys
      [tenant.id, CATEGORIES],
    );
  }
  const perTenant = Math.ceil(REPORTS / TENANTS);
  const days = Math.round((Date.parse(`${addMonths(LAST, 1)}-01`) - Date.parse(`${FIRST}-01`)) / 86_400_000);
  for (const t of tenants) {
    // Wards and categories as arrays, picked at random per row; 3% of rows are merged duplicates.
    await database.query(
      `WITH w AS (SELECT array_agg(id ORDER BY code) AS ids FROM wards WHERE tenant_id = $1),
            c AS (SELECT array_agg(id ORDER BY key) AS ids FROM intel_categories WHERE tenant_id = $1)
       INSERT INTO intel_reports (tenant_id, id, client_id, content_hash, category_id, ward_id, observed_on, families_estimate, source, merged_into)
       SELECT $1, gen_random_uuid(), 'bench-' || g, 'h',
              c.ids[1 + floor(random() * array_length(c.ids, 1))::int],
              w.ids[1 + floor(random() * array_length(w.ids, 1))::int],
              ($2::date + floor(random() * $3)::int),
              floor(random() * 12)::int, 'seen',
              CASE WHEN random() < 0.03 THEN gen_random_uuid() END
       FROM generate_series(1, $4::int) AS g, w, c`,
      [t.id, `${FIRST}-01`, days, perTenant],
    );
  }
  // As autovacuum would after a bulk load: statistics, and the visibility map for index-only scans.
  await database.query('VACUUM ANALYZE intel_reports');
  return tenants;
}

/** Run i's filter: a tenant, a period of 1–36 months ending somewhere in the three years, a category or all. */
function filterFor(i: number): { tenant: number; filter: NeedsFilter } {
  const spans = [12, 12, 12, 3, 6, 24, 36, 1];
  const span = spans[i % spans.length]!;
  const back = (i * 7) % Math.max(1, 37 - span);
  const to = addMonths(LAST, -back);
  const from = addMonths(to, -(span - 1));
  const category = i % 3 === 0 ? CATEGORIES[i % CATEGORIES.length] : undefined;
  return { tenant: (i * 11) % TENANTS, filter: { from, to, category } };
}

async function measure(store: 'pglite' | 'postgres') {
  const database = await openDatabase(url ? { url, poolSize: 4 } : { dataDir: 'memory://' });
  try {
    await runMigrations(database);
    const t0 = performance.now();
    const tenants = await load(database);
    const loadSeconds = Math.round(performance.now() - t0) / 1000;
    const ids = tenants.map((t) => t.id);
    const [{ n } = { n: 0 }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM intel_reports WHERE tenant_id = ANY($1)', [ids]);
    const tenantObjs = tenants.map((t) => t.tenant);

    const deps = { database, config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), logger: createLogger('silent'), secret: TEST_SECRET, assets: await buildAssets() };
    const app = createApp(deps);
    const get = (host: string, path: string) => app.request(path, { headers: { host } });

    // Warm up (plans, caches of ward sets, the chart renderer).
    for (let i = 0; i < 10; i += 1) {
      const { tenant, filter } = filterFor(1000 + i);
      publishNeeds(await needsPicture(database.db, tenantObjs[tenant]!, filter), false);
      await (await get(tenants[tenant]!.host, '/healthz')).text();
    }

    const select1: number[] = [];
    const healthz: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      let s = performance.now();
      await database.query('SELECT 1');
      select1.push(performance.now() - s);
      s = performance.now();
      await (await get(tenants[i % TENANTS]!.host, '/healthz')).text();
      healthz.push(performance.now() - s);
    }

    const loadBefore = loadavg()[0];
    const query: number[] = [];
    let counted = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const { tenant, filter } = filterFor(i);
      const s = performance.now();
      const picture = await needsPicture(database.db, tenantObjs[tenant]!, filter);
      publishNeeds(picture, false);
      query.push(performance.now() - s);
      counted += picture.rows.reduce((sum, r) => sum + r.reports, 0);
    }

    // The public page, every run a filter not asked before (months shifted per run), so no cache hit.
    const page: number[] = [];
    const seen = new Set<string>();
    let non200 = 0;
    for (let i = 0; seen.size < RUNS; i += 1) {
      const { tenant, filter } = filterFor(i + 5000);
      const key = `${tenant}:${filter.from}:${filter.to}:${filter.category ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const q = new URLSearchParams({ from: filter.from, to: filter.to, ...(filter.category ? { category: filter.category } : {}) });
      const s = performance.now();
      const res = await get(tenants[tenant]!.host, `/needs?${q}`);
      await res.text();
      page.push(performance.now() - s);
      if (res.status !== 200) non200 += 1;
    }

    const plan = await planOf(database, store, ids[0]!);
    if (store === 'postgres' && !process.env.KEEP) await database.query('DELETE FROM tenants WHERE id = ANY($1)', [ids]); // cascades to the reports; audit rows stay
    const machine = { cpus: cpus().length, loadAverage1mBefore: Math.round((loadBefore ?? 0) * 10) / 10, loadAverage1mAfter: Math.round((loadavg()[0] ?? 0) * 10) / 10 };
    return { store, machine, tenants: TENANTS, reports: n, loadSeconds, reportsCountedOverRuns: counted, query: stats(query), page: { ...stats(page), non200 }, baselineHealthz: stats(healthz), baselineSelect1: stats(select1), plan };
  } finally {
    await database.close();
  }
}

/** The plan of the aggregate query for one tenant's last 12 months (to show which index it uses). */
async function planOf(database: Database, store: string, tenantId: string): Promise<string | undefined> {
  if (store !== 'postgres') return undefined;
  const from = `${addMonths(LAST, -11)}-01`;
  const to = `${addMonths(LAST, 1)}-01`;
  const rows = await database.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, COSTS OFF) SELECT ward_id, category_id, to_char(date_trunc('month', observed_on::timestamp), 'YYYY-MM'), count(*)::int, coalesce(sum(families_estimate), 0)::int, bool_or(is_demo)
     FROM intel_reports WHERE tenant_id = $1 AND merged_into IS NULL AND observed_on >= $2 AND observed_on < $3 AND ward_id IN (SELECT id FROM wards WHERE tenant_id = $1)
     GROUP BY ward_id, category_id, date_trunc('month', observed_on::timestamp)`,
    [tenantId, from, to],
  );
  return rows.map((r) => r['QUERY PLAN'].trim()).join(' | ');
}

const result = await measure(url ? 'postgres' : 'pglite');
console.log(
  JSON.stringify(
    {
      benchmark: 'needs-picture',
      p95Ms: result.query.p95Ms,
      pageP95Ms: result.page.p95Ms,
      target: 100,
      baselineP95Ms: result.baselineHealthz.p95Ms,
      // The figure is the query; the page (the query + suppression + the vega chart + HTML) is reported beside it.
      meetsTarget: result.query.p95Ms <= 100,
      pageMeetsTarget: result.page.p95Ms <= 100,
      runs: RUNS,
      result,
      note: url ? undefined : 'PGlite with fewer reports; set DATABASE_URL (PostgreSQL) for the 1,000,000-report figure',
    },
    null,
    2,
  ),
);
