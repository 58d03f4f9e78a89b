import { and, asc, eq, getTableColumns } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { areas, tenantHosts, tenants, wardSets, wards, type Tenant } from './schema.ts';

export async function findTenantByHost(db: Executor, host: string): Promise<Tenant | undefined> {
  const rows = await db
    .select({ tenant: tenants })
    .from(tenantHosts)
    .innerJoin(tenants, eq(tenants.id, tenantHosts.tenantId))
    .where(eq(tenantHosts.host, host))
    .limit(1);
  return rows[0]?.tenant;
}

export async function findDefaultTenant(db: Executor): Promise<Tenant | undefined> {
  const rows = await db.select().from(tenants).where(eq(tenants.isDefault, true)).limit(1);
  return rows[0];
}

export async function findTenantBySlug(db: Executor, slug: string): Promise<Tenant | undefined> {
  const rows = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  return rows[0];
}

export async function findTenantById(db: Executor, id: string): Promise<Tenant | undefined> {
  const rows = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return rows[0];
}

export async function listTenants(db: Executor) {
  const all = await db.select().from(tenants).orderBy(asc(tenants.createdAt));
  const hosts = await db.select().from(tenantHosts);
  return all.map((t) => ({ ...t, hosts: hosts.filter((h) => h.tenantId === t.id).map((h) => h.host).sort() }));
}

export async function getArea(db: Executor, tenantId: string) {
  const rows = await db.select().from(areas).where(eq(areas.tenantId, tenantId)).orderBy(asc(areas.createdAt)).limit(1);
  return rows[0];
}

export async function listWardSets(db: Executor, tenantId: string) {
  return db.select().from(wardSets).where(eq(wardSets.tenantId, tenantId)).orderBy(asc(wardSets.validFrom), asc(wardSets.key));
}

export async function getWardSetByKey(db: Executor, tenantId: string, key: string) {
  const rows = await db
    .select()
    .from(wardSets)
    .where(and(eq(wardSets.tenantId, tenantId), eq(wardSets.key, key)))
    .limit(1);
  return rows[0];
}

export async function getWardSetById(db: Executor, tenantId: string, id: string) {
  const rows = await db
    .select()
    .from(wardSets)
    .where(and(eq(wardSets.tenantId, tenantId), eq(wardSets.id, id)))
    .limit(1);
  return rows[0];
}

/** Wards of a set without their boundaries (pages and lists rarely need the geometry). */
export async function listWardSummaries(db: Executor, tenantId: string, wardSetId: string) {
  const { geometry: _geometry, ...columns } = getTableColumns(wards);
  return db
    .select(columns)
    .from(wards)
    .where(and(eq(wards.tenantId, tenantId), eq(wards.wardSetId, wardSetId)))
    .orderBy(asc(wards.sortOrder), asc(wards.name));
}

export async function listWards(db: Executor, tenantId: string, wardSetId: string) {
  return db
    .select()
    .from(wards)
    .where(and(eq(wards.tenantId, tenantId), eq(wards.wardSetId, wardSetId)))
    .orderBy(asc(wards.sortOrder), asc(wards.name));
}

export async function getWardByCode(db: Executor, tenantId: string, wardSetId: string, code: string) {
  const rows = await db
    .select()
    .from(wards)
    .where(and(eq(wards.tenantId, tenantId), eq(wards.wardSetId, wardSetId), eq(wards.code, code)))
    .limit(1);
  return rows[0];
}
