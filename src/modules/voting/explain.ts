/**
 * Explanations a parent can follow, as structured data (codes and numbers, no sentences):
 * why each project was or was not funded, where each voter's share went, and how many
 * voters got none of their choices. render.ts turns these into plain English.
 */
import { Rational } from '../../lib/rational.ts';
import type { BallotGroup, Instance } from './instance.ts';
import { paymentsByProject, paymentsOfGroup, supportersMoney } from './mes.ts';
import type { CountDetail } from './count.ts';
import { meetsThreshold } from './rules.ts';
import type { Step } from './rules.ts';

export type ProjectReason =
  | 'funded-mes' // its supporters paid for it under MES
  | 'funded-free' // it costs nothing
  | 'funded-greedy' // funded in vote order while money was left
  | 'funded-completion' // funded by the utilitarian completion from money MES left over
  | 'funded-comparison' // funded because the comparison step switched to the greedy outcome
  | 'not-funded-no-support' // nobody voted for it
  | 'not-funded-below-threshold' // greedy with a threshold: its score (or share) is below it
  | 'not-funded-supporters-short' // MES: its supporters' money left fell short of its cost
  | 'not-funded-did-not-fit' // greedy / completion: it cost more than what was left
  | 'not-funded-not-reached' // greedy-stop: counting stopped before it
  | 'not-funded-comparison'; // MES funded it but the comparison step switched to greedy

export interface PaymentShare {
  /** What one supporter paid … */
  amount: Rational;
  /** … and how many supporters paid that. */
  voters: number;
}

export interface ProjectExplanation {
  project: string;
  name: string;
  funded: boolean;
  reason: ProjectReason;
  cost: Rational;
  supporters: number;
  score: Rational;
  /** Position among funded projects (1-based) when funded. */
  fundedAs?: number;
  /** Greedy: money left when it came up. */
  leftWhenConsidered?: Rational;
  /** MES funded: ρ and what supporters paid (largest first). */
  rho?: Rational;
  payments?: PaymentShare[];
  /** MES not funded: what its supporters had left at the end, and the gap to its cost. */
  supportersMoney?: Rational;
  shortfall?: Rational;
}

export interface VoterExplanation {
  voter: string;
  /** The voter's choices. */
  choices: string[];
  fundedChoices: string[];
  /** MES only: the share every voter started with (after add1) and where it went. */
  share?: Rational;
  payments?: { project: string; amount: Rational }[];
  unspent?: Rational;
}

export interface OutcomeSummary {
  label: string;
  winners: string[];
  totalCost: Rational;
  /** Voters none of whose choices were funded. */
  votersWithNone: number;
  votersWithSome: number;
  /** Average number of a voter's choices funded. */
  averageFundedChoices: Rational;
}

/** Why each project was or was not funded. */
export function explainProjects(inst: Instance, d: CountDetail): ProjectExplanation[] {
  const { result } = d;
  const winners = new Set(result.winners);
  const order = new Map(result.winners.map((id, k) => [id, k + 1]));
  const stepFor = new Map<string, Step>();
  for (const s of result.steps) stepFor.set(s.project, s);
  const switched = result.comparison?.switchedToGreedy === true;
  // `in`, not a read: runMes makes run.payments (a list of Rationals per group) when it is read.
  const paid = d.mes && 'payments' in d.mes.run ? aggregatePayments(d) : undefined;
  return inst.projects.map((p, j) => {
    const step = stepFor.get(p.id);
    const funded = winners.has(p.id);
    const e: ProjectExplanation = {
      project: p.id,
      name: p.name,
      funded,
      reason: 'not-funded-no-support',
      cost: p.cost,
      supporters: d.stats.supporters[j] ?? 0,
      score: d.stats.score[j] ?? Rational.ZERO,
    };
    const fundedAs = order.get(p.id);
    if (fundedAs !== undefined) e.fundedAs = fundedAs;
    if (step && step.phase !== 'mes' && step.phase !== 'zero-cost') e.leftWhenConsidered = step.leftBefore;
    if (funded) {
      if (switched) e.reason = 'funded-comparison';
      else if (step?.phase === 'mes') e.reason = 'funded-mes';
      else if (step?.phase === 'zero-cost' || p.cost.isZero()) e.reason = 'funded-free';
      else if (step?.phase === 'utilitarian-completion') e.reason = 'funded-completion';
      else e.reason = 'funded-greedy';
      if (!switched && step?.phase === 'mes') {
        if (step.rho) e.rho = step.rho;
        const pay = paid?.get(j);
        if (pay) e.payments = pay;
      }
      return e;
    }
    if (e.supporters === 0) return e;
    if (result.params.rule !== 'mes' && !meetsThreshold(result.params.threshold, d.stats, inst.ballots.length, j)) {
      e.reason = 'not-funded-below-threshold';
      return e;
    }
    if (switched && d.mes?.run.selected.includes(j)) {
      e.reason = 'not-funded-comparison';
      return e;
    }
    if (result.params.rule === 'mes' && d.mes) {
      const money = supportersMoney(d.mes.prep, d.mes.run, j);
      e.supportersMoney = money;
      if (money.lt(p.cost)) e.shortfall = p.cost.sub(money);
      e.reason = step?.action === 'skipped' ? 'not-funded-did-not-fit' : 'not-funded-supporters-short';
      return e;
    }
    e.reason = step ? 'not-funded-did-not-fit' : 'not-funded-not-reached';
    return e;
  });
}

