import type { Context } from 'hono';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { isoDate } from '../../lib/dates.ts';
import { isUuid } from '../../lib/ids.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { formatDate, formatNumber, type MessageKey, type Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { activeMembersWithRoles, memberCards } from '../membership/views.ts';
import { listCourseRefs, type CourseRef } from '../training/views.ts';
import { kindById, kindsOf, linksOfTenant } from './queries.ts';
import { COURSE_RELATIONS, type CourseRelation, type QualificationKind } from './schema.ts';
import { awardManually, createKind, kindTitle, revokeQualification, updateKind, type KindInput } from './service.ts';
import { listAwards, statusOf } from './views.ts';

const BASE = '/coordinator/accreditation';
const now = (c: Context<AppEnv>) => new Date(c.get('deps').clock?.() ?? Date.now());
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Field issues of a refusal as words (the "Needs: …" refusal carries its list in the reader's language). */
function issuesOf(err: AppError, t: Translate): FieldIssue[] {
  if (err.key === 'accreditation.error.needs') return [{ field: 'kindId', message: t(err.key, err.params) }];
  if (err.fields.length) return err.fields;
  return [{ field: 'form', message: err.key ?? 'error.400.title' }];
}

interface OverviewState {
  issues?: FieldIssue[];
  done?: 'awarded' | 'revoked' | 'saved';
  award?: Record<string, string>;
  status?: 200 | 400 | 404 | 409;
}

async function overview(c: Context<AppEnv>, state: OverviewState = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const today = isoDate(now(c));
  const kindFilter = c.req.query('kind');
  const expiring = c.req.query('expiring') === '30';
  const kinds = await kindsOf(db, tenantId);
  const links = await linksOfTenant(db, tenantId);
  const kindId = kindFilter && kinds.some((k) => k.id === kindFilter) ? kindFilter : undefined;
  const awards = await listAwards(db, tenantId, { kindId, expiringFrom: expiring ? today : undefined });
  const people = new Map((await memberCards(db, tenantId, [...new Set(awards.map((a) => a.memberId))])).map((m) => [m.id, m]));
  const issues = state.issues ?? [];
  const form = state.award ?? {};
  const demo = awards.some((a) => a.isDemo);
  return c.html(
    <Layout view={view} title={t('accreditation.coord.title')}>
      <h1>{t('accreditation.coord.title')}</h1>
      {state.done ? (
        <p class="success" role="status">
          {t(`accreditation.coord.${state.done}` as MessageKey)}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      <h2>{t('accreditation.coord.kinds')}</h2>
      <p>
        <a class="button" href={`${BASE}/kinds/new`}>
          {t('accreditation.coord.addKind')}
        </a>
      </p>
      <TableWrap label={t('accreditation.coord.kinds')}>
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{t('accreditation.coord.kindTitle')}</th>
              <th scope="col">{t('accreditation.coord.key')}</th>
              <th scope="col">{t('accreditation.coord.validity')}</th>
              <th scope="col">{t('accreditation.coord.courses')}</th>
              <th scope="col">{t('accreditation.coord.edit')}</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((k) => (
              <tr>
                <td data-label={t('accreditation.coord.kindTitle')}>{kindTitle(k, locale)}</td>
                <td data-label={t('accreditation.coord.key')}>
                  <code>{k.key}</code>
                </td>
                <td data-label={t('accreditation.coord.validity')}>{k.validityMonths === null ? t('accreditation.never') : formatNumber(locale, k.validityMonths)}</td>
                <td data-label={t('accreditation.coord.courses')}>{formatNumber(locale, links.filter((l) => l.kindId === k.id).length)}</td>
                <td data-label={t('accreditation.coord.edit')}>
                  <a href={`${BASE}/kinds/${k.id}`} aria-label={`${t('accreditation.coord.edit')} ${kindTitle(k, locale)}`}>
                    {t('accreditation.coord.edit')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <h2 id="award">{t('accreditation.coord.manual')}</h2>
      <p>{t('accreditation.coord.manual.lead')}</p>
      <form method="post" action={`${BASE}/award`} novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="memberNumber" label={t('accreditation.coord.memberNumber')} issues={issues}>
          {(a) => <input type="text" inputmode="numeric" {...a} value={form.memberNumber ?? ''} maxlength={10} />}
        </Field>
        <Field t={t} name="kindId" label={t('accreditation.coord.filterKind')} issues={issues}>
          {(a) => (
            <select {...a}>
              {kinds.map((k) => (
                <option value={k.id} selected={form.kindId === k.id}>
                  {kindTitle(k, locale)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="issuedOn" label={t('accreditation.coord.issuedOn')} issues={issues}>
          {(a) => <input type="date" {...a} value={form.issuedOn ?? today} max={today} />}
        </Field>
        <Field t={t} name="reason" label={t('accreditation.coord.reason')} issues={issues}>
          {(a) => <input type="text" {...a} value={form.reason ?? ''} maxlength={500} />}
        </Field>
        <button class="button" type="submit">
          {t('accreditation.coord.award')}
        </button>
      </form>

      <h2>{t('accreditation.coord.awards')}</h2>
      <form method="get" action={BASE} class="filters">
        <fieldset>
          <legend>{t('accreditation.coord.filter')}</legend>
          <div class="field">
            <label for="f-kind">{t('accreditation.coord.filterKind')}</label>
            <select id="f-kind" name="kind">
              <option value="">{t('accreditation.coord.filterAll')}</option>
              {kinds.map((k) => (
                <option value={k.id} selected={k.id === kindId}>
                  {kindTitle(k, locale)}
                </option>
              ))}
            </select>
          </div>
          <div class="field checkbox">
            <input type="checkbox" id="f-expiring" name="expiring" value="30" checked={expiring} />
            <label for="f-expiring">{t('accreditation.coord.filterExpiring')}</label>
          </div>
          <button class="button secondary" type="submit">
            {t('accreditation.coord.apply')}
          </button>
        </fieldset>
      </form>
      {demo ? <DemoNotice t={t} /> : null}
      {awards.length === 0 ? (
        <p>{t('accreditation.coord.noAwards')}</p>
      ) : (
        <TableWrap label={t('accreditation.coord.awards')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('accreditation.coord.member')}</th>
                <th scope="col">{t('accreditation.me.qualification')}</th>
                <th scope="col">{t('accreditation.me.issued')}</th>
                <th scope="col">{t('accreditation.me.expires')}</th>
                <th scope="col">{t('accreditation.me.status')}</th>
                <th scope="col">{t('accreditation.coord.source')}</th>
                <th scope="col">{t('accreditation.coord.revoke')}</th>
              </tr>
            </thead>
            <tbody>
              {awards.map((a) => {
                const m = people.get(a.memberId);
                return (
                  <tr>
                    <td data-label={t('accreditation.coord.member')}>
                      {m ? `${m.name} (${m.memberNumber})` : ''}
                      {a.isDemo ? <DemoTag t={t} /> : null}
                    </td>
                    <td data-label={t('accreditation.me.qualification')}>
                      {kindTitle(a, locale)}
                      {a.renewalOf ? ` (${t('accreditation.coord.renewalOf')})` : ''}
                    </td>
                    <td data-label={t('accreditation.me.issued')}>{formatDate(locale, a.issuedOn)}</td>
                    <td data-label={t('accreditation.me.expires')}>{a.expiresOn ? formatDate(locale, a.expiresOn) : t('accreditation.never')}</td>
                    <td data-label={t('accreditation.me.status')}>{t(`accreditation.status.${statusOf(a, today)}` as MessageKey)}</td>
                    <td data-label={t('accreditation.coord.source')}>
                      {a.source === 'course' ? t('accreditation.coord.source.course', { key: a.courseKey ?? '' }) : t('accreditation.coord.source.manual', { reason: a.reason ?? '' })}{' '}
                      <a href={`/me/qualifications/${a.id}/certificate.pdf`}>{t('accreditation.coord.certificate')}</a>
                    </td>
                    <td data-label={t('accreditation.coord.revoke')}>
                      {a.revokedAt ? null : (
                        <form method="post" action={`${BASE}/awards/${a.id}/revoke`} novalidate>
                          <CsrfField token={view.csrfToken} />
                          <label for={`reason-${a.id}`}>{t('accreditation.coord.revokeReason')}</label>
                          <input type="text" id={`reason-${a.id}`} name="reason" maxlength={500} required />
                          <button class="button secondary" type="submit">
                            {t('accreditation.coord.revoke')}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>,
    state.status ?? 200,
  );
}

/** The member with this number, if active (through membership's views: there is no by-number view yet). */
async function activeMemberIdByNumber(c: Context<AppEnv>, raw: string): Promise<string | undefined> {
  if (!/^\d{1,9}$/.test(raw.trim())) return undefined;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const active = await activeMembersWithRoles(db, tenantId);
  const cards = await memberCards(db, tenantId, active.map((m) => m.id));
  return cards.find((m) => m.memberNumber === Number(raw.trim()))?.id;
}

function kindForm(body: Record<string, string | File | (string | File)[]>): KindInput & { key: string } {
  const list = (name: string): string[] => {
    const v = body[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  };
  return {
    key: str(body.key),
    title: str(body.title),
    titlePl: str(body.titlePl),
    description: str(body.description),
    descriptionPl: str(body.descriptionPl),
    validityMonths: str(body.validityMonths),
    reactivatable: str(body.reactivatable),
    reactivationMonths: str(body.reactivationMonths),
    courses: { grants: list('grants'), requires: list('requires'), renews: list('renews') },
  };
}

async function kindPage(c: Context<AppEnv>, kind: QualificationKind | undefined, state: { issues?: FieldIssue[]; values?: KindInput & { key: string }; saved?: boolean; status?: 200 | 400 | 409 } = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const courses: CourseRef[] = await listCourseRefs(db, tenantId);
  const linked = kind ? (await linksOfTenant(db, tenantId)).filter((l) => l.kindId === kind.id) : [];
  const v = state.values;
  const chosen = (r: CourseRelation, key: string) => (v ? (v.courses?.[r] ?? []).includes(key) : linked.some((l) => l.relation === r && l.courseKey === key));
  const issues = state.issues ?? [];
  const title = kind ? t('accreditation.coord.editKind', { title: kindTitle(kind, locale) }) : t('accreditation.coord.newKind');
  const val = (name: 'title' | 'titlePl' | 'description' | 'descriptionPl' | 'validityMonths' | 'reactivationMonths'): string => {
    if (v) return String(v[name] ?? '');
    const x = kind?.[name];
    return x === null || x === undefined ? '' : String(x);
  };
  const reactivatable = v ? v.reactivatable === true || v.reactivatable === 'on' : (kind?.reactivatable ?? false);
  return c.html(
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      {state.saved ? (
        <p class="success" role="status">
          {t('accreditation.coord.saved')}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={kind ? `${BASE}/kinds/${kind.id}` : `${BASE}/kinds`} novalidate>
        <CsrfField token={view.csrfToken} />
        {kind ? (
          <p>
            {t('accreditation.coord.key')}: <code>{kind.key}</code>
          </p>
        ) : (
          <Field t={t} name="key" label={t('accreditation.coord.key')} hint={t('accreditation.coord.key.hint')} issues={issues}>
            {(a) => <input type="text" {...a} value={v?.key ?? ''} maxlength={40} autocomplete="off" />}
          </Field>
        )}
        <Field t={t} name="title" label={t('accreditation.coord.kindTitle')} issues={issues}>
          {(a) => <input type="text" {...a} value={val('title')} maxlength={120} />}
        </Field>
        <Field t={t} name="titlePl" label={t('accreditation.coord.kindTitlePl')} issues={issues}>
          {(a) => <input type="text" lang="pl" {...a} value={val('titlePl')} maxlength={120} />}
        </Field>
        <Field t={t} name="description" label={t('accreditation.coord.description')} issues={issues}>
          {(a) => <textarea {...a} rows={3} maxlength={2000}>{val('description')}</textarea>}
        </Field>
        <Field t={t} name="descriptionPl" label={t('accreditation.coord.descriptionPl')} issues={issues}>
          {(a) => <textarea lang="pl" {...a} rows={3} maxlength={2000}>{val('descriptionPl')}</textarea>}
        </Field>
        <Field t={t} name="validityMonths" label={t('accreditation.coord.validity')} hint={t('accreditation.coord.validity.hint')} issues={issues}>
          {(a) => <input type="number" inputmode="numeric" min={1} max={600} {...a} value={val('validityMonths')} />}
        </Field>
        <div class="field checkbox">
          <input type="checkbox" id="f-reactivatable" name="reactivatable" value="on" checked={reactivatable} />
          <label for="f-reactivatable">{t('accreditation.coord.reactivatable')}</label>
        </div>
        <Field t={t} name="reactivationMonths" label={t('accreditation.coord.reactivation')} issues={issues}>
          {(a) => <input type="number" inputmode="numeric" min={0} max={600} {...a} value={val('reactivationMonths')} />}
        </Field>
        {COURSE_RELATIONS.map((r) => (
          <fieldset id={`f-${r}`}>
            <legend>{t(`accreditation.coord.${r}` as MessageKey)}</legend>
            {courses.length === 0 ? <p>{t('accreditation.coord.courses.none')}</p> : null}
            {courses.map((course) => (
              <div class="field checkbox">
                <input type="checkbox" id={`f-${r}-${course.key}`} name={r} value={course.key} checked={chosen(r, course.key)} />
                <label for={`f-${r}-${course.key}`}>{locale === 'pl' && course.titlePl ? course.titlePl : course.title}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <button class="button" type="submit">
          {t('accreditation.coord.save')}
        </button>
      </form>
      <p>
        <a href={BASE}>{t('accreditation.coord.title')}</a>
      </p>
    </Layout>,
    state.status ?? 200,
  );
}

/** Course keys chosen must come from training's catalogue (or be links the kind already has). */
async function checkCourseKeys(c: Context<AppEnv>, input: KindInput, kindId?: string): Promise<void> {
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const known = new Set((await listCourseRefs(db, tenantId)).map((r) => r.key));
  if (kindId) for (const l of await linksOfTenant(db, tenantId)) if (l.kindId === kindId) known.add(l.courseKey);
  for (const r of COURSE_RELATIONS) {
    if ((input.courses?.[r] ?? []).some((k) => !known.has(k))) throw new AppError('validation_failed', 'Choose courses from the list.', [{ field: r, message: 'accreditation.error.course' }]);
  }
}

export function registerCoordinatorPages(app: RouteTarget): void {
  route(app, 'GET', BASE, 'accreditation.manage', (c) => overview(c, { done: (['awarded', 'revoked', 'saved'] as const).find((d) => d === c.req.query('done')) }));

  route(app, 'POST', `${BASE}/award`, 'accreditation.manage', async (c) => {
    const body = await c.req.parseBody();
    const form = { memberNumber: str(body.memberNumber), kindId: str(body.kindId), issuedOn: str(body.issuedOn), reason: str(body.reason) };
    const { t, locale } = viewOf(c);
    try {
      const memberId = await activeMemberIdByNumber(c, form.memberNumber);
      await awardManually(c.get('deps').database.db, requireActor(c), { memberId: memberId ?? '', kindId: form.kindId, issuedOn: form.issuedOn, reason: form.reason }, { now: now(c), locale, t });
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'validation_failed' && err.code !== 'conflict')) throw err;
      return overview(c, { issues: issuesOf(err, t), award: form, status: err.code === 'conflict' ? 409 : 400 });
    }
    return c.redirect(`${BASE}?done=awarded`, 303);
  });

  route(app, 'POST', `${BASE}/awards/:id/revoke`, 'accreditation.manage', async (c) => {
    const body = await c.req.parseBody();
    const { t } = viewOf(c);
    try {
      await revokeQualification(c.get('deps').database.db, requireActor(c), { id: c.req.param('id') ?? '', reason: str(body.reason) }, now(c));
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'validation_failed' && err.code !== 'conflict')) throw err;
      return overview(c, { issues: issuesOf(err, t).map((i) => (i.field === 'reason' ? { ...i, field: 'form' } : i)), status: err.code === 'conflict' ? 409 : 400 });
    }
    return c.redirect(`${BASE}?done=revoked`, 303);
  });

  route(app, 'GET', `${BASE}/kinds/new`, 'accreditation.manage', (c) => kindPage(c, undefined));

  route(app, 'POST', `${BASE}/kinds`, 'accreditation.manage', async (c) => {
    const values = kindForm(await c.req.parseBody({ all: true }));
    try {
      await checkCourseKeys(c, values);
      await createKind(c.get('deps').database.db, requireActor(c), values);
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'validation_failed' && err.code !== 'conflict')) throw err;
      return kindPage(c, undefined, { issues: issuesOf(err, viewOf(c).t), values, status: err.code === 'conflict' ? 409 : 400 });
    }
    return c.redirect(`${BASE}?done=saved`, 303);
  });

  const kindOr404 = async (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? '';
    const kind = isUuid(id) ? await kindById(c.get('deps').database.db, c.get('tenant').id, id) : undefined;
    if (!kind) throw new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
    return kind;
  };

  route(app, 'GET', `${BASE}/kinds/:id`, 'accreditation.manage', async (c) => kindPage(c, await kindOr404(c), { saved: c.req.query('saved') === '1' }));

  route(app, 'POST', `${BASE}/kinds/:id`, 'accreditation.manage', async (c) => {
    const kind = await kindOr404(c);
    const values = { ...kindForm(await c.req.parseBody({ all: true })), key: kind.key };
    try {
      await checkCourseKeys(c, values, kind.id);
      await updateKind(c.get('deps').database.db, requireActor(c), kind.id, values);
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'validation_failed' && err.code !== 'conflict')) throw err;
      return kindPage(c, kind, { issues: issuesOf(err, viewOf(c).t), values, status: 400 });
    }
    return c.redirect(`${BASE}/kinds/${kind.id}?saved=1`, 303);
  });
}
