import type { Context } from 'hono';
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import { formatDateTime, londonToInstant } from '../../lib/dates.ts';
import { isUuid } from '../../lib/ids.ts';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, notFound, type FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import type { Locale, MessageKey, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { versionCard } from './api-documents.ts';
import { ballotState, castBallot, checkReceipt, hasVoted, publishedBallots, RECEIPT_PREFIX, whyNotEntitled } from './ballot.ts';
import { BODY_MAX, conflictedIds, createMotion, declareInterest, listMotions, maySee, motionById, moveMotion, NOTE_MAX, openMotion, recordCount, secondMotion, TITLE_MAX } from './motions.ts';
import { govDocuments, govDocumentVersions, govMeetings, type GovMotion, type RecordRef } from './schema.ts';
import { decide } from './thresholds.ts';

function nowOf(c: Context<AppEnv>): Date {
  const clock = c.get('deps').clock;
  return new Date(clock ? clock() : Date.now());
}

const title = (locale: Locale, x: { title: string; titlePl: string | null }) => (locale === 'pl' && x.titlePl ? x.titlePl : x.title);

/** "Carried" / "Not carried" with the figures and the rule. */
export function ResultBox({ t, m }: { t: Translate; m: Pick<GovMotion, 'outcome' | 'kind' | 'thresholdPct' | 'votesFor' | 'votesAgainst' | 'abstentions' | 'conflictedCount'> }) {
  if (!m.outcome) return null;
  const d = decide({ kind: m.kind, thresholdPct: m.thresholdPct, for: m.votesFor ?? 0, against: m.votesAgainst ?? 0, abstain: m.abstentions ?? 0 });
  return (
    <section class="card result" aria-labelledby="result-h">
      <h2 id="result-h">
        {t('gov.motions.result')}: {t(`gov.motions.outcome.${m.outcome}`)}
      </h2>
      <p>{t('gov.motions.figures', { for: d.for, against: d.against, abstain: d.abstain, cast: d.cast })}</p>
      <p>{ruleLine(t, m.kind, m.thresholdPct)}</p>
      {m.conflictedCount ? <p>{m.conflictedCount === 1 ? t('gov.motions.conflictedOne') : t('gov.motions.conflictedLine', { n: m.conflictedCount })}</p> : null}
    </section>
  );
}

export function ruleLine(t: Translate, kind: 'ordinary' | 'special', pct: number): string {
  return kind === 'ordinary' ? t('gov.motions.rule.ordinary') : t('gov.motions.rule.special', { pct });
}

function statusLabel(t: Translate, m: { status: GovMotion['status']; outcome: GovMotion['outcome'] }): string {
  return m.status === 'closed' && m.outcome ? t(`gov.motions.outcome.${m.outcome}`) : t(`gov.motions.status.${m.status}`);
}

async function listPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = c.get('actor');
  const rows = await listMotions(c.get('deps').database.db, c.get('tenant').id, actor);
  return c.html(
    <Layout view={view} title={t('gov.motions.title')}>
      <h1>{t('gov.motions.title')}</h1>
      <p>{t('gov.motions.lead')}</p>
      <p>
        {actor ? (
          <a class="button" href="/governance/motions/new">
            {t('gov.motions.new')}
          </a>
        ) : null}{' '}
        <a href="/governance/decisions">{t('gov.decisions.title')}</a>
      </p>
      {rows.length === 0 ? (
        <p>{t('gov.motions.none')}</p>
      ) : (
        <TableWrap label={t('gov.motions.title')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('gov.motions.field.title')}</th>
                <th scope="col">{t('gov.motions.field.kind')}</th>
                <th scope="col">{t('gov.motions.field.voting')}</th>
                <th scope="col">{t('gov.motions.status')}</th>
                <th scope="col">{t('gov.motions.votes')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr>
                  <th scope="row" data-label={t('gov.motions.field.title')}>
                    <a href={`/governance/motions/${m.id}`}>{title(locale, m)}</a>
                    {m.isDemo ? <DemoTag t={t} /> : null}
                  </th>
                  <td data-label={t('gov.motions.field.kind')}>{t(`gov.motions.kind.${m.kind}`)}</td>
                  <td data-label={t('gov.motions.field.voting')}>
                    {t(`gov.motions.voting.${m.voting}`)}
                    {m.voting === 'secret_online' && m.closesAt && m.status === 'open' ? ` (${t('gov.motions.closes', { at: formatDateTime(locale, m.closesAt) })})` : ''}
                  </td>
                  <td data-label={t('gov.motions.status')}>{statusLabel(t, m)}</td>
                  <td data-label={t('gov.motions.votes')}>{m.status === 'closed' ? t('gov.motions.figuresShort', { for: m.votesFor ?? 0, against: m.votesAgainst ?? 0, abstain: m.abstentions ?? 0 }) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>,
  );
}

const FORM_FIELDS = ['title', 'titlePl', 'body', 'bodyPl', 'kind', 'electorate', 'voting', 'meetingId', 'opensAt', 'closesAt', 'refersTo'] as const;
type MotionForm = Partial<Record<(typeof FORM_FIELDS)[number], string>>;

async function formOf(c: Context<AppEnv>): Promise<MotionForm> {
  const body = await c.req.parseBody();
  return Object.fromEntries(FORM_FIELDS.map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]));
}

/** Meetings a motion can go to (draft or called, not yet started) and draft policy versions it can adopt. */
async function formChoices(c: Context<AppEnv>) {
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const now = nowOf(c);
  const [meetings, versions] = await Promise.all([
    db
      .select({ id: govMeetings.id, kind: govMeetings.kind, title: govMeetings.title, titlePl: govMeetings.titlePl, startsAt: govMeetings.startsAt })
      .from(govMeetings)
      .where(and(eq(govMeetings.tenantId, tenantId), inArray(govMeetings.status, ['draft', 'called']), gte(govMeetings.startsAt, now)))
      .orderBy(asc(govMeetings.startsAt)),
    db
      .select({ id: govDocumentVersions.id, version: govDocumentVersions.version, title: govDocuments.title, titlePl: govDocuments.titlePl })
      .from(govDocumentVersions)
      .innerJoin(govDocuments, and(eq(govDocuments.tenantId, govDocumentVersions.tenantId), eq(govDocuments.id, govDocumentVersions.documentId)))
      .where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.status, 'draft')))
      .orderBy(asc(govDocuments.title), asc(govDocumentVersions.version)),
  ]);
  return { meetings, versions };
}

