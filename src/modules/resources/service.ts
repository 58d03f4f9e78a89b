/**
 * The resource audit's rules (issue 11): providers and their services, cost lines, sessions
 * delivered and reach, staff links, categories, the family-key secret. Every write checks the actor
 * itself; a partner (resources.edit without resources.manage) changes only providers they are staff
 * of (res_provider_staff), and anything else answers 404, as if the record were not there.
 */
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { addMonths } from '../../lib/dates.ts';
import { randomToken } from '../../lib/hash.ts';
import { newId } from '../../lib/ids.ts';
import { allows, requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { memberRolesOf } from '../membership/views.ts';
import { parseChoice, parseCount, parseDay, parseMoney, parseRef, parseText, parseTime, type Rule } from './import-rules.ts';
import { getProvider, getService, getSettings, listCategories, tenantWards } from './queries.ts';
import {
  COST_KINDS,
  EVIDENCE_LEVELS,
  PROVIDER_KINDS,
  resCategories,
  resDelivery,
  resFamilyContacts,
  resProviders,
  resProviderStaff,
  resReach,
  resServices,
  resServiceSchedules,
  resServiceWards,
  resSettings,
  resSpend,
  SCHEDULE_FREQUENCIES,
  SERVICE_STATUSES,
  SERVICE_TIERS,
} from './schema.ts';
import { providersOfMember } from './views.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The default taxonomy, seeded per tenant (editable on /resources/categories). */
export const DEFAULT_CATEGORIES: ReadonlyArray<{ key: string; title: string; titlePl: string }> = [
  { key: 'stay-and-play', title: 'Stay and play', titlePl: 'Zabawa z rodzicami (stay and play)' },
  { key: 'parenting-support', title: 'Parenting support', titlePl: 'Wsparcie rodzicielskie' },
  { key: 'speech-and-language', title: 'Speech and language', titlePl: 'Mowa i język' },
  { key: 'health-visiting', title: 'Health visiting', titlePl: 'Wizyty położnej środowiskowej (health visiting)' },
  { key: 'breastfeeding', title: 'Breastfeeding support', titlePl: 'Wsparcie karmienia piersią' },
  { key: 'perinatal-mental-health', title: 'Perinatal mental health', titlePl: 'Zdrowie psychiczne w okresie okołoporodowym' },
  { key: 'home-visiting', title: 'Home visiting', titlePl: 'Wizyty domowe' },
  { key: 'early-education', title: 'Early education', titlePl: 'Wczesna edukacja' },
  { key: 'family-support', title: 'Family support', titlePl: 'Wsparcie rodziny' },
  { key: 'domestic-abuse-support', title: 'Domestic abuse support', titlePl: 'Pomoc w przemocy domowej' },
  { key: 'community-safety', title: 'Community safety', titlePl: 'Bezpieczeństwo w okolicy' },
  { key: 'young-parents', title: 'Youth and young parents', titlePl: 'Młodzież i młodzi rodzice' },
  { key: 'debt-and-benefits', title: 'Debt and benefits advice', titlePl: 'Porady w sprawie długów i zasiłków' },
  { key: 'send-support', title: 'SEND support', titlePl: 'Wsparcie SEND (specjalne potrzeby edukacyjne)' },
];

/** Per-tenant defaults: the settings row (a fresh family-key secret) and the category taxonomy; inserts what is missing only. */
export async function seedResources(tx: Executor, tenantId: string): Promise<void> {
  await tx.insert(resSettings).values({ tenantId, familyKeySecret: randomToken(32) }).onConflictDoNothing();
  await tx
    .insert(resCategories)
    .values(DEFAULT_CATEGORIES.map((c, i) => ({ tenantId, id: newId(), key: c.key, title: c.title, titlePl: c.titlePl, sortOrder: (i + 1) * 10 })))
    .onConflictDoNothing();
}

// ---------------------------------------------------------------------------------------------
// Who may change what
// ---------------------------------------------------------------------------------------------

/** The providers an actor may change: every one (resources.manage) or those they are staff of. */
export async function editableProviders(db: Executor, actor: Actor): Promise<'all' | string[]> {
  if (allows('resources.manage', actor.roles)) return 'all';
  if (!allows('resources.edit', actor.roles)) return [];
  return providersOfMember(db, actor.tenantId, actor.memberId);
}

export function mayEdit(editable: 'all' | readonly string[], providerId: string): boolean {
  return editable === 'all' || editable.includes(providerId);
}

const notYours = () => new AppError('not_found', 'There is no such record among the providers you may change.', [], 'res.core.err.notYours');

async function requireEditableService(db: Executor, actor: Actor, serviceId: string) {
  requirePermission(actor, 'resources.edit', 'Your role does not allow changing services.', 'res.core.err.forbidden');
  const service = UUID.test(serviceId) ? await getService(db, actor.tenantId, serviceId) : undefined;
  if (!service || !mayEdit(await editableProviders(db, actor), service.providerId)) throw notYours();
  return service;
}

// ---------------------------------------------------------------------------------------------
// Form reading
// ---------------------------------------------------------------------------------------------

export type Form = Record<string, string | string[] | undefined>;

class Issues {
  readonly list: FieldIssue[] = [];
  take<T>(field: string, rule: Rule<T>): T | undefined {
    if (rule.ok) return rule.value;
    this.list.push({ field, message: rule.key });
    return undefined;
  }
  add(field: string, key: string): void {
    this.list.push({ field, message: key });
  }
  throwIfAny(): void {
    if (this.list.length) throw new AppError('validation_failed', 'Some fields need correcting.', this.list);
  }
}

const str = (form: Form, k: string): string => {
  const v = form[k];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
const list = (form: Form, k: string): string[] => {
  const v = form[k];
  return Array.isArray(v) ? v : v ? [v] : [];
};
const optional = (v: string) => (v ? v : null);

// ---------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------

export async function saveProvider(db: Db, actor: Actor, form: Form, id?: string): Promise<string> {
  requirePermission(actor, 'resources.manage', 'Only coordinators can add or change providers.', 'res.core.err.forbidden');
  const is = new Issues();
  const values = {
    ref: is.take('ref', parseRef(str(form, 'ref'))),
    name: is.take('name', parseText(str(form, 'name'), 200, true)),
    kind: is.take('kind', parseChoice(str(form, 'kind'), PROVIDER_KINDS)),
    description: is.take('description', parseText(str(form, 'description'), 2000)),
    website: is.take('website', parseText(str(form, 'website'), 300)),
    email: is.take('email', parseText(str(form, 'email'), 200)),
    phone: is.take('phone', parseText(str(form, 'phone'), 40)),
  };
  if (values.website && !/^https?:\/\//.test(values.website)) is.add('website', 'res.core.err.url');
  is.throwIfAny();
  return db.transaction(async (tx) => {
    if (id) {
      const current = UUID.test(id) ? await getProvider(tx, actor.tenantId, id) : undefined;
      if (!current) throw notYours();
    }
    const [clash] = await tx.select({ id: resProviders.id }).from(resProviders).where(and(eq(resProviders.tenantId, actor.tenantId), eq(resProviders.ref, values.ref!)));
    if (clash && clash.id !== id) throw new AppError('validation_failed', 'Another provider has this reference.', [{ field: 'ref', message: 'res.core.err.refTaken' }]);
    const row = { ref: values.ref!, name: values.name!, kind: values.kind!, description: values.description!, website: optional(values.website!), email: optional(values.email!), phone: optional(values.phone!) };
    const providerId = id ?? newId();
    if (id) await tx.update(resProviders).set({ ...row, updatedAt: new Date() }).where(and(eq(resProviders.tenantId, actor.tenantId), eq(resProviders.id, id)));
    else await tx.insert(resProviders).values({ tenantId: actor.tenantId, id: providerId, ...row });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: id ? 'resources.provider.update' : 'resources.provider.create', entity: 'res_provider', entityId: providerId });
    return providerId;
  });
}

/** Make a partner member staff of a provider (they may then edit its services, spend and reach). */
export async function addProviderStaff(db: Db, actor: Actor, providerId: string, memberId: string): Promise<void> {
  requirePermission(actor, 'resources.manage', 'Only coordinators can change who works for a provider.', 'res.core.err.forbidden');
  const provider = UUID.test(providerId) ? await getProvider(db, actor.tenantId, providerId) : undefined;
  if (!provider) throw notYours();
  const roles = UUID.test(memberId) ? await memberRolesOf(db, actor.tenantId, memberId) : [];
  if (!roles.includes('partner')) throw new AppError('validation_failed', 'Choose a member with the partner role.', [{ field: 'memberId', message: 'res.core.err.notPartner' }]);
  await db.transaction(async (tx) => {
    const added = await tx.insert(resProviderStaff).values({ tenantId: actor.tenantId, providerId, memberId, addedBy: actor.memberId }).onConflictDoNothing().returning({ m: resProviderStaff.memberId });
    if (added.length) await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.staff.add', entity: 'res_provider', entityId: providerId, data: { memberId } });
  });
}

export async function removeProviderStaff(db: Db, actor: Actor, providerId: string, memberId: string): Promise<void> {
  requirePermission(actor, 'resources.manage', 'Only coordinators can change who works for a provider.', 'res.core.err.forbidden');
  if (!UUID.test(providerId) || !UUID.test(memberId)) throw notYours();
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(resProviderStaff)
      .where(and(eq(resProviderStaff.tenantId, actor.tenantId), eq(resProviderStaff.providerId, providerId), eq(resProviderStaff.memberId, memberId)))
      .returning({ m: resProviderStaff.memberId });
    if (gone.length) await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.staff.remove', entity: 'res_provider', entityId: providerId, data: { memberId } });
  });
}

