import type { Context } from 'hono';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { validationError } from '../../server/validation.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { formatNumber } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { areaOverview, pickWardSet, wardsOf, type WardSummary } from '../tenancy/views.ts';
import { categoryTitle, listCategories, settingsOf } from './queries.ts';
import { REPORT_STATUSES, type IntelCategory } from './schema.ts';
import { nowOf } from './service.ts';
import { addActionLink, addNote, InboxQuery, listInbox, mergeReport, NOTE_MAX, PAGE_SIZE, phoneStatuses, reportDetail, saveCategory, saveSettings, setStatus } from './triage.ts';

/** Coordinators' triage pages (issue 10 item 5); every change goes through triage.ts (audited). */

function qs(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
}

async function currentWards(c: Context<AppEnv>): Promise<WardSummary[]> {
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const overview = await areaOverview(db, tenant);
  return overview.currentSet ? wardsOf(db, tenant, pickWardSet(overview, undefined)) : [];
}

async function inbox(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  const parsed = InboxQuery.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const q = parsed.data;
  const [categories, wards] = await Promise.all([listCategories(db, tenantId), currentWards(c)]);
  const category = q.category ? categories.find((k) => k.key === q.category) : undefined;
  const ward = q.ward ? wards.find((w) => w.code === q.ward) : undefined;
  if (q.category && !category) throw new AppError('validation_failed', 'category: choose one from the list', [{ field: 'category', message: 'intel.field.error.category' }]);
  if (q.ward && !ward) throw new AppError('validation_failed', 'ward: choose one from the list', [{ field: 'ward', message: 'intel.field.error.wardOther' }]);
  const result = await listInbox(db, requireActor(c), tenantId, { ...q, categoryId: category?.id, wardId: ward?.id });
  const filters = { status: q.status, category: q.category, ward: q.ward, from: q.from, to: q.to, merged: q.merged };
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const catById = new Map(categories.map((k) => [k.id, k]));
  const wardById = new Map(wards.map((w) => [w.id, w]));
  return c.html(
    <Layout view={view} title={t('intel.field.inbox.title')}>
      <h1>{t('intel.field.inbox.title')}</h1>
      <p class="actions">
        <a href="/coordinator/intelligence/phones">{t('intel.field.phones.title')}</a>
        <a href="/coordinator/intelligence/categories">{t('intel.field.categories.title')}</a>
        <a href="/coordinator/intelligence/settings">{t('intel.field.settings.title')}</a>
      </p>
      <form method="get" action="/coordinator/intelligence" class="filters" role="search" aria-label={t('intel.field.inbox.filters')}>
        <div class="field">
          <label for="f-status">{t('intel.field.status')}</label>
          <select id="f-status" name="status">
            <option value="">{t('intel.field.any')}</option>
            {REPORT_STATUSES.map((s) => (
              <option value={s} selected={s === q.status}>
                {t(`intel.field.reportStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-category">{t('intel.field.category')}</label>
          <select id="f-category" name="category">
            <option value="">{t('intel.field.any')}</option>
            {categories.map((k) => (
              <option value={k.key} selected={k.key === q.category}>
                {categoryTitle(k, locale)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-ward">{t('intel.field.ward')}</label>
          <select id="f-ward" name="ward">
            <option value="">{t('intel.field.any')}</option>
            {wards.map((w) => (
              <option value={w.code} selected={w.code === q.ward}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-from">{t('intel.field.inbox.from')}</label>
          <input type="date" id="f-from" name="from" value={q.from ?? ''} />
        </div>
        <div class="field">
          <label for="f-to">{t('intel.field.inbox.to')}</label>
          <input type="date" id="f-to" name="to" value={q.to ?? ''} />
        </div>
        <div class="choice">
          <input type="checkbox" id="f-merged" name="merged" value="1" checked={q.merged === '1'} />
          <label for="f-merged">{t('intel.field.inbox.showMerged')}</label>
        </div>
        <button class="button" type="submit">
          {t('intel.field.inbox.filter')}
        </button>
      </form>
      <p role="status">{t('intel.field.inbox.found', { n: result.total })}</p>
      {result.rows.some((r) => r.isDemo) ? <DemoNotice t={t} /> : null}
      <TableWrap label={t('intel.field.inbox.caption')}>
        <table class="stack">
          <caption>{t('intel.field.inbox.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('intel.field.observedOn')}</th>
              <th scope="col">{t('intel.field.category')}</th>
              <th scope="col">{t('intel.field.ward')}</th>
              <th scope="col" class="num">
                {t('intel.field.families.short')}
              </th>
              <th scope="col">{t('intel.field.status')}</th>
              <th scope="col">{t('intel.field.observedText')}</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => {
              const k = catById.get(r.categoryId);
              return (
                <tr>
                  <th scope="row">
                    <a href={`/coordinator/intelligence/reports/${r.id}`}>{formatDate(locale, r.observedOn)}</a>
                    {r.isDemo ? <DemoTag t={t} /> : null}
                  </th>
                  <td data-label={t('intel.field.category')}>{k ? categoryTitle(k, locale) : ''}</td>
                  <td data-label={t('intel.field.ward')}>{wardById.get(r.wardId)?.name ?? t('intel.field.ward.oldSet')}</td>
                  <td data-label={t('intel.field.families.short')} class="num">
                    {r.familiesEstimate ? formatNumber(locale, r.familiesEstimate) : t('intel.field.families.unknown')}
                  </td>
                  <td data-label={t('intel.field.status')}>
                    {t(`intel.field.reportStatus.${r.status}`)}
                    {r.mergedInto ? (
                      <>
                        {' '}
                        <span class="tag">{t('intel.field.merged.tag')}</span>
                      </>
                    ) : null}
                  </td>
                  <td data-label={t('intel.field.observedText')}>{r.excerpt ?? t('intel.field.stripped')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {pages > 1 ? (
        <nav class="pager" aria-label={t('intel.field.inbox.pages')}>
          {q.page > 1 ? <a href={`/coordinator/intelligence?${qs({ ...filters, page: q.page - 1 })}`}>{t('intel.field.inbox.prev')}</a> : null}
          <span>{t('intel.field.inbox.pageOf', { page: q.page, of: pages })}</span>
          {q.page < pages ? <a href={`/coordinator/intelligence?${qs({ ...filters, page: q.page + 1 })}`}>{t('intel.field.inbox.next')}</a> : null}
        </nav>
      ) : null}
    </Layout>,
  );
}

async function reportPage(c: Context<AppEnv>, issues: FieldIssue[] = [], form: Record<string, string> = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const d = await reportDetail(db, requireActor(c), tenantId, c.req.param('id') ?? '');
  const r = d.report;
  const who = (id: string | null) => (id ? (d.authors.find((a) => a.id === id)?.name ?? t('intel.field.someone')) : t('intel.field.someone'));
  const base = `/coordinator/intelligence/reports/${r.id}`;
  const behind = [...d.linkCounts].map(([kind, n]) => t('intel.field.links.behind', { n, kind: kind === 'action' ? t(n === 1 ? 'intel.field.links.kind.action.one' : 'intel.field.links.kind.action.many') : kind }));
  return c.html(
    <Layout view={view} title={t('intel.field.reportPage.title')}>
      <p>
        <a href="/coordinator/intelligence">{t('intel.field.inbox.title')}</a>
      </p>
      <h1>
        {t('intel.field.reportPage.title')}
        {r.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {behind.length ? (
        <p class="notice" role="note">
          {behind.join(' ')}
        </p>
      ) : null}
      {r.mergedInto ? (
        <p class="notice" role="note">
          {t('intel.field.merged.into')} <a href={`/coordinator/intelligence/reports/${r.mergedInto}`}>{t('intel.field.merged.survivor')}</a>
        </p>
      ) : null}
      <Facts
        items={[
          [t('intel.field.category'), d.category ? categoryTitle(d.category, locale) : ''],
          [t('intel.field.ward'), d.ward?.name ?? ''],
          [t('intel.field.observedOn'), formatDate(locale, r.observedOn)],
          [t('intel.field.families'), r.familiesEstimate ? formatNumber(locale, r.familiesEstimate) : t('intel.field.families.unknown')],
          [t('intel.field.since'), t(`intel.field.since.${r.since}`)],
          [t('intel.field.source'), t(`intel.field.source.${r.source}`)],
          [t('intel.field.reportPage.by'), r.reporterId ? who(r.reporterId) : t('intel.field.reportPage.unattributed')],
          [t('intel.field.reportPage.received'), formatDateTime(locale, r.receivedAt)],
          [t('intel.field.status'), t(`intel.field.reportStatus.${r.status}`)],
        ]}
      />
      <h2>{t('intel.field.observedText')}</h2>
      <p class="observed">{r.observedText ?? t('intel.field.stripped')}</p>
      <ErrorSummary t={t} issues={issues} />

      <h2>{t('intel.field.status')}</h2>
      <form method="post" action={`${base}/status`} class="inline-form">
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="status" label={t('intel.field.reportPage.setStatus')} issues={issues}>
          {(a) => (
            <select {...a}>
              {REPORT_STATUSES.map((s) => (
                <option value={s} selected={s === r.status}>
                  {t(`intel.field.reportStatus.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button class="button" type="submit">
          {t('intel.field.save')}
        </button>
      </form>

      <h2>{t('intel.field.notes.title')}</h2>
      {d.notes.length ? (
        <ul>
          {d.notes.map((n) => (
            <li>
              <strong>{formatDateTime(locale, n.createdAt)}</strong>, {who(n.authorId)}: {n.body || t('intel.field.stripped')}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('intel.field.notes.none')}</p>
      )}
      {r.textStrippedAt ? null : (
        <form method="post" action={`${base}/notes`}>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="body" label={t('intel.field.notes.add')} hint={t('intel.field.notes.hint')} issues={issues}>
            {(a) => (
              <textarea {...a} rows={3} maxlength={NOTE_MAX}>
                {form.body ?? ''}
              </textarea>
            )}
          </Field>
          <button class="button" type="submit">
            {t('intel.field.notes.save')}
          </button>
        </form>
      )}

      <h2>{t('intel.field.links.title')}</h2>
      {d.links.length ? (
        <ul>
          {d.links.map((l) => (
            <li>
              {l.url ? (
                <a href={l.url} rel="noopener noreferrer">
                  {l.label}
                </a>
              ) : (
                l.label
              )}{' '}
              <span class="muted">({l.kind === 'action' ? t('intel.field.links.kind.action.one') : l.kind}, {formatDate(locale, l.createdAt)})</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('intel.field.links.none')}</p>
      )}
      <form method="post" action={`${base}/links`}>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="label" label={t('intel.field.links.label')} hint={t('intel.field.links.labelHint')} issues={issues}>
          {(a) => <input type="text" {...a} value={form.label ?? ''} maxlength={200} />}
        </Field>
        <Field t={t} name="url" label={t('intel.field.links.url')} hint={t('intel.field.links.urlHint')} issues={issues}>
          {(a) => <input type="text" inputmode="url" {...a} value={form.url ?? ''} maxlength={500} autocomplete="url" />}
        </Field>
        <button class="button" type="submit">
          {t('intel.field.links.add')}
        </button>
      </form>

      <h2>{t('intel.field.merge.title')}</h2>
      {d.mergedHere.length ? <p>{t('intel.field.merge.here', { n: d.mergedHere.length })}</p> : null}
      {r.mergedInto ? null : d.candidates.length ? (
        <form method="post" action={`${base}/merge`}>
          <CsrfField token={view.csrfToken} />
          <fieldset id="f-survivor">
            <legend>{t('intel.field.merge.legend')}</legend>
            {d.candidates.map((k) => (
              <div class="choice">
                <input type="radio" id={`f-survivor-${k.id}`} name="survivor" value={k.id} />
                <label for={`f-survivor-${k.id}`}>
                  {formatDate(locale, k.observedOn)}: {k.excerpt ?? t('intel.field.stripped')}
                  {k.isDemo ? <DemoTag t={t} /> : null}
                </label>
              </div>
            ))}
          </fieldset>
          <button class="button button-secondary" type="submit">
            {t('intel.field.merge.button')}
          </button>
        </form>
      ) : (
        <p>{t('intel.field.merge.none')}</p>
      )}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

/** Run a change on the report of the URL, then back to it; a bad field re-shows the page with it. */
async function change(c: Context<AppEnv>, run: (body: Record<string, string>) => Promise<unknown>) {
  const raw = await c.req.parseBody();
  const body: Record<string, string> = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
  try {
    await run(body);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict') && err.fields.length) return reportPage(c, err.fields, body);
    throw err;
  }
  return c.redirect(`/coordinator/intelligence/reports/${c.req.param('id') ?? ''}`, 303);
}

async function settingsPage(c: Context<AppEnv>, issues: FieldIssue[] = [], form?: Record<string, string>) {
  const view = viewOf(c);
  const { t } = view;
  const s = await settingsOf(c.get('deps').database.db, c.get('tenant').id);
  const value = { frontDoorName: form?.frontDoorName ?? s.frontDoorName, frontDoorPhone: form?.frontDoorPhone ?? s.frontDoorPhone, textRetentionMonths: form?.textRetentionMonths ?? String(s.textRetentionMonths) };
  return c.html(
    <Layout view={view} title={t('intel.field.settings.title')}>
      <p>
        <a href="/coordinator/intelligence">{t('intel.field.inbox.title')}</a>
      </p>
      <h1>{t('intel.field.settings.title')}</h1>
      {c.req.query('done') ? (
        <p class="success" role="status">
          {t('intel.field.saved')}
        </p>
      ) : null}
      {s.frontDoorPhone ? null : (
        <p class="notice" role="note">
          {t('intel.field.settings.frontDoorMissing')}
        </p>
      )}
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/coordinator/intelligence/settings" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="frontDoorName" label={t('intel.field.settings.frontDoorName')} hint={t('intel.field.settings.frontDoorNameHint')} issues={issues}>
          {(a) => <input type="text" {...a} value={value.frontDoorName} maxlength={200} />}
        </Field>
        <Field t={t} name="frontDoorPhone" label={t('intel.field.settings.frontDoorPhone')} issues={issues}>
          {(a) => <input type="tel" {...a} value={value.frontDoorPhone} maxlength={40} />}
        </Field>
        <Field t={t} name="textRetentionMonths" label={t('intel.field.settings.retention')} hint={t('intel.field.settings.retentionHint')} issues={issues}>
          {(a) => <input type="number" {...a} value={value.textRetentionMonths} min={1} max={120} inputmode="numeric" />}
        </Field>
        <button class="button" type="submit">
          {t('intel.field.save')}
        </button>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

function CategoryFields({ t, k, issues, prefix }: { t: ReturnType<typeof viewOf>['t']; k: Partial<IntelCategory>; issues: FieldIssue[]; prefix: string }) {
  const f = (name: string) => `${prefix}${name}`;
  const mine = issues.map((i) => ({ ...i, field: f(i.field) }));
  return (
    <>
      <Field t={t} name={f('title')} label={t('intel.field.categories.titleEn')} issues={mine}>
        {(a) => <input type="text" {...a} name="title" value={k.title ?? ''} maxlength={80} />}
      </Field>
      <Field t={t} name={f('titlePl')} label={t('intel.field.categories.titlePl')} issues={mine}>
        {(a) => <input type="text" {...a} name="titlePl" lang="pl" value={k.titlePl ?? ''} maxlength={80} />}
      </Field>
      <Field t={t} name={f('description')} label={t('intel.field.categories.descriptionEn')} issues={mine}>
        {(a) => <input type="text" {...a} name="description" value={k.description ?? ''} maxlength={300} />}
      </Field>
      <Field t={t} name={f('descriptionPl')} label={t('intel.field.categories.descriptionPl')} issues={mine}>
        {(a) => <input type="text" {...a} name="descriptionPl" lang="pl" value={k.descriptionPl ?? ''} maxlength={300} />}
      </Field>
    </>
  );
}

async function categoriesPage(c: Context<AppEnv>, issues: FieldIssue[] = [], failed?: { id: string | null; form: Record<string, string> }) {
  const view = viewOf(c);
  const { t } = view;
  const list = await listCategories(c.get('deps').database.db, c.get('tenant').id);
  const formOf = (k: IntelCategory): Partial<IntelCategory> => (failed?.id === k.id ? { ...k, ...failed.form, titlePl: failed.form.titlePl ?? null, descriptionPl: failed.form.descriptionPl ?? null } : k);
  return c.html(
    <Layout view={view} title={t('intel.field.categories.title')}>
      <p>
        <a href="/coordinator/intelligence">{t('intel.field.inbox.title')}</a>
      </p>
      <h1>{t('intel.field.categories.title')}</h1>
      <p>{t('intel.field.categories.lead')}</p>
      {c.req.query('done') ? (
        <p class="success" role="status">
          {t('intel.field.saved')}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues.map((i) => ({ ...i, field: `${failed?.id ?? 'new'}-${i.field}` }))} />
      {list.map((k) => (
        <section aria-labelledby={`cat-${k.id}`}>
          <h2 id={`cat-${k.id}`}>
            {k.title} <span class="muted">({k.key})</span> {k.active ? null : <span class="tag">{t('intel.field.categories.inactive')}</span>}
          </h2>
          <form method="post" action={`/coordinator/intelligence/categories/${k.id}`} novalidate>
            <CsrfField token={view.csrfToken} />
            <CategoryFields t={t} k={formOf(k)} issues={failed?.id === k.id ? issues : []} prefix={`${k.id}-`} />
            <div class="choice">
              <input type="checkbox" id={`f-${k.id}-active`} name="active" value="yes" checked={k.active} />
              <label for={`f-${k.id}-active`}>{t('intel.field.categories.active')}</label>
            </div>
            <button class="button" type="submit">
              {t('intel.field.save')}
            </button>
          </form>
        </section>
      ))}
      <section aria-labelledby="cat-new">
        <h2 id="cat-new">{t('intel.field.categories.add')}</h2>
        <form method="post" action="/coordinator/intelligence/categories" novalidate>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="new-key" label={t('intel.field.categories.key')} hint={t('intel.field.categories.keyHint')} issues={failed?.id === null ? issues.map((i) => ({ ...i, field: `new-${i.field}` })) : []}>
            {(a) => <input type="text" {...a} name="key" value={failed?.id === null ? (failed.form.key ?? '') : ''} maxlength={40} />}
          </Field>
          <CategoryFields t={t} k={failed?.id === null ? { ...failed.form, titlePl: failed.form.titlePl ?? null, descriptionPl: failed.form.descriptionPl ?? null } : {}} issues={failed?.id === null ? issues : []} prefix="new-" />
          <button class="button" type="submit">
            {t('intel.field.categories.addButton')}
          </button>
        </form>
      </section>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function formBody(c: Context<AppEnv>): Promise<Record<string, string>> {
  const raw = await c.req.parseBody();
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function registerTriagePages(pages: RouteTarget): void {
  route(pages, 'GET', '/coordinator/intelligence', 'intel.triage', inbox);
  route(pages, 'GET', '/coordinator/intelligence/reports/:id', 'intel.triage', (c) => reportPage(c));
  const db = (c: Context<AppEnv>) => c.get('deps').database.db;
  route(pages, 'POST', '/coordinator/intelligence/reports/:id/status', 'intel.triage', (c) => change(c, (b) => setStatus(db(c), requireActor(c), c.get('tenant').id, c.req.param('id') ?? '', b.status, nowOf(c.get('deps')))));
  route(pages, 'POST', '/coordinator/intelligence/reports/:id/notes', 'intel.triage', (c) => change(c, (b) => addNote(db(c), requireActor(c), c.get('tenant').id, c.req.param('id') ?? '', b.body ?? '', nowOf(c.get('deps')))));
  route(pages, 'POST', '/coordinator/intelligence/reports/:id/links', 'intel.triage', (c) => change(c, (b) => addActionLink(db(c), requireActor(c), c.get('tenant').id, c.req.param('id') ?? '', { label: b.label ?? '', url: b.url ?? '' }, nowOf(c.get('deps')))));
  route(pages, 'POST', '/coordinator/intelligence/reports/:id/merge', 'intel.triage', (c) =>
    change(c, (b) => mergeReport(db(c), requireActor(c), c.get('tenant').id, c.req.param('id') ?? '', b.survivor ?? '', nowOf(c.get('deps')))),
  );

  route(pages, 'GET', '/coordinator/intelligence/phones', 'intel.triage', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const rows = await phoneStatuses(db(c), requireActor(c), c.get('tenant').id);
    return c.html(
      <Layout view={view} title={t('intel.field.phones.title')}>
        <p>
          <a href="/coordinator/intelligence">{t('intel.field.inbox.title')}</a>
        </p>
        <h1>{t('intel.field.phones.title')}</h1>
        <p>{t('intel.field.phones.lead')}</p>
        {rows.length === 0 ? (
          <p>{t('intel.field.phones.none')}</p>
        ) : (
          <TableWrap label={t('intel.field.phones.title')}>
            <table class="stack">
              <caption>{t('intel.field.phones.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('intel.field.phones.champion')}</th>
                  <th scope="col">{t('intel.field.phones.last')}</th>
                  <th scope="col" class="num">
                    {t('intel.field.phones.waiting')}
                  </th>
                  <th scope="col" class="num">
                    {t('intel.field.phones.refused')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ member, status }) => (
                  <tr>
                    <th scope="row">
                      {member.name}
                      {member.isDemo ? <DemoTag t={t} /> : null}
                    </th>
                    <td data-label={t('intel.field.phones.last')}>{status ? formatDateTime(locale, status.lastSyncAt) : t('intel.field.phones.never')}</td>
                    <td data-label={t('intel.field.phones.waiting')} class="num">
                      {status ? formatNumber(locale, status.waitingCount) : '–'}
                    </td>
                    <td data-label={t('intel.field.phones.refused')} class="num">
                      {status ? formatNumber(locale, status.refusedCount) : '–'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Layout>,
    );
  });

  route(pages, 'GET', '/coordinator/intelligence/settings', 'intel.manage', (c) => settingsPage(c));
  route(pages, 'POST', '/coordinator/intelligence/settings', 'intel.manage', async (c) => {
    const body = await formBody(c);
    try {
      await saveSettings(db(c), requireActor(c), c.get('tenant').id, body, nowOf(c.get('deps')));
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return settingsPage(c, err.fields, body);
      throw err;
    }
    return c.redirect('/coordinator/intelligence/settings?done=1', 303);
  });

  route(pages, 'GET', '/coordinator/intelligence/categories', 'intel.manage', (c) => categoriesPage(c));
  const saveFrom = async (c: Context<AppEnv>, id: string | null) => {
    const body = await formBody(c);
    const input = { key: id === null ? body.key : undefined, title: body.title ?? '', titlePl: body.titlePl, description: body.description, descriptionPl: body.descriptionPl, active: id === null ? undefined : body.active === 'yes' };
    try {
      await saveCategory(db(c), requireActor(c), c.get('tenant').id, id, input);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return categoriesPage(c, err.fields, { id, form: body });
      throw err;
    }
    return c.redirect('/coordinator/intelligence/categories?done=1', 303);
  };
  route(pages, 'POST', '/coordinator/intelligence/categories', 'intel.manage', (c) => saveFrom(c, null));
  route(pages, 'POST', '/coordinator/intelligence/categories/:id', 'intel.manage', (c) => {
    const id = c.req.param('id') ?? '';
    if (!isUuid(id)) throw new AppError('not_found', 'That category was not found.', [], 'intel.field.error.categoryNotFound');
    return saveFrom(c, id);
  });
}
