import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenancy/schema.ts';

export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * The email outbox (DESIGN.md §6): callers insert a row in their own transaction, so an email
 * exists iff the business write committed; a background worker (worker.ts) claims due rows with
 * SKIP LOCKED and sends them. Rows in the outbox are also the development mailbox (pages.tsx).
 * Bodies are sealed (sealing.ts) and blanked once a message has left by SMTP.
 *
 * While a row is 'sending', next_attempt_at is its lease: a worker that crashed mid-send leaves
 * the row 'sending' with a lease in the past, and the next drain puts it back in the queue.
 */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    /** PERSONAL: purpose = deliver the email the person asked for or must get (join, sign-in, notices);
     *  lawful basis = contract / legitimate interests of the member; retention = purged 30 days after sending. */
    toAddress: text('to_address').notNull(),
    /** PERSONAL (may name the person): purpose, lawful basis and retention as to_address. */
    subject: text('subject').notNull(),
    /** PERSONAL (message content, may hold names and single-use links): as to_address. Stored sealed
     *  with the instance key (sealing.ts), opened only by the worker and the dev mailbox; '' once sent. */
    textBody: text('text_body').notNull(),
    /** PERSONAL: as text_body (sealed; NULL once sent). */
    htmlBody: text('html_body'),
    /** Which message this is (e.g. "membership.confirm"); never personal. */
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    status: text('status').$type<EmailStatus>().notNull().default('queued'),
    /** Delivery attempts started (counted when a worker claims the row, so a crash counts too). */
    attempts: integer('attempts').notNull().default(0),
    /** When the row is next due (queued), or when its sending lease runs out (sending). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Error code of the last failure (e.g. "ECONNECTION 421"), never the server's text: it can quote the address. */
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Caller's key so a retried request never queues the same email twice (NULLs never clash). */
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('email_outbox_dedupe').on(t.tenantId, t.dedupeKey),
    // The worker's claim scans only rows that still need work, across all tenants.
    index('email_outbox_due').on(t.nextAttemptAt).where(sql`${t.status} in ('queued', 'sending')`),
    check('email_outbox_status', sql`${t.status} in ('queued', 'sending', 'sent', 'failed')`),
  ],
);

export type EmailOutboxRow = typeof emailOutbox.$inferSelect;
