import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import type { Context } from 'hono';
import { route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { formatCell } from '../../lib/suppression.ts';
import { formatNumber } from '../../ui/i18n/index.ts';
import { TableWrap } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { publishCoverage, wardCoverage, type Coverage } from './representation.ts';

function coverageMap(c: Context<AppEnv>, coverage: Coverage, label: string) {
  const { t } = viewOf(c);
  const categories = Object.fromEntries(coverage.rows.map((r) => [r.code, r.representatives.length > 0 ? 'some' : 'none']));
  return (
    <>
      <div
        id="wards-map"
        class="map"
        role="region"
        aria-label={label}
        data-geojson={`/api/v1/ward-sets/${coverage.setKey}/geojson`}
        data-coverage={JSON.stringify(categories)}
        data-zoom-in={t('map.zoomIn')}
        data-zoom-out={t('map.zoomOut')}
      >
        <p class="muted wrap">{t('wards.map.hint')}</p>
      </div>
      <ul class="legend">
        <li>
          <span class="swatch swatch-some" aria-hidden="true"></span>
          {t('coverage.legend.some')}
        </li>
        <li>
          <span class="swatch swatch-none" aria-hidden="true"></span>
          {t('coverage.legend.none')}
        </li>
      </ul>
    </>
  );
}

export function registerCoveragePages(app: RouteTarget): void {
  route(app, 'GET', '/wards/coverage', 'public', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const coverage = await wardCoverage(c.get('deps').database.db, c.get('tenant'));
    const published = publishCoverage(coverage);
    const loc = locale === 'pl' ? 'pl-PL' : 'en-GB';
    return c.html(
      <Layout view={view} title={t('coverage.title')} scripts={['wards-map.js']} styles={['wards-map.css']}>
        <h1>{t('coverage.title')}</h1>
        <p class="lead">{t('coverage.lead')}</p>
        {coverage.demo ? <DemoNotice t={t} /> : null}
        <p>{t('coverage.summary', { without: coverage.wardsWithoutRep, wards: coverage.rows.length })}</p>
        {coverageMap(c, coverage, t('coverage.map', { set: coverage.setName }))}
        <TableWrap label={t('coverage.caption', { set: coverage.setName })}>
          <table class="stack">
            <caption>{t('coverage.caption', { set: coverage.setName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('wards.col.ward')}</th>
                <th scope="col">{t('coverage.col.rep')}</th>
                <th scope="col" class="num">{t('coverage.col.members')}</th>
                <th scope="col" class="num hide-narrow">{t('coverage.col.per1000')}</th>
              </tr>
            </thead>
            <tbody>
              {published.rows.map((r) => (
                <tr class={r.hasRepresentative ? undefined : 'coverage-none'}>
                  <th scope="row">{r.name}</th>
                  <td data-label={t('coverage.col.rep')}>{r.hasRepresentative ? t('coverage.yes') : t('coverage.no')}</td>
                  <td class="num" data-label={t('coverage.col.members')}>{formatCell(r.members, loc)}</td>
                  <td class="num hide-narrow" data-label={t('coverage.col.per1000')}>{formatCell(r.perThousandUnder5, loc)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('coverage.total')}</th>
                <td></td>
                <td class="num" data-label={t('coverage.col.members')}>{formatCell(published.total, loc)}</td>
                <td class="hide-narrow"></td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
        <p class="muted">{t('coverage.suppression')}</p>
      </Layout>,
    );
  });

  route(app, 'GET', '/coordinator/coverage', 'coverage.exact', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const coverage = await wardCoverage(c.get('deps').database.db, c.get('tenant'));
    return c.html(
      <Layout view={view} title={t('coverage.exact.title')} scripts={['wards-map.js']} styles={['wards-map.css']}>
        <h1>{t('coverage.exact.title')}</h1>
        <p class="notice">{t('coverage.exact.notice')}</p>
        {coverage.demo ? <DemoNotice t={t} /> : null}
        <p>{t('coverage.summary', { without: coverage.wardsWithoutRep, wards: coverage.rows.length })}</p>
        {coverageMap(c, coverage, t('coverage.map', { set: coverage.setName }))}
        <TableWrap label={t('coverage.caption', { set: coverage.setName })}>
          <table class="stack">
            <caption>{t('coverage.caption', { set: coverage.setName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('wards.col.ward')}</th>
                <th scope="col">{t('coverage.col.reps')}</th>
                <th scope="col" class="num">{t('coverage.col.members')}</th>
                <th scope="col" class="num hide-narrow">{t('coverage.col.per1000')}</th>
              </tr>
            </thead>
            <tbody>
              {coverage.rows.map((r) => (
                <tr class={r.representatives.length ? undefined : 'coverage-none'}>
                  <th scope="row">{r.name}</th>
                  <td data-label={t('coverage.col.reps')}>
                    {r.representatives.length ? (
                      r.representatives.map((rep, i) => (
                        <>
                          {i > 0 ? ', ' : ''}
                          <a href={`/coordinator/members/${rep.memberId}`}>{rep.name}</a>
                          {rep.isDemo ? <DemoTag t={t} /> : null}
                        </>
                      ))
                    ) : (
                      <strong>{t('coverage.flag')}</strong>
                    )}
                  </td>
                  <td class="num" data-label={t('coverage.col.members')}>{formatNumber(locale, r.members)}</td>
                  <td class="num hide-narrow" data-label={t('coverage.col.per1000')}>{r.childrenUnder5 ? formatNumber(locale, Math.round((r.members / r.childrenUnder5) * 10000) / 10) : t('number.notAvailable')}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('coverage.total')}</th>
                <td></td>
                <td class="num" data-label={t('coverage.col.members')}>{formatNumber(locale, coverage.rows.reduce((s, r) => s + r.members, 0))}</td>
                <td class="hide-narrow"></td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
        {coverage.membersWithoutWard ? <p>{t('coverage.noWard', { n: coverage.membersWithoutWard })}</p> : null}
      </Layout>,
    );
  });
}
