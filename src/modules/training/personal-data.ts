import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { trainingAttendance, trainingBookings, trainingCourses, trainingSessions } from './schema.ts';

const ERASES = ['training_bookings', 'training_attendance', 'training_sessions'] as const;

/** The member's bookings and attendance; erasure deletes both and clears them as a trainer. */
export const trainingPersonalData = {
  order: 40,
  covers: ['training_bookings', 'training_attendance', 'training_sessions'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const bookings = await db
      .select({ course: trainingCourses.title, startsAt: trainingSessions.startsAt, venue: trainingSessions.venue, status: trainingBookings.status, queuedAt: trainingBookings.queuedAt })
      .from(trainingBookings)
      .innerJoin(trainingSessions, and(eq(trainingSessions.tenantId, trainingBookings.tenantId), eq(trainingSessions.id, trainingBookings.sessionId)))
      .innerJoin(trainingCourses, and(eq(trainingCourses.tenantId, trainingSessions.tenantId), eq(trainingCourses.id, trainingSessions.courseId)))
      .where(and(eq(trainingBookings.tenantId, subject.tenantId), eq(trainingBookings.memberId, subject.id)))
      .orderBy(asc(trainingSessions.startsAt));
    const attendance = await db
      .select({ course: trainingCourses.title, sessionDate: trainingAttendance.sessionDate, present: trainingAttendance.present })
      .from(trainingAttendance)
      .innerJoin(trainingCourses, and(eq(trainingCourses.tenantId, trainingAttendance.tenantId), eq(trainingCourses.id, trainingAttendance.courseId)))
      .where(and(eq(trainingAttendance.tenantId, subject.tenantId), eq(trainingAttendance.memberId, subject.id)))
      .orderBy(asc(trainingAttendance.sessionDate));
    const trained = await db
      .select({ course: trainingCourses.title, startsAt: trainingSessions.startsAt, venue: trainingSessions.venue })
      .from(trainingSessions)
      .innerJoin(trainingCourses, and(eq(trainingCourses.tenantId, trainingSessions.tenantId), eq(trainingCourses.id, trainingSessions.courseId)))
      .where(and(eq(trainingSessions.tenantId, subject.tenantId), eq(trainingSessions.trainerId, subject.id)))
      .orderBy(asc(trainingSessions.startsAt));
    return [
      { name: 'training-bookings', columns: ['course', 'startsAt', 'venue', 'status', 'bookedAt'], rows: bookings.map((b) => ({ course: b.course, startsAt: iso(b.startsAt), venue: b.venue, status: b.status, bookedAt: iso(b.queuedAt) })) },
      { name: 'training-attendance', columns: ['course', 'date', 'present'], rows: attendance.map((a) => ({ course: a.course, date: a.sessionDate, present: a.present })) },
      { name: 'training-sessions-run', columns: ['course', 'startsAt', 'venue'], rows: trained.map((s) => ({ course: s.course, startsAt: iso(s.startsAt), venue: s.venue })) },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    await tx.delete(trainingBookings).where(and(eq(trainingBookings.tenantId, subject.tenantId), eq(trainingBookings.memberId, subject.id)));
    // The level history lives in the ladder; the register rows of an erased person go.
    await tx.delete(trainingAttendance).where(and(eq(trainingAttendance.tenantId, subject.tenantId), eq(trainingAttendance.memberId, subject.id)));
    await tx.update(trainingSessions).set({ trainerId: null }).where(and(eq(trainingSessions.tenantId, subject.tenantId), eq(trainingSessions.trainerId, subject.id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
