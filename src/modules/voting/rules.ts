/**
 * Parameters, results and tie-breaking shared by every counting rule.
 * Results carry codes and numbers only (no sentences): explain.ts turns them into words.
 */
import { Rational } from '../../lib/rational.ts';
import { compareIds, tallies } from './instance.ts';
import type { Instance } from './instance.ts';

/** `greedy-threshold`: greedy by votes (skipping what does not fit) over the projects that reach
 * the threshold (CountParams.threshold, read from META `min_project_score_threshold`). */
export type RuleName = 'greedy' | 'greedy-stop' | 'greedy-cost' | 'greedy-threshold' | 'mes';
export const RULE_NAMES: readonly RuleName[] = ['greedy', 'greedy-stop', 'greedy-cost', 'greedy-threshold', 'mes'];

/** MES utilities: `cost` = a voter values an approved project at its cost (equalshares.net);
 * `cardinal` = 1 per approved project, or the points given on cumulative / scoring ballots
 * (not pabutools' count-based "cardinality" utility). */
export type Utility = 'cost' | 'cardinal';
export const UTILITIES: readonly Utility[] = ['cost', 'cardinal'];

/** What a utility means for a vote type, as a code for the result (render.ts has the words). */
export type UtilityMeaning = 'project-cost' | 'one-per-approved-project' | 'points-given';

export function utilityMeaning(utility: Utility, voteType: string): UtilityMeaning {
  if (utility === 'cost') return 'project-cost';
  return voteType === 'cumulative' || voteType === 'scoring' ? 'points-given' : 'one-per-approved-project';
}

/** The default MES utility follows the ballot: the points on cumulative / scoring ballots, else cost. */
export function defaultUtility(voteType: string): Utility {
  return voteType === 'cumulative' || voteType === 'scoring' ? 'cardinal' : 'cost';
}

/**
 * A minimum a project must reach to be funded by a greedy rule: a score (votes, or points on
 * cumulative ballots; META `min_project_score_threshold`), and/or a share of the voters who
 * chose it (0.05 = 5 %). "Reach" is ≥.
 */
export interface Threshold {
  minScore?: Rational;
  minShare?: Rational;
}

/** The threshold the file announces in META (`min_project_score_threshold`), if any. */
export function thresholdFromMeta(meta: readonly [string, string][]): Threshold | undefined {
  const t: Threshold = {};
  for (const [k, v] of meta) {
    const text = v.trim();
    if (text === '' || text.toLowerCase() === 'none') continue;
    if (k === 'min_project_score_threshold') t.minScore = Rational.parse(text);
    if (k === 'min_project_share_threshold' || k === 'min_share') t.minShare = Rational.parse(text);
  }
  return t.minScore || t.minShare ? t : undefined;
}

/** Whether project j reaches the threshold (true when there is none). */
export function meetsThreshold(t: Threshold | undefined, stats: ProjectStats, voters: number, j: number): boolean {
  if (!t) return true;
  if (t.minScore && (stats.score[j] ?? Rational.ZERO).lt(t.minScore)) return false;
  if (t.minShare && Rational.of(stats.supporters[j] ?? 0, Math.max(voters, 1)).lt(t.minShare)) return false;
  return true;
}

/**
 * Ways to break a tie between projects, applied in the order given:
 * `cost` lower cost first; `votes` more supporters first; `score` more points first;
 * `id` lower project id first (numeric when both are numbers); `order` earlier in the file first.
 */
export type TieBreakKey = 'cost' | 'votes' | 'score' | 'id' | 'order';
export const TIE_BREAK_KEYS: readonly TieBreakKey[] = ['cost', 'votes', 'score', 'id', 'order'];

/**
 * MES completions, applied in this order when several are asked for:
 * - `add1`: raise every voter's budget by `step` at a time (from `start`) and keep the last
 *   outcome that stays within the real budget; with `stopWhenExhaustive` also stop as soon as
 *   an outcome is exhaustive (no further supported project fits in what is left);
 * - `utilitarian`: then fund what is left by votes (points), skipping what does not fit.
 */
export interface Add1Options {
  stopWhenExhaustive: boolean;
  /** `exact`: budget/n, then +step (pabutools); `integer`: budget/n, then ⌊budget/n⌋+step (equalshares.net). */
  start: 'exact' | 'integer';
  /** Per-voter increment in currency units (1 = one unit, as the rule says). */
  step: Rational;
  /** Stop after this many MES runs (the outcome kept is the last within budget); no cap when absent. */
  maxRuns?: number;
}

export interface Completion {
  add1: Add1Options | null;
  utilitarian: boolean;
}

export interface CountParams {
  rule: RuleName;
  /** Used by `mes` only; recorded for every rule. */
  utility: Utility;
  /** Used by `mes` only. */
  completion: Completion;
  /** Comparison step (mes only): switch to the greedy outcome if more voters prefer it. */
  comparison: boolean;
  tieBreak: TieBreakKey[];
  /** Greedy rules: only projects reaching it can be funded (required in effect by greedy-threshold). */
  threshold?: Threshold;
}

