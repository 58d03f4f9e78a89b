// Issue 12 item 4: the thresholds as a table test (pure).
import { describe, expect, it } from 'vitest';
import { decide, parseRule, ruleText } from './thresholds.ts';

describe('decide (thresholds)', () => {
  const cases: Array<[string, 'ordinary' | 'special', number, number, number, number, 'carried' | 'not_carried']> = [
    ['ordinary: more for than against', 'ordinary', 50, 10, 9, 0, 'carried'],
    ['ordinary: a tie is not carried', 'ordinary', 50, 7, 7, 3, 'not_carried'],
    ['ordinary: abstentions do not count as votes cast', 'ordinary', 50, 2, 1, 40, 'carried'],
    ['ordinary: zero votes cast is not carried', 'ordinary', 50, 0, 0, 12, 'not_carried'],
    ['ordinary: nothing at all is not carried', 'ordinary', 50, 0, 0, 0, 'not_carried'],
    ['ordinary: all against', 'ordinary', 50, 0, 5, 0, 'not_carried'],
    ['special: 75% exactly is carried', 'special', 75, 3, 1, 0, 'carried'],
    ['special: 75% exactly with abstentions is carried', 'special', 75, 75, 25, 100, 'carried'],
    ['special: 74.99% is not carried', 'special', 75, 7499, 2501, 0, 'not_carried'],
    ['special: 75.01% is carried', 'special', 75, 7501, 2499, 0, 'carried'],
    ['special: a simple majority is not enough', 'special', 75, 6, 4, 0, 'not_carried'],
    ['special: a tie is not carried', 'special', 75, 5, 5, 0, 'not_carried'],
    ['special: zero votes cast is not carried', 'special', 75, 0, 0, 9, 'not_carried'],
    ['special: unanimous is carried', 'special', 75, 1, 0, 0, 'carried'],
    ['special: 2/3 rule at 66.67% carried', 'special', 67, 67, 33, 0, 'carried'],
    ['special: 2/3 rule at 66.66% not carried', 'special', 67, 6666, 3334, 0, 'not_carried'],
    ['special: 100% rule with one against', 'special', 100, 99, 1, 0, 'not_carried'],
  ];
  for (const [name, kind, pct, f, a, abst, outcome] of cases) {
    it(name, () => {
      const d = decide({ kind, thresholdPct: pct, for: f, against: a, abstain: abst });
      expect(d.outcome).toBe(outcome);
      expect(d.cast).toBe(f + a);
      expect(d.abstain).toBe(abst);
    });
  }

  it('gives the figures with the share of votes cast for', () => {
    expect(decide({ kind: 'special', thresholdPct: 75, for: 7499, against: 2501, abstain: 4 })).toEqual({ outcome: 'not_carried', kind: 'special', thresholdPct: 75, for: 7499, against: 2501, abstain: 4, cast: 10000, forPct: 74.99 });
    expect(decide({ kind: 'ordinary', thresholdPct: 50, for: 0, against: 0, abstain: 4 }).forPct).toBeNull();
  });

  it('refuses negative or fractional counts and a threshold outside 50–100', () => {
    expect(() => decide({ kind: 'ordinary', thresholdPct: 50, for: -1, against: 0, abstain: 0 })).toThrow(RangeError);
    expect(() => decide({ kind: 'ordinary', thresholdPct: 50, for: 1.5, against: 0, abstain: 0 })).toThrow(RangeError);
    expect(() => decide({ kind: 'special', thresholdPct: 101, for: 1, against: 0, abstain: 0 })).toThrow(RangeError);
  });

  it('writes the rule and reads it back', () => {
    expect(parseRule(ruleText('ordinary', 50))).toEqual({ kind: 'ordinary', thresholdPct: 50 });
    expect(parseRule(ruleText('special', 75))).toEqual({ kind: 'special', thresholdPct: 75 });
    expect(parseRule('STV, 3 seats, quota 101')).toBeNull();
  });
});
