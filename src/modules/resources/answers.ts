import type { Executor } from '../../db/connection.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { suppressTable, type Cell } from '../../lib/suppression.ts';
import type { MessageKey } from '../../ui/i18n/en.ts';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import type { Period } from './answers-period.ts';
import {
  answerServices,
  answersVersion,
  contactFamilies,
  familiesByWard,
  hasDemoServices,
  reachByService,
  spendByWard,
  serviceSchedules,
  serviceWards,
  sessionsByService,
  spendByService,
  thresholdsOf,
  wardNames,
  type AnswerService,
  type Reach,
  type Slot,
  type Thresholds,
} from './answers-queries.ts';
import { EARLY_TIERS, EVIDENCE_LEVELS, SERVICE_TIERS, type EvidenceLevel, type ScheduleFrequency } from './schema.ts';

/**
 * The resource audit's answers (issue 11, item 4): each is one table (the page's table, its CSV
 * and XLSX, the report's section) with an optional bar chart drawn from two of its columns.
 * Pure computations are exported for tests; `loadAnswer` reads what one answer needs.
 */

export const ANSWERS = ['spend-by-category', 'spend-by-tier', 'spend-by-provider', 'spend-by-ward', 'cost-per-service', 'cost-per-category', 'early-acute', 'duplication', 'marginal', 'families'] as const;
export type AnswerName = (typeof ANSWERS)[number];

/** text: string; money: pence; int: whole number; count: a (maybe suppressed) count of families; decimal/percent: number or null (not applicable). */
export type ColumnKind = 'text' | 'money' | 'int' | 'count' | 'decimal' | 'percent';
export interface Column {
  label: string;
  kind: ColumnKind;
}
export type Value = string | number | null | Cell;
export interface AnswerRow {
  values: Value[];
  href?: string;
  demo?: boolean;
}
export interface AnswerTable {
  name: AnswerName | 'scenarios';
  columns: Column[];
  rows: AnswerRow[];
  total?: AnswerRow;
  /** The chart: label column and value column (rows with a null or hidden value are not drawn). */
  chart?: { label: number; value: number };
  /** Sentences the page says under the title (how the figures were made). */
  notes: string[];
  /** Figures include demo records. */
  demo: boolean;
  /** Counts of families are exact (coordinators) or suppressed (everyone else). */
  exact: boolean;
}

export interface AnswerContext {
  t: Translate;
  locale: Locale;
  exact: boolean;
}

const isCell = (v: Value): v is Cell => typeof v === 'object' && v !== null;

/** The number a value stands for (null when hidden or not applicable); money in pounds. */
export function plainNumber(col: Column, v: Value): number | null {
  if (isCell(v)) return v.suppressed ? null : v.value;
  if (typeof v !== 'number') return null;
  return col.kind === 'money' ? v / 100 : v;
}

/** The value as it is exported: numbers plain (money in pounds to the penny, ratios to 0.1), 'c' for hidden, '' for not applicable. */
export function exportValue(col: Column, v: Value): string | number {
  if (isCell(v)) return v.suppressed ? 'c' : (v.value ?? '');
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (col.kind === 'money') return Math.round(v) / 100;
  if (col.kind === 'decimal' || col.kind === 'percent') return Math.round(v * 10) / 10;
  return v;
}

// Intl formatters are costly to build: one per locale and kind for the life of the process.
const formats = new Map<string, Intl.NumberFormat>();
function fmt(locale: Locale, kind: string): Intl.NumberFormat {
  const key = `${locale}:${kind}`;
  let f = formats.get(key);
  if (!f) {
    const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
    f = new Intl.NumberFormat(tag, kind === 'money' ? { style: 'currency', currency: 'GBP' } : kind === 'decimal' ? { maximumFractionDigits: 1, minimumFractionDigits: 1 } : {});
    formats.set(key, f);
  }
  return f;
}

