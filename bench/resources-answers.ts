// The resource audit's answer pages (issue 11): p95 of every answer page over REQUESTS requests
// each (default 100), through the app in process as a signed-in coordinator, with 2,000 services
// over 20 providers and ~500,000 reach rows (21 quarters × 12 wards × 2,000 services, written with
// generate_series), 84,000 spend lines and 42,000 delivery rows; on the embedded store and on
// PostgreSQL (BENCH_DATABASE_URL). Target: p95 ≤ 200 ms per page. Baseline in the same run: the
// p95 of /healthz over as many requests. The answers read the tables with plain aggregate queries
// on the schema's indexes; a built answer is reused while the tenant's data version (bumped by
// statement triggers in every writing transaction) is unchanged, so `pages` is the steady state
// and `afterWriteP95Ms` (UNCACHED_REQUESTS each, default 20) every request right after a write.
// Prints JSON only.
import type { Database } from '../src/db/connection.ts';
import { ANSWERS } from '../src/modules/resources/answers.ts';
import { createApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createLogger } from '../src/server/logger.ts';
import { buildTenant } from '../src/test/factories.ts';
import { buildMember } from '../src/test/members.ts';
import { buildAssets } from '../src/ui/assets.ts';
import { openStore } from './member-import.ts';

const SERVICES = Number(process.env.SERVICES ?? 2000);
const QUARTERS = Number(process.env.QUARTERS ?? 21);
const REQUESTS = Number(process.env.REQUESTS ?? 100);
const UNCACHED_REQUESTS = Number(process.env.UNCACHED_REQUESTS ?? 20);
const TARGET_P95_MS = 200;
const SECRET = 'bench-secret-0123456789-0123456789-0123456789';

function p95(ms: number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0) * 10) / 10;
}

