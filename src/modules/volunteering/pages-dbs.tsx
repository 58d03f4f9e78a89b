import type { Context } from 'hono';
import { formatDate, isoDate } from '../../lib/dates.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { activeMembersWithRoles, memberCards } from '../membership/views.ts';
import { DBS_DECISIONS, DBS_LEVELS, DBS_OUTCOMES, type DbsRow } from './schema.ts';
import { addDays, createDbsCheck, listDbsChecks, REFERENCE_MAX, updateDbsCheck, viewDbsCheck, type DbsView } from './service.ts';
import { RENEWAL_NOTICE_DAYS } from './jobs.ts';

const DBS_FIELDS = ['memberId', 'checkedOn', 'certificateNumber', 'level', 'outcome', 'updateService', 'renewalOn', 'decisionOn', 'decision', 'reference'] as const;
type DbsForm = Partial<Record<(typeof DBS_FIELDS)[number], string>>;

function nowOf(c: Context<AppEnv>): Date {
  const clock = c.get('deps').clock;
  return new Date(clock ? clock() : Date.now());
}

async function formOf(c: Context<AppEnv>): Promise<DbsForm> {
  const body = await c.req.parseBody();
  return Object.fromEntries(DBS_FIELDS.map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]));
}

const day = (locale: Locale, d: string | null) => (d ? formatDate(locale, d) : '—');

