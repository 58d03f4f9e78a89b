import type { Context } from 'hono';
import { formatDateTime } from '../../lib/dates.ts';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, TableWrap } from '../../ui/forms.tsx';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf, type View } from '../../ui/view.ts';
import { tenantBaseUrl, wardNamesByIds } from '../tenancy/views.ts';
import { courseTitle } from './courses.ts';
import { buildCalendar } from './ics.ts';
import { sessionRow, upcomingSessions, type SessionRow } from './queries.ts';
import { bookSession, cancelBooking, canKeepRegister, waitingPosition } from './service.ts';
import { trainingBookings } from './schema.ts';
import { and, eq } from 'drizzle-orm';

export const nowOf = (c: Context<AppEnv>) => new Date(c.get('deps').clock?.() ?? Date.now());

function PlacesCell({ t, s }: { t: View['t']; s: SessionRow }) {
  if (s.status === 'cancelled') return <>{t('training.cancelledTag')}</>;
  const left = s.capacity - s.booked;
  return <>{left > 0 ? t('training.placesLeft', { n: left }) : t('training.waitingList')}</>;
}

function BookButton({ view, s }: { view: View; s: SessionRow }) {
  const { t } = view;
  if (!view.signedIn)
    return (
      <a class="button button-secondary" href="/sign-in">
        {t('training.signInToBook')}
      </a>
    );
  return (
    <form method="post" action={`/training/sessions/${s.id}/book`}>
      <CsrfField token={view.csrfToken} />
      <button class="button" type="submit">
        {s.capacity - s.booked > 0 ? t('training.book') : t('training.joinWaiting')}
      </button>
    </form>
  );
}

