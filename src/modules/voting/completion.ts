/**
 * What happens after plain MES: the add1 budget increase, utilitarian completion, and the
 * comparison step against greedy.
 */
import { gcd, Rational } from '../../lib/rational.ts';
import { totalCost } from './instance.ts';
import type { BallotGroup, Instance } from './instance.ts';
import { runGreedy } from './greedy.ts';
import type { GreedyOutcome } from './greedy.ts';
import { runMes } from './mes.ts';
import type { MesPrepared, MesRun } from './mes.ts';
import type { Add1Options, Add1Report, ComparisonReport, TieBreakKey } from './rules.ts';

/** pabutools' test: no MES-eligible project left out still fits in what is left. */
export function isExhaustive(prep: MesPrepared, selected: readonly number[]): boolean {
  const inst = prep.inst;
  const left = inst.budget.sub(totalCost(inst, selected));
  const chosen = new Set(selected);
  return !prep.eligible.some((p) => !chosen.has(p) && (inst.projects[p]?.cost as Rational).le(left));
}

/** Progress of add1, after each MES run. */
export interface Add1Progress {
  runs: number;
  perVoterBudget: Rational;
  /** Most runs the step can need (add1Bound). */
  runsBound: number;
  maxRuns?: number;
}

/**
 * The share at which every voter can pay for all their MES-eligible choices: from there MES funds
 * every eligible project, so add1 never needs to go higher (it stops there or before).
 */
export function add1Ceiling(prep: MesPrepared): Rational {
  const eligible = new Uint8Array(prep.inst.projects.length);
  for (const p of prep.eligible) eligible[p] = 1;
  // Costs as integers over their common denominator (a Rational addition per choice of every
  // group was a gcd each: tens of thousands of groups).
  let den = 1n;
  for (const pr of prep.inst.projects) den = (den / gcd(den, pr.cost.den)) * pr.cost.den;
  const cost = prep.inst.projects.map((pr) => pr.cost.num * (den / pr.cost.den));
  let best = 0n;
  for (const g of prep.groups) {
    let sum = 0n;
    for (const p of g.projects) if (eligible[p]) sum += cost[p] as bigint;
    if (sum > best) best = sum;
  }
  return Rational.of(best, den);
}

/** Most MES runs add1 can make with a step (the first run included). */
export function add1RunsBound(prep: MesPrepared, start: 'exact' | 'integer', step: Rational): number {
  const n = BigInt(Math.max(prep.voters, 1));
  const first = prep.inst.budget.divInt(n);
  const from = start === 'integer' ? Rational.of(first.floor()) : first;
  const span = add1Ceiling(prep).sub(from);
  if (span.sign() <= 0 || step.sign() <= 0) return 1;
  const k = span.div(step).ceil();
  return k > 1_000_000_000n ? 1_000_000_000 : Number(k) + 1;
}

/**
 * A step that keeps add1 within about maxRuns runs: one currency unit when that is enough (the
 * rule as written), else the smallest whole number of units that is.
 */
export function chooseAdd1Step(prep: MesPrepared, start: 'exact' | 'integer', maxRuns: number): Rational {
  const n = BigInt(Math.max(prep.voters, 1));
  const first = prep.inst.budget.divInt(n);
  const from = start === 'integer' ? Rational.of(first.floor()) : first;
  const span = add1Ceiling(prep).sub(from);
  const runs = BigInt(Math.max(maxRuns - 1, 1));
  if (span.sign() <= 0 || span.le(Rational.of(runs))) return Rational.ONE;
  return Rational.of(span.divInt(runs).ceil());
}

/**
 * add1: rerun MES with every voter's budget raised by `step` at a time and keep the last
 * outcome within the real budget (stopping early at an exhaustive one when asked).
 * The runs tried only choose projects (no steps); the outcome kept is run once more in full,
 * recording every voter's payments when `record` is set.
 */
