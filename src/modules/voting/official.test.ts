import { describe, it, expect } from 'vitest';
import { Rational } from '../../lib/rational.ts';
import { count } from './count.ts';
import { metaValue, officialSelection } from './instance.ts';
import type { CountParams } from './rules.ts';
import { PABULIB_DIR, greedyChecks, hasPabulib, loadPb } from './test-data.ts';

const why = hasPabulib ? '' : ` (skipped: ${PABULIB_DIR} not found)`;

/** The rule the three cities used: MES with cost utilities and add1, Wieliczka with comparison. */
function officialParams(comparison: boolean, start: 'exact' | 'integer'): CountParams {
  return {
    rule: 'mes',
    utility: 'cost',
    completion: { add1: { stopWhenExhaustive: false, start, step: Rational.ONE }, utilitarian: false },
    comparison,
    tieBreak: ['cost', 'votes', 'id'],
  };
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe.skipIf(!hasPabulib)(`official Method of Equal Shares outcomes${why}`, () => {
  const cases = [
    ['Netherlands_Assen_2024.pb', 'equalshares/add1'],
    ['Poland_Swiecie_2023.pb', 'equalshares/add1'],
    ['Poland_Wieliczka_2023_Green_Budget.pb', 'equalshares/add1-comparison'],
  ] as const;
  for (const [file, rule] of cases) {
    it(`reproduces ${file} (${rule}) exactly`, () => {
      const inst = loadPb(file);
      expect(metaValue(inst, 'rule')).toBe(rule);
      const official = officialSelection(inst) ?? [];
      const res = count(inst, officialParams(rule.endsWith('comparison'), 'exact'));
      expect(sorted(res.winners)).toEqual(sorted(official));
      expect(res.totalCost.le(inst.budget)).toBe(true);
      expect(res.params.completion.add1?.stopWhenExhaustive).toBe(false);
      expect(res.add1?.stoppedBecause).toBe('over-budget');
      if (rule.endsWith('comparison')) expect(res.comparison?.switchedToGreedy).toBe(false);
    });
  }

  it('reproduces Assen with the equalshares.net integer budgets too', () => {
    const inst = loadPb('Netherlands_Assen_2024.pb');
    const res = count(inst, officialParams(false, 'integer'));
    expect(sorted(res.winners)).toEqual(sorted(officialSelection(inst) ?? []));
    expect(res.perVoterBudget?.isInteger()).toBe(true);
  });

  it('differs from the official Wieliczka outcome when add1 stops at the first exhaustive outcome', () => {
    const inst = loadPb('Poland_Wieliczka_2023_Green_Budget.pb');
    const p = officialParams(true, 'exact');
    if (p.completion.add1) p.completion.add1.stopWhenExhaustive = true;
    const res = count(inst, p);
    expect(res.add1?.stoppedBecause).toBe('exhaustive');
    expect(sorted(res.winners)).not.toEqual(sorted(officialSelection(inst) ?? []));
  });
});

describe.skipIf(!hasPabulib)(`greedy reproduces every file GREEDY_CHECKS.tsv marks reproducible${why}`, () => {
  const rows = hasPabulib ? greedyChecks() : [];
  const wanted = rows.filter((r) => r['greedy_skip_eq_selected'] === 'True' || r['greedy_noskip_eq_selected'] === 'True');
  it('has the expected checks', () => {
    expect(wanted.length).toBeGreaterThan(150);
  });
  // Files are read once each; both variants checked where marked. Ties go by file order,
  // as GREEDY_CHECKS.tsv was computed.
  for (const r of wanted) {
    const file = r['file'] as string;
    it(file, () => {
      const inst = loadPb(file);
      const official = sorted(officialSelection(inst) ?? []);
      for (const [flag, rule] of [['greedy_skip_eq_selected', 'greedy'], ['greedy_noskip_eq_selected', 'greedy-stop']] as const) {
        if (r[flag] !== 'True') continue;
        const res = count(inst, {
          rule,
          utility: 'cost',
          completion: { add1: null, utilitarian: false },
          comparison: false,
          tieBreak: ['order'],
        });
        expect(sorted(res.winners), `${file} ${rule}`).toEqual(official);
      }
    });
  }
});