/** Providers, categories, services (one weekly slot, two wards each), spend, delivery and reach, in SQL. */
async function load(database: Database, tenantId: string): Promise<{ reachRows: number }> {
  const q = (text: string) => database.query(text, [tenantId]);
  await q(`INSERT INTO res_providers (tenant_id, id, ref, name, kind) SELECT $1, gen_random_uuid(), 'p' || g, 'Provider ' || lpad(g::text, 2, '0'), 'voluntary' FROM generate_series(1, 20) g`);
  await q(`INSERT INTO res_categories (tenant_id, id, key, title, sort_order) SELECT $1, gen_random_uuid(), 'c' || g, 'Category ' || lpad(g::text, 2, '0'), g FROM generate_series(1, 20) g`);
  await database.query(
    `INSERT INTO res_services (tenant_id, id, provider_id, ref, name, category_id, tier, evidence)
     SELECT $1, gen_random_uuid(), p.id, 's' || g, 'Service ' || lpad(g::text, 4, '0'), c.id,
            (ARRAY['universal','targeted','specialist','acute'])[1 + g % 4], (ARRAY['none','some','good','strong'])[1 + (g / 4) % 4]
       FROM generate_series(0, $2::int - 1) g
       JOIN res_providers p ON p.tenant_id = $1 AND p.ref = 'p' || (1 + (g / 100) % 20)
       JOIN res_categories c ON c.tenant_id = $1 AND c.key = 'c' || (1 + g % 20)`,
    [tenantId, SERVICES],
  );
  await q(`CREATE TEMP TABLE bench_wards AS SELECT id, row_number() OVER (ORDER BY code) - 1 AS n FROM wards WHERE tenant_id = $1`);
  await q(`CREATE TEMP TABLE bench_services AS SELECT id, substr(ref, 2)::int AS g FROM res_services WHERE tenant_id = $1`);
  const [{ n: wardCount } = { n: 0 }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_wards');
  await database.query(
    `INSERT INTO res_service_wards (tenant_id, service_id, ward_id)
     SELECT DISTINCT $1::uuid, s.id, w.id FROM bench_services s JOIN bench_wards w ON w.n IN (s.g % $2::int, (s.g * 7 + 3) % $2::int)`,
    [tenantId, wardCount],
  );
  await q(`INSERT INTO res_service_schedules (tenant_id, id, service_id, weekday, opens_at, closes_at, frequency)
           SELECT $1, gen_random_uuid(), s.id, 1 + (s.g * 3) % 7, lpad((8 + (s.g * 7) % 11)::text, 2, '0') || ':00', lpad((9 + (s.g * 7) % 11)::text, 2, '0') || ':00',
                  (ARRAY['weekly','fortnightly','monthly','weekly'])[1 + s.g % 4]
             FROM bench_services s`);
  const quarters = `(SELECT k, (DATE '2021-04-01' + make_interval(months => 3 * k))::date AS s, (DATE '2021-04-01' + make_interval(months => 3 * k + 3) - INTERVAL '1 day')::date AS e FROM generate_series(0, ${QUARTERS - 1}) k) qq`;
  await q(`INSERT INTO res_spend (tenant_id, id, service_id, period_start, period_end, kind, amount_pence)
           SELECT $1, gen_random_uuid(), s.id, qq.s, qq.e, kind, 100000 + ((s.g * 37 + qq.k * 11) % 900) * 1000
             FROM bench_services s CROSS JOIN ${quarters} CROSS JOIN (VALUES ('staff'), ('venue')) v(kind)`);
  await q(`INSERT INTO res_delivery (tenant_id, id, service_id, period_start, period_end, sessions)
           SELECT $1, gen_random_uuid(), s.id, qq.s, qq.e, 10 + (s.g + qq.k) % 3 FROM bench_services s CROSS JOIN ${quarters}`);
  await q(`INSERT INTO res_reach (tenant_id, id, service_id, period_start, period_end, ward_id, attendances, families)
           SELECT $1, gen_random_uuid(), s.id, qq.s, qq.e, w.id, 3 * (1 + (s.g * 13 + qq.k * 5 + w.n) % 20), 1 + (s.g * 13 + qq.k * 5 + w.n) % 20
             FROM bench_services s CROSS JOIN ${quarters} CROSS JOIN bench_wards w`);
  for (const t of ['res_services', 'res_service_wards', 'res_service_schedules', 'res_spend', 'res_delivery', 'res_reach']) await database.query(`VACUUM ANALYZE ${t}`);
  const [{ n } = { n: 0 }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM res_reach WHERE tenant_id = $1', [tenantId]);
  await database.query('DROP TABLE bench_wards');
  await database.query('DROP TABLE bench_services');
  return { reachRows: n };
}

async function measure(store: 'pglite' | 'postgres', url: string | undefined) {
  const database = await openStore(url);
  try {
    const { tenant, host } = await buildTenant(database.db);
    const { reachRows } = await load(database, tenant.id);
    const { cookie } = await buildMember(database.db, tenant.id, { roles: ['coordinator'] });
    const app = createApp({ database, config: { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }) }, logger: createLogger('silent'), secret: SECRET, assets: await buildAssets() });
    const get = async (path: string) => {
      const t0 = performance.now();
      const res = await app.request(path, { headers: { host, cookie: `pm_session=${cookie}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return performance.now() - t0;
    };
    const run = async (path: string, n = REQUESTS, miss = false) => {
      for (let i = 0; i < 3; i++) await get(path); // warm up
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        // As after a write: the data version moves on, so the answer is read and built afresh.
        if (miss) await database.query('UPDATE res_cache.answer_versions SET version = version + 1 WHERE tenant_id = $1', [tenant.id]);
        ms.push(await get(path));
      }
      return p95(ms);
    };
    const baselineP95Ms = await run('/healthz');
    const pages: Record<string, number> = {};
    for (const name of ANSWERS) pages[name] = await run(`/resources/answers/${name}?period=fy2025`);
    pages.index = await run('/resources/answers?period=fy2025');
    // Every request right after a write (nothing reused): the cost of the queries and the build.
    const afterWriteP95Ms: Record<string, number> = {};
    for (const name of ANSWERS) afterWriteP95Ms[name] = await run(`/resources/answers/${name}?period=fy2025`, UNCACHED_REQUESTS, true);
    await database.query('DELETE FROM tenants WHERE id = $1', [tenant.id]).catch(() => undefined);
    return { store, services: SERVICES, reachRows, pages, baselineP95Ms, afterWriteP95Ms };
  } finally {
    await database.close();
  }
}

const results = [];
if (process.env.SKIP_PGLITE !== '1') results.push(await measure('pglite', undefined));
const url = process.env.BENCH_DATABASE_URL;
if (url) results.push(await measure('postgres', url));
console.log(
  JSON.stringify(
    {
      benchmark: 'resources-answers',
      requests: REQUESTS,
      target: TARGET_P95_MS,
      results,
      // The brief's shape, for the first store measured (PostgreSQL when given, else the embedded store).
      pages: (results.at(-1) ?? results[0])?.pages,
      baselineP95Ms: (results.at(-1) ?? results[0])?.baselineP95Ms,
      meetsTarget: results.every((r) => Object.values(r.pages).every((ms) => ms <= TARGET_P95_MS)),
      note: url ? undefined : 'set BENCH_DATABASE_URL to measure PostgreSQL',
    },
    null,
    2,
  ),
);
