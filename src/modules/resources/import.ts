/**
 * Import of services, spend, delivery, reach and pseudonymous contacts from CSV or XLSX (issue 11
 * item 5). Every row is checked first; any problem (row number, column, what to fix) means nothing
 * is written; otherwise everything is written in one transaction. Rows match what is stored by
 * provider ref + service ref (+ period, kind and funding source / ward / family key and day), so the
 * same file twice adds and changes nothing. A partner may import only rows of providers they are
 * staff of. Sessions delivered are part of reach (res_imports kind 'reach').
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { FAMILY_KEY } from './family-keys.ts';
import { FileProblem, readUpload, type Cell, type Sheet } from './import-files.ts';
import { formatSchedule, parseChoice, parseCount, parseDay, parseMoney, parseRef, parseSchedule, parseText, type Rule } from './import-rules.ts';
import { getSettings, listCategories, tenantWards } from './queries.ts';
import {
  COST_KINDS,
  EVIDENCE_LEVELS,
  PROVIDER_KINDS,
  resDelivery,
  resFamilyContacts,
  resImports,
  resProviders,
  resReach,
  resServices,
  resServiceSchedules,
  resServiceWards,
  resSpend,
  SERVICE_STATUSES,
  SERVICE_TIERS,
  type CostKind,
  type EvidenceLevel,
  type ProviderKind,
  type ServiceStatus,
  type ServiceTier,
} from './schema.ts';
import { editableProviders, mayEdit, seedResources } from './service.ts';

export const IMPORT_KINDS = ['services', 'spend', 'delivery', 'reach', 'contacts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Each kind's columns: required first, then optional. Order is the template's. */
export const IMPORT_COLUMNS: Record<ImportKind, { required: readonly string[]; optional: readonly string[] }> = {
  services: {
    required: ['provider_ref', 'service_ref', 'service_name', 'category_key', 'tier'],
    optional: ['provider_name', 'provider_kind', 'service_name_pl', 'description', 'target_group', 'ward_codes', 'venue_name', 'venue_address', 'venue_postcode', 'schedule', 'capacity', 'evidence', 'evidence_source', 'status', 'demo'],
  },
  spend: { required: ['provider_ref', 'service_ref', 'period_start', 'period_end', 'kind', 'amount'], optional: ['funding_source'] },
  delivery: { required: ['provider_ref', 'service_ref', 'period_start', 'period_end', 'sessions'], optional: [] },
  reach: { required: ['provider_ref', 'service_ref', 'period_start', 'period_end', 'ward_code', 'attendances', 'families'], optional: [] },
  contacts: { required: ['provider_ref', 'service_ref', 'family_key', 'date'], optional: ['ward_code'] },
};

/** Kinds in the order a workbook is applied (services first: the others name them). */
const ORDER: readonly ImportKind[] = IMPORT_KINDS;

