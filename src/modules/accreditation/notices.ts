import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { formatDate } from '../../lib/dates.ts';
import { isoDate } from '../../lib/dates.ts';
import type { Deps } from '../../server/context.ts';
import { translator } from '../../ui/i18n/index.ts';
import { enqueueEmail } from '../email/service.ts';
import { memberCard } from '../membership/views.ts';
import { enqueueSms } from '../sms/service.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { addDays } from './calendar.ts';
import { kindById, rowsOf } from './queries.ts';
import { kindTitle } from './service.ts';

export const NOTICE_DAYS = 30;

/**
 * The expiry notice: each current award (not revoked, not renewed, not demo) whose last valid day is
 * within 30 days gets one notice, by email, else by text, else none. Claiming sets `reminded_at`
 * in the same transaction as the message (SKIP LOCKED: two processes never claim the same row), and
 * the outbox dedupe key `accreditation.expiry:<award id>` keeps a retry from sending it twice.
 */
export async function sendExpiryNotices(deps: Pick<Deps, 'database' | 'config'>, now: Date, opts: { tenantId?: string } = {}): Promise<number> {
  const today = isoDate(now);
  const until = addDays(today, NOTICE_DAYS);
  return deps.database.db.transaction(async (tx) => {
    const claimed = rowsOf<{ tenant_id: string; id: string; member_id: string; kind_id: string; expires_on: string }>(
      await tx.execute(sql`
        UPDATE qualifications q SET reminded_at = ${now.toISOString()}::timestamptz
        WHERE (q.tenant_id, q.id) IN (
          SELECT c.tenant_id, c.id FROM qualifications c
          WHERE c.revoked_at IS NULL AND c.reminded_at IS NULL AND NOT c.is_demo
            AND c.expires_on BETWEEN ${today}::date AND ${until}::date
            AND NOT EXISTS (SELECT 1 FROM qualifications r WHERE r.tenant_id = c.tenant_id AND r.renewal_of = c.id AND r.revoked_at IS NULL)
            ${opts.tenantId ? sql`AND c.tenant_id = ${opts.tenantId}` : sql``}
          ORDER BY c.expires_on LIMIT 500
          FOR UPDATE SKIP LOCKED)
        RETURNING q.tenant_id, q.id, q.member_id, q.kind_id, q.expires_on::text AS expires_on`),
    );
    for (const row of claimed) await notify(tx, deps, row);
    return claimed.length;
  });
}

async function notify(tx: Executor, deps: Pick<Deps, 'config'>, row: { tenant_id: string; id: string; member_id: string; kind_id: string; expires_on: string }): Promise<void> {
  const member = await memberCard(tx, row.tenant_id, row.member_id);
  const kind = await kindById(tx, row.tenant_id, row.kind_id);
  if (!member || !kind || member.status !== 'active') return;
  const locale = member.preferredLocale === 'pl' ? 'pl' : 'en';
  const t = translator(locale);
  // tenantBaseUrl reads only the tenant's id (its host names): this module has no tenant row of its own.
  const url = `${await tenantBaseUrl(tx, { id: row.tenant_id } as Tenant, deps.config.publicUrl)}/me`;
  const params = { title: kindTitle(kind, locale), date: formatDate(locale, row.expires_on), url };
  const dedupeKey = `accreditation.expiry:${row.id}`;
  if (member.email) {
    await enqueueEmail(tx, { tenantId: row.tenant_id, to: member.email, subject: t('accreditation.notice.subject', params), text: t('accreditation.notice.body', params), template: 'accreditation.expiry', locale, dedupeKey });
  } else if (member.phone) {
    await enqueueSms(tx, { tenantId: row.tenant_id, to: member.phone, body: t('accreditation.notice.sms', params), template: 'accreditation.expiry', locale, dedupeKey });
  }
}
