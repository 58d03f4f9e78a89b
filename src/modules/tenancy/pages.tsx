import { z } from 'zod';
import { route, type RouteTarget } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { formatDate, formatNumber, type MessageKey } from '../../ui/i18n/index.ts';
import { TableWrap } from '../../ui/forms.tsx';
import { Layout, staffNavFor, WORK_HREF } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import type { WardSet } from './schema.ts';
import { registerPrivacyPage } from './pages-privacy.tsx';
import { areaOverview, findWard, pickWardSet, wardsOf, wardUrl, type WardSummary } from './views.ts';

const SetKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).optional();

function setKeyFrom(raw: string | undefined): string | undefined {
  const parsed = SetKey.safeParse(raw);
  if (!parsed.success) throw new AppError('not_found', 'There is no such ward set.', [], 'error.wardSet.noSuch');
  return parsed.data;
}

function num(view: View, value: number | null | undefined): string {
  return value === null || value === undefined ? view.t('number.notAvailable') : formatNumber(view.locale, value);
}

const FACT_KEYS = new Set<string>([
  'pct_age0to4',
  'n_lsoa2011',
  'min_IMD2019_decile',
  'n_lsoa_IMD2019_decile1',
  'n_lsoa_IMD2019_decile1or2',
  'pop_mid2020_age0to4_in_decile1or2_lsoas',
  'pct_area_in_former_corby_borough',
]);

/** Wards of which part lies outside the area the figures cover (their facts say how much is inside). */
function reachesOutside(wards: WardSummary[]): boolean {
  return wards.some((w) => typeof w.facts.pct_area_in_former_corby_borough === 'number' && w.facts.pct_area_in_former_corby_borough < 99);
}

function factLabel(view: View, key: string): string {
  return FACT_KEYS.has(key) ? view.t(`fact.${key}` as MessageKey) : key;
}

function factValue(view: View, key: string, value: number | string): string {
  if (typeof value === 'string') return value;
  return key.startsWith('pct_') ? `${formatNumber(view.locale, value)}%` : formatNumber(view.locale, value);
}

function validity(view: View, set: WardSet): string | null {
  if (!set.validFrom) return null;
  const from = formatDate(view.locale, set.validFrom);
  return set.validTo ? view.t('about.wardsets.valid', { from, to: formatDate(view.locale, set.validTo) }) : view.t('about.wardsets.validOpen', { from });
}

