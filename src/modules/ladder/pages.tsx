import type { Context } from 'hono';
import { raw } from 'hono/html';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { formatDate, formatDateTime, formatNumber, type MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { memberCard, memberCards } from '../membership/views.ts';
import { cachedDashboard, forgetDashboard } from './dashboard.ts';
import { addLevel, TRAINED_ROLES, formatKeyLines, listLevels, roleRequirements, setRoleRequirements, updateLevel, type Level, type LevelInput } from './levels.ts';
import { Checklist, HistoryTable, levelTitle, missingWords, RoleNeeds, registerMyLadderPages } from './pages-me.tsx';
import { decideStepUp, levelHistoryOf, memberRoleGaps, memberStanding, NotEligibleError, pendingRequests, recomputeEligibility, signOff, titlesFor } from './service.ts';

function nowOf(c: Context<AppEnv>): Date {
  return new Date(c.get('deps').clock?.() ?? Date.now());
}

// ---------------------------------------------------------------------------------------------
// Step-up requests

async function renderRequests(c: Context<AppEnv>, opts: { done?: 'approved' | 'declined'; issues?: FieldIssue[]; failedId?: string; errorText?: string } = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const [requests, levels] = await Promise.all([pendingRequests(db, actor.tenantId), listLevels(db, actor.tenantId)]);
  const cards = new Map((await memberCards(db, actor.tenantId, requests.map((r) => r.memberId))).map((m) => [m.id, m]));
  const snapshot = await Promise.all(requests.map((r) => memberStanding(db, actor.tenantId, r.memberId, { now: nowOf(c) })));
  const numberOf = (id: string | null) => levels.find((l) => l.id === id)?.number;
  const issues = opts.issues ?? [];
  return c.html(
    <Layout view={view} title={t('ladder.requests.title')}>
      <h1>{t('ladder.requests.title')}</h1>
      <p class="lead">{t('ladder.requests.lead')}</p>
      {opts.done ? (
        <p class="success" role="status">
          {t(opts.done === 'approved' ? 'ladder.requests.approved' : 'ladder.requests.declined')}
        </p>
      ) : null}
      {opts.errorText ? (
        <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
          <p>{opts.errorText}</p>
        </div>
      ) : (
        <ErrorSummary t={t} issues={issues} />
      )}
      {requests.some((r) => r.isDemo) ? <DemoNotice t={t} /> : null}
      {requests.length === 0 ? (
        <p>{t('ladder.requests.empty')}</p>
      ) : (
        <TableWrap label={t('ladder.requests.caption')}>
          <table class="stack">
            <caption>{t('ladder.requests.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ladder.col.member')}</th>
                <th scope="col">{t('ladder.col.step')}</th>
                <th scope="col">{t('ladder.col.requested')}</th>
                <th scope="col">{t('ladder.col.now')}</th>
                <th scope="col">{t('ladder.col.decide')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r, i) => {
                const m = cards.get(r.memberId);
                const s = snapshot[i]!;
                const from = numberOf(r.fromLevelId);
                const to = numberOf(r.toLevelId) ?? 0;
                const own = r.memberId === actor.memberId;
                const failed = opts.failedId === r.id ? issues : [];
                return (
                  <tr>
                    <th scope="row">
                      <a href={`/coordinator/ladder/members/${r.memberId}`}>{m?.name ?? ''}</a>
                      {r.isDemo || m?.isDemo ? <DemoTag t={t} /> : null}
                    </th>
                    <td data-label={t('ladder.col.step')}>{from ? t('ladder.stepN', { from, to }) : t('ladder.stepFirst', { to })}</td>
                    <td data-label={t('ladder.col.requested')}>{formatDate(locale, r.requestedAt)}</td>
                    <td data-label={t('ladder.col.now')}>{s.eligibility.met && s.next?.id === r.toLevelId ? t('ladder.yes') : t('ladder.no')}</td>
                    <td data-label={t('ladder.col.decide')}>
                      {own ? (
                        <p>{t('ladder.requests.own')}</p>
                      ) : (
                        <>
                          <form method="post" action={`/coordinator/ladder/requests/${r.id}/approve`}>
                            <CsrfField token={view.csrfToken} />
                            <button class="button" type="submit">
                              {t('ladder.requests.approve')}
                            </button>
                          </form>
                          <form method="post" action={`/coordinator/ladder/requests/${r.id}/decline`}>
                            <CsrfField token={view.csrfToken} />
                            <Field t={t} name={`reason-${r.id}`} label={t('ladder.requests.reason')} hint={t('ladder.requests.reasonHint')} issues={failed.map((f) => ({ ...f, field: `reason-${r.id}` }))}>
                              {(a) => <textarea {...a} name="reason" rows={2} maxlength={1000}></textarea>}
                            </Field>
                            <button class="button button-secondary" type="submit">
                              {t('ladder.requests.decline')}
                            </button>
                          </form>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      <p>
        <a href="/coordinator/ladder">{t('ladder.dash.title')}</a>
      </p>
    </Layout>,
  );
}

async function decide(c: Context<AppEnv>, approve: boolean) {
  const actor = requireActor(c);
  const id = c.req.param('id') ?? '';
  const body = await c.req.parseBody();
  const reason = typeof body['reason'] === 'string' ? body['reason'] : '';
  const db = c.get('deps').database.db;
  try {
    await decideStepUp(db, actor, id, { approve, reason }, { now: nowOf(c) });
  } catch (err) {
    if (err instanceof NotEligibleError) {
      const { t, locale } = viewOf(c);
      const titles = await titlesFor(db, actor.tenantId, locale);
      c.status(409);
      return renderRequests(c, { errorText: t('ladder.error.notEligibleApprove', { missing: missingWords(t, locale, titles, err.missing) }) });
    }
    if (err instanceof AppError && err.code === 'validation_failed') {
      c.status(400);
      return renderRequests(c, { issues: err.fields, failedId: id });
    }
    throw err;
  }
  forgetDashboard(actor.tenantId);
  return c.redirect(`/coordinator/ladder/requests?done=${approve ? 'approved' : 'declined'}`, 303);
}

// ---------------------------------------------------------------------------------------------
// One member's ladder (coordinator view)

async function renderMember(c: Context<AppEnv>, done = false) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const id = c.req.param('id') ?? '';
  const card = isUuid(id) ? await memberCard(db, actor.tenantId, id) : undefined;
  if (!card || card.status === 'erased') throw new AppError('not_found', 'That member was not found.', [], 'ladder.error.memberNotFound');
  const [s, titles, history] = await Promise.all([memberStanding(db, actor.tenantId, id, { now: nowOf(c) }), titlesFor(db, actor.tenantId, locale), levelHistoryOf(db, actor.tenantId, id)]);
  const gaps = await memberRoleGaps(db, actor.tenantId, id, s.progress);
  const title = t('ladder.member.title', { name: card.name });
  return c.html(
    <Layout view={view} title={title}>
      <h1>
        {title}
        {card.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {done ? (
        <p class="success" role="status">
          {t('ladder.member.signOffDone')}
        </p>
      ) : null}
      <p>{s.current ? t('ladder.member.current', { n: s.current.number, title: levelTitle(s.current, locale), date: s.currentSince ? formatDate(locale, s.currentSince) : '' }) : t('ladder.member.none')}</p>
      {s.next ? (
        <section aria-labelledby="next-level">
          <h2 id="next-level">{t('ladder.member.next', { n: s.next.number, title: levelTitle(s.next, locale) })}</h2>
          <Checklist t={t} locale={locale} level={s.next} progress={s.progress} titles={titles} self={false} />
          <p>{s.eligibility.met ? t('ladder.member.eligible', { n: s.next.number }) : t('ladder.member.missing', { missing: missingWords(t, locale, titles, s.eligibility.missing) })}</p>
          {s.next.signOffRequired && !s.progress.signedOffLevels.has(s.next.id) && id !== actor.memberId ? (
            <form method="post" action={`/coordinator/ladder/members/${id}/sign-off`}>
              <CsrfField token={view.csrfToken} />
              <input type="hidden" name="level" value={s.next.id} />
              <button class="button" type="submit">
                {t('ladder.member.signOff', { n: s.next.number })}
              </button>
            </form>
          ) : s.next.signOffRequired && s.progress.signedOffLevels.has(s.next.id) ? (
            <p>{t('ladder.member.signedOff', { n: s.next.number })}</p>
          ) : null}
        </section>
      ) : null}
      {gaps.length ? (
        <section aria-labelledby="role-needs">
          <h2 id="role-needs">{t('ladder.member.roles')}</h2>
          <RoleNeeds t={t} locale={locale} titles={titles} gaps={gaps} />
        </section>
      ) : null}
      <h2>{t('ladder.me.history')}</h2>
      <HistoryTable t={t} locale={locale} levels={s.levels} history={history} caption={t('ladder.me.history')} />
      <p>
        <a href={`/coordinator/members/${id}`}>{t('ladder.member.back')}</a>
      </p>
    </Layout>,
  );
}

// ---------------------------------------------------------------------------------------------
// Levels and role requirements

function levelForm(body: Record<string, string | File | (string | File)[]>): LevelInput {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return {
    title: str('title'),
    titlePl: str('titlePl'),
    description: str('description'),
    descriptionPl: str('descriptionPl'),
    courses: str('courses'),
    qualifications: str('qualifications'),
    hours: str('hours') as unknown as number,
    dbs: str('dbs') === 'on',
    signOff: str('signOff') === 'on',
  };
}

function LevelFields({ view, issues, values }: { view: ReturnType<typeof viewOf>; issues: FieldIssue[]; values: { title: string; titlePl: string; description: string; descriptionPl: string; courses: string; qualifications: string; hours: string; dbs: boolean; signOff: boolean } }) {
  const { t } = view;
  return (
    <>
      <Field t={t} name="title" label={t('ladder.field.titleLabel')} issues={issues}>
        {(a) => <input {...a} type="text" value={values.title} maxlength={200} required />}
      </Field>
      <Field t={t} name="titlePl" label={t('ladder.field.titlePlLabel')} issues={issues}>
        {(a) => <input {...a} type="text" lang="pl" value={values.titlePl} maxlength={200} />}
      </Field>
      <Field t={t} name="description" label={t('ladder.field.descriptionLabel')} issues={issues}>
        {(a) => (
          <textarea {...a} rows={3} maxlength={2000}>
            {values.description}
          </textarea>
        )}
      </Field>
      <Field t={t} name="descriptionPl" label={t('ladder.field.descriptionPlLabel')} issues={issues}>
        {(a) => (
          <textarea {...a} lang="pl" rows={3} maxlength={2000}>
            {values.descriptionPl}
          </textarea>
        )}
      </Field>
      <Field t={t} name="courses" label={t('ladder.field.coursesLabel')} hint={t('ladder.field.coursesHint')} issues={issues}>
        {(a) => (
          <textarea {...a} rows={3}>
            {values.courses}
          </textarea>
        )}
      </Field>
      <Field t={t} name="qualifications" label={t('ladder.field.qualificationsLabel')} hint={t('ladder.field.qualificationsHint')} issues={issues}>
        {(a) => (
          <textarea {...a} rows={3}>
            {values.qualifications}
          </textarea>
        )}
      </Field>
      <Field t={t} name="hours" label={t('ladder.field.hoursLabel')} issues={issues}>
        {(a) => <input {...a} type="number" inputmode="numeric" min={0} max={10000} step={1} value={values.hours} required />}
      </Field>
      <div class="field checkbox">
        <input type="checkbox" id="f-dbs" name="dbs" checked={values.dbs} />
        <label for="f-dbs">{t('ladder.field.dbsLabel')}</label>
      </div>
      <div class="field checkbox">
        <input type="checkbox" id="f-signOff" name="signOff" checked={values.signOff} />
        <label for="f-signOff">{t('ladder.field.signOffLabel')}</label>
      </div>
    </>
  );
}

function levelValues(l: Level) {
  return {
    title: l.title,
    titlePl: l.titlePl,
    description: l.description,
    descriptionPl: l.descriptionPl,
    courses: formatKeyLines(l.courses),
    qualifications: formatKeyLines(l.qualifications),
    hours: String(Math.round(l.minutesRequired / 60)),
    dbs: l.dbsRequired,
    signOff: l.signOffRequired,
  };
}

const EMPTY_LEVEL = { title: '', titlePl: '', description: '', descriptionPl: '', courses: '', qualifications: '', hours: '0', dbs: false, signOff: false };

async function renderLevels(c: Context<AppEnv>, opts: { done?: MessageKey; addIssues?: FieldIssue[]; addValues?: typeof EMPTY_LEVEL; roleIssues?: { role: string; issues: FieldIssue[] } } = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const [levels, roles, titles] = await Promise.all([listLevels(db, actor.tenantId), roleRequirements(db, actor.tenantId), titlesFor(db, actor.tenantId, locale)]);
  const addIssues = opts.addIssues ?? [];
  const roleList = TRAINED_ROLES;
  return c.html(
    <Layout view={view} title={t('ladder.levels.title')}>
      <h1>{t('ladder.levels.title')}</h1>
      <p class="lead">{t('ladder.levels.lead')}</p>
      {opts.done ? (
        <p class="success" role="status">
          {t(opts.done)}
        </p>
      ) : null}
      <TableWrap label={t('ladder.levels.title')}>
        <table class="stack">
          <caption>{t('ladder.levels.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ladder.col.number')}</th>
              <th scope="col">{t('ladder.col.title')}</th>
              <th scope="col">{t('ladder.col.requirements')}</th>
            </tr>
          </thead>
          <tbody>
            {levels.map((l) => {
              const req = missingWords(t, locale, titles, [
                ...l.courses.map((anyOf) => ({ kind: 'course' as const, anyOf })),
                ...l.qualifications.map((anyOf) => ({ kind: 'qualification' as const, anyOf })),
                ...(l.minutesRequired ? [{ kind: 'minutes' as const, minutes: l.minutesRequired }] : []),
                ...(l.dbsRequired ? [{ kind: 'dbs' as const }] : []),
                ...(l.signOffRequired ? [{ kind: 'signOff' as const }] : []),
              ]);
              return (
                <tr>
                  <th scope="row">{formatNumber(locale, l.number)}</th>
                  <td data-label={t('ladder.col.title')}>
                    <a href={`/coordinator/ladder/levels/${l.id}`}>{levelTitle(l, locale)}</a>
                  </td>
                  <td data-label={t('ladder.col.requirements')}>{req || t('ladder.req.none')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <section aria-labelledby="add-level">
        <h2 id="add-level">{t('ladder.levels.add')}</h2>
        <ErrorSummary t={t} issues={addIssues} />
        <form method="post" action="/coordinator/ladder/levels">
          <CsrfField token={view.csrfToken} />
          <LevelFields view={view} issues={addIssues} values={opts.addValues ?? EMPTY_LEVEL} />
          <button class="button" type="submit">
            {t('ladder.levels.addButton')}
          </button>
        </form>
      </section>
      <section aria-labelledby="role-reqs">
        <h2 id="role-reqs">{t('ladder.levels.roles')}</h2>
        {roleList.map((role) => {
          const need = roles.get(role) ?? { courses: [], qualifications: [] };
          const issues = opts.roleIssues?.role === role ? opts.roleIssues.issues : [];
          const name = t(`role.${role}` as MessageKey);
          return (
            <form method="post" action={`/coordinator/ladder/roles/${role}`} class="stack-form">
              <h3>{name}</h3>
              <CsrfField token={view.csrfToken} />
              <Field t={t} name={`courses-${role}`} label={t('ladder.field.roleCoursesLabel', { role: name })} hint={t('ladder.field.roleHint')} issues={issues.map((i) => ({ ...i, field: `${i.field}-${role}` }))}>
                {(a) => <input {...a} name="courses" type="text" value={need.courses.join(', ')} />}
              </Field>
              <Field t={t} name={`qualifications-${role}`} label={t('ladder.field.roleQualificationsLabel', { role: name })} hint={t('ladder.field.roleHint')} issues={issues.map((i) => ({ ...i, field: `${i.field}-${role}` }))}>
                {(a) => <input {...a} name="qualifications" type="text" value={need.qualifications.join(', ')} />}
              </Field>
              <button class="button button-secondary" type="submit">
                {t('ladder.levels.saveRole', { role: name })}
              </button>
            </form>
          );
        })}
      </section>
      <p>
        <a href="/coordinator/ladder">{t('ladder.dash.title')}</a>
      </p>
    </Layout>,
  );
}

async function renderLevel(c: Context<AppEnv>, opts: { issues?: FieldIssue[]; values?: typeof EMPTY_LEVEL } = {}) {
  const view = viewOf(c);
  const { t } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const id = c.req.param('id') ?? '';
  const level = isUuid(id) ? (await listLevels(db, actor.tenantId)).find((l) => l.id === id) : undefined;
  if (!level) throw new AppError('not_found', 'That level was not found.', [], 'ladder.error.levelNotFound');
  const issues = opts.issues ?? [];
  const title = t('ladder.levels.edit', { n: level.number });
  return c.html(
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`/coordinator/ladder/levels/${level.id}`}>
        <CsrfField token={view.csrfToken} />
        <LevelFields view={view} issues={issues} values={opts.values ?? levelValues(level)} />
        <button class="button" type="submit">
          {t('ladder.levels.save')}
        </button>
      </form>
      <p>
        <a href="/coordinator/ladder/levels">{t('ladder.levels.back')}</a>
      </p>
    </Layout>,
  );
}

function echo(input: LevelInput): typeof EMPTY_LEVEL {
  return { title: input.title ?? '', titlePl: input.titlePl ?? '', description: input.description ?? '', descriptionPl: input.descriptionPl ?? '', courses: input.courses ?? '', qualifications: input.qualifications ?? '', hours: String(input.hours ?? ''), dbs: !!input.dbs, signOff: !!input.signOff };
}

// ---------------------------------------------------------------------------------------------
// Dashboard

async function renderDashboard(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const { model, charts } = await cachedDashboard(db, actor.tenantId, nowOf(c), t, locale);
  const n = (x: number) => formatNumber(locale, x);
  const levelCols = model.levels.map((l) => l.number);
  const wardName = (name: string) => name || t('ladder.dash.noWard');
  return c.html(
    <Layout view={view} title={t('ladder.dash.title')}>
      <h1>{t('ladder.dash.title')}</h1>
      <p class="lead">{t('ladder.dash.lead')}</p>
      {model.demo ? <DemoNotice t={t} /> : null}
      <p>{model.computedAt ? t('ladder.dash.computed', { when: formatDateTime(locale, model.computedAt) }) : t('ladder.dash.notComputed')}</p>
      <ul>
        <li>
          <a href="/coordinator/ladder/requests">{t('ladder.requests.link', { n: model.pending })}</a>
        </li>
        <li>
          <a href="/coordinator/ladder/levels">{t('ladder.dash.levelsLink')}</a>
        </li>
      </ul>

      <section aria-labelledby="per-ward">
        <h2 id="per-ward">{t('ladder.dash.perWard')}</h2>
        <p>{t('ladder.dash.eligibleNow', { n: model.eligibleNow })}</p>
        <figure class="chart">{raw(charts.perWard)}</figure>
        <TableWrap label={t('ladder.dash.perWardCaption')}>
          <table class="stack">
            <caption>{t('ladder.dash.perWardCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ladder.col.ward')}</th>
                <th scope="col" class="num">
                  {t('ladder.col.noLevel')}
                </th>
                {levelCols.map((k) => (
                  <th scope="col" class="num">
                    {t('ladder.levelN', { n: k })}
                  </th>
                ))}
                <th scope="col" class="num">
                  {t('ladder.col.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {model.perWard.map((w) => (
                <tr>
                  <th scope="row">{wardName(w.name)}</th>
                  {w.counts.map((x, i) => (
                    <td class="num" data-label={i === 0 ? t('ladder.col.noLevel') : t('ladder.levelN', { n: i })}>
                      {n(x)}
                    </td>
                  ))}
                  <td class="num" data-label={t('ladder.col.total')}>
                    {n(w.total)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('ladder.col.total')}</th>
                {model.perWardTotal.map((x, i) => (
                  <td class="num" data-label={i === 0 ? t('ladder.col.noLevel') : t('ladder.levelN', { n: i })}>
                    {n(x)}
                  </td>
                ))}
                <td class="num" data-label={t('ladder.col.total')}>
                  {n(model.perWardTotal.reduce((a, b) => a + b, 0))}
                </td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="m1">
        <h2 id="m1">{t('ladder.dash.m1')}</h2>
        <p>{t('ladder.dash.m1Lead')}</p>
        <figure class="chart">{raw(charts.m1)}</figure>
        <TableWrap label={t('ladder.dash.m1Caption')}>
          <table class="stack">
            <caption>{t('ladder.dash.m1Caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ladder.col.quarter')}</th>
                <th scope="col" class="num">
                  {t('ladder.dash.series.training')}
                </th>
                {levelCols.map((k) => (
                  <th scope="col" class="num">
                    {t('ladder.dash.series.stepUp', { n: k })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {model.m1.map((q) => (
                <tr>
                  <th scope="row">{q.quarter}</th>
                  <td class="num" data-label={t('ladder.dash.series.training')}>
                    {n(q.inTraining)}
                  </td>
                  {q.stepUps.map((x, i) => (
                    <td class="num" data-label={t('ladder.dash.series.stepUp', { n: i + 1 })}>
                      {n(x)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <TableWrap label={t('ladder.dash.m1Ward')}>
          <table class="stack">
            <caption>{t('ladder.dash.m1Ward')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ladder.col.ward')}</th>
                <th scope="col" class="num">
                  {t('ladder.dash.series.training')}
                </th>
                <th scope="col" class="num">
                  {t('ladder.col.stepUps')}
                </th>
              </tr>
            </thead>
            <tbody>
              {model.m1ByWard.map((w) => (
                <tr>
                  <th scope="row">{wardName(w.name)}</th>
                  <td class="num" data-label={t('ladder.dash.series.training')}>
                    {n(w.inTraining)}
                  </td>
                  <td class="num" data-label={t('ladder.col.stepUps')}>
                    {n(w.stepUps)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <TableWrap label={t('ladder.dash.m1Level')}>
          <table class="stack">
            <caption>{t('ladder.dash.m1Level')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ladder.col.level')}</th>
                <th scope="col" class="num">
                  {t('ladder.dash.series.training')}
                </th>
                <th scope="col" class="num">
                  {t('ladder.col.stepUps')}
                </th>
              </tr>
            </thead>
            <tbody>
              {model.m1ByLevel.map((l) => (
                <tr>
                  <th scope="row">{l.level === 0 ? t('ladder.col.noLevel') : t('ladder.levelN', { n: l.level })}</th>
                  <td class="num" data-label={t('ladder.dash.series.training')}>
                    {n(l.inTraining)}
                  </td>
                  <td class="num" data-label={t('ladder.col.stepUps')}>
                    {l.level === 0 ? '' : n(l.stepUps)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="step-ups">
        <h2 id="step-ups">{t('ladder.dash.stepUps')}</h2>
        <TableWrap label={t('ladder.dash.stepUpsCaption')}>
          <table class="stack">
            <caption>{t('ladder.dash.stepUpsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ladder.col.quarter')}</th>
                {levelCols.map((k) => (
                  <th scope="col" class="num">
                    {t('ladder.levelN', { n: k })}
                  </th>
                ))}
                <th scope="col" class="num">
                  {t('ladder.col.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {model.stepUps.map((q) => (
                <tr>
                  <th scope="row">{q.quarter}</th>
                  {q.byLevel.map((x, i) => (
                    <td class="num" data-label={t('ladder.levelN', { n: i + 1 })}>
                      {n(x)}
                    </td>
                  ))}
                  <td class="num" data-label={t('ladder.col.total')}>
                    {n(q.total)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="attendance">
        <h2 id="attendance">{t('ladder.dash.attendance')}</h2>
        <TableWrap label={t('ladder.dash.attendanceCaption')}>
          <table class="stack">
            <caption>{t('ladder.dash.attendanceCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ladder.col.quarter')}</th>
                <th scope="col" class="num">
                  {t('ladder.col.attendances')}
                </th>
                <th scope="col" class="num">
                  {t('ladder.col.sessions')}
                </th>
                <th scope="col" class="num">
                  {t('ladder.col.volunteers')}
                </th>
              </tr>
            </thead>
            <tbody>
              {model.attendance.map((q) => (
                <tr>
                  <th scope="row">{q.quarter}</th>
                  <td class="num" data-label={t('ladder.col.attendances')}>
                    {n(q.attendances)}
                  </td>
                  <td class="num" data-label={t('ladder.col.sessions')}>
                    {n(q.sessions)}
                  </td>
                  <td class="num" data-label={t('ladder.col.volunteers')}>
                    {n(q.people)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="expiring">
        <h2 id="expiring">{t('ladder.dash.expiring')}</h2>
        {model.expiring.length === 0 ? (
          <p>{t('ladder.dash.expiringNone')}</p>
        ) : (
          <TableWrap label={t('ladder.dash.expiringCaption', { date: formatDate(locale, model.expiring.at(-1)!.expiresOn) })}>
            <table class="stack">
              <caption>{t('ladder.dash.expiringCaption', { date: formatDate(locale, model.expiring.at(-1)!.expiresOn) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ladder.col.member')}</th>
                  <th scope="col">{t('ladder.col.qualification')}</th>
                  <th scope="col">{t('ladder.col.expires')}</th>
                  <th scope="col">{t('ladder.col.reminded')}</th>
                </tr>
              </thead>
              <tbody>
                {model.expiring.map((e) => (
                  <tr>
                    <th scope="row">
                      <a href={`/coordinator/ladder/members/${e.memberId}`}>{e.name}</a>
                      {e.isDemo ? <DemoTag t={t} /> : null}
                    </th>
                    <td data-label={t('ladder.col.qualification')}>{e.title}</td>
                    <td data-label={t('ladder.col.expires')}>{formatDate(locale, e.expiresOn)}</td>
                    <td data-label={t('ladder.col.reminded')}>{e.reminded ? t('ladder.yes') : t('ladder.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <p>{t('ladder.dash.dbs', { n: model.dbsDue })}</p>
        <p class="muted">{t('ladder.dash.dbsLink')}</p>
      </section>
    </Layout>,
  );
}

export function registerLadderPages(app: RouteTarget): void {
  registerMyLadderPages(app);

  route(app, 'GET', '/coordinator/ladder', 'ladder.approve', (c) => renderDashboard(c));

  route(app, 'GET', '/coordinator/ladder/requests', 'ladder.approve', (c) => {
    const done = c.req.query('done');
    return renderRequests(c, done === 'approved' || done === 'declined' ? { done } : {});
  });
  route(app, 'POST', '/coordinator/ladder/requests/:id/approve', 'ladder.approve', (c) => decide(c, true));
  route(app, 'POST', '/coordinator/ladder/requests/:id/decline', 'ladder.approve', (c) => decide(c, false));

  route(app, 'GET', '/coordinator/ladder/members/:id', 'ladder.approve', (c) => renderMember(c, c.req.query('done') === '1'));
  route(app, 'POST', '/coordinator/ladder/members/:id/sign-off', 'ladder.approve', async (c) => {
    const actor = requireActor(c);
    const id = c.req.param('id') ?? '';
    const body = await c.req.parseBody();
    await signOff(c.get('deps').database.db, actor, id, typeof body['level'] === 'string' ? body['level'] : '', { now: nowOf(c) });
    forgetDashboard(actor.tenantId);
    return c.redirect(`/coordinator/ladder/members/${id}?done=1`, 303);
  });

  route(app, 'GET', '/coordinator/ladder/levels', 'ladder.manage', (c) => {
    const done = c.req.query('done');
    return renderLevels(c, done === 'saved' ? { done: 'ladder.levels.saved' } : done === 'added' ? { done: 'ladder.levels.added' } : done === 'role' ? { done: 'ladder.levels.rolesSaved' } : {});
  });
  route(app, 'POST', '/coordinator/ladder/levels', 'ladder.manage', async (c) => {
    const actor = requireActor(c);
    const input = levelForm(await c.req.parseBody());
    const db = c.get('deps').database.db;
    try {
      await addLevel(db, actor, input);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') {
        c.status(400);
        return renderLevels(c, { addIssues: err.fields, addValues: echo(input) });
      }
      throw err;
    }
    await recomputeEligibility(db, actor.tenantId, { now: nowOf(c) });
    forgetDashboard(actor.tenantId);
    return c.redirect('/coordinator/ladder/levels?done=added', 303);
  });
  route(app, 'GET', '/coordinator/ladder/levels/:id', 'ladder.manage', (c) => renderLevel(c));
  route(app, 'POST', '/coordinator/ladder/levels/:id', 'ladder.manage', async (c) => {
    const actor = requireActor(c);
    const id = c.req.param('id') ?? '';
    const input = levelForm(await c.req.parseBody());
    const db = c.get('deps').database.db;
    if (!isUuid(id) || !(await listLevels(db, actor.tenantId)).some((l) => l.id === id)) throw new AppError('not_found', 'That level was not found.', [], 'ladder.error.levelNotFound');
    try {
      await updateLevel(db, actor, id, input);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') {
        c.status(400);
        return renderLevel(c, { issues: err.fields, values: echo(input) });
      }
      throw err;
    }
    await recomputeEligibility(db, actor.tenantId, { now: nowOf(c) });
    forgetDashboard(actor.tenantId);
    return c.redirect('/coordinator/ladder/levels?done=saved', 303);
  });
  route(app, 'POST', '/coordinator/ladder/roles/:role', 'ladder.manage', async (c) => {
    const actor = requireActor(c);
    const role = c.req.param('role') ?? '';
    const body = await c.req.parseBody();
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    try {
      await setRoleRequirements(c.get('deps').database.db, actor, role, { courses: str('courses'), qualifications: str('qualifications') });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') {
        c.status(400);
        return renderLevels(c, { roleIssues: { role, issues: err.fields } });
      }
      throw err;
    }
    return c.redirect('/coordinator/ladder/levels?done=role', 303);
  });
}