async function listPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const sessions = await upcomingSessions(c.get('deps').database.db, c.get('tenant').id, nowOf(c));
  return c.html(
    <Layout view={view} title={t('training.title')}>
      <h1>{t('training.title')}</h1>
      <p>{t('training.lead')}</p>
      <p>
        <a href="/training/sessions.ics">{t('training.ics')}</a>
      </p>
      <h2>{t('training.upcoming')}</h2>
      {sessions.length === 0 ? (
        <p>{t('training.none')}</p>
      ) : (
        <TableWrap label={t('training.upcoming')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('training.col.course')}</th>
                <th scope="col">{t('training.col.when')}</th>
                <th scope="col">{t('training.col.place')}</th>
                <th scope="col">{t('training.col.places')}</th>
                <th scope="col">{t('training.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr>
                  <td data-label={t('training.col.course')}>
                    <a href={`/training/sessions/${s.id}`}>{courseTitle(s, locale)}</a>
                    {s.isDemo ? <DemoTag t={t} /> : null}
                  </td>
                  <td data-label={t('training.col.when')}>{formatDateTime(locale, s.startsAt)}</td>
                  <td data-label={t('training.col.place')}>{s.venue}</td>
                  <td data-label={t('training.col.places')}>
                    <PlacesCell t={t} s={s} />
                  </td>
                  <td data-label={t('training.col.action')}>
                    <BookButton view={view} s={s} />
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

async function sessionOf(c: Context<AppEnv>): Promise<SessionRow> {
  const id = c.req.param('id') ?? '';
  const s = isUuid(id) ? await sessionRow(c.get('deps').database.db, c.get('tenant').id, id) : undefined;
  if (!s) throw new AppError('not_found', 'That training session was not found.', [], 'training.error.sessionNotFound');
  return s;
}

const DONE: Record<string, MessageKey> = { booked: 'training.done.booked', waitlisted: 'training.done.waitlisted', cancelled: 'training.done.cancelled' };

async function sessionPage(c: Context<AppEnv>, s: SessionRow, problem?: AppError) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const actor = c.get('actor');
  const now = nowOf(c);
  const [mine] = actor
    ? await db.select({ status: trainingBookings.status }).from(trainingBookings).where(and(eq(trainingBookings.tenantId, s.tenantId), eq(trainingBookings.sessionId, s.id), eq(trainingBookings.memberId, actor.memberId)))
    : [];
  const position = mine?.status === 'waitlisted' && actor ? await waitingPosition(db, s.tenantId, s.id, actor.memberId) : null;
  const ward = s.wardId ? (await wardNamesByIds(db, s.tenantId, [s.wardId]))[0]?.name : undefined;
  const done = DONE[c.req.query('done') ?? ''];
  const title = courseTitle(s, locale);
  const description = locale === 'pl' && s.descriptionPl ? s.descriptionPl : s.description;
  return c.html(
    <Layout view={view} title={title}>
      <p>
        <a href="/training">{t('training.back')}</a>
      </p>
      <h1>
        {title}
        {s.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {problem?.key ? (
        <div class="error-summary" role="alert">
          <p>{t(problem.key, problem.params)}</p>
        </div>
      ) : null}
      {done ? (
        <p class="success" role="status">
          {t(done, { n: position ?? 0 })}
        </p>
      ) : null}
      {s.status === 'cancelled' ? <p class="notice">{t('training.session.isCancelled')}</p> : s.startsAt <= now ? <p class="notice">{t('training.session.isPast')}</p> : null}
      {description ? <p>{description}</p> : null}
      <Facts
        items={[
          [t('training.session.when'), formatDateTime(locale, s.startsAt)],
          [t('training.session.ends'), formatDateTime(locale, s.endsAt)],
          [t('training.session.place'), s.venue],
          ...(ward ? ([[t('training.session.ward'), ward]] as const) : []),
          [t('training.session.duration'), t('training.session.minutes', { n: s.durationMinutes })],
          [t('training.session.places'), <PlacesCell t={t} s={s} />],
        ]}
      />
      {mine ? (
        <>
          <p>{mine.status === 'booked' ? t('training.session.yours.booked') : t('training.session.yours.waiting', { n: position ?? 0 })}</p>
          <form method="post" action={`/training/sessions/${s.id}/cancel-booking`} id="cancel">
            <CsrfField token={view.csrfToken} />
            <button class="button button-secondary" type="submit">
              {mine.status === 'booked' ? t('training.session.cancelBooking') : t('training.session.leaveWaiting')}
            </button>
          </form>
        </>
      ) : s.status === 'scheduled' && s.startsAt > now ? (
        <BookButton view={view} s={s} />
      ) : null}
      {actor && canKeepRegister(actor, s) && s.status === 'scheduled' ? (
        <p>
          <a href={`/training/sessions/${s.id}/register`}>{t('training.session.register')}</a>
        </p>
      ) : null}
    </Layout>,
    problem ? problem.status : 200,
  );
}

export function registerPublicPages(app: RouteTarget): void {
  route(app, 'GET', '/training', 'public', listPage);

  route(app, 'GET', '/training/sessions.ics', 'public', async (c) => {
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    const now = nowOf(c);
    const baseUrl = await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl);
    const sessions = await upcomingSessions(deps.database.db, tenant.id, new Date(now.getTime() - 30 * 86_400_000), { withCancelled: true, limit: 500 });
    const body = buildCalendar({
      tenantSlug: tenant.slug,
      name: `${tenant.name} – Training`,
      now,
      events: sessions.map((s) => ({ id: s.id, title: s.title, description: s.description, location: s.venue, startsAt: s.startsAt, endsAt: s.endsAt, cancelled: s.status === 'cancelled', sequence: s.sequence, updatedAt: s.updatedAt, url: `${baseUrl}/training/sessions/${s.id}` })),
    });
    return c.body(body, 200, { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'inline; filename="training.ics"' });
  });

  route(app, 'GET', '/training/sessions/:id', 'public', async (c) => sessionPage(c, await sessionOf(c)));

  route(app, 'POST', '/training/sessions/:id/book', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const s = await sessionOf(c);
    try {
      const res = await bookSession(c.get('deps').database.db, actor, s.id, nowOf(c), { locale: c.get('locale') });
      return c.redirect(`/training/sessions/${s.id}?done=${res.status}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.key && (err.code === 'conflict' || err.code === 'forbidden')) return sessionPage(c, (await sessionRow(c.get('deps').database.db, s.tenantId, s.id))!, err);
      throw err;
    }
  });

  route(app, 'POST', '/training/sessions/:id/cancel-booking', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const s = await sessionOf(c);
    try {
      await cancelBooking(c.get('deps').database.db, actor, s.id, nowOf(c));
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found' && err.key === 'training.error.noBooking') return sessionPage(c, s, new AppError('conflict', err.message, [], err.key));
      throw err;
    }
    return c.redirect(`/training/sessions/${s.id}?done=cancelled`, 303);
  });
}
