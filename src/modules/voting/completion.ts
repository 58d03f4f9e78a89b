/**
 * What happens after plain MES: the add1 budget increase, utilitarian completion, and the
 * comparison step against greedy.
 */
import { Rational } from '../../lib/rational.ts';
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

/**
 * add1: rerun MES with every voter's budget raised by `step` at a time and keep the last
 * outcome within the real budget (stopping early at an exhaustive one when asked).
 */
export function runAdd1(
  prep: MesPrepared,
  opts: Add1Options,
  tieBreak: readonly TieBreakKey[],
): { run: MesRun; report: Add1Report } {
  const inst = prep.inst;
  const n = BigInt(Math.max(prep.voters, 1));
  const start = inst.budget.divInt(n);
  let prev = runMes(prep, start, tieBreak);
  let runs = 1;
  const allCost = totalCost(inst, prep.eligible);
  const done = (r: MesRun, why: Add1Report['stoppedBecause']): { run: MesRun; report: Add1Report } => ({
    run: r,
    report: { perVoterBudget: r.perVoterBudget, runs, stoppedBecause: why },
  });
  if (opts.stopWhenExhaustive && isExhaustive(prep, prev.selected)) return done(prev, 'exhaustive');
  if (opts.step.sign() <= 0) return done(prev, 'nothing-left-to-fund');
  let budget = opts.start === 'integer' ? Rational.of(start.floor()) : start;
  for (;;) {
    if (prev.selected.length >= prep.eligible.length + prep.zeroCost.length) return done(prev, 'nothing-left-to-fund');
    // Once one voter alone could pay for everything, raising further changes nothing.
    if (budget.ge(allCost)) return done(prev, 'nothing-left-to-fund');
    budget = budget.add(opts.step);
    const next = runMes(prep, budget, tieBreak);
    runs++;
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
