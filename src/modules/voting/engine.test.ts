import { describe, it, expect } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Rational } from '../../lib/rational.ts';
import { count, countDetailed } from './count.ts';
import { add1RunsBound, chooseAdd1Step, runAdd1 } from './completion.ts';
import { explainProjects } from './explain.ts';
import { totalCost } from './instance.ts';
import type { Instance } from './instance.ts';
import { prepareMes, runMes } from './mes.ts';
import type { MesRun } from './mes.ts';
import { runMesReference } from './mes-reference.ts';
import { parsePb } from './pabulib.ts';
import { renderCount } from './render.ts';
import { defaultParams, defaultUtility, projectStats } from './rules.ts';
import type { CountParams, TieBreakKey, Utility } from './rules.ts';
import { PABULIB_DIR, hasPabulib, loadPb } from './test-data.ts';
import { runPbCommand } from './cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const why = hasPabulib ? '' : ` (skipped: ${PABULIB_DIR} not found)`;
const TB: TieBreakKey[] = ['cost', 'votes', 'id'];
const j = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

/** Everything a run decides: funded order, steps (ρ, payments), ties, each group's money left and payments. */
function fingerprint(r: MesRun): string {
  return j([r.selected, r.steps, r.ties, Array.from(r.classOf, (c) => r.classBudget[c]), r.payments]);
}

