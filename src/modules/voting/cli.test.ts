import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runPbCommand } from './cli.ts';
import { countDetailed } from './count.ts';
import { explainProjects, explainVoter, summariseOutcome } from './explain.ts';
import { parsePb } from './pabulib.ts';
import { Rational } from '../../lib/rational.ts';

// Four voters, budget 100: A (60) approved by v1,v2,v4; B (50) by v3; C (40) by v1,v2.
const PB = `META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
A;60;Play park
B;50;Library
C;40;Crossing
VOTES
voter_id;vote
v1;A,C
v2;A,C
v3;B
v4;A
`;

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pb-cli-'));
  file = path.join(dir, 'small.pb');
  writeFileSync(file, PB);
  writeFileSync(path.join(dir, 'bad.pb'), PB.replace('v3;B', 'v3;Z'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runPbCommand(argv, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe('pb CLI', () => {
  it('counts with greedy and prints JSON with winners, parameters and steps', async () => {
    const { code, text } = await run('count', file, '--rule', 'greedy', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(text) as { winners: string[]; params: { rule: string; tieBreak: string[] }; steps: unknown[]; totalCost: string };
    expect(out.winners).toEqual(['A', 'C']);
    expect(out.params.rule).toBe('greedy');
    expect(out.params.tieBreak).toEqual(['cost', 'votes', 'id']);
    expect(out.totalCost).toBe('100');
    expect(out.steps).toHaveLength(3);
  });

  it('counts with MES and explains in plain English', async () => {
    const { code, text } = await run('count', file, '--rule', 'mes', '--completion', 'none', '--voter', 'v3');
    expect(code).toBe(0);
    // each voter has 25; v1,v2,v4 pay 20 each for A; v1+v2 have 10 < 40 for C; v3 has 25 < 50 for B
    expect(text).toContain('Funded (1)');
    expect(text).toContain('3 paid 20.00');
    expect(text).toContain("its supporters' remaining money fell short");
    expect(text).toContain('25.00 short');
    expect(text).toContain('Voter v3 chose B');
  });

  it('compares greedy and MES side by side', async () => {
    const { code, text } = await run('compare', file, '--completion', 'none');
    expect(code).toBe(0);
    expect(text).toContain('voters with none funded');
    const j = JSON.parse((await run('compare', file, '--json')).text) as { proportionality: { label: string; votersWithNone: number }[] };
    expect(j.proportionality.map((r) => r.label)).toEqual(['greedy', 'mes']);
  });

  it('shows help and refuses bad arguments and bad files with a clear message', async () => {
    expect((await run('count', '--help')).text).toContain('--rule greedy|greedy-stop|greedy-cost|greedy-threshold|mes');
    expect((await run('compare', '--help')).code).toBe(0);
    const bad = await run('count', file, '--rule', 'borda');
    expect(bad.code).toBe(2);
    expect(bad.text).toContain('--rule must be one of');
    expect((await run('count', file, '--tie-break', 'cost,luck')).code).toBe(2);
    expect((await run('count', file, '--completion', 'add2')).code).toBe(2);
    expect((await run('count')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    const broken = await run('count', path.join(dir, 'bad.pb'));
    expect(broken.code).toBe(1);
    expect(broken.text).toContain('line 14');
    expect(broken.text).toContain('unknown project "Z"');
    expect((await run('count', path.join(dir, 'missing.pb'))).code).toBe(1);
  });
});

describe('explanations', () => {
  const inst = parsePb(PB);
  const params = { rule: 'mes' as const, utility: 'cost' as const, completion: { add1: null, utilitarian: true }, comparison: false, tieBreak: ['cost' as const, 'votes' as const, 'id' as const] };

  it('say what each supporter paid, who fell short, and what completion funded', () => {
    const d = countDetailed(inst, params);
    expect(d.result.winners).toEqual(['A', 'C']);
    const byId = Object.fromEntries(explainProjects(inst, d).map((e) => [e.project, e]));
    expect(byId['A']?.reason).toBe('funded-mes');
    expect(byId['A']?.payments).toEqual([{ amount: Rational.of(20), voters: 3 }]);
    expect(byId['C']?.reason).toBe('funded-completion');
    expect(byId['B']?.reason).toBe('not-funded-did-not-fit');
    expect(byId['B']?.shortfall?.toString()).toBe('25');
  });

  it('say where a voter’s share went', () => {
    const d = countDetailed(inst, { ...params, completion: { add1: null, utilitarian: false } });
    const v1 = explainVoter(inst, d, 0);
    expect(v1.share?.toString()).toBe('25');
    expect(v1.payments).toEqual([{ project: 'A', amount: Rational.of(20) }]);
    expect(v1.unspent?.toString()).toBe('5');
    expect(v1.fundedChoices).toEqual(['A']);
  });

  it('count voters who got none of their choices', () => {
    const d = countDetailed(inst, params);
    const s = summariseOutcome(inst, d.mes?.prep.groups ?? [], 'mes', d.selected);
    expect(s.votersWithNone).toBe(1);
    expect(s.averageFundedChoices.toString()).toBe('5/4');
  });

  it('report a broken tie with the key that decided it', () => {
    const tied = parsePb(PB.replace('C;40;Crossing', 'C;60;Crossing').replace('v4;A', 'v4;A\nv5;C'));
    const d = countDetailed(tied, { ...params, rule: 'greedy', tieBreak: ['id'] });
    expect(d.result.ties).toEqual([{ phase: 'greedy', step: 0, projects: ['A', 'C'], chosen: 'A', decidedBy: 'id' }]);
  });
});
