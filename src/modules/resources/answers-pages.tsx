import type { Context } from 'hono';
import { raw } from 'hono/html';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import type { MessageKey } from '../../ui/i18n/en.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { renderBars } from './answers-chart.ts';
import { answerCsv, answerXlsx } from './answers-export.ts';
import { parsePeriod, periodLabel, periodOptions, defaultPeriod, type Period } from './answers-period.ts';
import { thresholdsOf, type Thresholds } from './answers-queries.ts';
import { updateThresholds } from './answers-service.ts';
import { ANSWERS, displayValue, loadAnswer, plainNumber, type AnswerName, type AnswerTable } from './answers.ts';
import { EVIDENCE_LEVELS } from './schema.ts';

/**
 * The answer pages `/resources/answers/…` (resources.read): one table each with its bar chart,
 * the period filter (default: the last full financial year), CSV and XLSX of exactly the table.
 * Coordinators and admins see exact counts of families; everyone else sees per-ward counts
 * through suppression.
 */

export function nowOf(c: Context<AppEnv>): Date {
  const clock = c.get('deps').clock;
  return new Date(clock ? clock() : Date.now());
}

/** Coordinators (and admins) see exact figures. */
export function seesExact(c: Context<AppEnv>): boolean {
  const roles = c.get('actor')?.roles;
  return !!roles && (roles.has('coordinator') || roles.has('admin'));
}

/** Rows of a table on one page (the downloads hold them all). */
export const PAGE_ROWS = 100;

export const answerTitle = (name: AnswerName) => `res.answers.title.${name}` as MessageKey;
const answerLead = (name: AnswerName) => `res.answers.lead.${name}` as MessageKey;

/** The query's period, or the default and the issue to show. */
export function readPeriod(c: Context<AppEnv>): { period: Period; issues: FieldIssue[] } {
  try {
    return { period: parsePeriod(c.req.query('period'), nowOf(c)), issues: [] };
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed') return { period: defaultPeriod(nowOf(c)), issues: err.fields };
    throw err;
  }
}

