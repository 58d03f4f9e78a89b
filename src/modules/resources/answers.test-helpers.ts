import type { Db } from '../../db/connection.ts';
import { testApp } from '../../test/app.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
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

/** The hand-made dataset of the answers' tests (figures worked out in answers.test.ts). */
export async function answersWorld() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const [w1, w2, w3] = await threeWards(db, tenant.id);
  const f = answersFixture(db, tenant.id);
  const stay = await f.category('stay-play', 'Stay and play', 1);
  const parenting = await f.category('parenting', 'Parenting support', 2);
  const cc = await f.provider('cc', 'Lodge Park CC');
  const hs = await f.provider('hs', 'Home-Start');
  const s1 = await f.service({ providerId: cc, categoryId: stay, name: 'Stay and play A', tier: 'universal', evidence: 'none', wards: [w1!.id, w2!.id], slots: [[1, '10:00', '11:30']] });
  const s2 = await f.service({ providerId: hs, categoryId: stay, name: 'Stay and play B', tier: 'targeted', evidence: 'good', wards: [w2!.id, w3!.id], slots: [[1, '11:00', '12:00', 'fortnightly']] });
  // Times do not overlap S1's (Tuesday).
  const s3 = await f.service({ providerId: hs, categoryId: stay, name: 'Stay and play C', tier: 'universal', evidence: 'none', wards: [w1!.id], slots: [[2, '10:00', '11:00']] });
  // Same provider as S1, same ward and time: not a duplication.
  const s4 = await f.service({ providerId: cc, categoryId: stay, name: 'Stay and play D', tier: 'universal', wards: [w1!.id], slots: [[1, '10:00', '11:00']] });
  const s5 = await f.service({ providerId: cc, categoryId: parenting, name: 'Family intensive support', tier: 'specialist', evidence: 'some', wards: [w3!.id], slots: [[3, '09:00', '10:00']] });
  // Wards do not overlap S1's (W3 only), times do.
  const s6 = await f.service({ providerId: hs, categoryId: stay, name: 'Stay and play E', tier: 'targeted', wards: [w3!.id], slots: [[1, '10:00', '11:00']] });
  await f.spend(s1, '2025-04-01', '2025-06-30', 5000);
  await f.spend(s1, '2025-07-01', '2025-09-30', 5000);
  await f.spend(s1, '2024-04-01', '2024-06-30', 99_999); // outside the period
  await f.spend(s2, '2025-04-01', '2026-03-31', 5000);
  await f.spend(s3, '2025-04-01', '2026-03-31', 2000);
  await f.spend(s5, '2025-04-01', '2026-03-31', 20_000);
  await f.spend(s6, '2025-04-01', '2026-03-31', 1000);
  await f.reach(s1, '2025-04-01', '2025-06-30', w1!.id, 30, 100);
  await f.reach(s1, '2025-04-01', '2025-06-30', w2!.id, 10, 40);
  await f.reach(s2, '2025-04-01', '2026-03-31', w2!.id, 20, 50);
  await f.reach(s3, '2025-04-01', '2026-03-31', w1!.id, 3, 6);
  await f.reach(s5, '2025-04-01', '2026-03-31', w3!.id, 4, 20);
  const coord = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const actorOf = (m: { member: { id: string } }, roles: Role[]): Actor => ({ memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  return { app, deps, db, tenant, host, w1: w1!, w2: w2!, w3: w3!, s1, s2, s3, s4, s5, s6, f, coord, coordinator: actorOf(coord, ['coordinator']), actorOf };
}

