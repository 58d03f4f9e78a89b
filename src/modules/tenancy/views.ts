import type { Executor } from '../../db/connection.ts';
import { AppError } from '../../server/errors.ts';
import { getArea, getWardByCode, getWardSetById, getWardSetByKey, listWardSets, listWards } from './queries.ts';
import type { Tenant, Ward, WardSet } from './schema.ts';

/** Read models shared by the API and the pages. */
export interface AreaOverview {
  areaName: string;
  currentSet: WardSet | undefined;
  sets: Array<WardSet & { current: boolean }>;
}

export async function areaOverview(db: Executor, tenant: Tenant): Promise<AreaOverview> {
  const area = await getArea(db, tenant.id);
  const sets = await listWardSets(db, tenant.id);
  const currentId = area?.currentWardSetId;
  return {
    areaName: area?.name ?? tenant.name,
    currentSet: sets.find((s) => s.id === currentId),
    sets: sets.map((s) => ({ ...s, current: s.id === currentId })),
  };
}

/** The ward set asked for by key, or the area's current one when no key is given. */
export async function resolveWardSet(db: Executor, tenant: Tenant, key: string | undefined): Promise<WardSet> {
  if (key) {
    const set = await getWardSetByKey(db, tenant.id, key);
    if (!set) throw new AppError('not_found', `There is no ward set "${key}".`);
    return set;
  }
  const area = await getArea(db, tenant.id);
  const set = area?.currentWardSetId ? await getWardSetById(db, tenant.id, area.currentWardSetId) : undefined;
  if (!set) throw new AppError('not_found', 'No wards have been loaded for this area yet.');
  return set;
}

export async function wardsOf(db: Executor, tenant: Tenant, set: WardSet): Promise<Ward[]> {
  return listWards(db, tenant.id, set.id);
}

export async function findWard(db: Executor, tenant: Tenant, set: WardSet, code: string): Promise<Ward> {
  const ward = await getWardByCode(db, tenant.id, set.id, code);
  if (!ward) throw new AppError('not_found', `There is no ward ${code} in ${set.name}.`);
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
