// CSV import of 50,000 clearly fake members into a fresh tenant, then the same file again (must
// create 0 rows), on the embedded store and on PostgreSQL (BENCH_DATABASE_URL). Baselines measured
// in the same run: a dry run (parse + validate + match, no writes) and a plain multi-row INSERT of
// the same rows into a temp table. Prints JSON only.
import { pathToFileURL } from 'node:url';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { toCsv } from '../src/lib/csv.ts';
import { importMembers } from '../src/modules/membership/csv.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import { insertMember } from '../src/modules/membership/service.ts';
import { buildTenant } from '../src/test/factories.ts';

const FIRST = ['Anna', 'Ben', 'Chloe', 'Dawid', 'Ella', 'Finn', 'Grace', 'Harry', 'Isla', 'Jakub', 'Kasia', 'Liam', 'Maja', 'Noah', 'Olivia', 'Piotr'];
const LAST = ['Smith', 'Jones', 'Kowalska', 'Nowak', 'Taylor', 'Brown', 'Wilson', 'Wojcik', 'Evans', 'Thomas', 'Lewandowski', 'Walker'];
export const CORBY_WARDS = Array.from({ length: 12 }, (_, i) => `E050102${64 + i}`);
const RELATIONSHIPS = ['parent', 'parent', 'parent', 'grandparent', 'carer', 'other'];
const STATUSES = ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'lapsed', 'left', 'pending'];

/** A CSV of n fake members numbered from `from` (emails member12345@example.invalid, Ofcom drama phone numbers). */
export function fakeMembersCsv(n: number, from = 1): string {
  const rows: Array<Array<string | number>> = [['name', 'email', 'phone', 'ward_code', 'relationship', 'children_under_5', 'preferred_locale', 'external_ref', 'status']];
  for (let i = from; i < from + n; i += 1) {
    rows.push([
      `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]} ${i}`,
      `member${i}@example.invalid`,
      i % 3 === 0 ? `07700 900${String(i % 1000).padStart(3, '0')}` : '',
      CORBY_WARDS[i % CORBY_WARDS.length]!,
      RELATIONSHIPS[i % RELATIONSHIPS.length]!,
      i % 4 === 0 ? '' : i % 4,
      i % 10 === 0 ? 'pl' : 'en',
      i % 2 === 0 ? `REG-${i}` : '',
      STATUSES[i % STATUSES.length]!,
    ]);
  }
  return toCsv(rows);
}

/** A fresh tenant with the Corby wards and a coordinator to act as. */
export async function benchTenant(database: Database) {
  const { tenant } = await buildTenant(database.db);
  const [set] = await database.query<{ id: string }>("SELECT id FROM ward_sets WHERE tenant_id = $1 AND key = 'corby-2015'", [tenant.id]);
  if (!set) throw new Error('ward set missing');
  const coordinator = await database.db.transaction((tx) =>
    insertMember(
      tx,
      tenant.id,
      { name: 'Bench Coordinator', email: 'coordinator@example.invalid', relationship: 'other', preferredLocale: 'en', consentVersion: 'bench', status: 'active' },
      'system:bench',
    ),
  );
  const actor: Actor = { tenantId: tenant.id, memberId: coordinator.id, roles: new Set(['coordinator']), sessionId: 'bench' };
  return { tenantId: tenant.id, wardSetId: set.id, actor, notify: { tenant, baseUrl: 'https://bench.invalid' } };
}

export async function openStore(url: string | undefined): Promise<Database> {
  const database = await openDatabase(url ? { url, poolSize: 4 } : { dataDir: 'memory://' });
  await runMigrations(database);
  return database;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; s: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, s: seconds(performance.now() - t0) };
}

/** Baseline: the same rows, 1,000 per INSERT, into a temp table with no indexes or checks. */
async function plainInsertSeconds(database: Database, csv: string): Promise<number> {
  const lines = csv.trim().split('\r\n').slice(1).map((l) => l.split(','));
  const t0 = performance.now();
  await database.rawTransaction(async (query) => {
    await query('CREATE TEMP TABLE bench_plain (name text, email text, phone text, ward_code text, relationship text, children text, locale text, external_ref text, status text) ON COMMIT DROP');
    for (let i = 0; i < lines.length; i += 1000) {
      const batch = lines.slice(i, i + 1000);
      const params: string[] = [];
      const tuples = batch.map((cells) => `(${cells.map((c) => `$${params.push(c)}`).join(',')})`);
      await query(`INSERT INTO bench_plain VALUES ${tuples.join(',')}`, params);
    }
  });
  return seconds(performance.now() - t0);
}

async function measure(store: 'pglite' | 'postgres', url: string | undefined, n: number) {
  const database = await openStore(url);
  try {
    const { tenantId, wardSetId, actor, notify } = await benchTenant(database);
    const csv = fakeMembersCsv(n);
    const count = async () => (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE tenant_id = $1', [tenantId]))[0]!.n;

    const dry = await timed(() => importMembers(database.db, actor, csv, { dryRun: true, wardSetId, notify }));
    const plain = await plainInsertSeconds(database, csv);
    const first = await timed(() => importMembers(database.db, actor, csv, { dryRun: false, wardSetId, notify }));
    const afterFirst = await count();
    const again = await timed(() => importMembers(database.db, actor, csv, { dryRun: false, wardSetId, notify }));
    const afterAgain = await count();
    // 10% of rows changed (new ward): the update path.
    const changed = csv.replace(/E05010264,/g, 'E05010275,');
    const update = await timed(() => importMembers(database.db, actor, changed, { dryRun: false, wardSetId, notify }));

    if (store === 'postgres') await database.query('DELETE FROM tenants WHERE id = $1', [tenantId]); // the audit rows stay (append-only)
    return {
      store,
      rows: n,
      importSeconds: first.s,
      reimportSeconds: again.s,
      reimportRowsCreated: afterAgain - afterFirst,
      firstImport: { toCreate: first.value.toCreate, errors: first.value.errors.length, applied: first.value.applied },
      reimport: { toCreate: again.value.toCreate, toUpdate: again.value.toUpdate, unchanged: again.value.unchanged },
      updateImport: { seconds: update.s, toUpdate: update.value.toUpdate, applied: update.value.applied },
      baseline: { dryRunSeconds: dry.s, plainInsertTempTableSeconds: plain },
      importOverPlainInsert: Math.round((first.s / plain) * 10) / 10,
    };
  } finally {
    await database.close();
  }
}

async function main() {
  const n = Number(process.env.ROWS ?? 50_000);
  const results = [await measure('pglite', undefined, n)];
  const url = process.env.BENCH_DATABASE_URL;
  if (url) results.push(await measure('postgres', url, n));
  console.log(
    JSON.stringify(
      {
        benchmark: 'member-import',
        results,
        target: { importSeconds: 30, reimportRowsCreated: 0 },
        meetsTarget: results.every((r) => r.importSeconds <= 30 && r.reimportRowsCreated === 0),
        note: url ? undefined : 'set BENCH_DATABASE_URL to measure PostgreSQL',
      },
      null,
      2,
    ),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
