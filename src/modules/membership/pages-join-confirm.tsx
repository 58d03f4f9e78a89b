import type { Context } from 'hono';
import { normaliseEmail } from '../../lib/contact.ts';
import { route, type RouteTarget } from '../../server/access.ts';
import { clientKey } from '../../server/client-address.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { TokenForm } from '../../ui/token-form.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { confirmEmail } from './auth.ts';
import { resendConfirmation } from './join-service.ts';
import { rateLimit } from './rate-limit.ts';
import { applySignIn } from './sign-in-cookies.ts';
import { peekToken } from './tokens.ts';

/** "Send me a new link": asks for the email address; the answer is the same whatever the address. */
function ResendForm({ c, issues, email }: { c: Context<AppEnv>; issues: FieldIssue[]; email: string }) {
  const view = viewOf(c);
  const { t } = view;
  return (
    <form method="post" action="/join/resend" novalidate>
      <CsrfField token={view.csrfToken} />
      <Field t={t} name="email" label={t('join.email')} issues={issues}>
        {(a) => <input type="email" {...a} value={email} autocomplete="email" spellcheck={false} />}
      </Field>
      <button class="button" type="submit">
        {t('join.resend.button')}
      </button>
    </form>
  );
}

/** The link cannot be used (expired, used, unknown): say so, and offer a new one straight away. */
function badLinkPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('join.confirm.title')}>
      <h1>{t('join.confirm.title')}</h1>
      <p>{t('join.error.confirmLink')}</p>
      <ResendForm c={c} issues={[]} email="" />
    </Layout>,
    400,
  );
}

function resendPage(c: Context<AppEnv>, issues: FieldIssue[], email = '') {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('join.resend.title')}>
      <h1>{t('join.resend.title')}</h1>
      <p class="lead">{t('join.resend.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      <ResendForm c={c} issues={issues} email={email} />
    </Layout>,
    issues.length ? 400 : 200,
  );
}

export function registerJoinConfirmPages(app: RouteTarget): void {
  // The emailed link opens a page with a button: only the POST uses the token, so a mail
  // scanner following the link does not confirm anything.
  route(app, 'GET', '/join/confirm', 'public', async (c) => {
    const token = c.req.query('token') ?? '';
    const valid = await peekToken(c.get('deps').database.db, c.get('tenant').id, token, 'confirm_email');
    c.header('Referrer-Policy', 'no-referrer');
    if (!valid) return badLinkPage(c);
    const view = viewOf(c);
    const { t } = view;
    return c.html(
      <Layout view={view} title={t('join.confirm.title')}>
        <h1>{t('join.confirm.title')}</h1>
        <TokenForm action="/join/confirm" token={token} csrfToken={view.csrfToken} label={t('join.confirm.button')}>
          <p>{t('join.confirm.lead')}</p>
        </TokenForm>
      </Layout>,
    );
  });

  route(app, 'POST', '/join/confirm', 'public', async (c) => {
    const body = await c.req.parseBody();
    try {
      const result = await confirmEmail(c.get('deps').database.db, c.get('tenant'), typeof body.token === 'string' ? body.token : '');
      return c.redirect(applySignIn(c, result), 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'bad_request') return badLinkPage(c);
      throw err;
    }
  });

  route(app, 'GET', '/join/resend', 'public', (c) => resendPage(c, []));

  route(app, 'POST', '/join/resend', 'public', async (c) => {
    const body = await c.req.parseBody();
    const raw = typeof body.email === 'string' ? body.email : '';
    const email = normaliseEmail(raw);
    if (!email.ok) return resendPage(c, [{ field: 'email', message: 'join.error.email' }], raw.slice(0, 254));
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    await rateLimit(deps.database.db, `resend:ip:${tenant.id}:${clientKey(c)}`, 20, 600);
    await rateLimit(deps.database.db, `resend:email:${tenant.id}:${email.value}`, 3, 3600);
    await resendConfirmation(deps.database.db, tenant, email.value, await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl));
    const view = viewOf(c);
    const { t } = view;
    return c.html(
      <Layout view={view} title={t('join.resend.sent.title')}>
        <h1>{t('join.resend.sent.title')}</h1>
        <p class="lead">{t('join.resend.sent.body')}</p>
      </Layout>,
    );
  });
}
