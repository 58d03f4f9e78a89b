import { eq } from 'drizzle-orm';
import type { Database, Db } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { intelCategories, intelReports } from './schema.ts';

/**
 * Test data for the needs picture, written straight into the module's own tables (the filing
 * service is built in parallel; these tests need only rows to count).
 */

/** Categories by key (made if missing, kept if the tenant already has them): key → id. */
export async function needsTestCategories(db: Db, tenantId: string, keys: readonly string[]): Promise<Record<string, string>> {
  await db
    .insert(intelCategories)
    .values(keys.map((key, i) => ({ tenantId, id: newId(), key, title: `Cat ${key}`, titlePl: `Kat ${key}`, sortOrder: 1000 + i })))
    .onConflictDoNothing();
  const rows = await db.select({ id: intelCategories.id, key: intelCategories.key }).from(intelCategories).where(eq(intelCategories.tenantId, tenantId));
  const out: Record<string, string> = {};
  for (const r of rows) if (keys.includes(r.key)) out[r.key] = r.id;
  return out;
}

/** Ward code → id of the tenant's wards. */
export async function needsTestWards(database: Database, tenantId: string): Promise<Record<string, string>> {
  const rows = await database.query<{ id: string; code: string }>('SELECT id, code FROM wards WHERE tenant_id = $1', [tenantId]);
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

export interface TestReport {
  ward: string;
  category: string;
  observedOn: string;
  families?: number;
  mergedInto?: string;
  isDemo?: boolean;
}

/** Inserts reports (ward by id, category by id) and answers their ids. `n` copies of each. */
export async function insertTestReports(db: Db, tenantId: string, reports: ReadonlyArray<TestReport & { n?: number }>): Promise<string[]> {
  const values = reports.flatMap((r) =>
    Array.from({ length: r.n ?? 1 }, () => {
      const id = newId();
      return {
        tenantId,
        id,
        clientId: `test-${id}`,
        contentHash: 'test',
        categoryId: r.category,
        wardId: r.ward,
        observedOn: r.observedOn,
        observedText: 'test',
        familiesEstimate: r.families ?? 0,
        source: 'seen' as const,
        mergedInto: r.mergedInto ?? null,
        isDemo: r.isDemo ?? false,
      };
    }),
  );
  const ids: string[] = [];
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    await db.insert(intelReports).values(chunk);
    ids.push(...chunk.map((v) => v.id));
  }
  return ids;
}
