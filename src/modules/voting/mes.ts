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
import { gcd, Rational } from '../../lib/rational.ts';
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
  // Whole-number utilities below 2^53 are keyed by their value as a number (a string per choice
  // of 90,000 ballots cost more than the rest of the preparation); others by their text. The two
  // kinds of key never stand for the same value, and indices go by first appearance either way.
  const uNum: (Map<number, number> | undefined)[] = new Array<Map<number, number> | undefined>(m);
  const LIMIT = 1n << 53n;
  const groupUIdx = new Array<Int32Array>(groups.length);
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi] as BallotGroup;
    const ps = g.projects;
    const idx = new Int32Array(ps.length);
    for (let k = 0; k < ps.length; k++) {
      const p = ps[k] as number;
      const us = uValues[p] as Rational[];
      const ws = weights[p] as number[];
      let ui: number | undefined;
      let u: Rational;
      if (utility === 'cost') {
        // Cost utilities are the project's cost for every supporter: one value, no key needed.
        u = inst.projects[p]?.cost as Rational;
        ui = us.length === 0 ? undefined : 0;
        if (ui === undefined) {
          ui = 0;
          us.push(u);
          ws.push(0);
        }
      } else {
        u = g.utilities[k] as Rational;
        if (u.den === 1n && u.num < LIMIT && u.num > -LIMIT) {
          const key = Number(u.num);
          let map = uNum[p];
          if (!map) uNum[p] = map = new Map();
          ui = map.get(key);
          if (ui === undefined) {
            ui = us.length;
            map.set(key, ui);
            us.push(u);
            ws.push(0);
          }
        } else {
          const map = uKey[p] as Map<string, number>;
          const key = u.toString();
          ui = map.get(key);
          if (ui === undefined) {
            ui = us.length;
            map.set(key, ui);
            us.push(u);
            ws.push(0);
          }
        }
      }
      idx[k] = ui;
      (supportersList[p] as number[]).push(gi);
      ws[ui] = (ws[ui] as number) + g.weight;
    }
    groupUIdx[gi] = idx;
  }
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
  /**
   * Set when a run given `costLimit` stopped once its outcome's side of the limit was known:
   * `selected` is then only the projects funded so far ('over': they already cost more than the
   * limit; 'within': with every project still in play they would not, and some eligible project
   * has dropped out, so the outcome is not "everything funded" either).
   */
  stoppedEarly?: 'over' | 'within';
}

/**
 * What runMes needs about a prepared instance in flat typed arrays, built once per MesPrepared
 * (add1 reruns MES hundreds of times on the same one).
 */
interface Flat {
  /** Voter weight per group. */
  gw: Float64Array;
  /** Group g's choices are gProj[gStart[g] … gStart[g + 1]), with their utility index in gUi. */
  gStart: Int32Array;
  gProj: Int32Array;
  gUi: Int32Array;
  /** Per project: the utility index of each supporting group (parallel to prep.supporters[p]). */
  supUi: Int32Array[];
  /** Distinct utilities per project. */
  nU: Int32Array;
  /** Per project: Σ weight · u over its supporters (constant: supporters never leave), as num / den. */
  sumWU: { num: bigint; den: bigint }[];
  /** runMes's weight arrays (see there), reused from run to run, and their room in classes. */
  W: Float64Array[];
  cap: number;
  /** Class ids the last run used (its weight arrays are nonzero below used · nU[p] only). */
  used: number;
  /**
   * The floating-point filter (see runMes): per project its utilities and cost as doubles, its
   * supporters' total voter weight, Σ weight · u as a double, and whether the filter may be used
   * for it (one utility, or whole-number utilities whose weighted sum a double holds exactly).
   */
  uF: Float64Array[];
  costF: Float64Array;
  totW: Float64Array;
  sumWUF: Float64Array;
  canF: Uint8Array;
}

const flatOf = new WeakMap<MesPrepared, Flat>();

