/**
 * Greedy rules: fund projects in order of votes (points for cumulative ballots; the number of
 * voters ranking it for ordinal ballots), or of votes per unit of cost, while money is left.
 */
import type { Rational } from '../../lib/rational.ts';
import type { Instance } from './instance.ts';
import { breakTie, meetsThreshold } from './rules.ts';
import type { ProjectStats, Step, StepPhase, Threshold, TieBreakKey, TieReport } from './rules.ts';

export type GreedyRanking = 'votes' | 'votes-per-cost';

export interface GreedyOptions {
  ranking: GreedyRanking;
  /** Stop at the first project that does not fit (instead of skipping it). */
  stopAtFirstMiss: boolean;
  tieBreak: readonly TieBreakKey[];
  phase: StepPhase;
  /** Already funded (e.g. by MES); the rest of the budget is filled. */
  alreadyFunded?: readonly number[];
  /** Only projects reaching it are considered (greedy-threshold). */
  threshold?: Threshold;
}

export interface GreedyOutcome {
  /** All funded project indices, alreadyFunded first. */
  selected: number[];
  steps: Step[];
  ties: TieReport[];
}

/** The value a project is ranked by; zero-cost projects rank first under votes-per-cost. */
function rankValue(inst: Instance, stats: ProjectStats, j: number, ranking: GreedyRanking): Rational | null {
  const score = stats.score[j] as Rational;
  if (ranking === 'votes') return score;
  const cost = (inst.projects[j] as { cost: Rational }).cost;
  return cost.isZero() ? null : score.div(cost);
}

function cmpRank(a: Rational | null, b: Rational | null): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  return b.cmp(a); // larger first
}

/** Projects in greedy order, with the groups of equal rank value (each already tie-broken). */
export function greedyOrder(
  inst: Instance,
  stats: ProjectStats,
  candidates: readonly number[],
  ranking: GreedyRanking,
  tieBreak: readonly TieBreakKey[],
): { order: number[]; groups: { members: number[]; decidedBy: TieBreakKey | 'unbroken' }[] } {
  const values = new Map<number, Rational | null>();
  for (const j of candidates) values.set(j, rankValue(inst, stats, j, ranking));
  const byRank = [...candidates].sort((a, b) => cmpRank(values.get(a) ?? null, values.get(b) ?? null) || a - b);
  const order: number[] = [];
  const groups: { members: number[]; decidedBy: TieBreakKey | 'unbroken' }[] = [];
  for (let i = 0; i < byRank.length; ) {
    let k = i + 1;
    const v = values.get(byRank[i] as number) ?? null;
    while (k < byRank.length && cmpRank(values.get(byRank[k] as number) ?? null, v) === 0) k++;
    const tied = byRank.slice(i, k);
    if (tied.length > 1) {
      const { ordered, decidedBy } = breakTie(inst, stats, tieBreak, tied);
      order.push(...ordered);
      groups.push({ members: ordered, decidedBy });
    } else {
      order.push(...tied);
    }
    i = k;
  }
  return { order, groups };
}

/** Runs greedy over the projects not yet funded, within the real budget. */
export function runGreedy(inst: Instance, stats: ProjectStats, opts: GreedyOptions): GreedyOutcome {
  const funded = new Set(opts.alreadyFunded ?? []);
  const selected = [...(opts.alreadyFunded ?? [])];
  let left = inst.budget;
  for (const j of selected) left = left.sub((inst.projects[j] as { cost: Rational }).cost);
  // A project nobody chose is never funded, even when money is left (nor one below the threshold).
  const voters = inst.ballots.length;
  const candidates = inst.projects
    .map((_, j) => j)
    .filter((j) => !funded.has(j) && (stats.supporters[j] ?? 0) > 0 && meetsThreshold(opts.threshold, stats, voters, j));
  const { order, groups } = greedyOrder(inst, stats, candidates, opts.ranking, opts.tieBreak);
  const steps: Step[] = [];
  const stepOf = new Map<number, number>();
  const fate = new Map<number, Step['action']>();
  let stopped = false;
  for (const j of order) {
    if (stopped) break;
    const p = inst.projects[j] as { id: string; cost: Rational };
    const fits = p.cost.le(left);
    const action: Step['action'] = fits ? 'funded' : opts.stopAtFirstMiss ? 'stopped' : 'skipped';
    const step: Step = { phase: opts.phase, project: p.id, action, cost: p.cost, leftBefore: left };
    const rv = rankValue(inst, stats, j, opts.ranking);
    if (rv !== null) step.rankValue = rv;
    stepOf.set(j, steps.length);
    fate.set(j, action);
    steps.push(step);
    if (fits) {
      selected.push(j);
      left = left.sub(p.cost);
    } else if (opts.stopAtFirstMiss) {
      stopped = true;
    }
  }
  // A tie is reported when the tie-break changed what happened to the tied projects.
  const ties: TieReport[] = [];
  for (const g of groups) {
    const fates = g.members.map((j) => fate.get(j) ?? 'not-reached');
    if (new Set(fates).size < 2) continue;
    const first = g.members[0] as number;
    const chosen = g.members.find((j) => fate.get(j) === 'funded');
    ties.push({
      phase: opts.phase,
      step: stepOf.get(first) ?? steps.length,
      projects: g.members.map((j) => inst.projects[j]?.id ?? ''),
      chosen: chosen === undefined ? '' : (inst.projects[chosen]?.id ?? ''),
      decidedBy: g.decidedBy,
    });
  }
  return { selected, steps, ties };
}
