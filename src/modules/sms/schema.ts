import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenancy/schema.ts';

/** 'suppressed': equivalent work done for a number that is nobody's, so the sender cannot tell; never sent. */
export const SMS_STATUSES = ['queued', 'sending', 'sent', 'failed', 'suppressed'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/**
 * The text-message outbox, like the email outbox: callers insert in their own transaction, the
 * worker (worker.ts) claims due rows with SKIP LOCKED and hands them to the SMS transport. Outside
 * production the rows are also the development inbox (/dev/sms).
 */
export const smsOutbox = pgTable(
  'sms_outbox',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    /** E.164; '' for a suppressed row. Personal: see privacy.ts. */
    toNumber: text('to_number').notNull(),
    /** The message (may hold a one-time code); '' for a suppressed row. */
    body: text('body').notNull(),
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    status: text('status').$type<SmsStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** When the row is next due (queued), or when its sending lease runs out (sending). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Error code of the last failure, never the provider's text. */
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('sms_outbox_dedupe').on(t.tenantId, t.dedupeKey),
    index('sms_outbox_due').on(t.nextAttemptAt).where(sql`${t.status} in ('queued', 'sending')`),
    check('sms_outbox_status', sql`${t.status} in ('queued', 'sending', 'sent', 'failed', 'suppressed')`),
  ],
);

export type SmsOutboxRow = typeof smsOutbox.$inferSelect;
