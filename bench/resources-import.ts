// Issue 11: import of 50,000 reach rows (CSV) ≤ 10 s, and the re-import adds 0 rows — on the
// embedded store and on PostgreSQL (DATABASE_URL, e.g. postgres://pm_test:pm_test@127.0.0.1:5432/pm_res_core).
// Baselines measured in the same run: reading and checking the file alone (a dry run), and a plain
// multi-row INSERT of the same rows into a temp table with no indexes or checks. Prints JSON only.
import { pathToFileURL } from 'node:url';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { toCsv } from '../src/lib/csv.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import { insertMember } from '../src/modules/membership/service.ts';
import { importResources } from '../src/modules/resources/import.ts';
import { buildTenant } from '../src/test/factories.ts';

const WARDS = Array.from({ length: 12 }, (_, i) => `E050102${64 + i}`);
const QUARTERS = [
  ['2025-04-01', '2025-06-30'],
  ['2025-07-01', '2025-09-30'],
  ['2025-10-01', '2025-12-31'],
  ['2026-01-01', '2026-03-31'],
] as const;
const PER_SERVICE = WARDS.length * QUARTERS.length;

export function servicesCsv(services: number): string {
  const rows: Array<Array<string | number>> = [['provider_ref', 'provider_name', 'provider_kind', 'service_ref', 'service_name', 'category_key', 'tier']];
  for (let i = 0; i < services; i++) rows.push([`BENCH-P${i % 50}`, `Bench provider ${i % 50}`, 'voluntary', `S${i}`, `Bench service ${i}`, 'stay-and-play', 'universal']);
  return toCsv(rows);
}

/** n reach rows over ceil(n / 48) services × 4 quarters × 12 wards. */
export function reachCsv(n: number): string {
  const rows: Array<Array<string | number>> = [['provider_ref', 'service_ref', 'period_start', 'period_end', 'ward_code', 'attendances', 'families']];
  for (let i = 0; i < n; i++) {
    const s = Math.floor(i / PER_SERVICE);
    const q = QUARTERS[Math.floor(i / WARDS.length) % QUARTERS.length]!;
    rows.push([`BENCH-P${s % 50}`, `S${s}`, q[0], q[1], WARDS[i % WARDS.length]!, 10 + (i % 40), 3 + (i % 7)]);
  }
  return toCsv(rows);
}

async function benchActor(database: Database): Promise<Actor> {
  const { tenant } = await buildTenant(database.db);
  const m = await database.db.transaction((tx) =>
    insertMember(tx, tenant.id, { name: 'Bench Coordinator', email: 'coordinator@example.invalid', relationship: 'other', preferredLocale: 'en', consentVersion: 'bench', status: 'active' }, 'system:bench'),
  );
  return { tenantId: tenant.id, memberId: m.id, roles: new Set(['coordinator']), sessionId: 'bench' };
}

const ms = async <T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - t0) };
};

async function plainInsertMs(database: Database, csv: string): Promise<number> {
  const lines = csv.trim().split('\r\n').slice(1).map((l) => l.split(','));
  const t0 = performance.now();
  await database.rawTransaction(async (query) => {
    await query('CREATE TEMP TABLE bench_reach (provider_ref text, service_ref text, period_start date, period_end date, ward_code text, attendances int, families int) ON COMMIT DROP');
    for (let i = 0; i < lines.length; i += 2000) {
      const params: string[] = [];
      const tuples = lines.slice(i, i + 2000).map((cells) => `(${cells.map((c) => `$${params.push(c)}`).join(',')})`);
      await query(`INSERT INTO bench_reach VALUES ${tuples.join(',')}`, params);
    }
  });
  return Math.round(performance.now() - t0);
}

async function measure(store: 'pglite' | 'postgres', url: string | undefined, rows: number) {
  const database = await openDatabase(url ? { url, poolSize: 4 } : { dataDir: 'memory://' });
  await runMigrations(database);
  try {
    const actor = await benchActor(database);
    const services = await importResources(database.db, actor, { fileName: 'services.csv', bytes: new TextEncoder().encode(servicesCsv(Math.ceil(rows / PER_SERVICE))), kind: 'services', dryRun: false });
    if (!services.applied) throw new Error(JSON.stringify(services.problems.slice(0, 3)));
    const bytes = new TextEncoder().encode(reachCsv(rows));
    const count = async () => (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM res_reach WHERE tenant_id = $1', [actor.tenantId]))[0]!.n;
    const dry = await ms(() => importResources(database.db, actor, { fileName: 'reach.csv', bytes, kind: 'reach', dryRun: true }));
    const plain = await plainInsertMs(database, new TextDecoder().decode(bytes));
    const first = await ms(() => importResources(database.db, actor, { fileName: 'reach.csv', bytes, kind: 'reach', dryRun: false }));
    const afterFirst = await count();
    const again = await ms(() => importResources(database.db, actor, { fileName: 'reach.csv', bytes, kind: 'reach', dryRun: false }));
    const afterAgain = await count();
    if (store === 'postgres') {
      // Services first: their category key has no cascade, so a tenant's delete would meet it first.
      await database.query('DELETE FROM res_services WHERE tenant_id = $1', [actor.tenantId]);
      await database.query('DELETE FROM tenants WHERE id = $1', [actor.tenantId]); // audit rows stay (append-only)
    }
    return {
      store,
      rows,
      importMs: first.ms,
      target: 10_000,
      reimportAdded: afterAgain - afterFirst,
      reimportMs: again.ms,
      baselineMs: plain,
      baseline: { plainMultiRowInsertMs: plain, dryRunParseAndCheckMs: dry.ms },
      stored: afterFirst,
      firstImport: first.value.kinds[0],
      reimport: again.value.kinds[0],
    };
  } finally {
    await database.close();
  }
}

async function main() {
  const rows = Number(process.env.ROWS ?? 50_000);
  const results = [await measure('pglite', undefined, rows)];
  const url = process.env.DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
  if (url) results.push(await measure('postgres', url, rows));
  console.log(
    JSON.stringify(
      { benchmark: 'resources-import', results, meetsTarget: results.every((r) => r.importMs <= r.target && r.reimportAdded === 0 && r.stored === rows), note: url ? undefined : 'set DATABASE_URL to measure PostgreSQL too' },
      null,
      2,
    ),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