export async function providerStaff(db: Executor, tenantId: string, providerId: string): Promise<string[]> {
  const rows = await db.select({ m: resProviderStaff.memberId }).from(resProviderStaff).where(and(eq(resProviderStaff.tenantId, tenantId), eq(resProviderStaff.providerId, providerId))).orderBy(asc(resProviderStaff.addedAt));
  return rows.map((r) => r.m);
}

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

/** Create (no id) or change a service; a partner only for a provider they are staff of (form's providerId included). */
export async function saveService(db: Db, actor: Actor, form: Form, id?: string): Promise<string> {
  requirePermission(actor, 'resources.edit', 'Your role does not allow changing services.', 'res.core.err.forbidden');
  const existing = id ? await requireEditableService(db, actor, id) : undefined;
  const providerId = existing ? existing.providerId : str(form, 'providerId');
  const is = new Issues();
  // A new service names its provider in the form: one the actor may not change is a field error.
  if (!existing) {
    const provider = UUID.test(providerId) ? await getProvider(db, actor.tenantId, providerId) : undefined;
    if (!provider || !mayEdit(await editableProviders(db, actor), provider.id)) {
      is.add('providerId', 'res.core.err.notYours');
      is.throwIfAny();
    }
  }
  const categories = await listCategories(db, actor.tenantId);
  const wards = await tenantWards(db, actor.tenantId);
  const categoryId = str(form, 'categoryId');
  if (!categories.some((c) => c.id === categoryId)) is.add('categoryId', 'res.core.err.category');
  const wardIds = list(form, 'wardIds');
  if (wardIds.some((w) => !wards.some((x) => x.id === w))) is.add('wardIds', 'res.core.err.ward');
  const capacityText = str(form, 'capacity').trim();
  const values = {
    ref: is.take('ref', parseRef(str(form, 'ref'))),
    name: is.take('name', parseText(str(form, 'name'), 200, true)),
    namePl: is.take('namePl', parseText(str(form, 'namePl'), 200)),
    description: is.take('description', parseText(str(form, 'description'), 4000)),
    tier: is.take('tier', parseChoice(str(form, 'tier'), SERVICE_TIERS)),
    targetGroup: is.take('targetGroup', parseText(str(form, 'targetGroup'), 300)),
    venueName: is.take('venueName', parseText(str(form, 'venueName'), 200)),
    venueAddress: is.take('venueAddress', parseText(str(form, 'venueAddress'), 400)),
    venuePostcode: is.take('venuePostcode', parseText(str(form, 'venuePostcode'), 10)),
    capacity: capacityText ? is.take('capacity', parseCount(capacityText, 100_000)) : 0,
    evidence: is.take('evidence', parseChoice(str(form, 'evidence') || 'none', EVIDENCE_LEVELS)),
    evidenceSource: is.take('evidenceSource', parseText(str(form, 'evidenceSource'), 1000)),
    status: is.take('status', parseChoice(str(form, 'status') || 'active', SERVICE_STATUSES)),
  };
  is.throwIfAny();
  return db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: resServices.id })
      .from(resServices)
      .where(and(eq(resServices.tenantId, actor.tenantId), eq(resServices.providerId, providerId), eq(resServices.ref, values.ref!)));
    if (clash && clash.id !== id) throw new AppError('validation_failed', 'Another service of this provider has this reference.', [{ field: 'ref', message: 'res.core.err.refTaken' }]);
    const row = {
      ref: values.ref!,
      name: values.name!,
      namePl: optional(values.namePl!),
      description: values.description!,
      categoryId,
      tier: values.tier!,
      targetGroup: values.targetGroup!,
      venueName: values.venueName!,
      venueAddress: values.venueAddress!,
      venuePostcode: optional(values.venuePostcode!.toUpperCase()),
      capacity: values.capacity!,
      evidence: values.evidence!,
      evidenceSource: values.evidenceSource!,
      status: values.status!,
    };
    const serviceId = id ?? newId();
    if (id) await tx.update(resServices).set({ ...row, updatedAt: new Date() }).where(and(eq(resServices.tenantId, actor.tenantId), eq(resServices.id, id)));
    else await tx.insert(resServices).values({ tenantId: actor.tenantId, id: serviceId, providerId, ...row });
    await tx.delete(resServiceWards).where(and(eq(resServiceWards.tenantId, actor.tenantId), eq(resServiceWards.serviceId, serviceId)));
    if (wardIds.length) await tx.insert(resServiceWards).values([...new Set(wardIds)].map((wardId) => ({ tenantId: actor.tenantId, serviceId, wardId })));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: id ? 'resources.service.update' : 'resources.service.create', entity: 'res_service', entityId: serviceId });
    return serviceId;
  });
}

