import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { addDays, isoDate, quarterBounds, quarterOf } from '../../lib/dates.ts';

export { addDays, quarterOf };
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { memberCards } from '../membership/views.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import { renderChart } from './chart.ts';
import { dashboardInputs, type DashboardInputs } from './inputs.ts';
import { listLevels, type Level } from './levels.ts';
import { ladderEligibility, ladderMemberLevels, ladderStepUpRequests } from './schema.ts';

/** The last `n` quarters up to the one holding `today` (oldest first), with their first and last days. */
export function lastQuarters(today: string, n = 4): Array<{ quarter: string; from: string; to: string }> {
  const out: Array<{ quarter: string; from: string; to: string }> = [];
  let day = today;
  for (let i = 0; i < n; i++) {
    const { from, to } = quarterBounds(day);
    out.unshift({ quarter: quarterOf(from), from, to });
    day = addDays(from, -1);
  }
  return out;
}

export interface DashboardModel {
  today: string;
  computedAt: Date | null;
  demo: boolean;
  levels: Level[];
  /** Rows per ward: counts[0] = no level yet, counts[i] = level number i. */
  perWard: Array<{ wardId: string | null; name: string; counts: number[]; total: number }>;
  perWardTotal: number[];
  eligibleNow: number;
  pending: number;
  quarters: string[];
  /** Step-ups (levels reached) per quarter: byLevel[i-1] = reached level i. */
  stepUps: Array<{ quarter: string; byLevel: number[]; total: number }>;
  attendance: Array<{ quarter: string; attendances: number; sessions: number; people: number }>;
  /** M1: distinct volunteers in training and step-ups per level, per quarter, by ward and by level. */
  m1: Array<{ quarter: string; inTraining: number; stepUps: number[] }>;
  m1ByWard: Array<{ name: string; inTraining: number; stepUps: number }>;
  /** index 0 = no level at the time, i = level i. */
  m1ByLevel: Array<{ level: number; inTraining: number; stepUps: number }>;
  expiring: Array<{ memberId: string; name: string; isDemo: boolean; kindKey: string; title: string; expiresOn: string; reminded: boolean }>;
  dbsDue: number;
}

/**
 * Everything the dashboard shows, from the eligibility snapshot (volunteers per level per ward), the
 * level history (step-ups), and one call to each other module's view. Counts are exact: the page is
 * for coordinators only (METRICS.md).
 */
