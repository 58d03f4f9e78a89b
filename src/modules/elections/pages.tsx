import type { Context } from 'hono';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import type { StvResult, StvStage } from '../voting/stv/count.ts';
import type { ElectionRow } from './schema.ts';
import {
  ballotCandidates,
  candidatesOf,
  castBallot,
  checkNomination,
  closeNominations,
  countElection,
  createElection,
  electionBlt,
  getElection,
  hasVoted,
  listElections,
  nominate,
  orderForVoter,
  publishElection,
  receiptCounted,
  respondToNomination,
  STATEMENT_MAX,
  votingOpen,
  type CandidateView,
} from './service.ts';

function nowOf(c: Context<AppEnv>): Date {
  const clock = c.get('deps').clock;
  return new Date(clock ? clock() : Date.now());
}

const db = (c: Context<AppEnv>) => c.get('deps').database.db;

async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

function fieldsOf(err: unknown): FieldIssue[] | undefined {
  if (err instanceof AppError && err.code === 'validation_failed') return err.fields;
  return undefined;
}

const canManage = (c: Context<AppEnv>) => allows('elections.manage', c.get('actor')?.roles ?? new Set());

export function electionTitle(locale: Locale, e: Pick<ElectionRow, 'title' | 'titlePl'>): string {
  return locale === 'pl' && e.titlePl ? e.titlePl : e.title;
}

/** The statement in the reader's language where given, else the other one, labelled. */
function Statement({ t, locale, c }: { t: Translate; locale: Locale; c: CandidateView }) {
  const mine = locale === 'pl' ? c.statementPl : c.statementEn;
  const other = locale === 'pl' ? c.statementEn : c.statementPl;
  if (mine) return <p class="statement">{mine}</p>;
  if (other)
    return (
      <p class="statement" lang={locale === 'pl' ? 'en' : 'pl'}>
        <span class="tag">{t(locale === 'pl' ? 'elec.statement.inEnglish' : 'elec.statement.inPolish')}</span> {other}
      </p>
    );
  return <p class="statement">{t('elec.statement.none')}</p>;
}

function phaseKey(e: ElectionRow) {
  return `elec.status.${e.status}` as const;
}

// ---------------------------------------------------------------------------------------------

async function listPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const rows = await listElections(db(c), actor.tenantId);
  return c.html(
    <Layout view={view} title={t('elec.list.title')}>
      <h1>{t('elec.list.title')}</h1>
      <p>{t('elec.list.lead')}</p>
      {rows.some((r) => r.isDemo) ? <DemoNotice t={t} /> : null}
      {canManage(c) ? (
        <p>
          <a class="button" href="/elections/new">
            {t('elec.new.title')}
          </a>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p>{t('elec.list.none')}</p>
      ) : (
        <ul class="cards">
          {rows.map((e) => (
            <li>
              <a href={`/elections/${e.id}`}>{electionTitle(locale, e)}</a>
              {e.isDemo ? <DemoTag t={t} /> : null} — {t(phaseKey(e))}, {t('elec.facts.agm')}: {formatDate(locale, e.agmOn)}
            </li>
          ))}
        </ul>
      )}
    </Layout>,
  );
}

