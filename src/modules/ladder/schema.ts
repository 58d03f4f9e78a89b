import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants } from '../tenancy/schema.ts';
import type { Missing } from './eligibility.ts';

/**
 * The ladder of participation (issue 9): a tenant's ordered levels with their requirements, the
 * levels members have held (history), their step-up requests, coordinators' sign-offs, and the
 * eligibility snapshot the dashboard reads. Courses and qualification kinds of the training and
 * accreditation modules are referenced by their stable `key` text, without foreign keys.
 */
export const ladderLevels = pgTable('ladder_levels', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  /** 1, 2, 3 … (the order of the ladder; unique per tenant). */
  number: integer('number').notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl').notNull().default(''),
  description: text('description').notNull().default(''),
  descriptionPl: text('description_pl').notNull().default(''),
  /** Approved volunteering minutes needed (all time). */
  minutesRequired: integer('minutes_required').notNull().default(0),
  dbsRequired: boolean('dbs_required').notNull().default(false),
  signOffRequired: boolean('sign_off_required').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('ladder_levels_number').on(t.tenantId, t.number)]);

export const REQUIREMENT_KINDS = ['course', 'qualification'] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

/** One requirement of a level: a course completed or a qualification held in date, from `anyOf` (one key = that one). */
export const ladderRequirements = pgTable('ladder_requirements', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  levelId: uuid('level_id').notNull(),
  kind: text('kind').$type<RequirementKind>().notNull(),
  anyOf: text('any_of').array().notNull(),
  position: integer('position').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('ladder_requirements_level').on(t.tenantId, t.levelId),
  foreignKey({ columns: [t.tenantId, t.levelId], foreignColumns: [ladderLevels.tenantId, ladderLevels.id] }).onDelete('cascade'),
]);

/** Training a role needs (role → course keys / qualification kinds held in date), e.g. street_champion. */
export const ladderRoleRequirements = pgTable('ladder_role_requirements', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  role: text('role').notNull(),
  kind: text('kind').$type<RequirementKind>().notNull(),
  key: text('key').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.role, t.kind, t.key] })]);

/** The levels a member has held: one open row (to_date null) at most; closed when they step up. */
export const ladderMemberLevels = pgTable('ladder_member_levels', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  memberId: uuid('member_id').notNull(),
  levelId: uuid('level_id').notNull(),
  fromDate: date('from_date').notNull(),
  toDate: date('to_date'),
  /** A member id or a system actor ("system:demo"). */
  approvedBy: text('approved_by').notNull(),
  requestId: uuid('request_id'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('ladder_member_levels_open').on(t.tenantId, t.memberId).where(sql`${t.toDate} IS NULL`),
  index('ladder_member_levels_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.levelId], foreignColumns: [ladderLevels.tenantId, ladderLevels.id] }),
]);

export const STEP_UP_STATUSES = ['pending', 'approved', 'declined'] as const;
export type StepUpStatus = (typeof STEP_UP_STATUSES)[number];

export const ladderStepUpRequests = pgTable('ladder_step_up_requests', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  memberId: uuid('member_id').notNull(),
  fromLevelId: uuid('from_level_id'),
  toLevelId: uuid('to_level_id').notNull(),
  status: text('status').$type<StepUpStatus>().notNull().default('pending'),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decidedBy: text('decided_by'),
  reason: text('reason').notNull().default(''),
  isDemo: boolean('is_demo').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('ladder_step_up_pending').on(t.tenantId, t.memberId).where(sql`${t.status} = 'pending'`),
  index('ladder_step_up_status').on(t.tenantId, t.status, t.requestedAt),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.toLevelId], foreignColumns: [ladderLevels.tenantId, ladderLevels.id] }),
]);

/** A coordinator's sign-off of a member for a level (a requirement where the level asks for one). */
export const ladderSignOffs = pgTable('ladder_sign_offs', {
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  levelId: uuid('level_id').notNull(),
  signedBy: text('signed_by').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.memberId, t.levelId] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.levelId], foreignColumns: [ladderLevels.tenantId, ladderLevels.id] }).onDelete('cascade'),
]);

/** Eligibility of every active volunteer, computed in bulk (recomputeEligibility); the dashboard reads it. */
export const ladderEligibility = pgTable('ladder_eligibility', {
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  wardId: uuid('ward_id'),
  currentLevelId: uuid('current_level_id'),
  nextLevelId: uuid('next_level_id'),
  /** The next level's requirements are all met. */
  eligible: boolean('eligible').notNull(),
  missing: jsonb('missing').$type<Missing[]>().notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.memberId] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

export type LadderLevel = typeof ladderLevels.$inferSelect;
export type LadderRequirement = typeof ladderRequirements.$inferSelect;
export type StepUpRequest = typeof ladderStepUpRequests.$inferSelect;
export type MemberLevel = typeof ladderMemberLevels.$inferSelect;
