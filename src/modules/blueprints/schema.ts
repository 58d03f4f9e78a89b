import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { resServices } from '../resources/schema.ts';
import { tenants } from '../tenancy/schema.ts';

/**
 * Service blueprints (issue 11): how a family lives a service, stage by stage (columns) and lane by
 * lane (rows). A blueprint is a small document: its stages, lanes, cells and marks are kept as one
 * JSON value (`content`, see `model.ts`) with a version number; every saved change writes the next
 * version's snapshot to `bp_versions` in the same transaction, and an edit based on an older version
 * is refused (nothing lost). Comments point at a cell by the stage's and lane's ids.
 */

export const BLUEPRINT_KINDS = ['current', 'future'] as const;
export type BlueprintKind = (typeof BLUEPRINT_KINDS)[number];
export const MARK_KINDS = ['pain', 'idea'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

export interface BpStage {
  id: string;
  title: string;
}
export interface BpLane {
  id: string;
  /** The standard lane's key (renamed or not), or null for a lane an editor added. */
  key: string | null;
  title: string;
}
export interface BpMark {
  id: string;
  kind: MarkKind;
  note: string;
}
export interface BpCell {
  stageId: string;
  laneId: string;
  text: string;
  marks: BpMark[];
}
/** A blueprint's whole content (stages and lanes in display order; cells only where there is text or a mark). */
export interface BpContent {
  stages: BpStage[];
  lanes: BpLane[];
  cells: BpCell[];
}

export const bpBlueprints = pgTable('bp_blueprints', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  /** The audit's service (resources). */
  serviceId: uuid('service_id').notNull(),
  kind: text('kind').$type<BlueprintKind>().notNull(),
  title: text('title').notNull(),
  /** A future blueprint's current one (same service), for the side-by-side comparison. */
  pairsWith: uuid('pairs_with'),
  content: jsonb('content').$type<BpContent>().notNull(),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('bp_blueprints_service').on(t.tenantId, t.serviceId),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.pairsWith], foreignColumns: [t.tenantId, t.id] }).onDelete('set null'),
  foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('bp_blueprints_kind', sql`${t.kind} in ('current', 'future')`),
  check('bp_blueprints_version', sql`${t.version} >= 1`),
]);

/** Every saved version of a blueprint: the snapshot, who and when. */
export const bpVersions = pgTable('bp_versions', {
  tenantId: uuid('tenant_id').notNull(),
  blueprintId: uuid('blueprint_id').notNull(),
  version: integer('version').notNull(),
  title: text('title').notNull(),
  content: jsonb('content').$type<BpContent>().notNull(),
  /** What changed, as a short code (e.g. "stage.add", "cell.edit"). */
  change: text('change').notNull(),
  authorId: uuid('author_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.blueprintId, t.version] }),
  foreignKey({ columns: [t.tenantId, t.blueprintId], foreignColumns: [bpBlueprints.tenantId, bpBlueprints.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.authorId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  index('bp_versions_author').on(t.tenantId, t.authorId),
]);

/** A member's comment on one cell ("the stage that went wrong for my family"). */
export const bpComments = pgTable('bp_comments', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  blueprintId: uuid('blueprint_id').notNull(),
  stageId: text('stage_id').notNull(),
  laneId: text('lane_id').notNull(),
  memberId: uuid('member_id').notNull(),
  body: text('body').notNull(),
  hiddenAt: timestamp('hidden_at', { withTimezone: true }),
  hiddenBy: uuid('hidden_by'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('bp_comments_cell').on(t.tenantId, t.blueprintId, t.stageId, t.laneId),
  index('bp_comments_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.blueprintId], foreignColumns: [bpBlueprints.tenantId, bpBlueprints.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.hiddenBy], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('bp_comments_body', sql`length(${t.body}) between 1 and 2000`),
]);

export type Blueprint = typeof bpBlueprints.$inferSelect;
export type BpVersion = typeof bpVersions.$inferSelect;
export type BpComment = typeof bpComments.$inferSelect;
