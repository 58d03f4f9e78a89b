import type { Context } from 'hono';
import { formatDateTime, instantToLondon, isoDate } from '../../lib/dates.ts';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, Field, TableWrap } from '../../ui/forms.tsx';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { memberCards } from '../membership/views.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { buildCalendar } from '../training/ics.ts';
import { agmPackPdf } from './agm-pack.ts';
import {
  addAgendaItem,
  addPaper,
  agendaOf,
  attendanceOf,
  callMeeting,
  canKeepAttendance,
  cancelMeeting,
  createMeeting,
  editAgendaItem,
  entitledIds,
  findMeeting,
  listMeetings,
  markHeld,
  moveAgendaItem,
  papersOf,
  quorumOf,
  recordAttendance,
  updateMeeting,
} from './meetings.ts';
import { approveMinutes, minutesOf, publishMinutes, saveMinutesDraft } from './minutes.ts';
import { ATTENDANCE_MODES, MEETING_KINDS, govMotions, type GovMeeting } from './schema.ts';
import { maySee } from './motions.ts';
import { and, eq } from 'drizzle-orm';
import { governanceSettings } from './settings.ts';
import { attempt, formOf, issuesOf, nowOf, Problem, statusOf } from './settings-ui.tsx';

const canRead = (c: Context<AppEnv>) => !!c.get('actor') && allows('governance.read', c.get('actor')!.roles);
const canManage = (c: Context<AppEnv>) => !!c.get('actor') && allows('governance.manage', c.get('actor')!.roles);
const kindKey = (k: string) => `gov.core.meetingKind.${k}` as MessageKey;
const statusKey = (k: string) => `gov.core.meetingStatus.${k}` as MessageKey;
const modeKey = (k: string) => `gov.core.mode.${k}` as MessageKey;
const titleOf = (m: GovMeeting, locale: string) => (locale === 'pl' && m.titlePl ? m.titlePl : m.title);

