import { formatDate, formatDateTime, londonToInstant } from '../../lib/dates.ts';
import type { FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { CsrfField, Field } from '../../ui/forms.tsx';
import type { View } from '../../ui/view.ts';
import type { MotionSummary } from '../governance/api-decisions.ts';
import type { RoundRatification, SendToBoardInput } from './ratify.ts';
import type { RoundRow } from './schema.ts';

/** The send-to-board form's fields → sendToBoard's input. */
export function sendInputOf(form: Record<string, string | string[]>): SendToBoardInput {
  const s = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  const voting = s('voting') === 'secret_online' ? 'secret_online' : 'in_meeting';
  return { voting, meetingId: s('meetingId') || null, closesAt: voting === 'secret_online' ? (londonToInstant(s('closesAt').replace(' ', 'T')) ?? null) : null };
}

/** What a decided motion says, in a sentence or two, with a link to its register entry. */
export function DecisionLine({ view, decided }: { view: View; decided: MotionSummary }) {
  const { t, locale } = view;
  const date = decided.decidedAt ? formatDate(locale, decided.decidedAt) : '';
  const number = String(decided.decisionNumber ?? '—');
  return (
    <div class="notice" id="decision">
      <p>
        {decided.outcome === 'carried' ? t('comm.ratify.carried', { number, date }) : t('comm.ratify.sentBack', { number, date })}{' '}
        {t('comm.ratify.votes', { for: decided.votesFor ?? 0, against: decided.votesAgainst ?? 0, abstain: decided.abstentions ?? 0 })}
        {decided.conflictedCount ? <> {t('comm.ratify.conflicted', { n: decided.conflictedCount })}</> : null}
      </p>
      {decided.decisionHref ? (
        <p>
          <a href={decided.decisionHref}>{t('comm.ratify.decisionLink')}</a>
        </p>
      ) : null}
    </div>
  );
}

/** The ratification part of the coordinator's round page: the decision, the motion with the board, or the form to send it. */
export function RatifyPanel({ view, round, state, issues }: { view: View; round: Pick<RoundRow, 'id' | 'phase' | 'motionId'>; state: RoundRatification; issues: FieldIssue[] }) {
  const { t, locale } = view;
  const showDecision = state.decided && (round.phase === 'published' || round.phase === 'review');
  if (round.phase !== 'ratification' && !showDecision) return null;
  return (
    <section aria-labelledby="ratify-h">
      <h2 id="ratify-h">{t('comm.ratify.title')}</h2>
      {showDecision && state.decided ? <DecisionLine view={view} decided={state.decided} /> : null}
      {round.phase === 'ratification' && state.pending ? (
        <p role="status">
          {t('comm.ratify.pending')}{' '}
          <a href={state.pending.href}>{t('comm.ratify.motion')}</a> ({t(state.pending.status === 'open' ? 'comm.ratify.pendingStatus.open' : 'comm.ratify.pendingStatus.draft')}).
        </p>
      ) : null}
      {round.phase === 'ratification' && !round.motionId ? (
        <form method="post" action={`/coordinator/budget/rounds/${round.id}/board`} novalidate aria-labelledby="send-h" class="card">
          <h3 id="send-h">{t('comm.ratify.send')}</h3>
          <p class="hint">{t('comm.ratify.sendHint')}</p>
          <CsrfField token={view.csrfToken} />
          {state.meetings.length ? (
            <Field t={t} name="meetingId" label={t('comm.ratify.meeting')} hint={t('comm.ratify.meetingHint')} issues={issues}>
              {(a) => (
                <select {...a}>
                  {state.meetings.map((m) => (
                    <option value={m.id}>
                      {(locale === 'pl' && m.titlePl) || m.title} — {formatDateTime(locale, m.startsAt)}
                      {m.status === 'draft' ? ` ${t('comm.ratify.meetingDraft')}` : ''}
                      {m.isDemo ? ` (${t('demo.tag')})` : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <p class="notice" id="no-meeting">
              {t('comm.ratify.noMeeting')} <a href="/governance/meetings">{t('comm.ratify.meetingsLink')}</a>
            </p>
          )}
          <fieldset class="field">
            <legend>{t('comm.ratify.voting')}</legend>
            {(['in_meeting', 'secret_online'] as const).map((v) => (
              <div class="choice">
                <input type="radio" id={`voting-${v}`} name="voting" value={v} checked={v === 'in_meeting'} />
                <label for={`voting-${v}`}>{t(`comm.ratify.voting.${v}`)}</label>
              </div>
            ))}
          </fieldset>
          <Field t={t} name="closesAt" label={t('comm.ratify.closesAt')} hint={t('comm.ratify.closesAtHint')} issues={issues}>
            {(a) => <input {...a} type="datetime-local" />}
          </Field>
          <button class="button" type="submit">
            {t('comm.ratify.send')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** The public round page's link to its decision. */
export function PublicDecision({ view, state, isDemo }: { view: View; state: RoundRatification; isDemo: boolean }) {
  if (!state.decided) return null;
  return (
    <section aria-labelledby="decision-h">
      <h2 id="decision-h">
        {view.t('comm.ratify.title')}
        {isDemo ? <DemoTag t={view.t} /> : null}
      </h2>
      <DecisionLine view={view} decided={state.decided} />
    </section>
  );
}
