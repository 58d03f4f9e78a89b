import type { Context } from 'hono';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import type { Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { memberCards } from '../membership/views.ts';
import {
  approvePayment,
  auditProviders,
  completeContract,
  contractView,
  contractViews,
  createContract,
  declinePayment,
  fundedProposals,
  MILESTONE_ROWS,
  requestPayment,
  signContract,
  terminateContract,
  type ContractView,
} from './contracts.ts';
import { formatPence, poundsValue } from './format.ts';
import { INDICATORS, listOf } from './proposals.ts';
import type { ContractStatus } from './schema.ts';

import { formOf, str, type Form } from '../../server/form-body.ts';

/** Refusals a page shows beside the form (English/Polish from the catalogue); anything else goes to the error page. */
function refusal(err: unknown): { issues: FieldIssue[]; status: 400 | 403 | 409 } | undefined {
  if (!(err instanceof AppError)) return undefined;
  if (err.code === 'validation_failed') return { issues: err.fields, status: 400 };
  if ((err.code === 'conflict' || err.code === 'idempotency_conflict' || err.code === 'forbidden') && err.key) return { issues: err.fields.length ? err.fields : [{ field: 'status', message: err.key }], status: err.code === 'forbidden' ? 403 : 409 };
  return undefined;
}

function tenantOf(c: Context<AppEnv>) {
  const tenant = c.get('tenant');
  if (!tenant) throw new AppError('not_found', 'Not found.');
  return tenant;
}

export function StatusTag({ t, status }: { t: Translate; status: ContractStatus }) {
  return <span class="tag">{t(`comm.contract.status.${status}`)}</span>;
}

const roundName = (view: View, v: ContractView) => (view.locale === 'pl' && v.roundTitlePl ? v.roundTitlePl : v.roundTitle);

// ---------------------------------------------------------------------------------------------
// Coordinators and approvers

async function listPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const [contracts, funded] = await Promise.all([contractViews(db, actor.tenantId), fundedProposals(db, actor.tenantId)]);
  const manager = allows('commissioning.manage', actor.roles);
  const waiting = funded.filter((f) => !f.contractId);
  const toApprove = contracts.flatMap((v) => v.payments.filter((p) => p.status === 'requested' && p.requestedBy !== actor.memberId).map((p) => ({ v, p })));
  return c.html(
    <Layout view={view} title={t('comm.contract.list.title')}>
      <p>
        <a href="/coordinator/budget">{t('comm.coord.title')}</a> · <a href="/budget/contracts">{t('comm.contract.public.link')}</a>
      </p>
      <h1>{t('comm.contract.list.title')}</h1>
      <p>{t('comm.contract.list.intro')}</p>
      {toApprove.length ? (
        <>
          <h2 id="to-approve">{t('comm.contract.list.toApprove')}</h2>
          <ul>
            {toApprove.map(({ v, p }) => (
              <li>
                <a href={`/coordinator/budget/contracts/${v.contract.id}#payments`}>{v.contract.providerName}</a>: {formatPence(locale, p.amountPence)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 id="contracts">{t('comm.contract.list.contracts')}</h2>
      {contracts.length === 0 ? (
        <p>{t('comm.contract.list.none')}</p>
      ) : (
        <ContractTable view={view} contracts={contracts} href={(id) => `/coordinator/budget/contracts/${id}`} />
      )}
      <h2 id="funded">{t('comm.contract.list.funded')}</h2>
      {waiting.length === 0 ? (
        <p>{t('comm.contract.list.noneWaiting')}</p>
      ) : (
        [...new Set(waiting.map((f) => f.roundId))].map((roundId) => (
          <section aria-labelledby={`round-${roundId}`}>
            <h3 id={`round-${roundId}`}>{waiting.find((f) => f.roundId === roundId)?.roundTitle}</h3>
            <ul>
              {waiting
                .filter((f) => f.roundId === roundId)
                .map((f) => (
                  <li>
                    <strong>{f.title}</strong> ({t('comm.contract.allocated', { amount: formatPence(locale, f.allocatedPence) })}){f.isDemo ? <DemoTag t={t} /> : null}{' '}
                    {manager ? <a href={`/coordinator/budget/contracts/new?proposal=${f.proposalId}`}>{t('comm.contract.new.link')}</a> : null}
                  </li>
                ))}
            </ul>
          </section>
        ))
      )}
    </Layout>,
  );
}

function ContractTable({ view, contracts, href }: { view: View; contracts: ContractView[]; href: (id: string) => string }) {
  const { t, locale } = view;
  return (
    <TableWrap label={t('comm.contract.list.contracts')}>
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">{t('comm.contract.provider')}</th>
            <th scope="col">{t('comm.contract.proposal')}</th>
            <th scope="col">{t('comm.contract.value')}</th>
            <th scope="col">{t('comm.contract.paid')}</th>
            <th scope="col">{t('comm.contract.period')}</th>
            <th scope="col">{t('comm.contract.status')}</th>
          </tr>
        </thead>
        <tbody>
          {contracts.map((v) => (
            <tr>
              <th scope="row" data-label={t('comm.contract.provider')}>
                <a href={href(v.contract.id)}>{v.contract.providerName}</a>
                {v.contract.isDemo ? <DemoTag t={t} /> : null}
              </th>
              <td data-label={t('comm.contract.proposal')}>{v.proposalTitle}</td>
              <td class="num" data-label={t('comm.contract.value')}>{formatPence(locale, v.contract.valuePence)}</td>
              <td class="num" data-label={t('comm.contract.paid')}>{formatPence(locale, v.paidPence)}</td>
              <td data-label={t('comm.contract.period')}>{`${formatDate(locale, v.contract.startsOn)} – ${formatDate(locale, v.contract.endsOn)}`}</td>
              <td data-label={t('comm.contract.status')}>
                <StatusTag t={t} status={v.contract.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

async function newPage(c: Context<AppEnv>, issues: FieldIssue[], form: Form = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const [funded, providers] = await Promise.all([fundedProposals(db, actor.tenantId), auditProviders(db, actor.tenantId)]);
  const open = funded.filter((f) => !f.contractId);
  const chosenId = str(form, 'proposalId') || c.req.query('proposal') || '';
  const chosen = open.find((f) => f.proposalId === chosenId);
  const indicators = new Set(form.indicators !== undefined ? listOf(form.indicators) : (chosen?.indicators ?? []));
  const value = (k: string, fallback = '') => (k in form ? str(form, k) : fallback);
  return c.html(
    <Layout view={view} title={t('comm.contract.new.title')}>
      <p>
        <a href="/coordinator/budget/contracts">{t('comm.contract.list.title')}</a>
      </p>
      <h1>{t('comm.contract.new.title')}</h1>
      <p>{t('comm.contract.new.intro')}</p>
      <ErrorSummary t={t} issues={issues} />
      {open.length === 0 ? (
        <p>{t('comm.contract.list.noneWaiting')}</p>
      ) : (
        <form method="post" action="/coordinator/budget/contracts" novalidate>
          <CsrfField token={view.csrfToken} />
          <input type="hidden" name="idempotencyKey" value={str(form, 'idempotencyKey') || newId()} />
          <Field t={t} name="proposalId" label={t('comm.contract.proposal')} issues={issues}>
            {(a) => (
              <select {...a}>
                {open.map((f) => (
                  <option value={f.proposalId} selected={f.proposalId === chosenId}>
                    {`${f.title} (${f.roundTitle}): ${t('comm.contract.allocated', { amount: formatPence(locale, f.allocatedPence) })}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="providerId" label={t('comm.contract.providerAudit')} hint={t('comm.contract.providerAuditHint')} issues={issues}>
            {(a) => (
              <select {...a}>
                <option value="">{t('comm.contract.providerNone')}</option>
                {providers.map((p) => (
                  <option value={p.id} selected={str(form, 'providerId') === p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="providerName" label={t('comm.contract.providerName')} issues={issues}>
            {(a) => <input type="text" {...a} value={value('providerName', chosen?.providerText ?? '')} maxlength={160} />}
          </Field>
          <Field t={t} name="value" label={t('comm.contract.valuePounds')} hint={t('comm.contract.valueHint')} issues={issues}>
            {(a) => <input type="text" {...a} value={value('value', chosen ? poundsValue(chosen.allocatedPence) : '')} inputmode="decimal" class="short" required />}
          </Field>
          <Field t={t} name="startsOn" label={t('comm.contract.startsOn')} issues={issues}>
            {(a) => <input type="date" {...a} value={value('startsOn')} required />}
          </Field>
          <Field t={t} name="endsOn" label={t('comm.contract.endsOn')} issues={issues}>
            {(a) => <input type="date" {...a} value={value('endsOn')} required />}
          </Field>
          <fieldset class="field">
            <legend>{t('comm.contract.indicators')}</legend>
            {INDICATORS.map((k) => (
              <div class="choice">
                <input type="checkbox" id={`ind-${k}`} name="indicators" value={k} checked={indicators.has(k)} />
                <label for={`ind-${k}`}>{t(`comm.indicator.${k}`)}</label>
              </div>
            ))}
          </fieldset>
          <h2 id="milestones">{t('comm.contract.milestones')}</h2>
          <p>{t('comm.contract.milestonesHint', { n: MILESTONE_ROWS })}</p>
          {Array.from({ length: MILESTONE_ROWS }, (_, i) => (
            <fieldset class="card">
              <legend>{t('comm.contract.milestoneN', { n: i + 1 })}</legend>
              <Field t={t} name={`m.${i}.title`} label={t('comm.contract.milestone.title')} issues={issues}>
                {(a) => <input type="text" {...a} value={value(`m.${i}.title`)} maxlength={160} />}
              </Field>
              <Field t={t} name={`m.${i}.due`} label={t('comm.contract.milestone.due')} issues={issues}>
                {(a) => <input type="date" {...a} value={value(`m.${i}.due`)} />}
              </Field>
              <Field t={t} name={`m.${i}.amount`} label={t('comm.contract.milestone.amount')} issues={issues}>
                {(a) => <input type="text" {...a} value={value(`m.${i}.amount`)} inputmode="decimal" class="short" />}
              </Field>
              <Field t={t} name={`m.${i}.evidence`} label={t('comm.contract.milestone.evidence')} hint={t('comm.contract.milestone.evidenceHint')} issues={issues}>
                {(a) => <input type="text" {...a} value={value(`m.${i}.evidence`)} maxlength={500} />}
              </Field>
            </fieldset>
          ))}
          <div class="actions">
            <button class="button" type="submit">
              {t('comm.contract.new.save')}
            </button>
          </div>
        </form>
      )}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function contractPage(c: Context<AppEnv>, issues: FieldIssue[], status: 200 | 400 | 403 | 409 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const v = await contractView(db, actor.tenantId, c.req.param('id') ?? '');
  const k = v.contract;
  const people = new Map((await memberCards(db, actor.tenantId, [...new Set(v.payments.flatMap((p) => [p.requestedBy, p.decidedBy ?? '']).filter((x) => /^[0-9a-f-]{36}$/.test(x)))])).map((m) => [m.id, m.name]));
  const who = (id: string | null, role: string | null) => (id ? `${people.get(id) ?? t('comm.contract.formerMember')} (${t(`comm.contract.role.${role === 'board' || role === 'admin' ? role : 'coordinator'}`)})` : '–');
  const manager = allows('commissioning.manage', actor.roles);
  const approver = allows('commissioning.approve', actor.roles);
  const open = v.milestones.filter((m) => m.amountPence - m.paidPence - m.pendingPence > 0);
  const done = c.req.query('done');
  return c.html(
    <Layout view={view} title={`${t('comm.contract.title')}: ${k.providerName}`}>
      <p>
        <a href="/coordinator/budget/contracts">{t('comm.contract.list.title')}</a>
        {k.status !== 'draft' ? (
          <>
            {' · '}
            <a href={`/budget/contracts/${k.id}`}>{t('comm.contract.public.page')}</a>
          </>
        ) : null}
      </p>
      <h1>
        {`${t('comm.contract.title')}: ${k.providerName}`}
        {k.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {done ? (
        <p class="notice" role="status">
          {t(`comm.contract.done.${done === 'signed' || done === 'requested' || done === 'approved' || done === 'declined' || done === 'completed' || done === 'terminated' ? done : 'saved'}`)}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      <ContractFacts view={view} v={v} />
      {manager && k.status === 'draft' ? (
        <form method="post" action={`/coordinator/budget/contracts/${k.id}/sign`} class="card">
          <CsrfField token={view.csrfToken} />
          <p>{t('comm.contract.sign.intro', { amount: formatPence(locale, k.valuePence) })}</p>
          <button class="button" type="submit">
            {t('comm.contract.sign.button')}
          </button>
        </form>
      ) : null}
      <MilestoneTable view={view} v={v} />
      <h2 id="payments">{t('comm.contract.payments')}</h2>
      {v.payments.length === 0 ? (
        <p>{t('comm.contract.payments.none')}</p>
      ) : (
        <ul class="stack-list">
          {v.payments.map((p) => (
            <li class="card">
              <p>
                <strong>{formatPence(locale, p.amountPence)}</strong> · {v.milestones.find((m) => m.id === p.milestoneId)?.title ?? ''} · <span class="tag">{t(`comm.contract.payment.${p.status}`)}</span>
                {p.isDemo ? <DemoTag t={t} /> : null}
              </p>
              <p class="hint">
                {t('comm.contract.payment.requestedBy', { who: who(p.requestedBy, p.requestedRole), when: formatDateTime(locale, p.requestedAt) })}
                {p.decidedBy && p.decidedAt ? ` ${t(p.status === 'approved' ? 'comm.contract.payment.approvedBy' : 'comm.contract.payment.declinedBy', { who: who(p.decidedBy, p.decidedRole), when: formatDateTime(locale, p.decidedAt) })}` : ''}
              </p>
              {p.note ? <p>{p.note}</p> : null}
              {p.status === 'requested' && k.status === 'signed' ? (
                <div class="actions">
                  {approver && p.requestedBy !== actor.memberId ? (
                    <form method="post" action={`/coordinator/budget/contracts/${k.id}/payments/${p.id}/approve`}>
                      <CsrfField token={view.csrfToken} />
                      <input type="hidden" name="idempotencyKey" value={newId()} />
                      <button class="button" type="submit">
                        {t('comm.contract.payment.approve', { amount: formatPence(locale, p.amountPence) })}
                      </button>
                    </form>
                  ) : (
                    <p class="hint">{t('comm.contract.payment.needsOther')}</p>
                  )}
                  <form method="post" action={`/coordinator/budget/contracts/${k.id}/payments/${p.id}/decline`}>
                    <CsrfField token={view.csrfToken} />
                    <button class="button button-secondary" type="submit">
                      {p.requestedBy === actor.memberId ? t('comm.contract.payment.withdraw') : t('comm.contract.payment.decline')}
                    </button>
                  </form>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {manager && k.status === 'signed' && open.length ? (
        <form method="post" action={`/coordinator/budget/contracts/${k.id}/payments`} novalidate class="card" aria-labelledby="request">
          <h3 id="request">{t('comm.contract.request.title')}</h3>
          <p>{t('comm.contract.request.intro')}</p>
          <CsrfField token={view.csrfToken} />
          <input type="hidden" name="idempotencyKey" value={newId()} />
          <Field t={t} name="milestoneId" label={t('comm.contract.request.milestone')} issues={issues}>
            {(a) => (
              <select {...a}>
                {open.map((m) => (
                  <option value={m.id}>{`${m.title}: ${t('comm.contract.unpaid', { amount: formatPence(locale, m.amountPence - m.paidPence - m.pendingPence) })}`}</option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="amount" label={t('comm.contract.request.amount')} hint={t('comm.proposal.costHint')} issues={issues}>
            {(a) => <input type="text" {...a} inputmode="decimal" class="short" required />}
          </Field>
          <Field t={t} name="note" label={t('comm.contract.request.note')} hint={t('comm.contract.request.noteHint')} issues={issues}>
            {(a) => <input type="text" {...a} maxlength={500} />}
          </Field>
          <button class="button" type="submit">
            {t('comm.contract.request.button')}
          </button>
        </form>
      ) : null}
      {manager && (k.status === 'signed' || k.status === 'draft') ? (
        <>
          <h2 id="close">{t('comm.contract.close.title')}</h2>
          {k.status === 'signed' && v.paidPence === k.valuePence ? (
            <form method="post" action={`/coordinator/budget/contracts/${k.id}/complete`}>
              <CsrfField token={view.csrfToken} />
              <button class="button" type="submit">
                {t('comm.contract.complete.button')}
              </button>
            </form>
          ) : null}
          <form method="post" action={`/coordinator/budget/contracts/${k.id}/terminate`} novalidate class="card">
            <CsrfField token={view.csrfToken} />
            <p>{t('comm.contract.terminate.intro')}</p>
            <Field t={t} name="reason" label={t('comm.contract.terminate.reason')} hint={t('comm.contract.terminate.reasonHint')} issues={issues}>
              {(a) => <textarea {...a} rows={3} maxlength={500} required></textarea>}
            </Field>
            <button class="button button-secondary" type="submit">
              {t('comm.contract.terminate.button')}
            </button>
          </form>
        </>
      ) : null}
    </Layout>,
    status === 200 && issues.length ? 400 : status,
  );
}

function ContractFacts({ view, v }: { view: View; v: ContractView }) {
  const { t, locale } = view;
  const k = v.contract;
  return (
    <Facts
      items={[
        [t('comm.contract.status'), <StatusTag t={t} status={k.status} />],
        [t('comm.contract.proposal'), `${v.proposalTitle} (${roundName(view, v)})`],
        [t('comm.contract.provider'), k.providerName],
        [t('comm.contract.value'), formatPence(locale, k.valuePence)],
        [t('comm.contract.paid'), formatPence(locale, v.paidPence)],
        [t('comm.contract.period'), `${formatDate(locale, k.startsOn)} – ${formatDate(locale, k.endsOn)}`],
        [t('comm.contract.indicators'), k.indicators.length ? k.indicators.map((i) => t(`comm.indicator.${i as (typeof INDICATORS)[number]}`)).join('; ') : '–'],
        ...(k.signedAt ? ([[t('comm.contract.signedOn'), formatDate(locale, k.signedAt)]] as const) : []),
        ...(k.status === 'terminated' ? ([[t('comm.contract.terminatedBecause'), `${k.closeReason}${k.signedAt ? ` ${t('comm.contract.terminatedUnpaid', { amount: formatPence(locale, k.valuePence - v.paidPence) })}` : ''}`]] as const) : []),
      ]}
    />
  );
}

function MilestoneTable({ view, v }: { view: View; v: ContractView }) {
  const { t, locale } = view;
  return (
    <>
      <h2 id="milestones">{t('comm.contract.milestones')}</h2>
      <TableWrap label={t('comm.contract.milestones')}>
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{t('comm.contract.milestone.title')}</th>
              <th scope="col">{t('comm.contract.milestone.due')}</th>
              <th scope="col">{t('comm.contract.milestone.amount')}</th>
              <th scope="col">{t('comm.contract.paid')}</th>
              <th scope="col">{t('comm.contract.milestone.evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {v.milestones.map((m) => (
              <tr>
                <th scope="row" data-label={t('comm.contract.milestone.title')}>
                  {m.title}
                </th>
                <td data-label={t('comm.contract.milestone.due')}>{formatDate(locale, m.dueOn)}</td>
                <td class="num" data-label={t('comm.contract.milestone.amount')}>{formatPence(locale, m.amountPence)}</td>
                <td class="num" data-label={t('comm.contract.paid')}>
                  {formatPence(locale, m.paidPence)}
                  {m.pendingPence ? ` ${t('comm.contract.pending', { amount: formatPence(locale, m.pendingPence) })}` : ''}
                </td>
                <td data-label={t('comm.contract.milestone.evidence')}>{m.evidence || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Public

async function publicListPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const tenant = tenantOf(c);
  const contracts = await contractViews(c.get('deps').database.db, tenant.id, { publicOnly: true });
  const total = contracts.reduce((a, v) => a + v.contract.valuePence, 0);
  const paid = contracts.reduce((a, v) => a + v.paidPence, 0);
  return c.html(
    <Layout view={view} title={t('comm.contract.public.title')}>
      <p>
        <a href="/budget">{t('comm.budget.title')}</a>
      </p>
      <h1>{t('comm.contract.public.title')}</h1>
      <p>{t('comm.contract.public.intro')}</p>
      {contracts.some((v) => v.contract.isDemo) ? <DemoNotice t={t} /> : null}
      {contracts.length === 0 ? (
        <p>{t('comm.contract.list.none')}</p>
      ) : (
        <>
          <p>{t('comm.contract.public.totals', { n: contracts.length, value: formatPence(locale, total), paid: formatPence(locale, paid) })}</p>
          {[...new Set(contracts.map((v) => v.contract.roundId))].map((roundId) => {
            const mine = contracts.filter((v) => v.contract.roundId === roundId);
            return (
              <section aria-labelledby={`round-${roundId}`}>
                <h2 id={`round-${roundId}`}>
                  <a href={`/budget/rounds/${roundId}`}>{roundName(view, mine[0]!)}</a>
                </h2>
                <ContractTable view={view} contracts={mine} href={(id) => `/budget/contracts/${id}`} />
              </section>
            );
          })}
        </>
      )}
    </Layout>,
  );
}

async function publicContractPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const tenant = tenantOf(c);
  const v = await contractView(c.get('deps').database.db, tenant.id, c.req.param('id') ?? '', { publicOnly: true });
  const approved = v.payments.filter((p) => p.status === 'approved');
  return c.html(
    <Layout view={view} title={`${t('comm.contract.title')}: ${v.contract.providerName}`}>
      <p>
        <a href="/budget/contracts">{t('comm.contract.public.title')}</a> · <a href={`/budget/rounds/${v.contract.roundId}`}>{roundName(view, v)}</a>
      </p>
      <h1>
        {`${t('comm.contract.title')}: ${v.contract.providerName}`}
        {v.contract.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <ContractFacts view={view} v={v} />
      <MilestoneTable view={view} v={v} />
      <h2 id="payments">{t('comm.contract.payments')}</h2>
      <p>{t('comm.contract.public.twoPeople')}</p>
      {approved.length === 0 ? (
        <p>{t('comm.contract.payments.nonePaid')}</p>
      ) : (
        <ul>
          {approved.map((p) => (
            <li>
              {t('comm.contract.public.payment', {
                amount: formatPence(locale, p.amountPence),
                milestone: v.milestones.find((m) => m.id === p.milestoneId)?.title ?? '',
                date: p.decidedAt ? formatDate(locale, p.decidedAt) : '',
                requester: t(`comm.contract.role.${p.requestedRole === 'admin' ? 'admin' : 'coordinator'}`),
                approver: t(`comm.contract.role.${p.decidedRole === 'board' || p.decidedRole === 'admin' ? p.decidedRole : 'coordinator'}`),
              })}
            </li>
          ))}
        </ul>
      )}
      {v.pendingPence ? <p>{t('comm.contract.public.pending', { amount: formatPence(locale, v.pendingPence) })}</p> : null}
    </Layout>,
  );
}

export function registerContractPages(app: RouteTarget): void {
  route(app, 'GET', '/budget/contracts', 'public', (c) => publicListPage(c));
  route(app, 'GET', '/budget/contracts/:id', 'public', (c) => publicContractPage(c));
  route(app, 'GET', '/coordinator/budget/contracts', 'commissioning.approve', (c) => listPage(c));
  route(app, 'GET', '/coordinator/budget/contracts/new', 'commissioning.manage', (c) => newPage(c, []));
  route(app, 'POST', '/coordinator/budget/contracts', 'commissioning.manage', async (c) => {
    const form = await formOf(c);
    let id: string;
    try {
      id = await createContract(c.get('deps').database.db, requireActor(c), form);
    } catch (err) {
      const r = refusal(err);
      if (r) return newPage(c, r.issues, form);
      throw err;
    }
    return c.redirect(`/coordinator/budget/contracts/${id}?done=saved`, 303);
  });
  route(app, 'GET', '/coordinator/budget/contracts/:id', 'commissioning.approve', (c) => contractPage(c, []));
  const post = (path: string, access: 'commissioning.manage' | 'commissioning.approve', done: string, run: (c: Context<AppEnv>, id: string, form: Form) => Promise<unknown>) =>
    route(app, 'POST', path, access, async (c) => {
      const id = c.req.param('id') ?? '';
      try {
        await run(c, id, await formOf(c));
      } catch (err) {
        const r = refusal(err);
        if (r) return contractPage(c, r.issues, r.status);
        throw err;
      }
      return c.redirect(`/coordinator/budget/contracts/${id}?done=${done}#payments`, 303);
    });
  const db = (c: Context<AppEnv>) => c.get('deps').database.db;
  post('/coordinator/budget/contracts/:id/sign', 'commissioning.manage', 'signed', (c, id) => signContract(db(c), requireActor(c), id));
  post('/coordinator/budget/contracts/:id/complete', 'commissioning.manage', 'completed', (c, id) => completeContract(db(c), requireActor(c), id));
  post('/coordinator/budget/contracts/:id/terminate', 'commissioning.manage', 'terminated', (c, id, f) => terminateContract(db(c), requireActor(c), id, f));
  post('/coordinator/budget/contracts/:id/payments', 'commissioning.manage', 'requested', (c, id, f) => requestPayment(db(c), requireActor(c), id, f));
  post('/coordinator/budget/contracts/:id/payments/:paymentId/approve', 'commissioning.approve', 'approved', (c, id, f) => approvePayment(db(c), requireActor(c), id, c.req.param('paymentId') ?? '', f));
  post('/coordinator/budget/contracts/:id/payments/:paymentId/decline', 'commissioning.approve', 'declined', (c, id) => declinePayment(db(c), requireActor(c), id, c.req.param('paymentId') ?? ''));
}
