import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/connection.ts';
import { runMigrations } from '../../db/migrate.ts';
import { parseCsvRecords } from '../../lib/csv.ts';
import { auditLog } from '../audit/schema.ts';
import { verifyAudit } from '../audit/service.ts';
import { members } from '../membership/schema.ts';
import { randomToken } from '../../lib/hash.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildMember } from '../../test/members.ts';
import { findTenantBySlug, getArea, listWardSets, listWardSummaries } from './queries.ts';
import { CORBY_2015, CORBY_SEED_VERSION, NN_2025, seedCorby, upgradeCorby } from './seed.ts';
import { createTenant, loadWardSet, setCurrentWardSet } from './service.ts';
import { wards } from './schema.ts';

// The Corby slug is unique per store, so each test opens its own embedded store.
async function freshStore(): Promise<Database> {
  const database = await openDatabase({ dataDir: 'memory://' });
  await runMigrations(database);
  return database;
}

const seedFile = (f: string) => readFileSync(path.join(import.meta.dirname, 'seed/corby', f), 'utf8');
const profile = parseCsvRecords(seedFile('derived_corby_lsoa2011_profile.csv')).records;
const lsoaTotal = (col: string) => profile.reduce((s, r) => s + Number(r[col]), 0);

/** What the seed of release 0.1 did: 2015–2021 wards current, 2025 wards without facts. */
async function seedTheOldWay(db: Database['db'], slug: string) {
  const tenant = await createTenant(db, { slug, name: 'One Corby Parent Coalition', areaName: 'Corby', hosts: [] }, 'system:seed');
  await loadWardSet(db, { tenantId: tenant.id, ...CORBY_2015, makeCurrent: true }, 'system:seed');
  await loadWardSet(db, { tenantId: tenant.id, ...NN_2025, factsCsv: undefined, makeCurrent: false }, 'system:seed');
  return tenant;
}

describe(`the Corby seed (${storeName()})`, () => {
  it('makes the 2025 wards current, with facts whose totals equal the LSOA totals, and keeps the 2015 set', async () => {
    const database = await freshStore();
    const { db } = database;
    const seeded = await seedCorby(db);
    expect(seeded.created).toBe(true);
    const sets = await listWardSets(db, seeded.tenantId);
    expect(sets.map((s) => s.key)).toEqual(['corby-2015', 'nn-2025']);
    const area = await getArea(db, seeded.tenantId);
    const current = sets.find((s) => s.id === area?.currentWardSetId);
    expect(current?.key).toBe('nn-2025');
    const list = await listWardSummaries(db, seeded.tenantId, current?.id ?? '');
    expect(list).toHaveLength(7);
    const sum = (f: (w: (typeof list)[number]) => number | null) => list.reduce((s, w) => s + (f(w) ?? 0), 0);
    expect(lsoaTotal('pop_mid2020_total')).toBe(73053); // SOURCES.md: Corby, ONS mid-2020
    expect(lsoaTotal('pop_mid2020_age0to4')).toBe(5014);
    expect(sum((w) => w.population)).toBe(lsoaTotal('pop_mid2020_total'));
    expect(sum((w) => w.childrenUnder5)).toBe(lsoaTotal('pop_mid2020_age0to4'));
    expect(sum((w) => Number(w.facts.n_lsoa2011))).toBe(profile.length);
    expect(list.every((w) => w.population !== null && typeof w.facts.min_IMD2019_decile === 'number')).toBe(true);
    const kingswood = list.find((w) => w.code === 'E05016220');
    expect(kingswood?.facts).toMatchObject({ min_IMD2019_decile: 1, n_lsoa_IMD2019_decile1: 3 });
    expect(list.find((w) => w.code === 'E05016208')?.facts.pct_area_in_former_corby_borough).toBeLessThan(50); // Desborough reaches far outside
    expect((await findTenantBySlug(db, 'corby'))?.seedVersion).toBe(CORBY_SEED_VERSION);
    // Starting again changes nothing.
    expect(await seedCorby(db)).toMatchObject({ created: false, upgraded: false });
    await database.close();
  });

  it('upgrades a store seeded the old way: 2025 wards current with facts, members moved, audited, once', async () => {
    // On the shared test store (PGlite or PostgreSQL), under its own slug so tests stay apart.
    const { db } = await testDatabase();
    const slug = `corby-old-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
    const tenant = await seedTheOldWay(db, slug);
    const a = await buildMember(db, tenant.id, { wardCode: 'E05010267' }); // Kingswood & Hazel Leys
    const b = await buildMember(db, tenant.id, { wardCode: 'E05010274' }); // Stanion & Corby Village
    const none = await buildMember(db, tenant.id, {});
    const sets = await listWardSets(db, tenant.id);
    const nn = sets.find((s) => s.key === 'nn-2025');
    const idsBefore = (await listWardSummaries(db, tenant.id, nn?.id ?? '')).map((w) => w.id).sort();

    expect(await upgradeCorby(db, { slug, today: '2026-12-01' })).toBe(true);

    const area = await getArea(db, tenant.id);
    expect(area?.currentWardSetId).toBe(nn?.id);
    const after = await listWardSummaries(db, tenant.id, nn?.id ?? '');
    expect(after.map((w) => w.id).sort()).toEqual(idsBefore); // ward ids kept: nothing points nowhere
    expect(after.reduce((s, w) => s + (w.population ?? 0), 0)).toBe(lsoaTotal('pop_mid2020_total'));
    const codeOf = new Map(after.map((w) => [w.id, w.code]));
    const wardOf = async (id: string) => {
      const [row] = await db.select({ wardId: members.wardId }).from(members).where(and(eq(members.tenantId, tenant.id), eq(members.id, id)));
      return row?.wardId ? (codeOf.get(row.wardId) ?? 'not in the 2025 set') : null;
    };
    expect(await wardOf(a.member.id)).toBe('E05016220'); // Kingswood
    expect(await wardOf(b.member.id)).toBe('E05016211'); // Geddington & Stanion
    expect(await wardOf(none.member.id)).toBeNull();
    expect((await findTenantBySlug(db, slug))?.seedVersion).toBe(CORBY_SEED_VERSION);
    const upgradeRows = await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'tenant.seed_upgrade')));
    expect(upgradeRows.map((r) => r.data)).toEqual([{ from: 0, to: CORBY_SEED_VERSION, members: 2, representatives: 0 }]);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'member.ward_remap')))).toHaveLength(2);
    expect((await verifyAudit(db, tenant.id)).problems).toEqual([]);

    // Idempotent: the next start does nothing, even if the mutual chose another current set since.
    await setCurrentWardSet(db, tenant.id, 'corby-2015', 'system:test');
    const rowsBefore = (await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).length;
    expect(await upgradeCorby(db, { slug, today: '2026-12-02' })).toBe(false);
    expect((await getArea(db, tenant.id))?.currentWardSetId).toBe(sets.find((s) => s.key === 'corby-2015')?.id);
    expect((await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).length).toBe(rowsBefore);
    expect(await db.select().from(wards).where(eq(wards.tenantId, tenant.id))).toHaveLength(19);
  });
});
