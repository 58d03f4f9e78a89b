import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/connection.ts';
import { findTenantBySlug } from './queries.ts';
import { createTenant, loadWardSet } from './service.ts';

const SEED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seed', 'corby');
const read = (file: string) => readFileSync(path.join(SEED_DIR, file), 'utf8');

export const CORBY_SLUG = 'corby';

/**
 * Load the default tenant, One Corby Parent Coalition, with its real ward data, unless it is
 * already there. Safe to run on every start.
 */
export async function seedCorby(db: Db): Promise<{ created: boolean; tenantId: string }> {
  const existing = await findTenantBySlug(db, CORBY_SLUG);
  if (existing) return { created: false, tenantId: existing.id };
  const actor = 'system:seed';
  const tenant = await createTenant(
    db,
    { slug: CORBY_SLUG, name: 'One Corby Parent Coalition', areaName: 'Corby', isDefault: true, hosts: [] },
    actor,
  );
  await loadWardSet(
    db,
    {
      tenantId: tenant.id,
      key: 'corby-2015',
      name: 'Corby Borough wards 2015–2021',
      validFrom: '2015-05-07',
      validTo: '2021-03-31',
      source: 'ons-wd20',
      geojson: read('corby_wards_2015_2021.geojson'),
      factsCsv: read('derived_ward2015_2021_summary.csv'),
      makeCurrent: true,
    },
    actor,
  );
  await loadWardSet(
    db,
    {
      tenantId: tenant.id,
      key: 'nn-2025',
      name: 'North Northamptonshire wards 2025 covering Corby',
      validFrom: '2025-05-01',
      source: 'ons-wd25',
      geojson: read('nn_wards_2025_covering_corby.geojson'),
      makeCurrent: false,
    },
    actor,
  );
  return { created: true, tenantId: tenant.id };
}
