import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { trainingAttendance, trainingBookings, trainingCourses, trainingSessions, type TrainingSession } from './schema.ts';

export interface SessionRow extends TrainingSession {
  title: string;
  titlePl: string | null;
  description: string;
  descriptionPl: string | null;
  durationMinutes: number;
  booked: number;
  waiting: number;
  present: number;
}

const counted = {
  booked: sql<number>`(SELECT count(*)::int FROM ${trainingBookings} b WHERE b.tenant_id = ${trainingSessions.tenantId} AND b.session_id = ${trainingSessions.id} AND b.status = 'booked')`,
  waiting: sql<number>`(SELECT count(*)::int FROM ${trainingBookings} b WHERE b.tenant_id = ${trainingSessions.tenantId} AND b.session_id = ${trainingSessions.id} AND b.status = 'waitlisted')`,
  present: sql<number>`(SELECT count(*)::int FROM ${trainingAttendance} a WHERE a.tenant_id = ${trainingSessions.tenantId} AND a.session_id = ${trainingSessions.id} AND a.present)`,
};

function base(db: Executor) {
  return db
    .select({
      session: trainingSessions,
      title: trainingCourses.title,
      titlePl: trainingCourses.titlePl,
      description: trainingCourses.description,
      descriptionPl: trainingCourses.descriptionPl,
      durationMinutes: trainingCourses.durationMinutes,
      ...counted,
    })
    .from(trainingSessions)
    .innerJoin(trainingCourses, and(eq(trainingCourses.tenantId, trainingSessions.tenantId), eq(trainingCourses.id, trainingSessions.courseId)));
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];
const flat = (r: BaseRow): SessionRow => ({ ...r.session, title: r.title, titlePl: r.titlePl, description: r.description, descriptionPl: r.descriptionPl, durationMinutes: r.durationMinutes, booked: Number(r.booked), waiting: Number(r.waiting), present: Number(r.present) });

/** Sessions that have not started yet (cancelled ones too when asked, e.g. for the calendar feed). */
export async function upcomingSessions(db: Executor, tenantId: string, now: Date, opts: { withCancelled?: boolean; limit?: number } = {}): Promise<SessionRow[]> {
  const rows = await base(db)
    .where(and(eq(trainingSessions.tenantId, tenantId), gt(trainingSessions.endsAt, now), opts.withCancelled ? undefined : eq(trainingSessions.status, 'scheduled')))
    .orderBy(asc(trainingSessions.startsAt))
    .limit(opts.limit ?? 200);
  return rows.map(flat);
}

/** Every session, newest first (coordinator list). */
export async function allSessions(db: Executor, tenantId: string, limit = 300): Promise<SessionRow[]> {
  const rows = await base(db).where(eq(trainingSessions.tenantId, tenantId)).orderBy(desc(trainingSessions.startsAt)).limit(limit);
  return rows.map(flat);
}

export async function sessionRow(db: Executor, tenantId: string, id: string): Promise<SessionRow | undefined> {
  const [row] = await base(db).where(and(eq(trainingSessions.tenantId, tenantId), eq(trainingSessions.id, id)));
  return row ? flat(row) : undefined;
}
