import { startPollLoop } from '../../lib/poll-loop.ts';
import type { Database } from '../../db/connection.ts';
import type { Logger } from '../../server/logger.ts';
import { openBody, openBodyOrNull } from './sealing.ts';
import type { EmailTransport, OutgoingEmail } from './transport.ts';

/** Wait after the 1st, 2nd, … failed attempt. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000] as const;
/** Attempts in all: the first try plus one per retry delay; then the message is 'failed'. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed message may stay 'sending' before it is taken to be a crash. */
export const SENDING_LEASE_MS = 10 * 60_000;
// Below the lease, so a transport that never settles cannot let a second worker send the message too.
const SEND_TIMEOUT_MS = 5 * 60_000;

export interface EmailWorkerDeps {
  database: Database;
  logger: Logger;
  transport: EmailTransport;
}

export interface EmailWorkerOptions {
  /** Pause between drains when the outbox had nothing more to do (default 2 s). */
  intervalMs?: number;
  /** Most messages one drainOnce() sends (default 20). */
  batch?: number;
  /** Only this tenant's messages (tests isolate by tenant; production drains every tenant). */
  tenantId?: string;
  /** The time due dates, leases and retries are reckoned from (tests inject one); the database's now() when unset. */
  now?: () => Date;
}

export interface EmailWorker {
  /** Stop the loop and wait for a drain in progress to finish. */
  stop(): Promise<void>;
  /** Recover crashed sends, then send due messages until none are due or `batch` were tried. */
  drainOnce(): Promise<number>;
}

interface ClaimedRow {
  tenant_id: string;
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  template: string;
  attempts: number;
}

/** Stored in last_error: the error's code (and SMTP status), never its message. */
export function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'EUNKNOWN';
  const { code, responseCode, name } = err as { code?: unknown; responseCode?: unknown; name?: unknown };
  const base = typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? code : typeof name === 'string' ? name.slice(0, 40) : 'EUNKNOWN';
  return typeof responseCode === 'number' ? `${base} ${responseCode}` : base;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('send timed out'), { code: 'ESENDTIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The outbox worker (DESIGN.md §6: jobs live in the database and are taken with SKIP LOCKED, so
 * any number of app instances can run it). Each message is claimed in its own short statement,
 * sent outside any transaction, then marked sent or rescheduled. Delivery is at least once: a
 * crash between the SMTP accept and the 'sent' update resends after the lease runs out.
 */
export function startEmailWorker(deps: EmailWorkerDeps, opts: EmailWorkerOptions = {}): EmailWorker {
  const { database, logger, transport } = deps;
  const intervalMs = opts.intervalMs ?? 2000;
  const batch = opts.batch ?? 20;
  // $1 of every statement below is the injected time, or NULL for the database's clock.
  const NOW = 'coalesce($1::timestamptz, now())';
  const at = (): string | null => opts.now?.().toISOString() ?? null;
  const tenantFilter = opts.tenantId ? ' AND tenant_id = $3' : '';
  const tenantParam = opts.tenantId ? [opts.tenantId] : [];

  async function recoverStuck(): Promise<void> {
    const rows = await database.query<{ id: string; status: string }>(
      `UPDATE email_outbox
          SET status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'queued' END,
              next_attempt_at = ${NOW},
              last_error = 'ESTUCK'
        WHERE status = 'sending' AND next_attempt_at <= ${NOW}${tenantFilter}
        RETURNING id, status`,
      [at(), MAX_ATTEMPTS, ...tenantParam],
    );
    for (const row of rows) logger.warn({ emailId: row.id, status: row.status, code: 'ESTUCK' }, 'email send did not finish in time; requeued');
  }

  // One due message, claimed and leased in one statement (its own transaction): SKIP LOCKED
  // lets concurrent workers pass over a row another is claiming instead of waiting or sending it too.
  async function claimOne(): Promise<ClaimedRow | undefined> {
    const rows = await database.query<ClaimedRow>(
      `WITH due AS (
         SELECT tenant_id, id FROM email_outbox
          WHERE status = 'queued' AND next_attempt_at <= ${NOW}${tenantFilter}
          ORDER BY next_attempt_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED
       )
       UPDATE email_outbox o
          SET status = 'sending', attempts = o.attempts + 1,
              next_attempt_at = ${NOW} + make_interval(secs => $2::double precision)
         FROM due
        WHERE o.tenant_id = due.tenant_id AND o.id = due.id
       RETURNING o.tenant_id, o.id, o.to_address, o.subject, o.text_body, o.html_body, o.template, o.attempts`,
      [at(), SENDING_LEASE_MS / 1000, ...tenantParam],
    );
    return rows[0];
  }

  async function deliver(row: ClaimedRow): Promise<void> {
    try {
      // Opened here, at send time, and nowhere else outside the dev mailbox (sealing.ts).
      let msg: OutgoingEmail;
      try {
        msg = {
          id: row.id,
          tenantId: row.tenant_id,
          to: row.to_address,
          subject: row.subject,
          text: openBody(row.text_body),
          html: openBodyOrNull(row.html_body),
          template: row.template,
        };
      } catch {
        // Sealed under another instance key: retrying cannot help, but the row stays for a person to see.
        throw Object.assign(new Error('sealed body does not open'), { code: 'ESEALED' });
      }
      await withTimeout(transport.send(msg), SEND_TIMEOUT_MS);
    } catch (err) {
      const code = errorCode(err);
      const attempts = Number(row.attempts);
      const delay = RETRY_DELAYS_MS[attempts - 1];
      if (delay === undefined) {
        await database.query(
          `UPDATE email_outbox SET status = 'failed', last_error = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'sending'`,
          [row.tenant_id, row.id, code],
        );
        logger.error({ emailId: row.id, template: row.template, attempts, code }, 'email failed; giving up');
      } else {
        await database.query(
          `UPDATE email_outbox SET status = 'queued', last_error = $4, next_attempt_at = ${NOW} + make_interval(secs => $5::double precision)
            WHERE tenant_id = $2 AND id = $3 AND status = 'sending'`,
          [at(), row.tenant_id, row.id, code, delay / 1000],
        );
        logger.warn({ emailId: row.id, template: row.template, attempts, code, retryInMs: delay }, 'email send failed; will retry');
      }
      return;
    }
    // Once a message has left, its body (and the link in it) is not kept: only the subject and
    // delivery facts stay for the retention period. The dev transport delivers nowhere, so there
    // the row stays readable: it is the development mailbox.
    const blank = transport.kind !== 'dev';
    await database.query(
      `UPDATE email_outbox SET status = 'sent', sent_at = ${NOW}, last_error = NULL${blank ? `, text_body = '', html_body = NULL` : ''}
        WHERE tenant_id = $2 AND id = $3 AND status = 'sending'`,
      [at(), row.tenant_id, row.id],
    );
    logger.info({ emailId: row.id, template: row.template, attempts: Number(row.attempts), transport: transport.kind }, 'email sent');
  }

  async function drainOnce(): Promise<number> {
    await recoverStuck();
    let handled = 0;
    while (handled < batch) {
      const row = await claimOne();
      if (!row) break;
      await deliver(row);
      handled += 1;
    }
    return handled;
  }

  const loop = startPollLoop({
    drain: drainOnce,
    batch,
    intervalMs,
    onError: (err) => logger.error({ code: errorCode(err) }, 'email worker drain failed'),
  });
  return {
    stop: () => loop.stop(),
    drainOnce,
  };
}
