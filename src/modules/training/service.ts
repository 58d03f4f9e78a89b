import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { formatDateTime, isoDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { translator } from '../../ui/i18n/index.ts';
import { awardOnCompletion, missingPrerequisites } from '../accreditation/service.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import { memberCard, memberCards, type MemberCard } from '../membership/views.ts';
import type { Actor } from '../membership/policy.ts';
import { courseTitle, findCourse } from './courses.ts';
import { trainingAttendance, trainingBookings, trainingSessions, type BookingStatus, type TrainingSession } from './schema.ts';
import { londonToInstant } from './times.ts';

const localeOf = (m: { preferredLocale: string }) => (m.preferredLocale === 'pl' ? 'pl' : 'en');

/** A session as coordinators enter it: times on the London clock ("2026-12-10T18:30"). */
export const SessionInput = z
  .object({
    courseId: z.string().refine(isUuid, 'training.error.course'),
    startsAt: z.string().transform((v, ctx) => londonToInstant(v) ?? (ctx.addIssue({ code: 'custom', message: 'training.error.startsAt' }), z.NEVER)),
    endsAt: z.string().transform((v, ctx) => londonToInstant(v) ?? (ctx.addIssue({ code: 'custom', message: 'training.error.endsAt' }), z.NEVER)),
    venue: z.string().trim().min(1, 'training.error.venue').max(200, 'training.error.tooLong'),
    wardId: z
      .string()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || isUuid(v), 'training.error.ward'),
    trainerId: z
      .string()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || isUuid(v), 'training.error.trainer'),
    capacity: z.coerce.number({ message: 'training.error.capacity' }).int('training.error.capacity').min(1, 'training.error.capacity').max(500, 'training.error.capacity'),
  })
  .refine((s) => s.endsAt > s.startsAt, { path: ['endsAt'], message: 'training.error.endsBeforeStart' });
export type SessionInput = z.input<typeof SessionInput>;

export async function findSession(db: Executor, tenantId: string, id: string): Promise<TrainingSession | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(trainingSessions).where(and(eq(trainingSessions.tenantId, tenantId), eq(trainingSessions.id, id)));
  return row;
}

async function checkSession(tx: Executor, tenantId: string, input: SessionInput) {
  const parsed = SessionInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the session.', fieldIssues(parsed.error), 'training.error.fix');
  const data = parsed.data;
  if (!(await findCourse(tx, tenantId, data.courseId))) throw new AppError('validation_failed', 'Choose a course.', [{ field: 'courseId', message: 'training.error.course' }], 'training.error.fix');
  if (data.trainerId) {
    const trainer = await memberCard(tx, tenantId, data.trainerId);
    if (!trainer || trainer.status !== 'active') throw new AppError('validation_failed', 'The trainer must be an active member.', [{ field: 'trainerId', message: 'training.error.trainer' }], 'training.error.fix');
  }
  return data;
}

export async function createSession(db: Db, actor: Actor, input: SessionInput, opts: { isDemo?: boolean } = {}): Promise<TrainingSession> {
  requirePermission(actor, 'training.manage');
  return db.transaction(async (tx) => {
    const data = await checkSession(tx, actor.tenantId, input);
    const [row] = await tx.insert(trainingSessions).values({ tenantId: actor.tenantId, id: newId(), ...data, isDemo: opts.isDemo ?? false }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'training.session.create', entity: 'training_session', entityId: row!.id, data: { courseId: data.courseId, capacity: data.capacity } });
    return row!;
  });
}

/** Edit a scheduled session. A larger capacity promotes from the waiting list; a smaller one below the booked count is refused. */
export async function updateSession(db: Db, actor: Actor, id: string, input: SessionInput): Promise<TrainingSession> {
  requirePermission(actor, 'training.manage');
  return db.transaction(async (tx) => {
    const session = await lockSession(tx, actor.tenantId, id);
    if (session.status === 'cancelled') throw new AppError('conflict', 'This session is cancelled.', [], 'training.error.cancelled');
    const data = await checkSession(tx, actor.tenantId, input);
    const booked = await countBooked(tx, actor.tenantId, id);
    if (data.capacity < booked) throw new AppError('validation_failed', 'More people are booked than that capacity.', [{ field: 'capacity', message: 'training.error.capacityBelowBooked' }], 'training.error.fix');
    const [row] = await tx
      .update(trainingSessions)
      .set({ ...data, sequence: sql`${trainingSessions.sequence} + 1`, updatedAt: new Date() })
      .where(and(eq(trainingSessions.tenantId, actor.tenantId), eq(trainingSessions.id, id)))
      .returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'training.session.update', entity: 'training_session', entityId: id, data: { capacity: data.capacity } });
    await promoteWaiting(tx, row!, data.capacity - booked, actor.memberId);
    return row!;
  });
}

