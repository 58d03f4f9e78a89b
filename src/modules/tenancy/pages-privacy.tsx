import { route, type RouteTarget } from '../../server/access.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { PRIVACY_NOTICE_VERSION } from '../membership/service.ts';
import { findTenantById } from './queries.ts';

/** The privacy notice (UK GDPR art. 13): who the controller is, how to reach them, how to complain. */
export function registerPrivacyPage(app: RouteTarget): void {
  route(app, 'GET', '/privacy', 'public', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    // Read afresh: the request's tenant may be cached from before the contact was set.
    const tenant = (await findTenantById(c.get('deps').database.db, c.get('tenant').id)) ?? c.get('tenant');
    return c.html(
      <Layout view={view} title={t('privacy.title')}>
        <h1>{t('privacy.title')}</h1>
        <p class="muted">{t('privacy.version', { version: PRIVACY_NOTICE_VERSION })}</p>
        <p>{t('privacy.controller', { tenant: tenant.name })}</p>
        {(['privacy.who', 'privacy.what', 'privacy.why', 'privacy.share', 'privacy.keep', 'privacy.rights', 'privacy.children'] as const).map((k) => (
          <p>{t(k)}</p>
        ))}
        <h2 id="contact">{t('privacy.contact.title')}</h2>
        {tenant.contactEmail || tenant.contactAddress ? (
          <dl class="facts">
            {tenant.contactEmail ? (
              <>
                <dt>{t('privacy.contact.email')}</dt>
                <dd>
                  <a href={`mailto:${tenant.contactEmail}`}>{tenant.contactEmail}</a>
                </dd>
              </>
            ) : null}
            {tenant.contactAddress ? (
              <>
                <dt>{t('privacy.contact.address')}</dt>
                <dd class="address">{tenant.contactAddress}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {tenant.contactEmail && tenant.contactAddress ? null : (
          <p class="notice" id="contact-missing">
            {t('privacy.contact.missing')}
          </p>
        )}
        <h2 id="complain">{t('privacy.complain.title')}</h2>
        <p>{t('privacy.complain.body')}</p>
        <ul>
          <li>
            <a href="https://ico.org.uk/make-a-complaint/">{t('privacy.complain.web')}</a>
          </li>
          <li>{t('privacy.complain.phone')}</li>
          <li>{t('privacy.complain.post')}</li>
        </ul>
      </Layout>,
    );
  });
}
