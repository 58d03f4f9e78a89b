import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BltParseError, parseBlt, writeBlt, type Blt } from './blt.ts';
import { countStv, fmt, lotTicket, units } from './count.ts';
import {
  EDINBURGH_DIR,
  GLASGOW_DIR,
  SCOT2017_BLT_DIR,
  filesIn,
  hasEdinburgh,
  hasGlasgow,
  hasScot2017,
  loadBlt,
  loadOfficialWards,
  matchCandidate,
  matchWard,
  parseDroopReport,
  skipReason,
} from './test-data.ts';

const tidy = (s: string) => s.trim().replace(/\s+/g, ' ');

describe('parseBlt', () => {
  it('reads the header, withdrawn line, weighted ballots, quoted and unquoted names, title, comments and CRLF', () => {
    const b = parseBlt('# a comment\r\n3 2   \r\n-2\r\n4 1 3 0\r\n2 3 0 # two papers\r\n\r\n1 2 1 0\r\n0\r\n"Ann  Lee"\r\nBob Roe (Ind)\r\n"Cy"\r\n"Test #1"\r\n');
    expect(b.seats).toBe(2);
    expect(b.candidates).toEqual(['Ann Lee', 'Bob Roe (Ind)', 'Cy']);
    expect(b.withdrawn).toEqual([1]);
    expect(b.ballots).toEqual([
      { weight: 4, prefs: [0, 2] },
      { weight: 2, prefs: [2] },
      { weight: 1, prefs: [1, 0] },
    ]);
    expect(b.title).toBe('Test #1');
  });

  it('splits several quoted names on one line and round-trips through writeBlt', () => {
    const b = parseBlt('2 1\n3 1 2 0\n0\n"A" "B"\n"T"\n');
    expect(b.candidates).toEqual(['A', 'B']);
    expect(parseBlt(writeBlt(b))).toEqual(b);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['a rank out of range', '2 1\n1 1 3 0\n0\n"A"\n"B"\n', /^line 2: rank 2: candidate 3 is out of range \(1–2\)/],
    ['a candidate ranked twice', '2 1\n1 0\n1 2 1 2 0\n0\n"A"\n"B"\n', /^line 3: candidate 2 is ranked twice/],
    ['a ballot line without its 0', '2 1\n1 1 2\n0\n"A"\n"B"\n', /^line 2: the ballot line does not end with 0/],
    ['no end-of-ballots 0', '2 1\n1 1 2 0\n"A"\n"B"\n', /^line 3: missing the "0" line/],
    ['too few names', '3 1\n1 1 2 0\n0\n"A"\n"B"\n', /^line 6: too few names: 3 candidates but 2 names/],
    ['a bad header', 'three 1\n', /^line 1: expected two whole numbers/],
    ['more seats than candidates', '2 3\n0\n"A"\n"B"\n', /^line 1: 3 seats but only 2 candidates/],
    ['a fractional weight', '2 1\n1.5 1 0\n0\n"A"\n"B"\n', /^line 2: the ballot weight must be a whole number/],
    ['equal rankings', '2 1\n1 1=2 0\n0\n"A"\n"B"\n', /^line 2: equal rankings/],
    ['a withdrawn candidate out of range', '2 1\n-3\n0\n"A"\n"B"\n', /^line 2: withdrawn candidate 3/],
    ['duplicate names', '2 1\n1 1 0\n0\n"A"\n"A"\n', /^line 5: candidate 2 has the same name as candidate 1/],
    ['an empty file', '', /^line 1: empty file/],
  ];
  for (const [what, text, re] of bad) {
    it(`refuses ${what}, naming the line`, () => {
      let e: unknown;
      try {
        parseBlt(text);
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(BltParseError);
      expect((e as Error).message).toMatch(re);
    });
  }
});

describe('countStv: the rules on small cases', () => {
  it('rule 46: the Droop quota ⌊valid/(seats+1)⌋+1', () => {
    const r = countStv(parseBlt('3 2\n5 1 0\n3 2 0\n2 3 0\n0\n"A"\n"B"\n"C"\n"T"\n'));
    expect(r.valid).toBe(10);
    expect(r.quota).toBe(4);
  });

  it('rule 48(3): transfer values to five decimal places, the remainder ignored, and the loss recorded', () => {
    // A has 7 of 9 papers, quota ⌊9/2⌋+1 = 5, surplus 2: each paper is worth ⌊2/7⌋ = 0.28571 (0.285714… truncated).
    const r = countStv(parseBlt('3 1\n7 1 2 0\n1 2 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"T"\n'), { seats: 2 });
    expect(r.quota).toBe(4); // seats overridden: ⌊9/3⌋+1
    const s2 = r.stages[1]!;
    expect(s2.action).toBe('surplus');
    expect(s2.candidate).toBe('A');
    expect(s2.transferValue).toBe('0.42857'); // surplus 3 / 7 = 0.428571…
    expect(s2.votes['B']).toBe('3.99999'); // 1 + 7 × 0.42857
    expect(s2.loss).toBe('0.00001'); // 3 − 7 × 0.42857
    expect(units(s2.votes['A']!) + units(s2.votes['B']!) + units(s2.votes['C']!) + units(s2.nonTransferable) + units(s2.loss)).toBe(9 * 100_000);
  });

  it('rule 48(4): a surplus of transferred papers uses the value they arrived with', () => {
    // Quota 4 (11 papers, 2 seats). A 8: surplus 4 → each of A's papers worth 0.5 to B. B then 1 + 4 = 5 ≥ 4: surplus 1 over 5 votes:
    // first-preference paper worth ⌊1×1/5⌋ = 0.2, the 8 papers from A worth ⌊1×0.5/5⌋ = 0.1.
    const r = countStv(parseBlt('4 3\n8 1 2 3 0\n1 2 4 0\n2 4 0\n0\n"A"\n"B"\n"C"\n"D"\n"T"\n'));
    expect(r.quota).toBe(3);
    const byName = (n: number) => r.stages[n - 1]!;
    expect(byName(2).candidate).toBe('A');
    expect(byName(2).transferValue).toBe('0.62500'); // (8 − 3) / 8
    expect(byName(2).votes['B']).toBe('6.00000'); // 1 + 8 × 0.625
    expect(byName(3).candidate).toBe('B');
    expect(byName(3).transferValue).toBe('0.50000'); // (6 − 3) / 6
    // The 8 A papers were worth 0.625: now ⌊3 × 0.625 / 6⌋ = 0.3125; the 1 B paper ⌊3/6⌋ = 0.5 → D.
    expect(byName(3).votes['C']).toBe('2.50000');
    expect(byName(3).votes['D']).toBe('2.50000');
  });

  it('rule 49(1): with two surpluses, the larger is transferred first, one per stage', () => {
    const r = countStv(parseBlt('3 2\n5 1 3 0\n7 2 3 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"T"\n'), { seats: 2 });
    expect(r.stages[0]!.elected).toEqual(['B', 'A']);
    // Both elected at stage 1 and seats filled: no transfer needed.
    expect(r.stages).toHaveLength(1);
    const r3 = countStv(parseBlt('4 3\n6 1 4 0\n8 2 3 0\n1 3 0\n2 4 0\n0\n"A"\n"B"\n"C"\n"D"\n"T"\n'));
    expect(r3.quota).toBe(5);
    expect(r3.stages.slice(1, 3).map((s) => [s.action, s.candidate])).toEqual([
      ['surplus', 'B'],
      ['surplus', 'A'],
    ]);
  });

  it('rule 50: with no surplus, the lowest is excluded and their papers move at full value', () => {
    const r = countStv(parseBlt('3 1\n4 1 0\n3 2 0\n2 3 2 0\n0\n"A"\n"B"\n"C"\n"T"\n'));
    expect(r.quota).toBe(5);
    expect(r.stages[1]).toMatchObject({ action: 'exclusion', candidate: 'C', excluded: ['C'] });
    expect(r.stages[1]!.votes['B']).toBe('5.00000');
    expect(r.elected).toEqual(['B']);
  });

  it('rule 52: when continuing candidates equal the vacancies left, they are elected with no further transfer', () => {
    const r = countStv(parseBlt('3 2\n6 1 2 0\n2 2 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"T"\n'));
    // quota 4; A elected with surplus 2; B 2, C 1: transfer A's surplus (B → 4 = quota, elected).
    expect(r.elected).toEqual(['A', 'B']);
    const r2 = countStv(parseBlt('3 2\n6 1 0\n2 2 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"T"\n'));
    // A's surplus is all non-transferable; C excluded; B alone left for the last seat: deemed elected.
    expect(r2.elected).toEqual(['A', 'B']);
    expect(r2.stages[r2.stages.length - 1]!.elected).toEqual(['B']);
  });

  it('rule 51(2)(b): a tie at every stage is drawn by lot from the seed, reproducibly, the draw recorded', () => {
    const blt = parseBlt('3 1\n2 1 0\n2 2 0\n3 3 0\n0\n"A"\n"B"\n"C"\n"T"\n');
    const a = countStv(blt, { seed: 'agm-2026' });
    const b = countStv(blt, { seed: 'agm-2026' });
    expect(a).toEqual(b);
    const t = a.tieBreaks[0]!;
    expect(t).toMatchObject({ stage: 2, kind: 'exclusion', rule: '51(2)(b)', method: 'lot', tied: ['A', 'B'], seed: 'agm-2026' });
    const lowest = ['A', 'B'].sort((x, y) => (lotTicket('agm-2026', 2, x) < lotTicket('agm-2026', 2, y) ? -1 : 1))[0];
    expect(t.chosen).toBe(lowest);
    // Another seed may draw the other way, and every draw says which seed it used.
    const other = countStv(blt, {});
    expect(other.tieBreaks[0]!.seed).toBe(other.seed);
  });

  it('a surplus tie is broken by the most recent stage where the candidates differed (rule 49(2))', () => {
    // Quota 11 (40 papers, 3 seats). Stage 1: B 9, C 8, D 7, E 8, F 8. D is excluded: 3 papers to B, 4 to C,
    // so both have 12 (surplus 1 each); at stage 1 B had more: B's surplus goes first.
    const r = countStv(parseBlt('5 3\n9 1 0\n8 2 0\n3 3 1 0\n4 3 2 0\n8 4 0\n8 5 0\n0\n"B"\n"C"\n"D"\n"E"\n"F"\n"T"\n'));
    expect(r.quota).toBe(11);
    expect(r.stages[1]).toMatchObject({ action: 'exclusion', candidate: 'D', elected: ['B', 'C'] });
    expect(r.tieBreaks[0]).toEqual({ stage: 3, kind: 'surplus', rule: '49(2)', method: 'prior-stage', tied: ['B', 'C'], chosen: 'B', priorStage: 1 });
    expect(r.stages[2]).toMatchObject({ action: 'surplus', candidate: 'B' });
  });

  it('formats units of 10⁻⁵ exactly', () => {
    expect(fmt(123456789)).toBe('1234.56789');
    expect(fmt(5)).toBe('0.00005');
    expect(fmt(-100000)).toBe('-1.00000');
    expect(units('0.00005')).toBe(5);
  });

  it('skips a withdrawn candidate on every paper', () => {
    const r = countStv(parseBlt('3 1\n-1\n4 1 2 0\n3 3 0\n0\n"A"\n"B"\n"C"\n"T"\n'));
    expect(r.valid).toBe(7);
    expect(r.stages[0]!.votes['A']).toBe('0.00000');
    expect(r.elected).toEqual(['B']);
  });
});

describe.skipIf(!hasGlasgow)(`Glasgow 2007: equal to Droop's scotland reference reports stage by stage${skipReason(GLASGOW_DIR, hasGlasgow)}`, () => {
  const wards = hasGlasgow ? filesIn(path.join(GLASGOW_DIR, 'blt'), '.blt').filter((f) => !f.startsWith('weak-')) : [];
  it('has the 21 wards', () => expect(wards).toHaveLength(21));
  for (const f of wards) {
    it(f, () => {
      const r = countStv(loadBlt(path.join(GLASGOW_DIR, 'blt', f)));
      const ref = parseDroopReport(readFileSync(path.join(GLASGOW_DIR, 'ref_report', f.replace('.blt', '-scotland-fixed-p5-d5.txt')), 'utf8'));
      expect(fmt(r.quota * 100_000)).toBe(ref.quota);
      expect(r.stages).toHaveLength(ref.stages.length);
      let checked = 0;
      ref.stages.forEach((s, i) => {
        for (const [name, v] of s.votes) {
          expect({ stage: i + 1, name: tidy(name), v: r.stages[i]!.votes[tidy(name)] }).toEqual({ stage: i + 1, name: tidy(name), v });
          checked++;
        }
      });
      expect(checked).toBeGreaterThan(r.candidates.length * 4);
      expect([...r.elected].sort()).toEqual(ref.elected.map(tidy).sort());
    });
  }

  it('weak-defeat.blt: the tie between B and C is broken by the most recent stage where they differed (rule 51(2)(a))', () => {
    const r = countStv(loadBlt(path.join(GLASGOW_DIR, 'blt', 'weak-defeat.blt')), { seed: 's' });
    expect(r.tieBreaks).toEqual([{ stage: 3, kind: 'exclusion', rule: '51(2)(a)', method: 'prior-stage', tied: ['B', 'C'], chosen: 'B', priorStage: 1 }]);
    expect(r.stages.map((s) => s.candidate)).toEqual([null, 'A', 'B', 'C']);
    expect(r.elected).toEqual(['E', 'D']);
  });

  it('weak-surplus.blt: B and C reach the quota exactly, so there is no surplus to transfer (rule 48(1)); E and F, equal at every stage, are drawn by lot (rule 51(2)(b))', () => {
    const blt = loadBlt(path.join(GLASGOW_DIR, 'blt', 'weak-surplus.blt'));
    for (const seed of ['s1', 's2', 's3', 's4']) {
      const r = countStv(blt, { seed });
      expect(r.stages.map((s) => [s.action, s.candidate])).toEqual([
        ['first', null],
        ['surplus', 'A'],
        ['exclusion', r.tieBreaks[0]!.chosen],
      ]);
      expect(r.tieBreaks).toHaveLength(1);
      expect(r.tieBreaks[0]).toMatchObject({ stage: 3, kind: 'exclusion', rule: '51(2)(b)', method: 'lot', tied: ['E', 'F'], seed });
      expect(r.elected).toEqual(['A', 'B', 'C', 'D']);
    }
    const ref = parseDroopReport(readFileSync(path.join(GLASGOW_DIR, 'ref_report', 'weak-surplus-scotland-fixed-p5-d5.txt'), 'utf8'));
    expect(ref.elected.sort()).toEqual(['A', 'B', 'C', 'D']);
  });

});

describe.skipIf(!hasScot2017)(`Scotland 2017 (scot-elex cleaned CVRs) elect the officially elected${skipReason(SCOT2017_BLT_DIR, hasScot2017)}`, () => {
  it('every ward that matches an official result elects the same candidates; the unmatched are only the two by-elections', () => {
    const official = loadOfficialWards();
    const files = filesIn(SCOT2017_BLT_DIR, '.blt');
    const unmatched: string[] = [];
    const mismatched: string[] = [];
    let matched = 0;
    for (const f of files) {
      const blt = loadBlt(path.join(SCOT2017_BLT_DIR, f));
      const o = matchWard(blt.title, blt.candidates, official);
      if (!o) {
        unmatched.push(f);
        continue;
      }
      const r = countStv(blt, { seed: f });
      const want = o.candidates
        .filter((g) => g.Status === 'Elected')
        .map((g) => blt.candidates[matchCandidate(g, blt.candidates)]!)
        .sort();
      expect(r.seats).toBe(o.seats);
      if (JSON.stringify(want) === JSON.stringify([...r.elected].sort())) matched++;
      else mismatched.push(`${f}: official ${want.join(', ')}; counted ${r.elected.join(', ')}`);
    }
    console.log(`Scotland 2017: ${matched} of ${files.length} wards elect the official candidates; unmatched (not in the official data): ${unmatched.join(', ')}`);
    expect(mismatched).toEqual([]);
    // The by-elections held after May 2017 are not in the council17 results (the May main election only).
    expect(unmatched).toEqual(['aberdeenshire_2017_by_election_inverurie.blt', 'perth_kinross_2017_by_election_ward_10.blt']);
    expect(matched).toBe(351);
  });
});

describe.skipIf(!hasEdinburgh)(`Edinburgh 2017 elects the official councillors${skipReason(EDINBURGH_DIR, hasEdinburgh)}`, () => {
  it('all 17 wards', () => {
    const official = JSON.parse(readFileSync(path.join(EDINBURGH_DIR, 'official_elected_by_ward_number.json'), 'utf8')) as Record<string, string[]>;
    const files = filesIn(EDINBURGH_DIR, '.csv');
    expect(files).toHaveLength(17);
    for (const f of files) {
      const k = /^ward_(\d+)_/.exec(f)![1]!;
      const r = countStv(loadBlt(path.join(EDINBURGH_DIR, f)));
      expect({ ward: k, elected: [...r.elected].sort() }).toEqual({ ward: k, elected: official[`ward_${k}`]!.map(tidy).sort() });
    }
  });
});

describe('properties', () => {
  const election = fc
    .record({
      nc: fc.integer({ min: 1, max: 8 }),
      seats: fc.integer({ min: 1, max: 5 }),
      ballots: fc.array(fc.record({ w: fc.integer({ min: 1, max: 40 }), order: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 8 }) }), { minLength: 1, maxLength: 30 }),
    })
    .map(({ nc, seats, ballots }): Blt => ({
      seats: Math.min(seats, nc),
      candidates: Array.from({ length: nc }, (_, i) => `C${i + 1}`),
      withdrawn: [],
      ballots: ballots
        .map((b) => ({ weight: b.w, prefs: [...new Set(b.order.filter((c) => c < nc))] }))
        .filter((b) => b.prefs.length > 0),
      title: 't',
    }))
    .filter((b) => b.ballots.length > 0);

  it('totals are conserved at every stage: votes + non-transferable + truncation loss = valid', () => {
    fc.assert(
      fc.property(election, (blt) => {
        const r = countStv(blt, { seed: 'p' });
        for (const s of r.stages) {
          const sum = Object.values(s.votes).reduce((a, v) => a + units(v), 0) + units(s.nonTransferable) + units(s.loss);
          expect(sum).toBe(r.valid * 100_000);
          expect(units(s.loss)).toBeGreaterThanOrEqual(0);
          // The loss is at most one unit per paper per surplus transfer so far.
          const surpluses = r.stages.filter((x) => x.n <= s.n && x.action === 'surplus').length;
          expect(units(s.loss)).toBeLessThanOrEqual(surpluses * r.valid);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('exactly the number of seats are elected (when there are enough candidates), each once; the count is deterministic for a seed', () => {
    fc.assert(
      fc.property(election, (blt) => {
        const r = countStv(blt, { seed: 'p' });
        expect(r.elected).toHaveLength(Math.min(blt.seats, blt.candidates.length));
        expect(new Set(r.elected).size).toBe(r.elected.length);
        expect(r.stages.flatMap((s) => s.elected)).toEqual(r.elected);
        expect(countStv(blt, { seed: 'p' })).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });

  it('a candidate with the quota at the first stage is elected', () => {
    fc.assert(
      fc.property(election, (blt) => {
        const r = countStv(blt, { seed: 'p' });
        for (const [name, v] of Object.entries(r.stages[0]!.votes)) if (units(v) >= r.quota * 100_000) expect(r.elected).toContain(name);
      }),
      { numRuns: 200 },
    );
  });
});
