import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Rational } from '../../lib/rational.ts';
import { count, countDetailed } from './count.ts';
import { explainProjects } from './explain.ts';
import { metaValue, officialSelection, totalCost } from './instance.ts';
import type { Instance } from './instance.ts';
import { parsePb } from './pabulib.ts';
import { projectStats, thresholdFromMeta } from './rules.ts';
import type { CountParams, RuleName } from './rules.ts';
import { PABULIB_DIR, hasPabulib } from './test-data.ts';

const why = hasPabulib ? '' : ` (skipped: ${PABULIB_DIR} not found)`;
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

const none = { add1: null, utilitarian: false };
function params(rule: RuleName, threshold: CountParams['threshold'], tieBreak: CountParams['tieBreak'] = ['order']): CountParams {
  return { rule, utility: 'cost', completion: none, comparison: false, tieBreak, ...(threshold ? { threshold } : {}) };
}

/**
 * The official outcomes no rule within the budget can give, and why (checked below, so that
 * a file listed here for the wrong reason fails).
 */
const KNOWN: Record<string, 'over-budget' | 'below-threshold-funded' | 'custom-rule'> = {
  // The city funded more than the budget: the official selection costs more than META budget.
  'Poland_Gdynia_2020_Babie_Doly__small.pb': 'over-budget',
  'Poland_Gdynia_2024_Wielki_Kack__large.pb': 'over-budget',
  'Poland_Katowice_2024_Bogucice.pb': 'over-budget',
  'Poland_Katowice_2024_Podlesie.pb': 'over-budget',
  // A project below the threshold was funded anyway.
  'Poland_Katowice_2022_Kostuchna.pb': 'below-threshold-funded',
  // rule;greedy-custom: a city-specific rule, not greedy with a threshold.
  'Poland_Lodz_2020.pb': 'custom-rule',
};

describe('greedy-threshold', () => {
  const inst = parsePb(`META
key;value
budget;100
vote_type;approval
min_project_score_threshold;3
PROJECTS
project_id;cost
A;50
B;30
C;10
VOTES
voter_id;vote
1;A,B,C
2;A,B
3;A,B
4;A,C
`);

  it('reads the threshold from META and funds only projects whose score reaches it (≥)', () => {
    const t = thresholdFromMeta(inst.meta);
    expect(t?.minScore?.toString()).toBe('3');
    // C has 2 votes < 3: not funded although 20 is left.
    expect(count(inst, params('greedy-threshold', t, ['cost'])).winners).toEqual(['A', 'B']);
    expect(count(inst, params('greedy', undefined, ['cost'])).winners).toEqual(['A', 'B', 'C']);
    // B has exactly 3 votes: it reaches a threshold of 3.
    expect(count(inst, params('greedy-threshold', { minScore: Rational.of(4) }, ['cost'])).winners).toEqual(['A']);
  });

  it('takes a minimum share of voters too, and explains what it left out', () => {
    const d = countDetailed(inst, params('greedy-threshold', { minShare: Rational.of(3, 4) }, ['cost']));
    expect(d.result.winners).toEqual(['A', 'B']);
    const c = explainProjects(inst, d).find((e) => e.project === 'C');
    expect(c?.reason).toBe('not-funded-below-threshold');
  });
});

describe.skipIf(!hasPabulib)(`greedy with the threshold reproduces the selected column of every Pabulib file that has one${why}`, () => {
  const files = hasPabulib
    ? readdirSync(PABULIB_DIR).filter((f) => f.endsWith('.pb')).sort()
    : [];
  const withThreshold: { file: string; inst: Instance }[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(PABULIB_DIR, file), 'utf8');
    // Cheap look at META before parsing the whole file.
    const head = text.slice(0, text.search(/^PROJECTS/im));
    if (!/^(min_project_score_threshold|min_project_share_threshold|min_share);/m.test(head)) continue;
    const inst = parsePb(text);
    if (officialSelection(inst) === undefined) continue;
    withThreshold.push({ file, inst });
  }

  it('finds the files and matches all but the explained exceptions', () => {
    expect(withThreshold.length).toBe(108);
    let matched = 0;
    const mismatched: string[] = [];
    for (const { file, inst } of withThreshold) {
      const threshold = thresholdFromMeta(inst.meta);
      // greedy-no-skip: stop at the first project that does not fit; otherwise skip it.
      const rule: RuleName = metaValue(inst, 'rule') === 'greedy-no-skip' ? 'greedy-stop' : 'greedy-threshold';
      const res = count(inst, params(rule, threshold));
      const official = sorted(officialSelection(inst) ?? []);
      if (JSON.stringify(sorted(res.winners)) === JSON.stringify(official)) matched++;
      else mismatched.push(file);
    }
    expect(mismatched).toEqual(Object.keys(KNOWN).sort());
    expect(matched).toBe(102);
  });

  it.each(Object.entries(KNOWN))('%s cannot be reproduced because: %s', (file, reason) => {
    const found = withThreshold.find((w) => w.file === file);
    expect(found).toBeDefined();
    const inst = (found as { inst: Instance }).inst;
    const official = (officialSelection(inst) ?? []).map((id) => inst.projects.findIndex((p) => p.id === id));
    const t = thresholdFromMeta(inst.meta);
    const stats = projectStats(inst);
    if (reason === 'over-budget') expect(totalCost(inst, official).gt(inst.budget)).toBe(true);
    if (reason === 'below-threshold-funded') {
      expect(totalCost(inst, official).le(inst.budget)).toBe(true);
      expect(official.some((j) => (stats.score[j] as Rational).lt(t?.minScore as Rational))).toBe(true);
    }
    if (reason === 'custom-rule') expect(metaValue(inst, 'rule')).toBe('greedy-custom');
  });
});
