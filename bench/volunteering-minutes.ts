// approvedMinutesByMember (volunteering/views.ts) over 10,000 volunteers with 20 entries each
// (200,000 hours rows, three in four approved): the ladder's eligibility reads it in one query.
// 30 calls for every member, and 30 for a list of 1,000 ids, on the embedded store and on
// PostgreSQL (BENCH_DATABASE_URL). Baseline in the same run: a plain count(*) of the tenant's rows.
// Prints JSON only.
import type { Database } from '../src/db/connection.ts';
import { importMembers } from '../src/modules/membership/csv.ts';
import { approvedMinutesByMember } from '../src/modules/volunteering/views.ts';
import { benchTenant, fakeMembersCsv, openStore } from './member-import.ts';

const CALLS = 30;
const TARGET_P95_MS = 250;

function p95(ms: number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0) * 10) / 10;
}

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i += 1) await fn(); // warm up
  const ms: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    const s = performance.now();
    await fn();
    ms.push(performance.now() - s);
  }
  return ms;
}

async function measure(store: 'pglite' | 'postgres', url: string | undefined, n: number) {
  const database: Database = await openStore(url);
  try {
    const { tenantId, wardSetId, actor, notify } = await benchTenant(database);
    const report = await importMembers(database.db, actor, fakeMembersCsv(n), { dryRun: false, wardSetId, notify });
    if (!report.applied) throw new Error('member load failed');
    const [activity] = await database.query<{ id: string }>('SELECT id FROM volunteering_activities WHERE tenant_id = $1 ORDER BY sort LIMIT 1', [tenantId]);
    await database.query(
      `INSERT INTO volunteer_hours (tenant_id, id, member_id, activity_id, worked_on, minutes, status, client_key)
       SELECT m.tenant_id, gen_random_uuid(), m.id, $2, DATE '2026-01-01' + (g % 300), 30 + (g % 8) * 15,
              CASE WHEN g % 4 = 0 THEN 'submitted' ELSE 'approved' END, 'bench-' || g
         FROM members m CROSS JOIN generate_series(1, 20) g WHERE m.tenant_id = $1`,
      [tenantId, activity!.id],
    );
    // As autovacuum would after a bulk load (statistics and the visibility map for index-only scans).
    await database.query('VACUUM ANALYZE volunteer_hours');
    const ids = (await database.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1 ORDER BY member_number LIMIT 1000', [tenantId])).map((r) => r.id);
    const [rows] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM volunteer_hours WHERE tenant_id = $1', [tenantId]);
    const baseline = await timed(() => database.query('SELECT count(*) FROM volunteer_hours WHERE tenant_id = $1', [tenantId]));
    const all = await timed(() => approvedMinutesByMember(database.db, tenantId));
    const some = await timed(() => approvedMinutesByMember(database.db, tenantId, ids));
    const members = (await approvedMinutesByMember(database.db, tenantId)).size;
    return { store, volunteers: members, hoursRows: rows?.n ?? 0, allMembers: { p95Ms: p95(all) }, thousandIds: { p95Ms: p95(some) }, baselineCountStar: { p95Ms: p95(baseline) } };
  } finally {
    await database.close();
  }
}

const n = Number(process.env.MEMBERS ?? 10_000);
const results = [await measure('pglite', undefined, n)];
const url = process.env.BENCH_DATABASE_URL;
if (url) results.push(await measure('postgres', url, n));
console.log(
  JSON.stringify(
    {
      benchmark: 'volunteering-minutes',
      calls: CALLS,
      results,
      target: { p95Ms: TARGET_P95_MS },
      meetsTarget: results.every((r) => r.allMembers.p95Ms <= TARGET_P95_MS && r.thousandIds.p95Ms <= TARGET_P95_MS),
      note: url ? undefined : 'set BENCH_DATABASE_URL to measure PostgreSQL',
    },
    null,
    2,
  ),
);
