import type { Locale } from '../../ui/i18n/locales.ts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { formatDate } from '../../lib/dates.ts';
import { formatCell, suppressCount } from '../../lib/suppression.ts';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import type { Db } from '../../db/connection.ts';
import type { Actor } from '../membership/policy.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { formatNumber, type MessageKey, type Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { blueprintsForService } from '../blueprints/views.ts';
import { activeMembersWithRole, memberCards } from '../membership/views.ts';
import { getProvider, getService, listCategories, listProviders, tenantWards, type WardRef } from './queries.ts';
import {
  COST_KINDS,
  EVIDENCE_LEVELS,
  PROVIDER_KINDS,
  resCategories,
  resDelivery,
  resProviders,
  resReach,
  resServices,
  resServiceSchedules,
  resServiceWards,
  resSpend,
  SCHEDULE_FREQUENCIES,
  SERVICE_STATUSES,
  SERVICE_TIERS,
  type ResCategory,
  type ResProvider,
  type ResService,
} from './schema.ts';
import {
  addProviderStaff,
  addSchedule,
  editableProviders,
  mayEdit,
  providerStaff,
  removeLine,
  removeProviderStaff,
  removeSchedule,
  saveCategory,
  saveDelivery,
  saveProvider,
  saveReach,
  saveService,
  saveSpend,
  type Form,
} from './service.ts';
import { formOf } from '../../server/form-body.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const db = (c: Context<AppEnv>) => c.get('deps').database.db;
const tenantId = (c: Context<AppEnv>) => c.get('tenant').id;
const notFound = () => new AppError('not_found', 'That record was not found.');

