import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { trainingAttendance, trainingBookings, trainingCourses, trainingSessions, type BookingStatus } from './schema.ts';

/** A course of the tenant's catalogue, as other modules see it. `key` is stable (seeded or chosen once). */
export interface CourseRef {
  id: string;
  key: string;
  title: string;
  /** Polish title, when the catalogue has one (shown to Polish readers). */
  titlePl: string | null;
}

const ref = { id: trainingCourses.id, key: trainingCourses.key, title: trainingCourses.title, titlePl: trainingCourses.titlePl };

export async function listCourseRefs(db: Executor, tenantId: string): Promise<CourseRef[]> {
  return db.select(ref).from(trainingCourses).where(eq(trainingCourses.tenantId, tenantId)).orderBy(asc(trainingCourses.title));
}

export async function courseRef(db: Executor, tenantId: string, courseId: string): Promise<CourseRef | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(courseId)) return undefined;
  const [row] = await db.select(ref).from(trainingCourses).where(and(eq(trainingCourses.tenantId, tenantId), eq(trainingCourses.id, courseId)));
  return row;
}

/** Course keys each member has completed (marked present at a session of the course), for every member or the given ones. */
export async function completedCourseKeysByMember(db: Executor, tenantId: string, memberIds?: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (memberIds && memberIds.length === 0) return out;
  const rows = await db
    .selectDistinct({ memberId: trainingAttendance.memberId, key: trainingCourses.key })
    .from(trainingAttendance)
    .innerJoin(trainingCourses, and(eq(trainingCourses.tenantId, trainingAttendance.tenantId), eq(trainingCourses.id, trainingAttendance.courseId)))
    .where(and(eq(trainingAttendance.tenantId, tenantId), eq(trainingAttendance.present, true), memberIds ? inArray(trainingAttendance.memberId, [...memberIds]) : undefined));
  for (const r of rows) {
    let set = out.get(r.memberId);
    if (!set) out.set(r.memberId, (set = new Set()));
    set.add(r.key);
  }
  return out;
}

/**
 * Training attendance per calendar quarter ('2026-Q3', Europe/London dates) between two dates (inclusive, YYYY-MM-DD):
 * attendances marked present and the distinct members. One aggregate over the partial index
 * training_attendance_quarter (tenant, session_date, member) WHERE present.
 */
export async function trainingAttendanceByQuarter(
  db: Executor,
  tenantId: string,
  from: string,
  to: string,
): Promise<Array<{ quarter: string; attendances: number; sessions: number; memberIds: string[] }>> {
  // Two small hash aggregates instead of DISTINCT sorts: per (quarter, member), then per quarter.
  const rows = await db.execute<{ quarter: string; attendances: number; sessions: number; member_ids: string[] }>(sql`
    WITH a AS (
      SELECT date_trunc('quarter', ${trainingAttendance.sessionDate}) AS q, ${trainingAttendance.memberId} AS member_id, ${trainingAttendance.sessionId} AS session_id
        FROM ${trainingAttendance}
       WHERE ${trainingAttendance.tenantId} = ${tenantId} AND ${trainingAttendance.present}
         AND ${trainingAttendance.sessionDate} BETWEEN ${from}::date AND ${to}::date
    ),
    per_member AS (SELECT q, member_id, count(*)::int AS n FROM a GROUP BY q, member_id),
    per_session AS (SELECT q, count(*)::int AS s FROM (SELECT q, session_id FROM a GROUP BY q, session_id) x GROUP BY q)
    SELECT to_char(m.q, 'YYYY') || '-Q' || to_char(m.q, 'Q') AS quarter, sum(m.n)::int AS attendances, max(ps.s)::int AS sessions, array_agg(m.member_id) AS member_ids
      FROM per_member m JOIN per_session ps ON ps.q = m.q
     GROUP BY m.q ORDER BY m.q`);
  // node-postgres answers { rows }, PGlite's drizzle driver too; both carry the same row shape.
  const list = (rows as unknown as { rows: Array<{ quarter: string; attendances: number; sessions: number; member_ids: string[] }> }).rows;
  return list.map((r) => ({ quarter: r.quarter, attendances: Number(r.attendances), sessions: Number(r.sessions), memberIds: r.member_ids.map(String) }));
}

/** A member's upcoming bookings (booked or waiting), soonest first: for /me and the ladder. */
export async function upcomingBookingsOf(
  db: Executor,
  tenantId: string,
  memberId: string,
  now: Date,
): Promise<Array<{ sessionId: string; courseId: string; title: string; titlePl: string | null; startsAt: Date; venue: string; status: BookingStatus; isDemo: boolean }>> {
  return db
    .select({
      sessionId: trainingSessions.id,
      courseId: trainingSessions.courseId,
      title: trainingCourses.title,
      titlePl: trainingCourses.titlePl,
      startsAt: trainingSessions.startsAt,
      venue: trainingSessions.venue,
      status: trainingBookings.status,
      isDemo: trainingSessions.isDemo,
    })
    .from(trainingBookings)
    .innerJoin(trainingSessions, and(eq(trainingSessions.tenantId, trainingBookings.tenantId), eq(trainingSessions.id, trainingBookings.sessionId)))
    .innerJoin(trainingCourses, and(eq(trainingCourses.tenantId, trainingSessions.tenantId), eq(trainingCourses.id, trainingSessions.courseId)))
    .where(and(eq(trainingBookings.tenantId, tenantId), eq(trainingBookings.memberId, memberId), eq(trainingSessions.status, 'scheduled'), gt(trainingSessions.startsAt, now)))
    .orderBy(asc(trainingSessions.startsAt));
}

/**
 * Bulk load for benchmarks and demos only: present-attendance rows (sessions and a course are made
 * as needed, flagged demo). `rows` name existing members of the tenant and a session date.
 * Inserts in chunks; answers the number of rows written.
 */
export async function insertAttendanceForBench(db: Executor, tenantId: string, rows: ReadonlyArray<{ memberId: string; sessionDate: string }>, opts: { courseKey?: string; isDemo?: boolean } = {}): Promise<number> {
  const key = opts.courseKey ?? 'induction';
  let [course] = await db.select({ id: trainingCourses.id }).from(trainingCourses).where(and(eq(trainingCourses.tenantId, tenantId), eq(trainingCourses.key, key)));
  if (!course) [course] = await db.insert(trainingCourses).values({ tenantId, id: newId(), key, title: key, durationMinutes: 60 }).returning({ id: trainingCourses.id });
  const courseId = course!.id;
  // One session per date: a member attends at most once per day in the generated data.
  const sessionOf = new Map<string, string>();
  for (const date of new Set(rows.map((r) => r.sessionDate))) {
    const id = newId();
    const startsAt = new Date(`${date}T10:00:00Z`);
    await db.insert(trainingSessions).values({ tenantId, id, courseId, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), venue: 'Bench venue', capacity: 500, isDemo: opts.isDemo ?? true });
    sessionOf.set(date, id);
  }
  const seen = new Set<string>();
  const values = rows.flatMap((r) => {
    const sessionId = sessionOf.get(r.sessionDate)!;
    const k = `${sessionId}:${r.memberId}`;
    if (seen.has(k)) return [];
    seen.add(k);
    return [{ tenantId, sessionId, memberId: r.memberId, courseId, sessionDate: r.sessionDate, present: true, markedBy: 'system:bench', isDemo: opts.isDemo ?? true }];
  });
  for (let i = 0; i < values.length; i += 2000) await db.insert(trainingAttendance).values(values.slice(i, i + 2000)).onConflictDoNothing();
  return values.length;
}
