// validQualificationKeysByMember over 10,000 members (loaded with the CSV import) holding about
// 19,000 awards, in a fresh tenant, on the embedded store and on PostgreSQL (BENCH_DATABASE_URL):
// 20 calls for every member and 20 for 500 of them. Baseline in the same run: SELECT 1 round trips.
// Target: one query, under 250 ms for all 10,000 members. Prints JSON only.
import type { Database } from '../src/db/connection.ts';
import { validQualificationKeysByMember } from '../src/modules/accreditation/views.ts';
import { importMembers } from '../src/modules/membership/csv.ts';
import { benchTenant, fakeMembersCsv, openStore } from './member-import.ts';

const MEMBERS = 10_000;
const CALLS = 20;
const TARGET_MS = 250;

function p(sorted: number[], q: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))] ?? 0) * 10) / 10;
}
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: ms.length, p50Ms: p(s, 50), p95Ms: p(s, 95), maxMs: p(s, 100) };
}

async function measure(store: 'pglite' | 'postgres', url: string | undefined) {
  const database: Database = await openStore(url);
  try {
    const { tenantId, wardSetId, actor, notify } = await benchTenant(database);
    const report = await importMembers(database.db, actor, fakeMembersCsv(MEMBERS), { dryRun: false, wardSetId, notify });
    if (!report.applied) throw new Error('load failed');
    // Awards straight in SQL (the service's rules are not what is measured): every member an
    // induction, two in three safeguarding (a third of those expired), one in four street champion.
    await database.query(
      `INSERT INTO qualifications (tenant_id, id, member_id, kind_id, issued_on, expires_on, source, code, awarded_by)
       SELECT m.tenant_id, gen_random_uuid(), m.id, k.id, d.issued, d.issued + (k.validity_months || ' months')::interval - interval '1 day', 'manual',
              upper(substr(md5(random()::text || m.id::text || k.key), 1, 10)), 'system:bench'
       FROM members m
       JOIN qualification_kinds k ON k.tenant_id = m.tenant_id
       CROSS JOIN LATERAL (SELECT (date '2026-06-01' - ((m.member_number * 37) % 1400))::date AS issued) d
       WHERE m.tenant_id = $1 AND (k.key = 'induction' OR (k.key = 'safeguarding' AND m.member_number % 3 <> 0) OR (k.key = 'street-champion' AND m.member_number % 4 = 0))`,
      [tenantId],
    );
    await database.query('UPDATE qualifications SET expires_on = NULL WHERE tenant_id = $1 AND kind_id IN (SELECT id FROM qualification_kinds WHERE tenant_id = $1 AND validity_months IS NULL)', [tenantId]);
    await database.query('ANALYZE qualifications');
    const [{ n: awards } = { n: 0 }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM qualifications WHERE tenant_id = $1', [tenantId]);
    const ids = (await database.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1 ORDER BY member_number LIMIT 500', [tenantId])).map((r) => r.id);
    const all: number[] = [];
    const some: number[] = [];
    const baseline: number[] = [];
    let holders = 0;
    for (let i = 0; i < CALLS; i++) {
      let t0 = performance.now();
      holders = (await validQualificationKeysByMember(database.db, tenantId, '2026-06-01')).size;
      all.push(performance.now() - t0);
      t0 = performance.now();
      await validQualificationKeysByMember(database.db, tenantId, '2026-06-01', ids);
      some.push(performance.now() - t0);
      t0 = performance.now();
      await database.query('SELECT 1');
      baseline.push(performance.now() - t0);
    }
    const everyone = stats(all);
    return { store, members: MEMBERS, awards, holders, everyMember: everyone, fiveHundredMembers: stats(some), baselineSelect1: stats(baseline), targetMs: TARGET_MS, met: everyone.p95Ms < TARGET_MS };
  } finally {
    await database.close();
  }
}

const results = [await measure('pglite', undefined)];
if (process.env.BENCH_DATABASE_URL) results.push(await measure('postgres', process.env.BENCH_DATABASE_URL));
console.log(JSON.stringify({ bench: 'qualifications-by-member', results }, null, 2));
