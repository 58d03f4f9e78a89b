// Coordinator member search over 100,000 generated members (loaded with the CSV import) in a fresh
// tenant: 200 searchMembers calls with varied queries, filters and sorts, on the embedded store and
// on PostgreSQL (BENCH_DATABASE_URL). Baseline in the same run: SELECT 1 round trips. Prints JSON only.
import { importMembers } from '../src/modules/membership/csv.ts';
import { searchMembers, type MemberSearch } from '../src/modules/membership/queries.ts';
import type { Database } from '../src/db/connection.ts';
import { benchTenant, fakeMembersCsv, openStore } from './member-import.ts';

const CALLS = 200;
const FRAGMENTS = ['anna', 'smith', 'kowal', 'wojcik 12', 'jakub nowak', 'grace', 'evans 99', 'zzz-nobody'];

type Kind = 'name' | 'email' | 'number' | 'phone' | 'ward' | 'status' | 'role' | 'combined' | 'browse';
const KINDS: Kind[] = ['name', 'email', 'number', 'phone', 'ward', 'status', 'role', 'combined', 'browse'];

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}

function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: ms.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: percentile(sorted, 100) };
}

function searchFor(i: number, n: number, wardIds: string[]): { kind: Kind; search: MemberSearch } {
  const kind = KINDS[i % KINDS.length]!;
  const base: MemberSearch = { sort: 'name', limit: 25, offset: 0 };
  const ward = wardIds[i % wardIds.length];
  const fragment = FRAGMENTS[i % FRAGMENTS.length];
  switch (kind) {
    case 'name':
      return { kind, search: { ...base, q: fragment, sort: i % 2 ? 'name' : 'number' } };
    case 'email':
      return { kind, search: { ...base, q: `member${(i * 7919) % n}@`, sort: 'number' } };
    case 'number':
      return { kind, search: { ...base, q: String(((i * 104729) % n) + 1) } };
    case 'phone': // typed the way people write them: national with spaces, or E.164
      return { kind, search: { ...base, q: i % 2 ? `07700 900${String((i * 3) % 1000).padStart(3, '0')}` : `+447700900${String((i * 3) % 1000).padStart(3, '0')}`, sort: 'name' } };
    case 'ward':
      return { kind, search: { ...base, wardId: ward, sort: i % 3 === 0 ? 'newest' : 'name', offset: (i % 5) * 25 } };
    case 'status':
      return { kind, search: { ...base, status: i % 2 ? 'lapsed' : 'active', sort: i % 3 === 0 ? 'newest' : 'number' } };
    case 'role':
      return { kind, search: { ...base, role: 'volunteer', sort: 'name' } };
    case 'combined':
      return { kind, search: { ...base, q: fragment, wardId: ward, status: 'active', sort: 'name' } };
    case 'browse':
      return { kind, search: { ...base, sort: i % 2 ? 'name' : 'newest', offset: (i % 10) * 25 } };
  }
}

async function measure(store: 'pglite' | 'postgres', url: string | undefined, n: number) {
  const database: Database = await openStore(url);
  try {
    const { tenantId, wardSetId, actor, notify } = await benchTenant(database);
    const t0 = performance.now();
    const report = await importMembers(database.db, actor, fakeMembersCsv(n), { dryRun: false, wardSetId, notify });
    const loadSeconds = Math.round(performance.now() - t0) / 1000;
    if (!report.applied) throw new Error(`load failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
    // Some other roles, so the role filter has something to find (1 in 50).
    await database.query(
      "INSERT INTO member_roles (tenant_id, member_id, role, granted_by) SELECT tenant_id, id, 'volunteer', 'system:bench' FROM members WHERE tenant_id = $1 AND member_number % 50 = 0",
      [tenantId],
    );
    // Fresh statistics, as autovacuum would have after a bulk load.
    await database.query('ANALYZE members');
    await database.query('ANALYZE member_roles');
    const wardIds = (await database.query<{ id: string }>('SELECT id FROM wards WHERE tenant_id = $1 AND ward_set_id = $2 ORDER BY code', [tenantId, wardSetId])).map((w) => w.id);

    for (let i = 0; i < 16; i += 1) await searchMembers(database.db, tenantId, searchFor(i, n, wardIds).search); // warm up

    const baseline: number[] = [];
    for (let i = 0; i < CALLS; i += 1) {
      const s = performance.now();
      await database.query('SELECT 1');
      baseline.push(performance.now() - s);
    }
    const all: number[] = [];
    const byKind = new Map<Kind, number[]>();
    let found = 0;
    for (let i = 0; i < CALLS; i += 1) {
      const { kind, search } = searchFor(i, n, wardIds);
      const s = performance.now();
      const r = await searchMembers(database.db, tenantId, search);
      const ms = performance.now() - s;
      found += r.rows.length ? 1 : 0;
      all.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    }
    if (store === 'postgres') await database.query('DELETE FROM tenants WHERE id = $1', [tenantId]); // the audit rows stay (append-only)
    return {
      store,
      members: n,
      loadSeconds,
      search: stats(all),
      callsWithResults: found,
      byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, stats(v)])),
      baselineSelect1: stats(baseline),
    };
  } finally {
    await database.close();
  }
}

const n = Number(process.env.MEMBERS ?? 100_000);
const results = [await measure('pglite', undefined, n)];
const url = process.env.BENCH_DATABASE_URL;
if (url) results.push(await measure('postgres', url, n));
console.log(
  JSON.stringify(
    {
      benchmark: 'member-search',
      calls: CALLS,
      results,
      target: { p95Ms: 100 },
      meetsTarget: results.every((r) => r.search.p95Ms <= 100),
      note: url ? undefined : 'set BENCH_DATABASE_URL to measure PostgreSQL',
    },
    null,
    2,
  ),
);