export async function addSchedule(db: Db, actor: Actor, serviceId: string, form: Form): Promise<void> {
  const service = await requireEditableService(db, actor, serviceId);
  const is = new Issues();
  const weekday = is.take('weekday', parseCount(str(form, 'weekday'), 7));
  if (weekday !== undefined && weekday < 1) is.add('weekday', 'res.core.err.count');
  const opensAt = is.take('opensAt', parseTime(str(form, 'opensAt')));
  const closesAt = is.take('closesAt', parseTime(str(form, 'closesAt')));
  if (opensAt && closesAt && opensAt >= closesAt) is.add('closesAt', 'res.core.err.time');
  const frequency = is.take('frequency', parseChoice(str(form, 'frequency') || 'weekly', SCHEDULE_FREQUENCIES));
  is.throwIfAny();
  await db.transaction(async (tx) => {
    const sid = newId();
    await tx.insert(resServiceSchedules).values({ tenantId: actor.tenantId, id: sid, serviceId: service.id, weekday: weekday!, opensAt: opensAt!, closesAt: closesAt!, frequency: frequency!, termTimeOnly: str(form, 'termTimeOnly') === 'yes' });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.schedule.add', entity: 'res_service', entityId: service.id, data: { scheduleId: sid } });
  });
}

export async function removeSchedule(db: Db, actor: Actor, serviceId: string, scheduleId: string): Promise<void> {
  const service = await requireEditableService(db, actor, serviceId);
  if (!UUID.test(scheduleId)) return;
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(resServiceSchedules)
      .where(and(eq(resServiceSchedules.tenantId, actor.tenantId), eq(resServiceSchedules.serviceId, service.id), eq(resServiceSchedules.id, scheduleId)))
      .returning({ id: resServiceSchedules.id });
    if (gone.length) await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.schedule.remove', entity: 'res_service', entityId: service.id, data: { scheduleId } });
  });
}