export function registerTenancyPages(app: RouteTarget): void {
  registerPrivacyPage(app);
  route(app, 'GET', '/', 'public', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    const db = c.get('deps').database.db;
    const tenant = c.get('tenant');
    const overview = await areaOverview(db, tenant);
    const wards = overview.currentSet ? await wardsOf(db, tenant, overview.currentSet) : [];
    const under5 = wards.reduce((sum, w) => sum + (w.childrenUnder5 ?? 0), 0);
    return c.html(
      <Layout view={view} title={t('nav.home')}>
        {c.req.query('erased') === '1' ? (
          <p class="success" role="status">
            {t('home.erased')}
          </p>
        ) : null}
        {c.req.query('left') === '1' ? (
          <p class="success" role="status">
            {t('home.left')}
          </p>
        ) : null}
        <h1>{t('home.title', { tenant: tenant.name })}</h1>
        <p class="lead">{t('home.lead')}</p>
        {view.signedIn ? null : (
          <p class="actions">
            <a class="button" href="/join">
              {t('home.join')}
            </a>
            <a href="/sign-in">{t('home.signin')}</a>
          </p>
        )}
        <h2>{t('home.what.title')}</h2>
        <ul class="card-grid">
          {(['home.what.1', 'home.what.2', 'home.what.3', 'home.what.4'] as const).map((k) => (
            <li class="card">{t(k)}</li>
          ))}
        </ul>
        <h2>{t('home.wards.title')}</h2>
        {wards.length ? (
          <>
            <p>{t('home.wards.body', { count: wards.length, under5 })}</p>
            <p>
              <a class="button" href="/wards">
                {t('home.wards.link')}
              </a>
            </p>
          </>
        ) : (
          <p>{t('home.nodata')}</p>
        )}
      </Layout>,
    );
  });

  // The staff hub: every staff entry of the modules' nav the actor may see (the bar shows one link to it).
  route(app, 'GET', WORK_HREF, 'signed-in', (c) => {
    const view = viewOf(c);
    const { t } = view;
    const links = staffNavFor(view);
    return c.html(
      <Layout view={view} title={t('work.title')}>
        <h1>{t('work.title')}</h1>
        {links.length ? (
          <>
            <p class="lead">{t('work.lead')}</p>
            <ul class="work-links">
              {links.map((l) => (
                <li>
                  <a href={l.href}>{t(l.key)}</a>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t('work.none')}</p>
        )}
      </Layout>,
    );
  });

  route(app, 'GET', '/about', 'public', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    const tenant = c.get('tenant');
    const db = c.get('deps').database.db;
    const overview = await areaOverview(db, tenant);
    const counts = await Promise.all(overview.sets.map(async (s) => (await wardsOf(db, tenant, s)).length));
    const sources = new Set(overview.sets.map((s) => s.source));
    return c.html(
      <Layout view={view} title={t('about.title')}>
        <h1>{t('about.title')}</h1>
        <p class="lead">{t('about.lead', { tenant: tenant.name })}</p>
        <h2>{t('about.wardsets.title')}</h2>
        <ul>
          {overview.sets.map((s, i) => (
            <li>
              <a href={s.current ? '/wards' : `/wards?set=${s.key}`}>{s.name}</a> ({t('about.wardsets.count', { count: counts[i] ?? 0 })})
              {s.current ? <> <span class="tag">{t('about.wardsets.current')}</span></> : null}
              {validity(view, s) ? <div class="muted">{validity(view, s)}</div> : null}
            </li>
          ))}
        </ul>
        {sources.has('ons-wd25') ? (
          <>
            <h2 id="method">{t('about.method.title')}</h2>
            <p>{t('about.method.2025')}</p>
            <p>{t('about.method.remap')}</p>
            <p class="muted">{t('about.method.script')}</p>
          </>
        ) : null}
        <h2 id="sources">{t('about.attribution.title')}</h2>
        <ul>
          <li>{t('about.attribution.ons')}</li>
          {sources.has('ons-wd20') ? <li>{t('about.attribution.os2020')}</li> : null}
          {sources.has('ons-wd25') ? <li>{t('about.attribution.os2025')}</li> : null}
          <li>{t('about.attribution.psi')}</li>
          <li>{t('about.attribution.derived')}</li>
          <li>{t('about.attribution.generalised')}</li>
          <li>
            <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">{t('about.ogl')}</a>
          </li>
        </ul>
      </Layout>,
    );
  });

  route(app, 'GET', '/wards', 'public', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    const db = c.get('deps').database.db;
    const tenant = c.get('tenant');
    const key = setKeyFrom(c.req.query('set'));
    const overview = await areaOverview(db, tenant);
    const set = pickWardSet(overview, key);
    const current = set.current;
    const wards = await wardsOf(db, tenant, set);
    const hasFacts = wards.some((w) => w.population !== null);
    const others = overview.sets.filter((s) => s.id !== set.id);
    return c.html(
      <Layout view={view} title={`${t('wards.title')}: ${set.name}`} scripts={['wards-map.js']} styles={['wards-map.css']}>
        <h1>{t('wards.title')}</h1>
        <p class="lead">{t('wards.lead', { area: overview.areaName })}</p>
        <p>
          {set.name}
          {current ? <> <span class="tag">{t('about.wardsets.current')}</span></> : null}
        </p>
        <div
          id="wards-map"
          class="map"
          role="region"
          aria-label={t('wards.map.label', { set: set.name })}
          data-geojson={`/api/v1/ward-sets/${set.key}/geojson`}
          data-zoom-in={t('map.zoomIn')}
          data-zoom-out={t('map.zoomOut')}
        >
          <p class="muted wrap">{t('wards.map.hint')}</p>
        </div>
        {reachesOutside(wards) ? <p class="notice">{t('wards.partial', { area: overview.areaName })}</p> : null}
        <TableWrap label={t('wards.table.caption', { set: set.name })}>
          <table class="stack">
            <caption>{t('wards.table.caption', { set: set.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('wards.col.ward')}</th>
                <th scope="col" class="hide-narrow">{t('wards.col.code')}</th>
                {hasFacts ? (
                  <>
                    <th scope="col" class="num">{t('wards.col.population')}</th>
                    <th scope="col" class="num">{t('wards.col.under5')}</th>
                    <th scope="col" class="num">{t('wards.col.deprivation')}</th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {wards.map((w: WardSummary) => (
                <tr>
                  <th scope="row">
                    <a href={wardUrl(set, w, current)}>{w.name}</a>
                  </th>
                  <td class="hide-narrow" data-label={t('wards.col.code')}>{w.code}</td>
                  {hasFacts ? (
                    <>
                      <td class="num" data-label={t('wards.col.population')}>{num(view, w.population)}</td>
                      <td class="num" data-label={t('wards.col.under5')}>{num(view, w.childrenUnder5)}</td>
                      <td class="num" data-label={t('wards.col.deprivation')}>{typeof w.facts.min_IMD2019_decile === 'number' ? formatNumber(view.locale, w.facts.min_IMD2019_decile) : t('number.notAvailable')}</td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {others.length ? (
          <>
            <h2>{t('wards.otherSets')}</h2>
            <ul>
              {others.map((s) => (
                <li>
                  <a href={s.current ? '/wards' : `/wards?set=${s.key}`}>{t('wards.viewSet', { set: s.name })}</a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Layout>,
    );
  });

  route(app, 'GET', '/wards/:code', 'public', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    const db = c.get('deps').database.db;
    const tenant = c.get('tenant');
    const key = setKeyFrom(c.req.query('set'));
    const code = c.req.param('code') ?? '';
    if (code.length > 40) throw new AppError('not_found', 'There is no such ward.', [], 'error.ward.noSuch');
    const set = pickWardSet(await areaOverview(db, tenant), key);
    const ward = await findWard(db, tenant, set, code);
    const facts = Object.entries(ward.facts);
    const hasFacts = ward.population !== null || ward.childrenUnder5 !== null || facts.length > 0;
    return c.html(
      <Layout view={view} title={t('ward.title', { ward: ward.name })} scripts={['wards-map.js']} styles={['wards-map.css']}>
        <p>
          <a href={key ? `/wards?set=${set.key}` : '/wards'}>{t('ward.back')}</a>
        </p>
        <h1>{t('ward.title', { ward: ward.name })}</h1>
        <p class="muted">{t('ward.set', { set: set.name })}</p>
        <div
          id="wards-map"
          class="map map-small"
          role="region"
          aria-label={t('ward.map.label', { ward: ward.name })}
          data-geojson={`/api/v1/ward-sets/${set.key}/geojson`}
          data-highlight={ward.code}
          data-zoom-in={t('map.zoomIn')}
          data-zoom-out={t('map.zoomOut')}
        >
          <p class="muted wrap">{t('wards.map.hint')}</p>
        </div>
        <h2>{t('ward.facts')}</h2>
        <dl class="facts">
          <dt>{t('fact.code')}</dt>
          <dd>{ward.code}</dd>
          {hasFacts ? (
            <>
              <dt>{t('fact.population')}</dt>
              <dd>{num(view, ward.population)}</dd>
              <dt>{t('fact.children_under_5')}</dt>
              <dd>{num(view, ward.childrenUnder5)}</dd>
              {facts.map(([k, v]) => (
                <>
                  <dt>{factLabel(view, k)}</dt>
                  <dd>{factValue(view, k, v)}</dd>
                </>
              ))}
            </>
          ) : null}
        </dl>
        {hasFacts ? null : <p>{t('ward.facts.none')}</p>}
      </Layout>,
    );
  });
}
