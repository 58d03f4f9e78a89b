import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { normaliseEmail } from '../../lib/contact.ts';
import { route } from '../../server/access.ts';
import { clientKey } from '../../server/client-address.ts';
import type { AppEnv } from '../../server/context.ts';
import { cookieFor, cookieName } from '../../server/cookies.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { SESSION_COOKIE } from '../../server/middleware/session.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { smsDeliverable } from '../sms/transport.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { PhoneSignInForm } from './pages-signin-phone.tsx';
import { completeSecondFactor, consumeSignInLink, requestSignInLink, totpEnrolment } from './auth.ts';
import { applySignIn, SECOND_FACTOR_COOKIE } from './sign-in-cookies.ts';
import { rateLimit } from './rate-limit.ts';
import { SESSION_LIMITS, revokeSession } from './sessions.ts';
import { peekToken } from './tokens.ts';

function renderSignIn(c: Context<AppEnv>, issues: FieldIssue[], email = '') {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('signin.title')} scripts={['passkeys.js']}>
      <h1>{t('signin.title')}</h1>
      <p class="lead">{t('signin.lead')}</p>
      <button type="button" class="button button-secondary" data-passkey="authenticate" data-csrf={view.csrfToken} data-status="passkey-status" hidden>
        {t('passkey.signin')}
      </button>
      <p id="passkey-status" role="status" class="error"></p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/sign-in" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="email" label={t('join.email')} issues={issues}>
          {(a) => <input type="email" {...a} value={email} autocomplete="email" spellcheck={false} />}
        </Field>
        <button class="button" type="submit">
          {t('signin.send')}
        </button>
      </form>
      {smsDeliverable(c.get('deps').config) ? <PhoneSignInForm view={view} issues={[]} phone="" /> : null}
      <p>
        {t('signin.notMember')} <a href="/join">{t('signin.join')}</a>
      </p>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

export function registerSignInPages(app: Hono<AppEnv>): void {
  route(app, 'GET', '/sign-in', 'public', (c) => renderSignIn(c, []));

  route(app, 'POST', '/sign-in', 'public', async (c) => {
    const body = await c.req.parseBody();
    const raw = typeof body.email === 'string' ? body.email : '';
    const email = normaliseEmail(raw);
    if (!email.ok) return renderSignIn(c, [{ field: 'email', message: 'join.error.email' }], raw.slice(0, 254));
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    await rateLimit(deps.database.db, `signin:ip:${tenant.id}:${clientKey(c)}`, 20, 600);
    await rateLimit(deps.database.db, `signin:email:${tenant.id}:${email.value}`, 5, 600);
    await requestSignInLink(deps.database.db, tenant, email.value, await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl), c.get('locale'));
    const view = viewOf(c);
    const { t } = view;
    return c.html(
      <Layout view={view} title={t('signin.sent.title')}>
        <h1>{t('signin.sent.title')}</h1>
        <p class="lead">{t('signin.sent.body')}</p>
        <p>{t('signin.sent.expiry')}</p>
      </Layout>,
    );
  });

  route(app, 'GET', '/sign-in/link', 'public', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    const token = c.req.query('token') ?? '';
    const valid = await peekToken(c.get('deps').database.db, c.get('tenant').id, token, 'sign_in');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(
      <Layout view={view} title={t('signin.title')}>
        <h1>{t('signin.title')}</h1>
        {valid ? (
          <form method="post" action="/sign-in/link">
            <CsrfField token={view.csrfToken} />
            <input type="hidden" name="token" value={token} />
            <button class="button" type="submit">
              {t('signin.continue')}
            </button>
          </form>
        ) : (
          <>
            <p>{t('signin.error.link')}</p>
            <p>
              <a href="/sign-in">{t('signin.again')}</a>
            </p>
          </>
        )}
      </Layout>,
      valid ? 200 : 400,
    );
  });

  route(app, 'POST', '/sign-in/link', 'public', async (c) => {
    const deps = c.get('deps');
    await rateLimit(deps.database.db, `signin-link:ip:${c.get('tenant').id}:${clientKey(c)}`, 30, 600);
    const body = await c.req.parseBody();
    const result = await consumeSignInLink(deps.database.db, c.get('tenant'), typeof body.token === 'string' ? body.token : '');
    return c.redirect(applySignIn(c, result), 303);
  });

  const secondFactorPage = async (c: Context<AppEnv>, issues: FieldIssue[]) => {
    const view = viewOf(c);
    const { t } = view;
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    const pending = getCookie(c, cookieName(c, SECOND_FACTOR_COOKIE)) ?? '';
    const row = await peekToken(deps.database.db, tenant.id, pending, 'second_factor');
    if (!row) throw new AppError('bad_request', 'Your sign-in step has expired. Start again from a new email link.');
    let enrolment: { secret: string; uri: string } | undefined;
    try {
      enrolment = await totpEnrolment(deps.database.db, tenant, deps.secret, row.memberId);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    }
    return c.html(
      <Layout view={view} title={t('twofa.title')}>
        <h1>{t('twofa.title')}</h1>
        <ErrorSummary t={t} issues={issues} />
        {enrolment ? (
          <>
            <p>{t('twofa.enrol.lead')}</p>
            <p>
              {t('twofa.enrol.secret')} <code class="secret">{enrolment.secret}</code>
            </p>
            <p>
              <a href={enrolment.uri}>{t('twofa.enrol.open')}</a>
            </p>
          </>
        ) : (
          <p>{t('twofa.lead')}</p>
        )}
        <form method="post" action="/sign-in/second-factor" novalidate>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="code" label={t('twofa.code')} issues={issues}>
            {(a) => <input type="text" {...a} inputmode="numeric" autocomplete="one-time-code" maxlength={8} />}
          </Field>
          <button class="button" type="submit">
            {t('twofa.submit')}
          </button>
        </form>
      </Layout>,
      issues.length ? 400 : 200,
    );
  };

  route(app, 'GET', '/sign-in/second-factor', 'public', (c) => secondFactorPage(c, []));

  route(app, 'POST', '/sign-in/second-factor', 'public', async (c) => {
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    const pending = getCookie(c, cookieName(c, SECOND_FACTOR_COOKIE)) ?? '';
    await rateLimit(deps.database.db, `2fa:${tenant.id}:${pending.slice(0, 16)}:${clientKey(c)}`, 5, 300);
    const body = await c.req.parseBody();
    try {
      const { token } = await completeSecondFactor(deps.database.db, tenant, deps.secret, pending, typeof body.code === 'string' ? body.code : '');
      deleteCookie(c, cookieName(c, SECOND_FACTOR_COOKIE), { path: '/' });
      const { name, options } = cookieFor(c, SESSION_COOKIE, SESSION_LIMITS.staff.absoluteMs / 1000);
      setCookie(c, name, token, options);
      return c.redirect('/me', 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return secondFactorPage(c, err.fields);
      throw err;
    }
  });

  route(app, 'POST', '/sign-out', 'signed-in', async (c) => {
    const actor = c.get('actor');
    if (actor) await revokeSession(c.get('deps').database.db, actor.sessionId);
    deleteCookie(c, cookieName(c, SESSION_COOKIE), { path: '/', secure: cookieName(c, SESSION_COOKIE).startsWith('__Host-') });
    return c.redirect('/', 303);
  });
}
