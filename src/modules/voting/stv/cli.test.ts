import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStvCommand } from './cli.ts';
import { main } from '../../../server/cli.ts';
import { GLASGOW_DIR, hasGlasgow, skipReason } from './test-data.ts';

// Quota 4 (9 papers, 2 seats): Ann 5 (surplus 1 → Cy at 0.2 a paper), Bob 2, Cy 2 → 3: Bob excluded (his
// papers have no next preference), Cy the only continuing candidate for the last seat (rule 52).
const BLT = `3 2
5 1 3 0
2 2 0
2 3 2 0
0
"Ann"
"Bob"
"Cy"
"Small test"
`;

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stv-cli-'));
  file = path.join(dir, 'small.blt');
  writeFileSync(file, BLT);
  writeFileSync(path.join(dir, 'twice.blt'), BLT.replace('2 3 2 0', '2 3 2 3 0'));
  writeFileSync(path.join(dir, 'range.blt'), BLT.replace('2 2 0', '2 2 4 0'));
  writeFileSync(path.join(dir, 'nozero.blt'), BLT.replace('5 1 3 0', '5 1 3'));
  writeFileSync(path.join(dir, 'names.blt'), BLT.replace('"Cy"\n"Small test"\n', ''));
  writeFileSync(path.join(dir, 'tie.blt'), '3 1\n2 1 0\n2 2 0\n3 3 0\n0\n"A"\n"B"\n"C"\n"T"\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runStvCommand(argv, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe('stv CLI', () => {
  it('--json: elected in order, quota and stages', async () => {
    const { code, text } = await run('count', file, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(text) as { elected: string[]; quota: number; valid: number; stages: Array<{ n: number; action: string; candidate: string | null; votes: Record<string, string> }> };
    expect(out.elected).toEqual(['Ann', 'Cy']);
    expect(out.quota).toBe(4);
    expect(out.valid).toBe(9);
    expect(out.stages.map((s) => [s.n, s.action, s.candidate])).toEqual([
      [1, 'first', null],
      [2, 'surplus', 'Ann'],
      [3, 'exclusion', 'Bob'],
    ]);
    expect(out.stages[1]!.votes).toEqual({ Ann: '4.00000', Bob: '2.00000', Cy: '3.00000' });
  });

  it('prints the stage table (candidates as rows, transfer and total per stage) and the elected', async () => {
    const { code, text } = await run('count', file);
    expect(code).toBe(0);
    expect(text).toContain('Small test: 2 seats, 9 valid ballot papers, quota 4');
    expect(text).toContain('Stage 2: surplus of Ann (1.00000) transferred, transfer value 0.20000');
    expect(text).toContain('Stage 3: Bob excluded');
    expect(text).toMatch(/^Ann\s+5\.00000\*\s+-1\.00000\s+4\.00000/m);
    expect(text).toMatch(/^Cy\s+2\.00000\s+\+1\.00000\s+3\.00000\s+3\.00000\*/m); // rule 52: the last continuing candidate
    expect(text).toMatch(/^Non-transferable/m);
    expect(text).toContain('Elected (in order): Ann, Cy');
  });

  it('--seats overrides the file', async () => {
    const { code, text } = await run('count', file, '--seats', '1', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(text) as { elected: string[]; quota: number; seats: number };
    expect(out).toMatchObject({ elected: ['Ann'], quota: 5, seats: 1 });
  });

  it('--seed makes a drawing of lots reproducible and the draw is printed', async () => {
    const a = await run('count', path.join(dir, 'tie.blt'), '--seed', 'agm', '--json');
    const b = await run('count', path.join(dir, 'tie.blt'), '--seed=agm', '--json');
    expect(a.text).toBe(b.text);
    const out = JSON.parse(a.text) as { seed: string; tieBreaks: Array<{ method: string; seed: string }> };
    expect(out.seed).toBe('agm');
    expect(out.tieBreaks[0]).toMatchObject({ method: 'lot', seed: 'agm' });
    const table = await run('count', path.join(dir, 'tie.blt'), '--seed', 'agm');
    expect(table.text).toMatch(/Tie at stage 2 \(exclusion, rule 51\(2\)\(b\)\) between A, B: drawn by lot with seed "agm"/);
  });

  for (const [f, re] of [
    ['twice.blt', /^error: line 4: candidate 3 is ranked twice/],
    ['range.blt', /^error: line 3: rank 2: candidate 4 is out of range/],
    ['nozero.blt', /^error: line 2: the ballot line does not end with 0/],
    ['names.blt', /^error: line \d+: too few names: 3 candidates but 2 names/],
  ] as const) {
    it(`a malformed BLT (${f}) exits 2 with "line N: …"`, async () => {
      const { code, text } = await run('count', path.join(dir, f));
      expect(code).toBe(2);
      expect(text).toMatch(re);
    });
  }

  it('bad arguments exit 2; an unreadable file exits 1; --help explains', async () => {
    expect((await run('count')).code).toBe(2);
    expect((await run('count', file, '--seats', 'x')).text).toMatch(/--seats must be a whole number/);
    expect((await run('count', file, '--seats', '4')).code).toBe(2);
    expect((await run('count', file, '--bogus')).text).toMatch(/unknown option --bogus/);
    expect((await run('recount')).code).toBe(2);
    const missing = await run('count', path.join(dir, 'absent.blt'));
    expect(missing.code).toBe(1);
    expect(missing.text).toMatch(/cannot read .*absent\.blt: ENOENT/);
    const help = await run('count', '--help');
    expect(help.code).toBe(0);
    expect(help.text).toMatch(/Scottish Local Government Elections Order 2007/);
    expect(help.text).toMatch(/--seats N/);
    expect(help.text).toMatch(/--seed S/);
    expect(help.text).toMatch(/--json/);
  });

  it('is dispatched by parent-mutual like pb (no database, no config)', async () => {
    const lines: string[] = [];
    const code = await main(['stv', 'count', file, '--json'], (s) => lines.push(s), (s) => lines.push(s));
    expect(code).toBe(0);
    expect((JSON.parse(lines.join('\n')) as { elected: string[] }).elected).toEqual(['Ann', 'Cy']);
    const listed: string[] = [];
    await main(['--help'], (s) => listed.push(s));
    expect(listed.join('\n')).toMatch(/stv\s+Count a single transferable vote/);
  });

  it.skipIf(!hasGlasgow)(`counts a real ward${skipReason(GLASGOW_DIR, hasGlasgow)}`, async () => {
    const { code, text } = await run('count', path.join(GLASGOW_DIR, 'blt', 'Anderston-City-2007.blt'), '--json');
    expect(code).toBe(0);
    const out = JSON.parse(text) as { elected: string[]; quota: number };
    expect(out).toMatchObject({ quota: 1381, elected: ['Craig MacKay', 'Philip Braat', 'Nina Baker', 'Gordon Matheson'] });
  });
});