/** The value as the page and the PDF show it. */
export function displayValue(col: Column, v: Value, locale: Locale): string {
  if (isCell(v)) return v.suppressed ? 'c' : v.value === null ? '–' : fmt(locale, 'int').format(v.value);
  if (v === null) return '–';
  if (typeof v === 'string') return v;
  if (col.kind === 'money') return fmt(locale, 'money').format(Math.round(v) / 100);
  if (col.kind === 'percent') return `${fmt(locale, 'decimal').format(Math.round(v * 10) / 10)}%`;
  if (col.kind === 'decimal') return fmt(locale, 'decimal').format(Math.round(v * 10) / 10);
  return fmt(locale, 'int').format(v);
}

export const serviceName = (s: AnswerService, locale: Locale) => (locale === 'pl' && s.namePl ? s.namePl : s.name);
export const categoryName = (s: AnswerService, locale: Locale) => (locale === 'pl' && s.categoryTitlePl ? s.categoryTitlePl : s.categoryTitle);
const tierName = (t: Translate, tier: string) => t(`res.answers.tier.${tier}` as MessageKey);
const evidenceName = (t: Translate, e: string) => t(`res.answers.evidence.${e}` as MessageKey);
export const serviceHref = (id: string) => `/resources/services/${id}`;

const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : null);
const per = (pence: number, n: number) => (n > 0 ? pence / n : null);

// ---- Duplication -------------------------------------------------------------------------------

/** Times a month a slot of this frequency runs (on_demand: no fixed time, never overlaps). */
const PER_MONTH: Record<ScheduleFrequency, number> = { weekly: 52 / 12, fortnightly: 26 / 12, monthly: 1, termly: 3 / 12, on_demand: 0 };

export interface SlotOverlap {
  weekday: number;
  from: string;
  to: string;
  /** At most this many times a month (the rarer of the two frequencies). */
  perMonth: number;
  frequencies: [ScheduleFrequency, ScheduleFrequency];
}

export interface DuplicatePair {
  a: AnswerService;
  b: AnswerService;
  wardIds: string[];
  overlaps: SlotOverlap[];
}

/** Where two schedules meet: same weekday, intersecting opening times, neither on demand. */
export function slotOverlaps(a: readonly Slot[], b: readonly Slot[]): SlotOverlap[] {
  const out: SlotOverlap[] = [];
  for (const x of a)
    for (const y of b) {
      if (x.weekday !== y.weekday) continue;
      if (PER_MONTH[x.frequency] === 0 || PER_MONTH[y.frequency] === 0) continue;
      const from = x.opensAt > y.opensAt ? x.opensAt : y.opensAt;
      const to = x.closesAt < y.closesAt ? x.closesAt : y.closesAt;
      if (from >= to) continue;
      out.push({ weekday: x.weekday, from, to, perMonth: Math.min(PER_MONTH[x.frequency], PER_MONTH[y.frequency]), frequencies: [x.frequency, y.frequency] });
    }
  return out;
}

