import type { Context } from 'hono';
import { formatDate, isoDate } from '../../lib/dates.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import type { AppError } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { CsrfField, Field, TableWrap } from '../../ui/forms.tsx';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import type { MePanelContext } from '../manifest.ts';
import { activeMembersWithRoles, memberCards } from '../membership/views.ts';
import { areaOverview, wardsOf } from '../tenancy/views.ts';
import { addSeat, addTerm, appointOfficer, currentTerms, declareInterest, endInterest, endTermEarly, interestsOf, listSeats, listTerms, officersOn, rotationPlan, standingInterests } from './board.ts';
import { OFFICES, SEAT_KINDS } from './schema.ts';
import { governanceSettings } from './settings.ts';
import { attempt, formOf, issuesOf, nowOf, Problem, statusOf } from './settings-ui.tsx';

const officeKey = (o: string) => `gov.core.office.${o}` as MessageKey;
const seatKindKey = (k: string) => `gov.core.seatKind.${k}` as MessageKey;

async function boardPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const today = isoDate(nowOf(c));
  const seats = (await listSeats(db, tenantId)).filter((s) => s.active);
  const terms = await currentTerms(db, tenantId, today);
  const officers = await officersOn(db, tenantId, today);
  const serving = new Set(terms.map((x) => x.memberId).filter((x): x is string => !!x));
  const interests = (await standingInterests(db, tenantId, today)).filter((i) => serving.has(i.memberId));
  const settings = await governanceSettings(db, tenantId);
  return c.html(
    <Layout view={view} title={t('gov.core.board.title')}>
      <p><a href="/governance">{t('gov.core.back.overview')}</a></p>
      <h1>{t('gov.core.board.title')}</h1>
      <p>{t('gov.core.board.lead', { n: settings.rotationDenominator, years: settings.termYears })}</p>
      <h2>{t('gov.core.board.seats')}</h2>
      <TableWrap label={t('gov.core.board.seats')}>
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{t('gov.core.col.seat')}</th>
              <th scope="col">{t('gov.core.col.holder')}</th>
              <th scope="col">{t('gov.core.col.term')}</th>
            </tr>
          </thead>
          <tbody>
            {seats.map((s) => {
              const term = terms.find((x) => x.seatId === s.id);
              return (
                <tr>
                  <td data-label={t('gov.core.col.seat')}>{locale === 'pl' && s.labelPl ? s.labelPl : s.label} ({t(seatKindKey(s.kind))})</td>
                  <td data-label={t('gov.core.col.holder')}>{term ? <>{term.holderName}{term.isDemo ? <DemoTag t={t} /> : null}</> : t('gov.core.board.vacant')}</td>
                  <td data-label={t('gov.core.col.term')}>{term ? t('gov.core.board.termDates', { from: formatDate(locale, term.startsOn), to: formatDate(locale, term.endsOn) }) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <h2>{t('gov.core.board.officers')}</h2>
      {officers.length ? (
        <ul>
          {officers.map((o) => (
            <li>
              {t(officeKey(o.office))}: {o.holderName}
              {o.isDemo ? <DemoTag t={t} /> : null} ({t('gov.core.board.since', { date: formatDate(locale, o.startsOn) })})
            </li>
          ))}
        </ul>
      ) : <p>{t('gov.core.board.noOfficers')}</p>}
      <h2>{t('gov.core.board.interests')}</h2>
      <p>{t('gov.core.board.interestsLead')}</p>
      {terms.filter((x) => x.memberId).map((term) => {
        const mine = interests.filter((i) => i.memberId === term.memberId);
        return (
          <>
            <h3>{term.holderName}</h3>
            {mine.length ? <ul>{mine.map((i) => <li>{i.description} ({t('gov.core.board.since', { date: formatDate(locale, i.declaredOn) })}){i.isDemo ? <DemoTag t={t} /> : null}</li>)}</ul> : <p>{t('gov.core.board.noInterests')}</p>}
          </>
        );
      })}
    </Layout>,
  );
}

async function managePage(c: Context<AppEnv>, problem?: AppError) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const today = isoDate(nowOf(c));
  const seats = await listSeats(db, tenantId);
  const terms = (await listTerms(db, tenantId)).filter((x) => x.endsOn >= today && !x.endedEarlyOn);
  const settings = await governanceSettings(db, tenantId);
  const wardSet = settings.wardSeats ? (await areaOverview(db, c.get('tenant'))).currentSet : undefined;
  const wards = wardSet ? await wardsOf(db, c.get('tenant'), wardSet) : [];
  const people = (await memberCards(db, tenantId, (await activeMembersWithRoles(db, tenantId)).map((m) => m.id))).sort((a, b) => a.memberNumber - b.memberNumber);
  const plan = await rotationPlan(db, tenantId, today);
  const issues = issuesOf(problem);
  const seatName = (id: string) => seats.find((s) => s.id === id)?.label ?? '';
  const memberSelect = (name: string) => (
    <Field t={t} name={name} label={t('gov.core.col.member')} issues={issues}>
      {(a) => <select {...a} required><option value="">{t('gov.core.choose')}</option>{people.map((p) => <option value={p.id}>{p.name} (#{p.memberNumber})</option>)}</select>}
    </Field>
  );
  return c.html(
    <Layout view={view} title={t('gov.core.board.manage')}>
      <p><a href="/governance/board">{t('gov.core.back.board')}</a></p>
      <h1>{t('gov.core.board.manage')}</h1>
      <Problem t={t} problem={problem} />
      {c.req.query('done') ? <p class="success" role="status">{t('gov.core.saved')}</p> : null}
      <h2>{t('gov.core.board.rotation')}</h2>
      <p>{t('gov.core.board.rotationNow', { seats: plan.seats, vacant: plan.vacant, seed: plan.seed })}</p>
      {plan.retiring.length ? <ul>{plan.retiring.map((r) => <li>{r.holderName}: {t(`gov.core.retire.${r.reason}` as MessageKey)}</li>)}</ul> : null}
      <h2>{t('gov.core.board.currentTerms')}</h2>
      {terms.length ? (
        <ul>
          {terms.map((x) => (
            <li>
              {x.holderName}, {seatName(x.seatId)}: {t('gov.core.board.termDates', { from: formatDate(locale, x.startsOn), to: formatDate(locale, x.endsOn) })}
              <form method="post" action={`/governance/board/terms/${x.id}/end`} class="inline-form">
                <CsrfField token={view.csrfToken} />
                <label for={`end-${x.id}`}>{t('gov.core.board.endOn')}</label> <input id={`end-${x.id}`} type="date" name="on" required />{' '}
                <button class="button button-secondary" type="submit">{t('gov.core.board.endTerm')}</button>
              </form>
            </li>
          ))}
        </ul>
      ) : <p>{t('gov.core.board.noTerms')}</p>}
      <form method="post" action="/governance/board/terms">
        <h2>{t('gov.core.board.addTerm')}</h2>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="seatId" label={t('gov.core.col.seat')} issues={issues}>
          {(a) => <select {...a} required><option value="">{t('gov.core.choose')}</option>{seats.filter((s) => s.active).map((s) => <option value={s.id}>{s.label}</option>)}</select>}
        </Field>
        {memberSelect('memberId')}
        <Field t={t} name="startsOn" label={t('gov.core.board.startsOn')} issues={issues}>{(a) => <input {...a} type="date" required />}</Field>
        <Field t={t} name="endsOn" label={t('gov.core.board.endsOn')} issues={issues}>{(a) => <input {...a} type="date" required />}</Field>
        <Field t={t} name="source" label={t('gov.core.board.source')} issues={issues}>
          {(a) => <select {...a}>{(['election', 'co_option', 'appointment'] as const).map((s) => <option value={s}>{t(`gov.core.source.${s}`)}</option>)}</select>}
        </Field>
        <button class="button" type="submit">{t('gov.core.board.addTerm')}</button>
      </form>
      <form method="post" action="/governance/board/officers">
        <h2>{t('gov.core.board.appoint')}</h2>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="office" label={t('gov.core.board.office')} issues={issues}>
          {(a) => <select {...a}>{OFFICES.map((o) => <option value={o}>{t(officeKey(o))}</option>)}</select>}
        </Field>
        {memberSelect('officerId')}
        <Field t={t} name="startsOn" label={t('gov.core.board.startsOn')} issues={issues}>{(a) => <input {...a} type="date" required />}</Field>
        <button class="button" type="submit">{t('gov.core.board.appoint')}</button>
      </form>
      <form method="post" action="/governance/board/seats">
        <h2>{t('gov.core.board.addSeat')}</h2>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="kind" label={t('gov.core.board.seatKind')} issues={issues}>
          {(a) => <select {...a}>{SEAT_KINDS.filter((k) => k !== 'ward' || settings.wardSeats).map((k) => <option value={k}>{t(seatKindKey(k))}</option>)}</select>}
        </Field>
        <Field t={t} name="label" label={t('gov.core.board.seatLabel')} issues={issues}>{(a) => <input {...a} type="text" required />}</Field>
        <Field t={t} name="labelPl" label={t('gov.core.board.seatLabelPl')} issues={issues}>{(a) => <input {...a} type="text" lang="pl" />}</Field>
        {settings.wardSeats ? <Field t={t} name="wardId" label={t('gov.core.board.ward')} hint={t('gov.core.board.wardHint')} issues={issues}>{(a) => <select {...a}><option value="">{t('gov.core.choose')}</option>{wards.map((w) => <option value={w.id}>{w.name}</option>)}</select>}</Field> : null}
        <button class="button" type="submit">{t('gov.core.board.addSeat')}</button>
      </form>
    </Layout>,
    statusOf(problem),
  );
}

async function interestsPage(c: Context<AppEnv>, problem?: AppError) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const mine = await interestsOf(c.get('deps').database.db, actor.tenantId, actor.memberId);
  const issues = issuesOf(problem);
  const today = isoDate(nowOf(c));
  return c.html(
    <Layout view={view} title={t('gov.core.interests.title')}>
      <p><a href="/me">{t('gov.core.back.me')}</a></p>
      <h1>{t('gov.core.interests.title')}</h1>
      <p>{t('gov.core.interests.lead')}</p>
      <Problem t={t} problem={problem} />
      {mine.length ? (
        <ul>
          {mine.map((i) => (
            <li>
              {i.description} — {i.endedOn ? t('gov.core.interests.ended', { from: formatDate(locale, i.declaredOn), to: formatDate(locale, i.endedOn) }) : t('gov.core.board.since', { date: formatDate(locale, i.declaredOn) })}
              {i.isDemo ? <DemoTag t={t} /> : null}
              {!i.endedOn ? (
                <form method="post" action={`/me/interests/${i.id}/end`} class="inline-form">
                  <CsrfField token={view.csrfToken} />
                  <input type="hidden" name="endedOn" value={today} />
                  <button class="button button-secondary" type="submit">{t('gov.core.interests.end')}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p>{t('gov.core.interests.none')}</p>}
      <form method="post" action="/me/interests">
        <h2>{t('gov.core.interests.add')}</h2>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="description" label={t('gov.core.interests.description')} hint={t('gov.core.interests.hint')} issues={issues}>{(a) => <input {...a} type="text" required />}</Field>
        <Field t={t} name="declaredOn" label={t('gov.core.interests.since')} issues={issues}>{(a) => <input {...a} type="date" value={today} required />}</Field>
        <button class="button" type="submit">{t('gov.core.interests.add')}</button>
      </form>
    </Layout>,
    statusOf(problem),
  );
}

export function registerBoardPages(app: RouteTarget): void {
  route(app, 'GET', '/governance/board', 'public', boardPage);
  route(app, 'GET', '/governance/board/manage', 'governance.manage', (c) => managePage(c));
  route(app, 'POST', '/governance/board/seats', 'governance.manage', async (c) => {
    const res = await attempt(async () => addSeat(c.get('deps').database.db, requireActor(c), (await formOf(c)) as never));
    return 'problem' in res ? managePage(c, res.problem) : c.redirect('/governance/board/manage?done=1', 303);
  });
  route(app, 'POST', '/governance/board/terms', 'governance.manage', async (c) => {
    const res = await attempt(async () => addTerm(c.get('deps').database.db, requireActor(c), (await formOf(c)) as never));
    return 'problem' in res ? managePage(c, res.problem) : c.redirect('/governance/board/manage?done=1', 303);
  });
  route(app, 'POST', '/governance/board/terms/:id/end', 'governance.manage', async (c) => {
    const form = await formOf(c);
    const res = await attempt(() => endTermEarly(c.get('deps').database.db, requireActor(c), c.req.param('id') ?? '', form.on ?? ''));
    return 'problem' in res ? managePage(c, res.problem) : c.redirect('/governance/board/manage?done=1', 303);
  });
  route(app, 'POST', '/governance/board/officers', 'governance.manage', async (c) => {
    const form = await formOf(c);
    const res = await attempt(() => appointOfficer(c.get('deps').database.db, requireActor(c), { office: form.office as never, memberId: form.officerId ?? '', startsOn: form.startsOn ?? '' }));
    return 'problem' in res ? managePage(c, res.problem) : c.redirect('/governance/board/manage?done=1', 303);
  });
  route(app, 'GET', '/me/interests', 'signed-in', (c) => interestsPage(c));
  route(app, 'POST', '/me/interests', 'signed-in', async (c) => {
    const form = await formOf(c);
    const res = await attempt(() => declareInterest(c.get('deps').database.db, requireActor(c), { description: form.description ?? '', declaredOn: form.declaredOn ?? '' }));
    return 'problem' in res ? interestsPage(c, res.problem) : c.redirect('/me/interests', 303);
  });
  route(app, 'POST', '/me/interests/:id/end', 'signed-in', async (c) => {
    const form = await formOf(c);
    const res = await attempt(() => endInterest(c.get('deps').database.db, requireActor(c), c.req.param('id') ?? '', form.endedOn ?? ''));
    return 'problem' in res ? interestsPage(c, res.problem) : c.redirect('/me/interests', 303);
  });
}

/** The /me section for board members: their register of interests. */
export async function renderInterestsPanel(ctx: MePanelContext) {
  const { t, actor, db, now } = ctx;
  const serving = (await currentTerms(db, actor.tenantId, isoDate(now))).some((x) => x.memberId === actor.memberId);
  if (!serving && !actor.roles.has('board')) return null;
  const open = (await interestsOf(db, actor.tenantId, actor.memberId)).filter((i) => !i.endedOn).length;
  return (
    <section>
      <h2>{t('gov.core.interests.title')}</h2>
      <p>{t('gov.core.interests.panel', { n: open })}</p>
      <p><a href="/me/interests">{t('gov.core.interests.open')}</a></p>
    </section>
  );
}
