import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';

/**
 * For tests, fixtures and the e2e journey: a provider, a category and a service inserted directly
 * into the audit's tables (res-core's services are not ours to call here). Raw SQL, so this module
 * reads no other module's schema.
 */
export async function insertTestService(db: Db, tenantId: string, opts: { name?: string; providerName?: string; ref?: string } = {}): Promise<{ serviceId: string; providerId: string; categoryId: string }> {
  const providerId = newId();
  const categoryId = newId();
  const serviceId = newId();
  const ref = opts.ref ?? `svc-${serviceId.slice(-8)}`;
  await db.execute(sql`insert into res_categories (tenant_id, id, key, title) values (${tenantId}, ${categoryId}, ${`cat-${categoryId.slice(-8)}`}, 'Parenting support')`);
  await db.execute(sql`insert into res_providers (tenant_id, id, ref, name, kind) values (${tenantId}, ${providerId}, ${`prov-${providerId.slice(-8)}`}, ${opts.providerName ?? 'Test children’s centre'}, 'childrens_centre')`);
  await db.execute(
    sql`insert into res_services (tenant_id, id, provider_id, ref, name, category_id, tier) values (${tenantId}, ${serviceId}, ${providerId}, ${ref}, ${opts.name ?? 'Stay and play'}, ${categoryId}, 'universal')`,
  );
  return { serviceId, providerId, categoryId };
}
