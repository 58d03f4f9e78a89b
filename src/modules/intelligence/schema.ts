import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants, wards } from '../tenancy/schema.ts';

/**
 * Street champions' intelligence (issue 10). Reports feed the needs picture; safeguarding concerns
 * live apart in their own table that nothing in intelligence reads (SECURITY.md 17–21): a child at
 * risk never becomes a data point. Both are filed with a client-made id (the phone's queue) that is
 * an idempotency key with ODK Central's semantics (same id + same content → the first answer; same
 * id, other content → 409).
 */

export const REPORT_STATUSES = ['new', 'reviewed', 'acted_on', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_SOURCES = ['seen', 'residents', 'other_data'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];
/** "Since when": a rough period, not a date (champions rarely know one). */
export const REPORT_SINCE = ['this_week', 'this_month', 'few_months', 'over_a_year', 'unknown'] as const;
export type ReportSince = (typeof REPORT_SINCE)[number];

/** Per-tenant settings: retention of free text, and the children's social care front door shown after a concern. */
export const intelSettings = pgTable('intel_settings', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  /** Months after which a report's free text is stripped (counts are kept). */
  textRetentionMonths: integer('text_retention_months').notNull().default(24),
  /** E.g. the council's children's social care front door; shown to a champion who raised a concern. */
  frontDoorPhone: text('front_door_phone').notNull().default(''),
  frontDoorName: text('front_door_name').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The taxonomy: seeded per tenant, editable by coordinators. */
export const intelCategories = pgTable('intel_categories', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  key: text('key').notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  description: text('description').notNull().default(''),
  descriptionPl: text('description_pl'),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('intel_categories_key').on(t.tenantId, t.key)]);

export const intelReports = pgTable('intel_reports', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  /** The id the phone made (idempotency key, unique per tenant). */
  clientId: text('client_id').notNull(),
  /** SHA-256 of the canonical submitted content: same id + same hash = a retry. */
  contentHash: text('content_hash').notNull(),
  /** The champion who filed it; null once they are erased (the report stays, counted). */
  reporterId: uuid('reporter_id'),
  categoryId: uuid('category_id').notNull(),
  wardId: uuid('ward_id').notNull(),
  /** When it was observed (a date, not a time: enough for the picture, less to identify). */
  observedOn: date('observed_on', { mode: 'string' }).notNull(),
  /** What was observed; null once stripped by retention (text_stripped_at). */
  observedText: text('observed_text'),
  /** Roughly how many families are affected (0 = unknown). */
  familiesEstimate: integer('families_estimate').notNull().default(0),
  since: text('since').$type<ReportSince>().notNull().default('unknown'),
  source: text('source').$type<ReportSource>().notNull(),
  /** Optional point rounded to about 100 m (src/lib/geo.ts#roundToAbout100m), never the exact position. */
  pointLon: real('point_lon'),
  pointLat: real('point_lat'),
  status: text('status').$type<ReportStatus>().notNull().default('new'),
  /** Set when a coordinator merged this report into another (a duplicate): counted once, as the survivor. */
  mergedInto: uuid('merged_into'),
  isDemo: boolean('is_demo').notNull().default(false),
  /** When the server received it (the queue may deliver days later). */
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  textStrippedAt: timestamp('text_stripped_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('intel_reports_client_id').on(t.tenantId, t.clientId),
  foreignKey({ columns: [t.tenantId, t.categoryId], foreignColumns: [intelCategories.tenantId, intelCategories.id] }),
  foreignKey({ columns: [t.tenantId, t.wardId], foreignColumns: [wards.tenantId, wards.id] }),
  foreignKey({ columns: [t.tenantId, t.reporterId], foreignColumns: [members.tenantId, members.id] }),
  // The needs picture: per tenant, by month of observation, ward and category.
  index('intel_reports_picture').on(t.tenantId, t.observedOn, t.wardId, t.categoryId),
  // The needs picture's aggregate query (needs.ts#needsRows) from the index alone: counted rows only.
  index('intel_reports_needs').on(t.tenantId, t.observedOn, t.wardId, t.categoryId, t.familiesEstimate, t.isDemo).where(sql`${t.mergedInto} is null`),
  index('intel_reports_inbox').on(t.tenantId, t.status, t.receivedAt),
  check('intel_reports_status', sql`${t.status} in ('new', 'reviewed', 'acted_on', 'closed')`),
  check('intel_reports_source', sql`${t.source} in ('seen', 'residents', 'other_data')`),
  check('intel_reports_since', sql`${t.since} in ('this_week', 'this_month', 'few_months', 'over_a_year', 'unknown')`),
  check('intel_reports_families', sql`${t.familiesEstimate} >= 0 and ${t.familiesEstimate} <= 10000`),
]);

/** Coordinators' triage notes on a report. */
export const intelReportNotes = pgTable('intel_report_notes', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  reportId: uuid('report_id').notNull(),
  authorId: uuid('author_id'),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  foreignKey({ columns: [t.tenantId, t.reportId], foreignColumns: [intelReports.tenantId, intelReports.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.authorId], foreignColumns: [members.tenantId, members.id] }),
]);

/**
 * Where a report led, generic so that later modules can point here: kind 'action' (free text and a
 * link now), 'campaign', 'proposal' (targetId = the other module's record id; no foreign key).
 */
export const intelReportLinks = pgTable('intel_report_links', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  reportId: uuid('report_id').notNull(),
  kind: text('kind').notNull(),
  targetId: text('target_id'),
  label: text('label').notNull(),
  url: text('url'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('intel_report_links_report').on(t.tenantId, t.reportId),
  index('intel_report_links_target').on(t.tenantId, t.kind, t.targetId),
  foreignKey({ columns: [t.tenantId, t.reportId], foreignColumns: [intelReports.tenantId, intelReports.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [members.tenantId, members.id] }),
]);

/** What each champion's phone last told us: when it synced and how many items it still had waiting. */
export const intelSyncStatus = pgTable('intel_sync_status', {
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true }).notNull(),
  waitingCount: integer('waiting_count').notNull().default(0),
  refusedCount: integer('refused_count').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.memberId] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

export const CONCERN_STATUSES = ['open', 'handled'] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

/**
 * A child may be at risk: restricted to safeguarding leads (every opening audited), never in the
 * needs picture, maps, exports or counts. Kept apart from intel_reports with no key between them.
 */
export const safeguardingConcerns = pgTable('safeguarding_concerns', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  clientId: text('client_id').notNull(),
  contentHash: text('content_hash').notNull(),
  reporterId: uuid('reporter_id'),
  wardId: uuid('ward_id'),
  /** What the champion saw or was told, as they wrote it. */
  observedText: text('observed_text').notNull(),
  status: text('status').$type<ConcernStatus>().notNull().default('open'),
  handledBy: uuid('handled_by'),
  handledAt: timestamp('handled_at', { withTimezone: true }),
  handlingNote: text('handling_note'),
  isDemo: boolean('is_demo').notNull().default(false),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('safeguarding_concerns_client_id').on(t.tenantId, t.clientId),
  foreignKey({ columns: [t.tenantId, t.reporterId], foreignColumns: [members.tenantId, members.id] }),
  foreignKey({ columns: [t.tenantId, t.wardId], foreignColumns: [wards.tenantId, wards.id] }),
  check('safeguarding_concerns_status', sql`${t.status} in ('open', 'handled')`),
]);

export type IntelReport = typeof intelReports.$inferSelect;
export type IntelCategory = typeof intelCategories.$inferSelect;
export type SafeguardingConcern = typeof safeguardingConcerns.$inferSelect;