export function PeriodSelect({ view, period, now, issues, name = 'period' }: { view: View; period: Period; now: Date; issues: FieldIssue[]; name?: string }) {
  const { t } = view;
  return (
    <Field t={t} name={name} label={t('res.answers.filter.period')} hint={t('res.answers.filter.periodHint')} issues={issues}>
      {(a) => (
        <select {...a}>
          {periodOptions(now).map((p) => (
            <option value={p.key} selected={p.key === period.key}>
              {periodLabel(t, p)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PeriodForm({ view, period, now, issues, action }: { view: View; period: Period; now: Date; issues: FieldIssue[]; action: string }) {
  const { t } = view;
  return (
    <form method="get" action={action} aria-labelledby="period-form-title">
      <h2 id="period-form-title">{t('res.answers.filter.title')}</h2>
      <PeriodSelect view={view} period={period} now={now} issues={issues} />
      <p>
        <button type="submit">{t('res.answers.filter.submit')}</button>
      </p>
    </form>
  );
}

/** The chart of an answer (SVG, same figures as the table), or nothing when it has no bars. */
export async function AnswerChart({ view, table, id, title }: { view: View; table: AnswerTable; id: string; title: string }) {
  if (!table.chart) return null;
  const { label, value } = table.chart;
  const col = table.columns[value]!;
  const bars = table.rows.flatMap((r) => {
    const v = plainNumber(col, r.values[value] ?? null);
    return v === null ? [] : [{ label: String(r.values[label] ?? ''), value: Math.round(v * 100) / 100 }];
  });
  if (table.name === 'duplication') {
    const perCat = new Map<string, number>();
    for (const r of table.rows) perCat.set(String(r.values[0]), (perCat.get(String(r.values[0])) ?? 0) + 1);
    bars.splice(0, bars.length, ...[...perCat].map(([l, n]) => ({ label: l, value: n })));
  }
  if (!bars.length) return null;
  const { t } = view;
  const svg = await renderBars({
    id,
    title,
    description: t(bars.length > 25 ? 'res.answers.chart.descFirst' : 'res.answers.chart.desc', { n: 25 }),
    xTitle: table.name === 'duplication' ? t('res.answers.col.pairs') : col.kind === 'money' ? `${col.label} (£)` : col.label,
    bars,
  });
  return <figure class="chart">{raw(svg)}</figure>;
}

/** An answer's table: stacks into cards at 390 px (every cell carries its column's label). */
export function AnswerTableView({ view, table, caption }: { view: View; table: AnswerTable; caption: string }) {
  const { t, locale } = view;
  const num = (i: number) => table.columns[i]!.kind !== 'text';
  return (
    <TableWrap label={caption}>
      <table class="stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              <th scope="col" class={num(i) ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.length ? (
            table.rows.map((r) => (
              <tr>
                {r.values.map((v, i) =>
                  i === 0 ? (
                    <th scope="row">
                      {r.href ? <a href={r.href}>{displayValue(table.columns[0]!, v, locale)}</a> : displayValue(table.columns[0]!, v, locale)}
                      {r.demo ? <DemoTag t={t} /> : null}
                    </th>
                  ) : (
                    <td class={num(i) ? 'num' : undefined} data-label={table.columns[i]!.label}>
                      {displayValue(table.columns[i]!, v, locale)}
                    </td>
                  ),
                )}
              </tr>
            ))
          ) : (
            <tr>
              <td colspan={table.columns.length}>{t('res.answers.none')}</td>
            </tr>
          )}
        </tbody>
        {table.total ? (
          <tfoot>
            <tr>
              {table.total.values.map((v, i) =>
                i === 0 ? (
                  <th scope="row">{displayValue(table.columns[0]!, v, locale)}</th>
                ) : (
                  <td class={num(i) ? 'num' : undefined} data-label={table.columns[i]!.label}>
                    {displayValue(table.columns[i]!, v, locale)}
                  </td>
                ),
              )}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </TableWrap>
  );
}

function ThresholdsForm({ view, th, issues, period }: { view: View; th: Thresholds | Record<string, string>; issues: FieldIssue[]; period: Period }) {
  const { t } = view;
  return (
    <form method="post" action={`/resources/answers/marginal?period=${period.key}`} aria-labelledby="thresholds-title">
      <h2 id="thresholds-title">{t('res.answers.thresholds.title')}</h2>
      <CsrfField token={view.csrfToken} />
      <Field t={t} name="familiesPer1000" label={t('res.answers.thresholds.families')} hint={t('res.answers.thresholds.familiesHint')} issues={issues}>
        {(a) => <input {...a} type="text" inputmode="decimal" value={String(th.familiesPer1000)} />}
      </Field>
      <Field t={t} name="evidenceAtMost" label={t('res.answers.thresholds.evidence')} issues={issues}>
        {(a) => (
          <select {...a}>
            {EVIDENCE_LEVELS.map((e) => (
              <option value={e} selected={th.evidenceAtMost === e}>
                {t(`res.answers.evidence.${e}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p>
        <button type="submit">{t('res.answers.thresholds.save')}</button>
      </p>
    </form>
  );
}

async function answerPage(c: Context<AppEnv>, name: AnswerName, extra: { issues?: FieldIssue[]; form?: Record<string, string>; status?: 200 | 400 } = {}) {
  const view = viewOf(c);
  const { t } = view;
  const { period, issues } = readPeriod(c);
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const table = await loadAnswer(db, tenantId, name, period, { t, locale: view.locale, exact: seesExact(c) });
  const label = periodLabel(t, period);
  const title = t(answerTitle(name));
  const canPlan = allows('resources.plan', c.get('actor')?.roles ?? []);
  c.header('Cache-Control', 'no-store');
  const q = `period=${period.key}`;
  // Long tables (a service a row) are shown in pages; the chart, the total and the downloads cover every row.
  const pages = Math.max(1, Math.ceil(table.rows.length / PAGE_ROWS));
  const pageNo = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
  const shown = pages > 1 ? { ...table, rows: table.rows.slice((pageNo - 1) * PAGE_ROWS, pageNo * PAGE_ROWS) } : table;
  return c.html(
    <Layout view={view} title={title}>
      <p>
        <a href={`/resources/answers?${q}`}>{t('res.answers.back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t(answerLead(name))}</p>
      <ErrorSummary t={t} issues={[...issues, ...(extra.issues ?? [])]} />
      {table.exact ? <p class="notice">{t('res.answers.exact')}</p> : null}
      {table.demo ? <DemoNotice t={t} /> : null}
      <PeriodForm view={view} period={period} now={nowOf(c)} issues={issues} action={`/resources/answers/${name}`} />
      <h2>{label}</h2>
      {table.notes.map((n) => (
        <p class="muted">{n}</p>
      ))}
      <AnswerChart view={view} table={table} id={`chart-${name}`} title={t('res.answers.chart.title', { answer: title, period: label })} />
      <AnswerTableView view={view} table={shown} caption={t('res.answers.caption', { answer: title, period: label })} />
      {pages > 1 ? (
        <nav aria-label={t('res.answers.pages.nav')}>
          <p>{t('res.answers.pages.showing', { from: (pageNo - 1) * PAGE_ROWS + 1, to: Math.min(table.rows.length, pageNo * PAGE_ROWS), of: table.rows.length })}</p>
          <p>
            {pageNo > 1 ? <a href={`/resources/answers/${name}?${q}&page=${pageNo - 1}`}>{t('res.answers.pages.prev')}</a> : null}{' '}
            {pageNo < pages ? <a href={`/resources/answers/${name}?${q}&page=${pageNo + 1}`}>{t('res.answers.pages.next')}</a> : null}
          </p>
        </nav>
      ) : null}
      <h2>{t('res.answers.exports')}</h2>
      <ul>
        <li>
          <a href={`/resources/answers/${name}.csv?${q}`} download>
            {t('res.answers.export.csv')}
          </a>
        </li>
        <li>
          <a href={`/resources/answers/${name}.xlsx?${q}`} download>
            {t('res.answers.export.xlsx')}
          </a>
        </li>
      </ul>
      {name === 'marginal' && canPlan ? <ThresholdsForm view={view} th={extra.form ?? (await thresholdsOf(db, tenantId))} issues={extra.issues ?? []} period={period} /> : null}
    </Layout>,
    extra.status ?? (issues.length ? 400 : 200),
  );
}

async function exportTable(c: Context<AppEnv>, name: AnswerName): Promise<{ table: AnswerTable; period: Period }> {
  const view = viewOf(c);
  const { period, issues } = readPeriod(c);
  if (issues.length) throw new AppError('validation_failed', 'Check the period.', issues, 'res.answers.error.period');
  c.header('Cache-Control', 'no-store');
  return { table: await loadAnswer(c.get('deps').database.db, c.get('tenant').id, name, period, { t: view.t, locale: view.locale, exact: seesExact(c) }), period };
}

export function registerAnswerPages(app: RouteTarget): void {
  route(app, 'GET', '/resources/answers', 'resources.read', (c) => {
    const view = viewOf(c);
    const { t } = view;
    const { period, issues } = readPeriod(c);
    const q = `period=${period.key}`;
    return c.html(
      <Layout view={view} title={t('res.answers.index.title')}>
        <h1>{t('res.answers.index.title')}</h1>
        <p class="lead">{t('res.answers.index.lead')}</p>
        <ErrorSummary t={t} issues={issues} />
        <PeriodForm view={view} period={period} now={nowOf(c)} issues={issues} action="/resources/answers" />
        <h2>{periodLabel(t, period)}</h2>
        <ul>
          {ANSWERS.map((name) => (
            <li>
              <a href={`/resources/answers/${name}?${q}`}>{t(answerTitle(name))}</a>
            </li>
          ))}
          {allows('resources.plan', c.get('actor')?.roles ?? []) ? (
            <li>
              <a href="/resources/scenarios">{t('res.answers.scenarios.title')}</a>
            </li>
          ) : null}
          <li>
            <a href={`/resources/report.pdf?${q}`}>{t('res.answers.report.link')}</a>
          </li>
        </ul>
      </Layout>,
      issues.length ? 400 : 200,
    );
  });

  for (const name of ANSWERS) {
    route(app, 'GET', `/resources/answers/${name}`, 'resources.read', (c) => answerPage(c, name));
    route(app, 'GET', `/resources/answers/${name}.csv`, 'resources.read', async (c) => {
      const { table, period } = await exportTable(c, name);
      c.header('Content-Disposition', `attachment; filename="${name}-${period.key}.csv"`);
      return c.body(answerCsv(table), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    });
    route(app, 'GET', `/resources/answers/${name}.xlsx`, 'resources.read', async (c) => {
      const { table, period } = await exportTable(c, name);
      c.header('Content-Disposition', `attachment; filename="${name}-${period.key}.xlsx"`);
      const body = await answerXlsx(table, viewOf(c).t(answerTitle(name)));
      return c.body(new Uint8Array(body), 200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    });
  }

  route(app, 'POST', '/resources/answers/marginal', 'resources.plan', async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    try {
      await updateThresholds(c.get('deps').database.db, requireActor(c), form);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return answerPage(c, 'marginal', { issues: err.fields, form, status: 400 });
      throw err;
    }
    const { period } = readPeriod(c);
    return c.redirect(`/resources/answers/marginal?period=${period.key}&saved=1`, 303);
  });
}
