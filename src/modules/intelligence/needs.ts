import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { suppressTable, type Cell, type SuppressedTable } from '../../lib/suppression.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { intelCategories, intelReports } from './schema.ts';

/**
 * The needs picture (issue 10 item 6): reports per ward × category × month of `observed_on`, and
 * the families they estimate. Reads `intel_reports` and `intel_categories` only — never
 * the safeguarding concerns' table (SECURITY.md 17–21: a child at risk is never a data point). Merged
 * duplicates (`merged_into` set) are counted once, as their survivor.
 */

/** A month as 'YYYY-MM'. */
export type Month = string;

export interface NeedsFilter {
  from: Month;
  to: Month;
  /** A category key, or undefined for every category. */
  category?: string | undefined;
}

/** The two figures of a cell. */
export type Measure = 'reports' | 'families';
export const MEASURES: readonly Measure[] = ['reports', 'families'];

export interface NeedsWard {
  id: string;
  code: string;
  name: string;
}

export interface NeedsCategory {
  id: string;
  key: string;
  title: string;
  titlePl: string | null;
}

/** One aggregate row: a ward, a category, a month. */
export interface NeedsRow {
  wardId: string;
  categoryId: string;
  month: Month;
  reports: number;
  families: number;
}

/** The exact figures (coordinators), before any suppression. */
export interface NeedsPicture {
  filter: NeedsFilter;
  setName: string;
  setKey: string;
  wards: NeedsWard[];
  /** The categories of the tables: every one from `needsPicture`; the chosen one after `shownPicture`. */
  categories: NeedsCategory[];
  /** Every category of the tenant, for the filter's choices. */
  allCategories: NeedsCategory[];
  months: Month[];
  rows: NeedsRow[];
  /** Demo reports are among the counted ones (in this filter). */
  demo: boolean;
}

/** Longest period one view may cover (3 years). */
export const MAX_MONTHS = 36;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to && out.length <= MAX_MONTHS; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** This month on the calendar of Europe/London (at 00:30 BST on 1 June it is June, while UTC says May). */
export function londonMonth(now: Date): Month {
  return isoDate(now).slice(0, 7);
}

/** The default period: the last 12 months, this one included. */
export function defaultFilter(now: Date): NeedsFilter {
  const to = londonMonth(now);
  return { from: addMonths(to, -11), to };
}

/**
 * The filter from a query string (`from`, `to` as YYYY-MM, `category` as a key). Blank fields take
 * the default; bad ones are refused with a message per field (400) and nothing is read.
 */
export function parseNeedsFilter(query: Record<string, string | undefined>, now: Date, categoryKeys?: readonly string[]): NeedsFilter {
  const def = defaultFilter(now);
  const issues: FieldIssue[] = [];
  const month = (name: 'from' | 'to'): Month => {
    const raw = (query[name] ?? '').trim();
    if (!raw) return def[name];
    if (!MONTH.test(raw)) {
      issues.push({ field: name, message: 'intel.needs.error.month' });
      return def[name];
    }
    return raw;
  };
  const from = month('from');
  const to = month('to');
  if (!issues.length) {
    if (from > to) issues.push({ field: 'from', message: 'intel.needs.error.order' });
    else if (monthsBetween(from, to).length > MAX_MONTHS) issues.push({ field: 'from', message: 'intel.needs.error.span' });
  }
  const category = (query.category ?? '').trim() || undefined;
  if (category !== undefined && categoryKeys && !categoryKeys.includes(category)) issues.push({ field: 'category', message: 'intel.needs.error.category' });
  if (issues.length) throw new AppError('validation_failed', 'Check the filter: months as YYYY-MM, "from" not after "to", at most 36 months, a category from the list.', issues, 'intel.needs.error.filter');
  return { from, to, category };
}

/** The filter as a query string (for links, exports, the map's GeoJSON). */
export function filterQuery(filter: NeedsFilter): string {
  const q = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.category) q.set('category', filter.category);
  return q.toString();
}

