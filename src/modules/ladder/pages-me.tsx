import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Db } from '../../db/connection.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { CsrfField, TableWrap } from '../../ui/forms.tsx';
import { formatDate, formatNumber, type Locale, type MessageKey, type Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import type { MePanelContext } from '../manifest.ts';
import type { Role } from '../membership/schema.ts';
import { describeMissing, describeOne, type MemberProgress, type Missing, type Titles } from './eligibility.ts';
import type { Level } from './levels.ts';
import { levelHistoryOf, memberRoleGaps, memberStanding, NotEligibleError, requestsOf, requestStepUp, titlesFor, type Standing } from './service.ts';

export function levelTitle(level: Pick<Level, 'title' | 'titlePl'>, locale: Locale): string {
  return (locale === 'pl' && level.titlePl) || level.title;
}

export function levelDescription(level: Pick<Level, 'description' | 'descriptionPl'>, locale: Locale): string {
  return (locale === 'pl' && level.descriptionPl) || level.description;
}

export function missingWords(t: Translate, locale: Locale, titles: Titles, missing: readonly Missing[]): string {
  return describeMissing((k, p) => t(k, p), locale, titles, missing);
}

/** A level's requirements as a checklist, each marked done or still to do. */
export function Checklist({ t, locale, level, progress, titles, self }: { t: Translate; locale: Locale; level: Level; progress: MemberProgress; titles: Titles; self: boolean }) {
  const or = t('ladder.missing.or');
  const items: Array<{ text: string; done: boolean }> = [
    ...level.courses.map((anyOf) => ({ text: t('ladder.req.course', { what: anyOf.map((k) => titles.course(k)).join(or) }), done: anyOf.some((k) => progress.completedCourses.has(k)) })),
    ...level.qualifications.map((anyOf) => ({ text: t('ladder.req.qualification', { what: anyOf.map((k) => titles.qualification(k)).join(or) }), done: anyOf.some((k) => progress.validQualifications.has(k)) })),
    ...(level.minutesRequired > 0
      ? [
          {
            text: t(self ? 'ladder.req.hours' : 'ladder.req.hoursOther', { hours: formatNumber(locale, Math.round(level.minutesRequired / 6) / 10), have: formatNumber(locale, Math.floor(progress.approvedMinutes / 6) / 10) }),
            done: progress.approvedMinutes >= level.minutesRequired,
          },
        ]
      : []),
    ...(level.dbsRequired ? [{ text: t('ladder.req.dbs'), done: progress.dbsInDate }] : []),
    ...(level.signOffRequired ? [{ text: t('ladder.req.signOff'), done: progress.signedOffLevels.has(level.id) }] : []),
  ];
  if (!items.length) return <p>{t('ladder.req.none')}</p>;
  return (
    <ul class="checklist">
      {items.map((i) => (
        <li>
          {i.text}: <strong>{i.done ? t('ladder.req.done') : t('ladder.req.todo')}</strong>
        </li>
      ))}
    </ul>
  );
}

/** "Street champion: needs Safeguarding awareness" for each role the member holds that declares training. */
export function RoleNeeds({ t, locale, titles, gaps }: { t: Translate; locale: Locale; titles: Titles; gaps: Array<{ role: Role; missing: Missing[] }> }) {
  if (!gaps.length) return null;
  return (
    <ul>
      {gaps.map((g) => {
        const role = t(`role.${g.role}` as MessageKey);
        const needs = g.missing.map((m) => (m.kind === 'course' ? t('ladder.role.course', { what: titles.course(m.anyOf[0]!) }) : m.kind === 'qualification' ? t('ladder.role.qualification', { what: titles.qualification(m.anyOf[0]!) }) : describeOne((k, p) => t(k, p), locale, titles, m)));
        return <li>{needs.length ? t('ladder.me.roleNeeds', { role, missing: needs.join(t('ladder.role.separator')) }) : t('ladder.me.roleDone', { role })}</li>;
      })}
    </ul>
  );
}

/** The level history as a table (volunteer's page and the coordinator's member view). */
export function HistoryTable({ t, locale, levels, history, caption }: { t: Translate; locale: Locale; levels: Level[]; history: Awaited<ReturnType<typeof levelHistoryOf>>; caption: string }) {
  if (!history.length) return <p>{t('ladder.me.noHistory')}</p>;
  return (
    <TableWrap label={caption}>
      <table class="stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ladder.col.level')}</th>
            <th scope="col">{t('ladder.col.from')}</th>
            <th scope="col">{t('ladder.col.to')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => {
            const level = levels.find((l) => l.id === h.levelId);
            return (
              <tr>
                <th scope="row">
                  {level ? `${t('ladder.levelN', { n: level.number })}: ${levelTitle(level, locale)}` : ''}
                  {h.isDemo ? <DemoTag t={t} /> : null}
                </th>
                <td data-label={t('ladder.col.from')}>{formatDate(locale, h.fromDate)}</td>
                <td data-label={t('ladder.col.to')}>{h.toDate ? formatDate(locale, h.toDate) : t('ladder.open')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

function nowOf(c: Context<AppEnv>): Date {
  return new Date(c.get('deps').clock?.() ?? Date.now());
}

async function renderMyLadder(c: Context<AppEnv>, notice?: { kind: 'asked' } | { kind: 'notEligible'; missing: Missing[] } | { kind: 'error'; key: MessageKey }) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const now = nowOf(c);
  const [s, titles, history, requests] = await Promise.all([
    memberStanding(db, actor.tenantId, actor.memberId, { now }),
    titlesFor(db, actor.tenantId, locale),
    levelHistoryOf(db, actor.tenantId, actor.memberId),
    requestsOf(db, actor.tenantId, actor.memberId),
  ]);
  const gaps = await memberRoleGaps(db, actor.tenantId, actor.memberId, s.progress);
  const pending = requests.find((r) => r.status === 'pending');
  const last = requests.find((r) => r.status !== 'pending');
  const levelNo = (id: string) => s.levels.find((l) => l.id === id)?.number ?? 0;
  return c.html(
    <Layout view={view} title={t('ladder.me.title')}>
      <h1>{t('ladder.me.title')}</h1>
      <p class="lead">{t('ladder.me.lead')}</p>
      {notice?.kind === 'asked' ? (
        <p class="success" role="status">
          {t('ladder.me.asked')}
        </p>
      ) : null}
      {notice?.kind === 'notEligible' ? (
        <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
          <h2>{t('ladder.me.notEligibleTitle')}</h2>
          <p>{t('ladder.me.missing', { missing: missingWords(t, locale, titles, notice.missing) })}</p>
        </div>
      ) : null}
      {notice?.kind === 'error' ? (
        <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
          <p>{t(notice.key)}</p>
        </div>
      ) : null}
      <Where t={t} locale={locale} s={s} />
      {pending ? (
        <p class="notice" role="status">
          {t('ladder.me.pending', { n: levelNo(pending.toLevelId), date: formatDate(locale, pending.requestedAt) })}
        </p>
      ) : last?.status === 'declined' ? (
        <p class="notice">{t('ladder.me.lastDeclined', { n: levelNo(last.toLevelId), date: formatDate(locale, last.decidedAt ?? last.requestedAt), reason: last.reason })}</p>
      ) : last?.status === 'approved' ? (
        <p>{t('ladder.me.lastApproved', { n: levelNo(last.toLevelId), date: formatDate(locale, last.decidedAt ?? last.requestedAt) })}</p>
      ) : null}
      {s.next ? (
        <section aria-labelledby="next-level">
          <h2 id="next-level">{t('ladder.me.next', { n: s.next.number, title: levelTitle(s.next, locale) })}</h2>
          {levelDescription(s.next, locale) ? <p>{levelDescription(s.next, locale)}</p> : null}
          <h3>{t('ladder.me.needs', { n: s.next.number })}</h3>
          <Checklist t={t} locale={locale} level={s.next} progress={s.progress} titles={titles} self />
          {s.eligibility.met ? (
            <>
              <p>
                <strong>{t('ladder.me.eligible', { n: s.next.number })}</strong>
              </p>
              {pending ? null : (
                <form method="post" action="/me/ladder/step-up">
                  <CsrfField token={view.csrfToken} />
                  <button class="button" type="submit">
                    {t('ladder.me.ask', { n: s.next.number })}
                  </button>
                </form>
              )}
            </>
          ) : (
            <p>{t('ladder.me.missing', { missing: missingWords(t, locale, titles, s.eligibility.missing) })}</p>
          )}
        </section>
      ) : (
        <p>{t('ladder.me.top')}</p>
      )}
      {gaps.length ? (
        <section aria-labelledby="role-needs">
          <h2 id="role-needs">{t('ladder.me.roles')}</h2>
          <RoleNeeds t={t} locale={locale} titles={titles} gaps={gaps} />
        </section>
      ) : null}
      <h2>{t('ladder.me.history')}</h2>
      <HistoryTable t={t} locale={locale} levels={s.levels} history={history} caption={t('ladder.me.history')} />
    </Layout>,
  );
}

function Where({ t, locale, s }: { t: Translate; locale: Locale; s: Standing }): Child {
  if (!s.current) return <p>{t('ladder.me.none')}</p>;
  return (
    <>
      <p class="ladder-current">
        <strong>{t('ladder.me.current', { n: s.current.number, title: levelTitle(s.current, locale) })}</strong>
        {s.currentSince ? <> {t('ladder.me.since', { date: formatDate(locale, s.currentSince) })}</> : null}
      </p>
    </>
  );
}

/** The summary on /me: current level, next level and what is missing, with a link to the page. */
export async function LadderMePanel({ db, actor, t, locale, now }: MePanelContext): Promise<Child | null> {
  const s = await memberStanding(db as Db, actor.tenantId, actor.memberId, { now });
  if (!s.levels.length) return null;
  const titles = await titlesFor(db, actor.tenantId, locale);
  return (
    <section aria-labelledby="ladder-panel">
      <h2 id="ladder-panel">{t('ladder.me.panel')}</h2>
      <Where t={t} locale={locale} s={s} />
      {s.next ? (
        <p>
          {t('ladder.me.next', { n: s.next.number, title: levelTitle(s.next, locale) })}.{' '}
          {s.eligibility.met ? t('ladder.me.eligible', { n: s.next.number }) : t('ladder.me.missing', { missing: missingWords(t, locale, titles, s.eligibility.missing) })}
        </p>
      ) : (
        <p>{t('ladder.me.top')}</p>
      )}
      <p>
        <a href="/me/ladder">{t('ladder.me.panelLink')}</a>
      </p>
    </section>
  );
}

export function registerMyLadderPages(app: RouteTarget): void {
  route(app, 'GET', '/me/ladder', 'signed-in', async (c) => renderMyLadder(c, c.req.query('asked') === '1' ? { kind: 'asked' } : undefined));

  route(app, 'POST', '/me/ladder/step-up', 'signed-in', async (c) => {
    const actor = requireActor(c);
    try {
      await requestStepUp(c.get('deps').database.db, actor, { now: nowOf(c) });
    } catch (err) {
      if (err instanceof NotEligibleError) {
        c.status(409);
        return renderMyLadder(c, { kind: 'notEligible', missing: err.missing });
      }
      if (err instanceof AppError && err.code === 'conflict' && err.key) {
        c.status(409);
        return renderMyLadder(c, { kind: 'error', key: err.key });
      }
      throw err;
    }
    return c.redirect('/me/ladder?asked=1', 303);
  });
}
