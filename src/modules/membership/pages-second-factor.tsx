import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { raw } from 'hono/html';
import QRCode from 'qrcode';
import type { AppEnv } from '../../server/context.ts';
import { cookieName } from '../../server/cookies.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { secondFactorState, totpEnrolment } from './auth.ts';
import { SECOND_FACTOR_COOKIE } from './sign-in-cookies.ts';

/** The time the second-factor step checks codes against (injectable for tests). */
export function secondFactorClock(c: Context<AppEnv>): number {
  return c.get('deps').clock?.() ?? Date.now();
}

/** The QR code of an otpauth URI as SVG markup made on the server (no script, no inline style). */
async function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}

/**
 * The second step of a staff sign-in: a code form; TOTP set-up (QR code and key) only when this
 * sign-in may enrol; otherwise a pointer to ask an admin for a staff invitation.
 */
export async function secondFactorPage(c: Context<AppEnv>, issues: FieldIssue[], status: 200 | 400 | 429 = issues.length ? 400 : 200) {
  const view = viewOf(c);
  const { t } = view;
  const deps = c.get('deps');
  const tenant = c.get('tenant');
  const now = secondFactorClock(c);
  const pending = getCookie(c, cookieName(c, SECOND_FACTOR_COOKIE)) ?? '';
  const state = await secondFactorState(deps.database.db, tenant.id, pending, now);
  c.header('Referrer-Policy', 'no-referrer');
  if (!state) {
    // Expired, used, or stopped after too many wrong codes: a new email link is needed.
    return c.html(
      <Layout view={view} title={t('twofa.title')}>
        <h1>{t('twofa.title')}</h1>
        <ErrorSummary t={t} issues={issues.length ? issues : [{ field: 'code', message: 'twofa.error.expired' }]} />
        <p>
          <a href="/sign-in">{t('signin.again')}</a>
        </p>
      </Layout>,
      400,
    );
  }
  if (state.pausedUntil) {
    const minutes = Math.max(1, Math.ceil((state.pausedUntil.getTime() - now) / 60_000));
    return c.html(
      <Layout view={view} title={t('twofa.title')}>
        <h1>{t('twofa.title')}</h1>
        <p class="error" role="alert">
          {t('twofa.paused', { minutes })}
        </p>
        <p>{t('twofa.paused.why')}</p>
      </Layout>,
      429,
    );
  }
  if (!state.confirmed && !state.enrol) {
    return c.html(
      <Layout view={view} title={t('twofa.title')}>
        <h1>{t('twofa.noEnrol.title')}</h1>
        <p>{t('twofa.noEnrol.lead')}</p>
        <p>{t('twofa.noEnrol.next')}</p>
      </Layout>,
      issues.length ? 400 : 200,
    );
  }
  let enrolment: { secret: string; uri: string; svg: string } | undefined;
  if (state.enrol) {
    try {
      const e = await totpEnrolment(deps.database.db, tenant, deps.secret, state.memberId);
      enrolment = { ...e, svg: await qrSvg(e.uri) };
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    }
  }
  return c.html(
    <Layout view={view} title={t('twofa.title')}>
      <h1>{t('twofa.title')}</h1>
      <ErrorSummary t={t} issues={issues} />
      {enrolment ? (
        <>
          <p>{t('twofa.enrol.lead')}</p>
          <ol class="setup-steps">
            <li>{t('twofa.enrol.step1')}</li>
            <li>
              {t('twofa.enrol.step2')}
              <div class="qr" role="img" aria-label={t('twofa.enrol.qr')}>
                {raw(enrolment.svg)}
              </div>
              <p>
                {t('twofa.enrol.secret')} <code class="secret">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
              </p>
              <p>
                <a href={enrolment.uri}>{t('twofa.enrol.open')}</a>
              </p>
            </li>
            <li>{t('twofa.enrol.step3')}</li>
          </ol>
        </>
      ) : (
        <p>{t('twofa.lead')}</p>
      )}
      <form method="post" action="/sign-in/second-factor" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="code" label={t('twofa.code')} hint={enrolment ? undefined : t('twofa.code.recoveryHint')} issues={issues}>
          {(a) => <input type="text" {...a} autocomplete="one-time-code" maxlength={20} spellcheck={false} autocapitalize="none" />}
        </Field>
        <button class="button" type="submit">
          {t('twofa.submit')}
        </button>
      </form>
    </Layout>,
    status,
  );
}

/** Recovery codes, shown once right after TOTP is first confirmed, with an "I have saved them" step. */
export function recoveryCodesPage(c: Context<AppEnv>, codes: string[]) {
  const view = viewOf(c);
  const { t } = view;
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(
    <Layout view={view} title={t('recovery.title')}>
      <h1>{t('recovery.title')}</h1>
      <p class="lead">{t('recovery.lead')}</p>
      <p>{t('recovery.once')}</p>
      <ol class="recovery-codes" aria-label={t('recovery.list')}>
        {codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <form method="post" action="/me/recovery-codes/saved">
        <CsrfField token={view.csrfToken} />
        <button class="button" type="submit">
          {t('recovery.saved')}
        </button>
      </form>
    </Layout>,
  );
}
