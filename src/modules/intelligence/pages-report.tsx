import type { Context } from 'hono';
import { randomToken } from '../../lib/hash.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { areaOverview, pickWardSet, tenantBaseUrl, wardsOf, type WardSummary } from '../tenancy/views.ts';
import { FAMILIES_MAX, fileReport, observedBounds, PersonalDetailsFound, TEXT_MAX } from './filing.ts';
import type { PersonalDetailKind } from './pii.ts';
import { categoryDescription, categoryTitle, listCategories } from './queries.ts';
import { fileConcern, type FrontDoor } from './safeguarding.ts';
import { REPORT_SINCE, REPORT_SOURCES } from './schema.ts';
import { nowOf } from './service.ts';

/**
 * Filing from a phone, without JavaScript (issue 10 items 2–3): first "could a child be at risk?",
 * then either the report form or the concern form. Each form carries a client id made when the page
 * is rendered, so a double submit or a resend is one record. Nothing personal goes in a URL.
 */

type ReportForm = Partial<Record<'clientId' | 'categoryKey' | 'wardCode' | 'observedOn' | 'observedText' | 'familiesEstimate' | 'since' | 'source' | 'pointLon' | 'pointLat', string>>;

/** A new client id for a form (the phone's queue makes its own the same shape). */
export function newClientId(): string {
  return `f-${randomToken(18).replace(/[^A-Za-z0-9_-]/g, '')}`.slice(0, 40);
}

async function currentWards(c: Context<AppEnv>): Promise<WardSummary[]> {
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const overview = await areaOverview(db, tenant);
  return overview.currentSet ? wardsOf(db, tenant, pickWardSet(overview, undefined)) : [];
}

function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}

function WardSelect({ wards, value, attrs, t, optional }: { wards: WardSummary[]; value: string | undefined; attrs: Record<string, string>; t: ReturnType<typeof viewOf>['t']; optional?: boolean }) {
  return (
    <select {...attrs}>
      <option value="">{t(optional ? 'intel.field.ward.notSure' : 'intel.field.ward.choose')}</option>
      {wards.map((w) => (
        <option value={w.code} selected={w.code === value}>
          {w.name}
        </option>
      ))}
    </select>
  );
}

function questionPage(c: Context<AppEnv>, issues: FieldIssue[] = []) {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('intel.field.report.title')}>
      <h1>{t('intel.field.report.title')}</h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="get" action="/intelligence/report" novalidate>
        <fieldset id="f-risk" aria-describedby={issues.length ? 'f-risk-error' : 'f-risk-hint'}>
          <legend>
            <strong>{t('intel.field.risk.question')}</strong>
          </legend>
          <p class="hint" id="f-risk-hint">
            {t('intel.field.risk.hint')}
          </p>
          {issues.length ? (
            <p class="error" id="f-risk-error">
              {t('intel.field.error.risk')}
            </p>
          ) : null}
          <div class="choice">
            <input type="radio" id="f-risk-yes" name="risk" value="yes" />
            <label for="f-risk-yes">{t('intel.field.risk.yes')}</label>
          </div>
          <div class="choice">
            <input type="radio" id="f-risk-no" name="risk" value="no" />
            <label for="f-risk-no">{t('intel.field.risk.no')}</label>
          </div>
        </fieldset>
        <button class="button" type="submit">
          {t('intel.field.continue')}
        </button>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

