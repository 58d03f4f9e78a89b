import { formatDateTime } from '../../lib/dates.ts';
import { DemoTag } from '../../ui/demo.tsx';
import type { MePanelContext } from '../manifest.ts';
import { courseTitle } from './courses.ts';
import { waitingPosition } from './service.ts';
import { upcomingBookingsOf } from './views.ts';

/**
 * "My training" on /me: upcoming bookings and waiting-list places. The panel context carries no
 * form token, so each cancel button leads to the session page, whose form cancels (one more tap).
 */
export async function renderTrainingPanel({ db, actor, t, locale, now }: MePanelContext) {
  const rows = await upcomingBookingsOf(db, actor.tenantId, actor.memberId, now);
  const positions = await Promise.all(rows.map((r) => (r.status === 'waitlisted' ? waitingPosition(db, actor.tenantId, r.sessionId, actor.memberId) : Promise.resolve(null))));
  return (
    <section aria-labelledby="training-me">
      <h2 id="training-me">{t('training.me.title')}</h2>
      {rows.length === 0 ? (
        <p>
          {t('training.me.none')} <a href="/training">{t('training.me.find')}</a>
        </p>
      ) : (
        <ul class="plain">
          {rows.map((r, i) => (
            <li>
              <a href={`/training/sessions/${r.sessionId}`}>{courseTitle(r, locale)}</a>
              {r.isDemo ? <DemoTag t={t} /> : null} – {formatDateTime(locale, r.startsAt)}, {r.venue}.{' '}
              <strong>{r.status === 'booked' ? t('training.me.booked') : t('training.me.waiting', { n: positions[i] ?? 0 })}</strong>{' '}
              <a class="button button-secondary" href={`/training/sessions/${r.sessionId}#cancel`}>
                {r.status === 'booked' ? t('training.session.cancelBooking') : t('training.session.leaveWaiting')}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
