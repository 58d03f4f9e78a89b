import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { resCategories, resProviders, resServices, resSettings } from './schema.ts';

/** Rows of a raw `execute` on either driver (PGlite answers `{ rows }`, node-postgres too). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export interface WardRef {
  id: string;
  code: string;
  name: string;
}

/**
 * The wards of the tenant's current ward set (what forms, imports and the demo name). Through
 * tenancy's views; `areaOverview` reads only the tenant's id (its name is a fallback label).
 */
export async function tenantWards(db: Executor, tenantId: string): Promise<WardRef[]> {
  const tenant = { id: tenantId, name: '' } as Tenant;
  const overview = await areaOverview(db, tenant);
  if (!overview.currentSet) return [];
  const set = pickWardSet(overview, undefined);
  return (await wardsOf(db, tenant, set)).map((w) => ({ id: w.id, code: w.code, name: w.name }));
}

export async function listCategories(db: Executor, tenantId: string, opts: { activeOnly?: boolean } = {}) {
  const rows = await db.select().from(resCategories).where(eq(resCategories.tenantId, tenantId)).orderBy(asc(resCategories.sortOrder), asc(resCategories.title));
  return opts.activeOnly ? rows.filter((r) => r.active) : rows;
}

export async function listProviders(db: Executor, tenantId: string) {
  return db.select().from(resProviders).where(eq(resProviders.tenantId, tenantId)).orderBy(asc(resProviders.name));
}

export async function getProvider(db: Executor, tenantId: string, id: string) {
  const [row] = await db.select().from(resProviders).where(and(eq(resProviders.tenantId, tenantId), eq(resProviders.id, id))).limit(1);
  return row;
}

export async function getService(db: Executor, tenantId: string, id: string) {
  const [row] = await db.select().from(resServices).where(and(eq(resServices.tenantId, tenantId), eq(resServices.id, id))).limit(1);
  return row;
}

export async function getSettings(db: Executor, tenantId: string) {
  const [row] = await db.select().from(resSettings).where(eq(resSettings.tenantId, tenantId)).limit(1);
  return row;
}