/** Cancel a session: everyone booked or waiting gets an email (once, by dedupe key). */
export async function cancelSession(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'training.manage');
  await db.transaction(async (tx) => {
    const session = await lockSession(tx, actor.tenantId, id);
    if (session.status === 'cancelled') return;
    await tx
      .update(trainingSessions)
      .set({ status: 'cancelled', sequence: sql`${trainingSessions.sequence} + 1`, updatedAt: new Date() })
      .where(and(eq(trainingSessions.tenantId, actor.tenantId), eq(trainingSessions.id, id)));
    const course = await findCourse(tx, actor.tenantId, session.courseId);
    const rows = await tx.select({ memberId: trainingBookings.memberId }).from(trainingBookings).where(and(eq(trainingBookings.tenantId, actor.tenantId), eq(trainingBookings.sessionId, id)));
    for (const m of await memberCards(tx, actor.tenantId, rows.map((r) => r.memberId))) {
      if (!m.email || m.status !== 'active') continue;
      const locale = localeOf(m);
      const t = translator(locale);
      const vars = { course: courseTitle(course!, locale), when: formatDateTime(locale, session.startsAt), place: session.venue };
      await enqueueEmail(tx, { tenantId: actor.tenantId, to: m.email, subject: t('training.mail.cancelled.subject', vars), text: t('training.mail.cancelled.body', vars), template: 'training.cancelled', locale, dedupeKey: `training-cancelled:${id}:${m.id}` });
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'training.session.cancel', entity: 'training_session', entityId: id, data: { notified: rows.length } });
  });
}

/** The row lock that serialises bookings of one session (SELECT … FOR UPDATE: PGlite and PostgreSQL). */
async function lockSession(tx: Executor, tenantId: string, id: string): Promise<TrainingSession> {
  if (!isUuid(id)) throw new AppError('not_found', 'That session was not found.', [], 'training.error.sessionNotFound');
  const [row] = await tx.select().from(trainingSessions).where(and(eq(trainingSessions.tenantId, tenantId), eq(trainingSessions.id, id))).for('update');
  if (!row) throw new AppError('not_found', 'That session was not found.', [], 'training.error.sessionNotFound');
  return row;
}

async function countBooked(tx: Executor, tenantId: string, sessionId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(trainingBookings)
    .where(and(eq(trainingBookings.tenantId, tenantId), eq(trainingBookings.sessionId, sessionId), eq(trainingBookings.status, 'booked')));
  return row?.n ?? 0;
}

/** Move the first `places` people of the waiting list onto the session, emailing each (same transaction). */
async function promoteWaiting(tx: Executor, session: TrainingSession, places: number, actor: string): Promise<string[]> {
  if (places <= 0) return [];
  const next = await tx
    .select({ id: trainingBookings.id, memberId: trainingBookings.memberId })
    .from(trainingBookings)
    .where(and(eq(trainingBookings.tenantId, session.tenantId), eq(trainingBookings.sessionId, session.id), eq(trainingBookings.status, 'waitlisted')))
    .orderBy(asc(trainingBookings.queuedAt), asc(trainingBookings.id))
    .limit(places);
  if (!next.length) return [];
  const course = await findCourse(tx, session.tenantId, session.courseId);
  const cards = new Map((await memberCards(tx, session.tenantId, next.map((n) => n.memberId))).map((m) => [m.id, m]));
  for (const b of next) {
    await tx.update(trainingBookings).set({ status: 'booked' }).where(and(eq(trainingBookings.tenantId, session.tenantId), eq(trainingBookings.id, b.id)));
    await appendAudit(tx, { tenantId: session.tenantId, actor, action: 'training.booking.promote', entity: 'training_booking', entityId: b.id, data: { sessionId: session.id } });
    const m = cards.get(b.memberId);
    if (m?.email) {
      const locale = localeOf(m);
      const t = translator(locale);
      const vars = { course: courseTitle(course!, locale), when: formatDateTime(locale, session.startsAt), place: session.venue };
      await enqueueEmail(tx, { tenantId: session.tenantId, to: m.email, subject: t('training.mail.promoted.subject', vars), text: t('training.mail.promoted.body', vars), template: 'training.promoted', locale, dedupeKey: `training-promoted:${b.id}` });
    }
  }
  return next.map((n) => n.memberId);
}

export interface BookingResult {
  status: BookingStatus;
  /** 1-based place on the waiting list (waitlisted only). */
  position: number | null;
}

