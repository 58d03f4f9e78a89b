/**
 * Statistical disclosure control for published counts of people (METRICS.md, "Suppression";
 * SECURITY.md item 21). Pure functions, no I/O.
 *
 * - Primary: a count of people from 1 to 5 is shown as `c`; zero is shown as 0.
 * - Secondary: a suppressed cell must never be derivable from the published cells of the table
 *   (rows, columns, their published totals and the grand total). First the conventional line rule
 *   runs: while any row or column with a published total holds exactly one suppressed cell, the
 *   smallest unsuppressed non-zero cell of that line (first position on ties) is suppressed too.
 *   Then a whole-table check runs: a suppressed cell can also be pinned down by combining several
 *   lines (two blocks of suppressed cells joined by a single cell). Viewing the suppressed cells as
 *   edges between the lines they sit in, a cell is derivable exactly when its edge is a bridge of
 *   that graph; each bridge is closed by suppressing the smallest cell that links its two sides,
 *   then the line rule runs again, until nothing can be derived.
 * - Rates and percentages built from a suppressed count are suppressed.
 *
 * Not covered here: "adjacent periods in the same view" — a caller showing several periods side
 * by side with a total across them must lay them out as one table (periods as columns) so the
 * same rules apply across them.
 */

/** Why a cell is hidden: it is a small count itself, or it would let a small count be derived. */
export type SuppressionReason = 'primary' | 'secondary';

/** One published figure; suppressed cells carry `value: null`. An unsuppressed null means "not applicable". */
export interface Cell {
  value: number | null;
  suppressed: boolean;
  reason?: SuppressionReason;
}

/** A row of counts to publish, keyed by e.g. a ward code. */
export interface TableRowInput {
  key: string;
  cells: number[];
}

/** The table to suppress and which totals are published with it. */
export interface SuppressTableInput {
  rows: TableRowInput[];
  /** Publish a total at the end of each row (and, with `columnTotals`, a grand total). */
  rowTotals?: boolean;
  /** Publish a totals row under the table (and, with `rowTotals`, a grand total). */
  columnTotals?: boolean;
}

/** A suppressed row: its cells and, when row totals are published, its total. */
export interface SuppressedRow {
  key: string;
  cells: Cell[];
  total?: Cell;
}

/** The table as published: every cell, with totals present only when they were requested. */
export interface SuppressedTable {
  rows: SuppressedRow[];
  /** Present when `columnTotals` was requested: one per column. */
  columnTotals?: Cell[];
  /** Present when both `rowTotals` and `columnTotals` were requested. */
  grandTotal?: Cell;
}

/** Options for `suppressRate`. */
export interface RateOptions {
  /** Multiplier: 100 for a percentage (default), 10000 for "per 10,000 children". */
  per?: number;
  /** Decimal places the rate is rounded to (default 1). */
  decimals?: number;
  /** The numerator was suppressed elsewhere (e.g. secondary suppression in a published table). */
  numeratorSuppressed?: boolean;
  /** The denominator was suppressed elsewhere. */
  denominatorSuppressed?: boolean;
  /** Whether the denominator is itself a count of people subject to primary suppression (default true). */
  denominatorIsCount?: boolean;
}

/** Smallest count that is primary-suppressed. */
export const SUPPRESS_MIN = 1;
/** Largest count that is primary-suppressed. */
export const SUPPRESS_MAX = 5;

/** True when a count of people must be hidden on its own (1 to 5 inclusive). */
export function isPrimarySuppressed(n: number): boolean {
  return n >= SUPPRESS_MIN && n <= SUPPRESS_MAX;
}

