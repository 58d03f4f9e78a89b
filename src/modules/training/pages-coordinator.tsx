import type { Context } from 'hono';
import { formatDateTime } from '../../lib/dates.ts';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { activeMembersWithRoles, memberCards } from '../membership/views.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { createCourse, courseTitle, findCourse, listCourses, updateCourse, type CourseInput } from './courses.ts';
import { allSessions, sessionRow, type SessionRow } from './queries.ts';
import type { Course } from './schema.ts';
import { cancelSession, createSession, sessionRoster, updateSession, type SessionInput } from './service.ts';
import { instantToLondon } from './times.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

async function overview(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const courses = await listCourses(db, tenantId);
  const sessions = await allSessions(db, tenantId);
  return c.html(
    <Layout view={view} title={t('training.coord.title')}>
      <h1>{t('training.coord.title')}</h1>
      {c.req.query('done') ? (
        <p class="success" role="status">
          {t(c.req.query('done') === 'cancelled' ? 'training.coord.sessionCancelled' : 'training.coord.saved')}
        </p>
      ) : null}
      <h2>{t('training.coord.sessions')}</h2>
      <p>
        <a class="button" href="/coordinator/training/sessions/new">
          {t('training.coord.addSession')}
        </a>
      </p>
      {sessions.length === 0 ? (
        <p>{t('training.coord.noSessions')}</p>
      ) : (
        <TableWrap label={t('training.coord.sessions')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('training.col.course')}</th>
                <th scope="col">{t('training.col.when')}</th>
                <th scope="col">{t('training.col.place')}</th>
                <th scope="col">{t('training.coord.status')}</th>
                <th scope="col">{t('training.coord.booked')}</th>
                <th scope="col">{t('training.coord.waiting')}</th>
                <th scope="col">{t('training.coord.present')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr>
                  <td data-label={t('training.col.course')}>
                    <a href={`/coordinator/training/sessions/${s.id}`}>{courseTitle(s, locale)}</a>
                    {s.isDemo ? <DemoTag t={t} /> : null}
                  </td>
                  <td data-label={t('training.col.when')}>{formatDateTime(locale, s.startsAt)}</td>
                  <td data-label={t('training.col.place')}>{s.venue}</td>
                  <td data-label={t('training.coord.status')}>{t(s.status === 'cancelled' ? 'training.coord.status.cancelled' : 'training.coord.status.scheduled')}</td>
                  <td class="num" data-label={t('training.coord.booked')}>{`${s.booked} / ${s.capacity}`}</td>
                  <td class="num" data-label={t('training.coord.waiting')}>{s.waiting}</td>
                  <td class="num" data-label={t('training.coord.present')}>{s.present}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2>{t('training.coord.courses')}</h2>
      <p>
        <a class="button button-secondary" href="/coordinator/training/courses/new">
          {t('training.coord.addCourse')}
        </a>
      </p>
      <TableWrap label={t('training.coord.courses')}>
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{t('training.col.course')}</th>
              <th scope="col">{t('training.course.key')}</th>
              <th scope="col">{t('training.session.duration')}</th>
              <th scope="col">{t('training.coord.status')}</th>
            </tr>
          </thead>
          <tbody>
            {courses.map((co) => (
              <tr>
                <td data-label={t('training.col.course')}>
                  <a href={`/coordinator/training/courses/${co.id}`}>{courseTitle(co, locale)}</a>
                </td>
                <td data-label={t('training.course.key')}>
                  <code>{co.key}</code>
                </td>
                <td data-label={t('training.session.duration')}>{t('training.session.minutes', { n: co.durationMinutes })}</td>
                <td data-label={t('training.coord.status')}>{t(co.active ? 'training.coord.active' : 'training.coord.inactive')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Layout>,
  );
}

type CourseForm = Record<'key' | 'title' | 'titlePl' | 'description' | 'descriptionPl' | 'durationMinutes' | 'active', string>;

function coursePage(c: Context<AppEnv>, course: Course | undefined, issues: FieldIssue[], form?: CourseForm) {
  const view = viewOf(c);
  const { t } = view;
  const v: CourseForm = form ?? {
    key: course?.key ?? '',
    title: course?.title ?? '',
    titlePl: course?.titlePl ?? '',
    description: course?.description ?? '',
    descriptionPl: course?.descriptionPl ?? '',
    durationMinutes: course ? String(course.durationMinutes) : '120',
    active: course && !course.active ? '' : 'yes',
  };
  const title = t(course ? 'training.course.edit' : 'training.course.new');
  return c.html(
    <Layout view={view} title={title}>
      <p>
        <a href="/coordinator/training">{t('training.coord.title')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={course ? `/coordinator/training/courses/${course.id}` : '/coordinator/training/courses/new'} novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="key" label={t('training.course.key')} hint={t('training.course.keyHint')} issues={issues}>
          {(a) => <input type="text" {...a} value={v.key} maxlength={60} autocomplete="off" spellcheck={false} />}
        </Field>
        <Field t={t} name="title" label={t('training.course.title')} issues={issues}>
          {(a) => <input type="text" {...a} value={v.title} maxlength={120} />}
        </Field>
        <Field t={t} name="titlePl" label={t('training.course.titlePl')} issues={issues}>
          {(a) => <input type="text" {...a} value={v.titlePl} maxlength={120} lang="pl" />}
        </Field>
        <Field t={t} name="description" label={t('training.course.description')} issues={issues}>
          {(a) => (
            <textarea {...a} rows={3} maxlength={500}>
              {v.description}
            </textarea>
          )}
        </Field>
        <Field t={t} name="descriptionPl" label={t('training.course.descriptionPl')} issues={issues}>
          {(a) => (
            <textarea {...a} rows={3} maxlength={500} lang="pl">
              {v.descriptionPl}
            </textarea>
          )}
        </Field>
        <Field t={t} name="durationMinutes" label={t('training.course.duration')} issues={issues}>
          {(a) => <input type="number" {...a} value={v.durationMinutes} min={1} max={10080} inputmode="numeric" />}
        </Field>
        <div class="field">
          <div class="choice">
            <input type="checkbox" id="f-active" name="active" value="yes" checked={v.active === 'yes'} />
            <label for="f-active">{t('training.course.active')}</label>
          </div>
        </div>
        <div class="actions">
          <button class="button" type="submit">
            {t('training.save')}
          </button>
          <a href="/coordinator/training">{t('training.cancel')}</a>
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function courseOf(c: Context<AppEnv>): Promise<Course> {
  const id = c.req.param('id') ?? '';
  const course = isUuid(id) ? await findCourse(c.get('deps').database.db, c.get('tenant').id, id) : undefined;
  if (!course) throw new AppError('not_found', 'That course was not found.', [], 'training.error.courseNotFound');
  return course;
}

async function readCourse(c: Context<AppEnv>): Promise<{ form: CourseForm; input: CourseInput }> {
  const body = await c.req.parseBody();
  const form: CourseForm = { key: str(body.key), title: str(body.title), titlePl: str(body.titlePl), description: str(body.description), descriptionPl: str(body.descriptionPl), durationMinutes: str(body.durationMinutes), active: str(body.active) };
  return { form, input: { ...form, durationMinutes: form.durationMinutes as unknown as number, active: form.active === 'yes' } };
}

type SessionForm = Record<'courseId' | 'startsAt' | 'endsAt' | 'venue' | 'wardId' | 'trainerId' | 'capacity', string>;

async function sessionFormPage(c: Context<AppEnv>, session: SessionRow | undefined, issues: FieldIssue[], form?: SessionForm) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const courses = (await listCourses(db, tenant.id)).filter((co) => co.active || co.id === session?.courseId);
  // A tenant without a ward set yet can still plan sessions (the ward is optional).
  const area = await areaOverview(db, tenant);
  const wards = area.currentSet ? await wardsOf(db, tenant, pickWardSet(area, undefined)) : [];
  const helpers = (await activeMembersWithRoles(db, tenant.id)).filter((m) => m.roles.some((r) => r !== 'member') || m.id === session?.trainerId);
  const trainers = (await memberCards(db, tenant.id, helpers.map((m) => m.id).slice(0, 500))).sort((a, b) => a.name.localeCompare(b.name));
  const v: SessionForm = form ?? {
    courseId: session?.courseId ?? '',
    startsAt: session ? instantToLondon(session.startsAt) : '',
    endsAt: session ? instantToLondon(session.endsAt) : '',
    venue: session?.venue ?? '',
    wardId: session?.wardId ?? '',
    trainerId: session?.trainerId ?? '',
    capacity: session ? String(session.capacity) : '12',
  };
  const roster = session ? await sessionRoster(db, session) : [];
  const title = session ? `${courseTitle(session, locale)} – ${formatDateTime(locale, session.startsAt)}` : t('training.sessionForm.new');
  return c.html(
    <Layout view={view} title={title}>
      <p>
        <a href="/coordinator/training">{t('training.coord.title')}</a>
      </p>
      <h1>
        {title}
        {session?.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {session ? (
        <>
          {session.status === 'cancelled' ? <p class="notice">{t('training.session.isCancelled')}</p> : null}
          <h2>{t('training.coord.roster')}</h2>
          <p>
            {t('training.coord.booked')}: {`${session.booked} / ${session.capacity}`} · {t('training.coord.waiting')}: {session.waiting} · {t('training.coord.present')}: {session.present}
          </p>
          {session.status === 'scheduled' ? (
            <p>
              <a href={`/training/sessions/${session.id}/register`}>{t('training.session.register')}</a>
            </p>
          ) : null}
          {roster.length ? (
            <TableWrap label={t('training.coord.roster')}>
              <table class="stack">
                <thead>
                  <tr>
                    <th scope="col">{t('training.coord.member')}</th>
                    <th scope="col">{t('training.coord.status')}</th>
                    <th scope="col">{t('training.coord.attendance')}</th>
                  </tr>
                </thead>
                <tbody>
                  {roster.map((r) => (
                    <tr>
                      <td data-label={t('training.coord.member')}>
                        <a href={`/coordinator/members/${r.member.id}`}>{r.member.name}</a>
                        {r.member.isDemo ? <DemoTag t={t} /> : null}
                      </td>
                      <td data-label={t('training.coord.status')}>{r.status === 'booked' ? t('training.me.booked') : t('training.me.waiting', { n: r.position ?? 0 })}</td>
                      <td data-label={t('training.coord.attendance')}>{r.present === null ? t('training.coord.notMarked') : r.present ? t('training.register.present') : t('training.coord.absent')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : (
            <p>{t('training.register.empty')}</p>
          )}
          <h2>{t('training.sessionForm.edit')}</h2>
        </>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      {session?.status === 'cancelled' ? null : (
        <form method="post" action={session ? `/coordinator/training/sessions/${session.id}` : '/coordinator/training/sessions/new'} novalidate>
          <CsrfField token={view.csrfToken} />
          <Field t={t} name="courseId" label={t('training.sessionForm.course')} issues={issues}>
            {(a) => (
              <select {...a}>
                {courses.map((co) => (
                  <option value={co.id} selected={co.id === v.courseId}>
                    {courseTitle(co, locale)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="startsAt" label={t('training.sessionForm.startsAt')} issues={issues}>
            {(a) => <input type="datetime-local" {...a} value={v.startsAt} />}
          </Field>
          <Field t={t} name="endsAt" label={t('training.sessionForm.endsAt')} issues={issues}>
            {(a) => <input type="datetime-local" {...a} value={v.endsAt} />}
          </Field>
          <Field t={t} name="venue" label={t('training.sessionForm.venue')} issues={issues}>
            {(a) => <input type="text" {...a} value={v.venue} maxlength={200} />}
          </Field>
          <Field t={t} name="wardId" label={t('training.sessionForm.ward')} issues={issues}>
            {(a) => (
              <select {...a}>
                <option value="">{t('training.sessionForm.noWard')}</option>
                {wards.map((w) => (
                  <option value={w.id} selected={w.id === v.wardId}>
                    {w.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="trainerId" label={t('training.sessionForm.trainer')} issues={issues}>
            {(a) => (
              <select {...a}>
                <option value="">{t('training.sessionForm.noTrainer')}</option>
                {trainers.map((m) => (
                  <option value={m.id} selected={m.id === v.trainerId}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field t={t} name="capacity" label={t('training.sessionForm.capacity')} issues={issues}>
            {(a) => <input type="number" {...a} value={v.capacity} min={1} max={500} inputmode="numeric" />}
          </Field>
          <div class="actions">
            <button class="button" type="submit">
              {t('training.save')}
            </button>
            <a href="/coordinator/training">{t('training.cancel')}</a>
          </div>
        </form>
      )}
      {session && session.status === 'scheduled' ? (
        <form method="post" action={`/coordinator/training/sessions/${session.id}/cancel`}>
          <CsrfField token={view.csrfToken} />
          <p class="hint">{t('training.coord.cancelHint')}</p>
          <button class="button button-danger" type="submit">
            {t('training.coord.cancelSession')}
          </button>
        </form>
      ) : null}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function sessionOf(c: Context<AppEnv>): Promise<SessionRow> {
  const id = c.req.param('id') ?? '';
  const s = isUuid(id) ? await sessionRow(c.get('deps').database.db, c.get('tenant').id, id) : undefined;
  if (!s) throw new AppError('not_found', 'That training session was not found.', [], 'training.error.sessionNotFound');
  return s;
}

async function readSession(c: Context<AppEnv>): Promise<{ form: SessionForm; input: SessionInput }> {
  const body = await c.req.parseBody();
  const form: SessionForm = { courseId: str(body.courseId), startsAt: str(body.startsAt), endsAt: str(body.endsAt), venue: str(body.venue), wardId: str(body.wardId), trainerId: str(body.trainerId), capacity: str(body.capacity) };
  return { form, input: { ...form, capacity: form.capacity as unknown as number } };
}

const formError = (err: unknown) => err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict') && err.fields.length > 0;

export function registerCoordinatorPages(app: RouteTarget): void {
  route(app, 'GET', '/coordinator/training', 'training.manage', overview);

  route(app, 'GET', '/coordinator/training/courses/new', 'training.manage', (c) => coursePage(c, undefined, []));
  route(app, 'POST', '/coordinator/training/courses/new', 'training.manage', async (c) => {
    const { form, input } = await readCourse(c);
    try {
      await createCourse(c.get('deps').database.db, requireActor(c), input);
    } catch (err) {
      if (formError(err)) return coursePage(c, undefined, (err as AppError).fields, form);
      throw err;
    }
    return c.redirect('/coordinator/training?done=saved', 303);
  });
  route(app, 'GET', '/coordinator/training/courses/:id', 'training.manage', async (c) => coursePage(c, await courseOf(c), []));
  route(app, 'POST', '/coordinator/training/courses/:id', 'training.manage', async (c) => {
    const course = await courseOf(c);
    const { form, input } = await readCourse(c);
    try {
      await updateCourse(c.get('deps').database.db, requireActor(c), course.id, input);
    } catch (err) {
      if (formError(err)) return coursePage(c, course, (err as AppError).fields, form);
      throw err;
    }
    return c.redirect('/coordinator/training?done=saved', 303);
  });

  route(app, 'GET', '/coordinator/training/sessions/new', 'training.manage', (c) => sessionFormPage(c, undefined, []));
  route(app, 'POST', '/coordinator/training/sessions/new', 'training.manage', async (c) => {
    const { form, input } = await readSession(c);
    try {
      const s = await createSession(c.get('deps').database.db, requireActor(c), input);
      return c.redirect(`/coordinator/training/sessions/${s.id}`, 303);
    } catch (err) {
      if (formError(err)) return sessionFormPage(c, undefined, (err as AppError).fields, form);
      throw err;
    }
  });
  route(app, 'GET', '/coordinator/training/sessions/:id', 'training.manage', async (c) => sessionFormPage(c, await sessionOf(c), []));
  route(app, 'POST', '/coordinator/training/sessions/:id', 'training.manage', async (c) => {
    const s = await sessionOf(c);
    const { form, input } = await readSession(c);
    try {
      await updateSession(c.get('deps').database.db, requireActor(c), s.id, input);
    } catch (err) {
      if (formError(err)) return sessionFormPage(c, s, (err as AppError).fields, form);
      throw err;
    }
    return c.redirect(`/coordinator/training/sessions/${s.id}`, 303);
  });
  route(app, 'POST', '/coordinator/training/sessions/:id/cancel', 'training.manage', async (c) => {
    const s = await sessionOf(c);
    await cancelSession(c.get('deps').database.db, requireActor(c), s.id);
    return c.redirect('/coordinator/training?done=cancelled', 303);
  });
}
