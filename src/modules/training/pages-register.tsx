import type { Context } from 'hono';
import { formatDateTime } from '../../lib/dates.ts';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { CsrfField } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { courseTitle, findCourse } from './courses.ts';
import type { TrainingSession } from './schema.ts';
import { canKeepRegister, findSession, markAttendance, sessionRoster } from './service.ts';

/** The session of the URL, for its trainer or a coordinator only: anyone else gets 404 (record-level rule). */
async function registerSession(c: Context<AppEnv>): Promise<TrainingSession> {
  const actor = requireActor(c);
  const id = c.req.param('id') ?? '';
  const s = isUuid(id) ? await findSession(c.get('deps').database.db, actor.tenantId, id) : undefined;
  if (!s || !canKeepRegister(actor, s)) throw new AppError('not_found', 'That training session was not found.', [], 'training.error.sessionNotFound');
  return s;
}

async function registerPage(c: Context<AppEnv>, s: TrainingSession, problem?: AppError) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const course = await findCourse(db, s.tenantId, s.courseId);
  const roster = (await sessionRoster(db, s)).filter((r) => r.status === 'booked');
  const title = t('training.register.title', { course: courseTitle(course!, locale) });
  const saved = c.req.query('present');
  return c.html(
    <Layout view={view} title={title}>
      <p>
        <a href={`/training/sessions/${s.id}`}>{formatDateTime(locale, s.startsAt)}</a>
      </p>
      <h1>
        {title}
        {s.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {problem?.key ? (
        <div class="error-summary" role="alert">
          <p>{t(problem.key)}</p>
        </div>
      ) : null}
      {saved !== undefined ? (
        <p class="success" role="status">
          {t('training.register.saved', { present: Number(saved) || 0, absent: Number(c.req.query('absent')) || 0 })}
        </p>
      ) : null}
      {roster.length === 0 ? (
        <p>{t('training.register.empty')}</p>
      ) : (
        <form method="post" action={`/training/sessions/${s.id}/register`}>
          <CsrfField token={view.csrfToken} />
          <fieldset>
            <legend>{t('training.register.lead')}</legend>
            {roster.map((r, i) => (
              <div class="choice">
                <input type="hidden" name="member" value={r.member.id} />
                <input type="checkbox" id={`f-present-${i}`} name="present" value={r.member.id} checked={r.present === true} />
                <label for={`f-present-${i}`}>
                  {r.member.name}
                  {r.member.isDemo ? <DemoTag t={t} /> : null}
                </label>
              </div>
            ))}
          </fieldset>
          <div class="actions">
            <button class="button" type="submit">
              {t('training.register.save')}
            </button>
          </div>
        </form>
      )}
    </Layout>,
    problem ? problem.status : 200,
  );
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

export function registerRegisterPages(app: RouteTarget): void {
  route(app, 'GET', '/training/sessions/:id/register', 'signed-in', async (c) => registerPage(c, await registerSession(c)));

  route(app, 'POST', '/training/sessions/:id/register', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const s = await registerSession(c);
    const body = await c.req.parseBody({ all: true });
    const present = new Set(list(body.present));
    const members = [...new Set([...list(body.member), ...present])];
    try {
      const res = await markAttendance(c.get('deps').database.db, actor, s.id, members.map((memberId) => ({ memberId, present: present.has(memberId) })));
      return c.redirect(`/training/sessions/${s.id}/register?present=${res.present}&absent=${res.absent}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.key && (err.code === 'validation_failed' || err.code === 'conflict')) return registerPage(c, s, err);
      throw err;
    }
  });
}
