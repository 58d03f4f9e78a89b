import type { Db } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import {
  resCategories,
  resFamilyContacts,
  resProviders,
  resReach,
  resServiceSchedules,
  resServiceWards,
  resServices,
  resSpend,
  type EvidenceLevel,
  type ScheduleFrequency,
  type ServiceStatus,
  type ServiceTier,
} from './schema.ts';

/** Test data written straight into the module's tables (res-core's forms and imports are not on this branch). */
export function answersFixture(db: Db, tenantId: string) {
  return {
    async category(key: string, title: string, sortOrder = 0): Promise<string> {
      const id = newId();
      await db.insert(resCategories).values({ tenantId, id, key, title, sortOrder });
      return id;
    },
    async provider(ref: string, name: string): Promise<string> {
      const id = newId();
      await db.insert(resProviders).values({ tenantId, id, ref, name, kind: 'voluntary' });
      return id;
    },
    async service(o: { providerId: string; categoryId: string; name: string; tier?: ServiceTier; evidence?: EvidenceLevel; status?: ServiceStatus; wards?: string[]; slots?: Array<[number, string, string, ScheduleFrequency?]>; isDemo?: boolean }): Promise<string> {
      const id = newId();
      await db.insert(resServices).values({ tenantId, id, providerId: o.providerId, ref: id, name: o.name, categoryId: o.categoryId, tier: o.tier ?? 'universal', evidence: o.evidence ?? 'none', status: o.status ?? 'active', isDemo: o.isDemo ?? false });
      if (o.wards?.length) await db.insert(resServiceWards).values(o.wards.map((wardId) => ({ tenantId, serviceId: id, wardId })));
      if (o.slots?.length) await db.insert(resServiceSchedules).values(o.slots.map(([weekday, opensAt, closesAt, frequency]) => ({ tenantId, id: newId(), serviceId: id, weekday, opensAt, closesAt, frequency: frequency ?? 'weekly' })));
      return id;
    },
    async spend(serviceId: string, periodStart: string, periodEnd: string, pounds: number, kind: 'staff' | 'venue' = 'staff'): Promise<void> {
      await db.insert(resSpend).values({ tenantId, id: newId(), serviceId, periodStart, periodEnd, kind, amountPence: Math.round(pounds * 100) });
    },
    async reach(serviceId: string, periodStart: string, periodEnd: string, wardId: string, families: number, attendances: number): Promise<void> {
      await db.insert(resReach).values({ tenantId, id: newId(), serviceId, periodStart, periodEnd, wardId, families, attendances });
    },
    async contact(serviceId: string, familyKey: string, contactOn: string, wardId: string | null): Promise<void> {
      await db.insert(resFamilyContacts).values({ tenantId, serviceId, familyKey, contactOn, wardId });
    },
  };
}

/** Three wards of the test tenant (Corby 2015), by code order. */
export async function threeWards(db: Db, tenantId: string): Promise<Array<{ id: string; name: string }>> {
  const { sql } = await import('drizzle-orm');
  const r = await db.execute(sql`SELECT id, name FROM wards WHERE tenant_id = ${tenantId}::uuid ORDER BY code LIMIT 3`);
  return (Array.isArray(r) ? r : (r as unknown as { rows: Array<{ id: string; name: string }> }).rows) as Array<{ id: string; name: string }>;
}