function period(is: Issues, form: Form): { start?: string; end?: string } {
  const start = is.take('periodStart', parseDay(str(form, 'periodStart')));
  const end = is.take('periodEnd', parseDay(str(form, 'periodEnd')));
  if (start && end && end < start) is.add('periodEnd', 'res.core.err.periodOrder');
  return { start, end };
}

/** A cost line (kind, period, pounds and pence, funding source); the same line again replaces its amount. */
export async function saveSpend(db: Db, actor: Actor, serviceId: string, form: Form): Promise<void> {
  const service = await requireEditableService(db, actor, serviceId);
  const is = new Issues();
  const { start, end } = period(is, form);
  const kind = is.take('kind', parseChoice(str(form, 'kind'), COST_KINDS));
  const amount = is.take('amount', parseMoney(str(form, 'amount')));
  const fundingSource = is.take('fundingSource', parseText(str(form, 'fundingSource'), 200));
  is.throwIfAny();
  await db.transaction(async (tx) => {
    const id = newId();
    const [row] = await tx
      .insert(resSpend)
      .values({ tenantId: actor.tenantId, id, serviceId: service.id, periodStart: start!, periodEnd: end!, kind: kind!, amountPence: amount!, fundingSource: fundingSource!, isDemo: service.isDemo })
      .onConflictDoUpdate({ target: [resSpend.tenantId, resSpend.serviceId, resSpend.periodStart, resSpend.periodEnd, resSpend.kind, resSpend.fundingSource], set: { amountPence: amount!, updatedAt: new Date() } })
      .returning({ id: resSpend.id });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.spend.save', entity: 'res_service', entityId: service.id, data: { spendId: row!.id } });
  });
}