function differential(inst: Instance, utility: Utility, tieBreak: TieBreakKey[] = TB): void {
  const prep = prepareMes(inst, projectStats(inst), utility);
  const share = inst.budget.divInt(BigInt(Math.max(prep.voters, 1)));
  for (const b of [share, share.mulInt(3n)]) {
    expect(fingerprint(runMes(prep, b, tieBreak, true)), `${utility} ${b.toString()}`).toBe(fingerprint(runMesReference(prep, b, tieBreak, true)));
  }
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random instance: decimal costs, cumulative points (several utilities per project) or approval. */
function randomInstance(seed: number, voteType: 'approval' | 'cumulative'): Instance {
  const r = rng(seed);
  const m = 3 + Math.floor(r() * 8);
  const n = 5 + Math.floor(r() * 60);
  const projects = Array.from({ length: m }, (_, k) => ({
    id: String(k + 1),
    name: `P${k + 1}`,
    cost: Rational.of(100 + Math.floor(r() * 5000), r() < 0.3 ? 100 : 1),
    categories: [],
    targets: [],
    fields: {},
  }));
  const ballots = Array.from({ length: n }, (_, v) => {
    const chosen = projects.map((_, k) => k).filter(() => r() < 0.4);
    const b: Instance['ballots'][number] = { voterId: String(v + 1), projects: chosen, fields: {} };
    if (voteType === 'cumulative') b.points = chosen.map(() => Rational.of(1 + Math.floor(r() * 5), r() < 0.2 ? 2 : 1));
    return b;
  });
  const all = projects.reduce((acc, p) => acc.add(p.cost), Rational.ZERO);
  return {
    meta: [],
    budget: all.mulInt(BigInt(2 + Math.floor(r() * 5))).divInt(10n),
    voteType,
    projects,
    ballots,
    limits: {},
    projectColumns: ['project_id', 'cost'],
    voteColumns: ['voter_id', 'vote', 'points'],
    warnings: [],
  };
}

describe('the integer-numerator MES gives exactly what the Rational MES gave', () => {
  it('on 300 random instances (approval and cumulative, decimal costs, fractional points)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      for (const vt of ['approval', 'cumulative'] as const) {
        const inst = randomInstance(seed, vt);
        for (const u of ['cost', 'cardinal'] as const) differential(inst, u, seed % 2 ? TB : ['order']);
      }
    }
  });

  it('on instances built for exact ties and near ties (the floating-point filter must hand them to the exact comparison)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(1000 + seed);
      const m = 4 + (seed % 5);
      // Few distinct costs and mirrored ballots: many projects share ρ exactly, others miss it by one part in 10^12.
      const projects = Array.from({ length: m }, (_, k) => ({
        id: String(k + 1),
        name: `P${k + 1}`,
        cost: k % 3 === 2 ? Rational.of(10n ** 12n * 100n + 1n, 10n ** 12n) : Rational.of(100 * (1 + (k % 2))),
        categories: [],
        targets: [],
        fields: {},
      }));
      const base = Array.from({ length: 3 + Math.floor(r() * 6) }, () => projects.map((_, k) => k).filter(() => r() < 0.5));
      const ballots = Array.from({ length: base.length * (2 + (seed % 3)) }, (_, v) => ({ voterId: String(v + 1), projects: base[v % base.length] as number[], fields: {} }));
      const all = projects.reduce((acc, p) => acc.add(p.cost), Rational.ZERO);
      const inst: Instance = {
        meta: [],
        budget: all.mulInt(BigInt(2 + (seed % 4))).divInt(7n),
        voteType: 'approval',
        projects,
        ballots,
        limits: {},
        projectColumns: ['project_id', 'cost'],
        voteColumns: ['voter_id', 'vote'],
        warnings: [],
      };
      for (const u of ['cost', 'cardinal'] as const) differential(inst, u, seed % 2 ? TB : ['order']);
    }
  });

  // Every shipped file but the few where the old path takes seconds (large ballots on many projects).
  const files = hasPabulib ? readdirSync(PABULIB_DIR).filter((f) => f.endsWith('.pb')).sort() : [];
  const cheap = files.filter((f) => statSync(path.join(PABULIB_DIR, f)).size <= 600_000);
  it.skipIf(!hasPabulib)(`on the Pabulib files up to 600 kB, cost and cardinal utilities${why}`, () => {
    expect(cheap.length).toBeGreaterThan(200);
    for (const f of cheap) {
      const inst = loadPb(f);
      for (const u of ['cost', 'cardinal'] as const) {
        const prep = prepareMes(inst, projectStats(inst), u);
        const share = inst.budget.divInt(BigInt(Math.max(prep.voters, 1)));
        expect(fingerprint(runMes(prep, share, TB, true)), `${f} ${u}`).toBe(fingerprint(runMesReference(prep, share, TB, true)));
      }
    }
  }, 600_000);

  it('selection-only runs (add1 trials) choose the same projects as full runs, and tallies match Rational sums', () => {
    for (let seed = 1; seed <= 120; seed++) {
      for (const vt of ['approval', 'cumulative'] as const) {
        const inst = randomInstance(seed, vt);
        // Whole points only on half of them, so both tallies paths are exercised.
        if (vt === 'cumulative' && seed % 2 === 0) for (const b of inst.ballots) b.points = b.points?.map((x) => Rational.of(x.ceil()));
        const stats = projectStats(inst);
        const supporters = inst.projects.map(() => 0);
        const score = inst.projects.map(() => Rational.ZERO);
        for (const b of inst.ballots) {
          b.projects.forEach((p, k) => {
            const u = vt === 'cumulative' ? (b.points?.[k] ?? Rational.ONE) : Rational.ONE;
            if (u.sign() <= 0) return;
            supporters[p] = (supporters[p] ?? 0) + 1;
            score[p] = (score[p] as Rational).add(u);
          });
        }
        expect(j(stats), `tallies ${seed} ${vt}`).toBe(j({ supporters, score }));
        for (const u of ['cost', 'cardinal'] as const) {
          const prep = prepareMes(inst, stats, u);
          const share = inst.budget.divInt(BigInt(Math.max(prep.voters, 1)));
          for (const b of [share, share.mulInt(2n), share.add(Rational.ONE)]) {
            expect(runMes(prep, b, TB, false, true).selected, `${seed} ${vt} ${u}`).toEqual(runMes(prep, b, TB).selected);
          }
        }
      }
    }
  });

  it('add1 trial runs that stop once their side of the budget is known give the linear scan of full runs', () => {
    let early = 0;
    for (let seed = 1; seed <= 40; seed++) {
      for (const vt of ['approval', 'cumulative'] as const) {
        const inst = randomInstance(seed, vt);
        for (const u of ['cost', 'cardinal'] as const) {
          const prep = prepareMes(inst, projectStats(inst), u);
          const share = inst.budget.divInt(BigInt(Math.max(prep.voters, 1)));
          // Each trial against its full run: an early stop is on the right side of the budget.
          for (const b of [share, share.mulInt(2n), share.mulInt(5n)]) {
            const trial = runMes(prep, b, TB, false, true, inst.budget);
            const full = runMes(prep, b, TB, false, true);
            const fullCost = totalCost(inst, full.selected);
            if (trial.stoppedEarly) early++;
            if (trial.stoppedEarly === 'over') expect(fullCost.gt(inst.budget)).toBe(true);
            if (trial.stoppedEarly === 'within') {
              expect(fullCost.le(inst.budget)).toBe(true);
              expect(full.selected.length).toBeLessThan(prep.eligible.length + prep.zeroCost.length);
            }
            if (trial.stoppedEarly) expect(full.selected.slice(0, trial.selected.length)).toEqual(trial.selected);
            else expect(trial.selected).toEqual(full.selected);
          }
          // add1 as a whole against the scan written out with full runs.
          const step = Rational.of(1 + (seed % 7));
          const a = runAdd1(prep, { stopWhenExhaustive: false, start: 'exact', step, maxRuns: 300 }, TB);
          let prev = runMes(prep, share, TB, false, true);
          let runs = 1;
          let budget = share;
          let why: string;
          for (;;) {
            if (prev.selected.length >= prep.eligible.length + prep.zeroCost.length || budget.ge(totalCost(inst, prep.eligible))) {
              why = 'nothing-left-to-fund';
              break;
            }
            if (runs >= 300) {
              why = 'run-cap';
              break;
            }
            budget = budget.add(step);
            const next = runMes(prep, budget, TB, false, true);
            runs++;
            if (totalCost(inst, next.selected).gt(inst.budget)) {
              why = 'over-budget';
              break;
            }
            prev = next;
          }
          expect([a.report.perVoterBudget.toString(), a.report.runs, a.report.stoppedBecause], `${seed} ${vt} ${u}`).toEqual([prev.perVoterBudget.toString(), runs, why]);
          expect(a.run.selected).toEqual(runMes(prep, prev.perVoterBudget, TB).selected);
        }
      }
    }
    // Most trials stop early (439 of these 480): the path is exercised.
    expect(early).toBeGreaterThan(200);
  });

  it.skipIf(!hasPabulib)(`count() without recording gives the same result as countDetailed with it${why}`, () => {
    const inst = loadPb('Poland_Wieliczka_2023_Green_Budget.pb');
    const p: CountParams = { ...defaultParams('mes'), completion: { add1: { stopWhenExhaustive: false, start: 'exact', step: Rational.ONE }, utilitarian: true }, comparison: true };
    expect(j(count(inst, p))).toBe(j(countDetailed(inst, p).result));
  });
});

