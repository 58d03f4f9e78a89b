import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants, wards } from '../tenancy/schema.ts';

/**
 * The resource audit (issue 11): who provides what early-years service, what it costs, whom it
 * reaches. Providers' own references (`ref`) are the import identity, so re-importing a file
 * changes nothing. Reach is either aggregate (res_reach, per service × period × ward) or
 * pseudonymous contacts (res_family_contacts: a keyed hash the provider makes on their side, never
 * a name), from which distinct and newly engaging families (METRICS.md M2, M3) are counted.
 */

export const PROVIDER_KINDS = ['childrens_centre', 'home_start', 'health', 'school', 'community_safety', 'voluntary', 'council', 'other'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const SERVICE_TIERS = ['universal', 'targeted', 'specialist', 'acute'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];
/** Early intervention = universal + targeted; acute = specialist + acute (the split the audit answers). */
export const EARLY_TIERS: readonly ServiceTier[] = ['universal', 'targeted'];
export const EVIDENCE_LEVELS = ['none', 'some', 'good', 'strong'] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];
export const SERVICE_STATUSES = ['active', 'planned', 'decommissioned'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];
export const COST_KINDS = ['staff', 'venue', 'materials', 'overheads', 'other'] as const;
export type CostKind = (typeof COST_KINDS)[number];
export const SCHEDULE_FREQUENCIES = ['weekly', 'fortnightly', 'monthly', 'termly', 'on_demand'] as const;
export type ScheduleFrequency = (typeof SCHEDULE_FREQUENCIES)[number];

/**
 * Per-tenant settings: the family-key secret (providers hash their family references with it on
 * their own side; rotating it starts a new key version, old contacts stay countable within their
 * version) and the editable thresholds of the marginal-impact answer.
 */
export const resSettings = pgTable('res_settings', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  /** 32 random bytes, base64url. Shown to coordinators and partners to hash with, never logged. */
  familyKeySecret: text('family_key_secret').notNull(),
  familyKeyVersion: integer('family_key_version').notNull().default(1),
  /** Marginal impact: families reached per £1,000 spent below this … */
  marginalFamiliesPer1000: real('marginal_families_per_1000').notNull().default(2),
  /** … and evidence at or below this level. */
  marginalEvidenceAtMost: text('marginal_evidence_at_most').$type<EvidenceLevel>().notNull().default('some'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('res_settings_evidence', sql`${t.marginalEvidenceAtMost} in ('none', 'some', 'good', 'strong')`),
  check('res_settings_threshold', sql`${t.marginalFamiliesPer1000} >= 0`),
]);

/** The service taxonomy, per tenant (seeded, editable). `key` is what imports name. */
export const resCategories = pgTable('res_categories', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  key: text('key').notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  /** Open Referral UK taxonomy term id, when the category maps to one. */
  orukTermId: text('oruk_term_id'),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('res_categories_key').on(t.tenantId, t.key)]);

/** An organisation that provides services (children's centre, Home-Start, health visiting…). */
export const resProviders = pgTable('res_providers', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  /** The provider's reference, unique per tenant: the identity imports match on. */
  ref: text('ref').notNull(),
  name: text('name').notNull(),
  kind: text('kind').$type<ProviderKind>().notNull(),
  description: text('description').notNull().default(''),
  website: text('website'),
  /** The organisation's public contact (not a person's). */
  email: text('email'),
  phone: text('phone'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('res_providers_ref').on(t.tenantId, t.ref),
  check('res_providers_kind', sql`${t.kind} in ('childrens_centre', 'home_start', 'health', 'school', 'community_safety', 'voluntary', 'council', 'other')`),
]);

