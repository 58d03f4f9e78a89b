import { beforeAll, describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Rational } from '../../lib/rational.ts';
import { count } from './count.ts';
import type { Instance } from './instance.ts';
import { prepareMes, runMes } from './mes.ts';
import { projectStats } from './rules.ts';
import type { CountParams, TieBreakKey } from './rules.ts';
import { ABCVOTING_DIR, hasAbcvoting } from './test-data.ts';

interface AbcFile {
  profile: number[][];
  num_cand: number;
  committeesize: number;
  compute: { rule_id: string; result: number[][]; resolute: boolean }[];
}

/** abcvoting instance as PB: candidates cost 1, budget = committee size. */
function toInstance(f: AbcFile): Instance {
  return {
    meta: [['budget', String(f.committeesize)]],
    budget: Rational.of(f.committeesize),
    voteType: 'approval',
    projects: Array.from({ length: f.num_cand }, (_, c) => ({ id: String(c), name: String(c), cost: Rational.ONE, categories: [], targets: [], fields: {} })),
    ballots: f.profile.map((a, v) => ({ voterId: String(v), projects: [...a], fields: {} })),
    limits: {},
    projectColumns: ['project_id', 'cost'],
    voteColumns: ['voter_id', 'vote'],
    warnings: [],
  };
}

/** As pabutools compares: only candidates somebody approved, sorted; duplicates removed. */
function expected(f: AbcFile, ruleId: string, resolute: boolean, supported: Set<number>): string[] {
  const entry = f.compute.find((c) => c.rule_id === ruleId && c.resolute === resolute);
  if (!entry) return [];
  return [...new Set(entry.result.map((c) => key(c, supported)))];
}

const key = (c: readonly number[], supported: Set<number>): string => c.filter((x) => supported.has(x)).sort((a, b) => a - b).join(',');

const files = hasAbcvoting ? readdirSync(ABCVOTING_DIR).filter((f) => f.endsWith('.abc.yaml')).sort() : [];
const parsed = new Map<string, AbcFile>();
/** Each YAML file is parsed once for all three checks. */
function load(name: string): AbcFile {
  let f = parsed.get(name);
  if (!f) {
    f = parse(readFileSync(path.join(ABCVOTING_DIR, name), 'utf8')) as AbcFile;
    parsed.set(name, f);
  }
  return f;
}

describe.skipIf(!hasAbcvoting)(`abcvoting Method of Equal Shares expectations (unit costs)${hasAbcvoting ? '' : ` (skipped: ${ABCVOTING_DIR} not found)`}`, () => {
  // Parsing 400+ YAML files is most of the time: done once, with its own timeout, so that a busy
  // machine does not time out the checks themselves.
  beforeAll(() => {
    for (const name of files) load(name);
  }, 600_000);

  it('has the instances', () => {
    expect(files.length).toBeGreaterThan(400);
  });

  it('equal-shares-with-av-completion: MES + utilitarian completion gives one of the listed committees, for several tie-break orders', () => {
    let checked = 0;
    for (const name of files) {
      const f = load(name);
      const inst = toInstance(f);
      const supported = new Set(f.profile.flat());
      const allowed = expected(f, 'equal-shares-with-av-completion', false, supported);
      for (const tieBreak of [['id'], ['votes', 'id'], ['order']] as TieBreakKey[][]) {
        for (const utility of ['cost', 'cardinal'] as const) {
          const params: CountParams = { rule: 'mes', utility, completion: { add1: null, utilitarian: true }, comparison: false, tieBreak };
          const res = count(inst, params);
          expect(allowed, `${name} ${tieBreak.join(',')} ${utility}`).toContain(key(res.winners.map(Number), supported));
          checked++;
        }
      }
    }
    expect(checked).toBe(files.length * 6);
  });

  it('equal-shares-with-increment-completion: budget raised one unit at a time until a full committee', () => {
    for (const name of files) {
      const f = load(name);
      const inst = toInstance(f);
      const supported = new Set(f.profile.flat());
      const allowed = expected(f, 'equal-shares-with-increment-completion', true, supported);
      const k = f.committeesize;
      const prep = prepareMes(inst, projectStats(inst), 'cost');
      let got: number[];
      if (supported.size < k) {
        got = [...supported];
      } else {
        // abcvoting: per-voter budget k'/n for k' = k, k+1, …; MES stops at k winners.
        const n = BigInt(inst.ballots.length);
        for (let total = k; ; total++) {
          const run = runMes(prep, Rational.of(BigInt(total), n), ['id']);
          if (run.selected.length >= k) {
            got = run.selected.slice(0, k);
            break;
          }
        }
      }
      expect(allowed, name).toContain(key(got, supported));
    }
  });

  it('equal-shares: whenever plain MES fills the committee, it is one of the listed committees', () => {
    let full = 0;
    for (const name of files) {
      const f = load(name);
      const inst = toInstance(f);
      const supported = new Set(f.profile.flat());
      const res = count(inst, { rule: 'mes', utility: 'cost', completion: { add1: null, utilitarian: false }, comparison: false, tieBreak: ['id'] });
      if (res.winners.length !== f.committeesize) continue;
      full++;
      expect(expected(f, 'equal-shares', false, supported), name).toContain(key(res.winners.map(Number), supported));
    }
    expect(full).toBeGreaterThan(0);
  });
});