const s = (form: Form, k: string) => {
  const v = form[k];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

const moneyFormat = { en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }), pl: new Intl.NumberFormat('pl-PL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) };
const money = (locale: Locale, pence: number) => `£${moneyFormat[locale === 'pl' ? 'pl' : 'en'].format(pence / 100)}`;

function Options<T extends string>({ t, values, prefix, selected, blank }: { t: Translate; values: readonly T[]; prefix: string; selected: string | undefined; blank?: string }) {
  return (
    <>
      {blank !== undefined ? (
        <option value="" selected={!selected}>
          {blank}
        </option>
      ) : null}
      {values.map((v) => (
        <option value={v} selected={selected === v}>
          {t(`${prefix}.${v}` as MessageKey)}
        </option>
      ))}
    </>
  );
}

const catTitle = (c: Pick<ResCategory, 'title' | 'titlePl'>, locale: string) => (locale === 'pl' && c.titlePl ? c.titlePl : c.title);

// ---------------------------------------------------------------------------------------------
// Directory
// ---------------------------------------------------------------------------------------------

async function directoryPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const q = c.req.query();
  const [categories, wards, providers, editable] = await Promise.all([listCategories(db(c), tenantId(c)), tenantWards(db(c), tenantId(c)), listProviders(db(c), tenantId(c)), editableProviders(db(c), actor)]);
  const filters = [eq(resServices.tenantId, tenantId(c))];
  const category = categories.find((x) => x.key === q.category);
  if (category) filters.push(eq(resServices.categoryId, category.id));
  if ((SERVICE_TIERS as readonly string[]).includes(q.tier ?? '')) filters.push(eq(resServices.tier, q.tier as ResService['tier']));
  if ((SERVICE_STATUSES as readonly string[]).includes(q.status ?? '')) filters.push(eq(resServices.status, q.status as ResService['status']));
  const provider = providers.find((p) => p.id === q.provider);
  if (provider) filters.push(eq(resServices.providerId, provider.id));
  const ward = wards.find((w) => w.code === q.ward);
  if (ward) {
    const inWard = db(c).select({ id: resServiceWards.serviceId }).from(resServiceWards).where(and(eq(resServiceWards.tenantId, tenantId(c)), eq(resServiceWards.wardId, ward.id)));
    filters.push(inArray(resServices.id, inWard));
  }
  const services = await db(c)
    .select({ s: resServices, providerName: resProviders.name, cTitle: resCategories.title, cTitlePl: resCategories.titlePl })
    .from(resServices)
    .innerJoin(resProviders, and(eq(resProviders.tenantId, resServices.tenantId), eq(resProviders.id, resServices.providerId)))
    .innerJoin(resCategories, and(eq(resCategories.tenantId, resServices.tenantId), eq(resCategories.id, resServices.categoryId)))
    .where(and(...filters))
    .orderBy(asc(resProviders.name), asc(resServices.name));
  const manage = allows('resources.manage', actor.roles);
  return c.html(
    <Layout view={view} title={t('res.core.dir.title')}>
      <h1>{t('res.core.dir.title')}</h1>
      <p class="lead">{t('res.core.dir.lead')}</p>
      <ul class="actions">
        {manage ? (
          <li>
            <a class="button" href="/resources/providers/new">
              {t('res.core.provider.new')}
            </a>
          </li>
        ) : null}
        {editable === 'all' || editable.length ? (
          <>
            <li>
              <a class="button button-secondary" href="/resources/services/new">
                {t('res.core.service.new')}
              </a>
            </li>
            <li>
              <a href="/resources/import">{t('res.core.import.title')}</a>
            </li>
            <li>
              <a href="/resources/family-keys">{t('res.core.keys.title')}</a>
            </li>
          </>
        ) : null}
        {manage ? (
          <li>
            <a href="/resources/categories">{t('res.core.cat.title')}</a>
          </li>
        ) : null}
      </ul>
      <form method="get" action="/resources" class="filters" role="search" aria-label={t('res.core.dir.filters')}>
        <div class="field">
          <label for="f-category">{t('res.core.field.category')}</label>
          <select id="f-category" name="category">
            <option value="">{t('res.core.dir.any')}</option>
            {categories.map((x) => (
              <option value={x.key} selected={x.key === q.category}>
                {catTitle(x, locale)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-tier">{t('res.core.field.tier')}</label>
          <select id="f-tier" name="tier">
            <Options t={t} values={SERVICE_TIERS} prefix="res.core.tier" selected={q.tier} blank={t('res.core.dir.any')} />
          </select>
        </div>
        <div class="field">
          <label for="f-ward">{t('res.core.field.ward')}</label>
          <select id="f-ward" name="ward">
            <option value="">{t('res.core.dir.any')}</option>
            {wards.map((w) => (
              <option value={w.code} selected={w.code === q.ward}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-status">{t('res.core.field.status')}</label>
          <select id="f-status" name="status">
            <Options t={t} values={SERVICE_STATUSES} prefix="res.core.status" selected={q.status} blank={t('res.core.dir.any')} />
          </select>
        </div>
        <button class="button" type="submit">
          {t('res.core.dir.filter')}
        </button>
      </form>
      <h2>{t('res.core.dir.services', { n: services.length })}</h2>
      {services.length ? (
        <TableWrap label={t('res.core.dir.servicesTable')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('res.core.field.name')}</th>
                <th scope="col">{t('res.core.field.provider')}</th>
                <th scope="col">{t('res.core.field.category')}</th>
                <th scope="col">{t('res.core.field.tier')}</th>
                <th scope="col">{t('res.core.field.status')}</th>
              </tr>
            </thead>
            <tbody>
              {services.map((r) => (
                <tr>
                  <td>
                    <a href={`/resources/services/${r.s.id}`}>{locale === 'pl' && r.s.namePl ? r.s.namePl : r.s.name}</a>
                    {r.s.isDemo ? <DemoTag t={t} /> : null}
                  </td>
                  <td>{r.providerName}</td>
                  <td>{locale === 'pl' && r.cTitlePl ? r.cTitlePl : r.cTitle}</td>
                  <td>{t(`res.core.tier.${r.s.tier}`)}</td>
                  <td>{t(`res.core.status.${r.s.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>{t('res.core.dir.none')}</p>
      )}
      <h2>{t('res.core.dir.providers', { n: providers.length })}</h2>
      <ul>
        {providers.map((p) => (
          <li>
            <a href={`/resources/providers/${p.id}`}>{p.name}</a> ({t(`res.core.kind.${p.kind}`)}){p.isDemo ? <DemoTag t={t} /> : null}
            {' · '}
            <a href={`/resources?provider=${p.id}`}>{t('res.core.dir.servicesOf')}</a>
          </li>
        ))}
      </ul>
    </Layout>,
  );
}

// ---------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------

function ProviderFields({ t, issues, value }: { t: Translate; issues: FieldIssue[]; value: Form }) {
  return (
    <>
      <Field t={t} name="name" label={t('res.core.field.name')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'name')} maxlength={200} required />}
      </Field>
      <Field t={t} name="ref" label={t('res.core.field.ref')} hint={t('res.core.field.refHint')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'ref')} maxlength={60} required autocomplete="off" />}
      </Field>
      <Field t={t} name="kind" label={t('res.core.field.kind')} issues={issues}>
        {(a) => (
          <select {...a}>
            <Options t={t} values={PROVIDER_KINDS} prefix="res.core.kind" selected={s(value, 'kind') || 'other'} />
          </select>
        )}
      </Field>
      <Field t={t} name="description" label={t('res.core.field.description')} issues={issues}>
        {(a) => <textarea {...a} rows={3} maxlength={2000}>{s(value, 'description')}</textarea>}
      </Field>
      <Field t={t} name="website" label={t('res.core.field.website')} issues={issues}>
        {(a) => <input type="url" {...a} value={s(value, 'website')} maxlength={300} />}
      </Field>
      <Field t={t} name="email" label={t('res.core.field.orgEmail')} hint={t('res.core.field.orgContactHint')} issues={issues}>
        {(a) => <input type="email" {...a} value={s(value, 'email')} maxlength={200} />}
      </Field>
      <Field t={t} name="phone" label={t('res.core.field.orgPhone')} issues={issues}>
        {(a) => <input type="tel" {...a} value={s(value, 'phone')} maxlength={40} />}
      </Field>
    </>
  );
}

function newProviderPage(c: Context<AppEnv>, issues: FieldIssue[] = [], form: Form = {}) {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('res.core.provider.new')}>
      <p>
        <a href="/resources">{t('res.core.back')}</a>
      </p>
      <h1>{t('res.core.provider.new')}</h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/resources/providers">
        <CsrfField token={view.csrfToken} />
        <ProviderFields t={t} issues={issues} value={form} />
        <button class="button" type="submit">
          {t('res.core.save')}
        </button>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

const providerForm = (p: ResProvider): Form => ({ name: p.name, ref: p.ref, kind: p.kind, description: p.description, website: p.website ?? '', email: p.email ?? '', phone: p.phone ?? '' });

async function providerPage(c: Context<AppEnv>, provider: ResProvider, issues: FieldIssue[] = [], form?: Form, staffIssues: FieldIssue[] = []) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const manage = allows('resources.manage', actor.roles);
  const services = await db(c).select().from(resServices).where(and(eq(resServices.tenantId, tenantId(c)), eq(resServices.providerId, provider.id))).orderBy(asc(resServices.name));
  const staffIds = manage ? await providerStaff(db(c), tenantId(c), provider.id) : [];
  const staff = manage ? await memberCards(db(c), tenantId(c), staffIds) : [];
  const partners = manage ? (await activeMembersWithRole(db(c), tenantId(c), 'partner')).filter((m) => !staffIds.includes(m.id)) : [];
  const done = c.req.query('done');
  return c.html(
    <Layout view={view} title={provider.name}>
      <p>
        <a href="/resources">{t('res.core.back')}</a>
      </p>
      <h1>
        {provider.name}
        {provider.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {done ? (
        <p class="success" role="status">
          {t('res.core.saved')}
        </p>
      ) : null}
      <Facts
        items={[
          [t('res.core.field.ref'), <code>{provider.ref}</code>],
          [t('res.core.field.kind'), t(`res.core.kind.${provider.kind}`)],
          [t('res.core.field.description'), provider.description || '—'],
          [t('res.core.field.website'), provider.website ? <a href={provider.website}>{provider.website}</a> : '—'],
          [t('res.core.field.orgEmail'), provider.email ?? '—'],
          [t('res.core.field.orgPhone'), provider.phone ?? '—'],
        ]}
      />
      <h2>{t('res.core.provider.services', { n: services.length })}</h2>
      <ul>
        {services.map((x) => (
          <li>
            <a href={`/resources/services/${x.id}`}>{locale === 'pl' && x.namePl ? x.namePl : x.name}</a> ({t(`res.core.tier.${x.tier}`)}){x.isDemo ? <DemoTag t={t} /> : null}
          </li>
        ))}
      </ul>
      {manage ? (
        <>
          <h2 id="staff">{t('res.core.staff.title')}</h2>
          <p>{t('res.core.staff.lead')}</p>
          <ErrorSummary t={t} issues={staffIssues} />
          {staff.length ? (
            <ul>
              {staff.map((m) => (
                <li>
                  {m.name || t('res.core.staff.erased')} ({t('res.core.staff.number', { n: m.memberNumber })}){' '}
                  <form method="post" action={`/resources/providers/${provider.id}/staff/remove`} class="inline-form">
                    <CsrfField token={view.csrfToken} />
                    <input type="hidden" name="memberId" value={m.id} />
                    <button class="button button-secondary" type="submit" aria-label={t('res.core.staff.removeNamed', { name: m.name })}>
                      {t('res.core.staff.remove')}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('res.core.staff.none')}</p>
          )}
          {partners.length ? (
            <form method="post" action={`/resources/providers/${provider.id}/staff`}>
              <CsrfField token={view.csrfToken} />
              <Field t={t} name="memberId" label={t('res.core.staff.add')} issues={staffIssues}>
                {(a) => (
                  <select {...a}>
                    {partners.map((m) => (
                      <option value={m.id}>
                        {m.name} ({t('res.core.staff.number', { n: m.memberNumber })})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button class="button" type="submit">
                {t('res.core.staff.addButton')}
              </button>
            </form>
          ) : (
            <p class="hint">{t('res.core.staff.noPartners')}</p>
          )}
          <h2 id="edit">{t('res.core.provider.edit')}</h2>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action={`/resources/providers/${provider.id}`}>
            <CsrfField token={view.csrfToken} />
            <ProviderFields t={t} issues={issues} value={form ?? providerForm(provider)} />
            <button class="button" type="submit">
              {t('res.core.save')}
            </button>
          </form>
        </>
      ) : null}
    </Layout>,
    issues.length || staffIssues.length ? 400 : 200,
  );
}

async function providerOr404(c: Context<AppEnv>) {
  const id = c.req.param('id') ?? '';
  const p = UUID.test(id) ? await getProvider(db(c), tenantId(c), id) : undefined;
  if (!p) throw notFound();
  return p;
}

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

function ServiceFields({ t, locale, issues, value, categories, wards, providers }: { t: Translate; locale: string; issues: FieldIssue[]; value: Form; categories: ResCategory[]; wards: WardRef[]; providers?: ResProvider[] }) {
  const wardIds = new Set(Array.isArray(value.wardIds) ? value.wardIds : value.wardIds ? [value.wardIds] : []);
  return (
    <>
      {providers ? (
        <Field t={t} name="providerId" label={t('res.core.field.provider')} issues={issues}>
          {(a) => (
            <select {...a}>
              {providers.map((p) => (
                <option value={p.id} selected={s(value, 'providerId') === p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field t={t} name="name" label={t('res.core.field.name')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'name')} maxlength={200} required />}
      </Field>
      <Field t={t} name="namePl" label={t('res.core.field.namePl')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'namePl')} maxlength={200} lang="pl" />}
      </Field>
      <Field t={t} name="ref" label={t('res.core.field.ref')} hint={t('res.core.field.refHint')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'ref')} maxlength={60} required autocomplete="off" />}
      </Field>
      <Field t={t} name="categoryId" label={t('res.core.field.category')} issues={issues}>
        {(a) => (
          <select {...a}>
            {categories
              .filter((x) => x.active || x.id === s(value, 'categoryId'))
              .map((x) => (
                <option value={x.id} selected={s(value, 'categoryId') === x.id}>
                  {catTitle(x, locale)}
                </option>
              ))}
          </select>
        )}
      </Field>
      <Field t={t} name="tier" label={t('res.core.field.tier')} hint={t('res.core.field.tierHint')} issues={issues}>
        {(a) => (
          <select {...a}>
            <Options t={t} values={SERVICE_TIERS} prefix="res.core.tier" selected={s(value, 'tier') || 'universal'} />
          </select>
        )}
      </Field>
      <Field t={t} name="targetGroup" label={t('res.core.field.targetGroup')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'targetGroup')} maxlength={300} />}
      </Field>
      <fieldset class="field" id="f-wardIds">
        <legend>{t('res.core.field.wards')}</legend>
        {issues.some((i) => i.field === 'wardIds') ? <p class="error">{t('res.core.err.ward')}</p> : null}
        {wards.map((w) => (
          <div class="choice">
            <input type="checkbox" id={`f-ward-${w.code}`} name="wardIds" value={w.id} checked={wardIds.has(w.id)} />
            <label for={`f-ward-${w.code}`}>{w.name}</label>
          </div>
        ))}
      </fieldset>
      <Field t={t} name="venueName" label={t('res.core.field.venueName')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'venueName')} maxlength={200} />}
      </Field>
      <Field t={t} name="venueAddress" label={t('res.core.field.venueAddress')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'venueAddress')} maxlength={400} autocomplete="off" />}
      </Field>
      <Field t={t} name="venuePostcode" label={t('res.core.field.venuePostcode')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'venuePostcode')} maxlength={10} autocomplete="off" />}
      </Field>
      <Field t={t} name="capacity" label={t('res.core.field.capacity')} hint={t('res.core.field.capacityHint')} issues={issues}>
        {(a) => <input type="text" inputmode="numeric" {...a} value={s(value, 'capacity')} maxlength={6} />}
      </Field>
      <Field t={t} name="evidence" label={t('res.core.field.evidence')} issues={issues}>
        {(a) => (
          <select {...a}>
            <Options t={t} values={EVIDENCE_LEVELS} prefix="res.core.evidence" selected={s(value, 'evidence') || 'none'} />
          </select>
        )}
      </Field>
      <Field t={t} name="evidenceSource" label={t('res.core.field.evidenceSource')} issues={issues}>
        {(a) => <input type="text" {...a} value={s(value, 'evidenceSource')} maxlength={1000} />}
      </Field>
      <Field t={t} name="status" label={t('res.core.field.status')} issues={issues}>
        {(a) => (
          <select {...a}>
            <Options t={t} values={SERVICE_STATUSES} prefix="res.core.status" selected={s(value, 'status') || 'active'} />
          </select>
        )}
      </Field>
      <Field t={t} name="description" label={t('res.core.field.description')} issues={issues}>
        {(a) => <textarea {...a} rows={3} maxlength={4000}>{s(value, 'description')}</textarea>}
      </Field>
    </>
  );
}

async function newServicePage(c: Context<AppEnv>, issues: FieldIssue[] = [], form: Form = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const editable = await editableProviders(db(c), actor);
  const providers = (await listProviders(db(c), tenantId(c))).filter((p) => mayEdit(editable, p.id));
  const [categories, wards] = await Promise.all([listCategories(db(c), tenantId(c)), tenantWards(db(c), tenantId(c))]);
  const value = { providerId: c.req.query('provider') ?? '', ...form };
  return c.html(
    <Layout view={view} title={t('res.core.service.new')}>
      <p>
        <a href="/resources">{t('res.core.back')}</a>
      </p>
      <h1>{t('res.core.service.new')}</h1>
      {providers.length ? (
        <>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action="/resources/services">
            <CsrfField token={view.csrfToken} />
            <ServiceFields t={t} locale={locale} issues={issues} value={value} categories={categories} wards={wards} providers={providers} />
            <button class="button" type="submit">
              {t('res.core.save')}
            </button>
          </form>
        </>
      ) : (
        <p>{t('res.core.service.noProviders')}</p>
      )}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

const serviceForm = (x: ResService, wardIds: string[]): Form => ({
  name: x.name,
  namePl: x.namePl ?? '',
  ref: x.ref,
  categoryId: x.categoryId,
  tier: x.tier,
  targetGroup: x.targetGroup,
  wardIds,
  venueName: x.venueName,
  venueAddress: x.venueAddress,
  venuePostcode: x.venuePostcode ?? '',
  capacity: String(x.capacity),
  evidence: x.evidence,
  evidenceSource: x.evidenceSource,
  status: x.status,
  description: x.description,
});

async function serviceOr404(c: Context<AppEnv>) {
  const id = c.req.param('id') ?? '';
  const x = UUID.test(id) ? await getService(db(c), tenantId(c), id) : undefined;
  if (!x) throw notFound();
  return x;
}

async function editServicePage(c: Context<AppEnv>, service: ResService, issues: FieldIssue[] = [], form?: Form) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  if (!mayEdit(await editableProviders(db(c), actor), service.providerId)) throw notFound();
  const [categories, wards, sw] = await Promise.all([
    listCategories(db(c), tenantId(c)),
    tenantWards(db(c), tenantId(c)),
    db(c).select({ w: resServiceWards.wardId }).from(resServiceWards).where(and(eq(resServiceWards.tenantId, tenantId(c)), eq(resServiceWards.serviceId, service.id))),
  ]);
  return c.html(
    <Layout view={view} title={t('res.core.service.edit')}>
      <p>
        <a href={`/resources/services/${service.id}`}>{t('res.core.service.back')}</a>
      </p>
      <h1>
        {t('res.core.service.edit')}: {service.name}
      </h1>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`/resources/services/${service.id}`}>
        <CsrfField token={view.csrfToken} />
        <ServiceFields t={t} locale={locale} issues={issues} value={form ?? serviceForm(service, sw.map((r) => r.w))} categories={categories} wards={wards} />
        <button class="button" type="submit">
          {t('res.core.save')}
        </button>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

type LineForm = 'spend' | 'delivery' | 'reach' | 'schedule';

function PeriodFields({ t, issues, value, prefix }: { t: Translate; issues: FieldIssue[]; value: Form; prefix: string }) {
  return (
    <>
      <div class="field">
        <label for={`f-${prefix}-periodStart`}>{t('res.core.field.periodStart')}</label>
        {issues.some((i) => i.field === 'periodStart') ? <p class="error">{t(issues.find((i) => i.field === 'periodStart')!.message as MessageKey)}</p> : null}
        <input type="date" id={`f-${prefix}-periodStart`} name="periodStart" value={s(value, 'periodStart')} required />
      </div>
      <div class="field">
        <label for={`f-${prefix}-periodEnd`}>{t('res.core.field.periodEnd')}</label>
        {issues.some((i) => i.field === 'periodEnd') ? <p class="error">{t(issues.find((i) => i.field === 'periodEnd')!.message as MessageKey)}</p> : null}
        <input type="date" id={`f-${prefix}-periodEnd`} name="periodEnd" value={s(value, 'periodEnd')} required />
      </div>
    </>
  );
}

/** A field of one of the service page's several small forms (ids prefixed by the form, so they stay unique). */
function LineField({ t, prefix, name, label, hint, issues, children }: { t: Translate; prefix: string; name: string; label: string; hint?: string; issues: FieldIssue[]; children: (a: { id: string; name: string }) => unknown }) {
  const issue = issues.find((i) => i.field === name);
  const id = `f-${prefix}-${name}`;
  return (
    <div class={issue ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? <p class="hint">{hint}</p> : null}
      {issue ? <p class="error">{t(issue.message as MessageKey)}</p> : null}
      {children({ id, name }) as never}
    </div>
  );
}

async function servicePage(c: Context<AppEnv>, service: ResService, failed?: { form: LineForm; issues: FieldIssue[]; value: Form }) {
  const view = viewOf(c);
  const { t, locale } = view;
  const actor = requireActor(c);
  const T = tenantId(c);
  const [provider, categories, wards, sw, schedules, spend, delivery, reach, blueprints, editable] = await Promise.all([
    getProvider(db(c), T, service.providerId),
    listCategories(db(c), T),
    tenantWards(db(c), T),
    db(c).select({ w: resServiceWards.wardId }).from(resServiceWards).where(and(eq(resServiceWards.tenantId, T), eq(resServiceWards.serviceId, service.id))),
    db(c).select().from(resServiceSchedules).where(and(eq(resServiceSchedules.tenantId, T), eq(resServiceSchedules.serviceId, service.id))).orderBy(asc(resServiceSchedules.weekday), asc(resServiceSchedules.opensAt)),
    db(c).select().from(resSpend).where(and(eq(resSpend.tenantId, T), eq(resSpend.serviceId, service.id))).orderBy(asc(resSpend.periodStart), asc(resSpend.kind), asc(resSpend.fundingSource)),
    db(c).select().from(resDelivery).where(and(eq(resDelivery.tenantId, T), eq(resDelivery.serviceId, service.id))).orderBy(asc(resDelivery.periodStart)),
    db(c).select().from(resReach).where(and(eq(resReach.tenantId, T), eq(resReach.serviceId, service.id))).orderBy(asc(resReach.periodStart), asc(resReach.wardId)),
    blueprintsForService(db(c), T, service.id),
    editableProviders(db(c), actor),
  ]);
  const category = categories.find((x) => x.id === service.categoryId);
  const wardName = new Map(wards.map((w) => [w.id, w.name]));
  const canEdit = mayEdit(editable, service.providerId);
  // Counts about people: exact for coordinators, suppressed (1–5 shown as c) for everyone else.
  const exact = allows('resources.manage', actor.roles);
  const count = (n: number) => (exact ? formatNumber(locale, n) : formatCell(suppressCount(n), locale === 'pl' ? 'pl-PL' : 'en-GB'));
  const day = (d: string) => formatDate(locale, d);
  const spendByPeriod = new Map<string, number>();
  for (const r of spend) spendByPeriod.set(`${r.periodStart}|${r.periodEnd}`, (spendByPeriod.get(`${r.periodStart}|${r.periodEnd}`) ?? 0) + r.amountPence);
  const issuesOf = (f: LineForm) => (failed?.form === f ? failed.issues : []);
  const valueOf = (f: LineForm) => (failed?.form === f ? failed.value : {});
  const RemoveButton = ({ table, id, label }: { table: 'spend' | 'delivery' | 'reach'; id: string; label: string }) => (
    <form method="post" action={`/resources/services/${service.id}/lines/remove`} class="inline-form">
      <CsrfField token={view.csrfToken} />
      <input type="hidden" name="table" value={table} />
      <input type="hidden" name="lineId" value={id} />
      <button class="button button-secondary" type="submit" aria-label={label}>
        {t('res.core.remove')}
      </button>
    </form>
  );
  const name = locale === 'pl' && service.namePl ? service.namePl : service.name;
  return c.html(
    <Layout view={view} title={name}>
      <p>
        <a href="/resources">{t('res.core.back')}</a>
      </p>
      <h1>
        {name}
        {service.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      {c.req.query('done') ? (
        <p class="success" role="status">
          {t('res.core.saved')}
        </p>
      ) : null}
      {failed ? <ErrorSummary t={t} issues={failed.issues.map((i) => ({ field: `${failed.form}-${i.field}`, message: i.message }))} /> : null}
      <Facts
        items={[
          [t('res.core.field.provider'), provider ? <a href={`/resources/providers/${provider.id}`}>{provider.name}</a> : '—'],
          [t('res.core.field.ref'), <code>{service.ref}</code>],
          [t('res.core.field.category'), category ? catTitle(category, locale) : '—'],
          [t('res.core.field.tier'), t(`res.core.tier.${service.tier}`)],
          [t('res.core.field.targetGroup'), service.targetGroup || '—'],
          [t('res.core.field.wards'), sw.length ? sw.map((r) => wardName.get(r.w) ?? '?').join(', ') : '—'],
          [t('res.core.field.venue'), [service.venueName, service.venueAddress, service.venuePostcode].filter(Boolean).join(', ') || '—'],
          [t('res.core.field.capacity'), service.capacity ? formatNumber(locale, service.capacity) : t('res.core.notStated')],
          [t('res.core.field.evidence'), t(`res.core.evidence.${service.evidence}`)],
          [t('res.core.field.evidenceSource'), service.evidenceSource || '—'],
          [t('res.core.field.status'), t(`res.core.status.${service.status}`)],
          [t('res.core.field.description'), service.description || '—'],
        ]}
      />
      {canEdit ? (
        <p>
          <a class="button button-secondary" href={`/resources/services/${service.id}/edit`}>
            {t('res.core.service.edit')}
          </a>
        </p>
      ) : null}

      <h2 id="schedule">{t('res.core.schedule.title')}</h2>
      {schedules.length ? (
        <ul>
          {schedules.map((x) => (
            <li>
              {t(`res.core.weekday.${x.weekday}` as MessageKey)} {x.opensAt}–{x.closesAt}, {t(`res.core.freq.${x.frequency}`)}
              {x.termTimeOnly ? `, ${t('res.core.schedule.termTime')}` : ''}{' '}
              {canEdit ? (
                <form method="post" action={`/resources/services/${service.id}/schedules/remove`} class="inline-form">
                  <CsrfField token={view.csrfToken} />
                  <input type="hidden" name="scheduleId" value={x.id} />
                  <button class="button button-secondary" type="submit" aria-label={t('res.core.schedule.removeNamed', { day: t(`res.core.weekday.${x.weekday}` as MessageKey), time: x.opensAt })}>
                    {t('res.core.remove')}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('res.core.schedule.none')}</p>
      )}
      {canEdit ? (
        <details open={failed?.form === 'schedule'}>
          <summary>{t('res.core.schedule.add')}</summary>
          <form method="post" action={`/resources/services/${service.id}/schedules`}>
            <CsrfField token={view.csrfToken} />
            <LineField t={t} prefix="schedule" name="weekday" label={t('res.core.field.weekday')} issues={issuesOf('schedule')}>
              {(a) => (
                <select {...a}>
                  {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                    <option value={String(d)} selected={s(valueOf('schedule'), 'weekday') === String(d)}>
                      {t(`res.core.weekday.${d}` as MessageKey)}
                    </option>
                  ))}
                </select>
              )}
            </LineField>
            <LineField t={t} prefix="schedule" name="opensAt" label={t('res.core.field.opensAt')} issues={issuesOf('schedule')}>
              {(a) => <input type="time" {...a} value={s(valueOf('schedule'), 'opensAt')} required />}
            </LineField>
            <LineField t={t} prefix="schedule" name="closesAt" label={t('res.core.field.closesAt')} issues={issuesOf('schedule')}>
              {(a) => <input type="time" {...a} value={s(valueOf('schedule'), 'closesAt')} required />}
            </LineField>
            <LineField t={t} prefix="schedule" name="frequency" label={t('res.core.field.frequency')} issues={issuesOf('schedule')}>
              {(a) => (
                <select {...a}>
                  <Options t={t} values={SCHEDULE_FREQUENCIES} prefix="res.core.freq" selected={s(valueOf('schedule'), 'frequency') || 'weekly'} />
                </select>
              )}
            </LineField>
            <div class="choice">
              <input type="checkbox" id="f-schedule-termTimeOnly" name="termTimeOnly" value="yes" />
              <label for="f-schedule-termTimeOnly">{t('res.core.schedule.termTime')}</label>
            </div>
            <button class="button" type="submit">
              {t('res.core.schedule.addButton')}
            </button>
          </form>
        </details>
      ) : null}

      <h2 id="spend">{t('res.core.spend.title')}</h2>
      {spend.length ? (
        <TableWrap label={t('res.core.spend.title')}>
          <table>
            <caption>{t('res.core.spend.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('res.core.field.period')}</th>
                <th scope="col">{t('res.core.field.costKind')}</th>
                <th scope="col">{t('res.core.field.fundingSource')}</th>
                <th scope="col" class="num">
                  {t('res.core.field.amount')}
                </th>
                {canEdit ? <th scope="col">{t('res.core.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {spend.map((r) => (
                <tr>
                  <td>
                    {day(r.periodStart)} – {day(r.periodEnd)}
                  </td>
                  <td>{t(`res.core.cost.${r.kind}`)}</td>
                  <td>{r.fundingSource || '—'}</td>
                  <td class="num">{money(locale, r.amountPence)}</td>
                  {canEdit ? (
                    <td>
                      <RemoveButton table="spend" id={r.id} label={t('res.core.spend.removeNamed', { period: day(r.periodStart), kind: t(`res.core.cost.${r.kind}`) })} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
            <tfoot>
              {[...spendByPeriod].map(([k, v]) => (
                <tr>
                  <th scope="row" colSpan={3}>
                    {t('res.core.spend.totalFor', { from: day(k.split('|')[0]!), to: day(k.split('|')[1]!) })}
                  </th>
                  <td class="num">{money(locale, v)}</td>
                  {canEdit ? <td></td> : null}
                </tr>
              ))}
            </tfoot>
          </table>
        </TableWrap>
      ) : (
        <p>{t('res.core.spend.none')}</p>
      )}
      {canEdit ? (
        <details open={failed?.form === 'spend'}>
          <summary>{t('res.core.spend.add')}</summary>
          <form method="post" action={`/resources/services/${service.id}/spend`}>
            <CsrfField token={view.csrfToken} />
            <PeriodFields t={t} issues={issuesOf('spend')} value={valueOf('spend')} prefix="spend" />
            <LineField t={t} prefix="spend" name="kind" label={t('res.core.field.costKind')} issues={issuesOf('spend')}>
              {(a) => (
                <select {...a}>
                  <Options t={t} values={COST_KINDS} prefix="res.core.cost" selected={s(valueOf('spend'), 'kind') || 'staff'} />
                </select>
              )}
            </LineField>
            <LineField t={t} prefix="spend" name="amount" label={t('res.core.field.amountPounds')} hint={t('res.core.field.amountHint')} issues={issuesOf('spend')}>
              {(a) => <input type="text" inputmode="decimal" {...a} value={s(valueOf('spend'), 'amount')} required />}
            </LineField>
            <LineField t={t} prefix="spend" name="fundingSource" label={t('res.core.field.fundingSource')} issues={issuesOf('spend')}>
              {(a) => <input type="text" {...a} value={s(valueOf('spend'), 'fundingSource')} maxlength={200} />}
            </LineField>
            <button class="button" type="submit">
              {t('res.core.spend.addButton')}
            </button>
          </form>
        </details>
      ) : null}

      <h2 id="delivery">{t('res.core.delivery.title')}</h2>
      {delivery.length ? (
        <TableWrap label={t('res.core.delivery.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('res.core.field.period')}</th>
                <th scope="col" class="num">
                  {t('res.core.field.sessions')}
                </th>
                {canEdit ? <th scope="col">{t('res.core.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {delivery.map((r) => (
                <tr>
                  <td>
                    {day(r.periodStart)} – {day(r.periodEnd)}
                  </td>
                  <td class="num">{formatNumber(locale, r.sessions)}</td>
                  {canEdit ? (
                    <td>
                      <RemoveButton table="delivery" id={r.id} label={t('res.core.delivery.removeNamed', { period: day(r.periodStart) })} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>{t('res.core.delivery.none')}</p>
      )}
      {canEdit ? (
        <details open={failed?.form === 'delivery'}>
          <summary>{t('res.core.delivery.add')}</summary>
          <form method="post" action={`/resources/services/${service.id}/delivery`}>
            <CsrfField token={view.csrfToken} />
            <PeriodFields t={t} issues={issuesOf('delivery')} value={valueOf('delivery')} prefix="delivery" />
            <LineField t={t} prefix="delivery" name="sessions" label={t('res.core.field.sessions')} issues={issuesOf('delivery')}>
              {(a) => <input type="text" inputmode="numeric" {...a} value={s(valueOf('delivery'), 'sessions')} required />}
            </LineField>
            <button class="button" type="submit">
              {t('res.core.delivery.addButton')}
            </button>
          </form>
        </details>
      ) : null}

      <h2 id="reach">{t('res.core.reach.title')}</h2>
      {!exact ? <p class="hint">{t('res.core.reach.suppressed')}</p> : null}
      {reach.length ? (
        <TableWrap label={t('res.core.reach.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('res.core.field.period')}</th>
                <th scope="col">{t('res.core.field.ward')}</th>
                <th scope="col" class="num">
                  {t('res.core.field.attendances')}
                </th>
                <th scope="col" class="num">
                  {t('res.core.field.families')}
                </th>
                {canEdit ? <th scope="col">{t('res.core.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {reach.map((r) => (
                <tr>
                  <td>
                    {day(r.periodStart)} – {day(r.periodEnd)}
                  </td>
                  <td>{wardName.get(r.wardId) ?? '?'}</td>
                  <td class="num">{count(r.attendances)}</td>
                  <td class="num">{count(r.families)}</td>
                  {canEdit ? (
                    <td>
                      <RemoveButton table="reach" id={r.id} label={t('res.core.reach.removeNamed', { period: day(r.periodStart), ward: wardName.get(r.wardId) ?? '?' })} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>{t('res.core.reach.none')}</p>
      )}
      {canEdit ? (
        <details open={failed?.form === 'reach'}>
          <summary>{t('res.core.reach.add')}</summary>
          <form method="post" action={`/resources/services/${service.id}/reach`}>
            <CsrfField token={view.csrfToken} />
            <PeriodFields t={t} issues={issuesOf('reach')} value={valueOf('reach')} prefix="reach" />
            <LineField t={t} prefix="reach" name="wardId" label={t('res.core.field.ward')} issues={issuesOf('reach')}>
              {(a) => (
                <select {...a}>
                  {wards.map((w) => (
                    <option value={w.id} selected={s(valueOf('reach'), 'wardId') === w.id}>
                      {w.name}
                    </option>
                  ))}
                </select>
              )}
            </LineField>
            <LineField t={t} prefix="reach" name="attendances" label={t('res.core.field.attendances')} issues={issuesOf('reach')}>
              {(a) => <input type="text" inputmode="numeric" {...a} value={s(valueOf('reach'), 'attendances')} required />}
            </LineField>
            <LineField t={t} prefix="reach" name="families" label={t('res.core.field.families')} hint={t('res.core.field.familiesHint')} issues={issuesOf('reach')}>
              {(a) => <input type="text" inputmode="numeric" {...a} value={s(valueOf('reach'), 'families')} required />}
            </LineField>
            <button class="button" type="submit">
              {t('res.core.reach.addButton')}
            </button>
          </form>
        </details>
      ) : null}

      <h2 id="blueprints">{t('res.core.blueprints.title')}</h2>
      {blueprints.length ? (
        <ul>
          {blueprints.map((b) => (
            <li>
              <a href={b.href}>{b.title}</a> ({t(`res.core.blueprints.${b.kind}`)}){b.isDemo ? <DemoTag t={t} /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('res.core.blueprints.none')}</p>
      )}
    </Layout>,
    failed ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

async function categoriesPage(c: Context<AppEnv>, issues: FieldIssue[] = [], form: Form = {}) {
  const view = viewOf(c);
  const { t } = view;
  const categories = await listCategories(db(c), tenantId(c));
  return c.html(
    <Layout view={view} title={t('res.core.cat.title')}>
      <p>
        <a href="/resources">{t('res.core.back')}</a>
      </p>
      <h1>{t('res.core.cat.title')}</h1>
      <p>{t('res.core.cat.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      <TableWrap label={t('res.core.cat.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('res.core.cat.key')}</th>
              <th scope="col">{t('res.core.cat.titleEn')}</th>
              <th scope="col">{t('res.core.cat.titlePl')}</th>
              <th scope="col">{t('res.core.cat.active')}</th>
              <th scope="col">{t('res.core.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {categories.map((x) => (
              <tr>
                <td>
                  <code>{x.key}</code>
                </td>
                <td>
                  <input type="text" form={`cat-${x.id}`} name="title" value={x.title} aria-label={t('res.core.cat.titleFor', { key: x.key })} maxlength={120} required />
                </td>
                <td>
                  <input type="text" form={`cat-${x.id}`} name="titlePl" value={x.titlePl ?? ''} aria-label={t('res.core.cat.titlePlFor', { key: x.key })} maxlength={120} lang="pl" />
                </td>
                <td>
                  <select form={`cat-${x.id}`} name="active" aria-label={t('res.core.cat.activeFor', { key: x.key })}>
                    <option value="yes" selected={x.active}>
                      {t('res.core.yes')}
                    </option>
                    <option value="no" selected={!x.active}>
                      {t('res.core.no')}
                    </option>
                  </select>
                </td>
                <td>
                  <form method="post" action={`/resources/categories/${x.id}`} id={`cat-${x.id}`}>
                    <CsrfField token={view.csrfToken} />
                    <button class="button button-secondary" type="submit" aria-label={t('res.core.cat.saveFor', { key: x.key })}>
                      {t('res.core.save')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>{t('res.core.cat.add')}</h2>
      <form method="post" action="/resources/categories">
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="key" label={t('res.core.cat.key')} hint={t('res.core.cat.keyHint')} issues={issues}>
          {(a) => <input type="text" {...a} value={s(form, 'key')} maxlength={60} required />}
        </Field>
        <Field t={t} name="title" label={t('res.core.cat.titleEn')} issues={issues}>
          {(a) => <input type="text" {...a} value={s(form, 'title')} maxlength={120} required />}
        </Field>
        <Field t={t} name="titlePl" label={t('res.core.cat.titlePl')} issues={issues}>
          {(a) => <input type="text" {...a} value={s(form, 'titlePl')} maxlength={120} lang="pl" />}
        </Field>
        <button class="button" type="submit">
          {t('res.core.cat.addButton')}
        </button>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------

/** Re-render on a validation error; anything else goes to the error pages. */
async function attempt(run: () => Promise<unknown>, onInvalid: (issues: FieldIssue[]) => Response | Promise<Response>): Promise<Response | undefined> {
  try {
    await run();
    return undefined;
  } catch (e) {
    if (e instanceof AppError && e.code === 'validation_failed') return onInvalid(e.fields);
    throw e;
  }
}

export function registerDirectoryPages(app: RouteTarget): void {
  route(app, 'GET', '/resources', 'resources.read', (c) => directoryPage(c));

  route(app, 'GET', '/resources/providers/new', 'resources.manage', (c) => newProviderPage(c));
  route(app, 'POST', '/resources/providers', 'resources.manage', async (c) => {
    const form = await formOf(c);
    let id = '';
    const bad = await attempt(async () => (id = await saveProvider(db(c), requireActor(c), form)), (issues) => newProviderPage(c, issues, form));
    return bad ?? c.redirect(`/resources/providers/${id}?done=1`, 303);
  });
  route(app, 'GET', '/resources/providers/:id', 'resources.read', async (c) => providerPage(c, await providerOr404(c)));
  route(app, 'POST', '/resources/providers/:id', 'resources.manage', async (c) => {
    const provider = await providerOr404(c);
    const form = await formOf(c);
    const bad = await attempt(() => saveProvider(db(c), requireActor(c), form, provider.id), (issues) => providerPage(c, provider, issues, form));
    return bad ?? c.redirect(`/resources/providers/${provider.id}?done=1`, 303);
  });
  route(app, 'POST', '/resources/providers/:id/staff', 'resources.manage', async (c) => {
    const provider = await providerOr404(c);
    const form = await formOf(c);
    const bad = await attempt(() => addProviderStaff(db(c), requireActor(c), provider.id, s(form, 'memberId')), (issues) => providerPage(c, provider, [], undefined, issues));
    return bad ?? c.redirect(`/resources/providers/${provider.id}?done=1#staff`, 303);
  });
  route(app, 'POST', '/resources/providers/:id/staff/remove', 'resources.manage', async (c) => {
    const provider = await providerOr404(c);
    const form = await formOf(c);
    if (UUID.test(s(form, 'memberId'))) await removeProviderStaff(db(c), requireActor(c), provider.id, s(form, 'memberId'));
    return c.redirect(`/resources/providers/${provider.id}?done=1#staff`, 303);
  });

  route(app, 'GET', '/resources/services/new', 'resources.edit', (c) => newServicePage(c));
  route(app, 'POST', '/resources/services', 'resources.edit', async (c) => {
    const form = await formOf(c);
    let id = '';
    const bad = await attempt(async () => (id = await saveService(db(c), requireActor(c), form)), (issues) => newServicePage(c, issues, form));
    return bad ?? c.redirect(`/resources/services/${id}?done=1`, 303);
  });
  route(app, 'GET', '/resources/services/:id', 'resources.read', async (c) => servicePage(c, await serviceOr404(c)));
  route(app, 'GET', '/resources/services/:id/edit', 'resources.edit', async (c) => editServicePage(c, await serviceOr404(c)));
  route(app, 'POST', '/resources/services/:id', 'resources.edit', async (c) => {
    const service = await serviceOr404(c);
    const form = await formOf(c);
    const bad = await attempt(() => saveService(db(c), requireActor(c), form, service.id), (issues) => editServicePage(c, service, issues, form));
    return bad ?? c.redirect(`/resources/services/${service.id}?done=1`, 303);
  });
  const line = (path: string, form: LineForm, save: (d: Db, actor: Actor, id: string, f: Form) => Promise<void>) =>
    route(app, 'POST', `/resources/services/:id/${path}`, 'resources.edit', async (c) => {
      const service = await serviceOr404(c);
      const value = await formOf(c);
      const bad = await attempt(() => save(db(c), requireActor(c), service.id, value), (issues) => servicePage(c, service, { form, issues, value }));
      return bad ?? c.redirect(`/resources/services/${service.id}?done=1#${form}`, 303);
    });
  line('spend', 'spend', saveSpend);
  line('delivery', 'delivery', saveDelivery);
  line('reach', 'reach', saveReach);
  line('schedules', 'schedule', addSchedule);
  route(app, 'POST', '/resources/services/:id/schedules/remove', 'resources.edit', async (c) => {
    const service = await serviceOr404(c);
    await removeSchedule(db(c), requireActor(c), service.id, s(await formOf(c), 'scheduleId'));
    return c.redirect(`/resources/services/${service.id}?done=1#schedule`, 303);
  });
  route(app, 'POST', '/resources/services/:id/lines/remove', 'resources.edit', async (c) => {
    const service = await serviceOr404(c);
    const form = await formOf(c);
    const table = s(form, 'table');
    if (table === 'spend' || table === 'delivery' || table === 'reach') await removeLine(db(c), requireActor(c), service.id, table, s(form, 'lineId'));
    else await removeLine(db(c), requireActor(c), service.id, 'spend', '');
    return c.redirect(`/resources/services/${service.id}?done=1`, 303);
  });

  route(app, 'GET', '/resources/categories', 'resources.manage', (c) => categoriesPage(c));
  route(app, 'POST', '/resources/categories', 'resources.manage', async (c) => {
    const form = await formOf(c);
    const bad = await attempt(() => saveCategory(db(c), requireActor(c), form), (issues) => categoriesPage(c, issues, form));
    return bad ?? c.redirect('/resources/categories', 303);
  });
  route(app, 'POST', '/resources/categories/:id', 'resources.manage', async (c) => {
    const form = await formOf(c);
    const bad = await attempt(() => saveCategory(db(c), requireActor(c), form, c.req.param('id') ?? ''), (issues) => categoriesPage(c, issues));
    return bad ?? c.redirect('/resources/categories', 303);
  });
}
