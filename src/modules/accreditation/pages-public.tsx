import type { Context } from 'hono';
import { route, type RouteTarget } from '../../server/access.ts';
import { clientKey } from '../../server/client-address.ts';
import type { AppEnv } from '../../server/context.ts';
import { isoDate } from '../../lib/dates.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { ErrorSummary, Field } from '../../ui/forms.tsx';
import { formatDate, type MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { memberCard } from '../membership/views.ts';
import { rateLimit } from '../membership/rate-limit.ts';
import { formatCode, normaliseCode } from './codes.ts';
import { kindTitle } from './service.ts';
import { awardByCode, publicName, statusOf } from './views.ts';

/** Lookups of a code per client address and tenant: 30 in 10 minutes (membership's shared database limiter). */
export const CHECK_LIMIT = { limit: 30, windowSeconds: 600 } as const;
export const checkLimitKey = (tenantId: string, client: string) => `cert-check:${tenantId}:${client}`;

function privateHeaders(c: Context<AppEnv>): void {
  // The code is in the path: keep it out of other sites' logs and shared caches.
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
}

function CheckForm({ c, value, invalid }: { c: Context<AppEnv>; value: string; invalid: boolean }) {
  const { t } = viewOf(c);
  const issues = invalid ? [{ field: 'code', message: 'accreditation.error.code' }] : [];
  return (
    <form method="get" action="/certificates/check" novalidate>
      <ErrorSummary t={t} issues={issues} />
      <Field t={t} name="code" label={t('accreditation.check.code')} hint={t('accreditation.check.hint')} issues={issues}>
        {(a) => <input type="text" {...a} value={value} autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={40} />}
      </Field>
      <button class="button" type="submit">
        {t('accreditation.check.submit')}
      </button>
    </form>
  );
}

function unknown(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t } = view;
  privateHeaders(c);
  return c.html(
    <Layout view={view} title={t('accreditation.check.unknown.title')}>
      <h1>{t('accreditation.check.unknown.title')}</h1>
      <p>{t('accreditation.check.unknown.body')}</p>
      <p>
        <a href="/certificates/check">{t('accreditation.check.again')}</a>
      </p>
    </Layout>,
    404,
  );
}

export function registerPublicPages(app: RouteTarget): void {
  route(app, 'GET', '/certificates/check', 'public', (c) => {
    const raw = c.req.query('code');
    const view = viewOf(c);
    const { t } = view;
    if (raw !== undefined && raw !== '') {
      const code = normaliseCode(raw);
      if (code) return c.redirect(`/certificates/${code}`, 303);
    }
    privateHeaders(c);
    return c.html(
      <Layout view={view} title={t('accreditation.check.title')}>
        <h1>{t('accreditation.check.title')}</h1>
        <p>{t('accreditation.check.lead')}</p>
        <CheckForm c={c} value={raw && raw.length <= 40 ? raw : ''} invalid={raw !== undefined && raw !== ''} />
      </Layout>,
      raw !== undefined && raw !== '' ? 400 : 200,
    );
  });

  route(app, 'GET', '/certificates/:code', 'public', async (c) => {
    const db = c.get('deps').database.db;
    const tenant = c.get('tenant');
    await rateLimit(db, checkLimitKey(tenant.id, clientKey(c)), CHECK_LIMIT.limit, CHECK_LIMIT.windowSeconds);
    const code = normaliseCode(c.req.param('code') ?? '');
    if (!code) return unknown(c);
    const award = await awardByCode(db, tenant.id, code);
    const holder = award ? await memberCard(db, tenant.id, award.memberId) : undefined;
    if (!award || !holder || !holder.name.trim()) return unknown(c);
    const view = viewOf(c);
    const { t, locale } = view;
    const status = statusOf(award, isoDate(new Date(c.get('deps').clock?.() ?? Date.now())));
    const shown = status === 'expiring' ? 'valid' : status;
    privateHeaders(c);
    return c.html(
      <Layout view={view} title={t('accreditation.check.result')}>
        <h1>
          {t('accreditation.check.result')}
          {award.isDemo ? <DemoTag t={t} /> : null}
        </h1>
        {award.isDemo ? (
          <p class="notice demo" role="note">
            {t('accreditation.check.demo')}
          </p>
        ) : null}
        {shown === 'revoked' ? (
          <p class="notice error" role="alert">
            {t('accreditation.check.revokedNote')}
          </p>
        ) : shown === 'expired' ? (
          <p class="notice" role="status">
            {t('accreditation.check.expiredNote')}
          </p>
        ) : null}
        <Facts
          items={[
            [t('accreditation.check.holder'), publicName(holder.name)],
            [t('accreditation.check.qualification'), kindTitle(award, locale)],
            [t('accreditation.check.issued'), formatDate(locale, award.issuedOn)],
            [t('accreditation.check.expires'), award.expiresOn ? formatDate(locale, award.expiresOn) : t('accreditation.never')],
            [t('accreditation.check.status'), <strong>{t(`accreditation.status.${shown}` as MessageKey)}</strong>],
            [t('accreditation.check.code'), formatCode(code)],
          ]}
        />
        <p>
          <a href="/certificates/check">{t('accreditation.check.again')}</a>
        </p>
      </Layout>,
    );
  });
}