function flatten(prep: MesPrepared): Flat {
  let f = flatOf.get(prep);
  if (f) return f;
  const { groups, groupUIdx, supporters, uValues, initialWeights } = prep;
  const G = groups.length;
  const m = prep.inst.projects.length;
  const gw = new Float64Array(G);
  const gStart = new Int32Array(G + 1);
  let total = 0;
  for (let g = 0; g < G; g++) {
    gw[g] = (groups[g] as BallotGroup).weight;
    gStart[g] = total;
    total += (groups[g] as BallotGroup).projects.length;
  }
  gStart[G] = total;
  const gProj = new Int32Array(total);
  const gUi = new Int32Array(total);
  const supUi = supporters.map((s) => new Int32Array(s.length));
  // supporters[p] lists groups in the order prepareMes walked them, as this loop does.
  const filled = new Int32Array(m);
  for (let g = 0; g < G; g++) {
    const ps = (groups[g] as BallotGroup).projects;
    const uis = groupUIdx[g] as Int32Array;
    const at = gStart[g] as number;
    for (let k = 0; k < ps.length; k++) {
      const p = ps[k] as number;
      gProj[at + k] = p;
      gUi[at + k] = uis[k] as number;
      const at2 = filled[p] as number;
      (supUi[p] as Int32Array)[at2] = uis[k] as number;
      filled[p] = at2 + 1;
    }
  }
  const nU = Int32Array.from(uValues, (us) => us.length);
  const sumWU = uValues.map((us, p) => {
    let num = 0n;
    let den = 1n;
    us.forEach((u, ui) => {
      const w = BigInt((initialWeights[p] as number[])[ui] ?? 0);
      if (w === 0n) return;
      if (u.den === den) num += w * u.num;
      else {
        num = num * u.den + w * u.num * den;
        den *= u.den;
      }
    });
    return { num, den };
  });
  const uF = uValues.map((us) => Float64Array.from(us, (u) => ratioToDouble(u.num, u.den)));
  const costF = Float64Array.from(prep.inst.projects, (pr) => ratioToDouble(pr.cost.num, pr.cost.den));
  const totW = Float64Array.from(initialWeights, (ws) => ws.reduce((a, b) => a + b, 0));
  const sumWUF = new Float64Array(m);
  const canF = new Uint8Array(m);
  for (let p = 0; p < m; p++) {
    const s = sumWU[p] as { num: bigint; den: bigint };
    sumWUF[p] = ratioToDouble(s.num, s.den);
    const us = uValues[p] as Rational[];
    const whole = us.every((u) => u.den === 1n) && s.den === 1n && s.num < 1n << 53n;
    canF[p] = Number.isFinite(costF[p]) && us.every((u) => u.num > 0n) && (uF[p] as Float64Array).every(Number.isFinite) && (us.length === 1 || whole) && (totW[p] as number) < 2 ** 53 ? 1 : 0;
  }
  // Room for classes from the start (doubling from 16 cost a few per cent on large files): up to
  // one per group, at most 1,024, and at most 2^22 weights in all.
  let room = 16;
  let entries = 0;
  for (const p of prep.eligible) entries += nU[p] as number;
  while (room < 1024 && room < G && entries * room * 2 <= 1 << 22) room *= 2;
  f = { gw, gStart, gProj, gUi, supUi, nU, sumWU, W: new Array<Float64Array>(m), cap: room, used: 0, uF, costF, totW, sumWUF, canF };
  flatOf.set(prep, f);
  return f;
}

const BIG = 1n << 512n;
/** Beyond this, numerators and denominators are no longer turned into doubles (the filter stops). */
const FLOAT_LIMIT = 1n << 1000n;

/** num / den as a double (within a few units in the last place), or NaN when either is too large. */
function ratioToDouble(num: bigint, den: bigint): number {
  if (num >= FLOAT_LIMIT || den >= FLOAT_LIMIT || -num >= FLOAT_LIMIT) return NaN;
  return Number(num) / Number(den);
}

/**
 * num / den in lowest terms, where den is the product of `factors` (num ≥ 0). Rational.of would
 * take gcd(num, den) by Euclid on two numbers of hundreds of digits (a payment is recorded per
 * budget class per round); gcd(a, b · c) = gcd(a, b) · gcd(a / gcd(a, b), c) takes it factor
 * by factor instead, each a remainder by a small number. The same Rational as Rational.of.
 */
function reduceOverFactors(num: bigint, den: bigint, factors: readonly bigint[]): Rational {
  if (num === 0n) return Rational.ZERO;
  let x = num;
  let g = 1n;
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i] as bigint;
    let h: bigint;
    if (f < SAFE) {
      // Euclid in doubles: both below 2^53, so every step is exact.
      let a = Number(f);
      let b = Number(x % f);
      while (b !== 0) {
        const t = a % b;
        a = b;
        b = t;
      }
      if (a === 1) continue;
      h = BigInt(a);
    } else h = gcd(f, x % f);
    if (h !== 1n) {
      x /= h;
      g *= h;
    }
  }
  return Rational.unsafeNormalised(x, den / g);
}

const SAFE = 1n << 53n;

/** A positive fraction n / d, not reduced (a gcd per candidate would dominate the count). */
interface Frac {
  n: bigint;
  d: bigint;
  /** For a ρ found by runMes: d without the common denominator D (d = e · D). */
  e?: bigint;
}

/** n / d as a double, or NaN when n or d is beyond what a double holds (then only exact comparisons are used). */
function approxFrac(f: Frac): number {
  const x = Number(f.n);
  const y = Number(f.d);
  return Number.isFinite(x) && Number.isFinite(y) && y > 0 ? x / y : NaN;
}

function cmpFrac(a: Frac, b: Frac): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * For each of a project's n utilities, the first position in `sorted` (classes, poorest first)
 * whose class holds supporters with that utility (w[class · n + ui] > 0), or sorted.length.
 * The exact and the floating-point ρ merge these heads in the same way.
 */
function firstHeads(hs: Int32Array, n: number, w: Float64Array, sorted: readonly number[]): Int32Array {
  const L = sorted.length;
  for (let ui = 0; ui < n; ui++) {
    let i = 0;
    while (i < L && w[(sorted[i] as number) * n + ui] === 0) i++;
    hs[ui] = i;
  }
  return hs;
}

/** Moves the supporters of a funded project to their classes after paying (the hot loop). */
function moveSupporters(
  flat: Flat,
  sup: Int32Array,
  sui: Int32Array,
  n: number,
  moveCls: Int32Array,
  classOf: Int32Array,
  population: Int32Array,
  emptied: number[],
  remaining: Uint8Array,
  W: Float64Array[],
): void {
  const { gw, gStart, gProj, gUi, nU } = flat;
  for (let s = 0; s < sup.length; s++) {
    const g = sup[s] as number;
    const from = classOf[g] as number;
    const to = moveCls[from * n + (sui[s] as number)] as number;
    if (to < 0 || to === from) continue;
    classOf[g] = to;
    population[to] = (population[to] as number) + 1;
    const left = (population[from] as number) - 1;
    population[from] = left;
    if (left === 0) emptied.push(from);
    const weight = gw[g] as number;
    for (let t = gStart[g] as number, end = gStart[g + 1] as number; t < end; t++) {
      const q = gProj[t] as number;
      if (remaining[q] === 0) continue;
      const nq = nU[q] as number;
      const ui = gUi[t] as number;
      const wq = W[q] as Float64Array;
      wq[from * nq + ui] = (wq[from * nq + ui] as number) - weight;
      wq[to * nq + ui] = (wq[to * nq + ui] as number) + weight;
    }
  }
}

