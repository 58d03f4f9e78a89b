/**
 * The Method of Equal Shares as first written (every budget a normalised Rational). Kept only
 * as the reference the differential test compares the faster runMes in mes.ts against.
 */
import { Rational } from '../../lib/rational.ts';
import type { BallotGroup } from './instance.ts';
import { breakTie } from './rules.ts';
import type { MesPrepared, MesRun } from './mes.ts';
import type { Step, TieBreakKey, TieReport } from './rules.ts';

interface Entry {
  b: Rational;
  u: Rational;
  w: bigint;
  rank: number;
}

const BIG = 1n << 512n;

/**
 * Finds ρ for a project from its (budget, utility, weight) entries, sorted poorest first
 * (by budget / utility); null if its supporters cannot pay for it. Hot path: comparisons are
 * cross-multiplications, and fractions are only reduced when they grow large.
 */
function affordability(cost: Rational, entries: readonly Entry[]): Rational | null {
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
  let restN = cost.num;
  let restD = cost.den;
  for (const e of entries) {
    // Can this entry pay ρ·u with ρ = rest/den?  b < rest·u/den  ⇔  b·restD·u.den·denN < restN·u.num·denD·b.den
    const lhs = e.b.num * restD * e.u.den * denN;
    const rhs = restN * e.u.num * denD * e.b.den;
    if (lhs < rhs) {
      if (e.b.num !== 0n) {
        restN = restN * e.b.den - e.w * e.b.num * restD;
        restD *= e.b.den;
      }
      if (e.u.den === 1n && denD === 1n) denN -= e.w * e.u.num;
      else {
        denN = denN * e.u.den - e.w * e.u.num * denD;
        denD *= e.u.den;
      }
      if (denN <= 0n) return null;
      if (restD > BIG || denD > BIG) {
        const r = Rational.of(restN, restD);
        const d = Rational.of(denN, denD);
        restN = r.num;
        restD = r.den;
        denN = d.num;
        denD = d.den;
      }
      continue;
    }
    return Rational.of(restN * denD, restD * denN);
  }
  return null;
}

function sortEntries(entries: Entry[], singleUtility: boolean): void {
  if (singleUtility) entries.sort((x, y) => x.rank - y.rank);
  else {
    entries.sort((x, y) => {
      const l = x.b.num * y.b.den * y.u.num * x.u.den;
      const r = y.b.num * x.b.den * x.u.num * y.u.den;
      return l < r ? -1 : l > r ? 1 : 0;
    });
  }
}

/** Runs MES with the given per-voter budget (no completion). */
export function runMesReference(
  prep: MesPrepared,
  perVoterBudget: Rational,
  tieBreak: readonly TieBreakKey[],
  record = false,
): MesRun {
  const { inst, groups, uValues, groupUIdx, supporters } = prep;
  const m = inst.projects.length;
  const classBudget: Rational[] = [perVoterBudget];
  const classByKey = new Map<string, number>([[perVoterBudget.toString(), 0]]);
  const classFor = (b: Rational): number => {
    const key = b.toString();
    let c = classByKey.get(key);
    if (c === undefined) {
      c = classBudget.length;
      classBudget.push(b);
      classByKey.set(key, c);
    }
    return c;
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
  let classRank = new Int32Array(0);
  const rankClasses = (): void => {
    const ids = Array.from(classBudget.keys());
    ids.sort((a, b) => (classBudget[a] as Rational).cmp(classBudget[b] as Rational));
    classRank = new Int32Array(classBudget.length);
    ids.forEach((c, r) => {
      classRank[c] = r;
    });
  };
  const entryList = (p: number): Entry[] => {
    const us = uValues[p] as Rational[];
    const nU = us.length;
    const out: Entry[] = [];
    for (const [key, w] of entries[p] as Map<number, number>) {
      const c = Math.floor(key / nU);
      out.push({ b: classBudget[c] as Rational, u: us[key % nU] as Rational, w: BigInt(w), rank: classRank[c] as number });
    }
    sortEntries(out, nU === 1);
    return out;
  };

  for (;;) {
    rankClasses();
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
      const rho = affordability(inst.projects[p]?.cost as Rational, entryList(p));
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
    // Pay: per (class, utility) entry the new budget and the class it moves to.
    const p = chosen;
    const nU = (uValues[p] as Rational[]).length;
    const moveTo = new Map<number, { cls: number; pay: Rational }>();
    let payers = 0;
    let exhausted = 0;
    let maxPayment = Rational.ZERO;
    for (const [key, w] of entries[p] as Map<number, number>) {
      const c = Math.floor(key / nU);
      const b = classBudget[c] as Rational;
      const u = (uValues[p] as Rational[])[key % nU] as Rational;
      const due = rho.mul(u);
      const pay = b.le(due) ? b : due;
      if (pay.sign() > 0) {
        payers += w;
        if (b.le(due)) exhausted += w;
        if (pay.gt(maxPayment)) maxPayment = pay;
      }
      moveTo.set(key, { cls: classFor(b.sub(pay)), pay });
    }
    const cost = inst.projects[p]?.cost as Rational;
    steps.push({
      phase: 'mes',
      project: inst.projects[p]?.id ?? '',
      action: 'funded',
      cost,
      leftBefore: total.sub(spent),
      rho,
      maxPayment,
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
      if (payments) (payments[g] as { project: number; amount: Rational }[]).push({ project: p, amount: mv.pay });
      if (mv.cls === from) continue;
      classOf[g] = mv.cls;
      for (let t = 0; t < grp.projects.length; t++) {
        const q = grp.projects[t] as number;
        if (!remaining.has(q)) continue;
        const nq = (uValues[q] as Rational[]).length;
        const map = entries[q] as Map<number, number>;
        const ui = uis[t] as number;
        const oldKey = from * nq + ui;
        const left = (map.get(oldKey) ?? 0) - grp.weight;
        if (left === 0) map.delete(oldKey);
        else map.set(oldKey, left);
        const newKey = mv.cls * nq + ui;
        map.set(newKey, (map.get(newKey) ?? 0) + grp.weight);
      }
    }
  }
  const run: MesRun = { selected, steps, ties, perVoterBudget, classBudget, classOf };
  if (payments) run.payments = payments;
  return run;
}

