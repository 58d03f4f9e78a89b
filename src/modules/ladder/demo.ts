/**
 * The ladder's part of `parent-mutual demo load`: demo volunteers placed on every level across the
 * wards (with their level history) and a few pending step-up requests. Every row is flagged
 * `is_demo` and shown with the Demo label; `clearLadderDemo` removes exactly those rows.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import { demoMembers } from '../membership/views.ts';
import { listLevels } from './levels.ts';
import { ladderMemberLevels, ladderSignOffs, ladderStepUpRequests } from './schema.ts';
import { recomputeEligibility } from './service.ts';

export const LADDER_DEMO_ACTOR = 'system:demo';

const DAY = 86_400_000;

/** Level reached by the i-th demo member (deterministic): about a third none, then levels 1 to 4 thinning out. */
export function demoLevelFor(i: number, levels: number): number {
  const pattern = [0, 1, 0, 2, 1, 3, 1, 0, 2, 4, 1, 2];
  return Math.min(pattern[i % pattern.length]!, levels);
}

/** Put members on levels in bulk (history rows as given; the demo loader and the benchmark). */
export async function placeOnLevels(db: Db, tenantId: string, rows: ReadonlyArray<{ memberId: string; levelId: string; fromDate: string; toDate: string | null }>, by: string, isDemo = false): Promise<number> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(ladderMemberLevels).values(rows.slice(i, i + 500).map((r) => ({ tenantId, id: newId(), memberId: r.memberId, levelId: r.levelId, fromDate: r.fromDate, toDate: r.toDate, approvedBy: by, isDemo })));
    }
  });
  return rows.length;
}

export async function loadLadderDemo(db: Db, tenantId: string, today: Date): Promise<number> {
  const levels = await listLevels(db, tenantId);
  if (!levels.length) return 0;
  const [already] = await db.select({ n: sql<number>`count(*)::int` }).from(ladderMemberLevels).where(and(eq(ladderMemberLevels.tenantId, tenantId), eq(ladderMemberLevels.isDemo, true)));
  if (already?.n) return 0;
  const demo = (await demoMembers(db, tenantId)).filter((m) => m.status === 'active');
  const rows: Array<{ memberId: string; levelId: string; fromDate: string; toDate: string | null }> = [];
  const requests: Array<typeof ladderStepUpRequests.$inferInsert> = [];
  demo.forEach((m, i) => {
    const reached = demoLevelFor(i, levels.length);
    for (let k = 1; k <= reached; k++) {
      // Level k began (reached - k + 1) × ~100 days ago, spread so step-ups fall in several quarters.
      const from = new Date(today.getTime() - ((reached - k + 1) * 100 + (i % 40)) * DAY);
      const to = k < reached ? new Date(today.getTime() - ((reached - k) * 100 + (i % 40)) * DAY) : null;
      rows.push({ memberId: m.id, levelId: levels[k - 1]!.id, fromDate: isoDate(from), toDate: to ? isoDate(to) : null });
    }
    // Every fifth demo volunteer below the top has asked to step up.
    if (i % 5 === 1 && reached < levels.length) {
      requests.push({ tenantId, id: newId(), memberId: m.id, fromLevelId: reached ? levels[reached - 1]!.id : null, toLevelId: levels[reached]!.id, requestedAt: new Date(today.getTime() - (i % 9) * DAY), isDemo: true });
    }
  });
  await placeOnLevels(db, tenantId, rows, LADDER_DEMO_ACTOR, true);
  if (requests.length) await db.insert(ladderStepUpRequests).values(requests).onConflictDoNothing();
  await recomputeEligibility(db, tenantId, { now: today });
  return rows.length + requests.length;
}

export async function clearLadderDemo(db: Db, tenantId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const a = await tx.delete(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.isDemo, true))).returning({ id: ladderStepUpRequests.id });
    const b = await tx.delete(ladderMemberLevels).where(and(eq(ladderMemberLevels.tenantId, tenantId), eq(ladderMemberLevels.isDemo, true))).returning({ id: ladderMemberLevels.id });
    await tx.delete(ladderSignOffs).where(and(eq(ladderSignOffs.tenantId, tenantId), eq(ladderSignOffs.isDemo, true)));
    return a.length + b.length;
  });
}