/** Duplication candidates: same category, different providers, shared wards and overlapping times (active or planned services). */
export function duplicationPairs(services: readonly AnswerService[], wardsOf: ReadonlyMap<string, readonly string[]>, slotsOf: ReadonlyMap<string, readonly Slot[]>): DuplicatePair[] {
  // Only services of one category that run on one weekday can meet: bucket by both first.
  const buckets = new Map<string, AnswerService[]>();
  const wardSets = new Map<string, Set<string>>();
  for (const s of services) {
    if (s.status === 'decommissioned') continue;
    const slots = slotsOf.get(s.id);
    const wards = wardsOf.get(s.id);
    if (!slots?.length || !wards?.length) continue;
    wardSets.set(s.id, new Set(wards));
    for (const day of new Set(slots.map((x) => x.weekday))) {
      const key = `${s.categoryId}:${day}`;
      const l = buckets.get(key) ?? [];
      l.push(s);
      buckets.set(key, l);
    }
  }
  const found = new Map<string, DuplicatePair>();
  for (const list of buckets.values()) {
    for (let i = 0; i < list.length; i += 1)
      for (let j = i + 1; j < list.length; j += 1) {
        let a = list[i]!;
        let b = list[j]!;
        if (a.providerId === b.providerId) continue;
        if (b.id < a.id) [a, b] = [b, a];
        const key = `${a.id}:${b.id}`;
        if (found.has(key)) continue;
        const wb = wardSets.get(b.id)!;
        const wardIds = wardsOf.get(a.id)!.filter((w) => wb.has(w));
        if (!wardIds.length) continue;
        const overlaps = slotOverlaps(slotsOf.get(a.id)!, slotsOf.get(b.id)!);
        if (!overlaps.length) continue;
        found.set(key, { a, b, wardIds, overlaps });
      }
  }
  return [...found.values()].sort((x, y) => x.a.categorySort - y.a.categorySort || x.a.categoryTitle.localeCompare(y.a.categoryTitle) || x.a.name.localeCompare(y.a.name) || x.b.name.localeCompare(y.b.name));
}

// ---- Marginal impact ---------------------------------------------------------------------------

export interface MarginalCandidate {
  service: AnswerService;
  pence: number;
  families: number;
  per1000: number;
}

/** Families reached per £1,000 (100,000 pence) spent. */
export const familiesPer1000 = (families: number, pence: number) => (pence > 0 ? (families * 100_000) / pence : null);

/** Services with spend in the period, fewer families per £1,000 than the threshold and evidence at most the level. */
export function marginalCandidates(services: readonly AnswerService[], spend: ReadonlyMap<string, number>, reach: ReadonlyMap<string, Reach>, th: Thresholds): MarginalCandidate[] {
  const most = EVIDENCE_LEVELS.indexOf(th.evidenceAtMost);
  const out: MarginalCandidate[] = [];
  for (const s of services) {
    const pence = spend.get(s.id) ?? 0;
    if (pence <= 0) continue;
    if (EVIDENCE_LEVELS.indexOf(s.evidence) > most) continue;
    const families = reach.get(s.id)?.families ?? 0;
    const rate = familiesPer1000(families, pence)!;
    if (rate < th.familiesPer1000) out.push({ service: s, pence, families, per1000: rate });
  }
  return out.sort((a, b) => a.per1000 - b.per1000 || a.service.name.localeCompare(b.service.name));
}

// ---- Building the tables -----------------------------------------------------------------------

interface Group {
  label: string;
  services: number;
  pence: number;
  families: number;
  attendances: number;
  demo: boolean;
  href?: string;
}

function groupBy(services: readonly AnswerService[], spend: ReadonlyMap<string, number>, reach: ReadonlyMap<string, Reach>, keyOf: (s: AnswerService) => { key: string; label: string; sort: number | string }): Group[] {
  const groups = new Map<string, Group & { sort: number | string }>();
  for (const s of services) {
    const pence = spend.get(s.id) ?? 0;
    const r = reach.get(s.id);
    if (!pence && !r) continue;
    const k = keyOf(s);
    const g = groups.get(k.key) ?? { label: k.label, sort: k.sort, services: 0, pence: 0, families: 0, attendances: 0, demo: false };
    g.services += 1;
    g.pence += pence;
    g.families += r?.families ?? 0;
    g.attendances += r?.attendances ?? 0;
    g.demo ||= s.isDemo;
    groups.set(k.key, g);
  }
  return [...groups.values()].sort((a, b) => (typeof a.sort === 'number' && typeof b.sort === 'number' ? a.sort - b.sort : 0) || String(a.sort).localeCompare(String(b.sort)) || a.label.localeCompare(b.label));
}

