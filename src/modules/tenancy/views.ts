import type { Executor } from '../../db/connection.ts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { AppError } from '../../server/errors.ts';
import { getArea, getWardByCode, listWardSets, listWards, listWardSummaries } from './queries.ts';
import { tenantHosts, wards, wardSets, type Tenant, type Ward, type WardSet } from './schema.ts';

/** Read models shared by the API and the pages. */
export interface AreaOverview {
  areaName: string;
  currentSet: WardSet | undefined;
  sets: Array<WardSet & { current: boolean }>;
}

// Ward sets change once in years; pages read them on every request.
const areaCache = new TtlCache<AreaOverview>(60_000);
const wardCache = new TtlCache<WardSummary[]>(60_000);

/** Forget cached ward data of a tenant (called after ward sets change in this process). */
export function forgetAreaCache(tenantId: string): void {
  areaCache.delete(tenantId);
  wardCache.delete(tenantId);
}

export function areaOverview(db: Executor, tenant: Tenant): Promise<AreaOverview> {
  return areaCache.get(tenant.id, () => loadAreaOverview(db, tenant));
}

async function loadAreaOverview(db: Executor, tenant: Tenant): Promise<AreaOverview> {
  const [area, sets] = await Promise.all([getArea(db, tenant.id), listWardSets(db, tenant.id)]);
  const currentId = area?.currentWardSetId;
  return {
    areaName: area?.name ?? tenant.name,
    currentSet: sets.find((s) => s.id === currentId),
    sets: sets.map((s) => ({ ...s, current: s.id === currentId })),
  };
}

/** The ward set asked for by key, or the area's current one when no key is given. */
export function pickWardSet(overview: AreaOverview, key: string | undefined): WardSet & { current: boolean } {
  const set = key ? overview.sets.find((s) => s.key === key) : overview.sets.find((s) => s.current);
  if (!set) throw new AppError('not_found', key ? `There is no ward set "${key}".` : 'No wards have been loaded for this area yet.', [], key ? 'error.wardSet.missing' : 'wards.noneLoaded', { key: key ?? '' });
  return set;
}

export type WardSummary = Omit<Ward, 'geometry'>;

export function wardsOf(db: Executor, tenant: Tenant, set: WardSet): Promise<WardSummary[]> {
  return wardCache.get(`${tenant.id}:${set.id}`, () => listWardSummaries(db, tenant.id, set.id));
}

export async function wardsWithBoundaries(db: Executor, tenant: Tenant, set: WardSet): Promise<Ward[]> {
  return listWards(db, tenant.id, set.id);
}

export async function findWard(db: Executor, tenant: Tenant, set: WardSet, code: string): Promise<Ward> {
  const ward = await getWardByCode(db, tenant.id, set.id, code);
  if (!ward) throw new AppError('not_found', `There is no ward ${code} in ${set.name}.`, [], 'error.ward.missing', { code, set: set.name });
  return ward;
}

export function wardUrl(set: WardSet, ward: Pick<Ward, 'code'>, current: boolean): string {
  return `/wards/${encodeURIComponent(ward.code)}${current ? '' : `?set=${encodeURIComponent(set.key)}`}`;
}

export function wardsGeoJson(set: WardSet, list: Ward[], current: boolean) {
  return {
    type: 'FeatureCollection' as const,
    features: list
      .filter((w) => w.geometry)
      .map((w) => ({
        type: 'Feature' as const,
        properties: { code: w.code, name: w.name, url: wardUrl(set, w, current) },
        geometry: w.geometry,
      })),
  };
}

const baseUrlCache = new TtlCache<string>(60_000);

/**
 * The address used in links we email: the tenant's own host (https), or PUBLIC_URL for the default
 * tenant. Never the request's Host header, which a stranger can set (link poisoning).
 */
export function tenantBaseUrl(db: Executor, tenant: Tenant, publicUrl: string): Promise<string> {
  return baseUrlCache.get(tenant.id, async () => {
    const [first] = await db.select({ host: tenantHosts.host }).from(tenantHosts).where(eq(tenantHosts.tenantId, tenant.id)).orderBy(asc(tenantHosts.host)).limit(1);
    return first ? `https://${first.host}` : publicUrl.replace(/\/$/, '');
  });
}

/** A ward of a set by code, by tenant id (for other modules, which may not read tenancy's queries). */
export function wardByCode(db: Executor, tenantId: string, wardSetId: string, code: string): ReturnType<typeof getWardByCode> {
  return getWardByCode(db, tenantId, wardSetId, code);
}

/** The wards of a set without boundaries, by tenant id (for other modules; see wardByCode). */
export function wardSummariesOf(db: Executor, tenantId: string, wardSetId: string): ReturnType<typeof listWardSummaries> {
  return listWardSummaries(db, tenantId, wardSetId);
}

/** Wards by id, from whichever set they belong to (an old set stays for history): download-my-data. */
export async function wardNamesByIds(db: Executor, tenantId: string, ids: readonly string[]): Promise<Array<{ id: string; code: string; name: string }>> {
  if (!ids.length) return [];
  return db.select({ id: wards.id, code: wards.code, name: wards.name }).from(wards).where(and(eq(wards.tenantId, tenantId), inArray(wards.id, [...ids])));
}

/**
 * Ward labels (tenant, id, code, name, set) as a subquery another module can join in its own SQL
 * (the member list shows each member's ward name): the read model, not tenancy's table.
 */
export function wardLabels(db: Executor) {
  return db.select({ tenantId: wards.tenantId, id: wards.id, code: wards.code, name: wards.name, wardSetId: wards.wardSetId }).from(wards).as('ward_labels');
}

/** A ward set's name with every ward of the tenant (id, code, name, set), or undefined: CSV import. */
export async function wardSetWithAllWards(db: Executor, tenantId: string, wardSetId: string): Promise<{ name: string; wards: Array<{ id: string; code: string; name: string; wardSetId: string }> } | undefined> {
  const [set] = await db.select({ name: wardSets.name }).from(wardSets).where(and(eq(wardSets.tenantId, tenantId), eq(wardSets.id, wardSetId))).limit(1);
  if (!set) return undefined;
  const all = await db.select({ id: wards.id, code: wards.code, name: wards.name, wardSetId: wards.wardSetId }).from(wards).where(eq(wards.tenantId, tenantId));
  return { name: set.name, wards: all };
}
