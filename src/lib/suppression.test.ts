import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Cell, SuppressedTable, SuppressTableInput } from './suppression.ts';
import { formatCell, suppressCount, suppressRate, suppressTable } from './suppression.ts';

/** The table as published, as a grid: data cells, totals column last, totals row last. */
function publishedGrid(t: SuppressedTable): Cell[][] {
  const grid: Cell[][] = t.rows.map((r) => (r.total ? [...r.cells, r.total] : [...r.cells]));
  if (t.columnTotals) grid.push(t.grandTotal ? [...t.columnTotals, t.grandTotal] : [...t.columnTotals]);
  return grid;
}

/** The true values in the same layout. */
function trueGrid(input: SuppressTableInput): number[][] {
  const C = input.rows[0]?.cells.length ?? 0;
  const grid = input.rows.map((r) => (input.rowTotals ? [...r.cells, r.cells.reduce((a, b) => a + b, 0)] : [...r.cells]));
  if (input.columnTotals) {
    const width = C + (input.rowTotals ? 1 : 0);
    grid.push(Array.from({ length: width }, (_, j) => grid.reduce((s, line) => s + (line[j] ?? 0), 0)));
  }
  return grid;
}

const P = 2_147_483_647n;
function modInv(a: bigint): bigint {
  let [r0, r1, s0, s1] = [((a % P) + P) % P, P, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % P) + P) % P;
}
function rank(rows: bigint[][]): number {
  const m = rows.map((r) => r.map((x) => ((x % P) + P) % P));
  const width = m[0]?.length ?? 0;
  let rk = 0;
  for (let col = 0; col < width && rk < m.length; col++) {
    const pivot = m.findIndex((r, idx) => idx >= rk && (r[col] ?? 0n) !== 0n);
    if (pivot < 0) continue;
    const tmp = m[pivot] as bigint[];
    m[pivot] = m[rk] as bigint[];
    m[rk] = tmp;
    const inv = modInv(tmp[col] ?? 0n);
    for (let r = 0; r < m.length; r++) {
      if (r === rk) continue;
      const row = m[r] as bigint[];
      const f = ((row[col] ?? 0n) * inv) % P;
      if (f === 0n) continue;
      for (let c = 0; c < width; c++) row[c] = (((row[c] ?? 0n) - f * (tmp[c] ?? 0n)) % P + P) % P;
    }
    rk++;
  }
  return rk;
}

/**
 * Independent oracle: which suppressed cells are determined exactly by the published table?
 * Unknowns are the suppressed cells; every line with a published total gives one linear equation.
 * A cell is derivable iff its unit vector lies in the row space of those equations.
 */
function derivableCells(input: SuppressTableInput, t: SuppressedTable): Array<[number, number]> {
  const grid = publishedGrid(t);
  const unknowns: Array<[number, number]> = [];
  grid.forEach((line, i) => line.forEach((c, j) => c.suppressed && unknowns.push([i, j])));
  if (unknowns.length === 0) return [];
  const idx = (i: number, j: number): number => unknowns.findIndex(([a, b]) => a === i && b === j);
  const nr = grid.length;
  const nc = grid[0]?.length ?? 0;
  const eqs: bigint[][] = [];
  if (input.rowTotals) {
    for (let i = 0; i < nr; i++) {
      const e = unknowns.map(() => 0n);
      for (let j = 0; j < nc; j++) {
        const k = idx(i, j);
        if (k >= 0) e[k] = j === nc - 1 ? -1n : 1n;
      }
      eqs.push(e);
    }
  }
  if (input.columnTotals) {
    for (let j = 0; j < nc; j++) {
      const e = unknowns.map(() => 0n);
      for (let i = 0; i < nr; i++) {
        const k = idx(i, j);
        if (k >= 0) e[k] = i === nr - 1 ? -1n : 1n;
      }
      eqs.push(e);
    }
  }
  if (eqs.length === 0) return [];
  const base = rank(eqs);
  return unknowns.filter((_, k) => rank([...eqs, unknowns.map((__, m) => (m === k ? 1n : 0n))]) === base);
}

const countArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 4, arbitrary: fc.integer({ min: 6, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 41, max: 5000 }) },
);
const tableArb = fc
  .record({ r: fc.integer({ min: 1, max: 7 }), c: fc.integer({ min: 1, max: 6 }) })
  .chain(({ r, c }) =>
    fc.record({
      rows: fc.array(fc.array(countArb, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
      rowTotals: fc.boolean(),
      columnTotals: fc.boolean(),
    }),
  )
  .map(({ rows, rowTotals, columnTotals }): SuppressTableInput => ({
    rows: rows.map((cells, i) => ({ key: `W${i}`, cells })),
    rowTotals,
    columnTotals,
  }));

describe('suppressCount', () => {
  it('shows 0, hides 1 to 5, shows 6 and above', () => {
    expect(suppressCount(0)).toEqual({ value: 0, suppressed: false });
    for (let n = 1; n <= 5; n++) expect(suppressCount(n)).toEqual({ value: null, suppressed: true, reason: 'primary' });
    expect(suppressCount(6)).toEqual({ value: 6, suppressed: false });
    expect(suppressCount(1234)).toEqual({ value: 1234, suppressed: false });
  });
  it('refuses values that are not counts', () => {
    for (const bad of [-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => suppressCount(bad)).toThrow(RangeError);
  });
});

describe('suppressTable', () => {
  it('worked example: one small count leads to a closed loop of secondary suppressions', () => {
    const t = suppressTable({
      rows: [
        { key: 'A', cells: [3, 10, 12] },
        { key: 'B', cells: [8, 0, 20] },
        { key: 'C', cells: [15, 7, 9] },
      ],
      rowTotals: true,
      columnTotals: true,
    });
    const show = (cells: Cell[]): string[] => cells.map((c) => formatCell(c));
    expect(t.rows.map((r) => [...show(r.cells), formatCell(r.total as Cell)])).toEqual([
      ['c', 'c', '12', '25'],
      ['c', '0', 'c', '28'],
      ['15', 'c', 'c', '31'],
    ]);
    expect(show(t.columnTotals ?? [])).toEqual(['26', '17', '41']);
    expect(formatCell(t.grandTotal as Cell)).toBe('84');
    expect(t.rows[0]?.cells[0]).toEqual({ value: null, suppressed: true, reason: 'primary' });
    expect(t.rows[0]?.cells[1]).toEqual({ value: null, suppressed: true, reason: 'secondary' });
    expect(t.rows[1]?.cells[1]).toEqual({ value: 0, suppressed: false });
  });

  it('with no totals published only primary suppression applies', () => {
    const t = suppressTable({ rows: [{ key: 'A', cells: [3, 10] }, { key: 'B', cells: [0, 20] }] });
    expect(t.rows.map((r) => r.cells.map((c) => formatCell(c)))).toEqual([['c', '10'], ['0', '20']]);
    expect(t.columnTotals).toBeUndefined();
    expect(t.grandTotal).toBeUndefined();
    expect(t.rows[0]?.total).toBeUndefined();
  });

  it('suppresses a small total and, through it, the line of totals', () => {
    // Row B totals 4: primary. The totals column then has one suppressed cell, so another total goes too.
    const input: SuppressTableInput = {
      rows: [{ key: 'A', cells: [10, 20] }, { key: 'B', cells: [4, 0] }, { key: 'C', cells: [30, 9] }],
      rowTotals: true,
      columnTotals: true,
    };
    const t = suppressTable(input);
    expect(t.rows[1]?.total?.reason).toBe('primary');
    // Exactly two totals go: B's (primary) and the smallest other non-zero one, A's 30 (secondary);
    // C's total and the grand total stay visible.
    expect(t.rows.map((r) => r.total?.reason)).toEqual(['secondary', 'primary', undefined]);
    expect(t.grandTotal).toEqual({ value: 73, suppressed: false });
    expect(derivableCells(input, t)).toEqual([]);
  });

  it('row totals only: the next smallest non-zero cell in the row is suppressed, zeros stay visible', () => {
    const t = suppressTable({ rows: [{ key: 'A', cells: [2, 0, 50, 7] }], rowTotals: true });
    expect(t.rows[0]?.cells.map((c) => formatCell(c))).toEqual(['c', '0', '50', 'c']);
    expect(t.rows[0]?.total).toEqual({ value: 59, suppressed: false });
  });

  it('ties go to the first position', () => {
    const t = suppressTable({ rows: [{ key: 'A', cells: [9, 3, 9] }], rowTotals: true });
    expect(t.rows[0]?.cells.map((c) => c.suppressed)).toEqual([true, true, false]);
  });

  it('closes a cell that only a combination of lines reveals (two blocks joined by one cell)', () => {
    const big = 100;
    const input: SuppressTableInput = {
      rows: [
        { key: 'r1', cells: [2, 2, 2, big, big] },
        { key: 'r2', cells: [2, 2, big, big, big] },
        { key: 'r3', cells: [big, big, 2, 2, big] },
        { key: 'r4', cells: [big, big, 2, 2, big] },
        { key: 'r5', cells: [big, big, big, big, big] },
      ],
      rowTotals: true,
      columnTotals: true,
    };
    const t = suppressTable(input);
    // Every line has 0 or >= 2 suppressed cells before the whole-table step, yet r1/c3 was derivable:
    // (row r1 + row r2) - (column c1 + column c2). The whole-table step must hide one more cell.
    const primaries = publishedGrid(t).flat().filter((c) => c.reason === 'primary').length;
    const secondaries = publishedGrid(t).flat().filter((c) => c.reason === 'secondary').length;
    expect(primaries).toBe(9);
    // One more cell closes the combination; more would hide counts for nothing.
    expect(secondaries).toBe(1);
    expect(derivableCells(input, t)).toEqual([]);
  });

  it('rejects ragged rows and negative counts', () => {
    expect(() => suppressTable({ rows: [{ key: 'A', cells: [1, 2] }, { key: 'B', cells: [1] }] })).toThrow(/row 1/);
    expect(() => suppressTable({ rows: [{ key: 'A', cells: [-1] }] })).toThrow(RangeError);
  });

  it('handles an empty table', () => {
    expect(suppressTable({ rows: [], rowTotals: true, columnTotals: true })).toEqual({ rows: [], columnTotals: [], grandTotal: { value: 0, suppressed: false } });
  });

  it('property: published values are true, no 1-5 shown, lines with a published total hold 0 or >= 2 suppressed, nothing derivable', () => {
    fc.assert(
      fc.property(tableArb, (input) => {
        const t = suppressTable(input);
        const pub = publishedGrid(t);
        const truth = trueGrid(input);
        let suppressedCount = 0;
        pub.forEach((line, i) =>
          line.forEach((cell, j) => {
            const v = truth[i]?.[j] as number;
            if (cell.suppressed) {
              suppressedCount++;
              expect(cell.value).toBeNull();
              expect(cell.reason).toBe(v >= 1 && v <= 5 ? 'primary' : 'secondary');
            } else {
              expect(cell.value).toBe(v);
              expect(v >= 1 && v <= 5).toBe(false);
            }
          }),
        );
        const nr = pub.length;
        const nc = pub[0]?.length ?? 0;
        if (input.rowTotals) {
          for (const line of pub) {
            const k = line.filter((c) => c.suppressed).length;
            expect(k === 0 || k >= 2).toBe(true);
          }
        }
        if (input.columnTotals) {
          for (let j = 0; j < nc; j++) {
            let k = 0;
            for (let i = 0; i < nr; i++) if (pub[i]?.[j]?.suppressed) k++;
            expect(k === 0 || k >= 2).toBe(true);
          }
        }
        if (suppressedCount > 0) expect(derivableCells(input, t)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('property: deterministic, and a primary-only table with no totals hides exactly the 1-5 cells', () => {
    fc.assert(
      fc.property(tableArb, (input) => {
        expect(suppressTable(input)).toEqual(suppressTable(input));
        const bare = suppressTable({ rows: input.rows });
        bare.rows.forEach((r, i) =>
          r.cells.forEach((c, j) => {
            const v = input.rows[i]?.cells[j] as number;
            expect(c.suppressed).toBe(v >= 1 && v <= 5);
          }),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('suppressRate', () => {
  it('computes a rounded percentage by default and a rate per 10,000 on request', () => {
    expect(suppressRate(37, 120)).toEqual({ value: 30.8, suppressed: false });
    expect(suppressRate(12, 24_000, { per: 10_000, decimals: 0 })).toEqual({ value: 5, suppressed: false });
  });
  it('suppresses a rate built on a suppressed numerator or denominator', () => {
    expect(suppressRate(3, 120)).toEqual({ value: null, suppressed: true, reason: 'primary' });
    expect(suppressRate(40, 120, { numeratorSuppressed: true }).suppressed).toBe(true);
    expect(suppressRate(40, 120, { denominatorSuppressed: true }).suppressed).toBe(true);
    expect(suppressRate(0, 4).suppressed).toBe(true);
    expect(suppressRate(0, 4, { denominatorIsCount: false })).toEqual({ value: 0, suppressed: false });
  });
  it('a zero numerator is shown and a zero denominator is not applicable', () => {
    expect(suppressRate(0, 50)).toEqual({ value: 0, suppressed: false });
    expect(suppressRate(0, 0)).toEqual({ value: null, suppressed: false });
    expect(formatCell(suppressRate(0, 0))).toBe('z');
  });
});

describe('formatCell', () => {
  it('formats by locale and shows c for suppressed cells', () => {
    expect(formatCell({ value: 12345, suppressed: false }, 'en-GB')).toBe('12,345');
    expect(formatCell({ value: 12.5, suppressed: false }, 'en-GB')).toBe('12.5');
    expect(formatCell({ value: 1234.5, suppressed: false }, 'de-DE')).toBe('1.234,5');
    expect(formatCell({ value: null, suppressed: true, reason: 'primary' }, 'en-GB')).toBe('c');
    expect(formatCell(suppressCount(0))).toBe('0');
  });
});