/** Every category of the tenant (active first by sort order; retired ones keep their counts). */
export async function needsCategories(db: Executor, tenantId: string): Promise<NeedsCategory[]> {
  return db
    .select({ id: intelCategories.id, key: intelCategories.key, title: intelCategories.title, titlePl: intelCategories.titlePl })
    .from(intelCategories)
    .where(eq(intelCategories.tenantId, tenantId))
    .orderBy(asc(intelCategories.sortOrder), asc(intelCategories.key));
}

/**
 * The aggregate query: one row per ward × category × month with reports and estimated families,
 * merged duplicates left out. Uses the index `intel_reports_needs` (tenant, observed_on) with the
 * other columns included, so PostgreSQL answers it from the index alone.
 */
export async function needsRows(db: Executor, tenantId: string, wardIds: readonly string[], filter: NeedsFilter, categoryId?: string): Promise<NeedsRow[]> {
  return (await needsRowsWithDemo(db, tenantId, wardIds, filter, categoryId)).rows;
}

async function needsRowsWithDemo(db: Executor, tenantId: string, wardIds: readonly string[], filter: NeedsFilter, categoryId?: string): Promise<{ rows: NeedsRow[]; demo: boolean }> {
  if (!wardIds.length) return { rows: [], demo: false };
  // Grouped by the month as a timestamp without time zone (cheap); formatted once per group.
  const monthStart = sql`date_trunc('month', ${intelReports.observedOn}::timestamp)`;
  const rows = await db
    .select({
      wardId: intelReports.wardId,
      categoryId: intelReports.categoryId,
      month: sql<string>`to_char(${monthStart}, 'YYYY-MM')`,
      reports: sql<number>`count(*)::int`,
      families: sql<number>`coalesce(sum(${intelReports.familiesEstimate}), 0)::int`,
      demo: sql<boolean>`bool_or(${intelReports.isDemo})`,
    })
    .from(intelReports)
    .where(
      and(
        eq(intelReports.tenantId, tenantId),
        isNull(intelReports.mergedInto),
        gte(intelReports.observedOn, `${filter.from}-01`),
        lt(intelReports.observedOn, `${addMonths(filter.to, 1)}-01`),
        inArray(intelReports.wardId, [...wardIds]),
        categoryId ? eq(intelReports.categoryId, categoryId) : undefined,
      ),
    )
    .groupBy(intelReports.wardId, intelReports.categoryId, monthStart);
  return {
    rows: rows.map((r) => ({ wardId: r.wardId, categoryId: r.categoryId, month: r.month, reports: Number(r.reports), families: Number(r.families) })),
    demo: rows.some((r) => r.demo === true),
  };
}

/** The exact needs picture of the tenant's current ward set for a filter (`categories`: already read by the caller). */
export async function needsPicture(db: Executor, tenant: Tenant, filter: NeedsFilter, categories?: NeedsCategory[]): Promise<NeedsPicture> {
  const set = pickWardSet(await areaOverview(db, tenant), undefined);
  const [wardList, allCategories] = await Promise.all([wardsOf(db, tenant, set), categories ?? needsCategories(db, tenant.id)]);
  const wards = wardList.map((w) => ({ id: w.id, code: w.code, name: w.name }));
  const chosen = filter.category ? allCategories.find((c) => c.key === filter.category) : undefined;
  if (filter.category && !chosen) throw new AppError('validation_failed', `There is no category "${filter.category}".`, [{ field: 'category', message: 'intel.needs.error.category' }], 'intel.needs.error.filter');
  // Every category is read, also for one category's view: suppression runs on the whole table, so
  // the view of one category shows exactly its column of the all-categories view (`shownPicture`).
  const { rows, demo } = await needsRowsWithDemo(
    db,
    tenant.id,
    wards.map((w) => w.id),
    filter,
  );
  return { filter, setName: set.name, setKey: set.key, wards, categories: allCategories, allCategories, months: monthsBetween(filter.from, filter.to), rows, demo };
}

// The public page may serve the same aggregates for a minute (per tenant and filter).
const publicCache = new TtlCache<NeedsPicture>(60_000);

/** `needsPicture` cached for 60 s per tenant + filter (public pages and exports only). */
export function cachedNeedsPicture(db: Executor, tenant: Tenant, filter: NeedsFilter, categories?: NeedsCategory[]): Promise<NeedsPicture> {
  return publicCache.get(`${tenant.id}:${filterQuery(filter)}`, () => needsPicture(db, tenant, filter, categories));
}