function DbsFields({ t, issues, value }: { t: Translate; issues: FieldIssue[]; value: DbsForm }) {
  return (
    <>
      <p class="notice">{t('volunteering.dbs.form.never')}</p>
      <Field t={t} name="checkedOn" label={t('volunteering.dbs.field.checkedOn')} issues={issues}>
        {(a) => <input type="date" {...a} value={value.checkedOn ?? ''} required />}
      </Field>
      <Field t={t} name="certificateNumber" label={t('volunteering.dbs.field.certificate')} hint={t('volunteering.dbs.field.certificateHint')} issues={issues}>
        {(a) => <input type="text" {...a} value={value.certificateNumber ?? ''} inputmode="numeric" autocomplete="off" maxlength={20} required />}
      </Field>
      <Field t={t} name="level" label={t('volunteering.dbs.field.level')} issues={issues}>
        {(a) => (
          <select {...a}>
            {DBS_LEVELS.map((l) => (
              <option value={l} selected={value.level === l}>
                {t(`volunteering.dbs.level.${l}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="outcome" label={t('volunteering.dbs.field.outcome')} hint={t('volunteering.dbs.field.outcomeHint')} issues={issues}>
        {(a) => (
          <select {...a}>
            {DBS_OUTCOMES.map((o) => (
              <option value={o} selected={value.outcome === o}>
                {t(`volunteering.dbs.outcome.${o}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="updateService" label={t('volunteering.dbs.field.updateService')} issues={issues}>
        {(a) => (
          <select {...a}>
            <option value="no" selected={value.updateService !== 'yes'}>
              {t('volunteering.no')}
            </option>
            <option value="yes" selected={value.updateService === 'yes'}>
              {t('volunteering.yes')}
            </option>
          </select>
        )}
      </Field>
      <Field t={t} name="renewalOn" label={t('volunteering.dbs.field.renewalOn')} hint={t('volunteering.dbs.field.renewalHint')} issues={issues}>
        {(a) => <input type="date" {...a} value={value.renewalOn ?? ''} />}
      </Field>
      <Field t={t} name="decision" label={t('volunteering.dbs.field.decision')} issues={issues}>
        {(a) => (
          <select {...a}>
            <option value="" selected={!value.decision}>
              {t('volunteering.dbs.decision.pending')}
            </option>
            {DBS_DECISIONS.map((d) => (
              <option value={d} selected={value.decision === d}>
                {t(`volunteering.dbs.decision.${d}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field t={t} name="decisionOn" label={t('volunteering.dbs.field.decisionOn')} issues={issues}>
        {(a) => <input type="date" {...a} value={value.decisionOn ?? ''} />}
      </Field>
      <Field t={t} name="reference" label={t('volunteering.dbs.field.reference')} hint={t('volunteering.dbs.field.referenceHint', { max: REFERENCE_MAX })} issues={issues}>
        {(a) => <input type="text" {...a} value={value.reference ?? ''} maxlength={REFERENCE_MAX} autocomplete="off" />}
      </Field>
    </>
  );
}

function statusOf(t: Translate, row: Pick<DbsRow, 'renewalOn' | 'outcome' | 'decision' | 'reducedAt'>, today: string): string {
  if (row.decision === 'not_appointed') return t('volunteering.dbs.status.notAppointed');
  if (!row.renewalOn || row.renewalOn < today) return t('volunteering.dbs.status.expired');
  if (row.renewalOn <= addDays(today, RENEWAL_NOTICE_DAYS)) return t('volunteering.dbs.status.dueSoon');
  if (row.outcome === 'not_clear' && !row.decision) return t('volunteering.dbs.status.awaitingDecision');
  return t('volunteering.dbs.status.inDate');
}

async function candidates(c: Context<AppEnv>) {
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  // Members who hold a role beyond "member" (volunteers, street champions, representatives, staff).
  const ids = (await activeMembersWithRoles(db, tenantId)).filter((m) => m.roles.some((r) => r !== 'member')).map((m) => m.id);
  return (await memberCards(db, tenantId, ids)).sort((a, b) => a.name.localeCompare(b.name) || a.memberNumber - b.memberNumber);
}

async function newPage(c: Context<AppEnv>, issues: FieldIssue[], form: DbsForm = {}) {
  const view = viewOf(c);
  const { t } = view;
  const people = await candidates(c);
  return c.html(
    <Layout view={view} title={t('volunteering.dbs.new.title')}>
      <p>
        <a href="/coordinator/dbs">{t('volunteering.dbs.list.title')}</a>
      </p>
      <h1>{t('volunteering.dbs.new.title')}</h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/coordinator/dbs" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="memberId" label={t('volunteering.dbs.field.member')} hint={t('volunteering.dbs.field.memberHint')} issues={issues}>
          {(a) => (
            <select {...a} required>
              {people.map((p) => (
                <option value={p.id} selected={p.id === form.memberId}>
                  {p.name} ({p.memberNumber}){p.isDemo ? ` – ${t('demo.tag')}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DbsFields t={t} issues={issues} value={form} />
        <div class="actions">
          <button class="button" type="submit">
            {t('volunteering.dbs.save')}
          </button>
          <a href="/coordinator/dbs">{t('volunteering.cancel')}</a>
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

function recordPage(c: Context<AppEnv>, rec: DbsView, issues: FieldIssue[], form?: DbsForm) {
  const view = viewOf(c);
  const { t, locale } = view;
  const today = isoDate(nowOf(c));
  const value: DbsForm = form ?? {
    checkedOn: rec.checkedOn ?? '',
    certificateNumber: rec.certificateNumber,
    level: rec.level ?? '',
    outcome: rec.outcome ?? '',
    updateService: rec.updateService ? 'yes' : 'no',
    renewalOn: rec.renewalOn ?? '',
    decisionOn: rec.decisionOn ?? '',
    decision: rec.decision ?? '',
    reference: rec.reference,
  };
  return c.html(
    <Layout view={view} title={t('volunteering.dbs.record.title')}>
      <p>
        <a href="/coordinator/dbs">{t('volunteering.dbs.list.title')}</a>
      </p>
      <h1>{t('volunteering.dbs.record.title')}</h1>
      {c.req.query('done') ? (
        <p class="notice" role="status">
          {t('volunteering.dbs.saved')}
        </p>
      ) : null}
      <p class="hint">{t('volunteering.dbs.audited')}</p>
      <Facts
        items={[
          [t('volunteering.dbs.field.member'), <>{`${rec.memberName} (${rec.memberNumber})`}{rec.isDemo || rec.memberIsDemo ? <DemoTag t={t} /> : null}</>],
          [t('volunteering.dbs.field.certificate'), rec.certificateNumber],
          [t('volunteering.dbs.field.checkedOn'), day(locale, rec.checkedOn)],
          [t('volunteering.dbs.field.level'), rec.level ? t(`volunteering.dbs.level.${rec.level}`) : '—'],
          [t('volunteering.dbs.field.outcome'), rec.outcome ? t(`volunteering.dbs.outcome.${rec.outcome}`) : '—'],
          [t('volunteering.dbs.field.updateService'), rec.updateService === null ? '—' : rec.updateService ? t('volunteering.yes') : t('volunteering.no')],
          [t('volunteering.dbs.field.renewalOn'), day(locale, rec.renewalOn)],
          [t('volunteering.dbs.field.decision'), rec.decision ? t(`volunteering.dbs.decision.${rec.decision}`) : t('volunteering.dbs.decision.pending')],
          [t('volunteering.dbs.field.decisionOn'), day(locale, rec.decisionOn)],
          [t('volunteering.dbs.field.reference'), rec.reference || '—'],
          [t('volunteering.dbs.status'), statusOf(t, rec, today)],
        ]}
      />
      {rec.reducedAt ? (
        <p class="notice">{t('volunteering.dbs.reduced')}</p>
      ) : (
        <>
          <h2 id="edit">{t('volunteering.dbs.edit.title')}</h2>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action={`/coordinator/dbs/${rec.id}`} novalidate aria-labelledby="edit">
            <CsrfField token={view.csrfToken} />
            <DbsFields t={t} issues={issues} value={value} />
            <div class="actions">
              <button class="button" type="submit">
                {t('volunteering.dbs.save')}
              </button>
            </div>
          </form>
        </>
      )}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

export function registerDbsPages(app: RouteTarget): void {
  route(app, 'GET', '/coordinator/dbs', 'dbs.read', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const rows = await listDbsChecks(c.get('deps').database.db, requireActor(c));
    const today = isoDate(nowOf(c));
    return c.html(
      <Layout view={view} title={t('volunteering.dbs.list.title')}>
        <h1>{t('volunteering.dbs.list.title')}</h1>
        {rows.some((r) => r.isDemo || r.memberIsDemo) ? <DemoNotice t={t} /> : null}
        <p>{t('volunteering.dbs.list.lead')}</p>
        <p class="hint">{t('volunteering.dbs.audited')}</p>
        <p>
          <a class="button" href="/coordinator/dbs/new">
            {t('volunteering.dbs.new.title')}
          </a>
        </p>
        {rows.length === 0 ? (
          <p>{t('volunteering.dbs.list.none')}</p>
        ) : (
          <TableWrap label={t('volunteering.dbs.list.title')}>
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('volunteering.dbs.field.member')}</th>
                  <th scope="col">{t('volunteering.dbs.field.level')}</th>
                  <th scope="col">{t('volunteering.dbs.field.renewalOn')}</th>
                  <th scope="col">{t('volunteering.dbs.status')}</th>
                  <th scope="col">{t('volunteering.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row" data-label={t('volunteering.dbs.field.member')}>
                      {r.memberName} ({r.memberNumber})
                      {r.isDemo || r.memberIsDemo ? <DemoTag t={t} /> : null}
                    </th>
                    <td data-label={t('volunteering.dbs.field.level')}>{r.level ? t(`volunteering.dbs.level.${r.level}`) : '—'}</td>
                    <td data-label={t('volunteering.dbs.field.renewalOn')}>{day(locale, r.renewalOn)}</td>
                    <td data-label={t('volunteering.dbs.status')}>{statusOf(t, r, today)}</td>
                    <td data-label={t('volunteering.actions')}>
                      <a href={`/coordinator/dbs/${r.id}`}>{t('volunteering.dbs.open', { number: r.memberNumber })}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Layout>,
    );
  });

  route(app, 'GET', '/coordinator/dbs/new', 'dbs.manage', (c) => newPage(c, []));

  route(app, 'POST', '/coordinator/dbs', 'dbs.manage', async (c) => {
    const actor = requireActor(c);
    const form = await formOf(c);
    let id: string;
    try {
      id = await createDbsCheck(c.get('deps').database.db, actor, form.memberId ?? '', form, nowOf(c));
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return newPage(c, err.fields, form);
      throw err;
    }
    return c.redirect(`/coordinator/dbs/${id}?done=1`, 303);
  });

  route(app, 'GET', '/coordinator/dbs/:id', 'dbs.read', async (c) => {
    const rec = await viewDbsCheck(c.get('deps').database.db, requireActor(c), c.req.param('id') ?? '');
    return recordPage(c, rec, []);
  });

  route(app, 'POST', '/coordinator/dbs/:id', 'dbs.manage', async (c) => {
    const actor = requireActor(c);
    const db = c.get('deps').database.db;
    const id = c.req.param('id') ?? '';
    const form = await formOf(c);
    try {
      await updateDbsCheck(db, actor, id, form, nowOf(c));
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return recordPage(c, await viewDbsCheck(db, actor, id), err.fields, form);
      throw err;
    }
    return c.redirect(`/coordinator/dbs/${id}?done=1`, 303);
  });
}