function assertCount(n: number, where: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${where}: a count must be a non-negative whole number, got ${String(n)}`);
  }
}

/** Suppresses a single published count that has no totals beside it. */
export function suppressCount(n: number): Cell {
  assertCount(n, 'suppressCount');
  return isPrimarySuppressed(n) ? { value: null, suppressed: true, reason: 'primary' } : { value: n, suppressed: false };
}

interface Grid {
  nr: number;
  nc: number;
  values: number[][];
  state: Array<Array<SuppressionReason | null>>;
  rowConstrained: boolean;
  colConstrained: boolean;
}

function at<T>(arr: readonly T[], i: number): T {
  const v = arr[i];
  if (v === undefined) throw new Error(`internal: index ${i} out of range`);
  return v;
}

function val(g: Grid, i: number, j: number): number {
  return at(at(g.values, i), j);
}

function stateOf(g: Grid, i: number, j: number): SuppressionReason | null {
  return at(at(g.state, i), j);
}

function suppress(g: Grid, i: number, j: number, reason: SuppressionReason): void {
  at(g.state, i)[j] = reason;
}

/** Positions of a line: row i (kind 'r') or column j (kind 'c'), in order, total last. */
function linePositions(g: Grid, kind: 'r' | 'c', k: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (kind === 'r') for (let j = 0; j < g.nc; j++) out.push([k, j]);
  else for (let i = 0; i < g.nr; i++) out.push([i, k]);
  return out;
}

/** Line rule: no published line may hold exactly one suppressed cell. Returns true if anything changed. */
function applyLineRule(g: Grid): boolean {
  let changedAny = false;
  let changed = true;
  while (changed) {
    changed = false;
    const lines: Array<['r' | 'c', number]> = [];
    if (g.rowConstrained) for (let i = 0; i < g.nr; i++) lines.push(['r', i]);
    if (g.colConstrained) for (let j = 0; j < g.nc; j++) lines.push(['c', j]);
    for (const [kind, k] of lines) {
      const pos = linePositions(g, kind, k);
      const suppressedCount = pos.filter(([i, j]) => stateOf(g, i, j) !== null).length;
      if (suppressedCount !== 1) continue;
      // A line whose one suppressed cell is non-zero always has another non-zero cell (the total
      // equals the sum of the others). Only a zero hidden by the whole-table rule can need a zero.
      const pick = smallestShown(g, pos);
      if (pick === null) throw new Error('internal: no cell available for secondary suppression');
      suppress(g, pick[0], pick[1], 'secondary');
      changed = true;
      changedAny = true;
    }
  }
  return changedAny;
}

interface Edge {
  a: number;
  b: number;
  i: number;
  j: number;
}

/** Graph node of row i / column j: unpublished-total lines all collapse into one unconstrained "ground" node. */
function rowNode(g: Grid, i: number): number {
  return g.rowConstrained ? i : g.nr + g.nc;
}
function colNode(g: Grid, j: number): number {
  return g.colConstrained ? g.nr + j : g.nr + g.nc;
}

function suppressedEdges(g: Grid): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < g.nr; i++) {
    for (let j = 0; j < g.nc; j++) {
      if (stateOf(g, i, j) !== null) edges.push({ a: rowNode(g, i), b: colNode(g, j), i, j });
    }
  }
  return edges;
}

/** Nodes reachable from `start` using every edge except index `skip`. */
function reach(nodes: number, edges: readonly Edge[], start: number, skip: number): Set<number> {
  const adj: number[][] = Array.from({ length: nodes }, () => []);
  edges.forEach((e, idx) => {
    if (idx === skip) return;
    at(adj, e.a).push(e.b);
    at(adj, e.b).push(e.a);
  });
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const n = stack.pop() as number;
    for (const m of at(adj, n)) {
      if (!seen.has(m)) {
        seen.add(m);
        stack.push(m);
      }
    }
  }
  return seen;
}

/**
 * Whole-table rule: a suppressed cell whose edge is a bridge can be derived by adding and
 * subtracting published lines. Closes one bridge; returns true if it changed anything.
 */
/**
 * The cell to hide next among candidates: the smallest shown non-zero count (first on ties), or,
 * when there is none, the first shown zero.
 */
function smallestShown(g: Grid, candidates: Iterable<[number, number]>): [number, number] | null {
  let best: [number, number] | null = null;
  let bestZero: [number, number] | null = null;
  for (const [i, j] of candidates) {
    if (stateOf(g, i, j) !== null) continue;
    const v = val(g, i, j);
    if (v === 0) {
      if (bestZero === null) bestZero = [i, j];
    } else if (best === null || v < val(g, best[0], best[1])) {
      best = [i, j];
    }
  }
  return best ?? bestZero;
}

function closeOneBridge(g: Grid): boolean {
  const nodes = g.nr + g.nc + 1;
  const edges = suppressedEdges(g);
  for (let idx = 0; idx < edges.length; idx++) {
    const e = at(edges, idx);
    if (e.a === e.b) continue; // both lines unpublished: nothing constrains this cell
    const sideA = reach(nodes, edges, e.a, idx);
    if (sideA.has(e.b)) continue; // on a cycle: not derivable
    const sideB = reach(nodes, edges, e.b, idx);
    const crossing: Array<[number, number]> = [];
    for (let i = 0; i < g.nr; i++) {
      for (let j = 0; j < g.nc; j++) {
        const r = rowNode(g, i);
        const c = colNode(g, j);
        if ((sideA.has(r) && sideB.has(c)) || (sideB.has(r) && sideA.has(c))) crossing.push([i, j]);
      }
    }
    const pick = smallestShown(g, crossing);
    if (pick === null) throw new Error('internal: no cell available to close a derivable cell');
    suppress(g, pick[0], pick[1], 'secondary');
    return true;
  }
  return false;
}

/** Suppresses a table of counts (primary and secondary) together with any totals published with it. */
export function suppressTable(input: SuppressTableInput): SuppressedTable {
  const rowTotals = input.rowTotals === true;
  const columnTotals = input.columnTotals === true;
  const R = input.rows.length;
  const C = input.rows[0]?.cells.length ?? 0;
  input.rows.forEach((row, i) => {
    if (row.cells.length !== C) {
      throw new RangeError(`suppressTable: row ${i} ("${row.key}") has ${row.cells.length} cells, expected ${C}`);
    }
    row.cells.forEach((n, j) => assertCount(n, `suppressTable: row ${i} column ${j}`));
  });

  // Build the table as published: totals column last, totals row last.
  const nr = R + (columnTotals ? 1 : 0);
  const nc = C + (rowTotals ? 1 : 0);
  const values: number[][] = input.rows.map((row) => {
    const line = [...row.cells];
    if (rowTotals) line.push(row.cells.reduce((s, n) => s + n, 0));
    return line;
  });
  if (columnTotals) {
    const totals: number[] = [];
    for (let j = 0; j < nc; j++) totals.push(values.reduce((s, line) => s + at(line, j), 0));
    values.push(totals);
  }
  for (const line of values) for (const n of line) assertCount(n, 'suppressTable: total');

  const g: Grid = {
    nr,
    nc,
    values,
    state: values.map((line) => line.map((n) => (isPrimarySuppressed(n) ? 'primary' : null))),
    rowConstrained: rowTotals,
    colConstrained: columnTotals,
  };

  applyLineRule(g);
  while (closeOneBridge(g)) applyLineRule(g);

  const cellAt = (i: number, j: number): Cell => {
    const reason = stateOf(g, i, j);
    return reason === null ? { value: val(g, i, j), suppressed: false } : { value: null, suppressed: true, reason };
  };
  const out: SuppressedTable = {
    rows: input.rows.map((row, i) => {
      const cells: Cell[] = [];
      for (let j = 0; j < C; j++) cells.push(cellAt(i, j));
      return rowTotals ? { key: row.key, cells, total: cellAt(i, C) } : { key: row.key, cells };
    }),
  };
  if (columnTotals) {
    const totals: Cell[] = [];
    for (let j = 0; j < C; j++) totals.push(cellAt(R, j));
    out.columnTotals = totals;
    if (rowTotals) out.grandTotal = cellAt(R, C);
  }
  return out;
}

/** Builds a rate (default a percentage) that is suppressed when its numerator or denominator is. */
export function suppressRate(numerator: number, denominator: number, opts: RateOptions = {}): Cell {
  assertCount(numerator, 'suppressRate: numerator');
  if (!Number.isFinite(denominator) || denominator < 0) {
    throw new RangeError(`suppressRate: denominator must be a non-negative number, got ${String(denominator)}`);
  }
  const per = opts.per ?? 100;
  const decimals = opts.decimals ?? 1;
  const denominatorIsCount = opts.denominatorIsCount ?? true;
  if (opts.numeratorSuppressed === true || isPrimarySuppressed(numerator)) {
    return { value: null, suppressed: true, reason: opts.numeratorSuppressed === true ? 'secondary' : 'primary' };
  }
  if (opts.denominatorSuppressed === true || (denominatorIsCount && isPrimarySuppressed(denominator))) {
    return { value: null, suppressed: true, reason: 'secondary' };
  }
  if (denominator === 0) return { value: null, suppressed: false };
  const factor = 10 ** decimals;
  return { value: Math.round((numerator / denominator) * per * factor) / factor, suppressed: false };
}

/** Formats a cell for display: `c` when suppressed, `z` when not applicable, else the locale-formatted number. */
export function formatCell(cell: Cell, locale = 'en-GB', opts: { maximumFractionDigits?: number } = {}): string {
  if (cell.suppressed) return 'c';
  if (cell.value === null) return 'z';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: opts.maximumFractionDigits ?? 1 }).format(cell.value);
}
