import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { formatCell } from '../../lib/suppression.ts';
import { formatNumber, type Translate } from '../../ui/i18n/index.ts';
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

/** What both coverage pages show above the table: the demo notice, the count of wards without a representative, the map. */
function coverageSummary(c: Context<AppEnv>, coverage: Coverage) {
  const { t } = viewOf(c);
  return (
    <>
      {coverage.demo ? <DemoNotice t={t} /> : null}
      <p>{t('coverage.summary', { without: coverage.wardsWithoutRep, wards: coverage.rows.length })}</p>
      {coverageMap(c, coverage, t('coverage.map', { set: coverage.setName }))}
    </>
  );
}

/** One row of a coverage table: the public page shows counts suppressed, the coordinator page exact. */
interface CoverageRow {
  name: string;
  covered: boolean;
  reps: Child;
  members: string;
  per1000: string;
}

/** The coverage table both pages show (same markup; the e2e and axe checks read it). */
function CoverageTable({ t, caption, repsHeading, rows, total }: { t: Translate; caption: string; repsHeading: string; rows: CoverageRow[]; total: string }) {
  return (
    <TableWrap label={caption}>
      <table class="stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('wards.col.ward')}</th>
            <th scope="col">{repsHeading}</th>
            <th scope="col" class="num">{t('coverage.col.members')}</th>
            <th scope="col" class="num hide-narrow">{t('coverage.col.per1000')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr class={r.covered ? undefined : 'coverage-none'}>
              <th scope="row">{r.name}</th>
              <td data-label={repsHeading}>{r.reps}</td>
              <td class="num" data-label={t('coverage.col.members')}>{r.members}</td>
              <td class="num hide-narrow" data-label={t('coverage.col.per1000')}>{r.per1000}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('coverage.total')}</th>
            <td></td>
            <td class="num" data-label={t('coverage.col.members')}>{total}</td>
            <td class="hide-narrow"></td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
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
        {coverageSummary(c, coverage)}
        <CoverageTable
          t={t}
          caption={t('coverage.caption', { set: coverage.setName })}
          repsHeading={t('coverage.col.rep')}
          rows={published.rows.map((r) => ({
            name: r.name,
            covered: r.hasRepresentative,
            reps: r.hasRepresentative ? t('coverage.yes') : t('coverage.no'),
            members: formatCell(r.members, loc),
            per1000: formatCell(r.perThousandUnder5, loc),
          }))}
          total={formatCell(published.total, loc)}
        />
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
        {coverageSummary(c, coverage)}
        <CoverageTable
          t={t}
          caption={t('coverage.caption', { set: coverage.setName })}
          repsHeading={t('coverage.col.reps')}
          rows={coverage.rows.map((r) => ({
            name: r.name,
            covered: r.representatives.length > 0,
            reps: r.representatives.length ? (
              r.representatives.map((rep, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`/coordinator/members/${rep.memberId}`}>{rep.name}</a>
                  {rep.isDemo ? <DemoTag t={t} /> : null}
                </>
              ))
            ) : (
              <strong>{t('coverage.flag')}</strong>
            ),
            members: formatNumber(locale, r.members),
            per1000: r.childrenUnder5 ? formatNumber(locale, Math.round((r.members / r.childrenUnder5) * 10000) / 10) : t('number.notAvailable'),
          }))}
          total={formatNumber(locale, coverage.rows.reduce((s, r) => s + r.members, 0))}
        />
        {coverage.membersWithoutWard ? <p>{t('coverage.noWard', { n: coverage.membersWithoutWard })}</p> : null}
      </Layout>,
    );
  });
}