async function newPage(c: Context<AppEnv>, issues: FieldIssue[], form: MotionForm = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const manager = allows('motions.manage', actor.roles);
  const { meetings, versions } = await formChoices(c);
  const v = { kind: 'ordinary', voting: 'in_meeting', electorate: manager ? 'board' : 'members', ...form };
  const radios = (name: 'kind' | 'voting', values: readonly string[], labelKey: (x: string) => MessageKey) => (
    <fieldset>
      <legend>{t(`gov.motions.field.${name}`)}</legend>
      {issues.some((i) => i.field === name) ? <p class="error">{t('gov.motions.error.choose')}</p> : null}
      {values.map((x) => (
        <div class="choice">
          <input type="radio" id={`f-${name}-${x}`} name={name} value={x} checked={v[name] === x} />
          <label for={`f-${name}-${x}`}>{t(labelKey(x))}</label>
        </div>
      ))}
    </fieldset>
  );
  return c.html(
    <Layout view={view} title={t('gov.motions.new')}>
      <p>
        <a href="/governance/motions">{t('gov.motions.title')}</a>
      </p>
      <h1>{t('gov.motions.new')}</h1>
      <p>{manager ? t('gov.motions.new.leadBoard') : t('gov.motions.new.leadMember')}</p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/governance/motions" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="title" label={t('gov.motions.field.title')} issues={issues}>
          {(a) => <input type="text" {...a} value={v.title ?? ''} maxlength={TITLE_MAX} required />}
        </Field>
        <Field t={t} name="titlePl" label={t('gov.motions.field.titlePl')} hint={t('gov.motions.field.optional')} issues={issues}>
          {(a) => <input type="text" {...a} value={v.titlePl ?? ''} maxlength={TITLE_MAX} lang="pl" />}
        </Field>
        <Field t={t} name="body" label={t('gov.motions.field.body')} hint={t('gov.motions.field.bodyHint')} issues={issues}>
          {(a) => (
            <textarea {...a} rows={5} maxlength={BODY_MAX} required>
              {v.body ?? ''}
            </textarea>
          )}
        </Field>
        <Field t={t} name="bodyPl" label={t('gov.motions.field.bodyPl')} hint={t('gov.motions.field.optional')} issues={issues}>
          {(a) => (
            <textarea {...a} rows={4} maxlength={BODY_MAX} lang="pl">
              {v.bodyPl ?? ''}
            </textarea>
          )}
        </Field>
        {radios('kind', ['ordinary', 'special'], (x) => (x === 'special' ? 'gov.motions.kind.specialLong' : 'gov.motions.kind.ordinaryLong'))}
        {manager ? (
          <>
            <Field t={t} name="electorate" label={t('gov.motions.field.electorate')} issues={issues}>
              {(a) => (
                <select {...a}>
                  <option value="board" selected={v.electorate === 'board'}>
                    {t('gov.motions.electorate.board')}
                  </option>
                  <option value="members" selected={v.electorate === 'members'}>
                    {t('gov.motions.electorate.members')}
                  </option>
                </select>
              )}
            </Field>
            {radios('voting', ['in_meeting', 'secret_online'], (x) => (x === 'secret_online' ? 'gov.motions.voting.secret_online' : 'gov.motions.voting.in_meeting'))}
          </>
        ) : (
          <>
            <input type="hidden" name="electorate" value="members" />
            <input type="hidden" name="voting" value="in_meeting" />
          </>
        )}
        <Field t={t} name="meetingId" label={t('gov.motions.field.meeting')} hint={t('gov.motions.field.meetingHint')} issues={issues}>
          {(a) => (
            <select {...a}>
              <option value="">{t('gov.motions.field.noMeeting')}</option>
              {meetings
                .filter((m) => manager || m.kind !== 'board')
                .map((m) => (
                  <option value={m.id} selected={v.meetingId === m.id}>
                    {title(locale, m)} — {formatDateTime(locale, m.startsAt)}
                  </option>
                ))}
            </select>
          )}
        </Field>
        {manager ? (
          <>
            <Field t={t} name="opensAt" label={t('gov.motions.field.opensAt')} hint={t('gov.motions.field.onlineHint')} issues={issues}>
              {(a) => <input type="datetime-local" {...a} value={v.opensAt ?? ''} />}
            </Field>
            <Field t={t} name="closesAt" label={t('gov.motions.field.closesAt')} hint={t('gov.motions.field.onlineHint')} issues={issues}>
              {(a) => <input type="datetime-local" {...a} value={v.closesAt ?? ''} />}
            </Field>
            <Field t={t} name="refersTo" label={t('gov.motions.field.refersTo')} hint={t('gov.motions.field.refersHint')} issues={issues}>
              {(a) => (
                <select {...a}>
                  <option value="">{t('gov.motions.field.refersNone')}</option>
                  {versions.map((x) => (
                    <option value={`policy_version:${x.id}`} selected={v.refersTo === `policy_version:${x.id}`}>
                      {t('gov.motions.adoptVersion', { title: title(locale, x), version: x.version })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        ) : null}
        <div class="actions">
          <button class="button" type="submit">
            {t('gov.motions.new.submit')}
          </button>
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function refersFrom(c: Context<AppEnv>, value: string | undefined): Promise<RecordRef | null> {
  if (!value) return null;
  const [kind, id = ''] = value.split(':');
  if (kind !== 'policy_version' || !isUuid(id)) throw new AppError('validation_failed', 'Choose a record from the list.', [{ field: 'refersTo', message: 'gov.motions.error.refersTo' }]);
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const card = await versionCard(db, tenantId, id);
  if (card) return { kind, id, label: `${card.title} v${card.version}`, href: card.href };
  // Until gov-core's versionCard lands, label it from the tables.
  const [row] = await db
    .select({ version: govDocumentVersions.version, slug: govDocuments.slug, title: govDocuments.title, status: govDocumentVersions.status })
    .from(govDocumentVersions)
    .innerJoin(govDocuments, and(eq(govDocuments.tenantId, govDocumentVersions.tenantId), eq(govDocuments.id, govDocumentVersions.documentId)))
    .where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.id, id)));
  if (!row || row.status !== 'draft') throw new AppError('validation_failed', 'Choose a draft version from the list.', [{ field: 'refersTo', message: 'gov.motions.error.refersTo' }]);
  return { kind, id, label: `${row.title} v${row.version}`, href: `/governance/documents/${row.slug}/versions/${row.version}` };
}

function when(value: string | undefined, field: 'opensAt' | 'closesAt'): Date | null {
  if (!value) return null;
  const d = londonToInstant(value);
  if (!d) throw new AppError('validation_failed', 'Enter a date and time.', [{ field, message: 'gov.motions.error.when' }]);
  return d;
}

function issuesOf(err: unknown): FieldIssue[] | undefined {
  if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict' || err.code === 'forbidden')) return err.fields.length ? err.fields : err.key ? [{ field: 'motion', message: err.key }] : undefined;
  return undefined;
}

async function detailPage(c: Context<AppEnv>, m: GovMotion, issues: FieldIssue[] = [], status: 200 | 400 | 403 | 409 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = c.get('actor');
  const db = c.get('deps').database.db;
  const now = nowOf(c);
  const manager = !!actor && allows('motions.manage', actor.roles);
  const [meeting] = m.meetingId ? await db.select().from(govMeetings).where(and(eq(govMeetings.tenantId, m.tenantId), eq(govMeetings.id, m.meetingId))) : [];
  const conflicted = actor ? await conflictedIds(db, m.tenantId, m.id) : [];
  const state = ballotState(m, now);
  const done = c.req.query('done');
  const body = locale === 'pl' && m.bodyPl ? m.bodyPl : m.body;
  return c.html(
    <Layout view={view} title={title(locale, m)}>
      <p>
        <a href="/governance/motions">{t('gov.motions.title')}</a>
      </p>
      <h1>
        {title(locale, m)}
        {m.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {done && (['created', 'moved', 'seconded', 'opened', 'interest', 'counted'] as const).includes(done as 'created') ? (
        <p class="notice" role="status">
          {t(`gov.motions.done.${done as 'created'}`)}
        </p>
      ) : null}
      <ErrorSummary t={t} issues={issues} />
      <blockquote class="motion-text">
        {body.split(/\n{2,}/).map((p) => (
          <p>{p}</p>
        ))}
      </blockquote>
      <Facts
        items={[
          [t('gov.motions.status'), statusLabel(t, m)],
          [t('gov.motions.field.kind'), t(`gov.motions.kind.${m.kind}`)],
          [t('gov.motions.rule'), m.status === 'draft' ? (m.kind === 'ordinary' ? t('gov.motions.rule.ordinary') : t('gov.motions.rule.specialDraft')) : ruleLine(t, m.kind, m.thresholdPct)],
          [t('gov.motions.field.voting'), t(`gov.motions.voting.${m.voting}`)],
          [t('gov.motions.field.electorate'), t(`gov.motions.electorate.${m.electorate}`)],
          [t('gov.motions.field.meeting'), meeting ? `${title(locale, meeting)} — ${formatDateTime(locale, meeting.startsAt)}` : '—'],
          [t('gov.motions.proposer'), m.proposerName || (m.proposerId ? '—' : t('gov.motions.referred'))],
          [t('gov.motions.seconder'), m.seconderName || t('gov.motions.noSeconder')],
          [t('gov.motions.field.refersTo'), m.refersHref ? <a href={m.refersHref}>{m.refersLabel ?? m.refersKind}</a> : (m.refersLabel ?? '—')],
          ...(m.voting === 'secret_online'
            ? ([
                [t('gov.motions.field.opensAt'), m.opensAt ? formatDateTime(locale, m.opensAt) : '—'],
                [t('gov.motions.field.closesAt'), m.closesAt ? formatDateTime(locale, m.closesAt) : '—'],
              ] as const)
            : []),
        ]}
      />
      <ResultBox t={t} m={m} />
      {state === 'open' && actor ? (
        <p>
          <a class="button" href={`/governance/motions/${m.id}/ballot`}>
            {t('gov.motions.ballot.go')}
          </a>
        </p>
      ) : state === 'open' ? (
        <p>{t('gov.motions.ballot.signIn')}</p>
      ) : null}
      {m.voting === 'secret_online' && m.status === 'closed' ? (
        <p>
          <a href={`/governance/motions/${m.id}/ballots`}>{t('gov.motions.ballots.link')}</a>
        </p>
      ) : null}
      {actor && m.status === 'draft' && !m.proposerId && m.seconderId !== actor.memberId ? (
        <form method="post" action={`/governance/motions/${m.id}/move`}>
          <CsrfField token={view.csrfToken} />
          <p class="hint">{t('gov.motions.move.hint')}</p>
          <button class="button button-secondary" type="submit">
            {t('gov.motions.move')}
          </button>
        </form>
      ) : null}
      {actor && m.status === 'draft' && m.proposerId && !m.seconderId && m.proposerId !== actor.memberId ? (
        <form method="post" action={`/governance/motions/${m.id}/second`}>
          <CsrfField token={view.csrfToken} />
          <button class="button button-secondary" type="submit">
            {t('gov.motions.second')}
          </button>
        </form>
      ) : null}
      {manager && m.status === 'draft' ? (
        <form method="post" action={`/governance/motions/${m.id}/open`}>
          <CsrfField token={view.csrfToken} />
          <p class="hint">{!m.proposerId ? t('gov.motions.error.noProposer') : m.seconderId ? t('gov.motions.open.hint') : t('gov.motions.open.needsSeconder')}</p>
          <button class="button" type="submit">
            {t('gov.motions.open')}
          </button>
        </form>
      ) : null}
      {manager && m.status === 'open' && m.voting === 'in_meeting' ? (
        <form method="post" action={`/governance/motions/${m.id}/count`} novalidate aria-labelledby="count-h">
          <h2 id="count-h">{t('gov.motions.count.title')}</h2>
          <p class="hint">{t('gov.motions.count.hint')}</p>
          <CsrfField token={view.csrfToken} />
          {(['for', 'against', 'abstain'] as const).map((k) => (
            <Field t={t} name={k} label={t(`gov.motions.choice.${k}`)} issues={issues}>
              {(a) => <input type="number" {...a} min={0} step={1} inputmode="numeric" class="short" required />}
            </Field>
          ))}
          <button class="button" type="submit">
            {t('gov.motions.count.submit')}
          </button>
        </form>
      ) : null}
      {actor && (m.status === 'draft' || m.status === 'open') ? (
        conflicted.includes(actor.memberId) ? (
          <p>{t('gov.motions.interest.declared')}</p>
        ) : (
          <form method="post" action={`/governance/motions/${m.id}/interest`} aria-labelledby="interest-h">
            <h2 id="interest-h">{t('gov.motions.interest.title')}</h2>
            <p class="hint">{t('gov.motions.interest.hint')}</p>
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="note" label={t('gov.motions.interest.note')} hint={t('gov.motions.field.optional')} issues={issues}>
              {(a) => <textarea {...a} rows={2} maxlength={NOTE_MAX}></textarea>}
            </Field>
            <button class="button button-secondary" type="submit">
              {t('gov.motions.interest.submit')}
            </button>
          </form>
        )
      ) : null}
    </Layout>,
    status,
  );
}

async function visibleMotion(c: Context<AppEnv>): Promise<GovMotion> {
  const m = await motionById(c.get('deps').database.db, c.get('tenant').id, c.req.param('id') ?? '');
  if (!m || !maySee(m, c.get('actor'))) throw notFound('That motion');
  return m;
}

async function ballotPage(c: Context<AppEnv>, m: GovMotion, issues: FieldIssue[] = [], status: 200 | 400 | 403 | 409 = 200) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const db = c.get('deps').database.db;
  const now = nowOf(c);
  const why = await whyNotEntitled(db, actor, m, now);
  const voted = !why && (await hasVoted(db, actor.tenantId, m.id, actor.memberId));
  const body = locale === 'pl' && m.bodyPl ? m.bodyPl : m.body;
  return c.html(
    <Layout view={view} title={t('gov.motions.ballot.title')}>
      <p>
        <a href={`/governance/motions/${m.id}`}>{title(locale, m)}</a>
      </p>
      <h1>{t('gov.motions.ballot.title')}</h1>
      <ErrorSummary t={t} issues={issues} />
      <h2>
        {title(locale, m)}
        {m.isDemo ? <DemoTag t={t} /> : null}
      </h2>
      <blockquote class="motion-text">
        {body.split(/\n{2,}/).map((p) => (
          <p>{p}</p>
        ))}
      </blockquote>
      <p>
        {ruleLine(t, m.kind, m.thresholdPct)} {m.closesAt ? t('gov.motions.closesSentence', { at: formatDateTime(locale, m.closesAt) }) : ''}
      </p>
      {why ? (
        <p class="notice">{t(why)}</p>
      ) : voted ? (
        <p class="notice">{t('gov.motions.error.alreadyVoted')}</p>
      ) : (
        <form method="post" action={`/governance/motions/${m.id}/ballot`} novalidate>
          <CsrfField token={view.csrfToken} />
          <fieldset aria-describedby="ballot-secret">
            <legend>{t('gov.motions.ballot.legend')}</legend>
            <p class="hint" id="ballot-secret">
              {t('gov.motions.ballot.secret')}
            </p>
            {issues.some((i) => i.field === 'choice') ? <p class="error">{t('gov.motions.error.choice')}</p> : null}
            {(['for', 'against', 'abstain'] as const).map((k) => (
              <div class="choice">
                <input type="radio" id={`f-choice-${k}`} name="choice" value={k} />
                <label for={`f-choice-${k}`}>{t(`gov.motions.choice.${k}`)}</label>
              </div>
            ))}
          </fieldset>
          <button class="button" type="submit">
            {t('gov.motions.ballot.submit')}
          </button>
        </form>
      )}
    </Layout>,
    status,
  );
}

function receiptPage(c: Context<AppEnv>, m: GovMotion, receipt: string) {
  const view = viewOf(c);
  const { t, locale } = view;
  return c.html(
    <Layout view={view} title={t('gov.motions.receipt.title')}>
      <h1>{t('gov.motions.receipt.title')}</h1>
      <p role="status" class="notice">
        {t('gov.motions.receipt.thanks', { title: title(locale, m) })}
      </p>
      <p>{t('gov.motions.receipt.lead')}</p>
      <p class="receipt">
        <strong>
          <code id="receipt-code">{receipt}</code>
        </strong>
      </p>
      <p>{t('gov.motions.receipt.once')}</p>
      <p>
        <a href={`/governance/motions/${m.id}`}>{t('gov.motions.receipt.back')}</a>
      </p>
    </Layout>,
  );
}

async function ballotsPage(c: Context<AppEnv>, m: GovMotion) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const closed = m.status === 'closed';
  const receipt = c.req.query('receipt') ?? '';
  const [ballots, found] = closed ? await Promise.all([publishedBallots(db, m.tenantId, m.id), receipt ? checkReceipt(db, m.tenantId, m.id, receipt) : Promise.resolve(null)]) : [[], null];
  return c.html(
    <Layout view={view} title={t('gov.motions.ballots.title')}>
      <p>
        <a href={`/governance/motions/${m.id}`}>{title(locale, m)}</a>
      </p>
      <h1>{t('gov.motions.ballots.title')}</h1>
      {!closed ? (
        <p>{t('gov.motions.ballots.notYet')}</p>
      ) : (
        <>
          <ResultBox t={t} m={m} />
          <form method="get" action={`/governance/motions/${m.id}/ballots`} class="filters">
            <Field t={t} name="receipt" label={t('gov.motions.ballots.check')} hint={t('gov.motions.ballots.checkHint')} issues={[]}>
              {(a) => <input type="text" {...a} value={receipt} autocomplete="off" spellcheck={false} />}
            </Field>
            <button class="button button-secondary" type="submit">
              {t('gov.motions.ballots.checkSubmit')}
            </button>
          </form>
          {receipt ? (
            <p role="status" class="notice">
              {found ? t('gov.motions.ballots.found', { prefix: found.receiptPrefix, choice: t(`gov.motions.choice.${found.choice}`) }) : t('gov.motions.ballots.notFound')}
            </p>
          ) : null}
          <p>{t('gov.motions.ballots.lead', { n: ballots.length, chars: RECEIPT_PREFIX })}</p>
          <TableWrap label={t('gov.motions.ballots.title')}>
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('gov.motions.ballots.receipt')}</th>
                  <th scope="col">{t('gov.motions.ballots.choice')}</th>
                </tr>
              </thead>
              <tbody>
                {ballots.map((b) => (
                  <tr>
                    <td data-label={t('gov.motions.ballots.receipt')}>
                      <code>{b.receiptPrefix}</code>
                    </td>
                    <td data-label={t('gov.motions.ballots.choice')}>{t(`gov.motions.choice.${b.choice}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </Layout>,
  );
}

export function registerMotionPages(app: RouteTarget): void {
  route(app, 'GET', '/governance/motions', 'public', (c) => listPage(c));
  route(app, 'GET', '/governance/motions/new', 'signed-in', (c) => newPage(c, []));
  route(app, 'POST', '/governance/motions', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const form = await formOf(c);
    let id: string;
    try {
      id = await createMotion(
        c.get('deps').database.db,
        actor,
        {
          title: form.title ?? '',
          titlePl: form.titlePl ?? null,
          body: form.body ?? '',
          bodyPl: form.bodyPl ?? null,
          kind: form.kind as 'ordinary',
          electorate: form.electorate as 'members',
          voting: form.voting as 'in_meeting',
          meetingId: form.meetingId || null,
          opensAt: when(form.opensAt, 'opensAt'),
          closesAt: when(form.closesAt, 'closesAt'),
          refersTo: await refersFrom(c, form.refersTo),
        },
        nowOf(c),
      );
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return newPage(c, issues, form);
      throw err;
    }
    return c.redirect(`/governance/motions/${id}?done=created`, 303);
  });
  route(app, 'GET', '/governance/motions/:id', 'public', async (c) => detailPage(c, await visibleMotion(c)));

  const action = (path: string, run: (c: Context<AppEnv>, m: GovMotion) => Promise<unknown>, done: string) =>
    route(app, 'POST', `/governance/motions/:id/${path}`, path === 'open' || path === 'count' ? 'motions.manage' : 'signed-in', async (c) => {
      const m = await visibleMotion(c);
      try {
        await run(c, m);
      } catch (err) {
        const issues = issuesOf(err);
        // A refusal with figures (e.g. "more than the 3 entitled members present"): the page shows the sentence with them filled in.
        const shown = issues && err instanceof AppError && err.params && err.key ? issues.map((i) => (i.message === err.key ? { ...i, message: viewOf(c).t(err.key!, err.params) } : i)) : issues;
        if (shown && err instanceof AppError) return detailPage(c, (await motionById(c.get('deps').database.db, m.tenantId, m.id)) ?? m, shown, err.status as 400 | 403 | 409);
        throw err;
      }
      return c.redirect(`/governance/motions/${m.id}?done=${done}`, 303);
    });
  action('move', (c, m) => moveMotion(c.get('deps').database.db, requireActor(c), m.id, nowOf(c)), 'moved');
  action('second', (c, m) => secondMotion(c.get('deps').database.db, requireActor(c), m.id, nowOf(c)), 'seconded');
  action('open', (c, m) => openMotion(c.get('deps').database.db, requireActor(c), m.id, nowOf(c)), 'opened');
  action(
    'interest',
    async (c, m) => {
      const body = await c.req.parseBody();
      await declareInterest(c.get('deps').database.db, requireActor(c), m.id, { note: typeof body.note === 'string' ? body.note : '' }, nowOf(c));
    },
    'interest',
  );
  action(
    'count',
    async (c, m) => {
      const body = await c.req.parseBody();
      await recordCount(c.get('deps').database.db, requireActor(c), m.id, { for: body.for, against: body.against, abstain: body.abstain }, nowOf(c));
    },
    'counted',
  );

  route(app, 'GET', '/governance/motions/:id/ballot', 'signed-in', async (c) => ballotPage(c, await visibleMotion(c)));
  route(app, 'POST', '/governance/motions/:id/ballot', 'signed-in', async (c) => {
    const m = await visibleMotion(c);
    const body = await c.req.parseBody();
    try {
      const { receipt } = await castBallot(c.get('deps').database.db, requireActor(c), m.id, body.choice, nowOf(c));
      c.header('cache-control', 'no-store');
      return receiptPage(c, m, receipt);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues && err instanceof AppError) return ballotPage(c, m, issues, err.status as 400 | 403 | 409);
      throw err;
    }
  });
  route(app, 'GET', '/governance/motions/:id/ballots', 'public', async (c) => ballotsPage(c, await visibleMotion(c)));
}


