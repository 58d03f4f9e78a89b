/**
 * The Method of Equal Shares (equalshares.net), exact.
 *
 * Every voter starts with the same share of money. In each round, for every project still in
 * play we find the smallest price ρ per unit of utility at which its supporters can pay for it
 * (each paying min(what they have left, ρ × their utility)); the project with the smallest ρ is
 * funded and its supporters pay. Projects whose supporters no longer have enough money together
 * drop out. The rule stops when no project can be paid for.
 *
 * Speed without floating point: voters with identical ballots form weighted groups, and groups
 * with the same money left form one budget class (money depends only on what a voter paid, so
 * classes stay few). Each project keeps the voter weight per (class, utility) of its supporters,
 * so finding ρ costs O(classes), not O(voters).
 */
import { Rational } from '../../lib/rational.ts';
import { groupBallots } from './instance.ts';
import type { BallotGroup, Instance } from './instance.ts';
import { breakTie } from './rules.ts';
import type { ProjectStats, Step, TieBreakKey, TieReport, Utility } from './rules.ts';

/** Everything about an instance that does not change between MES runs (add1 reruns MES). */
export interface MesPrepared {
  inst: Instance;
  stats: ProjectStats;
  utility: Utility;
  groups: BallotGroup[];
  voters: number;
  /** Distinct utility values per project. */
  uValues: Rational[][];
  /** Per group, per entry of group.projects: index into uValues[project]. */
  groupUIdx: Int32Array[];
  /** Per project: supporting group indices. */
  supporters: Int32Array[];
  /** Per project: initial voter weight per utility index. */
  initialWeights: number[][];
  /** Projects MES can fund: cost > 0 and some supporter. */
  eligible: number[];
  /** Supported projects costing nothing: funded first, free. */
  zeroCost: number[];
}

export function prepareMes(inst: Instance, stats: ProjectStats, utility: Utility): MesPrepared {
  const groups = groupBallots(inst);
  const m = inst.projects.length;
  const uValues: Rational[][] = inst.projects.map(() => []);
  const uKey: Map<string, number>[] = inst.projects.map(() => new Map());
  const supportersList: number[][] = inst.projects.map(() => []);
  const weights: number[][] = inst.projects.map(() => []);
  const groupUIdx = groups.map((g, gi) => {
    const idx = new Int32Array(g.projects.length);
    g.projects.forEach((p, k) => {
      const u = utility === 'cost' ? (inst.projects[p]?.cost as Rational) : (g.utilities[k] as Rational);
      // Cost utilities are the project's cost for every supporter: one value, no text key needed.
      const key = utility === 'cost' ? '' : u.toString();
      const map = uKey[p] as Map<string, number>;
      let ui = map.get(key);
      if (ui === undefined) {
        ui = (uValues[p] as Rational[]).length;
        map.set(key, ui);
        (uValues[p] as Rational[]).push(u);
        (weights[p] as number[]).push(0);
      }
      idx[k] = ui;
      (supportersList[p] as number[]).push(gi);
      (weights[p] as number[])[ui] = ((weights[p] as number[])[ui] ?? 0) + g.weight;
    });
    return idx;
  });
  const eligible: number[] = [];
  const zeroCost: number[] = [];
  for (let p = 0; p < m; p++) {
    if ((supportersList[p] as number[]).length === 0) continue;
    if ((inst.projects[p]?.cost as Rational).isZero()) zeroCost.push(p);
    else if (!(uValues[p] as Rational[]).every((u) => u.isZero())) eligible.push(p);
  }
  return {
    inst,
    stats,
    utility,
    groups,
    voters: inst.ballots.length,
    uValues,
    groupUIdx,
    supporters: supportersList.map((s) => Int32Array.from(s)),
    initialWeights: weights,
    eligible,
    zeroCost,
  };
}

export interface MesRun {
  /** Funded projects in order (zero-cost ones first). */
  selected: number[];
  steps: Step[];
  ties: TieReport[];
  perVoterBudget: Rational;
  /** Money left per budget class, and each group's class. */
  classBudget: Rational[];
  classOf: Int32Array;
  /** When recorded: per group, what one voter of the group paid for each project. */
  payments?: { project: number; amount: Rational }[][];
}

/** One (budget class, utility) entry of a project's supporters: budget = bn / D (the run's common denominator). */
interface Entry {
  bn: bigint;
  u: Rational;
  w: bigint;
}