export interface ImportProblem {
  /** The sheet of a workbook ('' for a CSV). */
  sheet: string;
  /** The row number as the spreadsheet or editor shows it (0: the whole file). */
  row: number;
  column: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface KindReport {
  kind: ImportKind;
  read: number;
  added: number;
  changed: number;
  unchanged: number;
}

export interface ImportReport {
  kinds: KindReport[];
  problems: ImportProblem[];
  /** More problems than the report lists. */
  problemsMore: number;
  applied: boolean;
}

export const MAX_PROBLEMS = 200;

interface ServicePlan {
  providerRef: string;
  serviceRef: string;
  providerName: string;
  providerKind: ProviderKind | undefined;
  row: {
    name: string;
    namePl: string | null;
    description: string;
    categoryId: string;
    tier: ServiceTier;
    targetGroup: string;
    venueName: string;
    venueAddress: string;
    venuePostcode: string | null;
    capacity: number;
    evidence: EvidenceLevel;
    evidenceSource: string;
    status: ServiceStatus;
    isDemo: boolean;
  };
  wardIds: string[];
  schedule: Array<{ weekday: number; opensAt: string; closesAt: string }>;
}

interface Ctx {
  tenantId: string;
  editable: 'all' | string[];
  categories: Map<string, string>;
  wards: Map<string, string>;
  providers: Map<string, { id: string; isDemo: boolean }>;
  /** `${providerRef}\u0000${serviceRef}` → stored service. */
  services: Map<string, { id: string; providerId: string; isDemo: boolean }>;
  keyVersion: number;
}

const sk = (p: string, s: string) => `${p}\u0000${s}`;

async function loadCtx(db: Executor, tenantId: string, editable: 'all' | string[]): Promise<Ctx> {
  const [categories, wards, providers, services, settings] = await Promise.all([
    listCategories(db, tenantId),
    tenantWards(db, tenantId),
    db.select({ id: resProviders.id, ref: resProviders.ref, isDemo: resProviders.isDemo }).from(resProviders).where(eq(resProviders.tenantId, tenantId)),
    db
      .select({ id: resServices.id, ref: resServices.ref, providerId: resServices.providerId, providerRef: resProviders.ref, isDemo: resServices.isDemo })
      .from(resServices)
      .innerJoin(resProviders, and(eq(resProviders.tenantId, resServices.tenantId), eq(resProviders.id, resServices.providerId)))
      .where(eq(resServices.tenantId, tenantId)),
    getSettings(db, tenantId),
  ]);
  const wardMap = new Map<string, string>();
  for (const w of wards) {
    wardMap.set(w.code.toLowerCase(), w.id);
    wardMap.set(w.name.toLowerCase(), w.id);
  }
  return {
    tenantId,
    editable,
    categories: new Map(categories.filter((c) => c.active).map((c) => [c.key.toLowerCase(), c.id])),
    wards: wardMap,
    providers: new Map(providers.map((p) => [p.ref, { id: p.id, isDemo: p.isDemo }])),
    services: new Map(services.map((s) => [sk(s.providerRef, s.ref), { id: s.id, providerId: s.providerId, isDemo: s.isDemo }])),
    keyVersion: settings?.familyKeyVersion ?? 1,
  };
}

/** Which kind a sheet is: by its name in a workbook, else the kind chosen on the form. */
function kindOf(sheet: Sheet, chosen: ImportKind | undefined, only: boolean): ImportKind | undefined {
  const byName = IMPORT_KINDS.find((k) => k === sheet.name.trim().toLowerCase());
  if (byName) return byName;
  return only ? chosen : undefined;
}

class RowReader {
  constructor(
    readonly sheet: string,
    readonly row: number,
    private readonly cells: Cell[],
    private readonly index: Map<string, number>,
    private readonly problems: ImportProblem[],
  ) {}
  raw(column: string): Cell {
    const i = this.index.get(column);
    return i === undefined ? '' : (this.cells[i] ?? '');
  }
  text(column: string): string {
    return String(this.raw(column)).trim();
  }
  take<T>(column: string, rule: Rule<T>): T | undefined {
    if (rule.ok) return rule.value;
    this.fail(column, rule.key, rule.params);
    return undefined;
  }
  fail(column: string, key: MessageKey, params?: Record<string, string | number>): void {
    this.problems.push({ sheet: this.sheet, row: this.row, column, key, ...(params ? { params } : {}) });
  }
}

/** A cell as the money rule wants it (XLSX numbers stay numbers). */
const moneyCell = (c: Cell) => (typeof c === 'number' ? c : String(c));

interface Planned {
  services: ServicePlan[];
  spend: Array<typeof resSpend.$inferInsert>;
  delivery: Array<typeof resDelivery.$inferInsert>;
  reach: Array<typeof resReach.$inferInsert>;
  contacts: Array<typeof resFamilyContacts.$inferInsert>;
  read: Record<ImportKind, number>;
}

function plan(ctx: Ctx, sheets: Array<{ kind: ImportKind; sheet: Sheet }>, problems: ImportProblem[]): Planned {
  const out: Planned = { services: [], spend: [], delivery: [], reach: [], contacts: [], read: { services: 0, spend: 0, delivery: 0, reach: 0, contacts: 0 } };
  // Services in this file, so the other sheets may name them before they are stored.
  const fileServices = new Map<string, { providerRef: string; isDemo: boolean }>();
  const seen = new Map<string, number>();
  for (const { kind, sheet } of sheets) {
    const index = new Map(sheet.header.map((h, i) => [h.trim().toLowerCase(), i] as const));
    const cols = IMPORT_COLUMNS[kind];
    const known = new Set([...cols.required, ...cols.optional]);
    const unknown = [...index.keys()].filter((h) => h && !known.has(h));
    const missing = cols.required.filter((c) => !index.has(c));
    if (unknown.length) problems.push({ sheet: sheet.name, row: 1, column: unknown.join(', '), key: 'res.core.file.unknownColumns', params: { columns: unknown.join(', '), expected: [...cols.required, ...cols.optional].join(', ') } });
    if (missing.length) problems.push({ sheet: sheet.name, row: 1, column: missing.join(', '), key: 'res.core.file.missingColumns', params: { columns: missing.join(', ') } });
    if (unknown.length || missing.length) continue;
    out.read[kind] += sheet.rows.length;
    for (const { row, cells } of sheet.rows) {
      const r = new RowReader(sheet.name, row, cells, index, problems);
      const providerRef = r.take('provider_ref', parseRef(r.text('provider_ref')));
      const serviceRef = r.take('service_ref', parseRef(r.text('service_ref')));
      if (!providerRef || !serviceRef) continue;
      const key = sk(providerRef, serviceRef);
      const provider = ctx.providers.get(providerRef);
      // Record level: a partner's rows must name providers they are staff of (a new provider: coordinators only).
      if (provider ? !mayEdit(ctx.editable, provider.id) : ctx.editable !== 'all') {
        r.fail('provider_ref', 'res.core.err.notYoursRow', { ref: providerRef });
        continue;
      }
      if (kind === 'services') {
        const dup = `services:${key}`;
        if (seen.has(dup)) r.fail('service_ref', 'res.core.err.duplicateRow', { row: seen.get(dup)! });
        seen.set(dup, row);
        const categoryKey = r.text('category_key').toLowerCase();
        const categoryId = ctx.categories.get(categoryKey);
        if (!categoryId) r.fail('category_key', 'res.core.err.categoryKey', { value: categoryKey });
        const wardIds: string[] = [];
        for (const w of r.text('ward_codes').split(/[;|]/).map((x) => x.trim()).filter(Boolean)) {
          const id = ctx.wards.get(w.toLowerCase());
          if (id) wardIds.push(id);
          else r.fail('ward_codes', 'res.core.err.wardCode', { value: w });
        }
        const providerName = r.take('provider_name', parseText(r.text('provider_name'), 200)) ?? '';
        const providerKindText = r.text('provider_kind');
        const providerKind = providerKindText ? r.take('provider_kind', parseChoice(providerKindText, PROVIDER_KINDS)) : undefined;
        if (!provider && !out.services.some((s) => s.providerRef === providerRef)) {
          if (!providerName) r.fail('provider_name', 'res.core.err.newProvider');
          if (!providerKindText) r.fail('provider_kind', 'res.core.err.newProvider');
        }
        const capacityText = r.text('capacity');
        const demoText = r.text('demo').toLowerCase();
        const isDemo = demoText === 'yes' || demoText === 'true' || demoText === '1';
        const p: Partial<ServicePlan['row']> = {
          name: r.take('service_name', parseText(r.text('service_name'), 200, true)),
          namePl: r.take('service_name_pl', parseText(r.text('service_name_pl'), 200)) || null,
          description: r.take('description', parseText(r.text('description'), 4000)),
          categoryId,
          tier: r.take('tier', parseChoice(r.text('tier'), SERVICE_TIERS)),
          targetGroup: r.take('target_group', parseText(r.text('target_group'), 300)),
          venueName: r.take('venue_name', parseText(r.text('venue_name'), 200)),
          venueAddress: r.take('venue_address', parseText(r.text('venue_address'), 400)),
          venuePostcode: (r.take('venue_postcode', parseText(r.text('venue_postcode'), 10)) ?? '').toUpperCase() || null,
          capacity: capacityText ? r.take('capacity', parseCount(capacityText, 100_000)) : 0,
          evidence: r.take('evidence', parseChoice(r.text('evidence') || 'none', EVIDENCE_LEVELS)),
          evidenceSource: r.take('evidence_source', parseText(r.text('evidence_source'), 1000)),
          status: r.take('status', parseChoice(r.text('status') || 'active', SERVICE_STATUSES)),
          isDemo,
        };
        const schedule = r.take('schedule', parseSchedule(r.text('schedule')));
        if (Object.values(p).some((v) => v === undefined) || !schedule) continue;
        out.services.push({ providerRef, serviceRef, providerName, providerKind, row: p as ServicePlan['row'], wardIds: [...new Set(wardIds)].sort(), schedule });
        fileServices.set(key, { providerRef, isDemo });
        continue;
      }
      const stored = ctx.services.get(key);
      const inFile = fileServices.get(key);
      if (!stored && !inFile) {
        r.fail('service_ref', 'res.core.err.unknownService', { provider: providerRef, service: serviceRef });
        continue;
      }
      // A service id for a row naming a service only in this file is fixed when applying.
      const serviceId = stored?.id ?? `new:${key}`;
      const isDemo = inFile?.isDemo ?? stored?.isDemo ?? false;
      if (kind === 'contacts') {
        const familyKey = r.text('family_key').toLowerCase();
        if (!FAMILY_KEY.test(familyKey)) r.fail('family_key', 'res.core.err.unhashed');
        const day = r.take('date', parseDay(r.text('date')));
        const wardText = r.text('ward_code');
        const wardId = wardText ? ctx.wards.get(wardText.toLowerCase()) : null;
        if (wardText && !wardId) r.fail('ward_code', 'res.core.err.wardCode', { value: wardText });
        if (!FAMILY_KEY.test(familyKey) || !day || wardId === undefined) continue;
        const dup = `contacts:${key}:${familyKey}:${day}`;
        if (seen.has(dup)) {
          r.fail('family_key', 'res.core.err.duplicateRow', { row: seen.get(dup)! });
          continue;
        }
        seen.set(dup, row);
        out.contacts.push({ tenantId: ctx.tenantId, serviceId, familyKey, keyVersion: ctx.keyVersion, contactOn: day, wardId, isDemo });
        continue;
      }
      const start = r.take('period_start', parseDay(r.text('period_start')));
      const end = r.take('period_end', parseDay(r.text('period_end')));
      if (start && end && end < start) r.fail('period_end', 'res.core.err.periodOrder');
      if (!start || !end || end < start) continue;
      if (kind === 'spend') {
        const kindValue = r.take('kind', parseChoice(r.text('kind'), COST_KINDS));
        const amount = r.take('amount', parseMoney(moneyCell(r.raw('amount'))));
        const fundingSource = r.take('funding_source', parseText(r.text('funding_source'), 200));
        if (kindValue === undefined || amount === undefined || fundingSource === undefined) continue;
        const dup = `spend:${key}:${start}:${end}:${kindValue}:${fundingSource}`;
        if (seen.has(dup)) {
          r.fail('amount', 'res.core.err.duplicateRow', { row: seen.get(dup)! });
          continue;
        }
        seen.set(dup, row);
        out.spend.push({ tenantId: ctx.tenantId, id: newId(), serviceId, periodStart: start, periodEnd: end, kind: kindValue as CostKind, amountPence: amount, fundingSource, isDemo });
      } else if (kind === 'delivery') {
        const sessions = r.take('sessions', parseCount(r.raw('sessions'), 100_000));
        if (sessions === undefined) continue;
        const dup = `delivery:${key}:${start}:${end}`;
        if (seen.has(dup)) {
          r.fail('sessions', 'res.core.err.duplicateRow', { row: seen.get(dup)! });
          continue;
        }
        seen.set(dup, row);
        out.delivery.push({ tenantId: ctx.tenantId, id: newId(), serviceId, periodStart: start, periodEnd: end, sessions, isDemo });
      } else {
        const wardText = r.text('ward_code');
        const wardId = ctx.wards.get(wardText.toLowerCase());
        if (!wardId) r.fail('ward_code', 'res.core.err.wardCode', { value: wardText });
        const attendances = r.take('attendances', parseCount(r.raw('attendances')));
        const families = r.take('families', parseCount(r.raw('families')));
        if (attendances !== undefined && families !== undefined && families > attendances) r.fail('families', 'res.core.err.familiesOver');
        if (!wardId || attendances === undefined || families === undefined || families > attendances) continue;
        const dup = `reach:${key}:${start}:${end}:${wardId}`;
        if (seen.has(dup)) {
          r.fail('ward_code', 'res.core.err.duplicateRow', { row: seen.get(dup)! });
          continue;
        }
        seen.set(dup, row);
        out.reach.push({ tenantId: ctx.tenantId, id: newId(), serviceId, periodStart: start, periodEnd: end, wardId, attendances, families, isDemo });
      }
    }
  }
  return out;
}

const CHUNK = 2000;
function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Compare with what is stored; write (unless dry) in the caller's transaction. */
async function diffAndWrite(tx: Executor, ctx: Ctx, p: Planned, write: boolean): Promise<KindReport[]> {
  const reports: Record<ImportKind, KindReport> = Object.fromEntries(IMPORT_KINDS.map((k) => [k, { kind: k, read: p.read[k], added: 0, changed: 0, unchanged: 0 }])) as Record<ImportKind, KindReport>;
  const tenantId = ctx.tenantId;
  // Services (and new providers).
  const storedIds = p.services.map((s) => ctx.services.get(sk(s.providerRef, s.serviceRef))?.id).filter((x): x is string => !!x);
  const storedRows = storedIds.length ? await tx.select().from(resServices).where(and(eq(resServices.tenantId, tenantId), inArray(resServices.id, storedIds))) : [];
  const storedWards = storedIds.length ? await tx.select().from(resServiceWards).where(and(eq(resServiceWards.tenantId, tenantId), inArray(resServiceWards.serviceId, storedIds))) : [];
  const storedSchedules = storedIds.length ? await tx.select().from(resServiceSchedules).where(and(eq(resServiceSchedules.tenantId, tenantId), inArray(resServiceSchedules.serviceId, storedIds))) : [];
  const byId = new Map(storedRows.map((r) => [r.id, r]));
  const newIds = new Map<string, string>();
  for (const s of p.services) {
    const key = sk(s.providerRef, s.serviceRef);
    const stored = ctx.services.get(key);
    const current = stored ? byId.get(stored.id) : undefined;
    if (!current) {
      reports.services.added++;
      if (!write) {
        newIds.set(key, `new:${key}`);
        continue;
      }
      let provider = ctx.providers.get(s.providerRef);
      if (!provider) {
        provider = { id: newId(), isDemo: s.row.isDemo };
        await tx.insert(resProviders).values({ tenantId, id: provider.id, ref: s.providerRef, name: s.providerName, kind: s.providerKind ?? 'other', isDemo: s.row.isDemo });
        ctx.providers.set(s.providerRef, provider);
      }
      const id = newId();
      await tx.insert(resServices).values({ tenantId, id, providerId: provider.id, ref: s.serviceRef, ...s.row });
      if (s.wardIds.length) await tx.insert(resServiceWards).values(s.wardIds.map((wardId) => ({ tenantId, serviceId: id, wardId })));
      if (s.schedule.length) await tx.insert(resServiceSchedules).values(s.schedule.map((x) => ({ tenantId, id: newId(), serviceId: id, ...x })));
      newIds.set(key, id);
      ctx.services.set(key, { id, providerId: provider.id, isDemo: s.row.isDemo });
      continue;
    }
    const wardsNow = storedWards.filter((w) => w.serviceId === current.id).map((w) => w.wardId).sort();
    const schedNow = formatSchedule(storedSchedules.filter((x) => x.serviceId === current.id).sort((a, b) => a.weekday - b.weekday || a.opensAt.localeCompare(b.opensAt)));
    const schedFile = formatSchedule([...s.schedule].sort((a, b) => a.weekday - b.weekday || a.opensAt.localeCompare(b.opensAt)));
    const same = (Object.keys(s.row) as Array<keyof ServicePlan['row']>).every((k) => current[k] === s.row[k]) && wardsNow.join() === s.wardIds.join() && schedNow === schedFile;
    if (same) {
      reports.services.unchanged++;
      continue;
    }
    reports.services.changed++;
    if (!write) continue;
    await tx.update(resServices).set({ ...s.row, updatedAt: new Date() }).where(and(eq(resServices.tenantId, tenantId), eq(resServices.id, current.id)));
    if (wardsNow.join() !== s.wardIds.join()) {
      await tx.delete(resServiceWards).where(and(eq(resServiceWards.tenantId, tenantId), eq(resServiceWards.serviceId, current.id)));
      if (s.wardIds.length) await tx.insert(resServiceWards).values(s.wardIds.map((wardId) => ({ tenantId, serviceId: current.id, wardId })));
    }
    if (schedNow !== schedFile) {
      await tx.delete(resServiceSchedules).where(and(eq(resServiceSchedules.tenantId, tenantId), eq(resServiceSchedules.serviceId, current.id)));
      if (s.schedule.length) await tx.insert(resServiceSchedules).values(s.schedule.map((x) => ({ tenantId, id: newId(), serviceId: current.id, ...x })));
    }
  }
  const fix = <T extends { serviceId: string }>(rows: T[]) => rows.map((r) => (r.serviceId.startsWith('new:') ? { ...r, serviceId: newIds.get(r.serviceId.slice(4)) ?? r.serviceId } : r));
  const spend = fix(p.spend);
  const delivery = fix(p.delivery);
  const reach = fix(p.reach);
  const contacts = fix(p.contacts);
  const serviceIds = (rows: Array<{ serviceId: string }>) => [...new Set(rows.map((r) => r.serviceId).filter((id) => !id.startsWith('new:')))];

  // Spend.
  {
    const ids = serviceIds(spend);
    const stored = new Map<string, number>();
    for (const part of chunks(ids)) {
      const rows = await tx.select({ s: resSpend.serviceId, a: resSpend.periodStart, b: resSpend.periodEnd, k: resSpend.kind, f: resSpend.fundingSource, amount: resSpend.amountPence }).from(resSpend).where(and(eq(resSpend.tenantId, tenantId), inArray(resSpend.serviceId, part)));
      for (const r of rows) stored.set(`${r.s}|${r.a}|${r.b}|${r.k}|${r.f}`, r.amount);
    }
    const todo = spend.filter((r) => {
      const now = stored.get(`${r.serviceId}|${r.periodStart}|${r.periodEnd}|${r.kind}|${r.fundingSource}`);
      if (now === undefined) reports.spend.added++;
      else if (now !== r.amountPence) reports.spend.changed++;
      else reports.spend.unchanged++;
      return now !== r.amountPence;
    });
    if (write)
      for (const part of chunks(todo))
        await tx
          .insert(resSpend)
          .values(part)
          .onConflictDoUpdate({ target: [resSpend.tenantId, resSpend.serviceId, resSpend.periodStart, resSpend.periodEnd, resSpend.kind, resSpend.fundingSource], set: { amountPence: sql`excluded.amount_pence`, updatedAt: new Date() } });
  }
  // Delivery.
  {
    const ids = serviceIds(delivery);
    const stored = new Map<string, number>();
    for (const part of chunks(ids)) {
      const rows = await tx.select({ s: resDelivery.serviceId, a: resDelivery.periodStart, b: resDelivery.periodEnd, n: resDelivery.sessions }).from(resDelivery).where(and(eq(resDelivery.tenantId, tenantId), inArray(resDelivery.serviceId, part)));
      for (const r of rows) stored.set(`${r.s}|${r.a}|${r.b}`, r.n);
    }
    const todo = delivery.filter((r) => {
      const now = stored.get(`${r.serviceId}|${r.periodStart}|${r.periodEnd}`);
      if (now === undefined) reports.delivery.added++;
      else if (now !== r.sessions) reports.delivery.changed++;
      else reports.delivery.unchanged++;
      return now !== r.sessions;
    });
    if (write)
      for (const part of chunks(todo))
        await tx
          .insert(resDelivery)
          .values(part)
          .onConflictDoUpdate({ target: [resDelivery.tenantId, resDelivery.serviceId, resDelivery.periodStart, resDelivery.periodEnd], set: { sessions: sql`excluded.sessions`, updatedAt: new Date() } });
  }
  // Reach.
  {
    const ids = serviceIds(reach);
    const stored = new Map<string, string>();
    for (const part of chunks(ids)) {
      const rows = await tx
        .select({ s: resReach.serviceId, a: resReach.periodStart, b: resReach.periodEnd, w: resReach.wardId, at: resReach.attendances, f: resReach.families })
        .from(resReach)
        .where(and(eq(resReach.tenantId, tenantId), inArray(resReach.serviceId, part)));
      for (const r of rows) stored.set(`${r.s}|${r.a}|${r.b}|${r.w}`, `${r.at}/${r.f}`);
    }
    const todo = reach.filter((r) => {
      const now = stored.get(`${r.serviceId}|${r.periodStart}|${r.periodEnd}|${r.wardId}`);
      const next = `${r.attendances}/${r.families}`;
      if (now === undefined) reports.reach.added++;
      else if (now !== next) reports.reach.changed++;
      else reports.reach.unchanged++;
      return now !== next;
    });
    // The big one (reach files run to 50,000 rows): one statement per 10,000 rows over unnest of
    // array literals (uuids, dates and integers only, so no quoting is needed).
    if (write)
      for (let i = 0; i < todo.length; i += 10_000) {
        const part = todo.slice(i, i + 10_000);
        const arr = (f: (r: (typeof part)[number]) => string | number | boolean) => `{${part.map(f).join(',')}}`;
        await tx.execute(sql`
          insert into res_reach (tenant_id, id, service_id, period_start, period_end, ward_id, attendances, families, is_demo)
          select ${tenantId}::uuid, * from unnest(${arr((r) => r.id!)}::uuid[], ${arr((r) => r.serviceId)}::uuid[], ${arr((r) => r.periodStart)}::date[], ${arr((r) => r.periodEnd)}::date[],
            ${arr((r) => r.wardId)}::uuid[], ${arr((r) => r.attendances)}::int[], ${arr((r) => r.families)}::int[], ${arr((r) => !!r.isDemo)}::boolean[])
          on conflict (tenant_id, service_id, period_start, period_end, ward_id)
          do update set attendances = excluded.attendances, families = excluded.families, updated_at = now()`);
      }
  }
  // Contacts.
  {
    const ids = serviceIds(contacts);
    const stored = new Map<string, string | null>();
    for (const part of chunks(ids)) {
      const rows = await tx.select({ s: resFamilyContacts.serviceId, k: resFamilyContacts.familyKey, d: resFamilyContacts.contactOn, w: resFamilyContacts.wardId }).from(resFamilyContacts).where(and(eq(resFamilyContacts.tenantId, tenantId), inArray(resFamilyContacts.serviceId, part)));
      for (const r of rows) stored.set(`${r.s}|${r.k}|${r.d}`, r.w);
    }
    const todo = contacts.filter((r) => {
      const k = `${r.serviceId}|${r.familyKey}|${r.contactOn}`;
      const has = stored.has(k);
      const same = has && stored.get(k) === (r.wardId ?? null);
      if (!has) reports.contacts.added++;
      else if (!same) reports.contacts.changed++;
      else reports.contacts.unchanged++;
      return !same;
    });
    if (write)
      for (const part of chunks(todo))
        await tx
          .insert(resFamilyContacts)
          .values(part)
          .onConflictDoUpdate({ target: [resFamilyContacts.tenantId, resFamilyContacts.serviceId, resFamilyContacts.familyKey, resFamilyContacts.contactOn], set: { wardId: sql`excluded.ward_id` } });
  }
  return ORDER.map((k) => reports[k]).filter((r) => r.read > 0);
}

export interface ImportInput {
  fileName: string;
  bytes: Uint8Array;
  /** The kind of a CSV (or a workbook's one unnamed sheet). */
  kind?: ImportKind | undefined;
  dryRun: boolean;
}

function fileProblem(e: FileProblem): ImportReport {
  return { kinds: [], problems: [{ sheet: '', row: 0, column: '', key: e.key, params: e.params }], problemsMore: 0, applied: false };
}

/** Check (dry run) or apply an import file as this actor (resources.edit; partners: their providers' rows only). */
export async function importResources(db: Db, actor: Actor, input: ImportInput): Promise<ImportReport> {
  requirePermission(actor, 'resources.edit', 'Your role does not allow imports.', 'res.core.err.forbidden');
  let sheets: Sheet[];
  try {
    sheets = await readUpload(input.fileName, input.bytes);
  } catch (e) {
    if (e instanceof FileProblem) return fileProblem(e);
    throw e;
  }
  const editable = await editableProviders(db, actor);
  return importSheets(db, { tenantId: actor.tenantId, actor: actor.memberId, editable }, sheets, { ...input, sha256: sha256Hex(Buffer.from(input.bytes)) });
}

/**
 * The import itself, after the actor check (also `demo load`, which imports the demo spreadsheet's
 * sheets as `system:demo`, and the benchmark).
 */
export async function importSheets(
  db: Db,
  who: { tenantId: string; actor: string; editable: 'all' | string[] },
  sheets: Sheet[],
  input: { fileName: string; kind?: ImportKind | undefined; dryRun: boolean; sha256?: string },
): Promise<ImportReport> {
  const problems: ImportProblem[] = [];
  const chosen = sheets
    .map((sheet) => ({ sheet, kind: kindOf(sheet, input.kind, sheets.length === 1 || !sheets.some((s) => IMPORT_KINDS.includes(s.name.trim().toLowerCase() as ImportKind))) }))
    .filter((x): x is { sheet: Sheet; kind: ImportKind } => !!x.kind)
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  if (!chosen.length) return { kinds: [], problems: [{ sheet: '', row: 0, column: '', key: 'res.core.file.noKind', params: { kinds: IMPORT_KINDS.join(', ') } }], problemsMore: 0, applied: false };
  await db.transaction((tx) => seedResources(tx, who.tenantId));
  const ctx = await loadCtx(db, who.tenantId, who.editable);
  const planned = plan(ctx, chosen, problems);
  if (problems.length) {
    return { kinds: IMPORT_KINDS.filter((k) => planned.read[k] > 0).map((k) => ({ kind: k, read: planned.read[k], added: 0, changed: 0, unchanged: 0 })), problems: problems.slice(0, MAX_PROBLEMS), problemsMore: Math.max(0, problems.length - MAX_PROBLEMS), applied: false };
  }
  if (input.dryRun) return { kinds: await diffAndWrite(db, ctx, planned, false), problems: [], problemsMore: 0, applied: false };
  const kinds = await db.transaction(async (tx) => {
    const reports = await diffAndWrite(tx, ctx, planned, true);
    const byImportKind = new Map<string, KindReport>();
    for (const r of reports) {
      const k = r.kind === 'delivery' ? 'reach' : r.kind;
      const acc = byImportKind.get(k) ?? { kind: r.kind, read: 0, added: 0, changed: 0, unchanged: 0 };
      byImportKind.set(k, { ...acc, read: acc.read + r.read, added: acc.added + r.added, changed: acc.changed + r.changed, unchanged: acc.unchanged + r.unchanged });
    }
    const importedBy = who.actor.startsWith('system:') ? null : who.actor;
    for (const [kind, r] of byImportKind) {
      const id = newId();
      await tx.insert(resImports).values({ tenantId: who.tenantId, id, kind, fileName: input.fileName.slice(0, 200), fileSha256: input.sha256 ?? '', rowsRead: r.read, rowsAdded: r.added, rowsChanged: r.changed, rowsUnchanged: r.unchanged, importedBy });
      await appendAudit(tx, { tenantId: who.tenantId, actor: who.actor, action: 'resources.import', entity: 'res_import', entityId: id, data: { kind, read: r.read, added: r.added, changed: r.changed, unchanged: r.unchanged } });
    }
    return reports;
  });
  return { kinds, problems: [], problemsMore: 0, applied: true };
}

export async function recentImports(db: Executor, tenantId: string, limit = 10) {
  return db.select().from(resImports).where(eq(resImports.tenantId, tenantId)).orderBy(sql`${resImports.importedAt} desc`).limit(limit);
}
