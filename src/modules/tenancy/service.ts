import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { AppError } from '../../server/errors.ts';
import { validationError } from '../../server/validation.ts';
import { LOCALES } from '../../ui/i18n/locales.ts';
import { appendAudit } from '../audit/service.ts';
import { readWardFiles, WardDataError, type WardFileOptions } from './geodata.ts';
import { findTenantBySlug, getArea, getWardSetByKey } from './queries.ts';
import { forgetAreaCache } from './views.ts';
import { areas, tenantHosts, tenants, wardSets, wards, type Tenant } from './schema.ts';
import { MANIFESTS } from '../index.ts';

export const TenantCreate = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'use 1–40 lower-case letters, digits and dashes'),
  name: z.string().trim().min(2, 'give the mutual a name of at least 2 characters').max(120),
  areaName: z.string().trim().min(2).max(120),
  hosts: z.array(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+$/, 'a host name has no scheme, port or path')).default([]),
  isDefault: z.boolean().default(false),
  defaultLocale: z.enum(LOCALES).default('en'),
});
export type TenantCreate = z.input<typeof TenantCreate>;

/** Normalise a Host header: lower case, without port. */
export function normaliseHost(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.replace(/:\d+$/, '');
}

export async function createTenant(db: Db, input: TenantCreate, actor: string): Promise<Tenant> {
  const parsed = TenantCreate.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const data = parsed.data;
  return db.transaction(async (tx) => {
    if (await findTenantBySlug(tx, data.slug)) {
      throw new AppError('conflict', `a tenant with slug "${data.slug}" already exists`, [{ field: 'slug', message: 'already taken' }]);
    }
    if (data.isDefault) await tx.update(tenants).set({ isDefault: false }).where(eq(tenants.isDefault, true));
    const [tenant] = await tx
      .insert(tenants)
      .values({ id: newId(), slug: data.slug, name: data.name, isDefault: data.isDefault, defaultLocale: data.defaultLocale })
      .returning();
    if (!tenant) throw new Error('tenant insert returned nothing');
    for (const host of data.hosts) {
      const taken = await tx.select().from(tenantHosts).where(eq(tenantHosts.host, host)).limit(1);
      if (taken.length) throw new AppError('conflict', `host ${host} already belongs to another tenant`, [{ field: 'hosts', message: host }]);
      await tx.insert(tenantHosts).values({ host, tenantId: tenant.id });
    }
    await tx.insert(areas).values({ tenantId: tenant.id, id: newId(), name: data.areaName });
    await appendAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: 'tenant.create',
      entity: 'tenant',
      entityId: tenant.id,
      data: { slug: data.slug, hosts: data.hosts, isDefault: data.isDefault },
    });
    // Each module's per-tenant defaults (course catalogue, levels…), in the same transaction.
    for (const m of MANIFESTS) await m.seedTenant?.(tx, tenant.id);
    return tenant;
  });
}

export interface WardSetLoad extends WardFileOptions {
  tenantId: string;
  key: string;
  name: string;
  validFrom?: string | undefined;
  validTo?: string | undefined;
  source: string;
  geojson: string;
  factsCsv?: string | undefined;
  makeCurrent: boolean;
}

const WardSetMeta = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lower-case letters, digits and dashes'),
  name: z.string().trim().min(2).max(120),
  validFrom: z.iso.date('use a date like 2025-05-01').optional(),
  validTo: z.iso.date('use a date like 2025-05-01').optional(),
});

/** Load (or replace) a ward set from GeoJSON + facts CSV, in one transaction with an audit row. */
export async function loadWardSet(db: Db, input: WardSetLoad, actor: string): Promise<{ wardSetId: string; wards: number }> {
  const result = await db.transaction((tx) => loadWardSetIn(tx, input, actor));
  forgetAreaCache(input.tenantId);
  return result;
}

/**
 * loadWardSet inside the caller's transaction. Replacing a set keeps the id of every ward whose
 * code stays, so members and representatives keep pointing at their ward.
 */
