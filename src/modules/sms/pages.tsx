import { formatDateTime } from '../../lib/dates.ts';
import { openBody } from '../email/sealing.ts';
import { desc, eq } from 'drizzle-orm';
import { route, type RouteTarget } from '../../server/access.ts';
import { notFound } from '../../server/errors.ts';
import { TableWrap } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import type { SmsMessageKey } from './i18n.ts';
import { smsOutbox, type SmsStatus } from './schema.ts';

const STATUS_KEY: Record<SmsStatus, SmsMessageKey> = {
  queued: 'sms.status.queued',
  sending: 'sms.status.sending',
  sent: 'sms.status.sent',
  failed: 'sms.status.failed',
  suppressed: 'sms.status.suppressed',
};


/** /dev/sms: the text-message outbox of this tenant (the app registers it outside production only, for loopback clients). */
/** A text as the dev inbox shows it: opened with the instance key ('—' when blanked or sealed under another key). */
function shownBody(stored: string): string {
  try {
    return openBody(stored) || '—';
  } catch {
    return '—';
  }
}

export function registerDevSms(app: RouteTarget): void {
  route(app, 'GET', '/dev/sms', 'public', async (c) => {
    // Refused here too, so a wiring mistake cannot show one-time codes in production.
    if (c.get('deps').config.env === 'production') throw notFound();
    c.header('Cache-Control', 'no-store');
    const view = viewOf(c);
    const { t } = view;
    const rows = await c
      .get('deps')
      .database.db.select()
      .from(smsOutbox)
      .where(eq(smsOutbox.tenantId, c.get('tenant').id))
      .orderBy(desc(smsOutbox.createdAt), desc(smsOutbox.id))
      .limit(100);
    return c.html(
      <Layout view={view} title={t('sms.inbox.title')}>
        <h1>{t('sms.inbox.title')}</h1>
        <p class="lead">{t('sms.inbox.lead')}</p>
        {rows.length === 0 ? (
          <p>{t('sms.inbox.empty')}</p>
        ) : (
          <TableWrap label={t('sms.inbox.caption', { count: rows.length })}>
            <table>
              <caption>{t('sms.inbox.caption', { count: rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sms.col.to')}</th>
                  <th scope="col">{t('sms.col.text')}</th>
                  <th scope="col">{t('sms.col.status')}</th>
                  <th scope="col">{t('sms.col.time')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <th scope="row">{row.toNumber || '—'}</th>
                    <td>{shownBody(row.body)}</td>
                    <td>{t(STATUS_KEY[row.status])}</td>
                    <td>
                      <time datetime={row.createdAt.toISOString()}>{formatDateTime(view.locale, row.createdAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Layout>,
    );
  });
}
