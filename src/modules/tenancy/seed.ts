import { isoDate } from '../../lib/dates.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { parseCsvRecords } from '../../lib/csv.ts';
import { appendAudit } from '../audit/service.ts';
import { remapMemberWards } from '../membership/ward-remap.ts';
import { findTenantBySlug, getWardSetByKey } from './queries.ts';
import { tenants } from './schema.ts';
import { createTenant, loadWardSet, loadWardSetIn, type WardSetLoad } from './service.ts';
import { forgetAreaCache } from './views.ts';

const SEED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seed', 'corby');
const read = (file: string) => readFileSync(path.join(SEED_DIR, file), 'utf8');

export const CORBY_SLUG = 'corby';
/**
 * 1: the 2015–2021 Corby wards current, the 2025 wards without facts.
 * 2: the 2025 North Northamptonshire wards current, with facts from the LSOA best fit
 *    (scripts/corby-ward-fit.ts); members and representatives moved onto them.
 */
export const CORBY_SEED_VERSION = 2;
const ACTOR = 'system:seed';

type SetFiles = Omit<WardSetLoad, 'tenantId' | 'makeCurrent'>;

export const CORBY_2015: SetFiles = {
  key: 'corby-2015',
  name: 'Corby Borough wards 2015–2021',
  validFrom: '2015-05-07',
  validTo: '2021-03-31',
  source: 'ons-wd20',
  geojson: read('corby_wards_2015_2021.geojson'),
  factsCsv: read('derived_ward2015_2021_summary.csv'),
};

export const NN_2025: SetFiles = {
  key: 'nn-2025',
  name: 'North Northamptonshire wards 2025 covering Corby',
  validFrom: '2025-05-01',
  source: 'ons-wd25',
  geojson: read('nn_wards_2025_covering_corby.geojson'),
  factsCsv: read('derived_ward2025_summary.csv'),
};

/** Each 2015–2021 ward → the 2025 ward holding most of its people (scripts/corby-ward-fit.ts). */
export function corbyWardBestFit(): Map<string, string> {
  const { records } = parseCsvRecords(read('derived_ward2015_to_ward2025_bestfit.csv'));
  return new Map(records.map((r) => [r['WD20CD'] ?? '', r['WD25CD'] ?? '']));
}

const today = () => isoDate();

/**
 * Load the default tenant, One Corby Parent Coalition, with its real ward data, unless it is
 * already there; bring an existing one up to the current seed. Safe to run on every start.
 */
export async function seedCorby(db: Db, opts: { today?: string } = {}): Promise<{ created: boolean; upgraded: boolean; tenantId: string }> {
  const existing = await findTenantBySlug(db, CORBY_SLUG);
  if (existing) return { created: false, upgraded: await upgradeCorby(db, opts), tenantId: existing.id };
  const tenant = await createTenant(db, { slug: CORBY_SLUG, name: 'One Corby Parent Coalition', areaName: 'Corby', isDefault: true, hosts: [] }, ACTOR);
  // The older set stays for history; the set in force today is current.
  await loadWardSet(db, { tenantId: tenant.id, ...CORBY_2015, makeCurrent: false }, ACTOR);
  await loadWardSet(db, { tenantId: tenant.id, ...NN_2025, makeCurrent: true }, ACTOR);
  await db.update(tenants).set({ seedVersion: CORBY_SEED_VERSION }).where(eq(tenants.id, tenant.id));
  return { created: true, upgraded: false, tenantId: tenant.id };
}

/**
 * Upgrade a Corby tenant loaded by an older seed, in one transaction: the 2025 wards get their
 * facts and become current, and members and representatives move to their best-fit new ward
 * (audited). Does nothing once done, so a mutual that later picks another current set keeps it.
 */
export async function upgradeCorby(db: Db, opts: { today?: string; slug?: string } = {}): Promise<boolean> {
  const upgraded = await db.transaction(async (tx) => {
    // Locks the tenant row, so two instances starting together upgrade it once.
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, opts.slug ?? CORBY_SLUG)).for('update');
    if (!tenant || tenant.seedVersion >= CORBY_SEED_VERSION) return undefined;
    const old = await getWardSetByKey(tx, tenant.id, CORBY_2015.key);
    const { wardSetId } = await loadWardSetIn(tx, { tenantId: tenant.id, ...NN_2025, makeCurrent: true }, ACTOR);
    const moved = old
      ? await remapMemberWards(tx, { tenantId: tenant.id, fromWardSetId: old.id, toWardSetId: wardSetId, mapping: corbyWardBestFit(), actor: ACTOR, today: opts.today ?? today() })
      : { members: 0, representatives: 0 };
    await tx.update(tenants).set({ seedVersion: CORBY_SEED_VERSION }).where(eq(tenants.id, tenant.id));
    await appendAudit(tx, { tenantId: tenant.id, actor: ACTOR, action: 'tenant.seed_upgrade', entity: 'tenant', entityId: tenant.id, data: { from: tenant.seedVersion, to: CORBY_SEED_VERSION, ...moved } });
    return tenant.id;
  });
  if (upgraded) forgetAreaCache(upgraded);
  return !!upgraded;
}
