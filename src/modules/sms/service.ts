import { sealBody } from '../email/sealing.ts';
import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { smsOutbox } from './schema.ts';

export interface SmsMessage {
  tenantId: string;
  /** E.164. */
  to: string;
  body: string;
  template: string;
  locale: string;
  /** Same key (per tenant) → queued once. */
  dedupeKey?: string | undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;

// Bodies hold sign-in codes: sealed with the instance key like email bodies, so a backup or a
// database dump holds no live code.
/** Queue a text inside the caller's transaction (sent by the worker iff the transaction commits). */
export async function enqueueSms(tx: Executor, msg: SmsMessage): Promise<{ id: string; duplicate: boolean }> {
  if (!E164.test(msg.to)) throw new Error('enqueueSms: the number must be E.164');
  if (!msg.body || msg.body.length > 640) throw new Error('enqueueSms: the body must be 1 to 640 characters');
  const id = newId();
  const inserted = await tx
    .insert(smsOutbox)
    .values({ tenantId: msg.tenantId, id, toNumber: msg.to, body: sealBody(msg.body), template: msg.template, locale: msg.locale, dedupeKey: msg.dedupeKey ?? null })
    .onConflictDoNothing({ target: [smsOutbox.tenantId, smsOutbox.dedupeKey] })
    .returning({ id: smsOutbox.id });
  if (inserted[0]) return { id: inserted[0].id, duplicate: false };
  return { id: '', duplicate: true };
}

/**
 * The same insert as enqueueSms for a number that belongs to nobody, with nothing personal in it
 * and nothing to send: the request does the same work either way, so its timing tells nothing.
 */
export async function recordSuppressedSms(tx: Executor, tenantId: string, template: string, locale: string): Promise<void> {
  await tx.insert(smsOutbox).values({ tenantId, id: newId(), toNumber: '', body: '', template, locale, status: 'suppressed' });
}

/** Retention: sent or failed texts after olderThanDays, suppressed rows after a day. */
export async function purgeSms(db: Executor, olderThanDays: number): Promise<number> {
  const cutoff = sql`now() - make_interval(secs => ${olderThanDays * 86_400})`;
  const deleted = await db
    .delete(smsOutbox)
    .where(
      or(
        and(eq(smsOutbox.status, 'sent'), lt(smsOutbox.sentAt, cutoff)),
        and(eq(smsOutbox.status, 'failed'), lt(smsOutbox.createdAt, cutoff)),
        and(eq(smsOutbox.status, 'suppressed'), lt(smsOutbox.createdAt, sql`now() - interval '1 day'`)),
      ),
    )
    .returning({ id: smsOutbox.id });
  return deleted.length;
}
