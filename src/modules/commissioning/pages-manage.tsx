import type { Context } from 'hono';
import { formatDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import type { Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { auditFindings } from '../resources/findings.ts';
import { serviceCards } from '../resources/views.ts';
import { areaOverview, wardNamesByIds, wardsOf } from '../tenancy/views.ts';
import { turnout } from './ballots.ts';
import { closeAndCount } from './counting.ts';
import { formatPence, poundsValue } from './format.ts';
import { createPot, listPots, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility, INDICATORS, listOf, proposalsFor, proposalsOfRound, visibleProposal } from './proposals.ts';
import { roundRatification, sendToBoard } from './ratify.ts';
import { RatifyPanel, sendInputOf } from './ratify-pages.tsx';
import { advanceRound, assignProposal, createRound, getRound, listRounds, updateRound } from './rounds.ts';
import { BALLOT_TYPES, COMPLETIONS, COUNT_RULES, POT_SOURCES, type RoundRow } from './schema.ts';
import { roundTitle } from './pages-public.tsx';

import { formOf, str, type Form } from '../../server/form-body.ts';

function issuesOf(err: unknown): FieldIssue[] | undefined {
  if (err instanceof AppError && err.code === 'validation_failed') return err.fields;
  if (err instanceof AppError && (err.code === 'conflict' || err.code === 'idempotency_conflict') && err.key) return err.fields.length ? err.fields : [{ field: 'phase', message: err.key }];
  return undefined;
}

async function currentWards(c: Context<AppEnv>) {
  const tenant = c.get('tenant');
  if (!tenant) return [];
  const db = c.get('deps').database.db;
  const set = (await areaOverview(db, tenant)).currentSet;
  return set ? wardsOf(db, tenant, set) : [];
}

// ---------------------------------------------------------------------------------------------
// Proposals

async function proposalsPage(c: Context<AppEnv>, issues: FieldIssue[], form: Form = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const [list, wards, services, findings, rounds] = await Promise.all([proposalsFor(db, actor), currentWards(c), serviceCards(db, actor.tenantId), auditFindings(db, actor.tenantId), listRounds(db, actor.tenantId)]);
  const open = rounds.filter((r) => r.phase === 'proposals');
  const chosen = (k: string) => new Set(listOf(form[k]));
  const done = c.req.query('done') === '1';
  return c.html(
    <Layout view={view} title={t('comm.proposals.title')}>
      <p>
        <a href="/budget">{t('comm.budget.title')}</a>
      </p>
      <h1>{t('comm.proposals.title')}</h1>
      {done ? (
        <p class="notice" role="status">
          {t('comm.proposals.sent')}
        </p>
      ) : null}
      {list.length === 0 ? (
        <p>{t('comm.proposals.none')}</p>
      ) : (
        <ul>
          {list.map((p) => (
            <li>
              <a href={`/budget/proposals/${p.id}`}>{p.title}</a> ({formatPence(locale, p.costPence)}) <span class="tag">{t(`comm.eligibility.${p.eligibility}`)}</span>
              {p.isDemo ? <DemoTag t={t} /> : null}
            </li>
          ))}
        </ul>
      )}
      {allows('commissioning.propose', actor.roles) ? (
        <>
          <h2 id="new">{t('comm.proposals.new')}</h2>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action="/budget/proposals" novalidate aria-labelledby="new">
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="title" label={t('comm.proposal.title')} issues={issues}>
              {(a) => <input type="text" {...a} value={str(form, 'title')} maxlength={120} required />}
            </Field>
            <Field t={t} name="summary" label={t('comm.proposal.summary')} hint={t('comm.proposal.summaryHint')} issues={issues}>
              {(a) => (
                <textarea {...a} rows={4} maxlength={2000} required>
                  {str(form, 'summary')}
                </textarea>
              )}
            </Field>
            <Field t={t} name="cost" label={t('comm.proposal.cost')} hint={t('comm.proposal.costHint')} issues={issues}>
              {(a) => <input type="text" {...a} value={str(form, 'cost')} inputmode="decimal" class="short" required />}
            </Field>
            {open.length ? (
              <Field t={t} name="roundId" label={t('comm.proposal.round')} issues={issues}>
                {(a) => (
                  <select {...a}>
                    <option value="">{t('comm.proposal.noRound')}</option>
                    {open.map((r) => (
                      <option value={r.id} selected={str(form, 'roundId') === r.id}>
                        {roundTitle(view, r)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            <fieldset class="field">
              <legend>{t('comm.proposal.wards')}</legend>
              {wards.map((w) => (
                <div class="choice">
                  <input type="checkbox" id={`w-${w.id}`} name="wardIds" value={w.id} checked={chosen('wardIds').has(w.id)} />
                  <label for={`w-${w.id}`}>{w.name}</label>
                </div>
              ))}
            </fieldset>
            <Field t={t} name="serviceId" label={t('comm.proposal.service')} hint={t('comm.proposal.serviceHint')} issues={issues}>
              {(a) => (
                <select {...a}>
                  <option value="">{t('comm.proposal.noService')}</option>
                  {services.map((s) => (
                    <option value={s.id} selected={str(form, 'serviceId') === s.id}>
                      {`${s.providerName}: ${locale === 'pl' && s.namePl ? s.namePl : s.name}`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field t={t} name="providerText" label={t('comm.proposal.provider')} issues={issues}>
              {(a) => <input type="text" {...a} value={str(form, 'providerText')} maxlength={160} />}
            </Field>
            {findings.length ? (
              <fieldset class="field">
                <legend>{t('comm.proposal.findings')}</legend>
                {findings.map((f, i) => (
                  <div class="choice">
                    <input type="checkbox" id={`fi-${i}`} name="findingIds" value={f.id} checked={chosen('findingIds').has(f.id)} />
                    <label for={`fi-${i}`}>{f.label}</label>
                  </div>
                ))}
              </fieldset>
            ) : null}
            <Field t={t} name="reportIds" label={t('comm.proposal.reports')} hint={t('comm.proposal.reportsHint')} issues={issues}>
              {(a) => <input type="text" {...a} value={listOf(form.reportIds).join(' ')} />}
            </Field>
            <fieldset class="field">
              <legend>{t('comm.proposal.indicators')}</legend>
              {INDICATORS.map((k) => (
                <div class="choice">
                  <input type="checkbox" id={`ind-${k}`} name="indicators" value={k} checked={chosen('indicators').has(k)} />
                  <label for={`ind-${k}`}>{t(`comm.indicator.${k}`)}</label>
                </div>
              ))}
            </fieldset>
            <div class="actions">
              <button class="button" type="submit">
                {t('comm.proposals.submit')}
              </button>
            </div>
          </form>
        </>
      ) : null}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function proposalPage(c: Context<AppEnv>, issues: FieldIssue[]) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const p = await visibleProposal(db, actor, c.req.param('id') ?? '');
  const wards = await wardNamesByIds(db, actor.tenantId, p.wardIds);
  const manager = allows('commissioning.manage', actor.roles);
  return c.html(
    <Layout view={view} title={p.title}>
      <p>
        <a href="/budget/proposals">{t('comm.proposals.title')}</a>
      </p>
      <h1>
        {p.title}
        {p.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <p>{p.summary}</p>
      <Facts
        items={[
          [t('comm.proposal.cost'), formatPence(locale, p.costPence)],
          [t('comm.proposal.wards'), wards.map((w) => w.name).join(', ') || '–'],
          [t('comm.proposal.provider'), p.providerText || (p.serviceId ? t('comm.proposal.fromAudit') : '–')],
          [t('comm.proposal.indicators'), p.indicators.join(', ') || '–'],
          [t('comm.proposal.evidence'), t('comm.proposal.evidenceCount', { reports: p.reportIds.length, findings: p.findingIds.length })],
          [t('comm.proposal.eligibility'), <span class="tag">{t(`comm.eligibility.${p.eligibility}`)}</span>],
          ...(p.eligibilityReason ? ([[t('comm.proposal.reason'), `${p.eligibilityReason}${p.decidedAt ? ` (${formatDate(locale, p.decidedAt)})` : ''}`]] as const) : []),
        ]}
      />
      {manager ? (
        <>
          <h2 id="decide">{t('comm.eligibility.decide')}</h2>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action={`/budget/proposals/${p.id}/eligibility`} novalidate aria-labelledby="decide">
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="decision" label={t('comm.eligibility.decision')} issues={issues}>
              {(a) => (
                <select {...a}>
                  <option value="eligible">{t('comm.eligibility.eligible')}</option>
                  <option value="ineligible">{t('comm.eligibility.ineligible')}</option>
                </select>
              )}
            </Field>
            <Field t={t} name="reason" label={t('comm.eligibility.reason')} hint={t('comm.eligibility.reasonHint')} issues={issues}>
              {(a) => <textarea {...a} rows={3} maxlength={500} required></textarea>}
            </Field>
            <button class="button" type="submit">
              {t('comm.eligibility.save')}
            </button>
          </form>
        </>
      ) : null}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------
// Coordinators: pots, income, rounds

function RoundFields({ t, issues, round, pots, wards }: { t: Translate; issues: FieldIssue[]; round?: RoundRow; pots: Array<{ id: string; name: string; financialYear: string }>; wards: Array<{ id: string; name: string }> }) {
  const disabled = round?.frozen ?? false;
  return (
    <fieldset disabled={disabled}>
      <legend>{t('comm.round.rules')}</legend>
      <Field t={t} name="title" label={t('comm.round.title')} issues={issues}>
        {(a) => <input type="text" {...a} value={round?.title ?? ''} maxlength={120} required />}
      </Field>
      <Field t={t} name="titlePl" label={t('comm.round.titlePl')} issues={issues}>
        {(a) => <input type="text" {...a} value={round?.titlePl ?? ''} maxlength={120} lang="pl" />}
      </Field>
      <Field t={t} name="potId" label={t('comm.round.pot')} issues={issues}>
        {(a) => (
          <select {...a}>
            {pots.map((p) => (
              <option value={p.id} selected={round?.potId === p.id}>{`${p.name} (${p.financialYear})`}</option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="budget" label={t('comm.round.budget')} hint={t('comm.proposal.costHint')} issues={issues}>
        {(a) => <input type="text" {...a} value={round ? poundsValue(round.budgetPence) : ''} inputmode="decimal" class="short" required />}
      </Field>
      <Field t={t} name="wardId" label={t('comm.round.ward')} issues={issues}>
        {(a) => (
          <select {...a}>
            <option value="">{t('comm.round.whoAll')}</option>
            {wards.map((w) => (
              <option value={w.id} selected={round?.wardId === w.id}>
                {w.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="ballotType" label={t('comm.round.ballot')} issues={issues}>
        {(a) => (
          <select {...a}>
            {BALLOT_TYPES.map((b) => (
              <option value={b} selected={round?.ballotType === b}>
                {t(`comm.ballotType.${b}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="maxChoices" label={t('comm.round.maxChoices')} hint={t('comm.round.maxChoicesHint')} issues={issues}>
        {(a) => <input type="number" {...a} value={round?.maxChoices ?? ''} min={1} class="short" />}
      </Field>
      <Field t={t} name="totalPoints" label={t('comm.round.totalPoints')} hint={t('comm.round.totalPointsHint')} issues={issues}>
        {(a) => <input type="number" {...a} value={round?.totalPoints ?? ''} min={1} class="short" />}
      </Field>
      <Field t={t} name="rule" label={t('comm.result.rule')} issues={issues}>
        {(a) => (
          <select {...a}>
            {COUNT_RULES.map((r) => (
              <option value={r} selected={(round?.rule ?? 'mes') === r}>
                {t(`comm.rule.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="completion" label={t('comm.round.completion')} hint={t('comm.round.completionHint')} issues={issues}>
        {(a) => (
          <select {...a}>
            {COMPLETIONS.map((x) => (
              <option value={x} selected={(round?.completion ?? 'add1_utilitarian') === x}>
                {t(`comm.completion.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}

async function coordinatorPage(c: Context<AppEnv>, issues: FieldIssue[], status: 200 | 400 | 409 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const [pots, rounds, wards] = await Promise.all([listPots(db, actor.tenantId), listRounds(db, actor.tenantId), currentWards(c)]);
  return c.html(
    <Layout view={view} title={t('comm.coord.title')}>
      <h1>{t('comm.coord.title')}</h1>
      <ErrorSummary t={t} issues={issues} />
      <p>
        <a href="/coordinator/budget/commissions">{t('comm.commission.coordLink')}</a>
      </p>
      <h2 id="pots">{t('comm.pots.title')}</h2>
      <ul>
        {pots.map((p) => (
          <li>
            <a href={`/coordinator/budget/pots/${p.id}`}>{`${p.name} (${p.financialYear})`}</a>
            {': '}
            {t('comm.pot.line', { funds: formatPence(locale, p.funds), allocated: formatPence(locale, p.allocated), left: formatPence(locale, p.left) })}
            {p.isDemo ? <DemoTag t={t} /> : null}
          </li>
        ))}
      </ul>
      {pots.length ? (
        <form method="post" action="/coordinator/budget/income" novalidate class="card">
          <CsrfField token={view.csrfToken} />
          <h3>{t('comm.income.title')}</h3>
          <input type="hidden" name="idempotencyKey" value={newId()} />
          <Field t={t} name="potId" label={t('comm.round.pot')} issues={issues}>
            {(a) => (
              <select {...a}>
                {pots.map((p) => (
                  <option value={p.id}>{`${p.name} (${p.financialYear})`}</option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="amount" label={t('comm.income.amount')} hint={t('comm.proposal.costHint')} issues={issues}>
            {(a) => <input type="text" {...a} inputmode="decimal" class="short" required />}
          </Field>
          <Field t={t} name="note" label={t('comm.income.note')} issues={issues}>
            {(a) => <input type="text" {...a} maxlength={200} />}
          </Field>
          <button class="button button-secondary" type="submit">
            {t('comm.income.add')}
          </button>
        </form>
      ) : null}
      <form method="post" action="/coordinator/budget/pots" novalidate class="card">
        <CsrfField token={view.csrfToken} />
        <h3>{t('comm.pot.new')}</h3>
        <Field t={t} name="name" label={t('comm.pot.name')} issues={issues}>
          {(a) => <input type="text" {...a} maxlength={120} required />}
        </Field>
        <Field t={t} name="namePl" label={t('comm.pot.namePl')} issues={issues}>
          {(a) => <input type="text" {...a} maxlength={120} lang="pl" />}
        </Field>
        <Field t={t} name="financialYear" label={t('comm.pot.year')} hint={t('comm.pot.yearHint')} issues={issues}>
          {(a) => <input type="text" {...a} class="short" required />}
        </Field>
        <Field t={t} name="source" label={t('comm.pot.source')} issues={issues}>
          {(a) => (
            <select {...a}>
              {POT_SOURCES.map((s) => (
                <option value={s}>{t(`comm.source.${s}`)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="funder" label={t('comm.pot.funder')} issues={issues}>
          {(a) => <input type="text" {...a} maxlength={160} />}
        </Field>
        <button class="button button-secondary" type="submit">
          {t('comm.pot.add')}
        </button>
      </form>
      <h2 id="rounds">{t('comm.rounds.title')}</h2>
      <ul>
        {rounds.map((r) => (
          <li>
            <a href={`/coordinator/budget/rounds/${r.id}`}>{roundTitle(view, r)}</a> <span class="tag">{t(`comm.phase.${r.phase}`)}</span>
            {r.isDemo ? <DemoTag t={t} /> : null}
          </li>
        ))}
      </ul>
      {pots.length ? (
        <form method="post" action="/coordinator/budget/rounds" novalidate class="card">
          <CsrfField token={view.csrfToken} />
          <h3>{t('comm.round.new')}</h3>
          <RoundFields t={t} issues={issues} pots={pots} wards={wards} />
          <button class="button" type="submit">
            {t('comm.round.create')}
          </button>
        </form>
      ) : null}
    </Layout>,
    status === 200 && issues.length ? 400 : status,
  );
}

async function roundAdminPage(c: Context<AppEnv>, issues: FieldIssue[], status: 200 | 400 | 409 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const round = await getRound(db, actor.tenantId, c.req.param('id') ?? '');
  const [pots, wards, inRound, all, votes] = await Promise.all([listPots(db, actor.tenantId), currentWards(c), proposalsOfRound(db, actor.tenantId, round.id), proposalsFor(db, actor), turnout(db, actor.tenantId, round.id)]);
  const ratification = await roundRatification(db, actor.tenantId, round, { meetings: true, now: new Date(c.get('deps').clock?.() ?? Date.now()) });
  const free = all.filter((p) => !p.roundId);
  const next = round.phase === 'proposals' ? 'review' : round.phase === 'review' ? 'voting' : null;
  return c.html(
    <Layout view={view} title={roundTitle(view, round)}>
      <p>
        <a href="/coordinator/budget">{t('comm.coord.title')}</a> · <a href={`/budget/rounds/${round.id}`}>{t('comm.round.public')}</a>
      </p>
      <h1>
        {roundTitle(view, round)}
        {round.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <ErrorSummary t={t} issues={issues} />
      <Facts
        items={[
          [t('comm.round.phase'), <span class="tag">{t(`comm.phase.${round.phase}`)}</span>],
          [t('comm.round.turnout'), t('comm.round.turnoutLine', { voters: votes.voters, ballots: votes.ballots })],
          [t('comm.round.frozen'), round.frozen ? t('comm.round.frozenYes') : t('comm.round.frozenNo')],
        ]}
      />
      <div class="actions">
        {next ? (
          <form method="post" action={`/coordinator/budget/rounds/${round.id}/phase`}>
            <CsrfField token={view.csrfToken} />
            <input type="hidden" name="to" value={next} />
            <button class="button" type="submit">
              {t(`comm.round.to.${next}`)}
            </button>
          </form>
        ) : null}
        {round.phase === 'voting' ? (
          <form method="post" action={`/coordinator/budget/rounds/${round.id}/count`}>
            <CsrfField token={view.csrfToken} />
            <button class="button" type="submit">
              {t('comm.round.closeCount')}
            </button>
          </form>
        ) : null}
      </div>
      {round.phase === 'published' ? (
        <p>
          <a class="button button-secondary" href={`/coordinator/budget/contracts#round-${round.id}`}>{t('comm.contract.round.link')}</a>
        </p>
      ) : null}
      <RatifyPanel view={view} round={round} state={ratification} issues={issues} />
      <h2 id="in-round">{t('comm.round.proposals')}</h2>
      <ul>
        {inRound.map((p) => (
          <li>
            <a href={`/budget/proposals/${p.id}`}>{p.title}</a> ({formatPence(locale, p.costPence)}) <span class="tag">{t(`comm.eligibility.${p.eligibility}`)}</span>
          </li>
        ))}
      </ul>
      {!round.frozen && free.length ? (
        <form method="post" action={`/coordinator/budget/rounds/${round.id}/assign`} novalidate class="card">
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="proposalId" label={t('comm.round.assign')} issues={issues}>
            {(a) => (
              <select {...a}>
                {free.map((p) => (
                  <option value={p.id}>{p.title}</option>
                ))}
              </select>
            )}
          </Field>
          <button class="button button-secondary" type="submit">
            {t('comm.round.assignAdd')}
          </button>
        </form>
      ) : null}
      <h2 id="rules">{t('comm.round.rules')}</h2>
      {round.frozen ? <p class="notice">{t('comm.error.frozen')}</p> : null}
      <form method="post" action={`/coordinator/budget/rounds/${round.id}`} novalidate>
        <CsrfField token={view.csrfToken} />
        <RoundFields t={t} issues={issues} round={round} pots={pots} wards={wards} />
        {round.frozen ? null : (
          <button class="button" type="submit">
            {t('comm.round.save')}
          </button>
        )}
      </form>
    </Layout>,
    status === 200 && issues.length ? 400 : status,
  );
}

export function registerManagePages(app: RouteTarget): void {
  route(app, 'GET', '/budget/proposals', 'signed-in', (c) => proposalsPage(c, []));
  // Every signed-in member holds 'member', so the route admits all of them; the service checks commissioning.propose.
  route(app, 'POST', '/budget/proposals', 'signed-in', async (c) => {
    const form = await formOf(c);
    if (typeof form.reportIds === 'string') form.reportIds = form.reportIds.split(/[\s,]+/).filter(Boolean);
    try {
      await createProposal(c.get('deps').database.db, requireActor(c), form);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return proposalsPage(c, issues, form);
      throw err;
    }
    return c.redirect('/budget/proposals?done=1', 303);
  });
  route(app, 'GET', '/budget/proposals/:id', 'signed-in', (c) => proposalPage(c, []));
  route(app, 'POST', '/budget/proposals/:id/eligibility', 'commissioning.manage', async (c) => {
    const id = c.req.param('id') ?? '';
    try {
      await decideEligibility(c.get('deps').database.db, requireActor(c), id, await formOf(c));
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return proposalPage(c, issues);
      throw err;
    }
    return c.redirect(`/budget/proposals/${id}`, 303);
  });
  route(app, 'GET', '/coordinator/budget', 'commissioning.manage', (c) => coordinatorPage(c, []));
  const coordPost = (path: string, run: (c: Context<AppEnv>, form: Form) => Promise<unknown>) =>
    route(app, 'POST', path, 'commissioning.manage', async (c) => {
      try {
        await run(c, await formOf(c));
      } catch (err) {
        const issues = issuesOf(err);
        if (issues) return coordinatorPage(c, issues);
        throw err;
      }
      return c.redirect('/coordinator/budget', 303);
    });
  coordPost('/coordinator/budget/pots', (c, f) => createPot(c.get('deps').database.db, requireActor(c), f));
  coordPost('/coordinator/budget/income', (c, f) => recordIncome(c.get('deps').database.db, requireActor(c), f));
  coordPost('/coordinator/budget/rounds', (c, f) => createRound(c.get('deps').database.db, requireActor(c), f));
  route(app, 'GET', '/coordinator/budget/rounds/:id', 'commissioning.manage', (c) => roundAdminPage(c, []));
  const roundPost = (path: string, run: (c: Context<AppEnv>, id: string, form: Form) => Promise<unknown>) =>
    route(app, 'POST', path, 'commissioning.manage', async (c) => {
      const id = c.req.param('id') ?? '';
      try {
        await run(c, id, await formOf(c));
      } catch (err) {
        const issues = issuesOf(err);
        if (issues) return roundAdminPage(c, issues, err instanceof AppError && err.status === 409 ? 409 : 400);
        throw err;
      }
      return c.redirect(`/coordinator/budget/rounds/${id}`, 303);
    });
  roundPost('/coordinator/budget/rounds/:id', (c, id, f) => updateRound(c.get('deps').database.db, requireActor(c), id, f));
  roundPost('/coordinator/budget/rounds/:id/phase', (c, id, f) => advanceRound(c.get('deps').database.db, requireActor(c), id, str(f, 'to')));
  roundPost('/coordinator/budget/rounds/:id/assign', (c, id, f) => assignProposal(c.get('deps').database.db, requireActor(c), str(f, 'proposalId'), id));
  roundPost('/coordinator/budget/rounds/:id/count', async (c, id) => {
    const db = c.get('deps').database.db;
    const actor = requireActor(c);
    await closeAndCount(db, actor, id, c.get('tenant')?.name ?? '');
  });
  // The counted round goes to a board meeting the coordinator chooses (ratify.ts).
  roundPost('/coordinator/budget/rounds/:id/board', (c, id, f) => sendToBoard(c.get('deps').database.db, requireActor(c), id, sendInputOf(f), { now: new Date(c.get('deps').clock?.() ?? Date.now()) }));
}
