import { pgTable, text } from 'drizzle-orm/pg-core';
import { outboxConstraints, outboxKey, outboxQueue } from '../../db/outbox-columns.ts';

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
    ...outboxKey(),
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
    ...outboxQueue<EmailStatus>(),
  },
  (t) => outboxConstraints('email_outbox', EMAIL_STATUSES, t),
);

export type EmailOutboxRow = typeof emailOutbox.$inferSelect;
