import { bigint, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained audit log, one chain per tenant (DESIGN.md §4, SECURITY.md 27).
 * hash = sha256(prev_hash + canonical JSON of the row's content). A trigger refuses UPDATE and
 * DELETE; `audit verify` detects rows edited or removed behind the trigger's back.
 */
export const auditLog = pgTable('audit_log', {
  tenantId: uuid('tenant_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
  /** Actor: a user id, or a system actor such as "system:cli". Never a name or email. */
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.seq] })]);

/** The head of each tenant's chain; updating it serialises appends per tenant. */
export const auditHeads = pgTable('audit_heads', {
  tenantId: uuid('tenant_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

export type AuditRow = typeof auditLog.$inferSelect;
