import type { Context } from 'hono';
import { z } from 'zod';
import { formatDate, isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import type { ActivityRow, HoursRow } from './schema.ts';
import {
  addMonths,
  approvalQueue,
  decideHours,
  editHours,
  hoursTotals,
  listActivities,
  logHours,
  MAX_ENTRY_MINUTES,
  myEntries,
  myTotals,
  NOTE_MAX,
  ownEntry,
  saveActivity,
  type Period,
} from './service.ts';

/** "2 h 30 min" in the reader's language. */
export function duration(t: Translate, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h && m) return t('volunteering.duration.hm', { h, m });
  if (h) return t('volunteering.duration.h', { h });
  return t('volunteering.duration.m', { m });
}

export function activityTitle(locale: Locale, a: { titleEn: string; titlePl: string } | { activityEn: string; activityPl: string }): string {
  if ('titleEn' in a) return locale === 'pl' ? a.titlePl : a.titleEn;
  return locale === 'pl' ? a.activityPl : a.activityEn;
}

const HOURS_FIELDS = ['workedOn', 'activityId', 'hours', 'minutes', 'note', 'clientKey'] as const;
type HoursForm = Partial<Record<(typeof HOURS_FIELDS)[number], string>>;

async function formOf(c: Context<AppEnv>): Promise<HoursForm> {
  const body = await c.req.parseBody();
  return Object.fromEntries(HOURS_FIELDS.map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]));
}

function nowOf(c: Context<AppEnv>): Date {
  const clock = c.get('deps').clock;
  return new Date(clock ? clock() : Date.now());
}