/** Forget the cached pictures of a tenant (after a change in this process; others see it within a minute). */
export function forgetNeedsCache(tenantId: string): void {
  publicCache.delete(`${tenantId}:`);
}

// ---------------------------------------------------------------------------------------------
// Publishing: the same structure for coordinators (exact) and everyone else (suppressed).

/** A grid as shown: `cells[row][column]`, a total per row and per column, and the grand total. */
export interface PublishedGrid {
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  grandTotal: Cell;
}

/** A category's (or ward-category's) months, with the period total beside them. */
export interface PublishedLine {
  cells: Cell[];
  total: Cell;
}

export interface PublishedNeeds {
  exact: boolean;
  /** Wards × categories over the whole period, with ward totals, category totals and the grand total. */
  byWard: Record<Measure, PublishedGrid>;
  /** Categories × months (the trend), each row's total being the category total of `byWard`. */
  trend: Record<Measure, PublishedLine[]>;
}

const exactCell = (n: number): Cell => ({ value: n, suppressed: false });

function sum(ns: readonly number[]): number {
  return ns.reduce((s, n) => s + n, 0);
}

/** The exact grids of a picture: [measure] → wards × categories, categories × months. */
export function exactGrids(p: NeedsPicture) {
  const wi = new Map(p.wards.map((w, i) => [w.id, i]));
  const ci = new Map(p.categories.map((c, i) => [c.id, i]));
  const mi = new Map(p.months.map((m, i) => [m, i]));
  const zero = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => 0));
  const byWard = { reports: zero(p.wards.length, p.categories.length), families: zero(p.wards.length, p.categories.length) };
  const trend = { reports: zero(p.categories.length, p.months.length), families: zero(p.categories.length, p.months.length) };
  const cube = { reports: new Map<string, number[]>(), families: new Map<string, number[]>() };
  for (const r of p.rows) {
    const w = wi.get(r.wardId);
    const c = ci.get(r.categoryId);
    const m = mi.get(r.month);
    if (w === undefined || c === undefined || m === undefined) continue;
    for (const k of MEASURES) {
      byWard[k][w]![c]! += r[k];
      trend[k][c]![m]! += r[k];
      const key = `${w}:${c}`;
      const line = cube[k].get(key) ?? Array.from({ length: p.months.length }, () => 0);
      line[m]! += r[k];
      cube[k].set(key, line);
    }
  }
  return { byWard, trend, cube };
}

function gridOf(t: SuppressedTable, rows: number, cols: number): PublishedGrid {
  const hidden: Cell = { value: null, suppressed: true, reason: 'secondary' };
  return {
    cells: Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => t.rows[i]?.cells[j] ?? hidden)),
    rowTotals: Array.from({ length: rows }, (_, i) => t.rows[i]?.total ?? hidden),
    columnTotals: Array.from({ length: cols }, (_, j) => t.columnTotals?.[j] ?? hidden),
    grandTotal: t.grandTotal ?? hidden,
  };
}

function exactGrid(values: number[][], cols: number): PublishedGrid {
  return {
    cells: values.map((r) => r.map(exactCell)),
    rowTotals: values.map((r) => exactCell(sum(r))),
    columnTotals: Array.from({ length: cols }, (_, j) => exactCell(sum(values.map((r) => r[j] ?? 0)))),
    grandTotal: exactCell(sum(values.map(sum))),
  };
}

/**
 * A line of months whose period total is already published (or hidden) in another table of the
 * same view. Published total: the line is suppressed with that total (`suppressTable` with a row
 * total), so a hidden month cannot be worked out from it. Hidden total: the months are suppressed
 * on their own, and if none is hidden while some are non-zero, the smallest non-zero is hidden too,
 * so the hidden total cannot be added up from the months. If the two tables ever disagreed about
 * the total, every non-zero month is hidden (never a leak).
 */
