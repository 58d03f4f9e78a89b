import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { AppError } from '../../server/errors.ts';
import { sealBody, sealBodyOrNull } from './sealing.ts';
import { emailOutbox } from './schema.ts';

export interface EmailMessage {
  tenantId: string;
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Which message this is (e.g. "membership.confirm"): kept for the mailbox and logs. */
  template: string;
  locale: string;
  /** Same key (per tenant) → the email is queued once; replays return the first row's id. */
  dedupeKey?: string | undefined;
}

// A line break in a header field would let a caller's data add headers (header injection).
const HEADER_BREAK = /[\r\n]/;
// Deliberately loose: the membership module validates addresses people type; this only refuses
// values that cannot be one address.
const ONE_ADDRESS = /^[^\s@,;<>]+@[^\s@,;<>]+$/;

function check(msg: EmailMessage): void {
  const fields: Array<{ field: string; message: string }> = [];
  if (!ONE_ADDRESS.test(msg.to) || msg.to.length > 320) fields.push({ field: 'to', message: 'Enter one email address.' });
  if (!msg.subject || HEADER_BREAK.test(msg.subject) || msg.subject.length > 300) {
    fields.push({ field: 'subject', message: 'The subject must be one line of at most 300 characters.' });
  }
  if (!msg.template) fields.push({ field: 'template', message: 'The template key is missing.' });
  if (fields.length) throw new AppError('validation_failed', 'The email cannot be queued.', fields);
}

/**
 * Queue an email inside the caller's transaction: it is sent (by the worker) iff that transaction
 * commits, and the request never waits for SMTP. With a dedupeKey already used by this tenant,
 * nothing new is queued and the first email's id comes back with duplicate: true.
 */
export async function enqueueEmail(tx: Executor, msg: EmailMessage): Promise<{ id: string; duplicate: boolean }> {
  check(msg);
  const id = newId();
  const inserted = await tx
    .insert(emailOutbox)
    .values({
      tenantId: msg.tenantId,
      id,
      toAddress: msg.to,
      subject: msg.subject,
      // Sealed: the body may hold a single-use link (sealing.ts).
      textBody: sealBody(msg.text),
      htmlBody: sealBodyOrNull(msg.html),
      template: msg.template,
      locale: msg.locale,
      dedupeKey: msg.dedupeKey ?? null,
    })
    // DO NOTHING (not an error) so the caller's transaction stays usable on a replay.
    .onConflictDoNothing({ target: [emailOutbox.tenantId, emailOutbox.dedupeKey] })
    .returning({ id: emailOutbox.id });
  if (inserted[0]) return { id: inserted[0].id, duplicate: false };
  if (msg.dedupeKey === undefined) throw new Error('email insert returned no row without a dedupe key');
  const [first] = await tx
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.tenantId, msg.tenantId), eq(emailOutbox.dedupeKey, msg.dedupeKey)));
  if (!first) throw new Error('email dedupe conflict but no row found');
  return { id: first.id, duplicate: true };
}

/**
 * Retention (schema.ts): delete sent email older than olderThanDays (by sent_at) and email the
 * worker gave up on older than olderThanDays (by created_at), across all tenants. Returns the
 * number of rows deleted. Queued and sending rows are never touched. `tenantId` limits it to one
 * tenant (tests isolate by tenant, so they can count exactly; retention purges every tenant).
 */
export async function purgeSentEmail(db: Executor, olderThanDays: number, opts: { tenantId?: string } = {}): Promise<number> {
  if (!Number.isFinite(olderThanDays) || olderThanDays < 0) throw new RangeError('olderThanDays must be a non-negative number');
  const cutoff = sql`now() - make_interval(secs => ${olderThanDays * 86_400})`;
  const deleted = await db
    .delete(emailOutbox)
    .where(
      and(
        opts.tenantId === undefined ? undefined : eq(emailOutbox.tenantId, opts.tenantId),
        or(
          and(eq(emailOutbox.status, 'sent'), lt(emailOutbox.sentAt, cutoff)),
          and(eq(emailOutbox.status, 'failed'), lt(emailOutbox.createdAt, cutoff)),
        ),
      ),
    )
    .returning({ id: emailOutbox.id });
  return deleted.length;
}