async function reportPage(c: Context<AppEnv>, form: ReportForm, issues: FieldIssue[], personal: PersonalDetailKind[] = []) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const [categories, wards] = await Promise.all([listCategories(db, c.get('tenant').id, { activeOnly: true }), currentWards(c)]);
  const { today, earliest } = observedBounds(nowOf(c.get('deps')));
  const value = { ...form, observedOn: form.observedOn ?? today, clientId: form.clientId ?? newClientId() };
  const status = issues.length || personal.length ? (personal.length && !issues.length ? 422 : 400) : 200;
  return c.html(
    <Layout view={view} title={t('intel.field.report.formTitle')}>
      <p>
        <a href="/intelligence/report">{t('intel.field.report.back')}</a>
      </p>
      <h1>{t('intel.field.report.formTitle')}</h1>
      <p>{t('intel.field.report.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      {personal.length ? (
        <div class="error-summary" role="alert" id="personal-details" tabindex={-1}>
          <h2>{t('intel.field.pii.title')}</h2>
          <p>{t('intel.field.pii.found', { kinds: personal.map((k) => t(`intel.field.pii.${k}`)).join(', ') })}</p>
          <p>{t('intel.field.pii.remove')}</p>
        </div>
      ) : null}
      <form method="post" action="/intelligence/report" id="intel-report-form" novalidate>
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="clientId" value={value.clientId} />
        {value.pointLon && value.pointLat ? (
          <>
            <input type="hidden" name="pointLon" value={value.pointLon} />
            <input type="hidden" name="pointLat" value={value.pointLat} />
          </>
        ) : null}
        <fieldset id="f-categoryKey" aria-describedby={issues.some((i) => i.field === 'categoryKey') ? 'f-categoryKey-error' : undefined}>
          <legend>{t('intel.field.category')}</legend>
          {issues.some((i) => i.field === 'categoryKey') ? (
            <p class="error" id="f-categoryKey-error">
              {t('intel.field.error.category')}
            </p>
          ) : null}
          {categories.map((k) => (
            <div class="choice">
              <input type="radio" id={`f-cat-${k.key}`} name="categoryKey" value={k.key} checked={value.categoryKey === k.key} aria-describedby={`f-cat-${k.key}-hint`} />
              <label for={`f-cat-${k.key}`}>
                {categoryTitle(k, locale)}{' '}
                <span class="hint" id={`f-cat-${k.key}-hint`}>
                  {categoryDescription(k, locale)}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        <Field t={t} name="wardCode" label={t('intel.field.ward')} hint={t('intel.field.ward.hint')} issues={issues.map((i) => (i.field === 'point' ? { ...i, field: 'wardCode' } : i))}>
          {(a) => <WardSelect wards={wards} value={value.wardCode} attrs={a as Record<string, string>} t={t} />}
        </Field>
        <Field t={t} name="observedOn" label={t('intel.field.observedOn')} hint={t('intel.field.observedOn.hint')} issues={issues}>
          {(a) => <input type="date" {...a} value={value.observedOn} min={earliest} max={today} required />}
        </Field>
        <Field t={t} name="observedText" label={t('intel.field.observedText')} hint={t('intel.field.observedText.hint', { max: TEXT_MAX })} issues={issues}>
          {(a) => (
            <textarea {...a} rows={6} maxlength={TEXT_MAX} required>
              {value.observedText ?? ''}
            </textarea>
          )}
        </Field>
        <Field t={t} name="familiesEstimate" label={t('intel.field.families')} hint={t('intel.field.families.hint')} issues={issues}>
          {(a) => <input type="number" {...a} value={value.familiesEstimate ?? '0'} min={0} max={FAMILIES_MAX} inputmode="numeric" />}
        </Field>
        <Field t={t} name="since" label={t('intel.field.since')} issues={issues}>
          {(a) => (
            <select {...a}>
              {REPORT_SINCE.map((s) => (
                <option value={s} selected={(value.since ?? 'unknown') === s}>
                  {t(`intel.field.since.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset id="f-source" aria-describedby={issues.some((i) => i.field === 'source') ? 'f-source-error' : undefined}>
          <legend>{t('intel.field.source')}</legend>
          {issues.some((i) => i.field === 'source') ? (
            <p class="error" id="f-source-error">
              {t('intel.field.error.source')}
            </p>
          ) : null}
          {REPORT_SOURCES.map((s) => (
            <div class="choice">
              <input type="radio" id={`f-source-${s}`} name="source" value={s} checked={value.source === s} />
              <label for={`f-source-${s}`}>{t(`intel.field.source.${s}`)}</label>
            </div>
          ))}
        </fieldset>
        {personal.length ? (
          <div class="choice">
            <input type="checkbox" id="f-confirm" name="confirmNoPersonalDetails" value="yes" />
            <label for="f-confirm">{t('intel.field.pii.confirm')}</label>
          </div>
        ) : null}
        <div class="actions">
          <button class="button" type="submit">
            {t('intel.field.report.send')}
          </button>
        </div>
      </form>
    </Layout>,
    status,
  );
}

async function concernPage(c: Context<AppEnv>, form: { clientId?: string | undefined; observedText?: string | undefined; wardCode?: string | undefined }, issues: FieldIssue[]) {
  const view = viewOf(c);
  const { t } = view;
  const wards = await currentWards(c);
  const clientId = form.clientId ?? newClientId();
  return c.html(
    <Layout view={view} title={t('intel.field.concern.title')}>
      <p>
        <a href="/intelligence/report">{t('intel.field.report.back')}</a>
      </p>
      <h1>{t('intel.field.concern.title')}</h1>
      <div class="notice" role="note">
        <p>
          <strong>{t('intel.field.concern.emergency')}</strong>
        </p>
      </div>
      <p>{t('intel.field.concern.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/intelligence/concern" id="intel-concern-form" novalidate>
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="clientId" value={clientId} />
        <Field t={t} name="observedText" label={t('intel.field.concern.text')} hint={t('intel.field.concern.textHint', { max: TEXT_MAX })} issues={issues}>
          {(a) => (
            <textarea {...a} rows={8} maxlength={TEXT_MAX} required>
              {form.observedText ?? ''}
            </textarea>
          )}
        </Field>
        <Field t={t} name="wardCode" label={t('intel.field.concern.ward')} issues={issues}>
          {(a) => <WardSelect wards={wards} value={form.wardCode} attrs={a as Record<string, string>} t={t} optional />}
        </Field>
        <div class="actions">
          <button class="button" type="submit">
            {t('intel.field.concern.send')}
          </button>
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

/** What to do now, after a concern (also what the phone shows from the API's frontDoor). */
export function WhatToDoNow({ t, frontDoor }: { t: ReturnType<typeof viewOf>['t']; frontDoor: FrontDoor }) {
  return (
    <>
      <h2>{t('intel.field.concern.now')}</h2>
      <ol>
        <li>
          <strong>{t('intel.field.concern.now999')}</strong>
        </li>
        <li>
          {frontDoor.phone ? (
            <>
              {t('intel.field.concern.nowFrontDoor', { name: frontDoor.name || t('intel.field.concern.frontDoorDefault') })}{' '}
              <a href={`tel:${frontDoor.phone.replace(/[^0-9+]/g, '')}`}>{frontDoor.phone}</a>
            </>
          ) : (
            <>
              {t('intel.field.concern.nowFrontDoorUnset')} {t('intel.field.concern.askCoordinator')}
            </>
          )}
        </li>
        <li>{t('intel.field.concern.nowNoMore')}</li>
      </ol>
    </>
  );
}

export function registerReportPages(pages: RouteTarget): void {
  route(pages, 'GET', '/intelligence/report', 'intel.file', async (c) => {
    const risk = c.req.query('risk');
    if (risk === 'no') return reportPage(c, {}, []);
    if (risk === 'yes') return concernPage(c, {}, []);
    return questionPage(c, risk === undefined ? [] : [{ field: 'risk', message: 'intel.field.error.risk' }]);
  });

  route(pages, 'POST', '/intelligence/report', 'intel.file', async (c) => {
    const deps = c.get('deps');
    const view = viewOf(c);
    const { t } = view;
    const body = await c.req.parseBody();
    const form: ReportForm = Object.fromEntries(['clientId', 'categoryKey', 'wardCode', 'observedOn', 'observedText', 'familiesEstimate', 'since', 'source', 'pointLon', 'pointLat'].map((k) => [k, str(body, k)]));
    const lon = Number(form.pointLon);
    const lat = Number(form.pointLat);
    const input = {
      clientId: form.clientId,
      categoryKey: form.categoryKey ?? '',
      wardCode: form.wardCode || undefined,
      observedOn: form.observedOn ?? '',
      observedText: form.observedText ?? '',
      familiesEstimate: form.familiesEstimate === '' || form.familiesEstimate === undefined ? 0 : form.familiesEstimate,
      since: form.since ?? 'unknown',
      source: form.source,
      point: form.pointLon && form.pointLat && Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : undefined,
      confirmNoPersonalDetails: str(body, 'confirmNoPersonalDetails') === 'yes',
    };
    try {
      await fileReport(deps.database.db, requireActor(c), c.get('tenant'), input, nowOf(deps));
    } catch (err) {
      if (err instanceof PersonalDetailsFound) return reportPage(c, form, [], err.kinds);
      if (err instanceof AppError && err.code === 'validation_failed') {
        // A broken client id (a hand-edited form) gets a fresh one; everything else is kept.
        return reportPage(c, err.fields.some((f) => f.field === 'clientId') ? { ...form, clientId: undefined } : form, err.fields);
      }
      if (err instanceof AppError && err.code === 'conflict') return reportPage(c, { ...form, clientId: undefined }, err.fields);
      throw err;
    }
    return c.html(
      <Layout view={view} title={t('intel.field.report.received')}>
        <h1>{t('intel.field.report.received')}</h1>
        <p class="success" role="status">
          {t('intel.field.report.thanks')}
        </p>
        <p class="actions">
          <a class="button" href="/intelligence/report">
            {t('intel.field.report.another')}
          </a>
        </p>
      </Layout>,
    );
  });

  route(pages, 'POST', '/intelligence/concern', 'intel.file', async (c) => {
    const deps = c.get('deps');
    const view = viewOf(c);
    const { t } = view;
    const tenant = c.get('tenant');
    const body = await c.req.parseBody();
    const form = { clientId: str(body, 'clientId'), observedText: str(body, 'observedText'), wardCode: str(body, 'wardCode') || undefined };
    let frontDoor: FrontDoor;
    try {
      const baseUrl = await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl);
      frontDoor = (await fileConcern(deps.database.db, requireActor(c), tenant, { ...form, observedText: form.observedText ?? '' }, baseUrl, nowOf(deps))).frontDoor;
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict')) return concernPage(c, err.fields.some((f) => f.field === 'clientId') ? { ...form, clientId: undefined } : form, err.fields);
      throw err;
    }
    return c.html(
      <Layout view={view} title={t('intel.field.concern.sent')}>
        <h1>{t('intel.field.concern.sent')}</h1>
        <p class="success" role="status">
          {t('intel.field.concern.sentLead')}
        </p>
        <WhatToDoNow t={t} frontDoor={frontDoor} />
      </Layout>,
    );
  });
}