export function publishLine(months: number[], total: Cell): PublishedLine {
  if (!months.length) return { cells: [], total };
  if (!total.suppressed) {
    const t = suppressTable({ rows: [{ key: 'line', cells: months }], rowTotals: true });
    const row = t.rows[0];
    if (row && row.total && !row.total.suppressed) return { cells: row.cells, total };
    return { cells: months.map((n) => (n === 0 ? exactCell(0) : { value: null, suppressed: true, reason: 'secondary' })), total };
  }
  const cells = suppressTable({ rows: [{ key: 'line', cells: months }] }).rows[0]?.cells ?? [];
  if (!cells.some((c) => c.suppressed) && months.some((n) => n > 0)) {
    let pick = -1;
    months.forEach((n, i) => {
      if (n > 0 && (pick < 0 || n < months[pick]!)) pick = i;
    });
    cells[pick] = { value: null, suppressed: true, reason: 'secondary' };
  }
  return { cells, total };
}

/**
 * The figures as shown. `exact` (coordinators: `intel.exact`) shows every count; otherwise every
 * count goes through `suppressTable` (METRICS.md): the wards × categories table with its totals
 * as one table, and each category's months against the category total of that table. With a
 * category in the filter, the answer is that category's column and line of the full tables (so
 * that the views of one category and of all of them never hide different cells of the same
 * period: together they could give a hidden cell away). Pair it with `shownPicture(p)`.
 */
export function publishNeeds(p: NeedsPicture, exact: boolean): PublishedNeeds {
  const full = publishAll(p, exact);
  const j = p.filter.category ? p.categories.findIndex((c) => c.key === p.filter.category) : -1;
  if (j < 0) return full;
  const pick = (g: PublishedGrid): PublishedGrid => {
    const column = g.cells.map((row) => [row[j]!]);
    return { cells: column, rowTotals: column.map((r) => r[0]!), columnTotals: [g.columnTotals[j]!], grandTotal: g.columnTotals[j]! };
  };
  return {
    exact,
    byWard: { reports: pick(full.byWard.reports), families: pick(full.byWard.families) },
    trend: { reports: [full.trend.reports[j]!], families: [full.trend.families[j]!] },
  };
}

/** The picture as the tables show it: with a category in the filter, only that category and its rows. */
export function shownPicture(p: NeedsPicture): NeedsPicture {
  const chosen = p.filter.category ? p.categories.find((c) => c.key === p.filter.category) : undefined;
  if (!chosen) return p;
  return { ...p, categories: [chosen], rows: p.rows.filter((r) => r.categoryId === chosen.id) };
}

function publishAll(p: NeedsPicture, exact: boolean): PublishedNeeds {
  const g = exactGrids(p);
  const byWard = {} as Record<Measure, PublishedGrid>;
  const trend = {} as Record<Measure, PublishedLine[]>;
  for (const k of MEASURES) {
    if (exact) {
      byWard[k] = exactGrid(g.byWard[k], p.categories.length);
      trend[k] = g.trend[k].map((line) => ({ cells: line.map(exactCell), total: exactCell(sum(line)) }));
      continue;
    }
    const table = suppressTable({ rows: g.byWard[k].map((cells, i) => ({ key: p.wards[i]!.code, cells })), rowTotals: true, columnTotals: true });
    byWard[k] = gridOf(table, p.wards.length, p.categories.length);
    trend[k] = g.trend[k].map((line, c) => publishLine(line, byWard[k].columnTotals[c]!));
  }
  return { exact, byWard, trend };
}

/**
 * One ward's categories × months, exact: for coordinators only. The public ward page shows the
 * ward's row of `byWard` instead, because months per ward published beside the trend (months per
 * category, all wards) would form a third table over the same reports: a ward's hidden month
 * could be worked out by taking the other wards' months from the category's month total.
 */
export function exactWardLines(p: NeedsPicture, wardIndex: number): Record<Measure, PublishedLine[]> {
  const g = exactGrids(p);
  const out = {} as Record<Measure, PublishedLine[]>;
  for (const k of MEASURES) {
    out[k] = p.categories.map((_, c) => {
      const months = g.cube[k].get(`${wardIndex}:${c}`) ?? p.months.map(() => 0);
      return { cells: months.map(exactCell), total: exactCell(sum(months)) };
    });
  }
  return out;
}
