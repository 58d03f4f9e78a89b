import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, text, timestamp, uniqueIndex, uuid, type PgColumn } from 'drizzle-orm/pg-core';
import { tenants } from '../modules/tenancy/schema.ts';

/**
 * The columns every message outbox shares (email, text messages): callers insert in their own
 * transaction, a worker claims due rows with SKIP LOCKED. The message columns themselves (address,
 * body…) are the outbox's own; these are the queue around them.
 */
export function outboxKey() {
  return {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
  };
}

export function outboxQueue<S extends string>() {
  return {
    /** Which message this is (e.g. "membership.confirm"); never personal. */
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    status: text('status').$type<S>().notNull().default('queued' as S),
    /** Delivery attempts started (counted when a worker claims the row, so a crash counts too). */
    attempts: integer('attempts').notNull().default(0),
    /** When the row is next due (queued), or when its sending lease runs out (sending). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Error code of the last failure (e.g. "ECONNECTION 421"), never the provider's text: it can quote the address. */
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Caller's key so a retried request never queues the same message twice (NULLs never clash). */
    dedupeKey: text('dedupe_key'),
  };
}

/** Primary key, the dedupe index, the worker's due index (only rows that still need work) and the status check. */
export function outboxConstraints(name: string, statuses: readonly string[], t: { tenantId: PgColumn; id: PgColumn; dedupeKey: PgColumn; nextAttemptAt: PgColumn; status: PgColumn }) {
  return [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex(`${name}_dedupe`).on(t.tenantId, t.dedupeKey),
    index(`${name}_due`).on(t.nextAttemptAt).where(sql`${t.status} in ('queued', 'sending')`),
    check(`${name}_status`, sql`${t.status} in (${sql.raw(statuses.map((s) => `'${s}'`).join(', '))})`),
  ];
}