/** The member's waiting-list position (1-based) or null when booked or absent. */
export async function waitingPosition(db: Executor, tenantId: string, sessionId: string, memberId: string): Promise<number | null> {
  const [mine] = await db
    .select({ id: trainingBookings.id, queuedAt: trainingBookings.queuedAt })
    .from(trainingBookings)
    .where(and(eq(trainingBookings.tenantId, tenantId), eq(trainingBookings.sessionId, sessionId), eq(trainingBookings.memberId, memberId), eq(trainingBookings.status, 'waitlisted')));
  if (!mine) return null;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(trainingBookings)
    .where(
      and(
        eq(trainingBookings.tenantId, tenantId),
        eq(trainingBookings.sessionId, sessionId),
        eq(trainingBookings.status, 'waitlisted'),
        sql`(${trainingBookings.queuedAt}, ${trainingBookings.id}) <= (${mine.queuedAt.toISOString()}::timestamptz, ${mine.id}::uuid)`,
      ),
    );
  return row?.n ?? null;
}

/**
 * Book the actor onto a session: a place while any is free, else the waiting list. The session row
 * is locked for the count and insert, so concurrent bookings never over-book. Refused (nothing
 * changed): booking twice, a cancelled or past session, missing prerequisites.
 */
export async function bookSession(
  db: Db,
  actor: Actor,
  sessionId: string,
  now: Date,
  opts: { locale?: string; /** The prerequisite check (accreditation's by default; the benchmark passes its own wrapper). */ prerequisites?: typeof missingPrerequisites } = {},
): Promise<BookingResult> {
  const prerequisites = opts.prerequisites ?? missingPrerequisites;
  const me = await memberCard(db, actor.tenantId, actor.memberId);
  if (!me || me.status !== 'active') throw new AppError('forbidden', 'Only active members can book.', [], 'training.error.notActive');
  return db.transaction(async (tx) => {
    const session = await lockSession(tx, actor.tenantId, sessionId);
    if (session.status === 'cancelled') throw new AppError('conflict', 'This session is cancelled.', [], 'training.error.cancelled');
    if (session.startsAt <= now) throw new AppError('conflict', 'This session has already started.', [], 'training.error.past');
    const [existing] = await tx
      .select({ id: trainingBookings.id })
      .from(trainingBookings)
      .where(and(eq(trainingBookings.tenantId, actor.tenantId), eq(trainingBookings.sessionId, sessionId), eq(trainingBookings.memberId, actor.memberId)));
    if (existing) throw new AppError('conflict', 'You are already booked on (or waiting for) this session.', [], 'training.error.twice');
    const missing = await prerequisites(tx, { tenantId: actor.tenantId, memberId: actor.memberId, courseId: session.courseId, onDate: isoDate(session.startsAt), locale: opts.locale ?? me.preferredLocale });
    if (missing.length) throw new AppError('conflict', `This course needs first: ${missing.join(', ')}.`, [], 'training.error.prerequisites', { missing: missing.join(', ') });
    const booked = await countBooked(tx, actor.tenantId, sessionId);
    const status: BookingStatus = booked < session.capacity ? 'booked' : 'waitlisted';
    const id = newId();
    // The unique index (tenant, session, member) makes a retry that slipped past the check harmless.
    const inserted = await tx
      .insert(trainingBookings)
      .values({ tenantId: actor.tenantId, id, sessionId, memberId: actor.memberId, status, queuedAt: new Date(), isDemo: false })
      .onConflictDoNothing()
      .returning({ id: trainingBookings.id });
    if (!inserted.length) throw new AppError('conflict', 'You are already booked on (or waiting for) this session.', [], 'training.error.twice');
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: status === 'booked' ? 'training.booking.book' : 'training.booking.waitlist', entity: 'training_booking', entityId: id, data: { sessionId } });
    return { status, position: status === 'waitlisted' ? await waitingPosition(tx, actor.tenantId, sessionId, actor.memberId) : null };
  });
}

/** Cancel the actor's own booking (or waiting-list place); a freed place goes to the first on the waiting list at once. */
export async function cancelBooking(db: Db, actor: Actor, sessionId: string, now: Date): Promise<{ promoted: number }> {
  return db.transaction(async (tx) => {
    const session = await lockSession(tx, actor.tenantId, sessionId);
    const [gone] = await tx
      .delete(trainingBookings)
      .where(and(eq(trainingBookings.tenantId, actor.tenantId), eq(trainingBookings.sessionId, sessionId), eq(trainingBookings.memberId, actor.memberId)))
      .returning();
    if (!gone) throw new AppError('not_found', 'You have no booking on this session.', [], 'training.error.noBooking');
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'training.booking.cancel', entity: 'training_booking', entityId: gone.id, data: { sessionId } });
    if (gone.status !== 'booked' || session.status === 'cancelled' || session.startsAt <= now) return { promoted: 0 };
    const free = session.capacity - (await countBooked(tx, actor.tenantId, sessionId));
    return { promoted: (await promoteWaiting(tx, session, free, actor.memberId)).length };
  });
}

