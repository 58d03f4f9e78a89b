import { and, desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { isUuid } from '../../lib/ids.ts';
import { route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { notFound } from '../../server/errors.ts';
import { formatDateTime } from '../../lib/dates.ts';
import type { Locale } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import type { EmailMessageKey } from './i18n.ts';
import { openBody } from './sealing.ts';
import { emailOutbox, type EmailStatus } from './schema.ts';

const LIST_LIMIT = 100;

function When({ at, locale }: { at: Date; locale: Locale }) {
  return <time datetime={at.toISOString()}>{formatDateTime(locale, at)}</time>;
}

const STATUS_KEY: Record<EmailStatus, EmailMessageKey> = {
  queued: 'email.status.queued',
  sending: 'email.status.sending',
  sent: 'email.status.sent',
  failed: 'email.status.failed',
};

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** The text body with its web links made clickable (everything else stays escaped text). */
export function linkify(text: string): Child[] {
  const parts: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    // A full stop or bracket straight after a link ends the sentence, not the link.
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(<a href={url}>{url}</a>);
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

// Registered only outside production by the app; refusing here too means a wiring mistake
// cannot expose everyone's email in production.
function refuseInProduction(c: Context<AppEnv>): void {
  if (c.get('deps').config.env === 'production') throw notFound();
  c.header('Cache-Control', 'no-store');
}

export function registerDevMailbox(app: RouteTarget): void {
  route(app, 'GET', '/dev/mailbox', 'public', async (c) => {
    refuseInProduction(c);
    const view = viewOf(c);
    const et = view.t;
    const tenant = c.get('tenant');
    const rows = await c
      .get('deps')
      .database.db.select({
        id: emailOutbox.id,
        toAddress: emailOutbox.toAddress,
        subject: emailOutbox.subject,
        status: emailOutbox.status,
        createdAt: emailOutbox.createdAt,
      })
      .from(emailOutbox)
      .where(eq(emailOutbox.tenantId, tenant.id))
      .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
      .limit(LIST_LIMIT);
    return c.html(
      <Layout view={view} title={et('email.mailbox.title')}>
        <h1>{et('email.mailbox.title')}</h1>
        <p class="lead">{et('email.mailbox.lead')}</p>
        {rows.length === 0 ? (
          <p>{et('email.mailbox.empty')}</p>
        ) : (
          <div class="table-wrap" role="region" aria-label={et('email.mailbox.caption')} tabindex={0}>
            <table>
              <caption>{et('email.mailbox.caption', { count: rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{et('email.mailbox.col.subject')}</th>
                  <th scope="col">{et('email.mailbox.col.to')}</th>
                  <th scope="col">{et('email.mailbox.col.status')}</th>
                  <th scope="col">{et('email.mailbox.col.time')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <th scope="row">
                      <a href={`/dev/mailbox/${row.id}`}>{row.subject}</a>
                    </th>
                    <td>{row.toAddress}</td>
                    <td>{et(STATUS_KEY[row.status])}</td>
                    <td>
                      <When at={row.createdAt} locale={view.locale} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  route(app, 'GET', '/dev/mailbox/:id', 'public', async (c) => {
    refuseInProduction(c);
    const id = c.req.param('id') ?? '';
    if (!isUuid(id)) throw notFound('That email');
    const view = viewOf(c);
    const et = view.t;
    const [msg] = await c
      .get('deps')
      .database.db.select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.tenantId, c.get('tenant').id), eq(emailOutbox.id, id)));
    if (!msg) throw notFound('That email');
    let text: string | undefined;
    try {
      text = openBody(msg.textBody);
    } catch {
      text = undefined; // sealed under another instance key (e.g. after a restore)
    }
    return c.html(
      <Layout view={view} title={msg.subject}>
        <p>
          <a href="/dev/mailbox">{et('email.message.back')}</a>
        </p>
        <h1>{msg.subject}</h1>
        <h2>{et('email.message.details')}</h2>
        <dl class="facts">
          <dt>{et('email.message.to')}</dt>
          <dd>{msg.toAddress}</dd>
          <dt>{et('email.message.status')}</dt>
          <dd>{et(STATUS_KEY[msg.status])}</dd>
          <dt>{et('email.message.created')}</dt>
          <dd>
            <When at={msg.createdAt} locale={view.locale} />
          </dd>
          <dt>{et('email.message.sent')}</dt>
          <dd>{msg.sentAt ? <When at={msg.sentAt} locale={view.locale} /> : et('email.message.notSent')}</dd>
          <dt>{et('email.message.template')}</dt>
          <dd>
            <code>{msg.template}</code>
          </dd>
          <dt>{et('email.message.locale')}</dt>
          <dd>{msg.locale}</dd>
          <dt>{et('email.message.attempts')}</dt>
          <dd>{msg.attempts}</dd>
          {msg.lastError ? (
            <>
              <dt>{et('email.message.lastError')}</dt>
              <dd>
                <code>{msg.lastError}</code>
              </dd>
            </>
          ) : null}
        </dl>
        <h2 id="email-text">{et('email.message.text')}</h2>
        {/* A focusable, labelled region: long lines scroll sideways and keyboard users can reach them. */}
        {text === undefined ? (
          <p class="muted">{et('email.message.unreadable')}</p>
        ) : text === '' ? (
          <p class="muted">{et('email.message.blanked')}</p>
        ) : (
          <div class="table-wrap" role="region" aria-labelledby="email-text" tabindex={0}>
            <pre>{linkify(text)}</pre>
          </div>
        )}
        {msg.htmlBody === null ? null : <p class="muted">{et('email.message.html')}</p>}
      </Layout>,
    );
  });
}