function spendTable(name: AnswerName, ctx: AnswerContext, groups: Group[], firstCol: string, notes: string[]): AnswerTable {
  const { t } = ctx;
  const total = groups.reduce((a, g) => ({ services: a.services + g.services, pence: a.pence + g.pence, families: a.families + g.families }), { services: 0, pence: 0, families: 0 });
  return {
    name,
    columns: [
      { label: firstCol, kind: 'text' },
      { label: t('res.answers.col.services'), kind: 'int' },
      { label: t('res.answers.col.spend'), kind: 'money' },
      { label: t('res.answers.col.shareSpend'), kind: 'percent' },
      { label: t('res.answers.col.families'), kind: 'int' },
      { label: t('res.answers.col.costPerFamily'), kind: 'money' },
    ],
    rows: groups.map((g) => ({ values: [g.label, g.services, g.pence, share(g.pence, total.pence), g.families, per(g.pence, g.families)], demo: g.demo, ...(g.href ? { href: g.href } : {}) })),
    total: { values: [t('res.answers.row.total'), total.services, total.pence, total.pence > 0 ? 100 : null, total.families, per(total.pence, total.families)] },
    chart: { label: 0, value: 2 },
    notes,
    demo: groups.some((g) => g.demo),
    exact: ctx.exact,
  };
}

export interface AnswerInputs {
  services: AnswerService[];
  spend: Map<string, number>;
  reach: Map<string, Reach>;
  sessions?: Map<string, number>;
  /** Spend per ward (spend-by-ward), families per ward (aggregate reach). */
  wardSpend?: Map<string | null, number>;
  wardFamilies?: Map<string, number>;
  /** Any demo service (pages that read no service list). */
  demoAny?: boolean;
  wardsOf?: Map<string, string[]>;
  slotsOf?: Map<string, Slot[]>;
  wardName?: Map<string, { code: string; name: string }>;
  thresholds?: Thresholds;
  contacts?: Awaited<ReturnType<typeof contactFamilies>>;
}

/** Families per ward as published: exact for coordinators, else through suppression (wards add up to the total shown). */
function wardCounts(ctx: AnswerContext, rows: Array<{ key: string; cells: number[] }>): { cells: Cell[][]; totals: Cell[] } {
  if (ctx.exact) {
    const totals = rows[0]?.cells.map((_, j) => ({ value: rows.reduce((a, r) => a + r.cells[j]!, 0), suppressed: false })) ?? [];
    return { cells: rows.map((r) => r.cells.map((v) => ({ value: v, suppressed: false }))), totals };
  }
  if (!rows.length) return { cells: [], totals: [] };
  const s = suppressTable({ rows, columnTotals: true });
  return { cells: s.rows.map((r) => r.cells), totals: s.columnTotals ?? [] };
}

function wardLabel(ctx: AnswerContext, inputs: AnswerInputs, id: string | null): string {
  if (id === null) return ctx.t('res.answers.row.noWard');
  return inputs.wardName?.get(id)?.name ?? id;
}

