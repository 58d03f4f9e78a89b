import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { intelCategories, intelSettings } from './schema.ts';

/** Tenant-scoped reads shared by filing, triage and the pages. */

export async function listCategories(db: Executor, tenantId: string, opts: { activeOnly?: boolean } = {}) {
  const where = opts.activeOnly ? and(eq(intelCategories.tenantId, tenantId), eq(intelCategories.active, true)) : eq(intelCategories.tenantId, tenantId);
  return db.select().from(intelCategories).where(where).orderBy(asc(intelCategories.sortOrder), asc(intelCategories.key));
}

export async function categoryByKey(db: Executor, tenantId: string, key: string) {
  const [row] = await db.select().from(intelCategories).where(and(eq(intelCategories.tenantId, tenantId), eq(intelCategories.key, key)));
  return row;
}

export async function categoryById(db: Executor, tenantId: string, id: string) {
  const [row] = await db.select().from(intelCategories).where(and(eq(intelCategories.tenantId, tenantId), eq(intelCategories.id, id)));
  return row;
}

/** The tenant's settings, with the defaults when the row is missing (seedTenant writes it). */
export async function settingsOf(db: Executor, tenantId: string) {
  const [row] = await db.select().from(intelSettings).where(eq(intelSettings.tenantId, tenantId));
  return row ?? { tenantId, textRetentionMonths: 24, frontDoorName: '', frontDoorPhone: '', updatedAt: new Date(0) };
}

/** A category's title in the reader's language (Polish falls back to English). */
export function categoryTitle(c: { title: string; titlePl: string | null }, locale: string): string {
  return locale === 'pl' && c.titlePl ? c.titlePl : c.title;
}

export function categoryDescription(c: { description: string; descriptionPl: string | null }, locale: string): string {
  return locale === 'pl' && c.descriptionPl ? c.descriptionPl : c.description;
}
