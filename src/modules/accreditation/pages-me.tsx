import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { isoDate } from '../../lib/dates.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { TableWrap } from '../../ui/forms.tsx';
import { formatDate, translator, type MessageKey } from '../../ui/i18n/index.ts';
import type { MePanelContext } from '../manifest.ts';
import { memberCard } from '../membership/views.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { openBadgeCredential } from './badge.ts';
import { certificatePdf } from './certificate.ts';
import { kindTitle, qualificationForDocument } from './service.ts';
import { qualificationsOfMember, statusOf } from './views.ts';

/** The holder's documents: the certificate PDF and the (unsigned) Open Badge; coordinators may download them too. */
export function registerMeDocuments(app: RouteTarget): void {
  route(app, 'GET', '/me/qualifications/:id/certificate.pdf', 'signed-in', async (c) => {
    const deps = c.get('deps');
    const db = deps.database.db;
    const tenant = c.get('tenant');
    const { award, kind } = await qualificationForDocument(db, requireActor(c), c.req.param('id') ?? '', 'certificate');
    const holder = await memberCard(db, tenant.id, award.memberId);
    if (!holder) throw new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
    const locale = holder.preferredLocale === 'pl' ? 'pl' : 'en';
    const baseUrl = await tenantBaseUrl(db, tenant, deps.config.publicUrl);
    const pdf = await certificatePdf({
      t: translator(locale),
      locale,
      tenantName: tenant.name,
      holderName: holder.name,
      qualification: kindTitle(kind, locale),
      issuedOn: award.issuedOn,
      expiresOn: award.expiresOn,
      code: award.code,
      checkUrl: `${baseUrl}/certificates/${award.code}`,
      isDemo: award.isDemo,
    });
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="certificate-${kind.key}-${award.issuedOn}.pdf"`,
      'cache-control': 'private, no-store',
    });
  });

  route(app, 'GET', '/me/qualifications/:id/badge.json', 'signed-in', async (c) => {
    const deps = c.get('deps');
    const db = deps.database.db;
    const tenant = c.get('tenant');
    const { award, kind } = await qualificationForDocument(db, requireActor(c), c.req.param('id') ?? '', 'badge');
    const holder = await memberCard(db, tenant.id, award.memberId);
    if (!holder) throw new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
    const baseUrl = await tenantBaseUrl(db, tenant, deps.config.publicUrl);
    const body = openBadgeCredential({ award, kind, baseUrl, tenantName: tenant.name, holderName: holder.name, locale: holder.preferredLocale });
    return c.body(JSON.stringify(body, null, 2), 200, {
      'content-type': 'application/ld+json; charset=utf-8',
      'content-disposition': `attachment; filename="badge-${kind.key}-${award.issuedOn}.json"`,
      'cache-control': 'private, no-store',
    });
  });
}

/** /me: my qualifications (current ones; a renewed award gives way to its renewal), with their documents. */
export async function renderMePanel({ db, actor, t, locale, now }: MePanelContext) {
  const today = isoDate(now);
  const awards = (await qualificationsOfMember(db, actor.tenantId, actor.memberId)).filter((a) => !a.superseded);
  return (
    <section>
      <h2 id="me-qualifications">{t('accreditation.me.title')}</h2>
      {awards.length === 0 ? (
        <p>{t('accreditation.me.none')}</p>
      ) : (
        <TableWrap label={t('accreditation.me.title')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('accreditation.me.qualification')}</th>
                <th scope="col">{t('accreditation.me.issued')}</th>
                <th scope="col">{t('accreditation.me.expires')}</th>
                <th scope="col">{t('accreditation.me.status')}</th>
                <th scope="col">{t('accreditation.me.documents')}</th>
              </tr>
            </thead>
            <tbody>
              {awards.map((a) => (
                <tr>
                  <td data-label={t('accreditation.me.qualification')}>
                    {kindTitle(a, locale)}
                    {a.isDemo ? <DemoTag t={t} /> : null}
                  </td>
                  <td data-label={t('accreditation.me.issued')}>{formatDate(locale, a.issuedOn)}</td>
                  <td data-label={t('accreditation.me.expires')}>{a.expiresOn ? formatDate(locale, a.expiresOn) : t('accreditation.never')}</td>
                  <td data-label={t('accreditation.me.status')}>{t(`accreditation.status.${statusOf(a, today)}` as MessageKey)}</td>
                  <td data-label={t('accreditation.me.documents')}>
                    {a.revokedAt ? null : (
                      <>
                        <a href={`/me/qualifications/${a.id}/certificate.pdf`}>{t('accreditation.me.certificate')}</a>
                        {' · '}
                        <a href={`/me/qualifications/${a.id}/badge.json`}>{t('accreditation.me.badge')}</a>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
