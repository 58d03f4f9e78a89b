import type { Database } from '../db/connection.ts';
import { openBody } from '../modules/email/sealing.ts';

/** The newest email queued for an address in a tenant, and the first link in it (path + query). */
export async function lastEmail(database: Database, tenantId: string, to: string) {
  const rows = await database.query<{ subject: string; text_body: string; template: string }>(
    'SELECT subject, text_body, template FROM email_outbox WHERE tenant_id = $1 AND to_address = $2 ORDER BY created_at DESC, id DESC LIMIT 1',
    [tenantId, to],
  );
  const row = rows[0];
  if (!row) return undefined;
  // Bodies are sealed in the outbox (src/modules/email/sealing.ts).
  const mail = { ...row, text_body: openBody(row.text_body) };
  const url = /https?:\/\/\S+/.exec(mail.text_body)?.[0];
  const link = url ? new URL(url).pathname + new URL(url).search : undefined;
  return { ...mail, link };
}

export async function emailCount(database: Database, tenantId: string, to: string): Promise<number> {
  const rows = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM email_outbox WHERE tenant_id = $1 AND to_address = $2', [tenantId, to]);
  return rows[0]?.n ?? 0;
}
