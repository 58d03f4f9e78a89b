import type { Database } from '../../db/connection.ts';
import { open, seal } from '../../lib/secret-box.ts';

/**
 * Email bodies hold single-use links, so the outbox keeps them sealed with the instance key
 * (AES-GCM, purpose below): a database dump or backup alone holds no live link. Only the worker
 * (at send time) and the development mailbox open them.
 *
 * The key is process-wide and set once at start (start.ts#prepare; the test database helper in
 * tests): enqueueEmail runs inside callers' transactions all over the code and takes only the
 * transaction, and threading the key through every caller would not make it any less global.
 */
const PURPOSE = 'email-body';
/** Marks a sealed body; rows without it are from before sealing (or blanked: ''). */
const PREFIX = 'sealed1:';

let instanceKey: string | undefined;

export function useOutboxKey(key: string): void {
  instanceKey = key;
}

function currentKey(): string {
  if (!instanceKey) throw new Error('the outbox key is not set: call useOutboxKey(secret) at start');
  return instanceKey;
}

export function sealBody(text: string): string {
  return PREFIX + seal(currentKey(), PURPOSE, text);
}

export function sealBodyOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : sealBody(text);
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The body as written by the caller ('' once blanked after sending). */
export function openBody(stored: string): string {
  if (!isSealed(stored)) return stored;
  return open(currentKey(), PURPOSE, stored.slice(PREFIX.length));
}

export function openBodyOrNull(stored: string | null): string | null {
  return stored === null ? null : openBody(stored);
}

/**
 * Rows written before bodies were sealed: blank the sent and failed ones (the link in them was
 * the risk and nobody reads them again), seal the ones still to be sent. Runs at start; cheap
 * when there is nothing to do. `tenantId` limits it to one tenant (tests isolate by tenant, so
 * they can count exactly; start-up does every tenant).
 */
export async function sealLegacyOutbox(database: Database, opts: { tenantId?: string } = {}): Promise<{ blanked: number; sealed: number }> {
  const scope = [`${PREFIX}%`, opts.tenantId ?? null];
  const blanked = await database.query<{ id: string }>(
    `UPDATE email_outbox SET text_body = '', html_body = NULL
      WHERE status IN ('sent', 'failed') AND (text_body <> '' OR html_body IS NOT NULL) AND text_body NOT LIKE $1
        AND ($2::uuid IS NULL OR tenant_id = $2::uuid)
      RETURNING id`,
    scope,
  );
  const pending = await database.query<{ tenant_id: string; id: string; text_body: string; html_body: string | null }>(
    `SELECT tenant_id, id, text_body, html_body FROM email_outbox
      WHERE status IN ('queued', 'sending') AND text_body NOT LIKE $1 AND ($2::uuid IS NULL OR tenant_id = $2::uuid)`,
    scope,
  );
  for (const row of pending) {
    // Only if unchanged since read: another instance starting at once may have sealed or sent it.
    await database.query(`UPDATE email_outbox SET text_body = $3, html_body = $4 WHERE tenant_id = $1 AND id = $2 AND text_body = $5`, [
      row.tenant_id,
      row.id,
      sealBody(row.text_body),
      sealBodyOrNull(row.html_body),
      row.text_body,
    ]);
  }
  return { blanked: blanked.length, sealed: pending.length };
}
