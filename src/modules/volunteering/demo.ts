import { and, eq } from 'drizzle-orm';
import { isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { activeMembersWithRoles } from '../membership/views.ts';
import { dbsChecks, volunteerHours, type HourStatus } from './schema.ts';
import { addDays, addMonths, listActivities, seedActivities } from './service.ts';

/**
 * Volunteering's part of `parent-mutual demo load`: hours for the demo volunteers, street champions
 * and coordinators across the wards (approved, submitted and queried), and DBS checks for some of
 * them (three due for renewal within 30 days). Every row has `is_demo`; clear removes exactly those.
 */
export async function loadVolunteeringDemo({ db, tenant, today }: DemoContext): Promise<number> {
  await db.transaction((tx) => seedActivities(tx, tenant.id));
  const people = (await activeMembersWithRoles(db, tenant.id)).filter((m) => m.isDemo);
  const volunteers = people.filter((m) => m.roles.some((r) => r === 'volunteer' || r === 'street_champion' || r === 'coordinator'));
  const coordinator = people.find((m) => m.roles.includes('coordinator'));
  const activities = (await listActivities(db, tenant.id, { activeOnly: true })).filter((a) => a.key);
  if (!volunteers.length || !activities.length) return 0;
  const day = isoDate(today);
  let added = 0;
  await db.transaction(async (tx) => {
    const hours: Array<typeof volunteerHours.$inferInsert> = [];
    volunteers.slice(0, 60).forEach((m, i) => {
      for (let j = 0; j < 4; j++) {
        const n = i * 4 + j;
        const status: HourStatus = j < 2 ? 'approved' : j === 2 ? 'submitted' : n % 3 === 0 ? 'queried' : 'submitted';
        const approvable = coordinator && coordinator.id !== m.id;
        const finalStatus: HourStatus = approvable ? status : 'submitted';
        hours.push({
          tenantId: tenant.id,
          id: newId(),
          memberId: m.id,
          activityId: activities[n % activities.length]!.id,
          workedOn: addDays(day, -((n * 7) % 300) - 1),
          minutes: 30 + ((n * 45) % 300),
          note: '',
          status: finalStatus,
          question: finalStatus === 'queried' ? 'Was this the Tuesday or the Wednesday session? (demo)' : '',
          clientKey: `demo-volunteering-${n}`,
          decidedBy: finalStatus === 'submitted' ? null : coordinator!.id,
          decidedAt: finalStatus === 'submitted' ? null : today,
          isDemo: true,
        });
      }
    });
    const inserted = await tx.insert(volunteerHours).values(hours).onConflictDoNothing().returning({ id: volunteerHours.id });
    added += inserted.length;
    const checks: Array<typeof dbsChecks.$inferInsert> = volunteers.slice(0, 12).map((m, i) => {
      // Three checks fall due within 30 days; the rest later.
      const renewalOn = i < 3 ? addDays(day, 5 + i * 8) : addDays(day, 60 + i * 30);
      const checkedOn = addMonths(renewalOn, -36);
      return {
        tenantId: tenant.id,
        id: newId(),
        memberId: m.id,
        checkedOn,
        certificateNumber: String(1_000_000_000_01 + i * 7919).padStart(12, '0'),
        level: i % 4 === 0 ? 'enhanced_barred' : 'enhanced',
        outcome: 'clear',
        updateService: i % 2 === 0,
        renewalOn,
        decisionOn: addDays(checkedOn, 14),
        decision: 'appointed',
        reference: `DEMO-${i + 1}`,
        isDemo: true,
      };
    });
    const existing = await tx.select({ id: dbsChecks.id }).from(dbsChecks).where(and(eq(dbsChecks.tenantId, tenant.id), eq(dbsChecks.isDemo, true))).limit(1);
    if (!existing.length) added += (await tx.insert(dbsChecks).values(checks).returning({ id: dbsChecks.id })).length;
  });
  return added;
}

export async function clearVolunteeringDemo({ db, tenant }: DemoContext): Promise<number> {
  return db.transaction(async (tx) => {
    const h = await tx.delete(volunteerHours).where(and(eq(volunteerHours.tenantId, tenant.id), eq(volunteerHours.isDemo, true))).returning({ id: volunteerHours.id });
    const d = await tx.delete(dbsChecks).where(and(eq(dbsChecks.tenantId, tenant.id), eq(dbsChecks.isDemo, true))).returning({ id: dbsChecks.id });
    return h.length + d.length;
  });
}

export const volunteeringDemo = { name: 'volunteering', load: loadVolunteeringDemo, clear: clearVolunteeringDemo } satisfies DemoPart;
