import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Instance-wide settings shared by every app process. Never the instance key (src/server/secret.ts): only a one-way check value of it. */
export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Stored first responses for POSTs carrying an Idempotency-Key (DESIGN.md §4). */
export const idempotencyKeys = pgTable('idempotency_keys', {
  tenantId: uuid('tenant_id').notNull(),
  /** Who may replay: "member:<id>", or "anon:<hash of the CSRF cookie or the client address>" (idempotency.ts#anonymousScope). */
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
  bodyHash: text('body_hash').notNull(),
  status: integer('status').notNull(),
  contentType: text('content_type').notNull(),
  responseBody: text('response_body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.scope, t.key] })]);
