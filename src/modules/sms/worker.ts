import { startPollLoop } from '../../lib/poll-loop.ts';
import { openBody } from '../email/sealing.ts';
import type { Database } from '../../db/connection.ts';
import type { Logger } from '../../server/logger.ts';
import { errorCode } from '../email/worker.ts';
import type { SmsTransport } from './transport.ts';

/** Wait after the 1st, 2nd, … failed attempt; then the text is 'failed'. One-time codes go stale fast, so retries stop early. */
export const SMS_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000] as const;
const SENDING_LEASE_MS = 5 * 60_000;

interface ClaimedSms {
  tenant_id: string;
  id: string;
  to_number: string;
  body: string;
  template: string;
  attempts: number;
}

export interface SmsWorker {
  stop(): Promise<void>;
  /** Requeue crashed sends, then send due texts until none are due or `batch` were tried. */
  drainOnce(): Promise<number>;
}

/**
 * The SMS outbox worker, the same shape as the email worker (SKIP LOCKED claims with a lease, so
 * any number of instances can run it; at-least-once delivery).
 */
export function startSmsWorker(deps: { database: Database; logger: Logger; transport: SmsTransport }, opts: { intervalMs?: number; batch?: number; tenantId?: string; autostart?: boolean } = {}): SmsWorker {
  const { database, logger, transport } = deps;
  const intervalMs = opts.intervalMs ?? 2000;
  const batch = opts.batch ?? 20;
  const tenantFilter = opts.tenantId ? ' AND tenant_id = $2' : '';
  const tenantParam = opts.tenantId ? [opts.tenantId] : [];

  async function drainOnce(): Promise<number> {
    await database.query(
      `UPDATE sms_outbox SET status = CASE WHEN attempts > $1 THEN 'failed' ELSE 'queued' END, next_attempt_at = now(), last_error = 'ESTUCK'
        WHERE status = 'sending' AND next_attempt_at <= now()${tenantFilter}`,
      [SMS_RETRY_DELAYS_MS.length, ...tenantParam],
    );
    let handled = 0;
    while (handled < batch) {
      const [row] = await database.query<ClaimedSms>(
        `WITH due AS (
           SELECT tenant_id, id FROM sms_outbox WHERE status = 'queued' AND next_attempt_at <= now()${tenantFilter}
            ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE sms_outbox o SET status = 'sending', attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $1::double precision)
           FROM due WHERE o.tenant_id = due.tenant_id AND o.id = due.id
         RETURNING o.tenant_id, o.id, o.to_number, o.body, o.template, o.attempts`,
        [SENDING_LEASE_MS / 1000, ...tenantParam],
      );
      if (!row) break;
      handled += 1;
      try {
        await transport.send({ id: row.id, tenantId: row.tenant_id, to: row.to_number, body: openBody(row.body), template: row.template });
      } catch (err) {
        const code = errorCode(err);
        const delay = SMS_RETRY_DELAYS_MS[Number(row.attempts) - 1];
        if (delay === undefined) {
          await database.query(`UPDATE sms_outbox SET status = 'failed', last_error = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'sending'`, [row.tenant_id, row.id, code]);
          logger.error({ smsId: row.id, template: row.template, code }, 'text failed; giving up');
        } else {
          await database.query(
            `UPDATE sms_outbox SET status = 'queued', last_error = $3, next_attempt_at = now() + make_interval(secs => $4::double precision) WHERE tenant_id = $1 AND id = $2 AND status = 'sending'`,
            [row.tenant_id, row.id, code, delay / 1000],
          );
          logger.warn({ smsId: row.id, template: row.template, code, retryInMs: delay }, 'text send failed; will retry');
        }
        continue;
      }
      await database.query(`UPDATE sms_outbox SET status = 'sent', sent_at = now(), last_error = NULL${transport.kind === 'dev' ? '' : ", body = ''"} WHERE tenant_id = $1 AND id = $2 AND status = 'sending'`, [row.tenant_id, row.id]);
      logger.info({ smsId: row.id, template: row.template, transport: transport.kind }, 'text sent');
    }
    return handled;
  }

  const loop =
    opts.autostart === false
      ? undefined
      : startPollLoop({ drain: drainOnce, batch, intervalMs, onError: (err) => logger.error({ code: errorCode(err) }, 'sms worker drain failed') });
  return {
    stop: async () => loop?.stop(),
    drainOnce,
  };
}
