import type { Context } from 'hono';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import { clientKey } from '../../server/client-address.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { CsrfField } from '../../ui/forms.tsx';
import { TokenForm } from '../../ui/token-form.tsx';
import type { MessageKey, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { acceptEmailChange, acceptPhoneChange, confirmEmailChange, declineContactChange, type Notify } from './member-admin.ts';
import type { Member } from './schema.ts';
import { rateLimit } from './rate-limit.ts';
import { peekToken } from './tokens.ts';

/** Messages after an action on /me (?change=…). */
const DONE: Record<string, MessageKey> = { sent: 'contactChange.done.sent', phone: 'contactChange.done.phone', declined: 'contactChange.done.declined' };

export function contactChangeMessage(value: string | undefined): MessageKey | undefined {
  return value ? DONE[value] : undefined;
}

/** On /me: the email address or phone number someone else asked for, to accept or decline. */
export function PendingContactChanges({ t, csrfToken, member }: { t: Translate; csrfToken: string; member: Member }) {
  if (!member.pendingEmail && !member.pendingPhone) return null;
  return (
    <section aria-labelledby="pending-changes" class="notice">
      <h2 id="pending-changes">{t('contactChange.title')}</h2>
      {member.pendingEmail ? (
        <>
          <p>{t(member.pendingEmailAcceptedAt ? 'contactChange.email.sent' : 'contactChange.email.accept', { email: member.pendingEmail })}</p>
          <div class="actions">
            <form method="post" action="/me/contact-change/email/accept" class="inline-form">
              <CsrfField token={csrfToken} />
              <button class="button" type="submit">
                {t(member.pendingEmailAcceptedAt ? 'contactChange.resend' : 'contactChange.acceptEmail')}
              </button>
            </form>
            <form method="post" action="/me/contact-change/email/decline" class="inline-form">
              <CsrfField token={csrfToken} />
              <button class="button button-secondary" type="submit">
                {t('contactChange.declineEmail')}
              </button>
            </form>
          </div>
        </>
      ) : null}
      {member.pendingPhone ? (
        <>
          <p>{t('contactChange.phone', { phone: member.pendingPhone })}</p>
          <div class="actions">
            <form method="post" action="/me/contact-change/phone/accept" class="inline-form">
              <CsrfField token={csrfToken} />
              <button class="button" type="submit">
                {t('contactChange.acceptPhone')}
              </button>
            </form>
            <form method="post" action="/me/contact-change/phone/decline" class="inline-form">
              <CsrfField token={csrfToken} />
              <button class="button button-secondary" type="submit">
                {t('contactChange.declinePhone')}
              </button>
            </form>
          </div>
        </>
      ) : null}
    </section>
  );
}

async function notifyOf(c: Context<AppEnv>): Promise<Notify> {
  const deps = c.get('deps');
  const tenant = c.get('tenant');
  return { tenant, baseUrl: await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl) };
}

function confirmPage(c: Context<AppEnv>, state: { token: string } | 'invalid' | 'done', status: 200 | 400 = 200) {
  const view = viewOf(c);
  const { t } = view;
  // The token is in the URL: never send it on as a referrer.
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(
    <Layout view={view} title={t('contactChange.confirm.title')}>
      <h1>{t('contactChange.confirm.title')}</h1>
      {state === 'invalid' ? (
        <p>{t('contactChange.confirm.invalid')}</p>
      ) : state === 'done' ? (
        <>
          <p class="success" role="status">
            {t('contactChange.confirm.done')}
          </p>
          <p>
            <a href="/sign-in">{t('nav.signin')}</a>
          </p>
        </>
      ) : (
        <>
          <p>{t('contactChange.confirm.lead')}</p>
          <TokenForm action="/email-change/confirm" token={state.token} csrfToken={view.csrfToken} label={t('contactChange.confirm.button')} />
        </>
      )}
    </Layout>,
    status,
  );
}

export function registerContactChangePages(app: RouteTarget): void {
  route(app, 'POST', '/me/contact-change/email/accept', 'signed-in', async (c) => {
    // Each press sends an email: a few per member per 10 minutes.
    await rateLimit(c.get('deps').database.db, `email-change:${requireActor(c).memberId}`, 5, 600);
    await acceptEmailChange(c.get('deps').database.db, await notifyOf(c), requireActor(c));
    return c.redirect('/me?change=sent', 303);
  });
  route(app, 'POST', '/me/contact-change/phone/accept', 'signed-in', async (c) => {
    await acceptPhoneChange(c.get('deps').database.db, requireActor(c));
    return c.redirect('/me?change=phone', 303);
  });
  for (const field of ['email', 'phone'] as const) {
    route(app, 'POST', `/me/contact-change/${field}/decline`, 'signed-in', async (c) => {
      await declineContactChange(c.get('deps').database.db, requireActor(c), field);
      return c.redirect('/me?change=declined', 303);
    });
  }

  // The link in the email only shows a button: a mail scanner's GET must not use it up.
  route(app, 'GET', '/email-change/confirm', 'public', async (c) => {
    const token = c.req.query('token') ?? '';
    const valid = await peekToken(c.get('deps').database.db, c.get('tenant').id, token, 'confirm_email_change');
    return valid ? confirmPage(c, { token }) : confirmPage(c, 'invalid', 400);
  });
  route(app, 'POST', '/email-change/confirm', 'public', async (c) => {
    await rateLimit(c.get('deps').database.db, `email-change-link:ip:${c.get('tenant').id}:${clientKey(c)}`, 30, 600);
    const body = await c.req.parseBody();
    try {
      await confirmEmailChange(c.get('deps').database.db, c.get('tenant'), typeof body.token === 'string' ? body.token : '');
    } catch (err) {
      if (err instanceof AppError && (err.code === 'bad_request' || err.code === 'conflict')) return confirmPage(c, 'invalid', 400);
      throw err;
    }
    return confirmPage(c, 'done');
  });
}