async function listPage(c: Context<AppEnv>, problem?: AppError, values?: Record<string, string>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const meetings = await listMeetings(c.get('deps').database.db, c.get('tenant').id, { drafts: canRead(c) });
  const issues = issuesOf(problem);
  return c.html(
    <Layout view={view} title={t('gov.core.meetings.title')}>
      <p><a href="/governance">{t('gov.core.back.overview')}</a></p>
      <h1>{t('gov.core.meetings.title')}</h1>
      <p><a href="/governance/meetings.ics">{t('gov.core.meetings.ics')}</a></p>
      <Problem t={t} problem={problem} />
      {meetings.length === 0 ? <p>{t('gov.core.meetings.none')}</p> : (
        <TableWrap label={t('gov.core.meetings.title')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('gov.core.col.meeting')}</th>
                <th scope="col">{t('gov.core.col.kind')}</th>
                <th scope="col">{t('gov.core.col.when')}</th>
                <th scope="col">{t('gov.core.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {meetings.map((m) => (
                <tr>
                  <td data-label={t('gov.core.col.meeting')}><a href={`/governance/meetings/${m.id}`}>{titleOf(m, locale)}</a>{m.isDemo ? <DemoTag t={t} /> : null}</td>
                  <td data-label={t('gov.core.col.kind')}>{t(kindKey(m.kind))}</td>
                  <td data-label={t('gov.core.col.when')}>{formatDateTime(locale, m.startsAt)}</td>
                  <td data-label={t('gov.core.col.status')}>{t(statusKey(m.status))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canManage(c) ? (
        <form method="post" action="/governance/meetings">
          <h2>{t('gov.core.meetings.new')}</h2>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="kind" label={t('gov.core.col.kind')} issues={issues}>
            {(a) => <select {...a}>{MEETING_KINDS.map((k) => <option value={k} selected={values?.kind === k}>{t(kindKey(k))}</option>)}</select>}
          </Field>
          <Field t={t} name="title" label={t('gov.core.meetings.titleEn')} issues={issues}>{(a) => <input {...a} type="text" value={values?.title ?? ''} required />}</Field>
          <Field t={t} name="titlePl" label={t('gov.core.meetings.titlePl')} issues={issues}>{(a) => <input {...a} type="text" lang="pl" value={values?.titlePl ?? ''} />}</Field>
          <Field t={t} name="startsAt" label={t('gov.core.meetings.startsAt')} hint={t('gov.core.meetings.timeHint')} issues={issues}>{(a) => <input {...a} type="datetime-local" value={values?.startsAt ?? ''} required />}</Field>
          <Field t={t} name="endsAt" label={t('gov.core.meetings.endsAt')} issues={issues}>{(a) => <input {...a} type="datetime-local" value={values?.endsAt ?? ''} required />}</Field>
          <Field t={t} name="location" label={t('gov.core.meetings.location')} issues={issues}>{(a) => <input {...a} type="text" value={values?.location ?? ''} />}</Field>
          <Field t={t} name="onlineUrl" label={t('gov.core.meetings.onlineUrl')} hint={t('gov.core.meetings.onlineHint')} issues={issues}>{(a) => <input {...a} type="url" value={values?.onlineUrl ?? ''} />}</Field>
          <button class="button" type="submit">{t('gov.core.meetings.create')}</button>
        </form>
      ) : null}
    </Layout>,
    statusOf(problem),
  );
}

async function meetingOf(c: Context<AppEnv>): Promise<GovMeeting> {
  const m = await findMeeting(c.get('deps').database.db, c.get('tenant').id, c.req.param('id') ?? '');
  if (!m || (m.status === 'draft' && !canRead(c))) throw new AppError('not_found', 'That meeting was not found.', [], 'gov.core.error.meetingNotFound');
  return m;
}

async function meetingPage(c: Context<AppEnv>, m: GovMeeting, problem?: AppError) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const actor = c.get('actor');
  const now = nowOf(c);
  const manage = canManage(c);
  const read = canRead(c);
  const keeper = await canKeepAttendance(db, actor, m);
  const agenda = await agendaOf(db, m.tenantId, m.id);
  // Motions tabled on an agenda item (e.g. one referred by a module), linked from the item for those who may see them.
  const motionOfItem = new Map((await db.select().from(govMotions).where(and(eq(govMotions.tenantId, m.tenantId), eq(govMotions.meetingId, m.id)))).filter((x) => x.itemId && maySee(x, actor)).map((x) => [x.itemId!, x.id]));
  const papers = m.kind === 'board' && !read ? [] : await papersOf(db, m.tenantId, m.id);
  const minutes = await minutesOf(db, m.tenantId, m.id);
  const issues = issuesOf(problem);
  const settings = await governanceSettings(db, m.tenantId);
  const entitled = keeper || read ? await entitledIds(db, m.tenantId, m) : [];
  const isEntitled = !!actor && (entitled.includes(actor.memberId) || (m.kind !== 'board' && !!actor));
  const showQuorum = (keeper || read) && (m.status === 'called' || m.status === 'held');
  const quorum = showQuorum ? await quorumOf(db, m) : null;
  const attendance = keeper || read ? await attendanceOf(db, m.tenantId, m.id) : [];
  const cards = keeper ? (await memberCards(db, m.tenantId, entitled.slice(0, 2000))).sort((a, b) => a.name.localeCompare(b.name)) : [];
  const nameOf = new Map((await memberCards(db, m.tenantId, attendance.flatMap((a) => [a.memberId, a.proxyHolderId ?? a.memberId]))).map((x) => [x.id, x.name]));
  const later = manage && minutes?.status === 'draft' ? (await listMeetings(db, m.tenantId, {})).filter((x) => x.startsAt > m.startsAt && x.id !== m.id && x.startsAt <= now && (x.status === 'called' || x.status === 'held')) : [];
  return c.html(
    <Layout view={view} title={titleOf(m, locale)}>
      <p><a href="/governance/meetings">{t('gov.core.back.meetings')}</a></p>
      <h1>{titleOf(m, locale)}{m.isDemo ? <DemoTag t={t} /> : null}</h1>
      <Problem t={t} problem={problem} />
      {c.req.query('done') ? <p class="success" role="status">{t(`gov.core.done.${c.req.query('done')}` as MessageKey)}</p> : null}
      <Facts
        items={[
          [t('gov.core.col.kind'), t(kindKey(m.kind))],
          [t('gov.core.col.status'), t(statusKey(m.status))],
          [t('gov.core.col.when'), formatDateTime(locale, m.startsAt)],
          [t('gov.core.meetings.endsAt'), formatDateTime(locale, m.endsAt)],
          [t('gov.core.meetings.location'), m.location || '—'],
          ...(m.onlineUrl && isEntitled ? ([[t('gov.core.meetings.onlineUrl'), <a href={m.onlineUrl}>{m.onlineUrl}</a>]] as const) : []),
          ...(m.calledAt ? ([[t('gov.core.meetings.calledAt'), formatDateTime(locale, m.calledAt)]] as const) : []),
        ]}
      />
      {quorum ? (
        <p class={quorum.quorate ? 'success' : 'notice'} role="status" aria-live="polite" id="quorum">
          {quorum.quorate ? t('gov.core.quorum.quorate', { present: quorum.present, required: quorum.required }) : t('gov.core.quorum.inquorate', { present: quorum.present, required: quorum.required })}
          {' '}{t('gov.core.quorum.entitled', { n: quorum.entitled })}
        </p>
      ) : null}
      {m.kind !== 'board' && m.status !== 'draft' ? <p><a href={`/governance/meetings/${m.id}/pack.pdf`}>{t('gov.core.pack.link')}</a></p> : null}
      <h2>{t('gov.core.agenda.title')}</h2>
      {agenda.length ? (
        <ol>
          {agenda.map((a, i) => (
            <li>
              <strong>{locale === 'pl' && a.titlePl ? a.titlePl : a.title}</strong>
              {a.body ? <p>{a.body}</p> : null}
              {motionOfItem.has(a.id) ? <p><a href={`/governance/motions/${motionOfItem.get(a.id)}`}>{t('gov.motions.agendaLink')}</a></p> : null}
              {manage && (m.status === 'draft' || m.status === 'called') ? (
                <div class="inline-actions">
                  {i > 0 ? <form method="post" action={`/governance/meetings/${m.id}/agenda/${a.id}/move`} class="inline-form"><CsrfField token={view.csrfToken} /><input type="hidden" name="direction" value="up" /><button class="button button-secondary" type="submit">{t('gov.core.agenda.up')}<span>: {a.title}</span></button></form> : null}
                  {i < agenda.length - 1 ? <form method="post" action={`/governance/meetings/${m.id}/agenda/${a.id}/move`} class="inline-form"><CsrfField token={view.csrfToken} /><input type="hidden" name="direction" value="down" /><button class="button button-secondary" type="submit">{t('gov.core.agenda.down')}<span>: {a.title}</span></button></form> : null}
                  <details>
                    <summary>{t('gov.core.agenda.edit')}</summary>
                    <form method="post" action={`/governance/meetings/${m.id}/agenda/${a.id}`}>
                      <CsrfField token={view.csrfToken} />
                      <div class="field"><label for={`ai-${a.id}`}>{t('gov.core.agenda.itemTitle')}</label><input id={`ai-${a.id}`} type="text" name="title" value={a.title} required /></div>
                      <div class="field"><label for={`aip-${a.id}`}>{t('gov.core.agenda.itemTitlePl')}</label><input id={`aip-${a.id}`} type="text" name="titlePl" lang="pl" value={a.titlePl ?? ''} /></div>
                      <div class="field"><label for={`aib-${a.id}`}>{t('gov.core.agenda.itemBody')}</label><textarea id={`aib-${a.id}`} name="body" rows={3}>{a.body}</textarea></div>
                      <button class="button" type="submit">{t('gov.core.save')}</button>
                    </form>
                  </details>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : <p>{t('gov.core.meeting.noAgenda')}</p>}
      {manage && (m.status === 'draft' || m.status === 'called') ? (
        <form method="post" action={`/governance/meetings/${m.id}/agenda`}>
          <h3>{t('gov.core.agenda.add')}</h3>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="title" label={t('gov.core.agenda.itemTitle')} issues={issues}>{(a) => <input {...a} type="text" required />}</Field>
          <Field t={t} name="titlePl" label={t('gov.core.agenda.itemTitlePl')} issues={issues}>{(a) => <input {...a} type="text" lang="pl" />}</Field>
          <Field t={t} name="body" label={t('gov.core.agenda.itemBody')} issues={issues}>{(a) => <textarea {...a} rows={3} />}</Field>
          <button class="button" type="submit">{t('gov.core.agenda.add')}</button>
        </form>
      ) : null}
      <h2>{t('gov.core.papers.title')}</h2>
      {papers.length ? (
        <ul>
          {papers.map((p) => (
            <li>
              <strong>{p.title}</strong> ({t(`gov.core.paperKind.${p.kind}` as MessageKey)})
              {p.url ? <> — <a href={p.url}>{t('gov.core.papers.open')}</a></> : null}
              {p.body ? <details><summary>{t('gov.core.papers.read')}</summary><p>{p.body}</p></details> : null}
            </li>
          ))}
        </ul>
      ) : <p>{t('gov.core.papers.none')}</p>}
      {manage && m.status !== 'cancelled' ? (
        <form method="post" action={`/governance/meetings/${m.id}/papers`}>
          <h3>{t('gov.core.papers.add')}</h3>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="kind" label={t('gov.core.col.kind')} issues={issues}>
            {(a) => <select {...a}>{(['board_report', 'accounts_summary', 'other'] as const).map((k) => <option value={k}>{t(`gov.core.paperKind.${k}`)}</option>)}</select>}
          </Field>
          <Field t={t} name="title" label={t('gov.core.papers.paperTitle')} issues={issues}>{(a) => <input {...a} type="text" required />}</Field>
          <Field t={t} name="body" label={t('gov.core.papers.body')} issues={issues}>{(a) => <textarea {...a} rows={5} />}</Field>
          <Field t={t} name="url" label={t('gov.core.papers.url')} issues={issues}>{(a) => <input {...a} type="text" />}</Field>
          <button class="button" type="submit">{t('gov.core.papers.add')}</button>
        </form>
      ) : null}
      {manage && m.status === 'draft' ? (
        <form method="post" action={`/governance/meetings/${m.id}/call`}>
          <h2>{t('gov.core.call.title')}</h2>
          <p>{t('gov.core.call.lead', { days: m.kind === 'board' ? settings.boardNoticeDays : m.kind === 'agm' ? settings.agmNoticeDays : settings.generalNoticeDays })}</p>
          <CsrfField token={view.csrfToken} />
          <button class="button" type="submit">{t('gov.core.call.submit')}</button>
        </form>
      ) : null}
      {manage && m.status === 'draft' ? (
        <form method="post" action={`/governance/meetings/${m.id}/edit`}>
          <h2>{t('gov.core.meetings.reschedule')}</h2>
          <CsrfField token={view.csrfToken} />
          <input type="hidden" name="kind" value={m.kind} />
          <input type="hidden" name="title" value={m.title} />
          <input type="hidden" name="titlePl" value={m.titlePl ?? ''} />
          <input type="hidden" name="location" value={m.location} />
          <input type="hidden" name="onlineUrl" value={m.onlineUrl ?? ''} />
          <Field t={t} name="startsAt" label={t('gov.core.meetings.startsAt')} hint={t('gov.core.meetings.timeHint')} issues={issues}>{(a) => <input {...a} type="datetime-local" value={instantToLondon(m.startsAt)} required />}</Field>
          <Field t={t} name="endsAt" label={t('gov.core.meetings.endsAt')} issues={issues}>{(a) => <input {...a} type="datetime-local" value={instantToLondon(m.endsAt)} required />}</Field>
          <button class="button button-secondary" type="submit">{t('gov.core.save')}</button>
        </form>
      ) : null}
      {keeper && (m.status === 'called' || m.status === 'held') ? (
        <>
          <h2>{t('gov.core.attendance.title')}</h2>
          {attendance.length ? (
            <TableWrap label={t('gov.core.attendance.title')}>
              <table class="stack">
                <thead><tr><th scope="col">{t('gov.core.col.member')}</th><th scope="col">{t('gov.core.col.mode')}</th></tr></thead>
                <tbody>
                  {attendance.map((a) => (
                    <tr>
                      <td data-label={t('gov.core.col.member')}>{nameOf.get(a.memberId) ?? '—'}</td>
                      <td data-label={t('gov.core.col.mode')}>{t(modeKey(a.mode))}{a.proxyHolderId ? ` (${t('gov.core.attendance.heldBy', { name: nameOf.get(a.proxyHolderId) ?? '—' })})` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : <p>{t('gov.core.attendance.none')}</p>}
          <form method="post" action={`/governance/meetings/${m.id}/attendance`} id="attendance-form">
            <h3>{t('gov.core.attendance.record')}</h3>
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="memberId" label={t('gov.core.col.member')} issues={issues}>
              {(a) => <select {...a} required><option value="">{t('gov.core.choose')}</option>{cards.map((p) => <option value={p.id}>{p.name} (#{p.memberNumber})</option>)}</select>}
            </Field>
            <fieldset class="field">
              <legend>{t('gov.core.col.mode')}</legend>
              {ATTENDANCE_MODES.filter((x) => x !== 'proxy' || settings.proxiesAllowed).map((x, i) => (
                <div class="radio">
                  <input type="radio" id={`mode-${x}`} name="mode" value={x} checked={i === 0} />{' '}
                  <label for={`mode-${x}`}>{t(modeKey(x))}</label>
                </div>
              ))}
            </fieldset>
            {settings.proxiesAllowed ? (
              <Field t={t} name="proxyHolderId" label={t('gov.core.attendance.proxyHolder')} hint={t('gov.core.attendance.proxyHint')} issues={issues}>
                {(a) => <select {...a}><option value="">{t('gov.core.attendance.noProxy')}</option>{cards.map((p) => <option value={p.id}>{p.name} (#{p.memberNumber})</option>)}</select>}
              </Field>
            ) : null}
            <button class="button" type="submit">{t('gov.core.attendance.save')}</button>
          </form>
        </>
      ) : null}
      {manage && m.status === 'called' && m.startsAt <= now ? (
        <form method="post" action={`/governance/meetings/${m.id}/held`}>
          <CsrfField token={view.csrfToken} />
          <button class="button button-secondary" type="submit">{t('gov.core.meetings.markHeld')}</button>
        </form>
      ) : null}
      {manage && (m.status === 'draft' || m.status === 'called') ? (
        <form method="post" action={`/governance/meetings/${m.id}/cancel`}>
          <CsrfField token={view.csrfToken} />
          <button class="button button-danger" type="submit">{t('gov.core.meetings.cancel')}</button>
        </form>
      ) : null}
      <h2>{t('gov.core.minutes.title')}</h2>
      {minutes && (minutes.status === 'published' || read) ? (
        <>
          <p>{t(`gov.core.minutesStatus.${minutes.status}` as MessageKey)}</p>
          <div class="document-body">{minutes.body.split(/\n{2,}/).map((p) => <p>{p}</p>)}</div>
        </>
      ) : <p>{t('gov.core.minutes.none')}</p>}
      {manage && m.status === 'held' && (!minutes || minutes.status === 'draft') ? (
        <form method="post" action={`/governance/meetings/${m.id}/minutes`}>
          <h3>{t('gov.core.minutes.draft')}</h3>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="body" label={t('gov.core.minutes.body')} issues={issues}>{(a) => <textarea {...a} rows={10} required>{minutes?.body ?? ''}</textarea>}</Field>
          <button class="button" type="submit">{t('gov.core.save')}</button>
        </form>
      ) : null}
      {manage && minutes?.status === 'draft' ? (
        <form method="post" action={`/governance/meetings/${m.id}/minutes/approve`}>
          <h3>{t('gov.core.minutes.approve')}</h3>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="atMeetingId" label={t('gov.core.minutes.atMeeting')} hint={t('gov.core.minutes.atHint')} issues={issues}>
            {(a) => <select {...a} required><option value="">{t('gov.core.choose')}</option>{later.map((x) => <option value={x.id}>{titleOf(x, locale)} — {formatDateTime(locale, x.startsAt)}</option>)}</select>}
          </Field>
          <button class="button" type="submit">{t('gov.core.minutes.approve')}</button>
        </form>
      ) : null}
      {manage && minutes && minutes.status !== 'published' ? (
        <form method="post" action={`/governance/meetings/${m.id}/minutes/publish`}>
          <CsrfField token={view.csrfToken} />
          <button class="button button-secondary" type="submit">{t('gov.core.minutes.publish')}</button>
        </form>
      ) : null}
    </Layout>,
    statusOf(problem),
  );
}

type Act = (c: Context<AppEnv>, m: GovMeeting, form: Record<string, string>) => Promise<unknown>;

function action(app: RouteTarget, path: string, access: 'governance.manage' | 'signed-in', done: string, act: Act): void {
  route(app, 'POST', `/governance/meetings/:id${path}`, access, async (c) => {
    const m = await meetingOf(c);
    const form = await formOf(c);
    const res = await attempt(() => act(c, m, form));
    if ('problem' in res) return meetingPage(c, (await findMeeting(c.get('deps').database.db, m.tenantId, m.id))!, res.problem);
    return c.redirect(`/governance/meetings/${m.id}?done=${done}${done === 'attendance' ? '#attendance-form' : ''}`, 303);
  });
}

export function registerMeetingPages(app: RouteTarget): void {
  route(app, 'GET', '/governance/meetings', 'public', (c) => listPage(c));
  route(app, 'POST', '/governance/meetings', 'governance.manage', async (c) => {
    const form = await formOf(c);
    const res = await attempt(() => createMeeting(c.get('deps').database.db, requireActor(c), form as never));
    if ('problem' in res) return listPage(c, res.problem, form);
    return c.redirect(`/governance/meetings/${res.ok.id}`, 303);
  });
  route(app, 'GET', '/governance/meetings.ics', 'public', async (c) => {
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    const now = nowOf(c);
    const baseUrl = await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl);
    const meetings = await listMeetings(deps.database.db, tenant.id, { from: new Date(now.getTime() - 90 * 86_400_000), limit: 500 });
    const body = buildCalendar({
      tenantSlug: tenant.slug,
      name: `${tenant.name} – Meetings`,
      product: 'Governance',
      now,
      events: meetings.map((m) => ({
        id: m.id,
        title: m.title,
        description: m.kind === 'board' ? 'Board meeting' : m.kind === 'agm' ? 'Annual general meeting' : 'General meeting',
        // Board meetings: the time only (they may meet at a member's home).
        location: m.kind === 'board' ? '' : m.location,
        startsAt: m.startsAt,
        endsAt: m.endsAt,
        cancelled: m.status === 'cancelled',
        sequence: m.status === 'cancelled' ? 2 : 1,
        updatedAt: m.calledAt ?? m.createdAt,
        url: `${baseUrl}/governance/meetings/${m.id}`,
      })),
    });
    return c.body(body, 200, { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'inline; filename="meetings.ics"' });
  });
  route(app, 'GET', '/governance/meetings/:id', 'public', async (c) => meetingPage(c, await meetingOf(c)));
  route(app, 'GET', '/governance/meetings/:id/pack.pdf', 'public', async (c) => {
    const m = await meetingOf(c);
    if (m.status === 'draft' || m.kind === 'board') throw new AppError('not_found', 'That meeting was not found.', [], 'gov.core.error.meetingNotFound');
    const pdf = await agmPackPdf(c.get('deps').database.db, c.get('tenant'), m, { t: c.get('t'), locale: c.get('locale'), baseUrl: await tenantBaseUrl(c.get('deps').database.db, c.get('tenant'), c.get('deps').config.publicUrl) });
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="meeting-pack-${isoDate(m.startsAt)}.pdf"` });
  });
  const db = (c: Context<AppEnv>) => c.get('deps').database.db;
  action(app, '/edit', 'governance.manage', 'saved', (c, m, f) => updateMeeting(db(c), requireActor(c), m.id, f as never));
  action(app, '/agenda', 'governance.manage', 'saved', (c, m, f) => addAgendaItem(db(c), requireActor(c), m.id, f as never));
  action(app, '/agenda/:itemId', 'governance.manage', 'saved', (c, m, f) => editAgendaItem(db(c), requireActor(c), m.id, c.req.param('itemId') ?? '', f as never));
  action(app, '/agenda/:itemId/move', 'governance.manage', 'saved', (c, m, f) => moveAgendaItem(db(c), requireActor(c), m.id, c.req.param('itemId') ?? '', f.direction === 'up' ? 'up' : 'down'));
  action(app, '/papers', 'governance.manage', 'saved', (c, m, f) => addPaper(db(c), requireActor(c), m.id, f as never));
  action(app, '/call', 'governance.manage', 'called', async (c, m) => callMeeting(db(c), requireActor(c), m.id, { now: nowOf(c), baseUrl: await tenantBaseUrl(db(c), c.get('tenant'), c.get('deps').config.publicUrl), locale: c.get('locale') }));
  action(app, '/held', 'governance.manage', 'saved', (c, m) => markHeld(db(c), requireActor(c), m.id, nowOf(c)));
  action(app, '/cancel', 'governance.manage', 'saved', (c, m) => cancelMeeting(db(c), requireActor(c), m.id));
  action(app, '/attendance', 'signed-in', 'attendance', (c, m, f) => recordAttendance(db(c), requireActor(c), m.id, f as never));
  action(app, '/minutes', 'governance.manage', 'saved', (c, m, f) => saveMinutesDraft(db(c), requireActor(c), m.id, { body: f.body ?? '' }));
  action(app, '/minutes/approve', 'governance.manage', 'saved', (c, m, f) => approveMinutes(db(c), requireActor(c), m.id, f.atMeetingId ?? '', nowOf(c)));
  action(app, '/minutes/publish', 'governance.manage', 'saved', (c, m) => publishMinutes(db(c), requireActor(c), m.id, nowOf(c)));
}