function HoursFields({ t, locale, issues, value, activities, today }: { t: Translate; locale: Locale; issues: FieldIssue[]; value: HoursForm; activities: ActivityRow[]; today: string }) {
  return (
    <>
      <Field t={t} name="workedOn" label={t('volunteering.field.date')} hint={t('volunteering.field.dateHint')} issues={issues}>
        {(a) => <input type="date" {...a} value={value.workedOn ?? today} max={today} min={addMonths(today, -12)} required />}
      </Field>
      <Field t={t} name="activityId" label={t('volunteering.field.activity')} issues={issues}>
        {(a) => (
          <select {...a} required>
            {activities.map((x) => (
              <option value={x.id} selected={x.id === value.activityId}>
                {activityTitle(locale, x)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset class="duration">
        <legend>{t('volunteering.field.duration')}</legend>
        <p class="hint">{t('volunteering.field.durationHint', { max: MAX_ENTRY_MINUTES / 60 })}</p>
        <Field t={t} name="hours" label={t('volunteering.field.hours')} issues={issues}>
          {(a) => <input type="number" {...a} value={value.hours ?? ''} min={0} max={16} step={1} inputmode="numeric" class="short" />}
        </Field>
        <Field t={t} name="minutes" label={t('volunteering.field.minutes')} issues={issues}>
          {(a) => <input type="number" {...a} value={value.minutes ?? ''} min={0} max={59} step={5} inputmode="numeric" class="short" />}
        </Field>
      </fieldset>
      <Field t={t} name="note" label={t('volunteering.field.note')} hint={t('volunteering.field.noteHint', { max: NOTE_MAX })} issues={issues}>
        {(a) => (
          <textarea {...a} maxlength={NOTE_MAX} rows={3}>
            {value.note ?? ''}
          </textarea>
        )}
      </Field>
    </>
  );
}

function StatusCell({ t, entry }: { t: Translate; entry: Pick<HoursRow, 'status' | 'question'> }) {
  return (
    <>
      <span class={`tag status-${entry.status}`}>{t(`volunteering.status.${entry.status}`)}</span>
      {entry.status === 'queried' && entry.question ? (
        <p class="question">
          {t('volunteering.question')}: {entry.question}
        </p>
      ) : null}
    </>
  );
}

async function myHoursPage(c: Context<AppEnv>, issues: FieldIssue[], form?: HoursForm) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const now = nowOf(c);
  const today = isoDate(now);
  const [activities, entries, totals] = await Promise.all([listActivities(db, actor.tenantId, { activeOnly: true }), myEntries(db, actor), myTotals(db, actor.tenantId, actor.memberId, now)]);
  const done = c.req.query('done');
  const value: HoursForm = { ...form, clientKey: form?.clientKey || newId() };
  return c.html(
    <Layout view={view} title={t('volunteering.my.title')}>
      <h1>{t('volunteering.my.title')}</h1>
      {done === 'logged' ? (
        <p class="notice" role="status">
          {t('volunteering.my.logged')}
        </p>
      ) : done === 'edited' ? (
        <p class="notice" role="status">
          {t('volunteering.my.resubmitted')}
        </p>
      ) : null}
      <Facts
        items={[
          [t('volunteering.totals.quarter'), duration(t, totals.quarterMinutes)],
          [t('volunteering.totals.all'), duration(t, totals.allMinutes)],
          [t('volunteering.totals.waiting'), String(totals.waiting)],
          [t('volunteering.totals.queried'), String(totals.queried)],
        ]}
      />
      <h2 id="log">{t('volunteering.my.log')}</h2>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/volunteering/hours" novalidate aria-labelledby="log">
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="clientKey" value={value.clientKey} />
        <HoursFields t={t} locale={locale} issues={issues} value={value} activities={activities} today={today} />
        <div class="actions">
          <button class="button" type="submit">
            {t('volunteering.my.submit')}
          </button>
        </div>
      </form>
      <h2 id="entries">{t('volunteering.my.entries')}</h2>
      {entries.length === 0 ? (
        <p>{t('volunteering.my.none')}</p>
      ) : (
        <TableWrap label={t('volunteering.my.entries')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('volunteering.field.date')}</th>
                <th scope="col">{t('volunteering.field.activity')}</th>
                <th scope="col">{t('volunteering.field.duration')}</th>
                <th scope="col">{t('volunteering.status')}</th>
                <th scope="col">{t('volunteering.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td data-label={t('volunteering.field.date')}>
                    {formatDate(locale, e.workedOn)}
                    {e.isDemo ? <DemoTag t={t} /> : null}
                  </td>
                  <td data-label={t('volunteering.field.activity')}>{activityTitle(locale, e)}</td>
                  <td data-label={t('volunteering.field.duration')}>{duration(t, e.minutes)}</td>
                  <td data-label={t('volunteering.status')}>
                    <StatusCell t={t} entry={e} />
                  </td>
                  <td data-label={t('volunteering.actions')}>
                    {e.status === 'approved' ? t('volunteering.locked') : <a href={`/volunteering/hours/${e.id}/edit`}>{e.status === 'queried' ? t('volunteering.answer') : t('volunteering.edit')}</a>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function editPage(c: Context<AppEnv>, entry: HoursRow, issues: FieldIssue[], form?: HoursForm) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const today = isoDate(nowOf(c));
  const activities = await listActivities(db, actor.tenantId, { activeOnly: true });
  const value: HoursForm = form ?? { workedOn: entry.workedOn, activityId: entry.activityId, hours: String(Math.floor(entry.minutes / 60)), minutes: String(entry.minutes % 60), note: entry.note };
  return c.html(
    <Layout view={view} title={t('volunteering.edit.title')}>
      <p>
        <a href="/volunteering/hours">{t('volunteering.my.title')}</a>
      </p>
      <h1>{t('volunteering.edit.title')}</h1>
      <StatusCell t={t} entry={entry} />
      {entry.status === 'approved' ? (
        <p>{t('volunteering.error.locked')}</p>
      ) : (
        <>
          <p>{t('volunteering.edit.lead')}</p>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action={`/volunteering/hours/${entry.id}/edit`} novalidate>
            <CsrfField token={view.csrfToken} />
            <HoursFields t={t} locale={locale} issues={issues} value={value} activities={activities} today={today} />
            <div class="actions">
              <button class="button" type="submit">
                {t('volunteering.edit.submit')}
              </button>
              <a href="/volunteering/hours">{t('volunteering.cancel')}</a>
            </div>
          </form>
        </>
      )}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

const TotalsQuery = z.object({
  period: z.enum(['month', 'quarter']).default('quarter'),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

async function coordinatorPage(c: Context<AppEnv>, issues: FieldIssue[], status: 200 | 400 | 403 | 404 | 409 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const today = isoDate(nowOf(c));
  const parsed = TotalsQuery.safeParse(c.req.query());
  if (!parsed.success) throw new AppError('validation_failed', 'period must be month or quarter; from and to are dates (YYYY-MM-DD).', [{ field: 'period', message: 'volunteering.error.range' }], 'volunteering.error.range');
  const period: Period = parsed.data.period;
  const from = parsed.data.from ?? addMonths(today, -12);
  const to = parsed.data.to ?? today;
  const [queue, totals] = await Promise.all([approvalQueue(db, actor), hoursTotals(db, actor, { from, to, period })]);
  const wardNames = new Map((await wardNamesByIds(db, actor.tenantId, totals.wards.flatMap((w) => (w.wardId ? [w.wardId] : [])))).map((w) => [w.id, w.name]));
  const done = c.req.query('done');
  return c.html(
    <Layout view={view} title={t('volunteering.coord.title')}>
      <h1>{t('volunteering.coord.title')}</h1>
      {queue.some((q) => q.isDemo || q.memberIsDemo) || totals.anyDemo ? <DemoNotice t={t} /> : null}
      {done ? (
        <p class="notice" role="status">
          {t(done === 'query' ? 'volunteering.coord.queried' : 'volunteering.coord.approved')}
        </p>
      ) : null}
      <p>
        <a href="/coordinator/hours/activities">{t('volunteering.activities.title')}</a>
      </p>
      <h2 id="queue">{t('volunteering.coord.queue')}</h2>
      <ErrorSummary t={t} issues={issues} />
      {queue.length === 0 ? (
        <p>{t('volunteering.coord.empty')}</p>
      ) : (
        <form method="post" action="/coordinator/hours/decide" novalidate>
          <CsrfField token={view.csrfToken} />
          <TableWrap label={t('volunteering.coord.queue')}>
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('volunteering.coord.select')}</th>
                  <th scope="col">{t('volunteering.coord.volunteer')}</th>
                  <th scope="col">{t('volunteering.field.date')}</th>
                  <th scope="col">{t('volunteering.field.activity')}</th>
                  <th scope="col">{t('volunteering.field.duration')}</th>
                  <th scope="col">{t('volunteering.field.note')}</th>
                  <th scope="col">{t('volunteering.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((q) => (
                  <tr>
                    <td data-label={t('volunteering.coord.select')}>
                      {q.memberId === actor.memberId ? (
                        t('volunteering.coord.own')
                      ) : (
                        <input type="checkbox" name="ids" value={q.id} id={`sel-${q.id}`} aria-label={t('volunteering.coord.selectOne', { name: q.memberName, date: formatDate(locale, q.workedOn) })} class="check" />
                      )}
                    </td>
                    <th scope="row" data-label={t('volunteering.coord.volunteer')}>
                      {q.memberName} ({q.memberNumber})
                      {q.isDemo || q.memberIsDemo ? <DemoTag t={t} /> : null}
                    </th>
                    <td data-label={t('volunteering.field.date')}>{formatDate(locale, q.workedOn)}</td>
                    <td data-label={t('volunteering.field.activity')}>{activityTitle(locale, q)}</td>
                    <td data-label={t('volunteering.field.duration')}>{duration(t, q.minutes)}</td>
                    <td data-label={t('volunteering.field.note')}>{q.note || '—'}</td>
                    <td data-label={t('volunteering.actions')}>
                      {q.memberId === actor.memberId ? null : (
                        <button class="button button-secondary" type="submit" name="one" value={q.id}>
                          {t('volunteering.coord.approveOne')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <Field t={t} name="question" label={t('volunteering.coord.question')} hint={t('volunteering.coord.questionHint')} issues={issues}>
            {(a) => <textarea {...a} maxlength={NOTE_MAX} rows={2}></textarea>}
          </Field>
          <div class="actions">
            <button class="button" type="submit" name="action" value="approve">
              {t('volunteering.coord.approveSelected')}
            </button>
            <button class="button button-secondary" type="submit" name="action" value="query">
              {t('volunteering.coord.querySelected')}
            </button>
          </div>
        </form>
      )}
      <h2 id="totals">{t('volunteering.coord.totals')}</h2>
      <form method="get" action="/coordinator/hours" class="filters">
        <Field t={t} name="period" label={t('volunteering.coord.period')} issues={[]}>
          {(a) => (
            <select {...a}>
              <option value="quarter" selected={period === 'quarter'}>
                {t('volunteering.coord.byQuarter')}
              </option>
              <option value="month" selected={period === 'month'}>
                {t('volunteering.coord.byMonth')}
              </option>
            </select>
          )}
        </Field>
        <Field t={t} name="from" label={t('volunteering.coord.from')} issues={[]}>
          {(a) => <input type="date" {...a} value={from} />}
        </Field>
        <Field t={t} name="to" label={t('volunteering.coord.to')} issues={[]}>
          {(a) => <input type="date" {...a} value={to} />}
        </Field>
        <button class="button button-secondary" type="submit">
          {t('volunteering.coord.show')}
        </button>
      </form>
      <p>{t('volunteering.coord.totalAll', { total: duration(t, totals.minutes) })}</p>
      <TotalsTable t={t} caption={t(period === 'month' ? 'volunteering.coord.byMonth' : 'volunteering.coord.byQuarter')} head={t('volunteering.coord.period')} rows={totals.periods.map((p) => ({ label: p.period, minutes: p.minutes, volunteers: p.volunteers }))} />
      <TotalsTable t={t} caption={t('volunteering.coord.byWard')} head={t('volunteering.coord.ward')} rows={totals.wards.map((w) => ({ label: w.wardId ? (wardNames.get(w.wardId) ?? '—') : t('volunteering.coord.noWard'), minutes: w.minutes, volunteers: w.volunteers }))} />
      <TotalsTable t={t} caption={t('volunteering.coord.byPerson')} head={t('volunteering.coord.volunteer')} rows={totals.people.map((p) => ({ label: `${p.name} (${p.memberNumber})`, minutes: p.minutes, demo: p.isDemo }))} />
    </Layout>,
    status,
  );
}

function TotalsTable({ t, caption, head, rows }: { t: Translate; caption: string; head: string; rows: Array<{ label: string; minutes: number; volunteers?: number; demo?: boolean }> }) {
  const withVolunteers = rows.some((r) => r.volunteers !== undefined);
  return (
    <TableWrap label={caption}>
      <table class="stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" class="num">
              {t('volunteering.coord.hours')}
            </th>
            {withVolunteers ? (
              <th scope="col" class="num">
                {t('volunteering.coord.volunteers')}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colspan={withVolunteers ? 3 : 2}>{t('volunteering.coord.noHours')}</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr>
                <th scope="row" data-label={head}>
                  {r.label}
                  {r.demo ? <DemoTag t={t} /> : null}
                </th>
                <td class="num" data-label={t('volunteering.coord.hours')}>
                  {duration(t, r.minutes)}
                </td>
                {withVolunteers ? (
                  <td class="num" data-label={t('volunteering.coord.volunteers')}>
                    {r.volunteers ?? 0}
                  </td>
                ) : null}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableWrap>
  );
}

async function activitiesPage(c: Context<AppEnv>, issues: FieldIssue[]) {
  const view = viewOf(c);
  const { t } = view;
  const actor = requireActor(c);
  const activities = await listActivities(c.get('deps').database.db, actor.tenantId);
  const saved = c.req.query('done');
  return c.html(
    <Layout view={view} title={t('volunteering.activities.title')}>
      <p>
        <a href="/coordinator/hours">{t('volunteering.coord.title')}</a>
      </p>
      <h1>{t('volunteering.activities.title')}</h1>
      {saved ? (
        <p class="notice" role="status">
          {t('volunteering.activities.saved')}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      {[...activities, undefined].map((a, i) => (
        <form method="post" action="/coordinator/hours/activities" novalidate class="card">
          <CsrfField token={view.csrfToken} />
          <h2>{a ? a.titleEn : t('volunteering.activities.new')}</h2>
          <input type="hidden" name="id" value={a?.id ?? ''} />
          <div class="field">
            <label for={`en-${i}`}>{t('volunteering.activities.titleEn')}</label>
            <input type="text" id={`en-${i}`} name="titleEn" value={a?.titleEn ?? ''} maxlength={80} required />
          </div>
          <div class="field">
            <label for={`pl-${i}`}>{t('volunteering.activities.titlePl')}</label>
            <input type="text" id={`pl-${i}`} name="titlePl" value={a?.titlePl ?? ''} maxlength={80} lang="pl" required />
          </div>
          <div class="field">
            <label for={`active-${i}`}>{t('volunteering.activities.active')}</label>
            <select id={`active-${i}`} name="active">
              <option value="yes" selected={a?.active !== false}>
                {t('volunteering.yes')}
              </option>
              <option value="no" selected={a?.active === false}>
                {t('volunteering.no')}
              </option>
            </select>
          </div>
          <button class="button button-secondary" type="submit">
            {a ? t('volunteering.activities.save') : t('volunteering.activities.add')}
          </button>
        </form>
      ))}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

function fieldsOf(err: unknown): FieldIssue[] | undefined {
  if (err instanceof AppError && err.code === 'validation_failed') return err.fields;
  return undefined;
}

/** An AppError with a catalogue key, as a form-level message. */
function formIssue(err: unknown, field: string): FieldIssue[] | undefined {
  if (err instanceof AppError && (err.code === 'conflict' || err.code === 'forbidden' || err.code === 'not_found') && err.key) return [{ field, message: err.key }];
  return undefined;
}

export function registerHoursPages(app: RouteTarget): void {
  route(app, 'GET', '/volunteering/hours', 'signed-in', (c) => myHoursPage(c, []));

  route(app, 'POST', '/volunteering/hours', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const form = await formOf(c);
    try {
      await logHours(c.get('deps').database.db, actor, form, nowOf(c));
    } catch (err) {
      const issues = fieldsOf(err);
      if (issues) return myHoursPage(c, issues, form);
      throw err;
    }
    return c.redirect('/volunteering/hours?done=logged', 303);
  });

  route(app, 'GET', '/volunteering/hours/:id/edit', 'signed-in', async (c) => {
    const entry = await ownEntry(c.get('deps').database.db, requireActor(c), c.req.param('id') ?? '');
    return editPage(c, entry, []);
  });

  route(app, 'POST', '/volunteering/hours/:id/edit', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const db = c.get('deps').database.db;
    const entry = await ownEntry(db, actor, c.req.param('id') ?? '');
    const form = await formOf(c);
    try {
      await editHours(db, actor, entry.id, form, nowOf(c));
    } catch (err) {
      const issues = fieldsOf(err) ?? (err instanceof AppError && err.code === 'conflict' ? formIssue(err, 'workedOn') : undefined);
      if (issues) return editPage(c, { ...entry, status: err instanceof AppError && err.code === 'conflict' ? 'approved' : entry.status }, issues, form);
      throw err;
    }
    return c.redirect('/volunteering/hours?done=edited', 303);
  });

  route(app, 'GET', '/coordinator/hours', 'hours.approve', (c) => coordinatorPage(c, []));

  route(app, 'POST', '/coordinator/hours/decide', 'hours.approve', async (c) => {
    const actor = requireActor(c);
    const body = await c.req.parseBody({ all: true });
    const one = typeof body.one === 'string' ? body.one : '';
    const raw = body.ids;
    const ids = one ? [one] : (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((x): x is string => typeof x === 'string');
    const action = one ? 'approve' : body.action;
    try {
      await decideHours(c.get('deps').database.db, actor, { action, ids, question: typeof body.question === 'string' ? body.question : '' });
    } catch (err) {
      const issues = fieldsOf(err) ?? formIssue(err, 'ids');
      if (issues) return coordinatorPage(c, issues, err instanceof AppError && (err.status === 403 || err.status === 404 || err.status === 409) ? err.status : 400);
      throw err;
    }
    return c.redirect(`/coordinator/hours?done=${action === 'query' ? 'query' : 'approve'}`, 303);
  });

  route(app, 'GET', '/coordinator/hours/activities', 'hours.approve', (c) => activitiesPage(c, []));

  route(app, 'POST', '/coordinator/hours/activities', 'hours.approve', async (c) => {
    const actor = requireActor(c);
    const body = await c.req.parseBody();
    try {
      await saveActivity(c.get('deps').database.db, actor, body);
    } catch (err) {
      const issues = fieldsOf(err);
      if (issues) return activitiesPage(c, issues);
      throw err;
    }
    return c.redirect('/coordinator/hours/activities?done=1', 303);
  });
}