/** Which partner (provider staff) members may edit which provider's services, spend and reach (issue 11, item 7). */
export const resProviderStaff = pgTable('res_provider_staff', {
  tenantId: uuid('tenant_id').notNull(),
  providerId: uuid('provider_id').notNull(),
  memberId: uuid('member_id').notNull(),
  addedBy: uuid('added_by'),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.providerId, t.memberId] }),
  index('res_provider_staff_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.providerId], foreignColumns: [resProviders.tenantId, resProviders.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

export const resServices = pgTable('res_services', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  providerId: uuid('provider_id').notNull(),
  /** The provider's reference for the service, unique per provider: the identity imports match on. */
  ref: text('ref').notNull(),
  name: text('name').notNull(),
  namePl: text('name_pl'),
  description: text('description').notNull().default(''),
  descriptionPl: text('description_pl'),
  categoryId: uuid('category_id').notNull(),
  tier: text('tier').$type<ServiceTier>().notNull(),
  /** Who it is for, in words (e.g. "parents of under-2s", "young parents"). */
  targetGroup: text('target_group').notNull().default(''),
  venueName: text('venue_name').notNull().default(''),
  venueAddress: text('venue_address').notNull().default(''),
  venuePostcode: text('venue_postcode'),
  /** Places per session (0 = not stated). */
  capacity: integer('capacity').notNull().default(0),
  evidence: text('evidence').$type<EvidenceLevel>().notNull().default('none'),
  evidenceSource: text('evidence_source').notNull().default(''),
  status: text('status').$type<ServiceStatus>().notNull().default('active'),
  /** Public contact for the service, when it differs from the provider's. */
  email: text('email'),
  phone: text('phone'),
  url: text('url'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('res_services_ref').on(t.tenantId, t.providerId, t.ref),
  index('res_services_category').on(t.tenantId, t.categoryId),
  foreignKey({ columns: [t.tenantId, t.providerId], foreignColumns: [resProviders.tenantId, resProviders.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.categoryId], foreignColumns: [resCategories.tenantId, resCategories.id] }),
  check('res_services_tier', sql`${t.tier} in ('universal', 'targeted', 'specialist', 'acute')`),
  check('res_services_evidence', sql`${t.evidence} in ('none', 'some', 'good', 'strong')`),
  check('res_services_status', sql`${t.status} in ('active', 'planned', 'decommissioned')`),
  check('res_services_capacity', sql`${t.capacity} >= 0`),
]);

/** Wards a service serves. */
export const resServiceWards = pgTable('res_service_wards', {
  tenantId: uuid('tenant_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  wardId: uuid('ward_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.serviceId, t.wardId] }),
  index('res_service_wards_ward').on(t.tenantId, t.wardId),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.wardId], foreignColumns: [wards.tenantId, wards.id] }),
]);

/** When a service runs: a weekday and London wall-clock times (for the duplication answer and ORUK schedule). */
export const resServiceSchedules = pgTable('res_service_schedules', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  serviceId: uuid('service_id').notNull(),
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weekday: integer('weekday').notNull(),
  /** 'HH:MM', Europe/London. */
  opensAt: text('opens_at').notNull(),
  closesAt: text('closes_at').notNull(),
  frequency: text('frequency').$type<ScheduleFrequency>().notNull().default('weekly'),
  /** Term time only (school holidays off). */
  termTimeOnly: boolean('term_time_only').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('res_service_schedules_service').on(t.tenantId, t.serviceId),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  check('res_service_schedules_weekday', sql`${t.weekday} between 1 and 7`),
  check('res_service_schedules_times', sql`${t.opensAt} ~ '^[0-2][0-9]:[0-5][0-9]$' and ${t.closesAt} ~ '^[0-2][0-9]:[0-5][0-9]$' and ${t.opensAt} < ${t.closesAt}`),
  check('res_service_schedules_frequency', sql`${t.frequency} in ('weekly', 'fortnightly', 'monthly', 'termly', 'on_demand')`),
]);

/** A cost line: a service's spend of one kind, from one funding source, in one period (pence). */
export const resSpend = pgTable('res_spend', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  serviceId: uuid('service_id').notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  kind: text('kind').$type<CostKind>().notNull(),
  amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
  /** E.g. "Council early-years grant", "Lottery". '' when not stated. */
  fundingSource: text('funding_source').notNull().default(''),
  isDemo: boolean('is_demo').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  // The import identity: the same line imported twice is the same row.
  uniqueIndex('res_spend_line').on(t.tenantId, t.serviceId, t.periodStart, t.periodEnd, t.kind, t.fundingSource),
  index('res_spend_period').on(t.tenantId, t.periodStart, t.periodEnd),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  check('res_spend_kind', sql`${t.kind} in ('staff', 'venue', 'materials', 'overheads', 'other')`),
  check('res_spend_amount', sql`${t.amountPence} >= 0`),
  check('res_spend_period_order', sql`${t.periodEnd} >= ${t.periodStart}`),
]);

/** Sessions a service delivered in a period (not per ward: a session is one event). */
export const resDelivery = pgTable('res_delivery', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  serviceId: uuid('service_id').notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  sessions: integer('sessions').notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('res_delivery_period').on(t.tenantId, t.serviceId, t.periodStart, t.periodEnd),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  check('res_delivery_sessions', sql`${t.sessions} >= 0`),
  check('res_delivery_period_order', sql`${t.periodEnd} >= ${t.periodStart}`),
]);