/** Builds one answer's table from its inputs (pure). */
export function buildAnswer(name: AnswerName, ctx: AnswerContext, inputs: AnswerInputs): AnswerTable {
  const { t, locale } = ctx;
  const { services, spend, reach } = inputs;
  const demo = inputs.demoAny ?? services.some((s) => s.isDemo && ((spend.get(s.id) ?? 0) > 0 || reach.has(s.id)));
  switch (name) {
    case 'spend-by-category':
      return spendTable(name, ctx, groupBy(services, spend, reach, (s) => ({ key: s.categoryId, label: categoryName(s, locale), sort: s.categorySort })), t('res.answers.col.category'), [t('res.answers.note.period')]);
    case 'spend-by-tier':
      return spendTable(name, ctx, groupBy(services, spend, reach, (s) => ({ key: s.tier, label: tierName(t, s.tier), sort: SERVICE_TIERS.indexOf(s.tier) })), t('res.answers.col.tier'), [t('res.answers.note.period')]);
    case 'spend-by-provider':
      return spendTable(name, ctx, groupBy(services, spend, reach, (s) => ({ key: s.providerId, label: s.providerName, sort: s.providerName })), t('res.answers.col.provider'), [t('res.answers.note.period')]);
    case 'spend-by-ward': {
      const perWard = inputs.wardSpend ?? new Map<string | null, number>();
      const famByWard = inputs.wardFamilies ?? new Map<string, number>();
      const keys = [...new Set<string | null>([...perWard.keys(), ...famByWard.keys()])].sort((a, b) => (a === null ? 1 : b === null ? -1 : wardLabel(ctx, inputs, a).localeCompare(wardLabel(ctx, inputs, b))));
      const totalPence = [...perWard.values()].reduce((a, b) => a + b, 0);
      const counts = wardCounts(ctx, keys.map((k) => ({ key: k ?? '-', cells: [k === null ? 0 : (famByWard.get(k) ?? 0)] })));
      return {
        name,
        columns: [
          { label: t('res.answers.col.ward'), kind: 'text' },
          { label: t('res.answers.col.spendShared'), kind: 'money' },
          { label: t('res.answers.col.shareSpend'), kind: 'percent' },
          { label: t('res.answers.col.families'), kind: 'count' },
        ],
        rows: keys.map((k, i) => ({ values: [wardLabel(ctx, inputs, k), perWard.get(k) ?? 0, share(perWard.get(k) ?? 0, totalPence), counts.cells[i]![0]!] })),
        total: { values: [t('res.answers.row.total'), totalPence, totalPence > 0 ? 100 : null, counts.totals[0] ?? { value: 0, suppressed: false }] },
        chart: { label: 0, value: 1 },
        notes: [t('res.answers.note.wardShare'), t('res.answers.note.period'), ...(ctx.exact ? [] : [t('res.answers.note.suppressed')])],
        demo,
        exact: ctx.exact,
      };
    }
    case 'cost-per-service': {
      const sessions = inputs.sessions ?? new Map();
      const rows = services
        .filter((s) => (spend.get(s.id) ?? 0) > 0 || reach.has(s.id))
        .map((s) => {
          const pence = spend.get(s.id) ?? 0;
          const r = reach.get(s.id) ?? { attendances: 0, families: 0 };
          return { s, values: [serviceName(s, locale), s.providerName, categoryName(s, locale), tierName(t, s.tier), pence, r.families, r.attendances, sessions.get(s.id) ?? 0, per(pence, r.families), per(pence, r.attendances)] as Value[] };
        })
        .sort((a, b) => ((b.values[8] as number | null) ?? -1) - ((a.values[8] as number | null) ?? -1) || a.s.name.localeCompare(b.s.name));
      const tp = rows.reduce((a, r) => a + (r.values[4] as number), 0);
      const tf = rows.reduce((a, r) => a + (r.values[5] as number), 0);
      const ta = rows.reduce((a, r) => a + (r.values[6] as number), 0);
      const ts = rows.reduce((a, r) => a + (r.values[7] as number), 0);
      return {
        name,
        columns: [
          { label: t('res.answers.col.service'), kind: 'text' },
          { label: t('res.answers.col.provider'), kind: 'text' },
          { label: t('res.answers.col.category'), kind: 'text' },
          { label: t('res.answers.col.tier'), kind: 'text' },
          { label: t('res.answers.col.spend'), kind: 'money' },
          { label: t('res.answers.col.families'), kind: 'int' },
          { label: t('res.answers.col.attendances'), kind: 'int' },
          { label: t('res.answers.col.sessions'), kind: 'int' },
          { label: t('res.answers.col.costPerFamily'), kind: 'money' },
          { label: t('res.answers.col.costPerAttendance'), kind: 'money' },
        ],
        rows: rows.map((r) => ({ values: r.values, href: serviceHref(r.s.id), demo: r.s.isDemo })),
        total: { values: [t('res.answers.row.total'), '', '', '', tp, tf, ta, ts, per(tp, tf), per(tp, ta)] },
        chart: { label: 0, value: 8 },
        notes: [t('res.answers.note.costPer'), t('res.answers.note.period')],
        demo,
        exact: ctx.exact,
      };
    }
    case 'cost-per-category': {
      const groups = groupBy(services, spend, reach, (s) => ({ key: s.categoryId, label: categoryName(s, locale), sort: s.categorySort }));
      const tp = groups.reduce((a, g) => a + g.pence, 0);
      const tf = groups.reduce((a, g) => a + g.families, 0);
      const ta = groups.reduce((a, g) => a + g.attendances, 0);
      return {
        name,
        columns: [
          { label: t('res.answers.col.category'), kind: 'text' },
          { label: t('res.answers.col.spend'), kind: 'money' },
          { label: t('res.answers.col.families'), kind: 'int' },
          { label: t('res.answers.col.attendances'), kind: 'int' },
          { label: t('res.answers.col.costPerFamily'), kind: 'money' },
          { label: t('res.answers.col.costPerAttendance'), kind: 'money' },
        ],
        rows: groups.map((g) => ({ values: [g.label, g.pence, g.families, g.attendances, per(g.pence, g.families), per(g.pence, g.attendances)], demo: g.demo })),
        total: { values: [t('res.answers.row.total'), tp, tf, ta, per(tp, tf), per(tp, ta)] },
        chart: { label: 0, value: 4 },
        notes: [t('res.answers.note.costPer'), t('res.answers.note.period')],
        demo,
        exact: ctx.exact,
      };
    }
    case 'early-acute': {
      const early = new Set<string>(EARLY_TIERS);
      const found = groupBy(services, spend, reach, (s) => (early.has(s.tier) ? { key: 'early', label: t('res.answers.early'), sort: 0 } : { key: 'acute', label: t('res.answers.acute'), sort: 1 }));
      const empty = (label: string): Group => ({ label, services: 0, pence: 0, families: 0, attendances: 0, demo: false });
      const groups = [t('res.answers.early'), t('res.answers.acute')].map((label) => found.find((g) => g.label === label) ?? empty(label));
      const tp = groups.reduce((a, g) => a + g.pence, 0);
      const tf = groups.reduce((a, g) => a + g.families, 0);
      return {
        name,
        columns: [
          { label: t('res.answers.col.group'), kind: 'text' },
          { label: t('res.answers.col.services'), kind: 'int' },
          { label: t('res.answers.col.spend'), kind: 'money' },
          { label: t('res.answers.col.shareSpend'), kind: 'percent' },
          { label: t('res.answers.col.families'), kind: 'int' },
          { label: t('res.answers.col.shareFamilies'), kind: 'percent' },
        ],
        rows: groups.map((g) => ({ values: [g.label, g.services, g.pence, share(g.pence, tp), g.families, share(g.families, tf)], demo: g.demo })),
        total: { values: [t('res.answers.row.total'), groups.reduce((a, g) => a + g.services, 0), tp, tp > 0 ? 100 : null, tf, tf > 0 ? 100 : null] },
        chart: { label: 0, value: 2 },
        notes: [t('res.answers.note.early'), t('res.answers.note.period')],
        demo,
        exact: ctx.exact,
      };
    }
    case 'duplication': {
      const pairs = duplicationPairs(services, inputs.wardsOf ?? new Map(), inputs.slotsOf ?? new Map());
      const perCat = new Map<string, number>();
      for (const p of pairs) perCat.set(categoryName(p.a, locale), (perCat.get(categoryName(p.a, locale)) ?? 0) + 1);
      return {
        name,
        columns: [
          { label: t('res.answers.col.category'), kind: 'text' },
          { label: t('res.answers.col.serviceA'), kind: 'text' },
          { label: t('res.answers.col.serviceB'), kind: 'text' },
          { label: t('res.answers.col.sharedWards'), kind: 'text' },
          { label: t('res.answers.col.whenBoth'), kind: 'text' },
          { label: t('res.answers.col.timesPerMonth'), kind: 'decimal' },
        ],
        rows: pairs.map((p) => ({
          values: [
            categoryName(p.a, locale),
            `${serviceName(p.a, locale)} (${p.a.providerName})`,
            `${serviceName(p.b, locale)} (${p.b.providerName})`,
            p.wardIds.map((w) => wardLabel(ctx, inputs, w)).sort().join(', '),
            p.overlaps.map((o) => t('res.answers.overlap', { day: t(`res.answers.weekday.${o.weekday}` as MessageKey), from: o.from, to: o.to, a: t(`res.answers.freq.${o.frequencies[0]}` as MessageKey), b: t(`res.answers.freq.${o.frequencies[1]}` as MessageKey) })).join('; '),
            p.overlaps.reduce((a, o) => a + o.perMonth, 0),
          ],
          href: `/resources/services/${p.a.id}`,
          demo: p.a.isDemo || p.b.isDemo,
        })),
        chart: { label: 0, value: 1 },
        notes: [t('res.answers.note.duplication')],
        demo: pairs.some((p) => p.a.isDemo || p.b.isDemo),
        exact: ctx.exact,
      };
    }
    case 'marginal': {
      const th = inputs.thresholds!;
      const list = marginalCandidates(services, spend, reach, th);
      return {
        name,
        columns: [
          { label: t('res.answers.col.service'), kind: 'text' },
          { label: t('res.answers.col.provider'), kind: 'text' },
          { label: t('res.answers.col.category'), kind: 'text' },
          { label: t('res.answers.col.evidence'), kind: 'text' },
          { label: t('res.answers.col.spend'), kind: 'money' },
          { label: t('res.answers.col.families'), kind: 'int' },
          { label: t('res.answers.col.per1000'), kind: 'decimal' },
        ],
        rows: list.map((m) => ({ values: [serviceName(m.service, locale), m.service.providerName, categoryName(m.service, locale), evidenceName(t, m.service.evidence), m.pence, m.families, m.per1000], href: serviceHref(m.service.id), demo: m.service.isDemo })),
        chart: { label: 0, value: 6 },
        notes: [t('res.answers.note.marginal', { n: displayValue({ label: '', kind: 'decimal' }, th.familiesPer1000, locale), evidence: evidenceName(t, th.evidenceAtMost) }), t('res.answers.note.period')],
        demo: list.some((m) => m.service.isDemo),
        exact: ctx.exact,
      };
    }
    case 'families': {
      if (inputs.contacts) {
        const rowsIn = [...inputs.contacts].sort((a, b) => (a.wardId === null ? 1 : b.wardId === null ? -1 : wardLabel(ctx, inputs, a.wardId).localeCompare(wardLabel(ctx, inputs, b.wardId))));
        const counts = wardCounts(ctx, rowsIn.map((r) => ({ key: r.wardId ?? '-', cells: [r.distinct, r.newlyEngaging, r.sustained] })));
        return {
          name,
          columns: [
            { label: t('res.answers.col.ward'), kind: 'text' },
            { label: t('res.answers.col.distinct'), kind: 'count' },
            { label: t('res.answers.col.newlyEngaging'), kind: 'count' },
            { label: t('res.answers.col.sustained'), kind: 'count' },
          ],
          rows: rowsIn.map((r, i) => ({ values: [wardLabel(ctx, inputs, r.wardId), ...counts.cells[i]!] })),
          total: { values: [t('res.answers.row.total'), ...counts.totals] },
          chart: { label: 0, value: 1 },
          notes: [t('res.answers.note.contacts'), ...(ctx.exact ? [] : [t('res.answers.note.suppressed')])],
          demo,
          exact: ctx.exact,
        };
      }
      const fam = inputs.wardFamilies ?? new Map<string, number>();
      const keys = [...fam.keys()].sort((a, b) => wardLabel(ctx, inputs, a).localeCompare(wardLabel(ctx, inputs, b)));
      const counts = wardCounts(ctx, keys.map((k) => ({ key: k, cells: [fam.get(k)!] })));
      return {
        name,
        columns: [
          { label: t('res.answers.col.ward'), kind: 'text' },
          { label: t('res.answers.col.familiesAggregate'), kind: 'count' },
        ],
        rows: keys.map((k, i) => ({ values: [wardLabel(ctx, inputs, k), counts.cells[i]![0]!] })),
        total: { values: [t('res.answers.row.total'), counts.totals[0] ?? { value: 0, suppressed: false }] },
        chart: { label: 0, value: 1 },
        notes: [t('res.answers.note.aggregate'), ...(ctx.exact ? [] : [t('res.answers.note.suppressed')])],
        demo,
        exact: ctx.exact,
      };
    }
  }
}

