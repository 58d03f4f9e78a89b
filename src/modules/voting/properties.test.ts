import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Rational } from '../../lib/rational.ts';
import { count } from './count.ts';
import type { Instance, VoteType } from './instance.ts';
import type { Completion, CountParams, RuleName, TieBreakKey, Utility } from './rules.ts';

function instance(costs: number[], budget: number, ballots: number[][], voteType: VoteType = 'approval', points?: number[][]): Instance {
  return {
    meta: [['budget', String(budget)]],
    budget: Rational.of(budget),
    voteType,
    projects: costs.map((c, j) => ({ id: `p${j}`, name: `p${j}`, cost: Rational.of(c), categories: [], targets: [], fields: {} })),
    ballots: ballots.map((b, v) => {
      const pts = points?.[v];
      return pts ? { voterId: `v${v}`, projects: b, points: pts.map((x) => Rational.of(x)), fields: {} } : { voterId: `v${v}`, projects: b, fields: {} };
    }),
    limits: {},
    projectColumns: ['project_id', 'cost'],
    voteColumns: ['voter_id', 'vote'],
    warnings: [],
  };
}

/** Random approval instance: up to 7 projects, up to 12 voters. */
const approvalInstance = fc
  .record({
    costs: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 7 }),
    budget: fc.integer({ min: 1, max: 150 }),
    nVoters: fc.integer({ min: 1, max: 12 }),
    seed: fc.array(fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ costs, budget, nVoters, seed }) =>
    instance(costs, budget, seed.slice(0, nVoters).map((row) => costs.map((_, j) => j).filter((j) => row[j]))),
  );

/** Random cumulative instance (points 1–3). */
const cumulativeInstance = fc
  .record({
    costs: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }),
    budget: fc.integer({ min: 1, max: 150 }),
    rows: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 10 }),
  })
  .map(({ costs, budget, rows }) => {
    const ballots = rows.map((r) => costs.map((_, j) => j).filter((j) => (r[j] ?? 0) > 0));
    const points = rows.map((r, v) => (ballots[v] ?? []).map((j) => r[j] ?? 0));
    return instance(costs, budget, ballots, 'cumulative', points);
  });

const NONE: Completion = { add1: null, utilitarian: false };
const completions: Completion[] = [
  NONE,
  { add1: { stopWhenExhaustive: false, start: 'exact', step: Rational.ONE }, utilitarian: false },
  { add1: { stopWhenExhaustive: true, start: 'integer', step: Rational.ONE }, utilitarian: true },
  { add1: null, utilitarian: true },
];
const TB: TieBreakKey[] = ['cost', 'votes', 'id'];

function allParams(): CountParams[] {
  const out: CountParams[] = [];
  for (const rule of ['greedy', 'greedy-stop', 'greedy-cost'] as RuleName[]) out.push({ rule, utility: 'cost', completion: NONE, comparison: false, tieBreak: TB });
  for (const utility of ['cost', 'cardinal'] as Utility[]) {
    for (const completion of completions) {
      for (const comparison of [false, true]) out.push({ rule: 'mes', utility, completion, comparison, tieBreak: TB });
    }
  }
  return out;
}

describe('properties of every rule', () => {
  it('total cost never exceeds the budget', () => {
    fc.assert(
      fc.property(fc.oneof(approvalInstance, cumulativeInstance), (inst) => {
        for (const p of allParams()) {
          const r = count(inst, p);
          expect(r.totalCost.le(inst.budget)).toBe(true);
          expect(new Set(r.winners).size).toBe(r.winners.length);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('results do not depend on the order of voters', () => {
    fc.assert(
      fc.property(fc.oneof(approvalInstance, cumulativeInstance), fc.integer(), (inst, seed) => {
        const shuffled = { ...inst, ballots: [...inst.ballots] };
        let s = seed >>> 0;
        for (let i = shuffled.ballots.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) >>> 0;
          const j = s % (i + 1);
          [shuffled.ballots[i], shuffled.ballots[j]] = [shuffled.ballots[j] as never, shuffled.ballots[i] as never];
        }
        for (const p of allParams()) {
          expect(count(shuffled, p).winners).toEqual(count(inst, p).winners);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('utilitarian completion only adds projects to the plain MES outcome', () => {
    fc.assert(
      fc.property(fc.oneof(approvalInstance, cumulativeInstance), (inst) => {
        for (const utility of ['cost', 'cardinal'] as Utility[]) {
          const plain = count(inst, { rule: 'mes', utility, completion: NONE, comparison: false, tieBreak: TB }).winners;
          const completed = count(inst, { rule: 'mes', utility, completion: { add1: null, utilitarian: true }, comparison: false, tieBreak: TB }).winners;
          expect(completed.slice(0, plain.length)).toEqual(plain);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('a project approved by every voter and costing at most the budget is funded', () => {
    const withUniversal = fc
      .record({ inst: approvalInstance, cost: fc.integer({ min: 1, max: 150 }) })
      .map(({ inst, cost }) => {
        const u = inst.projects.length;
        const projects = [...inst.projects, { id: `p${u}`, name: 'everyone', cost: Rational.of(cost), categories: [], targets: [], fields: {} }];
        // the first voter approves only it, so no other project is approved by everyone
        const ballots = inst.ballots.map((b, v) => ({ ...b, projects: v === 0 ? [u] : [...b.projects, u] }));
        return { ...inst, projects, ballots, budget: Rational.max(inst.budget, Rational.of(cost)) } as Instance;
      });
    fc.assert(
      fc.property(withUniversal, (inst) => {
        const id = inst.projects[inst.projects.length - 1]?.id;
        for (const p of allParams()) {
          if (p.rule === 'greedy-cost' || (p.rule === 'mes' && p.utility === 'cardinal') || p.comparison) continue;
          expect(count(inst, p).winners, JSON.stringify(p)).toContain(id);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('with unit costs on party-list profiles MES (raising budgets until the seats are filled) gives D’Hondt', () => {
    const partyList = fc.record({
      votes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 4 }),
      seats: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(partyList, ({ votes, seats }) => {
        // D'Hondt: the `seats` largest quotients v/(s+1); skip when the last seat is a tie.
        const quotients = votes.flatMap((v, party) => Array.from({ length: seats + 1 }, (_, s) => ({ party, q: Rational.of(v, s + 1) })));
        quotients.sort((a, b) => b.q.cmp(a.q));
        fc.pre(!(quotients[seats - 1] as { q: Rational }).q.eq((quotients[seats] as { q: Rational }).q));
        const dhondt = votes.map((_, party) => quotients.slice(0, seats).filter((x) => x.party === party).length);
        // Party i has `seats` candidates; its voters approve all of them.
        const costs = votes.flatMap(() => Array.from({ length: seats }, () => 1));
        const ballots = votes.flatMap((v, party) => Array.from({ length: v }, () => Array.from({ length: seats }, (_, c) => party * seats + c)));
        const inst = instance(costs, seats, ballots);
        const n = ballots.length;
        const r = count(inst, {
          rule: 'mes',
          utility: 'cost',
          completion: { add1: { stopWhenExhaustive: true, start: 'exact', step: Rational.of(1, n * n) }, utilitarian: false },
          comparison: false,
          tieBreak: ['id'],
        });
        const got = votes.map((_, party) => r.winners.filter((id) => Math.floor(Number(id.slice(1)) / seats) === party).length);
        expect(got).toEqual(dhondt);
      }),
      { numRuns: 100 },
    );
  });
});
