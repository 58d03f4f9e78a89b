/**
 * Entry point: count an instance with a rule and every parameter spelt out.
 */
import { totalCost } from './instance.ts';
import type { Instance } from './instance.ts';
import { runGreedy } from './greedy.ts';
import { prepareMes, runMes } from './mes.ts';
import type { MesPrepared, MesRun } from './mes.ts';
import { comparisonStep, runAdd1, utilitarianCompletion } from './completion.ts';
import type { Add1Progress } from './completion.ts';
import { projectStats, utilityMeaning } from './rules.ts';
import type { CountParams, CountResult, ProjectStats } from './rules.ts';

/** The result plus the internals explanations need (MES money per voter, etc.). */
export interface CountDetail {
  result: CountResult;
  /** Funded project indices in order. */
  selected: number[];
  stats: ProjectStats;
  mes?: { prep: MesPrepared; run: MesRun };
}

/** Reusable per-instance work (grouping voters), keyed by utility. */
export interface CountCache {
  stats?: ProjectStats;
  prep?: Partial<Record<CountParams['utility'], MesPrepared>>;
}

/** Optional work and feedback for countDetailed. */
export interface CountOptions {
  /**
   * Record what every voter paid under MES (explanations need it: explainProjects, explainVoter).
   * Default true; `count` turns it off, as a result alone does not need it.
   */
  record?: boolean;
  /** add1: called after each MES run (the CLI shows it on a terminal). */
  onAdd1Progress?: (p: Add1Progress) => void;
  /** Filled with milliseconds per phase: `count` (the rule itself: greedy, or MES with add1's runs) and `completion`. */
  timings?: { count?: number; completion?: number };
}

export function countDetailed(inst: Instance, params: CountParams, cache: CountCache = {}, options: CountOptions = {}): CountDetail {
  const record = options.record ?? true;
  const started = performance.now();
  const timings = options.timings;
  const stats = cache.stats ?? projectStats(inst);
  cache.stats = stats;
  const base = {
    params,
    instance: { budget: inst.budget, voters: inst.ballots.length, projects: inst.projects.length, voteType: inst.voteType },
  };
  if (params.rule !== 'mes') {
    const g = runGreedy(inst, stats, {
      ranking: params.rule === 'greedy-cost' ? 'votes-per-cost' : 'votes',
      stopAtFirstMiss: params.rule === 'greedy-stop',
      tieBreak: params.tieBreak,
      phase: 'greedy',
      ...(params.threshold ? { threshold: params.threshold } : {}),
    });
    if (timings) timings.count = performance.now() - started;
    return {
      selected: g.selected,
      stats,
      result: { ...base, winners: ids(inst, g.selected), totalCost: totalCost(inst, g.selected), steps: g.steps, ties: g.ties },
    };
  }
  cache.prep ??= {};
  const prep = cache.prep[params.utility] ?? prepareMes(inst, stats, params.utility);
  cache.prep[params.utility] = prep;
  const { completion, tieBreak } = params;
  let add1Report: CountResult['add1'];
  let run: MesRun;
  if (completion.add1) {
    const a = runAdd1(prep, completion.add1, tieBreak, options.onAdd1Progress, record);
    add1Report = a.report;
    run = a.run;
  } else {
    run = runMes(prep, inst.budget.divInt(BigInt(Math.max(prep.voters, 1))), tieBreak, record);
  }
  const mesDone = performance.now();
  if (timings) timings.count = mesDone - started;
  let selected = [...run.selected];
  const steps = [...run.steps];
  const ties = [...run.ties];
  if (completion.utilitarian) {
    const u = utilitarianCompletion(prep, selected, tieBreak);
    for (const t of u.ties) ties.push({ ...t, step: t.step + steps.length });
    steps.push(...u.steps);
    selected = u.selected;
  }
  const result: CountResult = {
    ...base,
    winners: [],
    totalCost: totalCost(inst, selected),
    steps,
    ties,
    perVoterBudget: run.perVoterBudget,
    utilityMeaning: utilityMeaning(params.utility, inst.voteType),
  };
  if (add1Report) result.add1 = add1Report;
  if (params.comparison) {
    const c = comparisonStep(prep, selected, tieBreak);
    result.comparison = c.report;
    if (c.report.switchedToGreedy) {
      selected = c.greedy.selected;
      result.totalCost = totalCost(inst, selected);
    }
  }
  result.winners = ids(inst, selected);
  if (timings) timings.completion = performance.now() - mesDone;
  return { result, selected, stats, mes: { prep, run } };
}

export function count(inst: Instance, params: CountParams, cache?: CountCache): CountResult {
  return countDetailed(inst, params, cache, { record: false }).result;
}

function ids(inst: Instance, sel: readonly number[]): string[] {
  return sel.map((j) => inst.projects[j]?.id ?? '');
}