export async function dashboardModel(db: Executor, tenantId: string, now: Date, inputs: DashboardInputs = dashboardInputs()): Promise<DashboardModel> {
  const today = isoDate(now);
  const quarters = lastQuarters(today, 4);
  const from = quarters[0]!.from;
  const to = quarters.at(-1)!.to;
  const soon = addDays(today, 30);
  const [levels, perLevelWard, snapshotMeta, history, pendingRow, attendance, expiring, dbsDue] = await Promise.all([
    listLevels(db, tenantId),
    db
      .select({ wardId: ladderEligibility.wardId, levelId: ladderEligibility.currentLevelId, n: sql<number>`count(*)::int`, eligible: sql<number>`count(*) FILTER (WHERE ${ladderEligibility.eligible})::int` })
      .from(ladderEligibility)
      .where(eq(ladderEligibility.tenantId, tenantId))
      .groupBy(ladderEligibility.wardId, ladderEligibility.currentLevelId),
    db
      .select({ computedAt: sql<Date | string | null>`max(${ladderEligibility.computedAt})`, demo: sql<boolean>`coalesce(bool_or(${ladderEligibility.isDemo}), false)` })
      .from(ladderEligibility)
      .where(eq(ladderEligibility.tenantId, tenantId)),
    db
      .select({ memberId: ladderMemberLevels.memberId, levelId: ladderMemberLevels.levelId, fromDate: ladderMemberLevels.fromDate, toDate: ladderMemberLevels.toDate })
      .from(ladderMemberLevels)
      .where(eq(ladderMemberLevels.tenantId, tenantId)),
    db.select({ n: sql<number>`count(*)::int` }).from(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.status, 'pending'))),
    inputs.attendanceByQuarter(db, tenantId, from, to),
    inputs.expiringQualifications(db, tenantId, today, soon),
    inputs.dbsRenewalsDue(db, tenantId, today, soon),
  ]);
  const numberOf = new Map(levels.map((l) => [l.id, l.number]));
  const maxLevel = Math.max(0, ...levels.map((l) => l.number));

  // Volunteers per level per ward (from the snapshot).
  const wardIds = [...new Set(perLevelWard.map((r) => r.wardId).filter((w): w is string => !!w))];
  const attendeeIds = [...new Set(attendance.flatMap((a) => a.memberIds))];
  // Wards of volunteers from the snapshot (this module's table); membership's cards only for the rest.
  const wardOfMember = new Map((await db.select({ id: ladderEligibility.memberId, wardId: ladderEligibility.wardId }).from(ladderEligibility).where(eq(ladderEligibility.tenantId, tenantId))).map((r) => [r.id, r.wardId]));
  const attendeeCards = await memberCards(db, tenantId, attendeeIds.filter((id) => !wardOfMember.has(id)));
  for (const m of attendeeCards) wardOfMember.set(m.id, m.wardId);
  const allWardIds = [...new Set([...wardIds, ...[...wardOfMember.values()].filter((w): w is string => !!w)])];
  const wardNames = new Map((await wardNamesByIds(db, tenantId, allWardIds)).map((w) => [w.id, w.name]));
  const byWard = new Map<string | null, number[]>();
  let eligibleNow = 0;
  for (const r of perLevelWard) {
    const counts = byWard.get(r.wardId) ?? byWard.set(r.wardId, new Array<number>(maxLevel + 1).fill(0)).get(r.wardId)!;
    counts[r.levelId ? (numberOf.get(r.levelId) ?? 0) : 0]! += r.n;
    eligibleNow += r.eligible;
  }
  const perWard = [...byWard.entries()]
    .map(([wardId, counts]) => ({ wardId, name: wardId ? (wardNames.get(wardId) ?? '') : '', counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => (a.wardId === null ? 1 : b.wardId === null ? -1 : a.name.localeCompare(b.name, 'en-GB')));
  const perWardTotal = new Array<number>(maxLevel + 1).fill(0);
  for (const w of perWard) w.counts.forEach((n, i) => (perWardTotal[i]! += n));

  // Step-ups: each level-history row is a level reached on its from date.
  const qIndex = new Map(quarters.map((q, i) => [q.quarter, i]));
  const stepUps = quarters.map((q) => ({ quarter: q.quarter, byLevel: new Array<number>(maxLevel).fill(0), total: 0 }));
  const levelsByMember = new Map<string, Array<{ levelId: string; fromDate: string; toDate: string | null }>>();
  const stepUpsByWard = new Map<string | null, number>();
  const stepUpsByLevel = new Array<number>(maxLevel + 1).fill(0);
  for (const h of history) {
    (levelsByMember.get(h.memberId) ?? levelsByMember.set(h.memberId, []).get(h.memberId)!).push(h);
    const i = qIndex.get(quarterOf(h.fromDate));
    const n = numberOf.get(h.levelId);
    if (i === undefined || !n) continue;
    stepUps[i]!.byLevel[n - 1]! += 1;
    stepUps[i]!.total += 1;
    stepUpsByLevel[n]! += 1;
  }
  // Step-ups by ward need the member's ward: from the snapshot rows of the members who stepped up.
  const steppedUp = [...new Set(history.filter((h) => qIndex.has(quarterOf(h.fromDate))).map((h) => h.memberId))];
  const missingCards = steppedUp.filter((id) => !wardOfMember.has(id));
  for (const m of await memberCards(db, tenantId, missingCards)) wardOfMember.set(m.id, m.wardId);
  for (const h of history) {
    if (!qIndex.has(quarterOf(h.fromDate))) continue;
    const w = wardOfMember.get(h.memberId) ?? null;
    stepUpsByWard.set(w, (stepUpsByWard.get(w) ?? 0) + 1);
  }
  const extraWards = [...stepUpsByWard.keys()].filter((w): w is string => !!w && !wardNames.has(w));
  for (const w of await wardNamesByIds(db, tenantId, extraWards)) wardNames.set(w.id, w.name);

  /** The level number a member held at the end of a day (0: none). */
  const levelAt = (memberId: string, day: string) => {
    const rows = levelsByMember.get(memberId);
    if (!rows) return 0;
    const held = rows.find((r) => r.fromDate <= day && (r.toDate === null || r.toDate > day));
    return held ? (numberOf.get(held.levelId) ?? 0) : 0;
  };

  const attendanceRows = quarters.map((q) => {
    const a = attendance.find((x) => x.quarter === q.quarter);
    return { quarter: q.quarter, attendances: a?.attendances ?? 0, sessions: a?.sessions ?? 0, people: a ? new Set(a.memberIds).size : 0 };
  });
  const m1 = quarters.map((q, i) => ({ quarter: q.quarter, inTraining: attendanceRows[i]!.people, stepUps: stepUps[i]!.byLevel }));
  // By ward and by level over the whole period: distinct people in training (level at the end of the quarter they trained in, highest).
  const trainedLevel = new Map<string, number>();
  for (const q of quarters) {
    const a = attendance.find((x) => x.quarter === q.quarter);
    for (const id of a?.memberIds ?? []) trainedLevel.set(id, Math.max(trainedLevel.get(id) ?? 0, levelAt(id, q.to)));
  }
  const inTrainingByWard = new Map<string | null, number>();
  const inTrainingByLevel = new Array<number>(maxLevel + 1).fill(0);
  for (const [id, level] of trainedLevel) {
    const w = wardOfMember.get(id) ?? null;
    inTrainingByWard.set(w, (inTrainingByWard.get(w) ?? 0) + 1);
    inTrainingByLevel[level]! += 1;
  }
  const m1Wards = new Set([...inTrainingByWard.keys(), ...stepUpsByWard.keys()]);
  const m1ByWard = [...m1Wards]
    .map((w) => ({ wardId: w, name: w ? (wardNames.get(w) ?? '') : '', inTraining: inTrainingByWard.get(w) ?? 0, stepUps: stepUpsByWard.get(w) ?? 0 }))
    .sort((a, b) => (a.wardId === null ? 1 : b.wardId === null ? -1 : a.name.localeCompare(b.name, 'en-GB')))
    .map(({ name, inTraining, stepUps: s }) => ({ name, inTraining, stepUps: s }));
  const m1ByLevel = inTrainingByLevel.map((n, level) => ({ level, inTraining: n, stepUps: stepUpsByLevel[level] ?? 0 }));

  const expCards = new Map((await memberCards(db, tenantId, [...new Set(expiring.map((e) => e.memberId))])).map((m) => [m.id, m]));
  const meta = snapshotMeta[0];
  return {
    today,
    computedAt: meta?.computedAt ? new Date(meta.computedAt) : null,
    demo: !!meta?.demo,
    levels,
    perWard,
    perWardTotal,
    eligibleNow,
    pending: pendingRow[0]?.n ?? 0,
    quarters: quarters.map((q) => q.quarter),
    stepUps,
    attendance: attendanceRows,
    m1,
    m1ByWard,
    m1ByLevel,
    expiring: expiring
      .map((e) => ({ ...e, name: expCards.get(e.memberId)?.name ?? '', isDemo: expCards.get(e.memberId)?.isDemo ?? false }))
      .sort((a, b) => (a.expiresOn < b.expiresOn ? -1 : a.expiresOn > b.expiresOn ? 1 : 0)),
    dbsDue,
  };
}

/** The two charts of the dashboard (SVG strings), in the reader's language. */
export async function dashboardCharts(model: DashboardModel, t: Translate, locale: Locale): Promise<{ perWard: string; m1: string }> {
  const levelLabel = (n: number) => (n === 0 ? t('ladder.col.noLevel') : t('ladder.levelN', { n }));
  const wardLabel = (name: string) => name || t('ladder.dash.noWard');
  const perWardValues = model.perWard.flatMap((w) => w.counts.map((n, i) => ({ ward: wardLabel(w.name), level: levelLabel(i), order: i, n })));
  const levelDomain = model.perWardTotal.map((_n, i) => levelLabel(i));
  const perWard = await renderChart(
    {
      width: 300,
      height: { step: 18 },
      data: { values: perWardValues },
      mark: 'bar',
      encoding: {
        y: { field: 'ward', type: 'nominal', title: t('ladder.col.ward'), sort: null },
        x: { field: 'n', type: 'quantitative', title: t('ladder.col.volunteers'), axis: { format: 'd', tickMinStep: 1 } },
        color: { field: 'level', type: 'nominal', title: t('ladder.col.level'), scale: { domain: levelDomain, scheme: 'blues' }, legend: { orient: 'bottom', columns: 3, labelLimit: 120 } },
        order: { field: 'order' },
      },
    },
    t('ladder.dash.perWardChart'),
    'chart-per-ward',
  );
  const seriesTraining = t('ladder.dash.series.training');
  const m1Values = model.m1.flatMap((q) => [
    { quarter: q.quarter, series: seriesTraining, n: q.inTraining },
    ...q.stepUps.map((n, i) => ({ quarter: q.quarter, series: t('ladder.dash.series.stepUp', { n: i + 1 }), n })),
  ]);
  const m1 = await renderChart(
    {
      width: 300,
      height: 200,
      data: { values: m1Values },
      mark: 'bar',
      encoding: {
        x: { field: 'quarter', type: 'ordinal', title: t('ladder.col.quarter'), sort: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'series', sort: null },
        y: { field: 'n', type: 'quantitative', title: null, axis: { format: 'd', tickMinStep: 1 } },
        color: { field: 'series', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom', columns: 2, labelLimit: 180 } },
      },
    },
    t('ladder.dash.m1Chart'),
    'chart-m1',
  );
  void locale;
  return { perWard, m1 };
}

/**
 * The dashboard (model and SVG) per tenant and language, served from memory: figures older than 30
 * seconds are served once more while a fresh copy is computed in the background (stale while
 * revalidate), so only the first view in a process waits for the attendance view and the SVG
 * rendering. Writes in this module (decisions, sign-offs, level edits) drop the tenant's entries in
 * this process; other processes see them within the TTL.
 */
type Dashboard = { model: DashboardModel; charts: { perWard: string; m1: string } };
const TTL_MS = 30_000;
const cache = new Map<string, { value: Promise<Dashboard>; at: number; refreshing: boolean }>();

export function cachedDashboard(db: Executor, tenantId: string, now: Date, t: Translate, locale: Locale): Promise<Dashboard> {
  const key = `${tenantId}:${locale}`;
  const load = async () => {
    const model = await dashboardModel(db, tenantId, now);
    return { model, charts: await dashboardCharts(model, t, locale) };
  };
  const hit = cache.get(key);
  const at = Date.now();
  if (hit && at - hit.at < TTL_MS) return hit.value;
  if (hit && !hit.refreshing) {
    hit.refreshing = true;
    const fresh = load();
    fresh.then(
      () => cache.set(key, { value: fresh, at: Date.now(), refreshing: false }),
      () => (hit.refreshing = false),
    );
    return hit.value;
  }
  if (hit) return hit.value;
  if (cache.size > 500) cache.clear();
  const value = load();
  cache.set(key, { value, at, refreshing: false });
  value.catch(() => cache.delete(key));
  return value;
}

export function forgetDashboard(tenantId: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${tenantId}:`)) cache.delete(key);
}
