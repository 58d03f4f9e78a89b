import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { normalisePhone } from '../../lib/contact.ts';
import { route, type RouteTarget } from '../../server/access.ts';
import { clientKey } from '../../server/client-address.ts';
import type { AppEnv } from '../../server/context.ts';
import { cookieFor, cookieName } from '../../server/cookies.ts';
import { AppError, notFound, type FieldIssue } from '../../server/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { smsDeliverable } from '../sms/transport.ts';
import { consumePhoneCode, PHONE_CODE, requestPhoneCode } from './phone-sign-in.ts';
import { rateLimit } from './rate-limit.ts';
import { applySignIn } from './sign-in-cookies.ts';

/** Holds the pending sign-in between "text me a code" and entering it. */
const PHONE_COOKIE = 'pm_phone';

/** The "sign in with a text message" form, shown on the sign-in page when texts can be delivered. */
export function PhoneSignInForm({ view, issues, phone }: { view: View; issues: FieldIssue[]; phone: string }) {
  const { t } = view;
  return (
    <section aria-labelledby="phone-signin">
      <h2 id="phone-signin">{t('signin.phone.title')}</h2>
      <p>{t('signin.phone.lead')}</p>
      <form method="post" action="/sign-in/phone" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="phone" label={t('signin.phone.label')} hint={t('join.phone.hint')} issues={issues}>
          {(a) => <input type="tel" {...a} value={phone} autocomplete="tel" />}
        </Field>
        <button class="button button-secondary" type="submit">
          {t('signin.phone.send')}
        </button>
      </form>
    </section>
  );
}

function phonePage(c: Context<AppEnv>, issues: FieldIssue[], phone = '') {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('signin.phone.title')}>
      <ErrorSummary t={t} issues={issues} />
      <PhoneSignInForm view={view} issues={issues} phone={phone} />
    </Layout>,
    issues.length ? 400 : 200,
  );
}

function codePage(c: Context<AppEnv>, issues: FieldIssue[]) {
  const view = viewOf(c);
  const { t } = view;
  const expired = issues.some((i) => i.message === 'signin.error.phoneExpired');
  return c.html(
    <Layout view={view} title={t('signin.phone.code.title')}>
      <h1>{t('signin.phone.code.title')}</h1>
      <ErrorSummary t={t} issues={issues} />
      {expired ? null : (
        <>
          <p class="lead">{t('signin.phone.code.lead')}</p>
          <form method="post" action="/sign-in/phone/code" novalidate>
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="code" label={t('signin.phone.code.label')} issues={issues}>
              {(a) => <input type="text" {...a} inputmode="numeric" autocomplete="one-time-code" maxlength={8} />}
            </Field>
            <button class="button" type="submit">
              {t('signin.phone.code.submit')}
            </button>
          </form>
        </>
      )}
      <p>
        <a href="/sign-in/phone">{t('signin.phone.again')}</a>
      </p>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

/** Sign-in by a 6-digit code sent by text (issue 7 item 13). Not offered while texts cannot be delivered. */
export function registerPhoneSignInPages(app: RouteTarget): void {
  const available = (c: Context<AppEnv>) => {
    if (!smsDeliverable(c.get('deps').config)) throw notFound();
  };

  route(app, 'GET', '/sign-in/phone', 'public', (c) => {
    available(c);
    return phonePage(c, []);
  });

  route(app, 'POST', '/sign-in/phone', 'public', async (c) => {
    available(c);
    const body = await c.req.parseBody();
    const raw = typeof body.phone === 'string' ? body.phone : '';
    const phone = normalisePhone(raw);
    if (!phone.ok) return phonePage(c, [{ field: 'phone', message: 'join.error.phone' }], raw.slice(0, 40));
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    // The same limits as email links: per client address and per number.
    await rateLimit(deps.database.db, `signin:ip:${tenant.id}:${clientKey(c)}`, 20, 600);
    await rateLimit(deps.database.db, `signin:phone:${tenant.id}:${phone.value}`, 5, 600);
    const pending = await requestPhoneCode(deps.database.db, tenant, deps.secret, phone.value, c.get('locale'));
    const { name, options } = cookieFor(c, PHONE_COOKIE, PHONE_CODE.ttlMs / 1000);
    setCookie(c, name, pending, options);
    return c.redirect('/sign-in/phone/code', 303);
  });

  route(app, 'GET', '/sign-in/phone/code', 'public', (c) => {
    available(c);
    return codePage(c, []);
  });

  route(app, 'POST', '/sign-in/phone/code', 'public', async (c) => {
    available(c);
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    await rateLimit(deps.database.db, `signin-code:ip:${tenant.id}:${clientKey(c)}`, 30, 600);
    const pending = getCookie(c, cookieName(c, PHONE_COOKIE)) ?? '';
    const body = await c.req.parseBody();
    try {
      const result = await consumePhoneCode(deps.database.db, tenant, deps.secret, pending, typeof body.code === 'string' ? body.code : '');
      deleteCookie(c, cookieName(c, PHONE_COOKIE), { path: '/', secure: cookieName(c, PHONE_COOKIE).startsWith('__Host-') });
      return c.redirect(applySignIn(c, result), 303);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'bad_request')) return codePage(c, err.fields);
      throw err;
    }
  });
}