/** Aggregate reach: attendances and distinct families from one ward, for a service and period. */
export const resReach = pgTable('res_reach', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  serviceId: uuid('service_id').notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  wardId: uuid('ward_id').notNull(),
  attendances: integer('attendances').notNull(),
  families: integer('families').notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('res_reach_line').on(t.tenantId, t.serviceId, t.periodStart, t.periodEnd, t.wardId),
  // The answers aggregate by period and ward across every service.
  index('res_reach_period').on(t.tenantId, t.periodStart, t.periodEnd, t.wardId, t.serviceId, t.attendances, t.families),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.wardId], foreignColumns: [wards.tenantId, wards.id] }),
  check('res_reach_counts', sql`${t.attendances} >= 0 and ${t.families} >= 0 and ${t.families} <= ${t.attendances}`),
  check('res_reach_period_order', sql`${t.periodEnd} >= ${t.periodStart}`),
]);

/**
 * Pseudonymous contacts: one row per family key × service × day of contact. The key is
 * HMAC-SHA256(secret of `keyVersion`, normalised family reference), made on the provider's side;
 * it cannot be reversed here and names never arrive. M2 counts distinct keys, M3 keys with no
 * contact in the 12 months before, "sustained" keys with 3+ contacts in 12 weeks.
 */
export const resFamilyContacts = pgTable('res_family_contacts', {
  tenantId: uuid('tenant_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  /** 64 lowercase hex characters. */
  familyKey: text('family_key').notNull(),
  keyVersion: integer('key_version').notNull().default(1),
  contactOn: date('contact_on', { mode: 'string' }).notNull(),
  /** The family's ward, when the provider gives it. */
  wardId: uuid('ward_id'),
  isDemo: boolean('is_demo').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.serviceId, t.familyKey, t.contactOn] }),
  index('res_family_contacts_key').on(t.tenantId, t.keyVersion, t.familyKey, t.contactOn),
  index('res_family_contacts_day').on(t.tenantId, t.contactOn),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.wardId], foreignColumns: [wards.tenantId, wards.id] }),
  check('res_family_contacts_key_shape', sql`${t.familyKey} ~ '^[0-9a-f]{64}$'`),
]);

/** One import (services, spend, reach or contacts): who, when, what file (its hash), what changed. */
export const resImports = pgTable('res_imports', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  kind: text('kind').notNull(),
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256').notNull(),
  rowsRead: integer('rows_read').notNull(),
  rowsAdded: integer('rows_added').notNull(),
  rowsChanged: integer('rows_changed').notNull(),
  rowsUnchanged: integer('rows_unchanged').notNull(),
  importedBy: uuid('imported_by'),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  foreignKey({ columns: [t.tenantId, t.importedBy], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('res_imports_kind', sql`${t.kind} in ('services', 'spend', 'reach', 'contacts', 'openreferral')`),
]);

/** A named what-if: shrink or decommission some services, reinvest in others; compared side by side. */
export const resScenarios = pgTable('res_scenarios', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** The period the scenario is projected over (its baseline spend and reach). */
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  createdBy: uuid('created_by'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('res_scenarios_name').on(t.tenantId, t.name),
  foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('res_scenarios_period_order', sql`${t.periodEnd} >= ${t.periodStart}`),
]);

/**
 * One change in a scenario: a service's spend scaled by `changePercent` (−100 = decommission,
 * −30 = shrink, +50 = grow; families projected at the service's own cost per family), or money
 * `addPence` put into a service (e.g. a planned one) at `familiesPer1000` when it has no reach yet.
 */
export const resScenarioChanges = pgTable('res_scenario_changes', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  scenarioId: uuid('scenario_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  changePercent: integer('change_percent').notNull().default(0),
  addPence: bigint('add_pence', { mode: 'number' }).notNull().default(0),
  familiesPer1000: real('families_per_1000'),
  note: text('note').notNull().default(''),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('res_scenario_changes_service').on(t.tenantId, t.scenarioId, t.serviceId),
  foreignKey({ columns: [t.tenantId, t.scenarioId], foreignColumns: [resScenarios.tenantId, resScenarios.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [resServices.tenantId, resServices.id] }).onDelete('cascade'),
  check('res_scenario_changes_percent', sql`${t.changePercent} >= -100 and ${t.changePercent} <= 1000`),
  check('res_scenario_changes_add', sql`${t.addPence} >= 0`),
]);

export type ResProvider = typeof resProviders.$inferSelect;
export type ResService = typeof resServices.$inferSelect;
export type ResCategory = typeof resCategories.$inferSelect;
export type ResScenario = typeof resScenarios.$inferSelect;

