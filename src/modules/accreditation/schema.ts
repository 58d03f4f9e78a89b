import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants } from '../tenancy/schema.ts';

export const COURSE_RELATIONS = ['grants', 'requires', 'renews'] as const;
export type CourseRelation = (typeof COURSE_RELATIONS)[number];

/**
 * Kinds of qualification a tenant recognises (hitobito's qualification kinds): how long an award
 * stays valid (`validity_months`, null = never expires) and whether a renewal course still renews it
 * within `reactivation_months` after it lapsed.
 */
export const qualificationKinds = pgTable(
  'qualification_kinds',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    key: text('key').notNull(),
    title: text('title').notNull(),
    titlePl: text('title_pl'),
    description: text('description').notNull().default(''),
    descriptionPl: text('description_pl'),
    validityMonths: integer('validity_months'),
    reactivatable: boolean('reactivatable').notNull().default(false),
    reactivationMonths: integer('reactivation_months'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('qualification_kinds_key').on(t.tenantId, t.key),
    check('qualification_kinds_validity', sql`${t.validityMonths} IS NULL OR ${t.validityMonths} BETWEEN 1 AND 600`),
    check('qualification_kinds_reactivation', sql`${t.reactivationMonths} IS NULL OR ${t.reactivationMonths} BETWEEN 0 AND 600`),
  ],
);

/** Which courses (by training's stable course key, no foreign key: built in parallel) grant, require or renew a kind. */
export const qualificationKindCourses = pgTable(
  'qualification_kind_courses',
  {
    tenantId: uuid('tenant_id').notNull(),
    kindId: uuid('kind_id').notNull(),
    courseKey: text('course_key').notNull(),
    relation: text('relation').$type<CourseRelation>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.kindId, t.courseKey, t.relation] }),
    foreignKey({ columns: [t.tenantId, t.kindId], foreignColumns: [qualificationKinds.tenantId, qualificationKinds.id] }).onDelete('cascade'),
    index('qualification_kind_courses_course').on(t.tenantId, t.courseKey),
    check('qualification_kind_courses_relation', sql`${t.relation} in ('grants', 'requires', 'renews')`),
  ],
);

/**
 * Awards of a kind to a member. A renewal is a new row pointing at the award it renews
 * (`renewal_of`): history is kept. `code` is the public verification code (random, never the id).
 */
export const qualifications = pgTable(
  'qualifications',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    kindId: uuid('kind_id').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    /** Last day it is valid; null: never expires. */
    expiresOn: date('expires_on', { mode: 'string' }),
    source: text('source').$type<'course' | 'manual'>().notNull(),
    courseKey: text('course_key'),
    sessionId: text('session_id'),
    reason: text('reason'),
    renewalOf: uuid('renewal_of'),
    code: text('code').notNull(),
    awardedBy: text('awarded_by').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
    /** When the expiry notice was queued (one per award). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.kindId], foreignColumns: [qualificationKinds.tenantId, qualificationKinds.id] }).onDelete('cascade'),
    uniqueIndex('qualifications_code').on(t.tenantId, t.code),
    uniqueIndex('qualifications_course_session').on(t.tenantId, t.memberId, t.kindId, t.courseKey, t.sessionId).where(sql`${t.sessionId} IS NOT NULL`),
    index('qualifications_member').on(t.tenantId, t.memberId, t.kindId),
    index('qualifications_expiry').on(t.tenantId, t.expiresOn).where(sql`${t.revokedAt} IS NULL`),
    check('qualifications_source', sql`${t.source} in ('course', 'manual')`),
  ],
);

export type QualificationKind = typeof qualificationKinds.$inferSelect;
export type Qualification = typeof qualifications.$inferSelect;
