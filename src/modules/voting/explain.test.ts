import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '../../lib/rational.ts';
import { countDetailed } from './count.ts';
import type { CountDetail } from './count.ts';
import { explainProjects } from './explain.ts';
import type { Instance } from './instance.ts';
import { supportersMoney } from './mes.ts';
import type { CountParams } from './rules.ts';
import { hasPabulib, loadPb } from './test-data.ts';

// The explanations add up money and payments over budget classes and shared payment objects
// rather than voter by voter (issue 8 item 9: Łódź 2022 took 1.8 s to explain). These tests
// check them against the plain voter-by-voter definitions.

function instance(costs: number[], budget: number, ballots: number[][]): Instance {
  return {
    meta: [['budget', String(budget)]],
    budget: Rational.of(budget),
    voteType: 'approval',
    projects: costs.map((c, j) => ({ id: `p${j}`, name: `p${j}`, cost: Rational.of(c), categories: [], targets: [], fields: {} })),
    ballots: ballots.map((b, v) => ({ voterId: `v${v}`, projects: b, fields: {} })),
    limits: {},
    projectColumns: ['project_id', 'cost'],
    voteColumns: ['voter_id', 'vote'],
    warnings: [],
  };
}

const plainMes: CountParams = { rule: 'mes', utility: 'cost', completion: { add1: null, utilitarian: false }, comparison: false, tieBreak: ['cost', 'votes', 'id'] };

/** What one voter of each group has left: the starting share less what the group paid. */
function leftPerGroup(d: CountDetail): Rational[] {
  const mes = d.mes!;
  return mes.prep.groups.map((_, g) => mes.run.perVoterBudget.sub(Rational.sum((mes.run.payments?.[g] ?? []).map((x) => x.amount))));
}

function naiveSupportersMoney(d: CountDetail, p: number, left: Rational[]): Rational {
  const { prep } = d.mes!;
  let money = Rational.ZERO;
  prep.groups.forEach((g, gi) => {
    if (g.projects.includes(p)) money = money.add((left[gi] as Rational).mulInt(BigInt(g.weight)));
  });
  return money;
}

/** Per project: amount paid by one voter → number of voters, voter by voter. */
function naivePayments(d: CountDetail): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  const { prep, run } = d.mes!;
  prep.groups.forEach((g, gi) => {
    for (const { project, amount } of run.payments?.[gi] ?? []) {
      if (amount.isZero()) continue;
      const m = out.get(project) ?? new Map<string, number>();
      out.set(project, m);
      m.set(amount.toString(), (m.get(amount.toString()) ?? 0) + g.weight);
    }
  });
  return out;
}

function checkAgainstDefinitions(inst: Instance, d: CountDetail, projects: readonly number[]): void {
  const left = leftPerGroup(d);
  const explained = explainProjects(inst, d);
  const payments = naivePayments(d);
  for (const p of projects) {
    const e = explained[p]!;
    if (e.supportersMoney !== undefined) expect(e.supportersMoney.toString(), `p${p}`).toBe(naiveSupportersMoney(d, p, left).toString());
    expect(supportersMoney(d.mes!.prep, d.mes!.run, p).toString()).toBe(naiveSupportersMoney(d, p, left).toString());
    const expected = [...(payments.get(p) ?? new Map<string, number>())].map(([amount, voters]) => ({ amount, voters })).sort((a, b) => Rational.parse(b.amount).cmp(Rational.parse(a.amount)));
    if (e.payments) expect(e.payments.map((x) => ({ amount: x.amount.toString(), voters: x.voters }))).toEqual(expected);
    else expect(expected).toEqual([]);
  }
}

describe('explanations match their voter-by-voter definitions', () => {
  it('on random approval instances: money left with the supporters, and who paid how much', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), { minLength: 1, maxLength: 15 }),
        (costs, budget, rows) => {
          const inst = instance(costs, budget, rows.map((r) => costs.map((_, j) => j).filter((j) => r[j])));
          const d = countDetailed(inst, plainMes);
          checkAgainstDefinitions(inst, d, inst.projects.map((_, j) => j));
        },
      ),
      { numRuns: 300 },
    );
  });

  it.skipIf(!hasPabulib)('on Łódź 2022 (90,494 voters, 160 projects), for a sample of projects', { timeout: 120_000 }, () => {
    const inst = loadPb('Poland_Lodz_2022.pb');
    const d = countDetailed(inst, plainMes);
    const notFunded = inst.projects.map((_, j) => j).filter((j) => !d.selected.includes(j) && (d.stats.supporters[j] ?? 0) > 0);
    expect(notFunded.length).toBeGreaterThan(0);
    checkAgainstDefinitions(inst, d, [...d.selected.slice(0, 5), ...notFunded.slice(0, 5)]);
  });
});
