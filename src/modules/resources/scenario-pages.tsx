import type { Context } from 'hono';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { AnswerChart, AnswerTableView, nowOf, PeriodSelect, readPeriod } from './answers-pages.tsx';
import { periodLabel, type Period } from './answers-period.ts';
import { answerServices, type AnswerService } from './answers-queries.ts';
import { serviceName } from './answers.ts';
import { changesOf, compareScenarios, deleteScenario, listScenarios, saveScenario, scenarioOf, scenarioPeriod, type ScenarioChange } from './scenario.ts';
import { comparisonTable } from './scenario-table.ts';

/** Scenario pages (resources.plan): the list with a new-scenario form, one scenario (edit), compare two or three. */

const BLANK_ROWS = 3;

interface FormState {
  name: string;
  description: string;
  period: string;
  rows: Array<{ service: string; percent: string; add: string; rate: string; note: string }>;
}

function stateOf(name: string, description: string, period: string, changes: ScenarioChange[]): FormState {
  return {
    name,
    description,
    period,
    rows: [
      ...changes.map((c) => ({ service: c.serviceId, percent: c.changePercent ? String(c.changePercent) : '', add: c.addPence ? (c.addPence / 100).toFixed(2) : '', rate: c.familiesPer1000 === null ? '' : String(c.familiesPer1000), note: c.note })),
      ...Array.from({ length: BLANK_ROWS }, () => ({ service: '', percent: '', add: '', rate: '', note: '' })),
    ],
  };
}

function stateFromForm(form: Record<string, string>): FormState {
  const idx = new Set<number>();
  for (const k of Object.keys(form)) {
    const m = /^(?:service|percent|add|rate|note)\.(\d{1,3})$/.exec(k);
    if (m) idx.add(Number(m[1]));
  }
  const n = Math.max(BLANK_ROWS, ...[...idx].map((i) => i + 1));
  return {
    name: form.name ?? '',
    description: form.description ?? '',
    period: form.period ?? '',
    rows: Array.from({ length: n }, (_, i) => ({ service: form[`service.${i}`] ?? '', percent: form[`percent.${i}`] ?? '', add: form[`add.${i}`] ?? '', rate: form[`rate.${i}`] ?? '', note: form[`note.${i}`] ?? '' })),
  };
}