export async function loadWardSetIn(tx: Executor, input: WardSetLoad, actor: string): Promise<{ wardSetId: string; wards: number }> {
  const meta = WardSetMeta.safeParse(input);
  if (!meta.success) {
    const issue = meta.error.issues[0];
    throw new AppError('validation_failed', `ward set ${issue?.path.join('.')}: ${issue?.message}`);
  }
  let parsed;
  try {
    parsed = readWardFiles(input.geojson, input.factsCsv, input);
  } catch (err) {
    if (err instanceof WardDataError) throw new AppError('validation_failed', err.message);
    throw err;
  }
  const area = await getArea(tx, input.tenantId);
  if (!area) throw new AppError('not_found', 'this tenant has no area yet', [], 'error.area.none');
  const existing = await getWardSetByKey(tx, input.tenantId, input.key);
  const wardSetId = existing?.id ?? newId();
  const sorted = [...parsed].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  if (existing) {
    const before = await tx.select({ id: wards.id, code: wards.code }).from(wards).where(and(eq(wards.tenantId, input.tenantId), eq(wards.wardSetId, wardSetId)));
    const kept = new Set(sorted.map((w) => w.code));
    const gone = before.filter((w) => !kept.has(w.code)).map((w) => w.id);
    if (gone.length) await tx.delete(wards).where(and(eq(wards.tenantId, input.tenantId), inArray(wards.id, gone)));
    const idByCode = new Map(before.map((w) => [w.code, w.id]));
    for (const [i, w] of sorted.entries()) {
      const id = idByCode.get(w.code);
      if (id) await tx.update(wards).set({ ...w, sortOrder: i }).where(and(eq(wards.tenantId, input.tenantId), eq(wards.id, id)));
      else await tx.insert(wards).values({ tenantId: input.tenantId, id: newId(), wardSetId, sortOrder: i, ...w });
    }
    await tx
      .update(wardSets)
      .set({ name: input.name, validFrom: input.validFrom ?? null, validTo: input.validTo ?? null, source: input.source })
      .where(and(eq(wardSets.tenantId, input.tenantId), eq(wardSets.id, wardSetId)));
  } else {
    await tx.insert(wardSets).values({
      tenantId: input.tenantId,
      id: wardSetId,
      areaId: area.id,
      key: input.key,
      name: input.name,
      validFrom: input.validFrom ?? null,
      validTo: input.validTo ?? null,
      source: input.source,
    });
    await tx.insert(wards).values(sorted.map((w, i) => ({ tenantId: input.tenantId, id: newId(), wardSetId, sortOrder: i, ...w })));
  }
  if (input.makeCurrent || !area.currentWardSetId) {
    await tx.update(areas).set({ currentWardSetId: wardSetId }).where(and(eq(areas.tenantId, input.tenantId), eq(areas.id, area.id)));
  }
  await appendAudit(tx, {
    tenantId: input.tenantId,
    actor,
    action: existing ? 'ward_set.replace' : 'ward_set.create',
    entity: 'ward_set',
    entityId: wardSetId,
    data: { key: input.key, wards: sorted.length, current: input.makeCurrent },
  });
  return { wardSetId, wards: sorted.length };
}

export const TenantContact = z.object({
  contactEmail: z.email('give an email address like privacy@example.org').max(200).nullable(),
  contactAddress: z.string().trim().min(5, 'give a postal address').max(500).nullable(),
});
export type TenantContact = z.input<typeof TenantContact>;

/** Set the mutual's contact details shown in its privacy notice (null clears one). */
export async function setTenantContact(db: Db, tenantId: string, input: TenantContact, actor: string): Promise<void> {
  const parsed = TenantContact.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  await db.transaction(async (tx) => {
    const updated = await tx.update(tenants).set(parsed.data).where(eq(tenants.id, tenantId)).returning({ id: tenants.id });
    if (!updated.length) throw new AppError('not_found', 'no such tenant');
    await appendAudit(tx, { tenantId, actor, action: 'tenant.contact', entity: 'tenant', entityId: tenantId, data: { email: parsed.data.contactEmail !== null, address: parsed.data.contactAddress !== null } });
  });
}

/** Make another ward set the area's current one. */
export async function setCurrentWardSet(db: Db, tenantId: string, key: string, actor: string): Promise<void> {
  await db.transaction(async (tx: Executor) => {
    const set = await getWardSetByKey(tx, tenantId, key);
    if (!set) throw new AppError('not_found', `no ward set with key "${key}"`);
    await tx.update(areas).set({ currentWardSetId: set.id }).where(and(eq(areas.tenantId, tenantId), eq(areas.id, set.areaId)));
    await appendAudit(tx, { tenantId, actor, action: 'ward_set.make_current', entity: 'ward_set', entityId: set.id, data: { key } });
  });
  forgetAreaCache(tenantId);
}