export type StepPhase = 'zero-cost' | 'greedy' | 'mes' | 'utilitarian-completion';

/** One decision, in the order it was taken. */
export interface Step {
  phase: StepPhase;
  project: string;
  /** funded; skipped (did not fit in what was left); stopped (greedy-stop: the first that did not fit). */
  action: 'funded' | 'skipped' | 'stopped';
  cost: Rational;
  /** Budget left before this step (the real budget for greedy phases). */
  leftBefore: Rational;
  /** Greedy phases: the number it was ranked by (votes, points, or votes per unit of cost). */
  rankValue?: Rational;
  /** MES: price per unit of utility (ρ); a supporter paid min(their money, ρ × utility). */
  rho?: Rational;
  /** MES: the most any one supporter paid. */
  maxPayment?: Rational;
  /** MES: number of supporters who paid, and how many of them paid all they had left. */
  payers?: number;
  exhaustedPayers?: number;
}

export interface TieReport {
  phase: StepPhase;
  /** Index of the step the tie decided. */
  step: number;
  /** The tied projects, in the order the tie-break put them. */
  projects: string[];
  chosen: string;
  /** The first tie-break key that separated the winner from the next, or `unbroken` (identical). */
  decidedBy: TieBreakKey | 'unbroken';
}

export interface ComparisonReport {
  /** Voters with more approved winners under MES / under greedy. */
  preferMes: number;
  preferGreedy: number;
  greedyWinners: string[];
  switchedToGreedy: boolean;
}

export interface Add1Report {
  /** Per-voter budget of the outcome kept. */
  perVoterBudget: Rational;
  /** MES runs made (including the first at budget/n). */
  runs: number;
  /** `run-cap`: stopped at Add1Options.maxRuns before going over budget. */
  stoppedBecause: 'exhaustive' | 'over-budget' | 'nothing-left-to-fund' | 'run-cap';
  /** The per-voter increment used. */
  step?: Rational;
  /** Most runs this step can need: up to the share at which every voter can pay for all their choices. */
  runsBound?: number;
}

export interface CountResult {
  params: CountParams;
  instance: { budget: Rational; voters: number; projects: number; voteType: string };
  /** Funded project ids, in the order they were funded. */
  winners: string[];
  totalCost: Rational;
  steps: Step[];
  ties: TieReport[];
  /** MES only: per-voter starting budget of the run kept (after add1). */
  perVoterBudget?: Rational;
  add1?: Add1Report;
  comparison?: ComparisonReport;
  /** MES only: what the utility means on these ballots. */
  utilityMeaning?: UtilityMeaning;
}

/** Per-project numbers every rule needs. */
export interface ProjectStats {
  supporters: number[];
  score: Rational[];
}

export function projectStats(inst: Instance): ProjectStats {
  return tallies(inst);
}

/**
 * Orders tied project indices by the tie-break keys and says which key decided between the
 * first two. Deterministic for any input order.
 */
export function breakTie(
  inst: Instance,
  stats: ProjectStats,
  keys: readonly TieBreakKey[],
  tied: readonly number[],
): { ordered: number[]; decidedBy: TieBreakKey | 'unbroken' } {
  const cmpKey = (k: TieBreakKey, a: number, b: number): number => {
    switch (k) {
      case 'cost':
        return (inst.projects[a]?.cost as Rational).cmp(inst.projects[b]?.cost as Rational);
      case 'votes':
        return (stats.supporters[b] ?? 0) - (stats.supporters[a] ?? 0);
      case 'score':
        return (stats.score[b] as Rational).cmp(stats.score[a] as Rational);
      case 'id':
        return compareIds(inst.projects[a]?.id ?? '', inst.projects[b]?.id ?? '');
      case 'order':
        return a - b;
    }
  };
  const ordered = [...tied].sort((a, b) => {
    for (const k of keys) {
      const c = cmpKey(k, a, b);
      if (c !== 0) return c;
    }
    return a - b; // final fallback keeps the result deterministic
  });
  let decidedBy: TieBreakKey | 'unbroken' = 'unbroken';
  const [x, y] = ordered;
  if (x !== undefined && y !== undefined) {
    for (const k of keys) {
      if (cmpKey(k, x, y) !== 0) {
        decidedBy = k;
        break;
      }
    }
  }
  return { ordered, decidedBy };
}

export function defaultParams(rule: RuleName, voteType?: string): CountParams {
  return {
    rule,
    utility: voteType === undefined ? 'cost' : defaultUtility(voteType),
    completion: { add1: null, utilitarian: false },
    comparison: false,
    tieBreak: ['cost', 'votes', 'id'],
  };
}