// Built answers by tenant, data version, answer, period, language and exactness. The version is
// bumped in the writing transaction by triggers on every table read here, so a hit is exact; the
// ten minutes only bound what the version does not cover (another module's ward names).
const built = new TtlCache<AnswerTable>(10 * 60_000, 300);

/** Reads what one answer needs for the period and builds its table (the same data version: the table built before). */
export async function loadAnswer(db: Executor, tenantId: string, name: AnswerName, period: Period, ctx: AnswerContext): Promise<AnswerTable> {
  const version = await answersVersion(db, tenantId);
  const key = `${tenantId}:${version}:${name}:${period.start}:${period.end}:${ctx.locale}:${ctx.exact ? 'e' : 's'}`;
  return built.get(key, () => loadInputs(db, tenantId, name, period).then((inputs) => buildAnswer(name, ctx, inputs)));
}

export async function loadInputs(db: Executor, tenantId: string, name: AnswerName, period: Period): Promise<AnswerInputs> {
  const byWard = name === 'spend-by-ward' || name === 'families';
  const [services, spend, reach, sessions, wardSpend, wardFamilies, demoAny, wardsOf, slotsOf, thresholds, contacts] = await Promise.all([
    byWard ? [] : answerServices(db, tenantId),
    byWard || name === 'duplication' ? new Map<string, number>() : spendByService(db, tenantId, period),
    byWard || name === 'duplication' ? new Map<string, Reach>() : reachByService(db, tenantId, period),
    name === 'cost-per-service' ? sessionsByService(db, tenantId, period) : undefined,
    name === 'spend-by-ward' ? spendByWard(db, tenantId, period) : undefined,
    byWard ? familiesByWard(db, tenantId, period) : undefined,
    byWard ? hasDemoServices(db, tenantId) : undefined,
    name === 'duplication' ? serviceWards(db, tenantId) : undefined,
    name === 'duplication' ? serviceSchedules(db, tenantId) : undefined,
    name === 'marginal' ? thresholdsOf(db, tenantId) : undefined,
    name === 'families' ? contactFamilies(db, tenantId, period) : undefined,
  ]);
  const inputs: AnswerInputs = {
    services,
    spend,
    reach,
    ...(sessions ? { sessions } : {}),
    ...(wardSpend ? { wardSpend } : {}),
    ...(wardFamilies ? { wardFamilies } : {}),
    ...(demoAny !== undefined ? { demoAny } : {}),
    ...(wardsOf ? { wardsOf } : {}),
    ...(slotsOf ? { slotsOf } : {}),
    ...(thresholds ? { thresholds } : {}),
    ...(contacts !== undefined ? { contacts } : {}),
  };
  if (byWard || name === 'duplication') {
    const ids = new Set<string>();
    for (const k of wardSpend?.keys() ?? []) if (k) ids.add(k);
    for (const k of wardFamilies?.keys() ?? []) ids.add(k);
    for (const l of wardsOf?.values() ?? []) for (const w of l) ids.add(w);
    for (const c of contacts ?? []) if (c.wardId) ids.add(c.wardId);
    inputs.wardName = await wardNames(db, tenantId, ids);
  }
  return inputs;
}

export type { EvidenceLevel };
