import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants } from '../tenancy/schema.ts';

/** What volunteers log hours against (per tenant, editable by coordinators; seeded by key). */
export const volunteeringActivities = pgTable(
  'volunteering_activities',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    /** The seed's stable key ("group_session"); null for an activity a coordinator added. */
    key: text('key'),
    titleEn: text('title_en').notNull(),
    titlePl: text('title_pl').notNull(),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(100),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('volunteering_activities_key').on(t.tenantId, t.key)],
);

export const HOUR_STATUSES = ['submitted', 'approved', 'queried'] as const;
export type HourStatus = (typeof HOUR_STATUSES)[number];

/** One entry of a volunteer's own hours: submitted → approved | queried (→ edited and resubmitted). */
export const volunteerHours = pgTable(
  'volunteer_hours',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    activityId: uuid('activity_id').notNull(),
    workedOn: date('worked_on', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    note: text('note').notNull().default(''),
    status: text('status').$type<HourStatus>().notNull().default('submitted'),
    /** The coordinator's question when queried ('' otherwise). */
    question: text('question').notNull().default(''),
    /** The form token / Idempotency-Key of the submission: a double submit finds the first entry. */
    clientKey: text('client_key').notNull(),
    /** Member id of the coordinator who approved or queried it (text: an actor, like the audit log). */
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.activityId], foreignColumns: [volunteeringActivities.tenantId, volunteeringActivities.id] }),
    uniqueIndex('volunteer_hours_client_key').on(t.tenantId, t.memberId, t.clientKey),
    index('volunteer_hours_member_day').on(t.tenantId, t.memberId, t.workedOn),
    index('volunteer_hours_status').on(t.tenantId, t.status),
    // Approved minutes per member (views.ts, the ladder over every volunteer): an index-only scan.
    index('volunteer_hours_approved').on(t.tenantId, t.memberId, t.minutes, t.workedOn).where(sql`${t.status} = 'approved'`),
    check('volunteer_hours_minutes', sql`${t.minutes} > 0 AND ${t.minutes} <= 960`),
    check('volunteer_hours_status_check', sql`${t.status} in ('submitted', 'approved', 'queried')`),
  ],
);

export const DBS_LEVELS = ['basic', 'standard', 'enhanced', 'enhanced_barred'] as const;
export type DbsLevel = (typeof DBS_LEVELS)[number];
export const DBS_OUTCOMES = ['clear', 'not_clear'] as const;
export type DbsOutcome = (typeof DBS_OUTCOMES)[number];
export const DBS_DECISIONS = ['appointed', 'not_appointed'] as const;
export type DbsDecision = (typeof DBS_DECISIONS)[number];

/**
 * A DBS check as SECURITY.md 14 allows: date, certificate number, level, outcome, Update Service,
 * renewal date, the recruitment decision. Never the certificate's contents or a copy; the only text
 * is a short reference (≤ 40 characters). Once the decision is six months old the retention job
 * blanks everything but the member, certificate number, reference, decision and renewal date.
 */
export const dbsChecks = pgTable(
  'dbs_checks',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    checkedOn: date('checked_on', { mode: 'string' }),
    certificateNumber: text('certificate_number').notNull(),
    level: text('level').$type<DbsLevel>(),
    outcome: text('outcome').$type<DbsOutcome>(),
    updateService: boolean('update_service'),
    renewalOn: date('renewal_on', { mode: 'string' }),
    decisionOn: date('decision_on', { mode: 'string' }),
    decision: text('decision').$type<DbsDecision>(),
    reference: text('reference').notNull().default(''),
    /** When the retention job reduced the record (null: full record). */
    reducedAt: timestamp('reduced_at', { withTimezone: true }),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
    index('dbs_checks_member').on(t.tenantId, t.memberId),
    index('dbs_checks_renewal').on(t.tenantId, t.renewalOn),
    check('dbs_checks_reference', sql`length(${t.reference}) <= 40`),
    check('dbs_checks_certificate', sql`length(${t.certificateNumber}) <= 20`),
  ],
);

export type ActivityRow = typeof volunteeringActivities.$inferSelect;
export type HoursRow = typeof volunteerHours.$inferSelect;
export type DbsRow = typeof dbsChecks.$inferSelect;