export function runAdd1(
  prep: MesPrepared,
  opts: Add1Options,
  tieBreak: readonly TieBreakKey[],
  onProgress?: (p: Add1Progress) => void,
  record = false,
): { run: MesRun; report: Add1Report } {
  const inst = prep.inst;
  const n = BigInt(Math.max(prep.voters, 1));
  const start = inst.budget.divInt(n);
  // Trial runs stop once their outcome's side of the budget is known (runMes costLimit), unless
  // the exhaustive stop needs the whole outcome.
  const limit = opts.stopWhenExhaustive ? undefined : inst.budget;
  let prev = runMes(prep, start, tieBreak, false, true, limit);
  let runs = 1;
  const allCost = totalCost(inst, prep.eligible);
  const runsBound = add1RunsBound(prep, opts.start, opts.step);
  const done = (r: MesRun, why: Add1Report['stoppedBecause']): { run: MesRun; report: Add1Report } => ({
    run: runMes(prep, r.perVoterBudget, tieBreak, record),
    report: { perVoterBudget: r.perVoterBudget, runs, stoppedBecause: why, step: opts.step, runsBound },
  });
  const progress = (b: Rational): void => {
    if (onProgress) onProgress({ runs, perVoterBudget: b, runsBound, ...(opts.maxRuns !== undefined ? { maxRuns: opts.maxRuns } : {}) });
  };
  progress(start);
  if (opts.stopWhenExhaustive && isExhaustive(prep, prev.selected)) return done(prev, 'exhaustive');
  if (opts.step.sign() <= 0) return done(prev, 'nothing-left-to-fund');
  let budget = opts.start === 'integer' ? Rational.of(start.floor()) : start;
  for (;;) {
    if (prev.selected.length >= prep.eligible.length + prep.zeroCost.length) return done(prev, 'nothing-left-to-fund');
    // Once one voter alone could pay for everything, raising further changes nothing.
    if (budget.ge(allCost)) return done(prev, 'nothing-left-to-fund');
    if (opts.maxRuns !== undefined && runs >= opts.maxRuns) return done(prev, 'run-cap');
    budget = budget.add(opts.step);
    const next = runMes(prep, budget, tieBreak, false, true, limit);
    runs++;
    progress(budget);
    if (totalCost(inst, next.selected).gt(inst.budget)) return done(prev, 'over-budget');
    prev = next;
    if (opts.stopWhenExhaustive && isExhaustive(prep, prev.selected)) return done(prev, 'exhaustive');
  }
}

/** Utilitarian completion: fund what is left by votes (points), skipping what does not fit. */
export function utilitarianCompletion(
  prep: MesPrepared,
  selected: readonly number[],
  tieBreak: readonly TieBreakKey[],
): GreedyOutcome {
  return runGreedy(prep.inst, prep.stats, {
    ranking: 'votes',
    stopAtFirstMiss: false,
    tieBreak,
    phase: 'utilitarian-completion',
    alreadyFunded: selected,
  });
}

/** How many voters have more approved winners under a than under b, and vice versa. */
export function preferenceCounts(
  groups: readonly BallotGroup[],
  a: readonly number[],
  b: readonly number[],
): { preferA: number; preferB: number } {
  const inA = new Set(a);
  const inB = new Set(b);
  let preferA = 0;
  let preferB = 0;
  for (const g of groups) {
    let ca = 0;
    let cb = 0;
    for (const p of g.projects) {
      if (inA.has(p)) ca++;
      if (inB.has(p)) cb++;
    }
    if (ca > cb) preferA += g.weight;
    else if (cb > ca) preferB += g.weight;
  }
  return { preferA, preferB };
}

/** Comparison step: switch to greedy (by votes, skipping) only if more voters prefer it. */
export function comparisonStep(
  prep: MesPrepared,
  mesSelected: readonly number[],
  tieBreak: readonly TieBreakKey[],
): { report: ComparisonReport; greedy: GreedyOutcome } {
  const greedy = runGreedy(prep.inst, prep.stats, { ranking: 'votes', stopAtFirstMiss: false, tieBreak, phase: 'greedy' });
  const { preferA, preferB } = preferenceCounts(prep.groups, mesSelected, greedy.selected);
  return {
    greedy,
    report: {
      preferMes: preferA,
      preferGreedy: preferB,
      greedyWinners: greedy.selected.map((j) => (prep.inst as Instance).projects[j]?.id ?? ''),
      switchedToGreedy: preferB > preferA,
    },
  };
}
