import type { Context } from 'hono';
import { isoDate } from '../../lib/dates.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, TableWrap } from '../../ui/forms.tsx';
import type { Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { tenantBaseUrl, wardNamesByIds } from '../tenancy/views.ts';
import { ballotProposals, castBallot, checkChoices, hasVoted, votingRefusal } from './ballots.ts';
import { explainReceipt, explainRound, type RoundResult } from './counting.ts';
import { formatPence } from './format.ts';
import { awards360, awards360Csv } from './giving360.ts';
import { listPots } from './ledger.ts';
import { proposalsOfRound } from './proposals.ts';
import { getRound, listRounds, roundForBallot } from './rounds.ts';
import { roundRatification } from './ratify.ts';
import { PublicDecision } from './ratify-pages.tsx';
import type { ProposalRow, RoundRow } from './schema.ts';
import { formOf, type Form } from '../../server/form-body.ts';
import type { ProjectExplanation, VoterExplanation } from '../voting/explain.ts';

function tenantOf(c: Context<AppEnv>) {
  const tenant = c.get('tenant');
  if (!tenant) throw new AppError('not_found', 'Not found.');
  return tenant;
}

export function roundTitle(view: View, r: Pick<RoundRow, 'title' | 'titlePl'>): string {
  return view.locale === 'pl' && r.titlePl ? r.titlePl : r.title;
}

function PhaseTag({ t, phase }: { t: Translate; phase: RoundRow['phase'] }) {
  return <span class="tag">{t(`comm.phase.${phase}`)}</span>;
}

async function budgetPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const tenant = tenantOf(c);
  const db = c.get('deps').database.db;
  const [pots, rounds] = await Promise.all([listPots(db, tenant.id), listRounds(db, tenant.id)]);
  const demo = pots.some((p) => p.isDemo) || rounds.some((r) => r.isDemo);
  return c.html(
    <Layout view={view} title={t('comm.budget.title')}>
      <h1>{t('comm.budget.title')}</h1>
      <p>{t('comm.budget.intro')}</p>
      {demo ? <DemoNotice t={t} /> : null}
      <h2 id="pots">{t('comm.pots.title')}</h2>
      {pots.length === 0 ? (
        <p>{t('comm.pots.none')}</p>
      ) : (
        <TableWrap label={t('comm.pots.title')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('comm.pot.name')}</th>
                <th scope="col">{t('comm.pot.year')}</th>
                <th scope="col">{t('comm.pot.funds')}</th>
                <th scope="col">{t('comm.pot.allocated')}</th>
                <th scope="col">{t('comm.pot.committed')}</th>
                <th scope="col">{t('comm.pot.spent')}</th>
                <th scope="col">{t('comm.pot.left')}</th>
              </tr>
            </thead>
            <tbody>
              {pots.map((p) => (
                <tr>
                  <th scope="row" data-label={t('comm.pot.name')}>
                    {locale === 'pl' && p.namePl ? p.namePl : p.name} <span class="hint">({t(`comm.source.${p.source}`)})</span>
                    {p.isDemo ? <DemoTag t={t} /> : null}
                  </th>
                  <td data-label={t('comm.pot.year')}>{p.financialYear}</td>
                  <td class="num" data-label={t('comm.pot.funds')}>{formatPence(locale, p.funds)}</td>
                  <td class="num" data-label={t('comm.pot.allocated')}>{formatPence(locale, p.allocated)}</td>
                  <td class="num" data-label={t('comm.pot.committed')}>{formatPence(locale, p.committed)}</td>
                  <td class="num" data-label={t('comm.pot.spent')}>{formatPence(locale, p.spent)}</td>
                  <td class="num" data-label={t('comm.pot.left')}>{formatPence(locale, p.left)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2 id="rounds">{t('comm.rounds.title')}</h2>
      {rounds.length === 0 ? (
        <p>{t('comm.rounds.none')}</p>
      ) : (
        <ul class="card-grid">
          {rounds.map((r) => (
            <li class="card">
              <h3>
                <a href={`/budget/rounds/${r.id}`}>{roundTitle(view, r)}</a>
                {r.isDemo ? <DemoTag t={t} /> : null}
              </h3>
              <p>
                <PhaseTag t={t} phase={r.phase} /> {t('comm.round.budgetOf', { amount: formatPence(locale, r.budgetPence) })}
              </p>
            </li>
          ))}
        </ul>
      )}
      <ul>
        <li>
          <a href="/budget/contracts">{t('comm.contract.public.link')}</a>
        </li>
        <li>
          <a href="/budget/commissions">{t('comm.commission.public.link')}</a>
        </li>
      </ul>
      <h2 id="open-data">{t('comm.open.title')}</h2>
      <p>{t('comm.open.intro')}</p>
      <ul>
        <li>
          <a href="/budget/awards.json">{t('comm.open.json')}</a>
        </li>
        <li>
          <a href="/budget/awards.csv">{t('comm.open.csv')}</a>
        </li>
      </ul>
      <p class="hint">{t('comm.open.credit')}</p>
      {c.get('actor') ? (
        <p>
          <a href="/budget/proposals">{t('comm.proposals.title')}</a>
        </p>
      ) : null}
    </Layout>,
  );
}

function reasonText(t: Translate, locale: string, e: ProjectExplanation): string {
  const money = (r: { toNumber(): number } | undefined) => formatPence(locale, Math.round(r?.toNumber() ?? 0));
  return t(`comm.reason.${e.reason}`, { supporters: e.supporters, left: money(e.leftWhenConsidered), had: money(e.supportersMoney), short: money(e.shortfall) });
}

function ResultSection({ view, round, proposals, result, explained, voter }: { view: View; round: RoundRow; proposals: ProposalRow[]; result: RoundResult; explained: ProjectExplanation[]; voter?: VoterExplanation | null }) {
  const { t, locale } = view;
  const name = new Map(proposals.map((p) => [p.id, p.title]));
  const cost = new Map(proposals.map((p) => [p.id, p.costPence]));
  const funded = explained.filter((e) => e.funded).sort((a, b) => (a.fundedAs ?? 0) - (b.fundedAs ?? 0));
  const unfunded = explained.filter((e) => !e.funded);
  const mine = result.summary.find((s) => s.label === round.rule);
  const greedy = result.summary.find((s) => s.label === 'greedy' && round.rule !== 'greedy');
  return (
    <section aria-labelledby="result">
      <h2 id="result">{round.phase === 'published' ? t('comm.result.title') : t('comm.result.awaiting')}</h2>
      <Facts
        items={[
          [t('comm.result.ballots'), String(result.ballots)],
          [t('comm.result.funded'), t('comm.result.fundedOf', { n: funded.length, cost: formatPence(locale, result.totalCostPence), budget: formatPence(locale, round.budgetPence) })],
          [t('comm.result.rule'), t(`comm.rule.${round.rule}`)],
        ]}
      />
      <p>
        <a href={`/budget/rounds/${round.id}/ballots.pb`}>{t('comm.result.pb')}</a> · <a href={`/budget/rounds/${round.id}/result.json`}>{t('comm.result.json')}</a>
      </p>
      <p class="hint">
        {t('comm.result.recount')} <code>{`parent-mutual pb count ballots.pb ${result.params.join(' ')}`}</code>
      </p>
      <h3>{t('comm.result.fundedList')}</h3>
      <ol>
        {funded.map((e) => (
          <li>
            <strong>{name.get(e.project) ?? e.project}</strong> ({formatPence(locale, cost.get(e.project) ?? 0)}): {reasonText(t, locale, e)}
          </li>
        ))}
      </ol>
      <h3>{t('comm.result.unfundedList')}</h3>
      {unfunded.length === 0 ? (
        <p>{t('comm.result.allFunded')}</p>
      ) : (
        <ul>
          {unfunded.map((e) => (
            <li>
              <strong>{name.get(e.project) ?? e.project}</strong> ({formatPence(locale, cost.get(e.project) ?? 0)}): {reasonText(t, locale, e)}
            </li>
          ))}
        </ul>
      )}
      {greedy && mine ? (
        <>
          <h3>{t('comm.result.compare')}</h3>
          <p>{t('comm.result.compareIntro')}</p>
          <TableWrap label={t('comm.result.compare')}>
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('comm.result.col.rule')}</th>
                  <th scope="col">{t('comm.result.col.funded')}</th>
                  <th scope="col">{t('comm.result.col.none')}</th>
                  <th scope="col">{t('comm.result.col.average')}</th>
                </tr>
              </thead>
              <tbody>
                {[mine, greedy].map((s) => (
                  <tr>
                    <th scope="row" data-label={t('comm.result.col.rule')}>
                      {t(`comm.rule.${s.label === 'greedy' ? 'greedy' : 'mes'}`)}
                    </th>
                    <td class="num" data-label={t('comm.result.col.funded')}>{s.winners.length}</td>
                    <td class="num" data-label={t('comm.result.col.none')}>{s.votersWithNone}</td>
                    <td class="num" data-label={t('comm.result.col.average')}>{s.averageFundedChoices}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
      <h3 id="receipt">{t('comm.receipt.title')}</h3>
      <p>{t('comm.receipt.intro')}</p>
      {voter === null ? (
        <p class="error" role="alert">
          {t('comm.receipt.notFound')}
        </p>
      ) : voter ? (
        <div class="card" role="status">
          <p>{t('comm.receipt.found', { n: voter.choices.length, funded: voter.fundedChoices.length })}</p>
          {voter.share ? (
            <>
              <p>{t('comm.receipt.share', { share: formatPence(locale, Math.round(voter.share.toNumber())) })}</p>
              <ul>
                {(voter.payments ?? []).map((p) => (
                  <li>{t('comm.receipt.paid', { amount: formatPence(locale, Math.round(p.amount.toNumber() * 100) / 100), project: name.get(p.project) ?? p.project })}</li>
                ))}
                <li>{t('comm.receipt.unspent', { amount: formatPence(locale, Math.round(voter.unspent?.toNumber() ?? 0)) })}</li>
              </ul>
            </>
          ) : (
            <ul>
              {voter.choices.map((p) => (
                <li>
                  {name.get(p) ?? p}: {voter.fundedChoices.includes(p) ? t('comm.receipt.isFunded') : t('comm.receipt.notFunded')}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      <form method="post" action={`/budget/rounds/${round.id}/receipt#receipt`} novalidate>
        <CsrfField token={view.csrfToken} />
        <div class="field">
          <label for="f-code">{t('comm.receipt.code')}</label>
          <input type="text" id="f-code" name="code" autocomplete="off" spellcheck={false} maxlength={40} required />
        </div>
        <button class="button button-secondary" type="submit">
          {t('comm.receipt.check')}
        </button>
      </form>
    </section>
  );
}

async function roundPage(c: Context<AppEnv>, voter?: VoterExplanation | null) {
  const view = viewOf(c);
  const { t, locale } = view;
  const tenant = tenantOf(c);
  const db = c.get('deps').database.db;
  const round = await getRound(db, tenant.id, c.req.param('id') ?? '');
  const proposals = await proposalsOfRound(db, tenant.id, round.id, { eligibleOnly: true });
  const ward = round.wardId ? (await wardNamesByIds(db, tenant.id, [round.wardId]))[0] : undefined;
  const counted = round.result && round.ballotsPb && (round.phase === 'ratification' || round.phase === 'published' || round.phase === 'review');
  const ex = counted ? explainRound(round) : undefined;
  const actor = c.get('actor');
  const voted = actor && round.phase === 'voting' ? await hasVoted(db, tenant.id, round.id, actor.memberId) : false;
  const ratification = round.phase === 'published' || round.phase === 'review' ? await roundRatification(db, tenant.id, round) : undefined;
  return c.html(
    <Layout view={view} title={roundTitle(view, round)}>
      <p>
        <a href="/budget">{t('comm.budget.title')}</a>
      </p>
      <h1>
        {roundTitle(view, round)}
        {round.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <Facts
        items={[
          [t('comm.round.phase'), <PhaseTag t={t} phase={round.phase} />],
          [t('comm.round.budget'), formatPence(locale, round.budgetPence)],
          [t('comm.round.who'), ward ? t('comm.round.whoWard', { ward: ward.name }) : t('comm.round.whoAll')],
          [t('comm.round.ballot'), round.ballotType === 'approval' ? (round.maxChoices ? t('comm.ballot.approvalMax', { n: round.maxChoices }) : t('comm.ballot.approval')) : t('comm.ballot.points', { n: round.totalPoints ?? 0 })],
          [t('comm.result.rule'), t(`comm.rule.${round.rule}`)],
        ]}
      />
      {round.phase === 'voting' ? (
        <p>{voted ? t('comm.vote.already') : <a class="button" href={`/budget/rounds/${round.id}/vote`}>{t('comm.vote.go')}</a>}</p>
      ) : null}
      {round.phase === 'published' ? (
        <p>
          <a href={`/budget/contracts#round-${round.id}`}>{t('comm.contract.round.link')}</a>
        </p>
      ) : null}
      {ratification ? <PublicDecision view={view} state={ratification} isDemo={round.isDemo} /> : null}
      {ex && round.result ? <ResultSection view={view} round={round} proposals={proposals} result={round.result as unknown as RoundResult} explained={ex.projects} voter={voter} /> : null}
      {!ex ? (
        <>
          <h2 id="proposals">{t('comm.round.proposals')}</h2>
          {proposals.length === 0 ? (
            <p>{t('comm.round.noProposals')}</p>
          ) : (
            <ul>
              {proposals.map((p) => (
                <li>
                  <strong>{p.title}</strong> ({formatPence(locale, p.costPence)}): {p.summary}
                  {p.isDemo ? <DemoTag t={t} /> : null}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </Layout>,
  );
}

type BallotForm = Form;

async function votePage(c: Context<AppEnv>, issues: FieldIssue[], form: BallotForm = {}, status: 200 | 400 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  // The ballot page is what every voter loads: the round and its proposals come from the
  // ballot's caches (frozen while voting), so a load is the session and the has-voted check.
  const round = await roundForBallot(db, actor.tenantId, c.req.param('id') ?? '');
  const refusal = await votingRefusal(db, actor, round);
  if (refusal) throw refusal;
  if (await hasVoted(db, actor.tenantId, round.id, actor.memberId)) throw new AppError('conflict', 'You have already voted in this round.', [], 'comm.error.alreadyVoted');
  const proposals = await ballotProposals(db, round);
  const chosen = new Set(Array.isArray(form.choose) ? form.choose : form.choose ? [form.choose] : []);
  const pointsOf = (id: string) => (typeof form[`points.${id}`] === 'string' ? (form[`points.${id}`] as string) : '');
  const cost = proposals.reduce((a, p) => a + (round.ballotType === 'approval' ? (chosen.has(p.id) ? p.costPence : 0) : /^[1-9]\d*$/.test(pointsOf(p.id).trim()) ? p.costPence : 0), 0);
  const pts = proposals.reduce((a, p) => a + (Number(pointsOf(p.id)) || 0), 0);
  return c.html(
    <Layout view={view} title={t('comm.vote.title')} scripts={['budget-ballot.js']}>
      <p>
        <a href={`/budget/rounds/${round.id}`}>{roundTitle(view, round)}</a>
      </p>
      <h1>{t('comm.vote.title')}</h1>
      <p>{round.ballotType === 'approval' ? (round.maxChoices ? t('comm.vote.introApprovalMax', { n: round.maxChoices }) : t('comm.vote.introApproval')) : t('comm.vote.introPoints', { n: round.totalPoints ?? 0 })}</p>
      <p>{t('comm.vote.secret')}</p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`/budget/rounds/${round.id}/vote`} novalidate id="ballot" data-budget={String(round.budgetPence)} data-max={String(round.maxChoices ?? '')} data-points={String(round.totalPoints ?? '')}
        data-locale={locale}
        data-msg-running={t('comm.vote.running', { cost: '{cost}', budget: '{budget}' })}
        data-msg-choices={t('comm.vote.runningChoices', { n: '{n}', max: '{max}' })}
        data-msg-points={t('comm.vote.runningPoints', { n: '{n}', total: '{total}' })}
        data-msg-over={t('comm.vote.over')}
      >
        <CsrfField token={view.csrfToken} />
        <fieldset aria-describedby="running">
          <legend>{t('comm.vote.choices')}</legend>
          {proposals.map((p) =>
            round.ballotType === 'approval' ? (
              <div class="field choice">
                <input type="checkbox" id={`c-${p.id}`} name="choose" value={p.id} checked={chosen.has(p.id)} data-cost={String(p.costPence)} />
                <label for={`c-${p.id}`}>
                  <strong>{p.title}</strong> – {formatPence(locale, p.costPence)}
                  {p.isDemo ? <DemoTag t={t} /> : null}
                  <span class="hint">{p.summary}</span>
                </label>
              </div>
            ) : (
              <div class="field">
                <label for={`p-${p.id}`}>
                  <strong>{p.title}</strong> – {formatPence(locale, p.costPence)}
                  {p.isDemo ? <DemoTag t={t} /> : null}
                </label>
                <p class="hint">{p.summary}</p>
                <input type="number" class="short" id={`p-${p.id}`} name={`points.${p.id}`} value={pointsOf(p.id)} min={0} max={round.totalPoints ?? 0} step={1} inputmode="numeric" data-cost={String(p.costPence)} />
              </div>
            ),
          )}
        </fieldset>
        <p id="running" class="card" role="status" aria-live="polite">
          <output form="ballot" for="ballot">
            {t('comm.vote.running', { cost: formatPence(locale, cost), budget: formatPence(locale, round.budgetPence) })}
            {round.ballotType === 'points' ? ` ${t('comm.vote.runningPoints', { n: pts, total: round.totalPoints ?? 0 })}` : round.maxChoices ? ` ${t('comm.vote.runningChoices', { n: chosen.size, max: round.maxChoices })}` : ''}
          </output>
        </p>
        <div class="actions">
          <button class="button" type="submit" name="action" value="cast">
            {t('comm.vote.cast')}
          </button>
          <button class="button button-secondary" type="submit" name="action" value="check">
            {t('comm.vote.check')}
          </button>
        </div>
      </form>
    </Layout>,
    status,
  );
}

async function receiptPage(c: Context<AppEnv>, round: RoundRow, code: string) {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('comm.voted.title')}>
      <h1>{t('comm.voted.title')}</h1>
      <p role="status">{t('comm.voted.thanks', { round: roundTitle(view, round) })}</p>
      <div class="card">
        <p>{t('comm.voted.receipt')}</p>
        <p>
          <strong class="receipt-code" id="receipt-code">{code}</strong>
        </p>
        <p>{t('comm.voted.keep')}</p>
      </div>
      <p>
        <a href={`/budget/rounds/${round.id}`}>{t('comm.voted.back')}</a>
      </p>
    </Layout>,
  );
}


export function registerPublicPages(app: RouteTarget): void {
  route(app, 'GET', '/budget', 'public', (c) => budgetPage(c));
  route(app, 'GET', '/budget/rounds/:id', 'public', (c) => roundPage(c));
  route(app, 'POST', '/budget/rounds/:id/receipt', 'public', async (c) => {
    const tenant = tenantOf(c);
    const round = await getRound(c.get('deps').database.db, tenant.id, c.req.param('id') ?? '');
    const body = await c.req.parseBody();
    const code = typeof body.code === 'string' ? body.code : '';
    const ex = round.ballotsPb ? explainRound(round) : undefined;
    return roundPage(c, ex && code ? (explainReceipt(round, ex, code) ?? null) : null);
  });
  route(app, 'GET', '/budget/rounds/:id/ballots.pb', 'public', async (c) => {
    const tenant = tenantOf(c);
    const round = await getRound(c.get('deps').database.db, tenant.id, c.req.param('id') ?? '');
    if (!round.ballotsPb) throw new AppError('not_found', 'The ballots are published once the round is counted.', [], 'comm.error.notCounted');
    c.header('Content-Disposition', `attachment; filename="budget-round-${round.id}.pb"`);
    return c.body(round.ballotsPb, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });
  route(app, 'GET', '/budget/rounds/:id/result.json', 'public', async (c) => {
    const tenant = tenantOf(c);
    const round = await getRound(c.get('deps').database.db, tenant.id, c.req.param('id') ?? '');
    if (!round.result) throw new AppError('not_found', 'The result is published once the round is counted.', [], 'comm.error.notCounted');
    return c.json({ ...(round.result as object), phase: round.phase, ratified: round.phase === 'published' });
  });
  route(app, 'GET', '/budget/awards.json', 'public', async (c) => {
    const tenant = tenantOf(c);
    const deps = c.get('deps');
    const base = await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl);
    return c.json(await awards360(deps.database.db, tenant, base, (d) => isoDate(d)));
  });
  route(app, 'GET', '/budget/awards.csv', 'public', async (c) => {
    const tenant = tenantOf(c);
    const deps = c.get('deps');
    const base = await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl);
    const pkg = await awards360(deps.database.db, tenant, base, (d) => isoDate(d));
    c.header('Content-Disposition', 'attachment; filename="budget-awards-360giving.csv"');
    return c.body(awards360Csv(pkg.grants), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });
  route(app, 'GET', '/budget/rounds/:id/vote', 'signed-in', (c) => votePage(c, []));
  route(app, 'POST', '/budget/rounds/:id/vote', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const db = c.get('deps').database.db;
    const form = await formOf(c);
    const round = await roundForBallot(db, actor.tenantId, c.req.param('id') ?? '');
    try {
      if (form.action === 'check') {
        checkChoices(round, await ballotProposals(db, round), form);
        return await votePage(c, [], form);
      }
      const { receiptCode } = await castBallot(db, actor, round.id, form, { round });
      return await receiptPage(c, round, receiptCode);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return votePage(c, err.fields, form, 400);
      throw err;
    }
  });
}