async function newPage(c: Context<AppEnv>, issues: FieldIssue[], form: Record<string, string> = {}) {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('elec.new.title')}>
      <h1>{t('elec.new.title')}</h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/elections" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="title" label={t('elec.field.title')} issues={issues}>
          {(a) => <input {...a} value={form['title'] ?? ''} maxlength={120} required />}
        </Field>
        <Field t={t} name="titlePl" label={t('elec.field.titlePl')} issues={issues}>
          {(a) => <input {...a} value={form['titlePl'] ?? ''} maxlength={120} lang="pl" />}
        </Field>
        <Field t={t} name="agmOn" label={t('elec.field.agmOn')} issues={issues}>
          {(a) => <input type="date" {...a} value={form['agmOn'] ?? ''} required />}
        </Field>
        <Field t={t} name="seats" label={t('elec.field.seats')} hint={t('elec.field.seatsHint')} issues={issues}>
          {(a) => <input type="number" {...a} value={form['seats'] ?? ''} min={1} max={99} inputmode="numeric" class="short" />}
        </Field>
        <Field t={t} name="opensAt" label={t('elec.field.opensAt')} hint={t('elec.field.timeHint')} issues={issues}>
          {(a) => <input type="datetime-local" {...a} value={form['opensAt'] ?? ''} required />}
        </Field>
        <Field t={t} name="closesAt" label={t('elec.field.closesAt')} hint={t('elec.field.timeHint')} issues={issues}>
          {(a) => <input type="datetime-local" {...a} value={form['closesAt'] ?? ''} required />}
        </Field>
        <div class="actions">
          <button class="button" type="submit">
            {t('elec.new.submit')}
          </button>
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function electionPage(c: Context<AppEnv>, issues: FieldIssue[] = [], form: Record<string, string> = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const e = await getElection(db(c), actor.tenantId, c.req.param('id') ?? '');
  const cands = await candidatesOf(db(c), actor.tenantId, e.id);
  const manage = canManage(c);
  const now = nowOf(c);
  const voted = await hasVoted(db(c), actor.tenantId, e.id, actor.memberId);
  const standing = cands.filter((x) => (e.status === 'nominations' ? x.status === 'accepted' : x.ballotName !== null));
  const mine = cands.filter((x) => x.memberId === actor.memberId && x.status === 'proposed');
  const done = c.req.query('done');
  return c.html(
    <Layout view={view} title={electionTitle(locale, e)}>
      <p>
        <a href="/elections">{t('elec.list.title')}</a>
      </p>
      <h1>
        {electionTitle(locale, e)}
        {e.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {done ? (
        <p class="notice" role="status">
          {t('elec.done')}
        </p>
      ) : null}
      <Facts
        items={[
          [t('elec.facts.status'), t(phaseKey(e))],
          [t('elec.facts.agm'), formatDate(locale, e.agmOn)],
          [t('elec.facts.seats'), String(e.seats)],
          [t('elec.facts.opens'), formatDateTime(locale, e.opensAt)],
          [t('elec.facts.closes'), formatDateTime(locale, e.closesAt)],
        ]}
      />
      {votingOpen(e, now) ? (
        voted ? (
          <p>{t('elec.ballot.alreadyVoted')}</p>
        ) : (
          <p>
            <a class="button" href={`/elections/${e.id}/ballot`}>
              {t('elec.ballot.go')}
            </a>
          </p>
        )
      ) : null}
      {e.status === 'published' || (e.status === 'counted' && manage) ? (
        <p>
          <a href={`/elections/${e.id}/result`}>{t('elec.result.title')}</a>
        </p>
      ) : null}
      <h2>{t('elec.candidates.title')}</h2>
      {standing.length === 0 ? (
        <p>{t('elec.candidates.none')}</p>
      ) : (
        <ul class="cards">
          {standing.map((x) => (
            <li>
              <h3>
                {x.name}
                {x.isDemo ? <DemoTag t={t} /> : null}
              </h3>
              <Statement t={t} locale={locale} c={x} />
            </li>
          ))}
        </ul>
      )}
      {mine.map((x) => (
        <section aria-labelledby={`respond-${x.id}`}>
          <h2 id={`respond-${x.id}`}>{t('elec.respond.title')}</h2>
          <form method="post" action={`/elections/${e.id}/candidates/${x.id}/respond`} novalidate>
            <CsrfField token={view.csrfToken} />
            <StatementFields t={t} issues={issues} form={form} />
            <div class="actions">
              <button class="button" type="submit" name="answer" value="accept">
                {t('elec.respond.accept')}
              </button>
              <button class="button button-secondary" type="submit" name="answer" value="decline">
                {t('elec.respond.decline')}
              </button>
            </div>
          </form>
        </section>
      ))}
      {e.status === 'nominations' ? (
        <section aria-labelledby="nominate">
          <h2 id="nominate">{t('elec.nominate.title')}</h2>
          <p>{t('elec.nominate.lead')}</p>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action={`/elections/${e.id}/nominate`} novalidate>
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="memberNumber" label={t('elec.field.memberNumber')} hint={t('elec.field.memberNumberHint')} issues={issues}>
              {(a) => <input {...a} value={form['memberNumber'] ?? ''} inputmode="numeric" class="short" />}
            </Field>
            <StatementFields t={t} issues={issues} form={form} />
            <div class="actions">
              <button class="button" type="submit">
                {t('elec.nominate.submit')}
              </button>
            </div>
          </form>
        </section>
      ) : null}
      {manage ? <ManageSection t={t} locale={locale} e={e} cands={cands} csrf={view.csrfToken} now={now} /> : null}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

function StatementFields({ t, issues, form }: { t: Translate; issues: FieldIssue[]; form: Record<string, string> }) {
  return (
    <>
      <Field t={t} name="statementEn" label={t('elec.field.statementEn')} hint={t('elec.field.statementHint', { max: STATEMENT_MAX })} issues={issues}>
        {(a) => (
          <textarea {...a} maxlength={STATEMENT_MAX} rows={4} lang="en">
            {form['statementEn'] ?? ''}
          </textarea>
        )}
      </Field>
      <Field t={t} name="statementPl" label={t('elec.field.statementPl')} issues={issues}>
        {(a) => (
          <textarea {...a} maxlength={STATEMENT_MAX} rows={4} lang="pl">
            {form['statementPl'] ?? ''}
          </textarea>
        )}
      </Field>
    </>
  );
}

function ManageSection({ t, locale, e, cands, csrf, now }: { t: Translate; locale: Locale; e: ElectionRow; cands: CandidateView[]; csrf: string; now: Date }) {
  return (
    <section aria-labelledby="manage">
      <h2 id="manage">{t('elec.manage.title')}</h2>
      {cands.length ? (
        <TableWrap label={t('elec.manage.nominations')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('elec.manage.candidate')}</th>
                <th scope="col">{t('elec.manage.status')}</th>
                <th scope="col">{t('elec.manage.checked')}</th>
              </tr>
            </thead>
            <tbody>
              {cands.map((x) => (
                <tr>
                  <th scope="row" data-label={t('elec.manage.candidate')}>
                    {x.name} ({x.memberNumber}){x.isDemo ? <DemoTag t={t} /> : null}
                  </th>
                  <td data-label={t('elec.manage.status')}>{t(`elec.candidate.${x.status}`)}</td>
                  <td data-label={t('elec.manage.checked')}>
                    {x.checkedAt ? (
                      formatDateTime(locale, x.checkedAt)
                    ) : e.status === 'nominations' ? (
                      <form method="post" action={`/elections/${e.id}/candidates/${x.id}/check`}>
                        <CsrfField token={csrf} />
                        <button class="button button-secondary" type="submit" aria-label={t('elec.manage.checkOne', { name: x.name })}>
                          {t('elec.manage.check')}
                        </button>
                      </form>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {e.status === 'nominations' ? (
        <form method="post" action={`/elections/${e.id}/close-nominations`}>
          <CsrfField token={csrf} />
          <p>{t('elec.manage.closeLead')}</p>
          <button class="button" type="submit">
            {t('elec.manage.close')}
          </button>
        </form>
      ) : null}
      {e.status === 'voting' && now >= e.closesAt ? (
        <form method="post" action={`/elections/${e.id}/count`}>
          <CsrfField token={csrf} />
          <button class="button" type="submit">
            {t('elec.manage.count')}
          </button>
        </form>
      ) : null}
      {e.status === 'counted' ? (
        <form method="post" action={`/elections/${e.id}/publish`}>
          <CsrfField token={csrf} />
          <p>{t('elec.manage.publishLead')}</p>
          <button class="button" type="submit">
            {t('elec.manage.publish')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The ranked ballot: a select per candidate (1st … nth / not ranked): no JS, keyboard and phone friendly.

function ordinal(t: Translate, n: number): string {
  return t('elec.ballot.rank', { n });
}

async function ballotPage(c: Context<AppEnv>, issues: FieldIssue[] = [], form: Record<string, string> = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const e = await getElection(db(c), actor.tenantId, c.req.param('id') ?? '');
  if (!votingOpen(e, nowOf(c))) throw new AppError('conflict', 'Voting is not open.', [], 'elec.error.notOpen');
  if (await hasVoted(db(c), actor.tenantId, e.id, actor.memberId)) throw new AppError('conflict', 'You have already voted in this election.', [], 'elec.error.alreadyVoted');
  const cands = orderForVoter(e, actor.memberId, await ballotCandidates(db(c), actor.tenantId, e.id));
  return c.html(
    <Layout view={view} title={t('elec.ballot.title')}>
      <p>
        <a href={`/elections/${e.id}`}>{electionTitle(locale, e)}</a>
      </p>
      <h1>{t('elec.ballot.title')}</h1>
      <p>{t('elec.ballot.lead', { seats: e.seats })}</p>
      <p class="hint">{t('elec.ballot.orderNote')}</p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`/elections/${e.id}/ballot`} novalidate>
        <CsrfField token={view.csrfToken} />
        <fieldset>
          <legend>{t('elec.ballot.legend')}</legend>
          {cands.map((x) => (
            <Field t={t} name={`rank_${x.id}`} label={x.name} issues={issues}>
              {(a) => (
                <select {...a}>
                  <option value="">{t('elec.ballot.notRanked')}</option>
                  {cands.map((_, i) => (
                    <option value={String(i + 1)} selected={form[`rank_${x.id}`] === String(i + 1)}>
                      {ordinal(t, i + 1)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ))}
        </fieldset>
        <div class="actions">
          <button class="button" type="submit">
            {t('elec.ballot.submit')}
          </button>
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function receiptPage(c: Context<AppEnv>, e: ElectionRow, receipt: string) {
  const view = viewOf(c);
  const { t, locale } = view;
  c.header('Cache-Control', 'no-store');
  return c.html(
    <Layout view={view} title={t('elec.receipt.title')}>
      <p>
        <a href={`/elections/${e.id}`}>{electionTitle(locale, e)}</a>
      </p>
      <h1>{t('elec.receipt.title')}</h1>
      <p role="status">{t('elec.receipt.lead')}</p>
      <p class="receipt">
        <strong id="receipt-code">{receipt}</strong>
      </p>
      <p>{t('elec.receipt.keep')}</p>
    </Layout>,
  );
}

// ---------------------------------------------------------------------------------------------
// The result sheet

function transferLine(t: Translate, s: StvStage): string {
  if (s.action === 'first') return t('elec.result.line.first');
  if (s.action === 'surplus') return t('elec.result.line.surplus', { name: s.candidate ?? '', surplus: s.surplus ?? '', value: s.transferValue ?? '' });
  return t('elec.result.line.exclusion', { name: s.candidate ?? '' });
}

function ResultSheet({ t, r }: { t: Translate; r: StvResult }) {
  const electedAt = new Map<string, number>();
  const excludedAt = new Map<string, number>();
  for (const s of r.stages) {
    for (const x of s.elected) electedAt.set(x, s.n);
    for (const x of s.excluded) excludedAt.set(x, s.n);
  }
  return (
    <>
      <Facts
        items={[
          [t('elec.result.valid'), String(r.valid)],
          [t('elec.facts.seats'), String(r.seats)],
          [t('elec.result.quota'), String(r.quota)],
          [t('elec.result.elected'), r.elected.join(', ')],
        ]}
      />
      <p>{t('elec.result.quotaExplained', { valid: r.valid, seats: r.seats, quota: r.quota })}</p>
      <h2>{t('elec.result.stages')}</h2>
      <ol>
        {r.stages.map((s) => (
          <li>
            {transferLine(t, s)}
            {s.elected.length ? ` ${t('elec.result.line.elected', { names: s.elected.join(', ') })}` : ''}
          </li>
        ))}
      </ol>
      {r.tieBreaks.map((x) => (
        <p>{x.method === 'lot' ? t('elec.result.tie.lot', { stage: x.stage, names: x.tied.join(', '), chosen: x.chosen, seed: x.seed ?? '' }) : t('elec.result.tie.prior', { stage: x.stage, names: x.tied.join(', '), chosen: x.chosen, prior: x.priorStage ?? 0 })}</p>
      ))}
      <TableWrap label={t('elec.result.table')}>
        <table class="stv-table">
          <caption>{t('elec.result.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('elec.manage.candidate')}</th>
              {r.stages.map((s) => (
                <th scope="col">{t('elec.result.stage', { n: s.n })}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.candidates.map((name) => (
              <tr>
                <th scope="row">{name}</th>
                {r.stages.map((s) => {
                  const gone = (excludedAt.get(name) ?? Infinity) < s.n;
                  const mark = electedAt.get(name) === s.n ? t('elec.result.mark.elected') : excludedAt.get(name) === s.n ? t('elec.result.mark.excluded') : '';
                  const tr = s.transfers[name] ?? '';
                  return (
                    <td>
                      {gone ? '—' : s.n > 1 && tr !== '0.00000' ? <span class="transfer">{tr}</span> : null}
                      {gone ? null : (
                        <>
                          {' '}
                          <strong>{s.votes[name]}</strong>
                        </>
                      )}
                      {mark ? ` (${mark})` : ''}
                    </td>
                  );
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">{t('elec.result.nonTransferable')}</th>
              {r.stages.map((s) => (
                <td>{s.nonTransferable}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('elec.result.loss')}</th>
              {r.stages.map((s) => (
                <td>{s.loss}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

async function resultPage(c: Context<AppEnv>, issues: FieldIssue[] = [], checked?: boolean) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const e = await getElection(db(c), actor.tenantId, c.req.param('id') ?? '');
  if (!e.result || !(e.status === 'published' || canManage(c))) throw new AppError('not_found', 'That result is not published.', [], 'elec.error.notPublished');
  return c.html(
    <Layout view={view} title={t('elec.result.title')}>
      <p>
        <a href={`/elections/${e.id}`}>{electionTitle(locale, e)}</a>
      </p>
      <h1>
        {t('elec.result.title')}: {electionTitle(locale, e)}
        {e.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {e.status !== 'published' ? <p class="notice">{t('elec.result.unpublished')}</p> : null}
      <p>{t('elec.result.rules')}</p>
      <ResultSheet t={t} r={e.result} />
      <h2>{t('elec.result.recount')}</h2>
      <p>
        {t('elec.result.recountLead')} <code>parent-mutual stv count ballots.blt --seed {e.lotSeed}</code>
      </p>
      <p>
        <a href={`/elections/${e.id}/ballots.blt`} download>
          {t('elec.result.download')}
        </a>
      </p>
      <h2 id="receipt">{t('elec.receiptCheck.title')}</h2>
      {checked !== undefined ? (
        <p role="status" class="notice">
          {t(checked ? 'elec.receiptCheck.found' : 'elec.receiptCheck.missing')}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`/elections/${e.id}/receipt`} novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="code" label={t('elec.receiptCheck.code')} issues={issues}>
          {(a) => <input {...a} autocomplete="off" maxlength={20} />}
        </Field>
        <div class="actions">
          <button class="button button-secondary" type="submit">
            {t('elec.receiptCheck.submit')}
          </button>
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------

export function registerElectionPages(app: RouteTarget): void {
  route(app, 'GET', '/elections', 'signed-in', listPage);
  route(app, 'GET', '/elections/new', 'elections.manage', (c) => newPage(c, []));
  route(app, 'POST', '/elections', 'elections.manage', async (c) => {
    const form = await formOf(c);
    try {
      const id = await createElection(db(c), requireActor(c), form);
      return c.redirect(`/elections/${id}`, 303);
    } catch (err) {
      const issues = fieldsOf(err);
      if (issues) return newPage(c, issues, form);
      throw err;
    }
  });
  route(app, 'GET', '/elections/:id', 'signed-in', (c) => electionPage(c));
  route(app, 'POST', '/elections/:id/nominate', 'signed-in', async (c) => {
    const form = await formOf(c);
    try {
      await nominate(db(c), requireActor(c), c.req.param('id') ?? '', form);
    } catch (err) {
      const issues = fieldsOf(err);
      if (issues) return electionPage(c, issues, form);
      throw err;
    }
    return c.redirect(`/elections/${c.req.param('id')}?done=1`, 303);
  });
  route(app, 'POST', '/elections/:id/candidates/:cid/respond', 'signed-in', async (c) => {
    const form = await formOf(c);
    try {
      await respondToNomination(db(c), requireActor(c), c.req.param('id') ?? '', c.req.param('cid') ?? '', form);
    } catch (err) {
      const issues = fieldsOf(err);
      if (issues) return electionPage(c, issues, form);
      throw err;
    }
    return c.redirect(`/elections/${c.req.param('id')}?done=1`, 303);
  });
  route(app, 'POST', '/elections/:id/candidates/:cid/check', 'elections.manage', async (c) => {
    await checkNomination(db(c), requireActor(c), c.req.param('id') ?? '', c.req.param('cid') ?? '', nowOf(c));
    return c.redirect(`/elections/${c.req.param('id')}?done=1`, 303);
  });
  route(app, 'POST', '/elections/:id/close-nominations', 'elections.manage', async (c) => {
    await closeNominations(db(c), requireActor(c), c.req.param('id') ?? '');
    return c.redirect(`/elections/${c.req.param('id')}?done=1`, 303);
  });
  route(app, 'POST', '/elections/:id/count', 'elections.manage', async (c) => {
    await countElection(db(c), requireActor(c), c.req.param('id') ?? '', nowOf(c));
    return c.redirect(`/elections/${c.req.param('id')}/result`, 303);
  });
  route(app, 'POST', '/elections/:id/publish', 'elections.manage', async (c) => {
    await publishElection(db(c), requireActor(c), c.req.param('id') ?? '', nowOf(c));
    return c.redirect(`/elections/${c.req.param('id')}/result`, 303);
  });
  route(app, 'GET', '/elections/:id/ballot', 'signed-in', (c) => ballotPage(c));
  route(app, 'POST', '/elections/:id/ballot', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const form = await formOf(c);
    const e = await getElection(db(c), actor.tenantId, c.req.param('id') ?? '');
    try {
      const { receipt } = await castBallot(db(c), actor, e.id, form, nowOf(c));
      return receiptPage(c, e, receipt);
    } catch (err) {
      const issues = fieldsOf(err);
      if (issues) return ballotPage(c, issues, form);
      throw err;
    }
  });
  route(app, 'GET', '/elections/:id/result', 'signed-in', (c) => resultPage(c));
  route(app, 'POST', '/elections/:id/receipt', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const form = await formOf(c);
    const code = (form['code'] ?? '').trim();
    if (!/^[0-9A-Za-z-]{12,20}$/.test(code)) return resultPage(c, [{ field: 'code', message: 'elec.receiptCheck.invalid' }]);
    return resultPage(c, [], await receiptCounted(db(c), actor.tenantId, c.req.param('id') ?? '', code));
  });
  route(app, 'GET', '/elections/:id/ballots.blt', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const e = await getElection(db(c), actor.tenantId, c.req.param('id') ?? '');
    if (!(e.status === 'published' || (e.status === 'counted' && canManage(c)))) throw new AppError('not_found', 'That result is not published.', [], 'elec.error.notPublished');
    const { text } = await electionBlt(db(c), e);
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="election-${e.id}.blt"`);
    return c.body(text);
  });
}

