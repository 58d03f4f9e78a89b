import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants } from '../tenancy/schema.ts';

export const SESSION_STATUSES = ['scheduled', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const BOOKING_STATUSES = ['booked', 'waitlisted'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** The tenant's course catalogue; `key` is stable (seeded or chosen once) and is how other modules name a course. */
export const trainingCourses = pgTable(
  'training_courses',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    key: text('key').notNull(),
    title: text('title').notNull(),
    titlePl: text('title_pl'),
    description: text('description').notNull().default(''),
    descriptionPl: text('description_pl'),
    durationMinutes: integer('duration_minutes').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('training_courses_key').on(t.tenantId, t.key),
    check('training_courses_duration', sql`${t.durationMinutes} between 1 and 10080`),
  ],
);

/** A dated session of a course. `sequence` counts changes, for the iCalendar feed (RFC 5545 SEQUENCE). */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    courseId: uuid('course_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    venue: text('venue').notNull(),
    /** A ward of the tenant (optional; no foreign key so ward-set changes never block on it). */
    wardId: uuid('ward_id'),
    /** The member who runs the session (optional); cleared on their erasure. */
    trainerId: uuid('trainer_id'),
    capacity: integer('capacity').notNull(),
    status: text('status').$type<SessionStatus>().notNull().default('scheduled'),
    sequence: integer('sequence').notNull().default(0),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [trainingCourses.tenantId, trainingCourses.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.trainerId], foreignColumns: [members.tenantId, members.id] }),
    index('training_sessions_starts').on(t.tenantId, t.startsAt),
    index('training_sessions_trainer').on(t.tenantId, t.trainerId),
    check('training_sessions_capacity', sql`${t.capacity} between 1 and 500`),
    check('training_sessions_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('training_sessions_status', sql`${t.status} in ('scheduled', 'cancelled')`),
  ],
);

/**
 * A member's place on a session: booked, or on the waiting list (position = order of `queued_at`).
 * A cancelled booking is deleted (the audit log keeps that it happened). One row per member and session.
 */
export const trainingBookings = pgTable(
  'training_bookings',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    sessionId: uuid('session_id').notNull(),
    memberId: uuid('member_id').notNull(),
    status: text('status').$type<BookingStatus>().notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('training_bookings_member').on(t.tenantId, t.sessionId, t.memberId),
    index('training_bookings_of_member').on(t.tenantId, t.memberId),
    foreignKey({ columns: [t.tenantId, t.sessionId], foreignColumns: [trainingSessions.tenantId, trainingSessions.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
    check('training_bookings_status', sql`${t.status} in ('booked', 'waitlisted')`),
  ],
);

/**
 * The register: present or absent, per booked member and session. `session_date` (Europe/London) and
 * `course_id` are copied from the session so the quarterly counts read this table alone (an
 * index-only scan of training_attendance_quarter).
 */
export const trainingAttendance = pgTable(
  'training_attendance',
  {
    tenantId: uuid('tenant_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    memberId: uuid('member_id').notNull(),
    courseId: uuid('course_id').notNull(),
    sessionDate: date('session_date', { mode: 'string' }).notNull(),
    present: boolean('present').notNull(),
    markedBy: text('marked_by').notNull(),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sessionId, t.memberId] }),
    index('training_attendance_quarter').on(t.tenantId, t.sessionDate, t.memberId, t.sessionId).where(sql`${t.present}`),
    index('training_attendance_member').on(t.tenantId, t.memberId),
    foreignKey({ columns: [t.tenantId, t.sessionId], foreignColumns: [trainingSessions.tenantId, trainingSessions.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  ],
);

export type Course = typeof trainingCourses.$inferSelect;
export type TrainingSession = typeof trainingSessions.$inferSelect;
export type Booking = typeof trainingBookings.$inferSelect;