function ScenarioForm({ view, state, services, issues, action, now, period, submit }: { view: View; state: FormState; services: AnswerService[]; issues: FieldIssue[]; action: string; now: Date; period: Period; submit: string }) {
  const { t, locale } = view;
  return (
    <form method="post" action={action} aria-labelledby="scenario-form-title" class="scenario-form">
      <h2 id="scenario-form-title">{submit}</h2>
      <CsrfField token={view.csrfToken} />
      <Field t={t} name="name" label={t('res.answers.scenario.field.name')} hint={t('res.answers.scenario.field.nameHint')} issues={issues}>
        {(a) => <input {...a} type="text" value={state.name} maxlength={120} required />}
      </Field>
      <Field t={t} name="description" label={t('res.answers.scenario.field.description')} issues={issues}>
        {(a) => <textarea {...a} rows={2} maxlength={2000}>{state.description}</textarea>}
      </Field>
      <PeriodSelect view={view} period={period} now={now} issues={issues} />
      <p class="hint">{t('res.answers.scenario.changes.hint')}</p>
      {state.rows.map((r, i) => (
        <fieldset>
          <legend>{t('res.answers.scenario.change.legend', { n: i + 1 })}</legend>
          <Field t={t} name={`service.${i}`} label={t('res.answers.scenario.field.service')} issues={issues}>
            {(a) => (
              <select {...a}>
                <option value="">{t('res.answers.scenario.field.noService')}</option>
                {services.map((s) => (
                  <option value={s.id} selected={s.id === r.service}>
                    {`${serviceName(s, locale)} (${s.providerName})${s.status === 'planned' ? ` – ${t('res.answers.scenario.planned')}` : ''}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name={`percent.${i}`} label={t('res.answers.scenario.field.percent')} hint={t('res.answers.scenario.field.percentHint')} issues={issues}>
            {(a) => <input {...a} type="text" inputmode="numeric" value={r.percent} />}
          </Field>
          <Field t={t} name={`add.${i}`} label={t('res.answers.scenario.field.add')} hint={t('res.answers.scenario.field.addHint')} issues={issues}>
            {(a) => <input {...a} type="text" inputmode="decimal" value={r.add} />}
          </Field>
          <Field t={t} name={`rate.${i}`} label={t('res.answers.scenario.field.rate')} hint={t('res.answers.scenario.field.rateHint')} issues={issues}>
            {(a) => <input {...a} type="text" inputmode="decimal" value={r.rate} />}
          </Field>
          <Field t={t} name={`note.${i}`} label={t('res.answers.scenario.field.note')} issues={issues}>
            {(a) => <input {...a} type="text" value={r.note} maxlength={500} />}
          </Field>
        </fieldset>
      ))}
      <p>
        <button type="submit">{submit}</button>
      </p>
    </form>
  );
}

async function listPage(c: Context<AppEnv>, issues: FieldIssue[] = [], form?: Record<string, string>, status: 200 | 400 = 200) {
  const view = viewOf(c);
  const { t } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const [scenarios, services] = await Promise.all([listScenarios(db, tenantId), answerServices(db, tenantId)]);
  const { period } = readPeriod(c);
  const state = form ? stateFromForm(form) : stateOf('', '', period.key, []);
  const chosen = form?.period ? ({ key: form.period, start: '', end: '' } as Period) : period;
  return c.html(
    <Layout view={view} title={t('res.answers.scenario.title')}>
      <p>
        <a href="/resources/answers">{t('res.answers.back')}</a>
      </p>
      <h1>{t('res.answers.scenario.title')}</h1>
      <p class="lead">{t('res.answers.scenario.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      <h2>{t('res.answers.scenario.saved')}</h2>
      {scenarios.length ? (
        <form method="get" action="/resources/scenarios/compare" aria-labelledby="compare-title">
          <h3 id="compare-title">{t('res.answers.scenario.compare.title')}</h3>
          <fieldset>
            <legend>{t('res.answers.scenario.compare.pick')}</legend>
            {scenarios.map((s) => (
              <div class="field">
                <input type="checkbox" name="s" value={s.id} id={`cmp-${s.id}`} />
                <label for={`cmp-${s.id}`}>
                  {s.name}
                  {s.isDemo ? <DemoTag t={t} /> : null}
                </label>{' '}
                <a href={`/resources/scenarios/${s.id}`} aria-label={t('res.answers.scenario.open', { name: s.name })}>
                  {t('res.answers.scenario.openShort')}
                </a>
              </div>
            ))}
          </fieldset>
          <p>
            <button type="submit">{t('res.answers.scenario.compare.submit')}</button>
          </p>
        </form>
      ) : (
        <p>{t('res.answers.scenario.none')}</p>
      )}
      <ScenarioForm view={view} state={state} services={services} issues={issues} action="/resources/scenarios" now={nowOf(c)} period={chosen} submit={t('res.answers.scenario.create')} />
    </Layout>,
    status,
  );
}

async function scenarioPage(c: Context<AppEnv>, id: string, issues: FieldIssue[] = [], form?: Record<string, string>, status: 200 | 400 = 200) {
  const view = viewOf(c);
  const { t } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const s = await scenarioOf(db, tenantId, id);
  const [services, changes, compared] = await Promise.all([answerServices(db, tenantId), changesOf(db, tenantId, id), compareScenarios(db, tenantId, [id], (p) => t('res.answers.scenario.baseline', { period: periodLabel(t, p) }))]);
  const period = scenarioPeriod(s);
  const state = form ? stateFromForm(form) : stateOf(s.name, s.description, period.key, changes);
  const table = comparisonTable(t, compared, (x) => periodLabel(t, x.period));
  return c.html(
    <Layout view={view} title={t('res.answers.scenario.one.title', { name: s.name })}>
      <p>
        <a href="/resources/scenarios">{t('res.answers.scenario.back')}</a>
      </p>
      <h1>
        {t('res.answers.scenario.one.title', { name: s.name })}
        {s.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <ErrorSummary t={t} issues={issues} />
      {s.description ? <p>{s.description}</p> : null}
      <AnswerChart view={view} table={table} id="scenario-spend" title={t('res.answers.scenario.chart.spend', { name: s.name })} />
      <AnswerTableView view={view} table={table} caption={t('res.answers.scenario.one.caption', { name: s.name, period: periodLabel(t, period) })} />
      <p class="muted">{t('res.answers.scenario.how')}</p>
      <ScenarioForm view={view} state={state} services={services} issues={issues} action={`/resources/scenarios/${id}`} now={nowOf(c)} period={form?.period ? ({ key: form.period, start: '', end: '' } as Period) : period} submit={t('res.answers.scenario.save')} />
      <form method="post" action={`/resources/scenarios/${id}/delete`} aria-labelledby="delete-title">
        <h2 id="delete-title">{t('res.answers.scenario.delete')}</h2>
        <CsrfField token={view.csrfToken} />
        <div class="field">
          <input type="checkbox" name="confirm" value="yes" id="f-confirm" />
          <label for="f-confirm">{t('res.answers.scenario.deleteConfirm')}</label>
        </div>
        <p>
          <button type="submit" class="secondary">
            {t('res.answers.scenario.delete')}
          </button>
        </p>
      </form>
    </Layout>,
    status,
  );
}

export function registerScenarioPages(app: RouteTarget): void {
  route(app, 'GET', '/resources/scenarios', 'resources.plan', (c) => listPage(c));

  route(app, 'POST', '/resources/scenarios', 'resources.plan', async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    try {
      const id = await saveScenario(c.get('deps').database.db, requireActor(c), form);
      return c.redirect(`/resources/scenarios/${id}?saved=1`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return listPage(c, err.fields, form, 400);
      throw err;
    }
  });

  route(app, 'GET', '/resources/scenarios/compare', 'resources.plan', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    const ids = [...new Set(c.req.queries('s') ?? [])];
    if (ids.length < 2 || ids.length > 3) return listPage(c, [{ field: 'compare', message: 'res.answers.scenario.error.compare' }], undefined, 400);
    const compared = await compareScenarios(c.get('deps').database.db, c.get('tenant').id, ids, (p) => t('res.answers.scenario.baseline', { period: periodLabel(t, p) }));
    const table = comparisonTable(t, compared, (x) => periodLabel(t, x.period));
    const families = { ...table, chart: { label: 0, value: 4 } };
    return c.html(
      <Layout view={view} title={t('res.answers.scenario.compare.title')}>
        <p>
          <a href="/resources/scenarios">{t('res.answers.scenario.back')}</a>
        </p>
        <h1>{t('res.answers.scenario.compare.title')}</h1>
        <p class="lead">{t('res.answers.scenario.compare.lead')}</p>
        <AnswerChart view={view} table={table} id="compare-spend" title={t('res.answers.scenario.compare.chartSpend')} />
        <AnswerChart view={view} table={families} id="compare-families" title={t('res.answers.scenario.compare.chartFamilies')} />
        <AnswerTableView view={view} table={table} caption={t('res.answers.scenario.compare.caption')} />
        <p class="muted">{t('res.answers.scenario.how')}</p>
      </Layout>,
    );
  });

  route(app, 'GET', '/resources/scenarios/:id', 'resources.plan', (c) => scenarioPage(c, (c.req.param('id') ?? '')));

  route(app, 'POST', '/resources/scenarios/:id', 'resources.plan', async (c) => {
    const id = (c.req.param('id') ?? '');
    const form = (await c.req.parseBody()) as Record<string, string>;
    try {
      await saveScenario(c.get('deps').database.db, requireActor(c), form, id);
      return c.redirect(`/resources/scenarios/${id}?saved=1`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return scenarioPage(c, id, err.fields, form, 400);
      throw err;
    }
  });

  route(app, 'POST', '/resources/scenarios/:id/delete', 'resources.plan', async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    const id = c.req.param('id') ?? '';
    if (form.confirm !== 'yes') return scenarioPage(c, id, [{ field: 'confirm', message: 'res.answers.scenario.error.confirm' }], undefined, 400);
    await deleteScenario(c.get('deps').database.db, requireActor(c), id);
    return c.redirect('/resources/scenarios?deleted=1', 303);
  });
}