export async function saveDelivery(db: Db, actor: Actor, serviceId: string, form: Form): Promise<void> {
  const service = await requireEditableService(db, actor, serviceId);
  const is = new Issues();
  const { start, end } = period(is, form);
  const sessions = is.take('sessions', parseCount(str(form, 'sessions'), 100_000));
  is.throwIfAny();
  await db.transaction(async (tx) => {
    await tx
      .insert(resDelivery)
      .values({ tenantId: actor.tenantId, id: newId(), serviceId: service.id, periodStart: start!, periodEnd: end!, sessions: sessions!, isDemo: service.isDemo })
      .onConflictDoUpdate({ target: [resDelivery.tenantId, resDelivery.serviceId, resDelivery.periodStart, resDelivery.periodEnd], set: { sessions: sessions!, updatedAt: new Date() } });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.delivery.save', entity: 'res_service', entityId: service.id });
  });
}

export async function saveReach(db: Db, actor: Actor, serviceId: string, form: Form): Promise<void> {
  const service = await requireEditableService(db, actor, serviceId);
  const is = new Issues();
  const { start, end } = period(is, form);
  const wards = await tenantWards(db, actor.tenantId);
  const wardId = str(form, 'wardId');
  if (!wards.some((w) => w.id === wardId)) is.add('wardId', 'res.core.err.ward');
  const attendances = is.take('attendances', parseCount(str(form, 'attendances')));
  const families = is.take('families', parseCount(str(form, 'families')));
  if (attendances !== undefined && families !== undefined && families > attendances) is.add('families', 'res.core.err.familiesOver');
  is.throwIfAny();
  await db.transaction(async (tx) => {
    await tx
      .insert(resReach)
      .values({ tenantId: actor.tenantId, id: newId(), serviceId: service.id, periodStart: start!, periodEnd: end!, wardId, attendances: attendances!, families: families!, isDemo: service.isDemo })
      .onConflictDoUpdate({ target: [resReach.tenantId, resReach.serviceId, resReach.periodStart, resReach.periodEnd, resReach.wardId], set: { attendances: attendances!, families: families!, updatedAt: new Date() } });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.reach.save', entity: 'res_service', entityId: service.id });
  });
}

/** Remove one spend, delivery or reach row of a service. */
export async function removeLine(db: Db, actor: Actor, serviceId: string, table: 'spend' | 'delivery' | 'reach', lineId: string): Promise<void> {
  const service = await requireEditableService(db, actor, serviceId);
  if (!UUID.test(lineId)) return;
  const t = table === 'spend' ? resSpend : table === 'delivery' ? resDelivery : resReach;
  await db.transaction(async (tx) => {
    const gone = await tx.delete(t).where(and(eq(t.tenantId, actor.tenantId), eq(t.serviceId, service.id), eq(t.id, lineId))).returning({ id: t.id });
    if (gone.length) await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: `resources.${table}.remove`, entity: 'res_service', entityId: service.id, data: { lineId } });
  });
}

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