function aggregatePayments(d: CountDetail): Map<number, PaymentShare[]> {
  const mes = d.mes;
  if (!mes || !('payments' in mes.run)) return new Map();
  // Straight from runMes's compact record when there is one (no payment list per group).
  const direct = paymentsByProject(mes.prep, mes.run);
  if (direct) return direct;
  if (!mes.run.payments) return new Map();
  // One MES step pays every group of a budget class with the same Rational object, so keying
  // by object first leaves only a few values to compare by their text.
  const byObject = new Map<number, Map<Rational, PaymentShare>>();
  mes.run.payments.forEach((list, g) => {
    const w = (mes.prep.groups[g] as BallotGroup).weight;
    for (const { project, amount } of list) {
      if (amount.isZero()) continue;
      let m = byObject.get(project);
      if (!m) byObject.set(project, (m = new Map()));
      const cur = m.get(amount);
      if (cur) cur.voters += w;
      else m.set(amount, { amount, voters: w });
    }
  });
  const res = new Map<number, PaymentShare[]>();
  for (const [p, m] of byObject) {
    const byValue = new Map<string, PaymentShare>();
    for (const { amount, voters } of m.values()) {
      const key = amount.toString();
      const cur = byValue.get(key);
      if (cur) cur.voters += voters;
      else byValue.set(key, { amount, voters });
    }
    res.set(p, [...byValue.values()].sort((a, b) => b.amount.cmp(a.amount)));
  }
  return res;
}

/** "Where your share went" for one voter (by index into inst.ballots). */
export function explainVoter(inst: Instance, d: CountDetail, voterIndex: number): VoterExplanation {
  const b = inst.ballots[voterIndex];
  if (!b) throw new RangeError(`no voter at index ${voterIndex}`);
  const winners = new Set(d.result.winners);
  const choices = b.projects.map((j) => inst.projects[j]?.id ?? '');
  const e: VoterExplanation = { voter: b.voterId, choices, fundedChoices: choices.filter((c) => winners.has(c)) };
  const mes = d.mes;
  if (mes && 'payments' in mes.run && d.result.params.rule === 'mes') {
    const g = mes.prep.groups.findIndex((grp) => grp.members.includes(voterIndex));
    const share = mes.run.perVoterBudget;
    e.share = share;
    if (g >= 0) {
      const pays = paymentsOfGroup(mes.run, g) ?? mes.run.payments?.[g] ?? [];
      e.payments = pays.filter((x) => !x.amount.isZero()).map((x) => ({ project: inst.projects[x.project]?.id ?? '', amount: x.amount }));
      e.unspent = share.sub(Rational.sum(pays.map((x) => x.amount)));
    } else {
      e.payments = [];
      e.unspent = share;
    }
  }
  return e;
}

/** How an outcome serves the voters: who got none of their choices, and the average funded. */
export function summariseOutcome(inst: Instance, groups: readonly BallotGroup[], label: string, selected: readonly number[]): OutcomeSummary {
  const chosen = new Set(selected);
  let none = 0;
  let some = 0;
  let fundedTotal = 0n;
  for (const g of groups) {
    let k = 0;
    for (const p of g.projects) if (chosen.has(p)) k++;
    if (k === 0) none += g.weight;
    else some += g.weight;
    fundedTotal += BigInt(k * g.weight);
  }
  // voters with empty ballots are not in any group: they got none of their (zero) choices
  const grouped = groups.reduce((acc, g) => acc + g.weight, 0);
  none += inst.ballots.length - grouped;
  let cost = Rational.ZERO;
  for (const j of selected) cost = cost.add(inst.projects[j]?.cost ?? Rational.ZERO);
  return {
    label,
    winners: selected.map((j) => inst.projects[j]?.id ?? ''),
    totalCost: cost,
    votersWithNone: none,
    votersWithSome: some,
    averageFundedChoices: inst.ballots.length === 0 ? Rational.ZERO : Rational.of(fundedTotal, BigInt(inst.ballots.length)),
  };
}