/**
 * Runs MES with the given per-voter budget (no completion).
 *
 * Exact, and fast: every budget class holds an integer numerator over one common denominator D
 * (raised to a multiple of ρ's denominator when a project is paid for), so comparing, sorting
 * and paying need no gcd; Rationals are made only for ρ, the steps and explanations. Each
 * project keeps its supporters' voter weight per (class, utility) in a typed array, the live
 * classes are kept sorted by budget, and finding ρ walks them poorest first, stopping at the
 * first supporter who can pay: the work is the exhausted supporters, not all of them.
 *
 * With `costLimit` (add1's trial runs, selectionOnly), the run stops as soon as it is known on
 * which side of the limit the outcome's total cost falls (see MesRun.stoppedEarly): funded
 * projects stay funded and a project that dropped out never comes back (ρ only rises), so the
 * outcome costs at least what is funded and at most that plus every project still in play.
 */
export function runMes(
  prep: MesPrepared,
  perVoterBudget: Rational,
  tieBreak: readonly TieBreakKey[],
  record = false,
  selectionOnly = false,
  costLimit?: Rational,
): MesRun {
  const { inst, groups, uValues, supporters } = prep;
  const flat = flatten(prep);
  const { supUi, nU, sumWU } = flat;
  const m = inst.projects.length;
  const G = groups.length;
  // Class c's budget is cNum[c] / cDen[c]. D only grows (by a factor when a project is paid
  // for) and a class is brought to the current D when it is next read (at), so live budgets
  // compare as integers without rescaling every class every round. Ids of classes left empty are reused.
  let D = perVoterBudget.den;
  const cNum: bigint[] = [perVoterBudget.num];
  const cDen: bigint[] = [D];
  const isLive: boolean[] = [true];
  /** Live class ids, poorest first (kept sorted: scaling keeps the order, new ones are merged in). */
  let sorted: number[] = [0];
  const fresh: number[] = [];
  const free: number[] = [];
  /** Classes made during the current payment (not yet in `sorted`), by budget. */
  const freshByNum = new Map<bigint, number>();
  const remaining = new Uint8Array(m);
  for (const p of prep.eligible) remaining[p] = 1;
  /**
   * W[p][c · nU[p] + ui]: voter weight of p's supporters in class c with utility index ui. The
   * arrays are kept on the prepared instance and cleared for the next run (add1 makes hundreds).
   */
  const W = flat.W;
  let cap = flat.cap;
  for (const p of prep.eligible) {
    const n = nU[p] as number;
    let arr = W[p];
    if (arr === undefined) W[p] = arr = new Float64Array(cap * n);
    else arr.fill(0, 0, Math.min(arr.length, flat.used * n));
    const ws = prep.initialWeights[p] as number[];
    for (let ui = 0; ui < n; ui++) arr[ui] = ws[ui] ?? 0;
  }
  // Should this run stop part way, the next clears every class.
  flat.used = flat.cap;
  let population = new Int32Array(cap);
  population[0] = G;
  /** Class budgets as doubles (cNum / D rounded), for the floating-point filter. */
  let cF = new Float64Array(cap);
  cF[0] = ratioToDouble(perVoterBudget.num, D);
  /** Class c's budget over the current D (brought there first if D grew since it was last read). */
  // D changes once per funded project (an epoch); cEpoch[c] is the epoch of cDen[c], and the
  // factor from an old epoch's D to the current one is worked out once per epoch it is needed in.
  let epoch = 0;
  let cEpoch = new Int32Array(cap);
  let toNow: (bigint | undefined)[] = [];
  const at = (c: number): bigint => {
    const e = cEpoch[c] as number;
    if (e === epoch) return cNum[c] as bigint;
    const f = (toNow[e] ??= D / (cDen[c] as bigint));
    const v = (cNum[c] as bigint) * f;
    cNum[c] = v;
    cDen[c] = D;
    cEpoch[c] = epoch;
    return v;
  };
  const grow = (): void => {
    const next = cap * 2;
    for (const p of prep.eligible) {
      const arr = new Float64Array(next * (nU[p] as number));
      if (remaining[p]) arr.set(W[p] as Float64Array);
      W[p] = arr;
    }
    flat.cap = next;
    const pop = new Int32Array(next);
    pop.set(population);
    population = pop;
    const fl = new Float64Array(next);
    fl.set(cF);
    cF = fl;
    const ep = new Int32Array(next);
    ep.set(cEpoch);
    cEpoch = ep;
    cap = next;
  };
  /** The live class holding exactly this budget (binary search in `sorted`), or -1. */
  const findClass = (num: bigint): number => {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = sorted[mid] as number;
      const v = at(c);
      if (v === num) return c;
      if (v < num) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const classFor = (num: bigint): number => {
    let c = findClass(num);
    if (c >= 0) return c;
    c = freshByNum.get(num) ?? -1;
    if (c >= 0) return c;
    c = free.pop() ?? cNum.length;
    if (c >= cap) grow();
    cNum[c] = num;
    cDen[c] = D;
    cEpoch[c] = epoch;
    cF[c] = ratioToDouble(num, D);
    population[c] = 0;
    isLive[c] = true;
    fresh.push(c);
    freshByNum.set(num, c);
    return c;
  };
  /** D as the product of its factors (the first denominator, then each rescale's), for reduceOverD. */
  const dFactors: bigint[] = D === 1n ? [] : [D];
  const rescale = (f: bigint): void => {
    if (f === 1n) return;
    D *= f;
    // Factors are merged while their product stays below 2^53 (fewer remainders, each in doubles).
    const last = dFactors.length - 1;
    if (last >= 0 && (dFactors[last] as bigint) * f < SAFE) dFactors[last] = (dFactors[last] as bigint) * f;
    else dFactors.push(f);
    epoch++;
    toNow = [];
  };
  // A class can empty and refill within one payment (its groups move on, others move in), so
  // classes are retired only once every group has moved.
  const emptied: number[] = [];
  const byBudget = (a: number, b: number): number => {
    // The doubles are each within 4e-16 of the budget: apart by more, they decide.
    const fa = cF[a] as number;
    const fb = cF[b] as number;
    if (fa < fb * (1 - 1e-15)) return -1;
    if (fb < fa * (1 - 1e-15)) return 1;
    const x = at(a);
    const y = at(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const settleClasses = (): void => {
    let retired = false;
    for (const c of emptied) {
      if (population[c] !== 0 || !isLive[c]) continue;
      isLive[c] = false;
      retired = true;
      free.push(c);
    }
    emptied.length = 0;
    const kept = retired ? sorted.filter((c) => isLive[c]) : sorted;
    const added = fresh.filter((c) => isLive[c]).sort(byBudget);
    fresh.length = 0;
    freshByNum.clear();
    if (added.length === 0) {
      sorted = kept;
      return;
    }
    const merged: number[] = new Array<number>(kept.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < added.length) {
      merged[k++] = byBudget(kept[i] as number, added[j] as number) <= 0 ? (kept[i++] as number) : (added[j++] as number);
    }
    while (i < kept.length) merged[k++] = kept[i++] as number;
    while (j < added.length) merged[k++] = added[j++] as number;
    sorted = merged;
  };

  /**
   * ρ for project p, or null if its supporters cannot pay for it. Supporters are visited
   * poorest first (by budget / utility: a merge of one budget-ordered list per utility); with
   * rest = restN / (cost.den · D) and den = Σ w·u = denN / denD over those not yet exhausted, an
   * entry cannot pay ρ·u = rest·u/den when bn · cost.den · u.den · denN < restN · u.num · denD.
   */
  const heads = new Int32Array(64);
  const affordability = (p: number): Frac | null => {
    const s0 = sumWU[p] as { num: bigint; den: bigint };
    let denN = s0.num;
    let denD = s0.den;
    if (denN <= 0n) return null;
    const cost = inst.projects[p]?.cost as Rational;
    const cd = cost.den;
    let restN = cost.num * D;
    const n = nU[p] as number;
    const w = W[p] as Float64Array;
    const us = uValues[p] as Rational[];
    const L = sorted.length;
    if (n === 1) {
      const u = us[0] as Rational;
      const lhsF = cd * u.den;
      // bn · lhs < rhs, with both sides changing only when an entry is exhausted.
      let lhs = lhsF * denN;
      let rhs = restN * u.num * denD;
      for (let i = 0; i < L; i++) {
        const c = sorted[i] as number;
        const wc = w[c] as number;
        if (wc === 0) continue;
        const bn = at(c);
        if (bn * lhs < rhs) {
          const wb = BigInt(wc);
          restN -= wb * bn * cd;
          if (u.den === 1n && denD === 1n) denN -= wb * u.num;
          else {
            denN = denN * u.den - wb * u.num * denD;
            denD *= u.den;
          }
          if (denN <= 0n) return null;
          if (denD > BIG) {
            const d = Rational.of(denN, denD);
            denN = d.num;
            denD = d.den;
          }
          lhs = lhsF * denN;
          rhs = restN * u.num * denD;
          continue;
        }
        return { n: restN * denD, d: cd * D * denN, e: cd * denN };
      }
      return null;
    }
    // Several utilities: one head per utility into `sorted`, always taking the poorest by b/u.
    const hs = firstHeads(n <= heads.length ? heads : new Int32Array(n), n, w, sorted);
    for (;;) {
      let bestUi = -1;
      let bestBn = 0n;
      for (let ui = 0; ui < n; ui++) {
        const i = hs[ui] as number;
        if (i >= L) continue;
        const bn = at(sorted[i] as number);
        if (bestUi < 0) {
          bestUi = ui;
          bestBn = bn;
          continue;
        }
        const a = us[ui] as Rational;
        const b = us[bestUi] as Rational;
        // bn / a < bestBn / b  ⇔  bn · b.num · a.den < bestBn · a.num · b.den
        if (bn * b.num * a.den < bestBn * a.num * b.den) {
          bestUi = ui;
          bestBn = bn;
        }
      }
      if (bestUi < 0) return null;
      const i = hs[bestUi] as number;
      const c = sorted[i] as number;
      const u = us[bestUi] as Rational;
      const wc = w[c * n + bestUi] as number;
      let next = i + 1;
      while (next < L && w[(sorted[next] as number) * n + bestUi] === 0) next++;
      hs[bestUi] = next;
      if (bestBn * cd * u.den * denN < restN * u.num * denD) {
        const wb = BigInt(wc);
        restN -= wb * bestBn * cd;
        if (u.den === 1n && denD === 1n) denN -= wb * u.num;
        else {
          denN = denN * u.den - wb * u.num * denD;
          denD *= u.den;
        }
        if (denN <= 0n) return null;
        if (denD > BIG) {
          const d = Rational.of(denN, denD);
          denN = d.num;
          denD = d.den;
        }
        continue;
      }
      return { n: restN * denD, d: cd * D * denN, e: cd * denN };
    }
  };

  // The floating-point filter. approxRho is ρ in doubles, with no error bound: it only chooses
  // which project to work out exactly. moneyAt(p, x) is f(x) = Σ weight · min(budget, x · u) over
  // p's supporters, a sum of non-negative terms (the voter weight left unexhausted is counted in
  // whole numbers, exactly), so its relative error is at most a few units in the last place per
  // term: filterMargin bounds it with room to spare. As f only rises with x and ρ is where f
  // reaches the cost, f(x) < cost · (1 − margin) proves x < ρ, which is all the filter relies on.
  const { uF, costF, totW, sumWUF, canF } = flat;
  const filterMargin = (n: number): number => (sorted.length * n + 16) * 1e-15;
  const approxRho = (p: number): number => {
    const n = nU[p] as number;
    const w = W[p] as Float64Array;
    const L = sorted.length;
    let rest = costF[p] as number;
    if (n === 1) {
      let left = totW[p] as number;
      for (let i = 0; i < L; i++) {
        const c = sorted[i] as number;
        const wc = w[c] as number;
        if (wc === 0) continue;
        const b = cF[c] as number;
        if (b * left < rest) {
          rest -= wc * b;
          left -= wc;
          if (left <= 0) return Infinity;
          continue;
        }
        return rest / (left * (uF[p] as Float64Array)[0]!);
      }
      return Infinity;
    }
    const us = uF[p] as Float64Array;
    let R = sumWUF[p] as number;
    const hs = firstHeads(n <= heads.length ? heads : new Int32Array(n), n, w, sorted);
    for (;;) {
      let bestUi = -1;
      let bestKey = Infinity;
      for (let ui = 0; ui < n; ui++) {
        const i = hs[ui] as number;
        if (i >= L) continue;
        const key = (cF[sorted[i] as number] as number) / (us[ui] as number);
        if (bestUi < 0 || key < bestKey) {
          bestUi = ui;
          bestKey = key;
        }
      }
      if (bestUi < 0) return Infinity;
      const i = hs[bestUi] as number;
      const c = sorted[i] as number;
      const u = us[bestUi] as number;
      let next = i + 1;
      while (next < L && w[(sorted[next] as number) * n + bestUi] === 0) next++;
      hs[bestUi] = next;
      const b = cF[c] as number;
      if (b * R < rest * u) {
        const wc = w[c * n + bestUi] as number;
        rest -= wc * b;
        R -= wc * u;
        if (R <= 0) return Infinity;
        continue;
      }
      return rest / R;
    }
  };
  const moneyAt = (p: number, x: number): number => {
    const n = nU[p] as number;
    const w = W[p] as Float64Array;
    const us = uF[p] as Float64Array;
    const L = sorted.length;
    let paid = 0;
    let exhaustedWU = 0;
    for (let ui = 0; ui < n; ui++) {
      const u = us[ui] as number;
      const due = x * u;
      for (let i = 0; i < L; i++) {
        const c = sorted[i] as number;
        const wc = w[c * n + ui] as number;
        if (wc === 0) continue;
        const b = cF[c] as number;
        if (!(b < due)) break;
        paid += wc * b;
        exhaustedWU += n === 1 ? wc : wc * u;
      }
    }
    const left = n === 1 ? (totW[p] as number) - exhaustedWU : (sumWUF[p] as number) - exhaustedWU;
    return left > 0 ? paid + x * (n === 1 ? left * (us[0] as number) : left) : paid;
  };
  /** Proves ρ_p > x (true), or cannot (false: then only the exact ρ decides). */
  const provenAbove = (p: number, x: number): boolean => moneyAt(p, x) < (costF[p] as number) * (1 - filterMargin(nU[p] as number));

  const classOf = new Int32Array(G);
  /** What each funded project's supporters paid, kept compactly (see PaidRound) when recording. */
  const paid: PaidRound[] | undefined = record ? [] : undefined;
  const selected: number[] = [...prep.zeroCost];
  const steps: Step[] = [];
  const ties: TieReport[] = [];
  let spent = Rational.ZERO;
  const total = perVoterBudget.mulInt(BigInt(prep.voters));
  for (const p of prep.zeroCost) {
    steps.push({ phase: 'zero-cost', project: inst.projects[p]?.id ?? '', action: 'funded', cost: Rational.ZERO, leftBefore: total });
  }
  let inPlay = [...prep.eligible];
  // costLimit: costs as integers over one denominator (their lcm), the limit over it too.
  const limited = costLimit !== undefined ? costBounds(prep, costLimit) : undefined;
  let fundedCost = 0n;
  let inPlayCost = limited ? limited.eligibleCost : 0n;
  let dropped = 0;
  /** Projects funded since inPlay was last filtered (not dropped out). */
  const fundedNow = new Set<number>();
  let stoppedEarly: MesRun['stoppedEarly'];
  const lastRho: (Frac | undefined)[] = new Array<Frac | undefined>(m);
  /** lastRho as a double (NaN when too large to convert exactly enough): orders the candidates cheaply. */
  const lastRhoF = new Float64Array(m);

  /** Rigorous lower bounds on each project's ρ as doubles (ρ only rises), for the filter. */
  const lowerF = new Float64Array(m);
  const estimate = new Float64Array(m);
  const seenIn = new Int32Array(m).fill(-1);
  let round = 0;
  let best: Frac | undefined;
  let tied: number[] = [];
  /** The exact ρ of q, compared with the best so far (ties kept). */
  const exactCandidate = (q: number, known?: Frac | null): void => {
    const rho = known === undefined ? affordability(q) : known;
    if (rho === null) {
      remaining[q] = 0;
      return;
    }
    lastRho[q] = rho;
    const f = approxFrac(rho);
    lastRhoF[q] = f;
    if (Number.isFinite(f)) lowerF[q] = Math.max(lowerF[q] as number, f * (1 - 1e-12));
    const c = best === undefined ? -1 : cmpFrac(rho, best);
    if (c < 0) {
      best = rho;
      tied = [q];
    } else if (c === 0) tied.push(q);
  };
  /**
   * One round with the floating-point filter: ρ in doubles for every project that may be
   * cheapest, the exact ρ for the cheapest of them, then every other project either proven
   * dearer (moneyAt at a point above the exact best falls short of its cost) or worked out
   * exactly — so the choice and its ties are exactly the exact rule's. False when the doubles
   * cannot be trusted this round (then the exact round runs; nothing wrong has been stored).
   */
  const floatRound = (): boolean => {
    round++;
    best = undefined;
    tied = [];
    const order = inPlay.sort((a, b) => (lowerF[a] as number) - (lowerF[b] as number) || a - b);
    const exact = new Map<number, Frac | null>();
    let bestT = Infinity;
    let star = -1;
    for (const p of order) {
      if ((lowerF[p] as number) > bestT * (1 + 1e-6)) break;
      let t: number;
      if (canF[p]) t = approxRho(p);
      else {
        const r = affordability(p);
        exact.set(p, r);
        t = r === null ? Infinity : approxFrac(r);
      }
      if (Number.isNaN(t)) return false;
      estimate[p] = t;
      seenIn[p] = round;
      if (t < bestT) {
        bestT = t;
        star = p;
      }
    }
    if (star < 0) {
      // No project affordable by the doubles: each must be proven so.
      for (const p of order) {
        if (canF[p] ? provenAbove(p, Infinity) : exact.get(p) === null) remaining[p] = 0;
        else return false;
      }
      return true;
    }
    const starRho = exact.has(star) ? exact.get(star) : affordability(star);
    if (starRho === undefined || starRho === null) return false;
    exactCandidate(star, starRho);
    const x = approxFrac(starRho);
    if (!Number.isFinite(x)) return false;
    const xHi = x * (1 + 1e-12);
    for (const q of order) {
      if (q === star || remaining[q] === 0) continue;
      if ((lowerF[q] as number) > xHi) break;
      if (exact.has(q)) {
        exactCandidate(q, exact.get(q) as Frac | null);
        continue;
      }
      if (!canF[q]) {
        exactCandidate(q);
        continue;
      }
      const t = seenIn[q] === round ? (estimate[q] as number) : approxRho(q);
      if (t === Infinity) {
        if (provenAbove(q, Infinity)) remaining[q] = 0;
        else exactCandidate(q);
        continue;
      }
      const lo = t * (1 - 1e-6);
      if (lo > xHi && provenAbove(q, lo)) {
        lowerF[q] = Math.max(lowerF[q] as number, lo);
        continue;
      }
      if (provenAbove(q, xHi)) {
        lowerF[q] = Math.max(lowerF[q] as number, xHi);
        continue;
      }
      exactCandidate(q);
    }
    return true;
  };

  for (;;) {
    if (limited) {
      const kept: number[] = [];
      for (const q of inPlay) {
        if (remaining[q] === 1) kept.push(q);
        else {
          inPlayCost -= limited.cost[q] as bigint;
          if (!fundedNow.has(q)) dropped++;
        }
      }
      inPlay = kept;
      fundedNow.clear();
      if (fundedCost > limited.limit) {
        stoppedEarly = 'over';
        break;
      }
      if (dropped > 0 && fundedCost + inPlayCost <= limited.limit) {
        stoppedEarly = 'within';
        break;
      }
    } else inPlay = inPlay.filter((p) => remaining[p] === 1);
    if (D < FLOAT_LIMIT && floatRound()) {
      if (best === undefined || tied.length === 0) break;
    } else {
    // Affordability only rises as money is spent, so the last ρ is a lower bound: visit
    // projects by it and stop once it exceeds the best found this round. The visiting order
    // uses doubles (a bigint cross-multiplication per comparison dominated the count); the
    // stop is taken only when the doubles differ by far more than their rounding, so it is
    // exact: every project after it has a last ρ above the best. When a double is missing
    // (numbers beyond 2^1024) the order and the stop are the exact ones.
    let approxOk = true;
    for (const p of inPlay) if (lastRho[p] !== undefined && Number.isNaN(lastRhoF[p])) approxOk = false;
    const order = approxOk
      ? inPlay.sort((a, b) => {
          const ua = lastRho[a] === undefined;
          const ub = lastRho[b] === undefined;
          if (ua || ub) return ua ? (ub ? a - b : -1) : 1;
          return (lastRhoF[a] as number) - (lastRhoF[b] as number) || a - b;
        })
      : inPlay.sort((a, b) => {
          const ra = lastRho[a];
          const rb = lastRho[b];
          if (ra === undefined || rb === undefined) return ra === undefined ? (rb === undefined ? a - b : -1) : 1;
          return cmpFrac(ra, rb) || a - b;
        });
    best = undefined;
    let bestF = NaN;
    tied = [];
    for (const p of order) {
      const lr = lastRho[p];
      if (best !== undefined && lr !== undefined) {
        if (approxOk) {
          if (!Number.isNaN(bestF) && (lastRhoF[p] as number) > bestF * (1 + 1e-9)) break;
        } else if (cmpFrac(lr, best) > 0) break;
      }
      const rho = affordability(p);
      if (rho === null) {
        remaining[p] = 0;
        continue;
      }
      lastRho[p] = rho;
      lastRhoF[p] = approxFrac(rho);
      const c = best === undefined ? -1 : cmpFrac(rho, best);
      if (c < 0) {
        best = rho;
        bestF = lastRhoF[p] as number;
        tied = [p];
      } else if (c === 0) {
        tied.push(p);
      }
    }
    if (best === undefined || tied.length === 0) break;
    }
    // ρ is reduced once, for the project funded (the others' stay as found), and only for the steps.
    const found = best;
    const rho = selectionOnly ? undefined : Rational.of(found.n, found.d);
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
    const n = us.length;
    // ρ·u = n·u.num / (e·u.den·D): raise D by the least k that makes every ρ·u·D·k an integer
    // (a gcd of a large number with a small one, which is cheap), then pay in integers over D.
    const e = found.e as bigint;
    let k = 1n;
    for (const u of us) {
      const top = found.n * u.num;
      const bot = e * u.den;
      const need = bot / gcd(top, bot);
      k = k === need ? k : (k / gcd(k, need)) * need;
    }
    rescale(k);
    const dueNum = us.map((u) => (found.n * u.num * k) / (e * u.den));
    /** When recording: the distinct payments of this round (numerators over D), and each key's. */
    const payNums: bigint[] = [];
    const payIndex = new Map<bigint, number>();
    const wp = W[p] as Float64Array;
    // Keys are (class, utility) of classes that exist now (cNum.length of them).
    const moveCls = new Int32Array(cNum.length * n).fill(-1);
    const movePay = paid ? new Int32Array(cNum.length * n) : undefined;
    let payers = 0;
    let exhausted = 0;
    let maxPay = 0n;
    const live = sorted;
    for (let i = 0; i < live.length; i++) {
      const c = live[i] as number;
      for (let ui = 0; ui < n; ui++) {
        const key = c * n + ui;
        const w = wp[key] as number;
        if (w === 0) continue;
        const b = at(c);
        const due = dueNum[ui] as bigint;
        const pay = b <= due ? b : due;
        if (pay > 0n) {
          payers += w;
          if (b <= due) exhausted += w;
          if (pay > maxPay) maxPay = pay;
        }
        moveCls[key] = classFor(b - pay);
        if (movePay) {
          let at = payIndex.get(pay);
          if (at === undefined) {
            at = payNums.length;
            payNums.push(pay);
            payIndex.set(pay, at);
          }
          movePay[key] = at;
        }
      }
    }
    const cost = inst.projects[p]?.cost as Rational;
    if (!selectionOnly) {
      steps.push({
        phase: 'mes',
        project: inst.projects[p]?.id ?? '',
        action: 'funded',
        cost,
        leftBefore: total.sub(spent),
        rho: rho as Rational,
        maxPayment: Rational.of(maxPay, D),
        payers,
        exhaustedPayers: exhausted,
      });
      spent = spent.add(cost);
    }
    selected.push(p);
    remaining[p] = 0;
    if (limited) {
      fundedCost += limited.cost[p] as bigint;
      fundedNow.add(p);
    }
    const sup = supporters[p] as Int32Array;
    const sui = supUi[p] as Int32Array;
    if (paid && movePay) {
      const amount = new Int32Array(sup.length);
      for (let s = 0; s < sup.length; s++) {
        const key = (classOf[sup[s] as number] as number) * n + (sui[s] as number);
        amount[s] = (moveCls[key] as number) >= 0 ? (movePay[key] as number) : -1;
      }
      paid.push({ project: p, supporters: sup, amount, nums: payNums, den: D, factors: dFactors.slice() });
    }
    moveSupporters(flat, sup, sui, n, moveCls, classOf, population, emptied, remaining, W);
    settleClasses();
  }
  flat.used = Math.max(cNum.length, 1);
  const finalD = D;
  const nums = cNum.map((v, c) => (cDen[c] === finalD ? v : v * (finalD / (cDen[c] as bigint))));
  let budgets: Rational[] | undefined;
  const run = { selected, steps, ties, perVoterBudget, classOf } as unknown as MesRun;
  // The class budgets as Rationals are made only if someone reads them (a gcd each).
  Object.defineProperty(run, 'classBudget', {
    enumerable: true,
    get: () => (budgets ??= nums.map((v) => Rational.of(v, finalD))),
  });
  commonDenominator.set(run, { den: finalD, nums, factors: dFactors });
  if (stoppedEarly) run.stoppedEarly = stoppedEarly;
  if (paid) {
    // The payments as Rationals (a reduction per distinct amount) are made only if someone reads them.
    let lists: { project: number; amount: Rational }[][] | undefined;
    Object.defineProperty(run, 'payments', {
      enumerable: true,
      get: () => (lists ??= paymentLists(groups.length, paid)),
    });
    paidRounds.set(run, paid);
  }
  return run;
}

/**
 * What one funded project's supporters paid: supporter s of the project (prep.supporters order)
 * paid nums[amount[s]] / den (−1: nothing), den being the product of factors.
 */
interface PaidRound {
  project: number;
  supporters: Int32Array;
  amount: Int32Array;
  nums: bigint[];
  den: bigint;
  factors: bigint[];
}

const paidRounds = new WeakMap<MesRun, PaidRound[]>();

function roundAmounts(r: PaidRound): Rational[] {
  return r.nums.map((v) => reduceOverFactors(v, r.den, r.factors));
}

/** MesRun.payments from the compact record: per group, what one of its voters paid, in funding order. */
function paymentLists(groups: number, paid: readonly PaidRound[]): { project: number; amount: Rational }[][] {
  const lists = Array.from({ length: groups }, () => [] as { project: number; amount: Rational }[]);
  for (const r of paid) {
    const amounts = roundAmounts(r);
    for (let s = 0; s < r.supporters.length; s++) {
      const a = r.amount[s] as number;
      if (a >= 0) (lists[r.supporters[s] as number] as { project: number; amount: Rational }[]).push({ project: r.project, amount: amounts[a] as Rational });
    }
  }
  return lists;
}

/**
 * What one voter of group g paid, in funding order (= run.payments[g]), from the compact record
 * without making every group's list. Undefined when the run recorded no payments this way.
 */
export function paymentsOfGroup(run: MesRun, g: number): { project: number; amount: Rational }[] | undefined {
  const paid = paidRounds.get(run);
  if (!paid) return undefined;
  const out: { project: number; amount: Rational }[] = [];
  for (const r of paid) {
    // (Every place the group holds: a hand-made ballot may list a project twice.)
    for (let s = r.supporters.indexOf(g); s >= 0; s = r.supporters.indexOf(g, s + 1)) {
      const a = r.amount[s] as number;
      if (a >= 0) out.push({ project: r.project, amount: reduceOverFactors(r.nums[a] as bigint, r.den, r.factors) });
    }
  }
  return out;
}

/**
 * Per funded project, the distinct non-zero amounts its supporters paid and how many voters
 * paid each, largest first — what explanations show — straight from the compact record (no
 * list per group). Undefined when the run recorded no payments this way.
 */
export function paymentsByProject(prep: MesPrepared, run: MesRun): Map<number, { amount: Rational; voters: number }[]> | undefined {
  const paid = paidRounds.get(run);
  if (!paid) return undefined;
  const out = new Map<number, { amount: Rational; voters: number }[]>();
  for (const r of paid) {
    const voters = new Float64Array(r.nums.length);
    for (let s = 0; s < r.supporters.length; s++) {
      const a = r.amount[s] as number;
      if (a >= 0) voters[a] = (voters[a] as number) + (prep.groups[r.supporters[s] as number] as BallotGroup).weight;
    }
    const shares: { amount: Rational; voters: number }[] = [];
    r.nums.forEach((v, a) => {
      if (v !== 0n && (voters[a] as number) > 0) shares.push({ amount: reduceOverFactors(v, r.den, r.factors), voters: voters[a] as number });
    });
    if (shares.length > 0) out.set(r.project, shares.sort((x, y) => y.amount.cmp(x.amount)));
  }
  return out;
}

/** Project costs as integers over their common denominator, and a limit over it (floored: costs are integers). */
const costBoundsOf = new WeakMap<MesPrepared, { den: bigint; cost: bigint[]; eligibleCost: bigint }>();

function costBounds(prep: MesPrepared, limit: Rational): { cost: bigint[]; eligibleCost: bigint; limit: bigint } {
  let c = costBoundsOf.get(prep);
  if (!c) {
    let den = 1n;
    for (const pr of prep.inst.projects) den = (den / gcd(den, pr.cost.den)) * pr.cost.den;
    const cost = prep.inst.projects.map((pr) => pr.cost.num * (den / pr.cost.den));
    let eligibleCost = 0n;
    for (const p of prep.eligible) eligibleCost += cost[p] as bigint;
    c = { den, cost, eligibleCost };
    costBoundsOf.set(prep, c);
  }
  // Σ cost ≤ limit ⇔ Σ cost·den ≤ ⌊limit·den⌋, as the left side is an integer.
  const scaled = limit.num * c.den;
  const floor = scaled >= 0n ? scaled / limit.den : -((-scaled + limit.den - 1n) / limit.den);
  return { cost: c.cost, eligibleCost: c.eligibleCost, limit: floor };
}

/** Class budgets over one common denominator, worked out once per run (explanations ask per project). */
const commonDenominator = new WeakMap<MesRun, { den: bigint; nums: bigint[]; factors?: bigint[] }>();

function budgetsOverCommonDenominator(run: MesRun): { den: bigint; nums: bigint[]; factors?: bigint[] } {
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
  // (The class count from the common-denominator numerators: run.classBudget would make a Rational per class.)
  const { den, nums, factors } = budgetsOverCommonDenominator(run);
  const weight = new Float64Array(nums.length);
  const sup = prep.supporters[p] as Int32Array;
  for (let s = 0; s < sup.length; s++) {
    const g = sup[s] as number;
    const c = run.classOf[g] as number;
    weight[c] = (weight[c] as number) + (prep.groups[g] as BallotGroup).weight;
  }
  let num = 0n;
  weight.forEach((w, c) => {
    if (w !== 0) num += BigInt(w) * (nums[c] as bigint);
  });
  return factors ? reduceOverFactors(num, den, factors) : Rational.of(num, den);
}
