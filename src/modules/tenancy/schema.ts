import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  date,
} from 'drizzle-orm/pg-core';

/** One tenant = one mutual. */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** The tenant that answers host names nobody claimed (at most one). */
  isDefault: boolean('is_default').notNull().default(false),
  defaultLocale: text('default_locale').notNull().default('en'),
  /** The data controller's contact for the privacy notice (the mutual's, not a person's); null = not given yet. */
  contactEmail: text('contact_email'),
  contactAddress: text('contact_address'),
  /** Version of the shipped seed data this tenant was loaded or upgraded with (0 = not from a seed). */
  seedVersion: integer('seed_version').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('tenants_one_default').on(t.isDefault).where(sql`${t.isDefault}`)]);

/** Host names a tenant answers on (lower case, no port). */
export const tenantHosts = pgTable('tenant_hosts', {
  host: text('host').primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
}, (t) => [index('tenant_hosts_tenant').on(t.tenantId)]);

export const areas = pgTable('areas', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  name: text('name').notNull(),
  /** The ward set used now for representation, maps and statistics. */
  currentWardSetId: uuid('current_ward_set_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] })]);

export const wardSets = pgTable('ward_sets', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  areaId: uuid('area_id').notNull(),
  /** Short stable key, e.g. "corby-2015", used in URLs and the CLI. */
  key: text('key').notNull(),
  name: text('name').notNull(),
  validFrom: date('valid_from'),
  validTo: date('valid_to'),
  /** Where boundaries and facts came from, shown on the About page. */
  source: text('source').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('ward_sets_key').on(t.tenantId, t.key),
  foreignKey({ columns: [t.tenantId, t.areaId], foreignColumns: [areas.tenantId, areas.id] }).onDelete('cascade'),
]);

export const wards = pgTable('wards', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  wardSetId: uuid('ward_set_id').notNull(),
  /** ONS code (e.g. E05010264) or the area's own code. */
  code: text('code').notNull(),
  name: text('name').notNull(),
  /** GeoJSON geometry (Polygon or MultiPolygon, WGS84). */
  geometry: jsonb('geometry').$type<WardGeometry>(),
  population: integer('population'),
  childrenUnder5: integer('children_under_5'),
  /** Further facts by key (e.g. min_imd_decile); labels live in the message catalogue. */
  facts: jsonb('facts').$type<Record<string, number | string>>().notNull().default({}),
  sortOrder: integer('sort_order').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('wards_code').on(t.tenantId, t.wardSetId, t.code),
  foreignKey({ columns: [t.tenantId, t.wardSetId], foreignColumns: [wardSets.tenantId, wardSets.id] }).onDelete('cascade'),
]);

export type WardGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export type Tenant = typeof tenants.$inferSelect;
export type Ward = typeof wards.$inferSelect;
export type WardSet = typeof wardSets.$inferSelect;