const ZERO_VOTES = `META
key;value
budget;1000
vote_type;approval
PROJECTS
project_id;cost
A;400
B;300
Z;100
F;0
VOTES
voter_id;vote
1;A
2;A,B
3;B
`;

describe('a project nobody chose is never funded', () => {
  const inst = parsePb(ZERO_VOTES);
  it.each(['greedy', 'greedy-stop', 'greedy-cost'] as const)('%s leaves out Z and F although money is left', (rule) => {
    const res = count(inst, { ...defaultParams(rule), tieBreak: ['order'] });
    expect(sortedIds(res.winners)).toEqual(['A', 'B']);
    expect(res.steps.map((s) => s.project)).not.toContain('Z');
  });
  it('nor does the utilitarian completion after MES', () => {
    const res = count(inst, { ...defaultParams('mes'), completion: { add1: null, utilitarian: true } });
    expect(sortedIds(res.winners)).toEqual(['A', 'B']);
    expect(res.totalCost.lt(inst.budget)).toBe(true);
    const d = countDetailed(inst, { ...defaultParams('mes'), completion: { add1: null, utilitarian: true } });
    expect(explainProjects(inst, d).find((e) => e.project === 'Z')?.reason).toBe('not-funded-no-support');
  });
});

const sortedIds = (xs: readonly string[]): string[] => [...xs].sort();

const CUMULATIVE = `META
key;value
budget;100
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost
A;60
B;50
C;40
VOTES
voter_id;vote;points
1;A,B;1,4
2;A,B;1,4
3;A;5
4;C;5
5;A;1
`;

describe('cumulative ballots', () => {
  const inst = parsePb(CUMULATIVE);
  it('the default MES utility is the points (cardinal), and the result says what it means', () => {
    expect(defaultUtility(inst.voteType)).toBe('cardinal');
    expect(defaultParams('mes', inst.voteType).utility).toBe('cardinal');
    const res = count(inst, defaultParams('mes', inst.voteType));
    expect(res.params.utility).toBe('cardinal');
    expect(res.utilityMeaning).toBe('points-given');
    expect(count(inst, defaultParams('mes')).utilityMeaning).toBe('project-cost');
    expect(defaultUtility('approval')).toBe('cost');
  });

  it('greedy explanations show the points and say it ranks by points, not "in vote order"', () => {
    const d = countDetailed(inst, defaultParams('greedy'));
    // Points: A 8 (4 voters), B 8 (2 voters), C 5: A and B tie on points, cost decides.
    expect(d.result.winners).toEqual(['B', 'C']);
    const text = renderCount(d.result, explainProjects(inst, d), 'en');
    expect(text).toContain('B cost 50.00, 8 points from 2 voters');
    expect(text).toContain('in order of points');
    expect(text).not.toContain('vote order');
    expect(text).not.toContain('supporters');
  });
});