const BIG = 1n << 512n;

/**
 * Finds ρ for a project from its (budget, utility, weight) entries, sorted poorest first
 * (by budget / utility); null if its supporters cannot pay for it. Every budget is an integer
 * numerator over the common denominator D, so the hot loop adds and compares integers only:
 * with rest = restN / (cost.den · D) and den = Σ w·u = denN / denD over the entries not yet
 * exhausted, an entry cannot pay ρ·u = rest·u/den when bn/D < rest·u/den, that is when
 * bn · cost.den · u.den · denN < restN · u.num · denD.
 */
function affordability(cost: Rational, entries: readonly Entry[], D: bigint): Rational | null {
  let denN = 0n;
  let denD = 1n;
  for (const e of entries) {
    if (e.u.den === 1n && denD === 1n) denN += e.w * e.u.num;
    else {
      denN = denN * e.u.den + e.w * e.u.num * denD;
      denD *= e.u.den;
    }
  }
  if (denN <= 0n) return null;
  const cd = cost.den;
  let restN = cost.num * D;
  for (const e of entries) {
    const lhs = e.bn * cd * e.u.den * denN;
    const rhs = restN * e.u.num * denD;
    if (lhs < rhs) {
      restN -= e.w * e.bn * cd;
      if (e.u.den === 1n && denD === 1n) denN -= e.w * e.u.num;
      else {
        denN = denN * e.u.den - e.w * e.u.num * denD;
        denD *= e.u.den;
      }
      if (denN <= 0n) return null;
      if (denD > BIG) {
        const d = Rational.of(denN, denD);
        denN = d.num;
        denD = d.den;
      }
      continue;
    }
    return Rational.of(restN * denD, cd * D * denN);
  }
  return null;
}

