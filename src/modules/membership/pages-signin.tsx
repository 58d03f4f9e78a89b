import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { normaliseEmail } from '../../lib/contact.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import { clientKey } from '../../server/client-address.ts';
import type { AppEnv } from '../../server/context.ts';
import { cookieFor, cookieName } from '../../server/cookies.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { SESSION_COOKIE } from '../../server/middleware/session.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { TokenForm } from '../../ui/token-form.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { smsDeliverable } from '../sms/transport.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { PhoneSignInForm } from './pages-signin-phone.tsx';
import { completeSecondFactor, consumeSignInLink, requestSignInLink } from './auth.ts';
import { recoveryCodesPage, secondFactorClock, secondFactorPage } from './pages-second-factor.tsx';
import { applySignIn, SECOND_FACTOR_COOKIE } from './sign-in-cookies.ts';
import { rateLimit } from './rate-limit.ts';
import { acknowledgeRecoveryCodes } from './recovery-codes.ts';
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

export function registerSignInPages(app: RouteTarget): void {
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
          <TokenForm action="/sign-in/link" token={token} csrfToken={view.csrfToken} label={t('signin.continue')} />
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

  route(app, 'GET', '/sign-in/second-factor', 'public', (c) => secondFactorPage(c, []));

  route(app, 'POST', '/sign-in/second-factor', 'public', async (c) => {
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    const pending = getCookie(c, cookieName(c, SECOND_FACTOR_COOKIE)) ?? '';
    await rateLimit(deps.database.db, `2fa:${tenant.id}:${pending.slice(0, 16)}:${clientKey(c)}`, 5, 300);
    const body = await c.req.parseBody();
    try {
      const done = await completeSecondFactor(deps.database.db, tenant, deps.secret, pending, typeof body.code === 'string' ? body.code : '', secondFactorClock(c));
      deleteCookie(c, cookieName(c, SECOND_FACTOR_COOKIE), { path: '/' });
      const { name, options } = cookieFor(c, SESSION_COOKIE, SESSION_LIMITS.staff.absoluteMs / 1000);
      setCookie(c, name, done.token, options);
      // New recovery codes are shown once, in this response; only their hashes are kept.
      if (done.recoveryCodes) return recoveryCodesPage(c, done.recoveryCodes);
      return c.redirect('/me', 303);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'bad_request' || err.code === 'rate_limited') && err.fields.length) {
        return secondFactorPage(c, err.fields, err.code === 'rate_limited' ? 429 : 400);
      }
      throw err;
    }
  });

  route(app, 'POST', '/me/recovery-codes/saved', 'signed-in', async (c) => {
    await acknowledgeRecoveryCodes(c.get('deps').database.db, requireActor(c));
    return c.redirect('/me', 303);
  });

  route(app, 'POST', '/sign-out', 'signed-in', async (c) => {
    const actor = c.get('actor');
    if (actor) await revokeSession(c.get('deps').database.db, actor.sessionId);
    deleteCookie(c, cookieName(c, SESSION_COOKIE), { path: '/', secure: cookieName(c, SESSION_COOKIE).startsWith('__Host-') });
    return c.redirect('/', 303);
  });
}