/** Record-level rule of the register: the session's own trainer, or a coordinator (training.manage). */
export function canKeepRegister(actor: Actor, session: Pick<TrainingSession, 'trainerId' | 'tenantId'>): boolean {
  if (actor.tenantId !== session.tenantId) return false;
  return (session.trainerId !== null && session.trainerId === actor.memberId) || actor.roles.has('coordinator') || actor.roles.has('admin');
}

export interface RosterEntry {
  member: MemberCard;
  status: BookingStatus;
  position: number | null;
  present: boolean | null;
}

/** Who is booked and waiting, with their attendance, for the register and the coordinator's roster. */
export async function sessionRoster(db: Executor, session: TrainingSession): Promise<RosterEntry[]> {
  const rows = await db
    .select({ memberId: trainingBookings.memberId, status: trainingBookings.status, present: trainingAttendance.present })
    .from(trainingBookings)
    .leftJoin(trainingAttendance, and(eq(trainingAttendance.tenantId, trainingBookings.tenantId), eq(trainingAttendance.sessionId, trainingBookings.sessionId), eq(trainingAttendance.memberId, trainingBookings.memberId)))
    .where(and(eq(trainingBookings.tenantId, session.tenantId), eq(trainingBookings.sessionId, session.id)))
    .orderBy(asc(trainingBookings.queuedAt), asc(trainingBookings.id));
  const cards = new Map((await memberCards(db, session.tenantId, rows.map((r) => r.memberId))).map((m) => [m.id, m]));
  let waiting = 0;
  return rows.flatMap((r) => {
    const member = cards.get(r.memberId);
    if (!member) return [];
    return [{ member, status: r.status, position: r.status === 'waitlisted' ? ++waiting : null, present: r.present ?? null }];
  });
}

/**
 * Save the register: present/absent for booked members only (anyone else refuses the whole save).
 * Marking present calls accreditation's awardOnCompletion in the same transaction.
 */
export async function markAttendance(
  db: Db,
  actor: Actor,
  sessionId: string,
  marks: ReadonlyArray<{ memberId: string; present: boolean }>,
  opts: { /** Accreditation's award (default); tests pass a wrapper that records the calls. */ award?: typeof awardOnCompletion } = {},
): Promise<{ present: number; absent: number }> {
  const award = opts.award ?? awardOnCompletion;
  return db.transaction(async (tx) => {
    const session = await lockSession(tx, actor.tenantId, sessionId);
    if (!canKeepRegister(actor, session)) throw new AppError('forbidden', 'Only the session\u2019s trainer or a coordinator keeps its register.', [], 'training.error.notTrainer');
    if (session.status === 'cancelled') throw new AppError('conflict', 'This session is cancelled.', [], 'training.error.cancelled');
    const booked = new Set(
      (
        await tx
          .select({ memberId: trainingBookings.memberId })
          .from(trainingBookings)
          .where(and(eq(trainingBookings.tenantId, actor.tenantId), eq(trainingBookings.sessionId, sessionId), eq(trainingBookings.status, 'booked')))
      ).map((r) => r.memberId),
    );
    const stranger = marks.find((m) => !booked.has(m.memberId));
    if (stranger) throw new AppError('validation_failed', 'Only people booked on the session can be marked.', [{ field: 'register', message: 'training.error.notBooked' }], 'training.error.notBooked');
    const sessionDate = isoDate(session.startsAt);
    let present = 0;
    for (const m of marks) {
      const [prev] = await tx
        .select({ present: trainingAttendance.present })
        .from(trainingAttendance)
        .where(and(eq(trainingAttendance.tenantId, actor.tenantId), eq(trainingAttendance.sessionId, sessionId), eq(trainingAttendance.memberId, m.memberId)));
      if (prev?.present === m.present) {
        if (m.present) present++;
        continue;
      }
      await tx
        .insert(trainingAttendance)
        .values({ tenantId: actor.tenantId, sessionId, memberId: m.memberId, courseId: session.courseId, sessionDate, present: m.present, markedBy: actor.memberId, isDemo: session.isDemo })
        .onConflictDoUpdate({ target: [trainingAttendance.tenantId, trainingAttendance.sessionId, trainingAttendance.memberId], set: { present: m.present, markedBy: actor.memberId, markedAt: new Date() } });
      if (m.present) {
        present++;
        await award(tx, { tenantId: actor.tenantId, memberId: m.memberId, courseId: session.courseId, sessionId, completedOn: sessionDate, actor: actor.memberId });
      }
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'training.register.save', entity: 'training_session', entityId: sessionId, data: { present, absent: marks.length - present } });
    return { present, absent: marks.length - present };
  });
}
