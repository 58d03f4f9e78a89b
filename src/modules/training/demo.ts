import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { appendAudit } from '../audit/service.ts';
import { demoMembers } from '../membership/views.ts';
import { seedCourses } from './courses.ts';
import { trainingAttendance, trainingBookings, trainingCourses, trainingSessions } from './schema.ts';

const DEMO_ACTOR = 'system:demo';
const DAY = 86_400_000;
const VENUES = ['Corby Cube, George Street', 'Lodge Park Sports Centre', 'Kingswood Children\u2019s Centre', 'Danesholme Community Centre', 'Oakley Vale Community Centre'];

/** Past sessions (with a register) and future ones (booked, one full with a waiting list), all flagged demo. */
const PLAN = [
  { key: 'induction', days: -60, capacity: 12, booked: 10, present: 8 },
  { key: 'safeguarding-awareness', days: -35, capacity: 15, booked: 12, present: 11 },
  { key: 'street-champion-induction', days: -14, capacity: 10, booked: 9, present: 7 },
  { key: 'running-a-group', days: -7, capacity: 8, booked: 8, present: 6 },
  { key: 'induction', days: 5, capacity: 12, booked: 6, present: 0 },
  { key: 'safeguarding-awareness', days: 9, capacity: 8, booked: 11, present: 0 },
  { key: 'parent-governor', days: 16, capacity: 10, booked: 4, present: 0 },
  { key: 'campaigning-advocacy', days: 23, capacity: 20, booked: 7, present: 0 },
  { key: 'commissioning-for-parents', days: 30, capacity: 15, booked: 3, present: 0 },
] as const;

export async function loadTrainingDemo(db: Db, tenantId: string, today: Date): Promise<number> {
  const people = (await demoMembers(db, tenantId)).filter((m) => m.status === 'active');
  if (!people.length) return 0;
  return db.transaction(async (tx) => {
    const [already] = await tx.select({ id: trainingSessions.id }).from(trainingSessions).where(and(eq(trainingSessions.tenantId, tenantId), eq(trainingSessions.isDemo, true))).limit(1);
    if (already) return 0;
    await seedCourses(tx, tenantId);
    const courses = new Map((await tx.select({ id: trainingCourses.id, key: trainingCourses.key }).from(trainingCourses).where(eq(trainingCourses.tenantId, tenantId))).map((c) => [c.key, c.id]));
    const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 18, 0);
    let added = 0;
    let cursor = 0;
    for (const [i, p] of PLAN.entries()) {
      const id = newId();
      const startsAt = new Date(base + p.days * DAY);
      // Spread the trainer and the venue's ward across the demo members' wards.
      const trainer = people[(i * 7) % people.length]!;
      await tx.insert(trainingSessions).values({ tenantId, id, courseId: courses.get(p.key)!, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), venue: VENUES[i % VENUES.length]!, wardId: trainer.wardId, trainerId: trainer.id, capacity: p.capacity, isDemo: true });
      added++;
      const chosen: typeof people = [];
      for (let k = 0; k < p.booked && chosen.length < people.length - 1; k++) {
        const m = people[cursor++ % people.length]!;
        if (m.id !== trainer.id && !chosen.includes(m)) chosen.push(m);
      }
      for (const [k, m] of chosen.entries()) {
        await tx.insert(trainingBookings).values({ tenantId, id: newId(), sessionId: id, memberId: m.id, status: k < p.capacity ? 'booked' : 'waitlisted', queuedAt: new Date(startsAt.getTime() - (30 - k) * DAY), isDemo: true });
        if (p.days < 0 && k < p.capacity) {
          await tx.insert(trainingAttendance).values({ tenantId, sessionId: id, memberId: m.id, courseId: courses.get(p.key)!, sessionDate: isoDate(startsAt), present: k < p.present, markedBy: DEMO_ACTOR, isDemo: true });
        }
        added++;
      }
    }
    await appendAudit(tx, { tenantId, actor: DEMO_ACTOR, action: 'training.demo.load', entity: 'training', entityId: tenantId, data: { rows: added } });
    return added;
  });
}

/** Remove exactly the demo sessions (their bookings and register go with them) and any demo booking or attendance row. */
export async function clearTrainingDemo(db: Db, tenantId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const a = await tx.delete(trainingAttendance).where(and(eq(trainingAttendance.tenantId, tenantId), eq(trainingAttendance.isDemo, true))).returning({ s: trainingAttendance.sessionId });
    const b = await tx.delete(trainingBookings).where(and(eq(trainingBookings.tenantId, tenantId), eq(trainingBookings.isDemo, true))).returning({ id: trainingBookings.id });
    const s = await tx.delete(trainingSessions).where(and(eq(trainingSessions.tenantId, tenantId), eq(trainingSessions.isDemo, true))).returning({ id: trainingSessions.id });
    const removed = a.length + b.length + s.length;
    if (removed) await appendAudit(tx, { tenantId, actor: DEMO_ACTOR, action: 'training.demo.clear', entity: 'training', entityId: tenantId, data: { rows: removed } });
    return removed;
  });
}

export const trainingDemo = {
  name: 'training sessions',
  load: (ctx: DemoContext) => loadTrainingDemo(ctx.db, ctx.tenant.id, ctx.today),
  clear: (ctx: DemoContext) => clearTrainingDemo(ctx.db, ctx.tenant.id),
} satisfies DemoPart;