export async function saveCategory(db: Db, actor: Actor, form: Form, id?: string): Promise<void> {
  requirePermission(actor, 'resources.manage', 'Only coordinators can change the categories.', 'res.core.err.forbidden');
  if (id) {
    const [known] = UUID.test(id) ? await db.select({ id: resCategories.id }).from(resCategories).where(and(eq(resCategories.tenantId, actor.tenantId), eq(resCategories.id, id))) : [];
    if (!known) throw notYours();
  }
  const is = new Issues();
  const title = is.take('title', parseText(str(form, 'title'), 120, true));
  const titlePl = is.take('titlePl', parseText(str(form, 'titlePl'), 120));
  const key = id ? undefined : is.take('key', parseRef(str(form, 'key').toLowerCase()));
  is.throwIfAny();
  await db.transaction(async (tx) => {
    if (id) {
      const done = await tx
        .update(resCategories)
        .set({ title: title!, titlePl: optional(titlePl!), active: str(form, 'active') !== 'no' })
        .where(and(eq(resCategories.tenantId, actor.tenantId), eq(resCategories.id, UUID.test(id) ? id : '00000000-0000-0000-0000-000000000000')))
        .returning({ id: resCategories.id });
      if (!done.length) throw notYours();
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.category.update', entity: 'res_category', entityId: id });
      return;
    }
    const cid = newId();
    const [last] = await tx.select({ s: resCategories.sortOrder }).from(resCategories).where(eq(resCategories.tenantId, actor.tenantId)).orderBy(desc(resCategories.sortOrder)).limit(1);
    const added = await tx
      .insert(resCategories)
      .values({ tenantId: actor.tenantId, id: cid, key: key!, title: title!, titlePl: optional(titlePl!), sortOrder: (last?.s ?? 0) + 10 })
      .onConflictDoNothing()
      .returning({ id: resCategories.id });
    if (!added.length) throw new AppError('validation_failed', 'A category has this key.', [{ field: 'key', message: 'res.core.err.refTaken' }]);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.category.create', entity: 'res_category', entityId: cid });
  });
}

// ---------------------------------------------------------------------------------------------
// Family-key secret
// ---------------------------------------------------------------------------------------------

/** The secret for hashing family references: coordinators and provider staff; every view audited. */
export async function viewFamilyKeySecret(db: Db, actor: Actor): Promise<{ secret: string; version: number } | null> {
  requirePermission(actor, 'resources.edit', 'Only coordinators and provider staff can see the family-key secret.', 'res.core.err.forbidden');
  // A partner not yet linked to a provider sees no secret (null: the page says whom to ask).
  const editable = await editableProviders(db, actor);
  if (editable !== 'all' && !editable.length) return null;
  return db.transaction(async (tx) => {
    await seedResources(tx, actor.tenantId);
    const s = (await getSettings(tx, actor.tenantId))!;
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.family_key.view', entity: 'res_settings', entityId: actor.tenantId, data: { version: s.familyKeyVersion } });
    return { secret: s.familyKeySecret, version: s.familyKeyVersion };
  });
}

/** A new secret and version: keys made with the old one stay countable within their version. */
export async function rotateFamilyKeySecret(db: Db, actor: Actor): Promise<number> {
  requirePermission(actor, 'resources.manage', 'Only coordinators can rotate the family-key secret.', 'res.core.err.forbidden');
  return db.transaction(async (tx) => {
    await seedResources(tx, actor.tenantId);
    const s = (await getSettings(tx, actor.tenantId))!;
    const version = s.familyKeyVersion + 1;
    await tx.update(resSettings).set({ familyKeySecret: randomToken(32), familyKeyVersion: version, updatedAt: new Date() }).where(eq(resSettings.tenantId, actor.tenantId));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.family_key.rotate', entity: 'res_settings', entityId: actor.tenantId, data: { version } });
    return version;
  });
}

/** Retention (privacy.ts): pseudonymous contacts older than three years. */
export async function retainContacts(db: Db, today: string): Promise<number> {
  const cutoff = addMonths(today, -36);
  const gone = await db.delete(resFamilyContacts).where(lt(resFamilyContacts.contactOn, cutoff)).returning({ d: resFamilyContacts.contactOn });
  return gone.length;
}