describe('pb count CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-engine-'));
  const file = path.join(dir, 'c.pb');
  writeFileSync(file, CUMULATIVE);
  const run = async (...argv: string[]): Promise<{ code: number; text: string }> => {
    const lines: string[] = [];
    const code = await runPbCommand(argv, (s) => lines.push(s));
    return { code, text: lines.join('\n') };
  };

  it('JSON has the explanations only with --explain', async () => {
    const plain = JSON.parse((await run('count', file, '--json')).text) as Record<string, unknown>;
    expect(plain['explanation']).toBeUndefined();
    expect(plain['params']).toMatchObject({ utility: 'cardinal' });
    expect(plain['utilityMeaning']).toBe('points-given');
    const full = JSON.parse((await run('count', file, '--json', '--explain')).text) as { explanation: { projects: unknown[] } };
    expect(full.explanation.projects).toHaveLength(3);
  });

  it('--help says what each utility means', async () => {
    const help = (await run('count', '--help')).text;
    expect(help).toContain("not pabutools' count-based");
    expect(help).toContain('greedy-threshold');
  });

  it('greedy-threshold reads META, and refuses when there is none', async () => {
    const withT = path.join(dir, 't.pb');
    writeFileSync(withT, ZERO_VOTES.replace('vote_type;approval', 'vote_type;approval\nmin_project_score_threshold;2'));
    const res = JSON.parse((await run('count', withT, '--rule', 'greedy-threshold', '--json')).text) as { winners: string[]; params: { threshold: { minScore: string } } };
    expect(sortedIds(res.winners)).toEqual(['A', 'B']);
    expect(res.params.threshold.minScore).toBe('2');
    const strict = JSON.parse((await run('count', withT, '--rule', 'greedy', '--threshold', '3', '--json')).text) as { winners: string[] };
    expect(strict.winners).toEqual([]);
    const refused = await run('count', file, '--rule', 'greedy-threshold');
    expect(refused.code).toBe(2);
    expect(refused.text).toContain('needs a threshold');
    expect((await run('count', file, '--rule', 'mes', '--threshold', '3')).code).toBe(2);
  });

  it('add1: the cap stops the runs with a clear message, and auto chooses a step that bounds them (recorded)', async () => {
    const capped = await run('count', file, '--utility', 'cost', '--add1-max-runs', '2');
    expect(capped.code).toBe(0);
    expect(capped.text).toContain('add1 stopped at its cap of 2 runs');
    const json = JSON.parse((await run('count', file, '--utility', 'cost', '--add1-max-runs', '2', '--json')).text) as { add1: { runs: number; stoppedBecause: string; step: string } };
    expect(json.add1).toMatchObject({ runs: 2, stoppedBecause: 'run-cap', step: '1' });
    const auto = JSON.parse((await run('count', file, '--utility', 'cost', '--add1-step', 'auto', '--add1-max-runs', '10', '--json')).text) as { add1: { runs: number; step: string; runsBound: number } };
    expect(Number(auto.add1.step)).toBeGreaterThan(1);
    expect(auto.add1.runsBound).toBeLessThanOrEqual(10);
    expect(auto.add1.runs).toBeLessThanOrEqual(10);
    expect((await run('count', file, '--add1-max-runs', '0')).code).toBe(2);
  });

  it.skipIf(!hasPabulib)(`auto keeps one unit when that is enough, and bounds South Lake Tahoe${why}`, () => {
    const inst = loadPb('Poland_Wieliczka_2023_Green_Budget.pb');
    const prep = prepareMes(inst, projectStats(inst), 'cost');
    const bound = add1RunsBound(prep, 'exact', Rational.ONE);
    expect(chooseAdd1Step(prep, 'exact', bound).eq(Rational.ONE)).toBe(true);
    const tahoe = loadPb('US_Stanford_Dataset_South_Lake_Tahoe_2021_Quadrant_3_vote_knapsacks.pb');
    const tp = prepareMes(tahoe, projectStats(tahoe), 'cost');
    const step = chooseAdd1Step(tp, 'exact', 500);
    expect(add1RunsBound(tp, 'exact', step)).toBeLessThanOrEqual(500);
  });

  it('cleans up', () => {
    rmSync(dir, { recursive: true, force: true });
  });
});
