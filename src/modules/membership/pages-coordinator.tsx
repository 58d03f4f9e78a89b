import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import type { Context } from 'hono';
import { z } from 'zod';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { validationError } from '../../server/validation.ts';
import { TableWrap } from '../../ui/forms.tsx';
import { formatDate, formatNumber } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { MEMBER_SORTS, searchMembers } from './queries.ts';
import { MEMBER_STATUSES, ROLES } from './schema.ts';
import { registerStaffPages } from './pages-staff.tsx';
import { registerMemberRecordPages } from './pages-member-record.tsx';

const PAGE_SIZE = 50;

/** Query parameters of the member list: every one validated, sort keys from an allow-list. */
export const MemberListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  ward: z.string().trim().max(40).optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  role: z.enum(ROLES).optional(),
  sort: z.enum(Object.keys(MEMBER_SORTS) as [keyof typeof MEMBER_SORTS, ...Array<keyof typeof MEMBER_SORTS>], 'coord.error.sort').default('number'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});


export async function parseListQuery(c: Context<AppEnv>) {
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  const parsed = MemberListQuery.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const set = pickWardSet(await areaOverview(db, tenant), undefined);
  const wards = await wardsOf(db, tenant, set);
  const ward = parsed.data.ward ? wards.find((w) => w.code === parsed.data.ward) : undefined;
  if (parsed.data.ward && !ward) throw new AppError('validation_failed', 'ward: choose a ward from the list', [{ field: 'ward', message: 'join.error.ward' }]);
  return { query: parsed.data, wards, wardId: ward?.id, set };
}

function queryString(q: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
}

export function registerCoordinatorPages(app: RouteTarget): void {
  registerStaffPages(app);
  route(app, 'GET', '/coordinator/members', 'members.manage', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const { query, wards, wardId } = await parseListQuery(c);
    const db = c.get('deps').database.db;
    const result = await searchMembers(db, c.get('tenant').id, {
      q: query.q,
      wardId,
      status: query.status,
      role: query.role,
      sort: query.sort,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    });
    const filters = { q: query.q, ward: query.ward, status: query.status, role: query.role, sort: query.sort };
    const pages = result.more ? query.page + 1 : Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    return c.html(
      <Layout view={view} title={t('coord.members.title')}>
        <h1>{t('coord.members.title')}</h1>
        <p class="actions">
          <a href="/coordinator/coverage">{t('coord.coverage.link')}</a>
          <a href={`/coordinator/members.csv?${queryString(filters)}`}>{t('coord.export')}</a>
          <a href="/coordinator/members/import">{t('coord.import')}</a>
          {requireActor(c).roles.has('admin') ? <a href="/coordinator/staff">{t('staff.link')}</a> : null}
        </p>
        <form method="get" action="/coordinator/members" class="filters" role="search" aria-label={t('coord.search.label')}>
          <div class="field">
            <label for="f-q">{t('coord.search')}</label>
            <input type="search" id="f-q" name="q" value={query.q ?? ''} />
          </div>
          <div class="field">
            <label for="f-ward">{t('coord.ward')}</label>
            <select id="f-ward" name="ward">
              <option value="">{t('coord.any')}</option>
              {wards.map((w) => (
                <option value={w.code} selected={w.code === query.ward}>
                  {w.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-status">{t('me.status')}</label>
            <select id="f-status" name="status">
              <option value="">{t('coord.any')}</option>
              {MEMBER_STATUSES.map((s) => (
                <option value={s} selected={s === query.status}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-role">{t('coord.role')}</label>
            <select id="f-role" name="role">
              <option value="">{t('coord.any')}</option>
              {ROLES.map((r) => (
                <option value={r} selected={r === query.role}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <button class="button" type="submit">
            {t('coord.search.button')}
          </button>
        </form>
        <p role="status">{result.more ? t('coord.foundMore', { n: result.total }) : t('coord.found', { n: result.total })}</p>
        {result.rows.some((m) => m.isDemo) ? <DemoNotice t={t} /> : null}
        <TableWrap label={t('coord.members.caption')}>
          <table class="stack">
            <caption>{t('coord.members.caption')}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  <a href={`/coordinator/members?${queryString({ ...filters, sort: 'number' })}`}>{t('me.number')}</a>
                </th>
                <th scope="col">
                  <a href={`/coordinator/members?${queryString({ ...filters, sort: 'name' })}`}>{t('join.name')}</a>
                </th>
                <th scope="col">{t('coord.ward')}</th>
                <th scope="col">{t('me.status')}</th>
                <th scope="col">
                  <a href={`/coordinator/members?${queryString({ ...filters, sort: 'newest' })}`}>{t('me.joined')}</a>
                </th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((m) => (
                <tr>
                  <td class="num" data-label={t('me.number')}>{m.memberNumber}</td>
                  <th scope="row">
                    <a href={`/coordinator/members/${m.id}`}>{m.name || t('coord.erased')}</a>
                    {m.isDemo ? <DemoTag t={t} /> : null}
                  </th>
                  <td data-label={t('coord.ward')}>{m.wardName ?? '—'}</td>
                  <td data-label={t('me.status')}>{t(`status.${m.status}`)}</td>
                  <td data-label={t('me.joined')}>{formatDate(locale, m.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <nav class="pager" aria-label={t('coord.pages')}>
          {query.page > 1 ? <a href={`/coordinator/members?${queryString({ ...filters, page: query.page - 1 })}`}>{t('coord.prev')}</a> : null}
          <span>{result.more ? t('coord.pageOnly', { page: query.page }) : t('coord.page', { page: query.page, pages: formatNumber(locale, pages) })}</span>
          {query.page < pages ? <a href={`/coordinator/members?${queryString({ ...filters, page: query.page + 1 })}`}>{t('coord.next')}</a> : null}
        </nav>
      </Layout>,
    );
  });
  registerMemberRecordPages(app);
}
