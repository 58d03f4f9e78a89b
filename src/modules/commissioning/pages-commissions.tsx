import type { Context } from 'hono';
import { formatDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { serviceCards } from '../resources/views.ts';
import {
  addDeliverable,
  changeCommissionStatus,
  commissionOfKey,
  createCommission,
  deliverablesOf,
  getCommission,
  incomeOf,
  listCommissions,
  markDelivered,
  movesFrom,
  receivedByCommission,
  recordCommissionIncome,
  updateCommission,
} from './commissions.ts';
import { fieldsOf } from '../../server/form-body.ts';
import { formatPence, poundsValue } from './format.ts';
import { getPot, ledgerOf, listPots, potBalance } from './ledger.ts';
import { COMMISSION_STATUSES, COMMISSIONER_KINDS, type CommissionRow, type CommissionStatus, type DeliverableRow } from './schema-commissions.ts';

type Form = Record<string, string>;

/** Field issues to show on the form, for refusals a person can act on; other errors propagate. */
function issuesOf(err: unknown): FieldIssue[] | undefined {
  if (!(err instanceof AppError)) return undefined;
  if (err.code === 'validation_failed') return err.fields;
  if ((err.code === 'conflict' || err.code === 'idempotency_conflict') && err.key) return err.fields.length ? err.fields : [{ field: 'amount', message: err.key }];
  return undefined;
}

const statusOf = (v: string | undefined): CommissionStatus | undefined => (COMMISSION_STATUSES as readonly string[]).includes(v ?? '') ? (v as CommissionStatus) : undefined;

function StatusTag({ view, status }: { view: View; status: CommissionStatus }) {
  return <span class="tag">{view.t(`comm.commission.status.${status}`)}</span>;
}

function DeliverableStatus({ view, d }: { view: View; d: DeliverableRow }) {
  const { t, locale } = view;
  return d.status === 'delivered' && d.deliveredOn ? (
    <>
      <span class="tag">{t('comm.commission.deliverable.delivered')}</span> {formatDate(locale, d.deliveredOn)}
    </>
  ) : (
    <span class="tag">{t('comm.commission.deliverable.pending')}</span>
  );
}

const dates = (view: View, r: CommissionRow) => `${formatDate(view.locale, r.startsOn)} – ${formatDate(view.locale, r.endsOn)}`;

// ---------------------------------------------------------------------------------------------
// Coordinators

async function listPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const status = statusOf(c.req.query('status'));
  const [rows, received] = await Promise.all([listCommissions(db, actor.tenantId, status ? { status } : {}), receivedByCommission(db, actor.tenantId)]);
  return c.html(
    <Layout view={view} title={t('comm.commission.list.title')}>
      <p>
        <a href="/coordinator/budget">{t('comm.coord.title')}</a>
      </p>
      <h1>{t('comm.commission.list.title')}</h1>
      <p>{t('comm.commission.list.intro')}</p>
      <p>
        <a class="button" href="/coordinator/budget/commissions/new">
          {t('comm.commission.new')}
        </a>
      </p>
      <form method="get" action="/coordinator/budget/commissions" class="inline-form">
        <div class="field">
          <label for="f-status">{t('comm.commission.filter')}</label>
          <select id="f-status" name="status">
            <option value="">{t('comm.commission.filterAll')}</option>
            {COMMISSION_STATUSES.map((s) => (
              <option value={s} selected={status === s}>
                {t(`comm.commission.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button class="button button-secondary" type="submit">
          {t('comm.commission.filterShow')}
        </button>
      </form>
      {rows.length === 0 ? (
        <p>{t('comm.commission.none')}</p>
      ) : (
        <TableWrap label={t('comm.commission.list.title')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('comm.commission.title')}</th>
                <th scope="col">{t('comm.commission.commissioner')}</th>
                <th scope="col">{t('comm.commission.price')}</th>
                <th scope="col">{t('comm.commission.received')}</th>
                <th scope="col">{t('comm.commission.dates')}</th>
                <th scope="col">{t('comm.commission.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row" data-label={t('comm.commission.title')}>
                    <a href={`/coordinator/budget/commissions/${r.id}`}>{r.title}</a>
                    {r.isDemo ? <DemoTag t={t} /> : null}
                  </th>
                  <td data-label={t('comm.commission.commissioner')}>{r.commissionerName}</td>
                  <td class="num" data-label={t('comm.commission.price')}>{formatPence(locale, r.pricePence)}</td>
                  <td class="num" data-label={t('comm.commission.received')}>{formatPence(locale, received.get(r.id) ?? 0)}</td>
                  <td data-label={t('comm.commission.dates')}>{dates(view, r)}</td>
                  <td data-label={t('comm.commission.status')}>
                    <StatusTag view={view} status={r.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>,
  );
}

/** The details form: a new commission, or an existing one's (`editing`) while enquiry or quoted. */
async function newPage(c: Context<AppEnv>, issues: FieldIssue[], form: Form = {}, editing?: CommissionRow) {
  const view = viewOf(c);
  const { t } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const [pots, services] = await Promise.all([listPots(db, actor.tenantId), serviceCards(db, actor.tenantId)]);
  const providers = [...new Map(services.map((s) => [s.providerId, s.providerName])).entries()];
  const v = (k: string) => form[k] ?? '';
  const heading = editing ? t('comm.commission.edit') : t('comm.commission.new');
  return c.html(
    <Layout view={view} title={heading}>
      <p>
        {editing ? <a href={`/coordinator/budget/commissions/${editing.id}`}>{editing.title}</a> : <a href="/coordinator/budget/commissions">{t('comm.commission.list.title')}</a>}
      </p>
      <h1>{heading}</h1>
      <p>{editing ? t('comm.commission.editIntro') : t('comm.commission.newIntro')}</p>
      <ErrorSummary t={t} issues={issues} />
      {pots.length === 0 ? (
        <p>{t('comm.commission.noPots')}</p>
      ) : (
        <form method="post" action={editing ? `/coordinator/budget/commissions/${editing.id}/edit` : '/coordinator/budget/commissions'} novalidate>
          <CsrfField token={view.csrfToken} />
          <fieldset>
            <legend>{t('comm.commission.who')}</legend>
            <Field t={t} name="commissionerKind" label={t('comm.commission.kind')} issues={issues}>
              {(a) => (
                <select {...a}>
                  {COMMISSIONER_KINDS.map((k) => (
                    <option value={k} selected={v('commissionerKind') === k}>
                      {t(`comm.commission.kind.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field t={t} name="commissionerName" label={t('comm.commission.commissioner')} hint={t('comm.commission.commissionerHint')} issues={issues}>
              {(a) => <input type="text" {...a} value={v('commissionerName')} maxlength={160} required />}
            </Field>
            {providers.length ? (
              <Field t={t} name="providerId" label={t('comm.commission.provider')} hint={t('comm.commission.providerHint')} issues={issues}>
                {(a) => (
                  <select {...a}>
                    <option value="">{t('comm.commission.noProvider')}</option>
                    {providers.map(([id, name]) => (
                      <option value={id} selected={v('providerId') === id}>
                        {name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            <Field t={t} name="contactName" label={t('comm.commission.contactName')} hint={t('comm.commission.contactHint')} issues={issues}>
              {(a) => <input type="text" {...a} value={v('contactName')} maxlength={120} autocomplete="off" />}
            </Field>
            <Field t={t} name="contactEmail" label={t('comm.commission.contactEmail')} issues={issues}>
              {(a) => <input type="email" {...a} value={v('contactEmail')} maxlength={254} autocomplete="off" />}
            </Field>
          </fieldset>
          <fieldset>
            <legend>{t('comm.commission.what')}</legend>
            <Field t={t} name="title" label={t('comm.commission.title')} issues={issues}>
              {(a) => <input type="text" {...a} value={v('title')} maxlength={120} required />}
            </Field>
            <Field t={t} name="brief" label={t('comm.commission.brief')} hint={t('comm.commission.briefHint')} issues={issues}>
              {(a) => (
                <textarea {...a} rows={5} maxlength={4000} required>
                  {v('brief')}
                </textarea>
              )}
            </Field>
            <Field t={t} name="price" label={t('comm.commission.priceField')} hint={t('comm.proposal.costHint')} issues={issues}>
              {(a) => <input type="text" {...a} value={v('price')} inputmode="decimal" class="short" required />}
            </Field>
            <Field t={t} name="startsOn" label={t('comm.commission.startsOn')} issues={issues}>
              {(a) => <input type="date" {...a} value={v('startsOn')} required />}
            </Field>
            <Field t={t} name="endsOn" label={t('comm.commission.endsOn')} issues={issues}>
              {(a) => <input type="date" {...a} value={v('endsOn')} required />}
            </Field>
            <Field t={t} name="potId" label={t('comm.commission.pot')} hint={t('comm.commission.potHint')} issues={issues}>
              {(a) => (
                <select {...a}>
                  {[...pots]
                    .sort((x, y) => Number(y.source === 'commission_income') - Number(x.source === 'commission_income'))
                    .map((p) => (
                      <option value={p.id} selected={v('potId') === p.id}>{`${p.name} (${p.financialYear}, ${t(`comm.source.${p.source}`)})`}</option>
                    ))}
                </select>
              )}
            </Field>
          </fieldset>
          <div class="actions">
            <button class="button" type="submit">
              {editing ? t('comm.commission.editSave') : t('comm.commission.create')}
            </button>
          </div>
        </form>
      )}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function commissionPage(c: Context<AppEnv>, issues: FieldIssue[], status: 200 | 400 | 409 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const r = await getCommission(db, actor.tenantId, c.req.param('id') ?? '');
  const [deliverables, income, pot, services] = await Promise.all([deliverablesOf(db, actor.tenantId, [r.id]), incomeOf(db, actor.tenantId, r.id), getPot(db, actor.tenantId, r.potId), r.providerId ? serviceCards(db, actor.tenantId) : Promise.resolve([])]);
  const received = income.reduce((s, e) => s + e.amountPence, 0);
  const provider = services.find((s) => s.providerId === r.providerId)?.providerName;
  const moves = movesFrom(r);
  const pending = deliverables.filter((d) => d.status === 'pending');
  const canAdd = ['enquiry', 'quoted', 'agreed', 'in_progress'].includes(r.status);
  const canDeliver = ['agreed', 'in_progress'].includes(r.status);
  const payable = ['agreed', 'in_progress', 'delivered'].includes(r.status) && received < r.pricePence;
  return c.html(
    <Layout view={view} title={r.title}>
      <p>
        <a href="/coordinator/budget/commissions">{t('comm.commission.list.title')}</a>
      </p>
      <h1>
        {r.title}
        {r.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <ErrorSummary t={t} issues={issues} />
      <p>{r.brief}</p>
      <Facts
        items={[
          [t('comm.commission.status'), <StatusTag view={view} status={r.status} />],
          [t('comm.commission.commissioner'), `${r.commissionerName} (${t(`comm.commission.kind.${r.commissionerKind}`)})`],
          ...(provider ? ([[t('comm.commission.provider'), provider]] as const) : []),
          [t('comm.commission.contact'), [r.contactName, r.contactEmail].filter(Boolean).join(', ') || '–'],
          [t('comm.commission.price'), formatPence(locale, r.pricePence)],
          [t('comm.commission.received'), t('comm.commission.receivedOf', { received: formatPence(locale, received), price: formatPence(locale, r.pricePence) })],
          [t('comm.commission.dates'), dates(view, r)],
          [t('comm.commission.pot'), pot ? <a href={`/coordinator/budget/pots/${pot.id}`}>{`${pot.name} (${pot.financialYear})`}</a> : '–'],
          ...(r.statusNote ? ([[t('comm.commission.statusNote'), r.statusNote]] as const) : []),
        ]}
      />
      {['enquiry', 'quoted'].includes(r.status) ? (
        <p>
          <a href={`/coordinator/budget/commissions/${r.id}/edit`}>{t('comm.commission.edit')}</a>
        </p>
      ) : null}
      <h2 id="status">{t('comm.commission.changeStatus')}</h2>
      {moves.length === 0 ? (
        <p>{t('comm.commission.noMoves')}</p>
      ) : (
        <form method="post" action={`/coordinator/budget/commissions/${r.id}/status`} novalidate aria-labelledby="status" class="card">
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="to" label={t('comm.commission.moveTo')} hint={r.status === 'in_progress' ? t('comm.commission.deliveredHint') : undefined} issues={issues}>
            {(a) => (
              <select {...a}>
                {moves.map((m) => (
                  <option value={m}>{t(`comm.commission.status.${m}`)}</option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="statusNote" label={t('comm.commission.statusNoteField')} issues={issues}>
            {(a) => <input type="text" {...a} maxlength={500} />}
          </Field>
          <button class="button" type="submit">
            {t('comm.commission.saveStatus')}
          </button>
        </form>
      )}
      <h2 id="deliverables">{t('comm.commission.deliverables')}</h2>
      {deliverables.length === 0 ? (
        <p>{t('comm.commission.noDeliverables')}</p>
      ) : (
        <TableWrap label={t('comm.commission.deliverables')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('comm.commission.deliverable.title')}</th>
                <th scope="col">{t('comm.commission.deliverable.due')}</th>
                <th scope="col">{t('comm.commission.status')}</th>
                <th scope="col">{t('comm.commission.deliverable.what')}</th>
              </tr>
            </thead>
            <tbody>
              {deliverables.map((d) => (
                <tr>
                  <th scope="row" data-label={t('comm.commission.deliverable.title')}>
                    {d.title}
                  </th>
                  <td data-label={t('comm.commission.deliverable.due')}>{formatDate(locale, d.dueOn)}</td>
                  <td data-label={t('comm.commission.status')}>
                    <DeliverableStatus view={view} d={d} />
                  </td>
                  <td data-label={t('comm.commission.deliverable.what')}>
                    {d.note}
                    {d.link ? (
                      <>
                        {d.note ? ' ' : ''}
                        <a href={d.link} rel="noopener noreferrer">
                          {t('comm.commission.deliverable.open')}
                        </a>
                      </>
                    ) : null}
                    {!d.note && !d.link ? '–' : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canDeliver && pending.length ? (
        <form method="post" action={`/coordinator/budget/commissions/${r.id}/delivered`} novalidate class="card" aria-labelledby="mark-delivered">
          <CsrfField token={view.csrfToken} />
          <h3 id="mark-delivered">{t('comm.commission.markDelivered')}</h3>
          <Field t={t} name="deliverableId" label={t('comm.commission.deliverable.which')} issues={issues}>
            {(a) => (
              <select {...a}>
                {pending.map((d) => (
                  <option value={d.id}>{d.title}</option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="deliveredNote" label={t('comm.commission.deliverable.note')} issues={issues}>
            {(a) => <input type="text" {...a} maxlength={300} />}
          </Field>
          <Field t={t} name="link" label={t('comm.commission.deliverable.link')} hint={t('comm.commission.deliverable.linkHint')} issues={issues}>
            {(a) => <input type="text" {...a} maxlength={500} inputmode="url" />}
          </Field>
          <Field t={t} name="deliveredOn" label={t('comm.commission.deliverable.on')} hint={t('comm.commission.deliverable.onHint')} issues={issues}>
            {(a) => <input type="date" {...a} />}
          </Field>
          <button class="button" type="submit">
            {t('comm.commission.markDeliveredSave')}
          </button>
        </form>
      ) : null}
      {canAdd ? (
        <form method="post" action={`/coordinator/budget/commissions/${r.id}/deliverables`} novalidate class="card" aria-labelledby="add-deliverable">
          <CsrfField token={view.csrfToken} />
          <h3 id="add-deliverable">{t('comm.commission.addDeliverable')}</h3>
          <Field t={t} name="deliverableTitle" label={t('comm.commission.deliverable.title')} issues={issues}>
            {(a) => <input type="text" {...a} maxlength={160} required />}
          </Field>
          <Field t={t} name="dueOn" label={t('comm.commission.deliverable.due')} issues={issues}>
            {(a) => <input type="date" {...a} required />}
          </Field>
          <button class="button button-secondary" type="submit">
            {t('comm.commission.addDeliverableSave')}
          </button>
        </form>
      ) : null}
      <h2 id="income">{t('comm.commission.income')}</h2>
      {income.length === 0 ? (
        <p>{t('comm.commission.noIncome')}</p>
      ) : (
        <TableWrap label={t('comm.commission.income')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('comm.commission.income.on')}</th>
                <th scope="col">{t('comm.commission.income.amount')}</th>
                <th scope="col">{t('comm.commission.income.note')}</th>
              </tr>
            </thead>
            <tbody>
              {income.map((e) => (
                <tr>
                  <td data-label={t('comm.commission.income.on')}>{formatDate(locale, e.createdAt)}</td>
                  <td class="num" data-label={t('comm.commission.income.amount')}>{formatPence(locale, e.amountPence)}</td>
                  <td data-label={t('comm.commission.income.note')}>{e.note || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {payable ? (
        <form method="post" action={`/coordinator/budget/commissions/${r.id}/income`} novalidate class="card" aria-labelledby="record-income">
          <CsrfField token={view.csrfToken} />
          <h3 id="record-income">{t('comm.commission.recordIncome')}</h3>
          <p class="hint">{t('comm.commission.incomeHint', { left: formatPence(locale, r.pricePence - received) })}</p>
          <input type="hidden" name="idempotencyKey" value={newId()} />
          <Field t={t} name="amount" label={t('comm.income.amount')} hint={t('comm.proposal.costHint')} issues={issues}>
            {(a) => <input type="text" {...a} inputmode="decimal" class="short" required />}
          </Field>
          <Field t={t} name="incomeNote" label={t('comm.income.note')} issues={issues}>
            {(a) => <input type="text" {...a} maxlength={200} />}
          </Field>
          <button class="button" type="submit">
            {t('comm.commission.recordIncomeSave')}
          </button>
        </form>
      ) : null}
    </Layout>,
    status === 200 && issues.length ? 400 : status,
  );
}

/** A pot's ledger for coordinators: every entry, income from commissions linked to its commission. */
async function potPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const pot = await getPot(db, actor.tenantId, c.req.param('id') ?? '');
  if (!pot) throw new AppError('not_found', 'That budget pot was not found.', [], 'comm.error.potNotFound');
  const [balance, entries, commissions] = await Promise.all([potBalance(db, actor.tenantId, pot.id), ledgerOf(db, actor.tenantId, pot.id), listCommissions(db, actor.tenantId)]);
  const titles = new Map(commissions.map((x) => [x.id, x.title]));
  const name = locale === 'pl' && pot.namePl ? pot.namePl : pot.name;
  return c.html(
    <Layout view={view} title={name}>
      <p>
        <a href="/coordinator/budget">{t('comm.coord.title')}</a>
      </p>
      <h1>
        {name}
        {pot.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <Facts
        items={[
          [t('comm.pot.year'), pot.financialYear],
          [t('comm.pot.source'), t(`comm.source.${pot.source}`)],
          [t('comm.pot.funds'), formatPence(locale, balance.funds)],
          [t('comm.pot.allocated'), formatPence(locale, balance.allocated)],
          [t('comm.pot.committed'), formatPence(locale, balance.committed)],
          [t('comm.pot.spent'), formatPence(locale, balance.spent)],
          [t('comm.pot.left'), formatPence(locale, balance.left)],
        ]}
      />
      <h2 id="ledger">{t('comm.commission.pot.ledger')}</h2>
      {entries.length === 0 ? (
        <p>{t('comm.commission.pot.empty')}</p>
      ) : (
        <TableWrap label={t('comm.commission.pot.ledger')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('comm.commission.income.on')}</th>
                <th scope="col">{t('comm.commission.pot.kind')}</th>
                <th scope="col">{t('comm.commission.income.amount')}</th>
                <th scope="col">{t('comm.commission.income.note')}</th>
                <th scope="col">{t('comm.commission.pot.from')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const commissionId = e.kind === 'income' ? commissionOfKey(e.idempotencyKey) : undefined;
                return (
                  <tr>
                    <td data-label={t('comm.commission.income.on')}>{formatDate(locale, e.createdAt)}</td>
                    <td data-label={t('comm.commission.pot.kind')}>
                      {t(`comm.commission.pot.kind.${e.kind}`)}
                      {e.isDemo ? <DemoTag t={t} /> : null}
                    </td>
                    <td class="num" data-label={t('comm.commission.income.amount')}>{formatPence(locale, e.amountPence)}</td>
                    <td data-label={t('comm.commission.income.note')}>{e.note || '–'}</td>
                    <td data-label={t('comm.commission.pot.from')}>{commissionId ? <a href={`/coordinator/budget/commissions/${commissionId}`}>{titles.get(commissionId) ?? t('comm.commission.pot.aCommission')}</a> : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>,
  );
}

// ---------------------------------------------------------------------------------------------
// The public page: agreed commissions and later (never the contact)

async function publicPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const tenant = c.get('tenant');
  if (!tenant) throw new AppError('not_found', 'Not found.');
  const db = c.get('deps').database.db;
  const rows = await listCommissions(db, tenant.id, { publicOnly: true });
  const deliverables = await deliverablesOf(
    db,
    tenant.id,
    rows.map((r) => r.id),
  );
  return c.html(
    <Layout view={view} title={t('comm.commission.public.title')}>
      <p>
        <a href="/budget">{t('comm.budget.title')}</a>
      </p>
      <h1>{t('comm.commission.public.title')}</h1>
      <p>{t('comm.commission.public.intro')}</p>
      {rows.some((r) => r.isDemo) ? <DemoNotice t={t} /> : null}
      {rows.length === 0 ? (
        <p>{t('comm.commission.public.none')}</p>
      ) : (
        rows.map((r) => {
          const mine = deliverables.filter((d) => d.commissionId === r.id);
          return (
            <section class="card" aria-labelledby={`c-${r.id}`}>
              <h2 id={`c-${r.id}`}>
                {r.title}
                {r.isDemo ? <DemoTag t={t} /> : null}
              </h2>
              <Facts
                items={[
                  [t('comm.commission.commissioner'), `${r.commissionerName} (${t(`comm.commission.kind.${r.commissionerKind}`)})`],
                  [t('comm.commission.price'), formatPence(locale, r.pricePence)],
                  [t('comm.commission.dates'), dates(view, r)],
                  [t('comm.commission.status'), <StatusTag view={view} status={r.status} />],
                ]}
              />
              <p>{r.brief}</p>
              {mine.length ? (
                <>
                  <h3>{t('comm.commission.deliverables')}</h3>
                  <ul>
                    {mine.map((d) => (
                      <li>
                        {d.title} ({t('comm.commission.deliverable.dueOn', { date: formatDate(locale, d.dueOn) })}): <DeliverableStatus view={view} d={d} />
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          );
        })
      )}
    </Layout>,
  );
}

export function registerCommissionPages(app: RouteTarget): void {
  route(app, 'GET', '/budget/commissions', 'public', (c) => publicPage(c));
  route(app, 'GET', '/coordinator/budget/commissions', 'commissioning.manage', (c) => listPage(c));
  route(app, 'GET', '/coordinator/budget/commissions/new', 'commissioning.manage', (c) => newPage(c, []));
  route(app, 'POST', '/coordinator/budget/commissions', 'commissioning.manage', async (c) => {
    const form = await fieldsOf(c);
    let id: string;
    try {
      id = await createCommission(c.get('deps').database.db, requireActor(c), form);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return newPage(c, issues, form);
      throw err;
    }
    return c.redirect(`/coordinator/budget/commissions/${id}`, 303);
  });
  route(app, 'GET', '/coordinator/budget/commissions/:id', 'commissioning.manage', (c) => commissionPage(c, []));
  const detailsOf = (r: CommissionRow): Form => ({ ...r, providerId: r.providerId ?? '', price: poundsValue(r.pricePence) }) as unknown as Form;
  route(app, 'GET', '/coordinator/budget/commissions/:id/edit', 'commissioning.manage', async (c) => {
    const r = await getCommission(c.get('deps').database.db, requireActor(c).tenantId, c.req.param('id') ?? '');
    return newPage(c, [], detailsOf(r), r);
  });
  route(app, 'POST', '/coordinator/budget/commissions/:id/edit', 'commissioning.manage', async (c) => {
    const db = c.get('deps').database.db;
    const actor = requireActor(c);
    const r = await getCommission(db, actor.tenantId, c.req.param('id') ?? '');
    const form = await fieldsOf(c);
    try {
      await updateCommission(db, actor, r.id, form);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return newPage(c, issues, form, r);
      throw err;
    }
    return c.redirect(`/coordinator/budget/commissions/${r.id}`, 303);
  });
  const post = (path: string, run: (c: Context<AppEnv>, id: string, form: Form) => Promise<unknown>, anchor: string) =>
    route(app, 'POST', path, 'commissioning.manage', async (c) => {
      const id = c.req.param('id') ?? '';
      try {
        await run(c, id, await fieldsOf(c));
      } catch (err) {
        const issues = issuesOf(err);
        if (issues) return commissionPage(c, issues, err instanceof AppError && err.status === 409 ? 409 : 400);
        throw err;
      }
      return c.redirect(`/coordinator/budget/commissions/${id}#${anchor}`, 303);
    });
  post('/coordinator/budget/commissions/:id/status', (c, id, f) => changeCommissionStatus(c.get('deps').database.db, requireActor(c), id, f, new Date(c.get('deps').clock?.() ?? Date.now())), 'status');
  post('/coordinator/budget/commissions/:id/deliverables', (c, id, f) => addDeliverable(c.get('deps').database.db, requireActor(c), id, f), 'deliverables');
  post('/coordinator/budget/commissions/:id/delivered', (c, id, f) => markDelivered(c.get('deps').database.db, requireActor(c), id, f), 'deliverables');
  post('/coordinator/budget/commissions/:id/income', (c, id, f) => recordCommissionIncome(c.get('deps').database.db, requireActor(c), id, f), 'income');
  route(app, 'GET', '/coordinator/budget/pots/:id', 'commissioning.manage', (c) => potPage(c));
}
