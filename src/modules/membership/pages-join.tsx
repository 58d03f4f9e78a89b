import type { Context } from 'hono';
import { randomToken } from '../../lib/hash.ts';
import { route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { clientKey } from '../../server/client-address.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { LOCALES, type Locale } from '../../ui/i18n/locales.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { areaOverview, pickWardSet, tenantBaseUrl, wardsOf } from '../tenancy/views.ts';
import { smsDeliverable } from '../sms/transport.ts';
import { checkJoin, formFrom, JOIN_FIELDS, stepOf, type JoinForm } from './join-form.ts';
import { join, limitJoin } from './join-service.ts';
import { registerJoinConfirmPages } from './pages-join-confirm.tsx';
import { RELATIONSHIPS } from './schema.ts';

function Hidden({ form, except }: { form: JoinForm; except: ReadonlyArray<string> }) {
  return (
    <>
      {JOIN_FIELDS.filter((f) => !except.includes(f) && form[f] !== undefined).map((f) => (
        <input type="hidden" name={f} value={form[f]} />
      ))}
    </>
  );
}

async function renderStep(c: Context<AppEnv>, step: 1 | 2 | 3, form: JoinForm, issues: FieldIssue[]) {
  const view = viewOf(c);
  const { t } = view;
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const overview = await areaOverview(db, tenant);
  const set = overview.sets.find((s) => s.current);
  const wards = set ? await wardsOf(db, tenant, set) : [];
  const title = t(`join.step${step}.title`);
  const lang = (form.preferredLocale ?? view.locale) as Locale;
  return c.html(
    <Layout
      view={view}
      title={`${t('join.title')}: ${title}`}
      scripts={step === 2 ? ['wards-map.js'] : []}
      styles={step === 2 ? ['wards-map.css'] : []}
      langForm={{ id: 'join-form', action: '/join' }}
    >
      <p class="steps">{t('join.stepOf', { step, of: 3 })}</p>
      <h1>{title}</h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/join" novalidate id="join-form">
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="step" value={String(step)} />
        {step === 1 ? (
          <>
            <Hidden form={form} except={['name', 'relationship', 'childrenUnder5', 'preferredLocale']} />
            <Field t={t} name="name" label={t('join.name')} hint={t('join.name.hint')} issues={issues}>
              {(a) => <input type="text" {...a} value={form.name ?? ''} autocomplete="name" maxlength={100} />}
            </Field>
            <fieldset id="f-relationship" aria-describedby={issues.some((i) => i.field === 'relationship') ? 'f-relationship-error' : undefined}>
              <legend>{t('join.relationship')}</legend>
              {issues.some((i) => i.field === 'relationship') ? <p class="error" id="f-relationship-error">{t('join.error.relationship')}</p> : null}
              {RELATIONSHIPS.map((r) => (
                <div class="choice">
                  <input type="radio" id={`rel-${r}`} name="relationship" value={r} checked={form.relationship === r} />
                  <label for={`rel-${r}`}>{t(`relationship.${r}`)}</label>
                </div>
              ))}
            </fieldset>
            <Field t={t} name="childrenUnder5" label={t('join.children')} hint={t('join.children.hint')} issues={issues}>
              {(a) => <input type="number" {...a} value={form.childrenUnder5 ?? ''} min={0} max={20} inputmode="numeric" />}
            </Field>
            <fieldset>
              <legend>{t('join.language')}</legend>
              {LOCALES.map((l) => (
                <div class="choice">
                  <input type="radio" id={`lang-${l}`} name="preferredLocale" value={l} checked={lang === l} />
                  <label for={`lang-${l}`} lang={l}>
                    {l === 'en' ? 'English' : 'Polski'}
                  </label>
                </div>
              ))}
            </fieldset>
          </>
        ) : null}
        {step === 2 ? (
          <>
            <Hidden form={form} except={['email', 'phone', 'ward']} />
            <p>{t('join.contact.lead')}</p>
            <Field t={t} name="email" label={t('join.email')} hint={t('join.email.hint')} issues={issues}>
              {(a) => <input type="email" {...a} value={form.email ?? ''} autocomplete="email" spellcheck={false} />}
            </Field>
            <Field t={t} name="phone" label={t('join.phone')} hint={t('join.phone.hint')} issues={issues}>
              {(a) => <input type="tel" {...a} value={form.phone ?? ''} autocomplete="tel" />}
            </Field>
            <Field t={t} name="ward" label={t('join.ward')} hint={t('join.ward.hint')} issues={issues}>
              {(a) => (
                <select {...a}>
                  <option value="">{t('join.ward.choose')}</option>
                  {wards.map((w) => (
                    <option value={w.code} selected={form.ward === w.code}>
                      {w.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {set ? (
              <div
                id="wards-map"
                class="map map-small"
                role="region"
                aria-label={t('join.ward.map')}
                data-geojson={`/api/v1/ward-sets/${set.key}/geojson`}
                data-select="f-ward"
                data-zoom-in={t('map.zoomIn')}
                data-zoom-out={t('map.zoomOut')}
              >
                <p class="muted wrap">{t('join.ward.mapHint')}</p>
              </div>
            ) : null}
          </>
        ) : null}
        {step === 3 ? (
          <>
            <Hidden form={form} except={['consent']} />
            <h2>{t('join.check.title')}</h2>
            <dl class="facts">
              <dt>{t('join.name')}</dt>
              <dd>{form.name}</dd>
              <dt>{t('join.relationship')}</dt>
              <dd>{form.relationship ? t(`relationship.${form.relationship as (typeof RELATIONSHIPS)[number]}`) : ''}</dd>
              <dt>{t('join.email')}</dt>
              <dd>{form.email ?? '—'}</dd>
              <dt>{t('join.phone')}</dt>
              <dd>{form.phone ?? '—'}</dd>
              <dt>{t('join.ward')}</dt>
              <dd>{wards.find((w) => w.code === form.ward)?.name ?? form.ward}</dd>
            </dl>
            <p>{t('join.privacy.lead')}</p>
            <p>
              <a href="/privacy">{t('join.privacy.link')}</a>
            </p>
            <div class={issues.some((i) => i.field === 'consent') ? 'field field-error' : 'field'}>
              {issues.some((i) => i.field === 'consent') ? <p class="error" id="f-consent-error">{t('join.error.consent')}</p> : null}
              <div class="choice">
                <input type="checkbox" id="f-consent" name="consent" value="yes" aria-describedby={issues.some((i) => i.field === 'consent') ? 'f-consent-error' : undefined} />
                <label for="f-consent">{t('join.consent')}</label>
              </div>
            </div>
          </>
        ) : null}
        <div class="actions">
          <button class="button" type="submit">
            {step === 3 ? t('join.submit') : t('join.continue')}
          </button>
          {step > 1 ? (
            <button class="button button-secondary" type="submit" name="back" value="1">
              {t('join.back')}
            </button>
          ) : null}
        </div>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

/** Too many joins from here or for this address: a 429 page that keeps the answers for a retry. */
function limitedPage(c: Context<AppEnv>, form: JoinForm) {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('join.limited.title')}>
      <h1>{t('join.limited.title')}</h1>
      <p class="lead">{t('join.limited.body')}</p>
      <form method="post" action="/join">
        <CsrfField token={view.csrfToken} />
        <input type="hidden" name="step" value="3" />
        <Hidden form={form} except={[]} />
        <button class="button" type="submit">
          {t('join.limited.retry')}
        </button>
      </form>
    </Layout>,
    429,
  );
}

export function registerJoinPages(app: RouteTarget): void {
  route(app, 'GET', '/join', 'public', (c) => renderStep(c, 1, { joinKey: randomToken(18), preferredLocale: c.get('locale') }, []));

  route(app, 'POST', '/join', 'public', async (c) => {
    const body = await c.req.parseBody();
    const form = formFrom(body);
    form.joinKey ??= randomToken(18);
    const stepRaw = Number(body.step);
    const step = stepRaw === 2 || stepRaw === 3 ? stepRaw : 1;
    // The language switch submits the form: show the same step in the new language, answers kept.
    // On step 1 the message language follows the page's (its radio is on screen to change it).
    if (typeof body.switchLang === 'string') {
      if (step === 1) form.preferredLocale = c.get('locale');
      return renderStep(c, step, form, []);
    }
    if (body.back) return renderStep(c, Math.max(1, step - 1) as 1 | 2, form, []);
    const checked = checkJoin(form, step);
    // Send the person back to the first step that has a problem.
    const first = checked.issues[0];
    if (first) {
      const firstBad = stepOf(first.field);
      return renderStep(c, firstBad, form, checked.issues.filter((i) => firstBad === 3 || i.field !== 'consent'));
    }
    if (step < 3) return renderStep(c, (step + 1) as 2 | 3, form, []);

    const deps = c.get('deps');
    const tenant = c.get('tenant');
    try {
      // The API's limits, per client address and per address being joined (issue 7 item 10).
      await limitJoin(deps.database.db, tenant.id, clientKey(c), checked.email ?? checked.phone);
    } catch (err) {
      if (err instanceof AppError && err.code === 'rate_limited') return limitedPage(c, form);
      throw err;
    }
    const overview = await areaOverview(deps.database.db, tenant);
    const set = pickWardSet(overview, undefined);
    try {
      // The outcome is not used: a new and an existing address get the same page (issue 7 item 9).
      await join(
        deps.database.db,
        tenant,
        set.id,
        {
          name: form.name ?? '',
          email: checked.email,
          phone: checked.phone,
          ward: form.ward ?? '',
          relationship: form.relationship as (typeof RELATIONSHIPS)[number],
          childrenUnder5: form.childrenUnder5 ? Number(form.childrenUnder5) : undefined,
          preferredLocale: form.preferredLocale === 'pl' ? 'pl' : 'en',
          joinKey: form.joinKey,
        },
        await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl),
      );
      return c.redirect(`/join/done?via=${checked.email ? 'email' : 'phone'}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return renderStep(c, 2, form, err.fields);
      throw err;
    }
  });

  route(app, 'GET', '/join/done', 'public', (c) => {
    const view = viewOf(c);
    const { t } = view;
    const byEmail = c.req.query('via') !== 'phone';
    const texts = smsDeliverable(c.get('deps').config);
    return c.html(
      <Layout view={view} title={t('join.done.title')}>
        <h1>{t('join.done.title')}</h1>
        <p class="lead">{byEmail ? t('join.done.email') : texts ? t('join.done.phoneSms') : t('join.done.phone')}</p>
        {byEmail ? <p>{t('join.done.next')}</p> : null}
        {!byEmail && texts ? (
          <p>
            <a class="button" href="/sign-in/phone">
              {t('join.done.signinPhone')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  registerJoinConfirmPages(app);
}
