import { pgTable, text } from 'drizzle-orm/pg-core';
import { outboxConstraints, outboxKey, outboxQueue } from '../../db/outbox-columns.ts';

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
    ...outboxKey(),
    /** E.164; '' for a suppressed row. Personal: see privacy.ts. */
    toNumber: text('to_number').notNull(),
    /** The message (may hold a one-time code); '' for a suppressed row. */
    body: text('body').notNull(),
    ...outboxQueue<SmsStatus>(),
  },
  (t) => outboxConstraints('sms_outbox', SMS_STATUSES, t),
);

export type SmsOutboxRow = typeof smsOutbox.$inferSelect;
