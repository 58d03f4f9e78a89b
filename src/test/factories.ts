import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/connection.ts';
import { randomToken } from '../lib/hash.ts';
import { createTenant, loadWardSet } from '../modules/tenancy/service.ts';

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../modules/tenancy/seed/corby');

/** A fresh tenant on its own host name, with the real Corby 2015 wards loaded. */
export async function buildTenant(db: Db, opts: { wards?: boolean; name?: string } = {}) {
  const slug = `t-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const host = `${slug}.test.local`;
  const tenant = await createTenant(db, { slug, name: opts.name ?? `Test mutual ${slug}`, areaName: 'Test area', hosts: [host] }, 'system:test');
  if (opts.wards !== false) {
    await loadWardSet(
      db,
      {
        tenantId: tenant.id,
        key: 'corby-2015',
        name: 'Corby wards 2015',
        source: 'ons-wd20',
        geojson: readFileSync(path.join(SEED, 'corby_wards_2015_2021.geojson'), 'utf8'),
        factsCsv: readFileSync(path.join(SEED, 'derived_ward2015_2021_summary.csv'), 'utf8'),
        makeCurrent: true,
      },
      'system:test',
    );
  }
  return { tenant, host };
}
