import type { MePanelContext } from '../manifest.ts';
import { Facts } from '../../ui/facts.tsx';
import { duration } from './pages-hours.tsx';
import { myTotals } from './service.ts';

/** On /me: my approved hours this quarter and all time, and entries queried waiting for me. */
export async function renderVolunteeringPanel({ db, actor, t, now }: MePanelContext) {
  const totals = await myTotals(db, actor.tenantId, actor.memberId, now);
  return (
    <section aria-labelledby="me-hours">
      <h2 id="me-hours">{t('volunteering.me.title')}</h2>
      <Facts
        items={[
          [t('volunteering.totals.quarter'), duration(t, totals.quarterMinutes)],
          [t('volunteering.totals.all'), duration(t, totals.allMinutes)],
        ]}
      />
      {totals.queried ? (
        <p class="notice">
          <a href="/volunteering/hours#entries">{t('volunteering.me.queried', { count: totals.queried })}</a>
        </p>
      ) : null}
      <p>
        <a href="/volunteering/hours">{t('volunteering.me.log')}</a>
      </p>
    </section>
  );
}