function gcdBig(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * Runs MES with the given per-voter budget (no completion).
 *
 * Exact, and fast: every budget class holds an integer numerator over one common denominator D
 * (raised to a multiple of ρ's denominator when a project is paid for), so comparing, sorting
 * and paying need no gcd; Rationals are made only for ρ, the steps and explanations.
 */
export function runMes(
  prep: MesPrepared,
  perVoterBudget: Rational,
  tieBreak: readonly TieBreakKey[],
  record = false,
): MesRun {
  const { inst, groups, uValues, groupUIdx, supporters } = prep;
  const m = inst.projects.length;
  // Class c's budget is classNum[c] / classDen[c]; for every class still holding voters
  // classDen[c] is the current D, so live budgets compare as integers.
  let D = perVoterBudget.den;
  const classNum: bigint[] = [perVoterBudget.num];
  const classDen: bigint[] = [D];
  /** Groups in each class; a class left empty is no longer rescaled or reused. */
  const population: number[] = [groups.length];
  const live = new Set<number>([0]);
  let classByNum = new Map<bigint, number>([[perVoterBudget.num, 0]]);
  const classFor = (num: bigint): number => {
    let c = classByNum.get(num);
    if (c === undefined) {
      c = classNum.length;
      classNum.push(num);
      classDen.push(D);
      population.push(0);
      live.add(c);
      classByNum.set(num, c);
    }
    return c;
  };
  const rescale = (f: bigint): void => {
    if (f === 1n) return;
    D *= f;
    classByNum = new Map();
    for (const c of live) {
      const v = (classNum[c] as bigint) * f;
      classNum[c] = v;
      classDen[c] = D;
      classByNum.set(v, c);
    }
  };
  // A class can empty and refill within one payment (its groups move on, others move in), so
  // classes are retired only once every group has moved (retireEmpty).
  const emptied: number[] = [];
  const leave = (c: number): void => {
    const n = (population[c] as number) - 1;
    population[c] = n;
    if (n === 0) emptied.push(c);
  };
  const retireEmpty = (): void => {
    for (const c of emptied) {
      if (population[c] !== 0 || !live.has(c)) continue;
      live.delete(c);
      if (classByNum.get(classNum[c] as bigint) === c) classByNum.delete(classNum[c] as bigint);
    }
    emptied.length = 0;
  };
  const classOf = new Int32Array(groups.length);
  // entries[p]: key = class * nU + uIdx → voter weight
  const entries: Map<number, number>[] = prep.initialWeights.map((ws) => {
    const map = new Map<number, number>();
    ws.forEach((w, ui) => {
      if (w > 0) map.set(ui, w);
    });
    return map;
  });
  const payments = record ? groups.map(() => [] as { project: number; amount: Rational }[]) : undefined;
  const selected: number[] = [...prep.zeroCost];
  const steps: Step[] = [];
  const ties: TieReport[] = [];
  let spent = Rational.ZERO;
  const total = perVoterBudget.mulInt(BigInt(prep.voters));
  for (const p of prep.zeroCost) {
    steps.push({ phase: 'zero-cost', project: inst.projects[p]?.id ?? '', action: 'funded', cost: Rational.ZERO, leftBefore: total });
  }
  const remaining = new Set(prep.eligible);
  const lastRho: (Rational | undefined)[] = new Array<Rational | undefined>(m);
  const entryList = (p: number): Entry[] => {
    const us = uValues[p] as Rational[];
    const nU = us.length;
    const out: Entry[] = [];
    for (const [key, w] of entries[p] as Map<number, number>) {
      if (w === 0) continue;
      const c = Math.floor(key / nU);
      out.push({ bn: classNum[c] as bigint, u: us[key % nU] as Rational, w: BigInt(w) });
    }
    if (nU === 1) out.sort((x, y) => (x.bn < y.bn ? -1 : x.bn > y.bn ? 1 : 0));
    else {
      out.sort((x, y) => {
        const l = x.bn * y.u.num * x.u.den;
        const r = y.bn * x.u.num * y.u.den;
        return l < r ? -1 : l > r ? 1 : 0;
      });
    }
    return out;
  };

  for (;;) {
    // Affordability only rises as money is spent, so the last ρ is a lower bound: visit
    // projects by it and stop once it exceeds the best found this round.
    const order = [...remaining].sort((a, b) => {
      const ra = lastRho[a];
      const rb = lastRho[b];
      if (ra === undefined || rb === undefined) return ra === undefined ? (rb === undefined ? a - b : -1) : 1;
      return ra.cmp(rb) || a - b;
    });
    let best: Rational | undefined;
    let tied: number[] = [];
    for (const p of order) {
      const lr = lastRho[p];
      if (best !== undefined && lr !== undefined && lr.gt(best)) break;
      const rho = affordability(inst.projects[p]?.cost as Rational, entryList(p), D);
      if (rho === null) {
        remaining.delete(p);
        continue;
      }
      lastRho[p] = rho;
      const c = best === undefined ? -1 : rho.cmp(best);
      if (c < 0) {
        best = rho;
        tied = [p];
      } else if (c === 0) {
        tied.push(p);
      }
    }
    if (best === undefined || tied.length === 0) break;
    const rho = best;
    let chosen = tied[0] as number;
    if (tied.length > 1) {
      const { ordered, decidedBy } = breakTie(inst, prep.stats, tieBreak, tied);
      chosen = ordered[0] as number;
      ties.push({
        phase: 'mes',
        step: steps.length,
        projects: ordered.map((j) => inst.projects[j]?.id ?? ''),
        chosen: inst.projects[chosen]?.id ?? '',
        decidedBy,
      });
    }
    // Pay: ρ·u = rho.num·u.num / (rho.den·u.den); raise D to a multiple of every such
    // denominator, then each (class, utility) entry pays min(budget, ρ·u) in integers over D.
    const p = chosen;
    const us = uValues[p] as Rational[];
    const nU = us.length;
    let lcmDen = 1n;
    for (const u of us) {
      const d = rho.den * u.den;
      lcmDen = lcmDen === d ? d : (lcmDen / gcdBig(lcmDen, d)) * d;
    }
    rescale(lcmDen / gcdBig(D, lcmDen));
    const dueNum = us.map((u) => rho.num * u.num * (D / (rho.den * u.den)));
    const payRational = new Map<bigint, Rational>();
    const payOf = (num: bigint): Rational => {
      let r = payRational.get(num);
      if (!r) payRational.set(num, (r = Rational.of(num, D)));
      return r;
    };
    const moveTo = new Map<number, { cls: number; pay: bigint }>();
    let payers = 0;
    let exhausted = 0;
    let maxPay = 0n;
    for (const [key, w] of entries[p] as Map<number, number>) {
      if (w === 0) continue;
      const c = Math.floor(key / nU);
      const b = classNum[c] as bigint;
      const due = dueNum[key % nU] as bigint;
      const pay = b <= due ? b : due;
      if (pay > 0n) {
        payers += w;
        if (b <= due) exhausted += w;
        if (pay > maxPay) maxPay = pay;
      }
      moveTo.set(key, { cls: classFor(b - pay), pay });
    }
    const cost = inst.projects[p]?.cost as Rational;
    steps.push({
      phase: 'mes',
      project: inst.projects[p]?.id ?? '',
      action: 'funded',
      cost,
      leftBefore: total.sub(spent),
      rho,
      maxPayment: Rational.of(maxPay, D),
      payers,
      exhaustedPayers: exhausted,
    });
    spent = spent.add(cost);
    selected.push(p);
    remaining.delete(p);
    entries[p] = new Map();
    const sup = supporters[p] as Int32Array;
    for (let s = 0; s < sup.length; s++) {
      const g = sup[s] as number;
      const grp = groups[g] as BallotGroup;
      const uis = groupUIdx[g] as Int32Array;
      const k = grp.projects.indexOf(p);
      const from = classOf[g] as number;
      const mv = moveTo.get(from * nU + (uis[k] as number));
      if (!mv) continue;
      if (payments) (payments[g] as { project: number; amount: Rational }[]).push({ project: p, amount: payOf(mv.pay) });
      if (mv.cls === from) continue;
      classOf[g] = mv.cls;
      population[mv.cls] = (population[mv.cls] as number) + 1;
      leave(from);
      for (let t = 0; t < grp.projects.length; t++) {
        const q = grp.projects[t] as number;
        if (!remaining.has(q)) continue;
        const nq = (uValues[q] as Rational[]).length;
        const map = entries[q] as Map<number, number>;
        const ui = uis[t] as number;
        const oldKey = from * nq + ui;
        // Set to 0 rather than deleted: deleting and re-adding keys makes V8 rehash the map.
        map.set(oldKey, (map.get(oldKey) as number) - grp.weight);
        const newKey = mv.cls * nq + ui;
        map.set(newKey, (map.get(newKey) ?? 0) + grp.weight);
      }
    }
    retireEmpty();
  }
  const finalD = D;
  const nums = classNum.map((n, c) => (classDen[c] === finalD ? n : n * (finalD / (classDen[c] as bigint))));
  let budgets: Rational[] | undefined;
  const run = { selected, steps, ties, perVoterBudget, classOf } as unknown as MesRun;
  // The class budgets as Rationals are made only if someone reads them (a gcd each).
  Object.defineProperty(run, 'classBudget', {
    enumerable: true,
    get: () => (budgets ??= nums.map((n) => Rational.of(n, finalD))),
  });
  commonDenominator.set(run, { den: finalD, nums });
  if (payments) run.payments = payments;
  return run;
}

/** Class budgets over one common denominator, worked out once per run (explanations ask per project). */
const commonDenominator = new WeakMap<MesRun, { den: bigint; nums: bigint[] }>();

function budgetsOverCommonDenominator(run: MesRun): { den: bigint; nums: bigint[] } {
  let found = commonDenominator.get(run);
  if (!found) {
    // lcm(a, b) = a · (b / gcd(a, b)), and Rational.of(a, b).den is exactly b / gcd(a, b).
    let den = 1n;
    for (const b of run.classBudget) den *= Rational.of(den, b.den).den;
    found = { den, nums: run.classBudget.map((b) => b.num * (den / b.den)) };
    commonDenominator.set(run, found);
  }
  return found;
}

/** Money the supporters of project p have left at the end of a run (for explanations). */
export function supportersMoney(prep: MesPrepared, run: MesRun, p: number): Rational {
  // Every exact rational addition costs a gcd: add up voter weight per budget class, then
  // integer numerators over the classes' common denominator, and reduce once.
  const weight = new Float64Array(run.classBudget.length);
  const sup = prep.supporters[p] as Int32Array;
  for (let s = 0; s < sup.length; s++) {
    const g = sup[s] as number;
    const c = run.classOf[g] as number;
    weight[c] = (weight[c] as number) + (prep.groups[g] as BallotGroup).weight;
  }
  const { den, nums } = budgetsOverCommonDenominator(run);
  let num = 0n;
  weight.forEach((w, c) => {
    if (w !== 0) num += BigInt(w) * (nums[c] as bigint);
  });
  return Rational.of(num, den);
}
