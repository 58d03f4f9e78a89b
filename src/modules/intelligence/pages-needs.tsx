import type { Context } from 'hono';
import { formatMonth } from '../../lib/dates.ts';
import { raw } from 'hono/html';
import type { Cell } from '../../lib/suppression.ts';
import { formatCell } from '../../lib/suppression.ts';
import { allows, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, notFound, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice } from '../../ui/demo.tsx';
import { ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { renderChart } from './needs-chart.ts';
import { categoryTitle, needsCsv, needsGeoJson } from './needs-export.ts';
import {
  cachedNeedsPicture,
  defaultFilter,
  filterQuery,
  needsCategories,
  needsPicture,
  parseNeedsFilter,
  publishNeeds,
  shownPicture,
  exactWardLines,
  type Month,
  type NeedsCategory,
  type NeedsFilter,
  type NeedsPicture,
  type PublishedGrid,
  type PublishedLine,
  type PublishedNeeds,
} from './needs.ts';

/**
 * The public needs picture: `/needs` (map, table, trend chart), `/needs/wards/:code`, and the
 * exports `/needs.csv` and `/needs.geojson`. One set of pages for everyone: a coordinator or an
 * admin (`intel.exact`) sees exact figures, everyone else the suppressed ones (METRICS.md).
 */

export function monthLabel(locale: Locale, m: Month, long = false): string {
  return formatMonth(locale, m, long ? 'long' : 'short');
}

function periodLabel(t: Translate, locale: Locale, f: NeedsFilter): string {
  return t('intel.needs.period', { from: monthLabel(locale, f.from, true), to: monthLabel(locale, f.to, true) });
}

function nowOf(c: Context<AppEnv>): Date {
  const clock = c.get('deps').clock;
  return new Date(clock ? clock() : Date.now());
}

function canSeeExact(c: Context<AppEnv>): boolean {
  const actor = c.get('actor');
  return !!actor && allows('intel.exact', actor.roles);
}

/** The filter from the query, or the issues to show; categories are checked against the tenant's keys. */
async function readFilter(c: Context<AppEnv>): Promise<{ filter: NeedsFilter; issues: FieldIssue[]; categories: NeedsCategory[] }> {
  const categories = await needsCategories(c.get('deps').database.db, c.get('tenant').id);
  const q = c.req.query();
  try {
    return { filter: parseNeedsFilter(q, nowOf(c), categories.map((k) => k.key)), issues: [], categories };
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed') return { filter: defaultFilter(nowOf(c)), issues: err.fields, categories };
    throw err;
  }
}

async function load(c: Context<AppEnv>, filter: NeedsFilter, categories: NeedsCategory[]): Promise<{ picture: NeedsPicture; published: PublishedNeeds }> {
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const exact = canSeeExact(c);
  // Coordinators read fresh figures; the public page may serve the same aggregates for a minute.
  const full = exact ? await needsPicture(db, tenant, filter, categories) : await cachedNeedsPicture(db, tenant, filter, categories);
  return { picture: shownPicture(full), published: publishNeeds(full, exact) };
}

function noStoreIfExact(c: Context<AppEnv>, exact: boolean): void {
  // The same address serves exact figures to coordinators: never let a shared cache keep those.
  c.header('Cache-Control', exact ? 'no-store' : 'private, max-age=60');
  c.header('Vary', 'Cookie');
}

function FilterForm({ view, filter, categories, issues, action }: { view: View; filter: NeedsFilter; categories: NeedsCategory[]; issues: FieldIssue[]; action: string }) {
  const { t, locale } = view;
  return (
    <form method="get" action={action} class="needs-filter" aria-labelledby="needs-filter-title">
      <h2 id="needs-filter-title">{t('intel.needs.filter.title')}</h2>
      <Field t={t} name="category" label={t('intel.needs.filter.category')} issues={issues}>
        {(a) => (
          <select {...a}>
            <option value="">{t('intel.needs.filter.all')}</option>
            {categories.map((k) => (
              <option value={k.key} selected={filter.category === k.key}>
                {categoryTitle(k, locale)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="from" label={t('intel.needs.filter.from')} hint={t('intel.needs.filter.monthHint')} issues={issues}>
        {(a) => <input {...a} type="month" value={filter.from} pattern="\d{4}-\d{2}" />}
      </Field>
      <Field t={t} name="to" label={t('intel.needs.filter.to')} hint={t('intel.needs.filter.monthHint')} issues={issues}>
        {(a) => <input {...a} type="month" value={filter.to} pattern="\d{4}-\d{2}" />}
      </Field>
      <p>
        <button type="submit">{t('intel.needs.filter.submit')}</button>
      </p>
    </form>
  );
}

const show = (cell: Cell, locale: Locale) => formatCell(cell, locale === 'pl' ? 'pl-PL' : 'en-GB');

/** Map classes: 'c' hidden, 'n0' none, 'n1'–'n3' thirds of the published non-zero totals. */
export function choropleth(cells: readonly Cell[]): { classes: string[]; breaks: Array<{ cls: string; low: number; high: number | null }> } {
  const shown = [...new Set(cells.filter((c) => !c.suppressed && (c.value ?? 0) > 0).map((c) => c.value as number))].sort((a, b) => a - b);
  const cut = (q: number) => shown[Math.min(shown.length - 1, Math.floor(q * shown.length))] ?? 0;
  const edges = shown.length >= 3 ? [shown[0]!, cut(1 / 3), cut(2 / 3)] : shown.slice(0, 3);
  const uniq = [...new Set(edges)];
  const breaks = uniq.map((low, i) => ({ cls: `n${i + 1}`, low, high: i + 1 < uniq.length ? uniq[i + 1]! - 1 : null }));
  const classes = cells.map((c) => {
    if (c.suppressed) return 'c';
    const v = c.value ?? 0;
    if (v === 0) return 'n0';
    let cls = 'n1';
    for (const b of breaks) if (v >= b.low) cls = b.cls;
    return cls;
  });
  return { classes, breaks };
}

function NeedsMap({ view, picture, published }: { view: View; picture: NeedsPicture; published: PublishedNeeds }) {
  const { t, locale } = view;
  const { classes, breaks } = choropleth(published.byWard.reports.rowTotals);
  const byCode = Object.fromEntries(picture.wards.map((w, i) => [w.code, classes[i] ?? 'n0']));
  const fmt = (n: number) => new Intl.NumberFormat(locale === 'pl' ? 'pl-PL' : 'en-GB').format(n);
  return (
    <>
      <div
        id="wards-map"
        class="map"
        role="region"
        aria-label={t('intel.needs.map', { period: periodLabel(t, locale, picture.filter) })}
        data-geojson={`/needs.geojson?${filterQuery(picture.filter)}`}
        data-choropleth={JSON.stringify(byCode)}
        data-zoom-in={t('map.zoomIn')}
        data-zoom-out={t('map.zoomOut')}
      >
        <p class="muted wrap">{t('wards.map.hint')}</p>
      </div>
      <ul class="legend">
        <li>
          <span class="swatch swatch-needs-n0" aria-hidden="true"></span>
          {t('intel.needs.legend.zero')}
        </li>
        {breaks.map((b) => (
          <li>
            <span class={`swatch swatch-needs-${b.cls}`} aria-hidden="true"></span>
            {b.high === null ? t('intel.needs.legend.atLeast', { low: fmt(b.low) }) : t('intel.needs.legend.range', { low: fmt(b.low), high: fmt(b.high) })}
          </li>
        ))}
        {published.exact ? null : (
          <li>
            <span class="swatch swatch-needs-c" aria-hidden="true"></span>
            {t('intel.needs.legend.c')}
          </li>
        )}
      </ul>
    </>
  );
}

/** Wards × categories (stacks into cards at 390 px: every cell carries its column's label). */
function WardTable({ view, picture, grid, caption, query }: { view: View; picture: NeedsPicture; grid: PublishedGrid; caption: string; query: string }) {
  const { t, locale } = view;
  const titles = picture.categories.map((k) => categoryTitle(k, locale));
  const single = picture.categories.length === 1;
  return (
    <TableWrap label={caption}>
      <table class="stack needs-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('wards.col.ward')}</th>
            {titles.map((title) => (
              <th scope="col" class="num">
                {title}
              </th>
            ))}
            {single ? null : (
              <th scope="col" class="num">
                {t('intel.needs.col.total')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {picture.wards.map((w, i) => (
            <tr>
              <th scope="row">
                <a href={`/needs/wards/${encodeURIComponent(w.code)}?${query}`}>{w.name}</a>
              </th>
              {titles.map((title, j) => (
                <td class="num" data-label={title}>
                  {show(grid.cells[i]![j]!, locale)}
                </td>
              ))}
              {single ? null : (
                <td class="num" data-label={t('intel.needs.col.total')}>
                  {show(grid.rowTotals[i]!, locale)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('intel.needs.row.total')}</th>
            {titles.map((title, j) => (
              <td class="num" data-label={title}>
                {show(grid.columnTotals[j]!, locale)}
              </td>
            ))}
            {single ? null : (
              <td class="num" data-label={t('intel.needs.col.total')}>
                {show(grid.grandTotal, locale)}
              </td>
            )}
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}

/** Categories × months with the period total (stacks into one card per category on a phone). */
function TrendTable({ view, picture, lines, caption }: { view: View; picture: NeedsPicture; lines: PublishedLine[]; caption: string }) {
  const { t, locale } = view;
  return (
    <TableWrap label={caption}>
      <table class="stack needs-trend">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('intel.needs.col.category')}</th>
            {picture.months.map((m) => (
              <th scope="col" class="num">
                {monthLabel(locale, m)}
              </th>
            ))}
            <th scope="col" class="num">
              {t('intel.needs.col.total')}
            </th>
          </tr>
        </thead>
        <tbody>
          {picture.categories.map((k, j) => (
            <tr>
              <th scope="row">{categoryTitle(k, locale)}</th>
              {picture.months.map((month, m) => (
                <td class="num" data-label={monthLabel(locale, month)}>
                  {show(lines[j]!.cells[m]!, locale)}
                </td>
              ))}
              <td class="num" data-label={t('intel.needs.col.total')}>
                {show(lines[j]!.total, locale)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

async function Chart({ view, picture, lines, title, id, exact }: { view: View; picture: NeedsPicture; lines: PublishedLine[]; title: string; id: string; exact: boolean }) {
  const { t, locale } = view;
  const svg = await renderChart({
    id,
    title,
    description: t('intel.needs.trend.desc'),
    months: picture.months,
    monthLabels: picture.months.map((m) => monthLabel(locale, m)),
    series: picture.categories.map((k, j) => ({ label: categoryTitle(k, locale), cells: lines[j]!.cells })),
    yTitle: t('intel.needs.reports'),
    suppressed: !exact,
  });
  return <figure class="chart">{raw(svg)}</figure>;
}

function Exports({ view, query }: { view: View; query: string }) {
  const { t } = view;
  return (
    <>
      <h2>{t('intel.needs.exports')}</h2>
      <ul>
        <li>
          <a href={`/needs.csv?${query}`} download>
            {t('intel.needs.export.csv')}
          </a>
        </li>
        <li>
          <a href={`/needs.geojson?${query}`}>{t('intel.needs.export.geojson')}</a>
        </li>
      </ul>
    </>
  );
}

/** One ward's row of the ward table: categories with reports and families (stacks at 390 px). */
function WardCategories({ view, picture, published, wardIndex, caption }: { view: View; picture: NeedsPicture; published: PublishedNeeds; wardIndex: number; caption: string }) {
  const { t, locale } = view;
  return (
    <TableWrap label={caption}>
      <table class="stack needs-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('intel.needs.col.category')}</th>
            <th scope="col" class="num">
              {t('intel.needs.reports')}
            </th>
            <th scope="col" class="num">
              {t('intel.needs.families')}
            </th>
          </tr>
        </thead>
        <tbody>
          {picture.categories.map((k, j) => (
            <tr>
              <th scope="row">{categoryTitle(k, locale)}</th>
              <td class="num" data-label={t('intel.needs.reports')}>
                {show(published.byWard.reports.cells[wardIndex]![j]!, locale)}
              </td>
              <td class="num" data-label={t('intel.needs.families')}>
                {show(published.byWard.families.cells[wardIndex]![j]!, locale)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('intel.needs.col.total')}</th>
            <td class="num" data-label={t('intel.needs.reports')}>
              {show(published.byWard.reports.rowTotals[wardIndex]!, locale)}
            </td>
            <td class="num" data-label={t('intel.needs.families')}>
              {show(published.byWard.families.rowTotals[wardIndex]!, locale)}
            </td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}

export function registerNeedsPages(app: RouteTarget): void {
  route(app, 'GET', '/needs', 'public', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const { filter, issues, categories } = await readFilter(c);
    if (issues.length) {
      return c.html(
        <Layout view={view} title={t('intel.needs.title')}>
          <h1>{t('intel.needs.title')}</h1>
          <ErrorSummary t={t} issues={issues} />
          <FilterForm view={view} filter={{ ...filter, category: c.req.query('category') }} categories={categories} issues={issues} action="/needs" />
        </Layout>,
        400,
      );
    }
    const { picture, published } = await load(c, filter, categories);
    noStoreIfExact(c, published.exact);
    const period = periodLabel(t, locale, filter);
    const query = filterQuery(filter);
    const empty = published.byWard.reports.grandTotal.value === 0;
    return c.html(
      <Layout view={view} title={t('intel.needs.title')} scripts={['wards-map.js']} styles={['wards-map.css']}>
        <h1>{t('intel.needs.title')}</h1>
        <p class="lead">{t('intel.needs.lead')}</p>
        {published.exact ? <p class="notice">{t('intel.needs.exact.notice')}</p> : null}
        {picture.demo ? <DemoNotice t={t} /> : null}
        <FilterForm view={view} filter={filter} categories={categories} issues={[]} action="/needs" />
        {!picture.categories.length ? <p>{t('intel.needs.noCategories')}</p> : null}
        {empty ? <p>{t('intel.needs.none')}</p> : null}
        <NeedsMap view={view} picture={picture} published={published} />
        <WardTable view={view} picture={picture} grid={published.byWard.reports} caption={t('intel.needs.byWard.caption', { period })} query={query} />
        <h2>{t('intel.needs.trend.title')}</h2>
        {picture.categories.length ? <Chart view={view} picture={picture} lines={published.trend.reports} title={t('intel.needs.trend.chart', { period })} id="needs-trend" exact={published.exact} /> : null}
        <TrendTable view={view} picture={picture} lines={published.trend.reports} caption={t('intel.needs.trend.caption', { period })} />
        <h2>{t('intel.needs.families')}</h2>
        <p class="muted">{t('intel.needs.familiesHint')}</p>
        <WardTable view={view} picture={picture} grid={published.byWard.families} caption={t('intel.needs.families.caption', { period })} query={query} />
        <TrendTable view={view} picture={picture} lines={published.trend.families} caption={t('intel.needs.trend.familiesCaption', { period })} />
        {published.exact ? null : <p class="muted">{t('intel.needs.suppression')}</p>}
        <Exports view={view} query={query} />
      </Layout>,
    );
  });

  route(app, 'GET', '/needs/wards/:code', 'public', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const { filter, issues, categories } = await readFilter(c);
    if (issues.length) throw new AppError('validation_failed', 'Check the filter.', issues, 'intel.needs.error.filter');
    const { picture, published } = await load(c, filter, categories);
    const i = picture.wards.findIndex((w) => w.code === c.req.param('code'));
    if (i < 0) throw notFound('That ward');
    const ward = picture.wards[i]!;
    noStoreIfExact(c, published.exact);
    const period = periodLabel(t, locale, filter);
    const lines = published.exact ? exactWardLines(picture, i) : undefined;
    return c.html(
      <Layout view={view} title={t('intel.needs.ward.title', { ward: ward.name })}>
        <h1>{t('intel.needs.ward.title', { ward: ward.name })}</h1>
        <p class="lead">{t('intel.needs.ward.lead', { ward: ward.name })}</p>
        {published.exact ? <p class="notice">{t('intel.needs.exact.notice')}</p> : null}
        {picture.demo ? <DemoNotice t={t} /> : null}
        <p>{t('intel.needs.ward.summary', { reports: show(published.byWard.reports.rowTotals[i]!, locale), families: show(published.byWard.families.rowTotals[i]!, locale) })}</p>
        <p>
          <a href={`/needs?${filterQuery(filter)}`}>{t('intel.needs.ward.back')}</a>
        </p>
        <WardCategories view={view} picture={picture} published={published} wardIndex={i} caption={t('intel.needs.ward.categories', { ward: ward.name, period })} />
        {lines ? (
          <>
            {picture.categories.length ? <Chart view={view} picture={picture} lines={lines.reports} title={t('intel.needs.ward.trend', { ward: ward.name, period })} id="needs-ward-trend" exact /> : null}
            <TrendTable view={view} picture={picture} lines={lines.reports} caption={t('intel.needs.ward.caption', { ward: ward.name, period })} />
            <TrendTable view={view} picture={picture} lines={lines.families} caption={t('intel.needs.ward.familiesCaption', { ward: ward.name, period })} />
          </>
        ) : (
          <p class="muted">{t('intel.needs.ward.monthsExactOnly')}</p>
        )}
        {published.exact ? null : <p class="muted">{t('intel.needs.suppression')}</p>}
      </Layout>,
    );
  });

  route(app, 'GET', '/needs.csv', 'public', async (c) => {
    const { t, locale } = viewOf(c);
    const { filter, issues, categories } = await readFilter(c);
    if (issues.length) throw new AppError('validation_failed', 'Check the filter.', issues, 'intel.needs.error.filter');
    const { picture, published } = await load(c, filter, categories);
    noStoreIfExact(c, published.exact);
    c.header('Content-Disposition', `attachment; filename="needs-${filter.from}-${filter.to}.csv"`);
    return c.body(needsCsv(picture, published, locale, { total: t('intel.needs.col.total'), allWards: t('intel.needs.row.total') }), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  route(app, 'GET', '/needs.geojson', 'public', async (c) => {
    const { filter, issues, categories } = await readFilter(c);
    if (issues.length) throw new AppError('validation_failed', 'Check the filter.', issues, 'intel.needs.error.filter');
    const { picture, published } = await load(c, filter, categories);
    noStoreIfExact(c, published.exact);
    const body = await needsGeoJson(c.get('deps').database.db, c.get('tenant'), picture, published);
    return c.body(JSON.stringify(body), 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
  });
}
