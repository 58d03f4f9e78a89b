/**
 * Reads and writes the Pabulib `.pb` format (pabulib.org): META, PROJECTS and VOTES sections,
 * each a header row then semicolon-separated rows, fields optionally double-quoted ("" escapes).
 * Tolerates what real files do: CRLF, a BOM, blank lines, "none" for empty, decimal costs,
 * section names in any case. Anything else malformed is refused with a PbParseError that names
 * the line and what is wrong.
 */
import { Rational, RationalError } from '../../lib/rational.ts';
import { VOTE_TYPES } from './instance.ts';
import type { Ballot, BallotLimits, Instance, PbWarning, Project, VoteType } from './instance.ts';
export { writePb } from './pabulib-write.ts';

export type PbErrorCode =
  | 'unterminated-quote'
  | 'missing-section'
  | 'duplicate-section'
  | 'row-outside-section'
  | 'missing-column'
  | 'duplicate-column'
  | 'wrong-field-count'
  | 'bad-number'
  | 'negative-cost'
  | 'duplicate-project'
  | 'duplicate-voter'
  | 'unknown-project'
  | 'points-mismatch'
  | 'bad-meta'
  | 'bad-row'
  | 'unknown-vote-type';

export class PbParseError extends Error {
  readonly code: PbErrorCode;
  /** 1-based line number in the file (0 when the problem is the file as a whole). */
  readonly line: number;
  readonly detail: string;
  constructor(code: PbErrorCode, line: number, detail: string) {
    super(line > 0 ? `line ${line}: ${detail}` : detail);
    this.name = 'PbParseError';
    this.code = code;
    this.line = line;
    this.detail = detail;
  }
}

interface Row {
  line: number;
  fields: string[];
}

/** Splits the text into rows of fields, honouring quotes (which may span lines). */
export function readRows(text: string): Row[] {
  const rows: Row[] = [];
  eachRow(text, (row) => rows.push(row));
  return rows;
}

/**
 * A row handler that reads a line straight from the text (start inclusive, end exclusive, no
 * line break), without splitting it first: true when it took the line, false to have the row
 * split and handed to onRow as usual. Only offered lines without quotes.
 */
type LineReader = (start: number, end: number, line: number) => boolean;

/** Hands each row to onRow as it is read, so that a row can be dropped once used. */
function eachRow(text: string, onRow: (row: Row) => void, fast?: { read: LineReader | undefined }): void {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Where the next quote is: a line before it has none (one search for the whole text, not one per line).
  let quote = text.indexOf('"', i);
  if (quote < 0) quote = n;
  while (i < n) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    if (quote < i) {
      quote = text.indexOf('"', i);
      if (quote < 0) quote = n;
    }
    if (quote >= end) {
      // fast path: no quotes on this line
      const stop = end > i && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const read = fast?.read;
      if (read === undefined || !read(i, stop, line)) {
        const raw = text.slice(i, stop);
        if (raw.trim() !== '') onRow({ line, fields: raw.split(';') });
      }
      i = end + 1;
      line++;
      continue;
    }
    const r = readQuotedRow(text, i, line);
    if (r.fields.some((f) => f.trim() !== '')) onRow({ line, fields: r.fields });
    i = r.next;
    line = r.line;
  }
}

/**
 * Reads one row that contains quotes, like Python's csv reader: a field that starts with a
 * quote runs to the matching quote ("" is a literal quote) and may span lines; text after the
 * closing quote is kept as part of the field.
 */
function readQuotedRow(text: string, start: number, startLine: number): { fields: string[]; next: number; line: number } {
  const n = text.length;
  const fields: string[] = [];
  let field = '';
  let i = start;
  let line = startLine;
  let atFieldStart = true;
  for (;;) {
    if (i >= n) {
      fields.push(field);
      return { fields, next: n, line };
    }
    const c = text[i] as string;
    if (c === '"' && atFieldStart) {
      atFieldStart = false;
      i++;
      const quoteLine = line;
      for (;;) {
        if (i >= n) throw new PbParseError('unterminated-quote', quoteLine, 'a quoted field is never closed');
        const d = text[i] as string;
        if (d === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === '\n') line++;
        field += d;
        i++;
      }
      continue;
    }
    if (c === ';') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      if (c === '\r' && text[i + 1] === '\n') i++;
      return { fields, next: i + 1, line: line + 1 };
    } else {
      field += c;
      if (c !== ' ' && c !== '\t') atFieldStart = false;
      i++;
    }
  }
}

function clean(v: string | undefined): string {
  const t = (v ?? '').trim();
  // Lower-casing only what could be "none" spares a string per field (hundreds of thousands).
  return t.length === 4 && t.toLowerCase() === 'none' ? '' : t;
}

/** The non-empty, trimmed items of a comma-separated list. */
function items(list: string): string[] {
  const out: string[] = [];
  for (const part of list.split(',')) {
    const item = part.trim();
    if (item !== '') out.push(item);
  }
  return out;
}

function parseNum(v: string, line: number, what: string): Rational {
  try {
    return Rational.parse(v);
  } catch (e) {
    if (e instanceof RationalError) throw new PbParseError('bad-number', line, `${what} is not a number: "${v}"`);
    throw e;
  }
}

function parseCount(v: string, line: number, what: string): number {
  const r = parseNum(v, line, what);
  if (!r.isInteger() || r.sign() < 0) throw new PbParseError('bad-meta', line, `${what} must be a whole number ≥ 0, got "${v}"`);
  return Number(r.num);
}

function header(row: Row, required: string[], section: string): string[] {
  const cols = row.fields.map((f) => f.trim());
  const seen = new Set<string>();
  for (const c of cols) {
    if (c !== '' && seen.has(c)) throw new PbParseError('duplicate-column', row.line, `column "${c}" appears twice in the ${section} header`);
    seen.add(c);
  }
  for (const r of required) {
    if (!seen.has(r)) throw new PbParseError('missing-column', row.line, `the ${section} header has no "${r}" column`);
  }
  return cols;
}

function checkFieldCount(row: Row, n: number, section: string): void {
  // Trailing empty fields beyond the header are tolerated (some exports add a final ';').
  const { fields } = row;
  if (fields.length === n) return;
  if (fields.length < n || fields.some((f, k) => k >= n && f.trim() !== '')) {
    throw new PbParseError('wrong-field-count', row.line, `${section} row has ${fields.length} fields but the header has ${n}`);
  }
}

/** Where the VOTES columns are, found once from the header (a ballot row is then read by index). */
interface VoteColumns {
  voterId: number;
  vote: number;
  points: number;
  /** The other named columns, kept on each ballot as written: [name, index]. */
  others: [string, number][];
}

function voteColumnIndices(cols: string[]): VoteColumns {
  const others: [string, number][] = [];
  cols.forEach((c, k) => {
    if (c !== 'voter_id' && c !== 'vote' && c !== 'points' && c !== '') others.push([c, k]);
  });
  return { voterId: cols.indexOf('voter_id'), vote: cols.indexOf('vote'), points: cols.indexOf('points'), others };
}

function record(row: Row, cols: string[], section: string): Record<string, string> {
  checkFieldCount(row, cols.length, section);
  const { fields } = row;
  const out: Record<string, string> = {};
  for (let k = 0; k < cols.length; k++) out[cols[k] as string] = fields[k] ?? '';
  return out;
}

type Section = 'meta' | 'projects' | 'votes';
const SECTION_NAMES = new Set<string>(['meta', 'projects', 'votes']);

/** Parses a .pb file. Throws PbParseError on malformed input. */
export function parsePb(text: string): Instance {
  const meta: [string, string][] = [];
  const projects: Project[] = [];
  const ballots: Ballot[] = [];
  let projectColumns: string[] = [];
  let voteColumns: string[] = [];
  const seen = new Set<Section>();
  let section: Section | undefined;
  let cols: string[] = [];
  let expectHeader = false;
  const byId = new Map<string, number>();
  const voterIds = new VoterIds();
  /** Vote texts already read (no points, no repeats): their project indices. */
  const seenVotes = new VoteCache();
  const warnings: PbWarning[] = [];
  let voteType: VoteType | undefined;
  let lastLine = 0;
  /** Line of each META key's first row, for messages about its value. */
  const metaLines = new Map<string, number>();
  let voteCols: VoteColumns | undefined;

  const fast: { read: LineReader | undefined } = { read: undefined };
  /**
   * A VOTES line read in place (the common case: no quotes, as many fields as the header):
   * the same checks, errors and ballot as the row path below, without splitting the line into
   * an array of fields first. Anything else (a section name, another number of fields) is left
   * to the row path (false).
   */
  const voteLine = (vc: VoteColumns, ncols: number): LineReader => {
    const starts = new Int32Array(ncols);
    const ends = new Int32Array(ncols);
    const { voterId: vi, vote: vv, points: vp, others } = vc;
    const type = voteType ?? 'approval';
    const field = (j: number): string => text.slice(starts[j], ends[j]);
    return (s, e, line) => {
      let k = 0;
      let p = s;
      for (;;) {
        let q = text.indexOf(';', p);
        if (q < 0 || q > e) q = e;
        if (k === ncols) return false;
        starts[k] = p;
        ends[k] = q;
        k++;
        if (q === e) break;
        p = q + 1;
      }
      if (k !== ncols) return false;
      // A section name in the first field (META;, VOTES; …): the row path says what is wrong.
      const c0 = text.charCodeAt(starts[0] as number);
      const l0 = c0 | 0x20;
      if ((c0 <= 0x20 || l0 === 0x6d || l0 === 0x70 || l0 === 0x76) && SECTION_NAMES.has(text.slice(starts[0], ends[0]).trim().toLowerCase())) return false;
      lastLine = line;
      const voterId = (vi >= 0 ? clean(field(vi)) : '') || String(ballots.length + 1);
      if (!voterIds.add(voterId)) throw new PbParseError('duplicate-voter', line, `voter "${voterId}" appears twice`);
      const ballot = parseBallot(field(vv), vp >= 0 ? field(vp) : undefined, line, voterId, type, byId, warnings, seenVotes);
      const fields = ballot.fields;
      for (let o = 0; o < others.length; o++) {
        const [c, j] = others[o] as [string, number];
        fields[c] = field(j).trim();
      }
      ballots.push(ballot);
      return true;
    };
  };

  // Rows are handled as they are read rather than collected first: 90,000 ballots are enough
  // to make keeping every row until the end a large share of the time (garbage collection).
  eachRow(text, (row) => {
    lastLine = row.line;
    const head = (row.fields[0] ?? '').trim();
    const first = head.length <= 8 ? head.toLowerCase() : head; // only section names matter here
    // The section name is checked first: it is rare, and the rest of the test walks the row.
    if (first === 'meta' || first === 'projects' || first === 'votes') {
      if (row.fields.length === 1 || row.fields.every((f, k) => k === 0 || f.trim() === '')) {
        if (seen.has(first)) throw new PbParseError('duplicate-section', row.line, `section ${first.toUpperCase()} appears twice`);
        if (first === 'projects' && !seen.has('meta')) throw new PbParseError('missing-section', row.line, 'PROJECTS comes before META');
        if (first === 'votes' && !seen.has('projects')) throw new PbParseError('missing-section', row.line, 'VOTES comes before PROJECTS');
        seen.add(first);
        section = first;
        expectHeader = true;
        return;
      }
    }
    if (!section) throw new PbParseError('row-outside-section', row.line, 'the file must start with META');
    if (expectHeader) {
      expectHeader = false;
      if (section === 'meta') cols = header(row, [], 'META');
      if (section === 'projects') cols = projectColumns = header(row, ['project_id', 'cost'], 'PROJECTS');
      if (section === 'votes') {
        cols = voteColumns = header(row, ['vote'], 'VOTES');
        voteType = resolveVoteType(meta, row.line);
        voteCols = voteColumnIndices(cols);
        if (cols.length >= 2) fast.read = voteLine(voteCols, cols.length);
      }
      return;
    }
    if (section === 'meta') {
      if (row.fields.length < 2) throw new PbParseError('bad-meta', row.line, 'a META row needs a key and a value');
      const key = (row.fields[0] ?? '').trim();
      if (key === '') throw new PbParseError('bad-meta', row.line, 'a META row has an empty key');
      if (!metaLines.has(key)) metaLines.set(key, row.line);
      meta.push([key, row.fields.slice(1).join(';').trim()]);
    } else if (section === 'projects') {
      const rec = record(row, cols, 'PROJECTS');
      const id = clean(rec['project_id']);
      if (id === '') throw new PbParseError('bad-row', row.line, 'empty project_id');
      if (byId.has(id)) throw new PbParseError('duplicate-project', row.line, `project "${id}" is listed twice`);
      const costText = clean(rec['cost']);
      if (costText === '') throw new PbParseError('bad-number', row.line, `project "${id}" has no cost`);
      const cost = parseNum(costText, row.line, `cost of project "${id}"`);
      if (cost.sign() < 0) throw new PbParseError('negative-cost', row.line, `project "${id}" has a negative cost`);
      const fields: Record<string, string> = {};
      for (const c of cols) if (c !== 'project_id' && c !== 'cost' && c !== '') fields[c] = (rec[c] ?? '').trim();
      const list = (v: string | undefined): string[] => clean(v).split(',').map((s) => s.trim()).filter((s) => s !== '');
      byId.set(id, projects.length);
      projects.push({
        id,
        name: clean(rec['name']) || id,
        cost,
        categories: list(rec['category'] ?? rec['categories']),
        targets: list(rec['target'] ?? rec['targets']),
        fields,
      });
    } else {
      checkFieldCount(row, cols.length, 'VOTES');
      const f = row.fields;
      voteCols ??= voteColumnIndices(cols);
      const voterId = (voteCols.voterId >= 0 ? clean(f[voteCols.voterId]) : '') || String(ballots.length + 1);
      if (!voterIds.add(voterId)) throw new PbParseError('duplicate-voter', row.line, `voter "${voterId}" appears twice`);
      const ballot = parseBallot(f[voteCols.vote] ?? '', voteCols.points >= 0 ? f[voteCols.points] : undefined, row.line, voterId, voteType ?? 'approval', byId, warnings, seenVotes);
      ballots.push(withFields(ballot, f, voteCols));
    }
  }, fast);
  for (const s of ['meta', 'projects', 'votes'] as const) {
    if (!seen.has(s)) throw new PbParseError('missing-section', 0, `the file has no ${s.toUpperCase()} section`);
  }
  if (expectHeader) throw new PbParseError('missing-column', lastLine, 'a section has no header row');
  const budgetText = meta.find(([k]) => k === 'budget')?.[1];
  if (budgetText === undefined || clean(budgetText) === '') throw new PbParseError('bad-meta', 0, 'META has no budget');
  const budget = parseNum(clean(budgetText), metaLines.get('budget') ?? 0, 'budget');
  if (budget.sign() < 0) throw new PbParseError('bad-meta', metaLines.get('budget') ?? 0, 'the budget is negative');
  return {
    meta,
    budget,
    voteType: voteType ?? resolveVoteType(meta, 0),
    projects,
    ballots,
    limits: limitsFrom(meta, metaLines),
    projectColumns,
    voteColumns,
    warnings,
  };
}

function resolveVoteType(meta: [string, string][], line: number): VoteType {
  const v = clean(meta.find(([k]) => k === 'vote_type')?.[1]).toLowerCase();
  if (v === '') return 'approval';
  if ((VOTE_TYPES as readonly string[]).includes(v)) return v as VoteType;
  throw new PbParseError('unknown-vote-type', line, `vote_type "${v}" is not one of ${VOTE_TYPES.join(', ')}`);
}

function limitsFrom(meta: [string, string][], metaLines: Map<string, number>): BallotLimits {
  const metaLine = (k: string): number => metaLines.get(k) ?? 0;
  const limits: BallotLimits = {};
  const get = (k: string): string => clean(meta.find(([key]) => key === k)?.[1]);
  const count = (k: string): number | undefined => (get(k) === '' ? undefined : parseCount(get(k), metaLine(k), k));
  const num = (k: string): Rational | undefined => (get(k) === '' ? undefined : parseNum(get(k), metaLine(k), k));
  const minLength = count('min_length');
  const maxLength = count('max_length');
  const minSumPoints = num('min_sum_points');
  const maxSumPoints = num('max_sum_points');
  const minPoints = num('min_points');
  const maxPoints = num('max_points');
  if (minLength !== undefined) limits.minLength = minLength;
  if (maxLength !== undefined) limits.maxLength = maxLength;
  if (minSumPoints) limits.minSumPoints = minSumPoints;
  if (maxSumPoints) limits.maxSumPoints = maxSumPoints;
  if (minPoints) limits.minPoints = minPoints;
  if (maxPoints) limits.maxPoints = maxPoints;
  return limits;
}

/**
 * The voter ids seen so far. Most files number their voters: an id written as a plain whole
 * number below 2^30 (digits only, no leading zero) is kept as a small integer (below 2^24 as a
 * bit), as a string set of 65,000 ids cost a large share of the parse; any other id is kept as
 * a string. Plain numbers and their texts match one to one, so no id is in two places.
 */
class VoterIds {
  private bits = new Uint32Array(1024);
  private readonly numbers = new Set<number>();
  private readonly others = new Set<string>();
  /** Adds the id; false when it was already there. */
  add(id: string): boolean {
    const n = id.length;
    let v = -1;
    if (n > 0 && n <= 9) {
      v = 0;
      for (let k = 0; k < n; k++) {
        const d = id.charCodeAt(k) - 48;
        if (d < 0 || d > 9 || (d === 0 && k === 0 && n > 1)) {
          v = -1;
          break;
        }
        v = v * 10 + d;
      }
    }
    // Beyond 2^30 a number is a heap object in a set: the string is as cheap.
    if (v < 0 || v >= 2 ** 30) {
      if (this.others.has(id)) return false;
      this.others.add(id);
      return true;
    }
    if (v >= 1 << 24) {
      if (this.numbers.has(v)) return false;
      this.numbers.add(v);
      return true;
    }
    const word = v >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const bit = 1 << (v & 31);
    if ((this.bits[word] as number) & bit) return false;
    this.bits[word] = (this.bits[word] as number) | bit;
    return true;
  }
}

/**
 * Vote texts already read (no points, no repeats) and their project indices. Approval ballots
 * repeat a few texts thousands of times; ordinal ones (Kraków: 3 of 119 in order) are mostly
 * all different, where the cache only costs: after 4,096 look-ups it stops if under a quarter hit.
 * A cache only: the ballots are the same with it or without.
 */
class VoteCache {
  private readonly map = new Map<string, number[]>();
  private lookups = 0;
  private hits = 0;
  private on = true;
  get(text: string): number[] | undefined {
    if (!this.on) return undefined;
    const found = this.map.get(text);
    if (found) this.hits++;
    if (++this.lookups === 4096 && this.hits * 4 < this.lookups) {
      this.on = false;
      this.map.clear();
    }
    return found;
  }
  set(text: string, projects: number[]): void {
    if (this.on && this.map.size < 200_000) this.map.set(text, projects.slice());
  }
}

/** Parsed point values by their text (Rationals are immutable, so sharing is safe). */
const POINTS = new Map<string, Rational>();

/** The ballot's other columns (age, sex, …), trimmed, as written. */
function withFields(ballot: Ballot, row: string[], cols: VoteColumns): Ballot {
  for (const [c, k] of cols.others) ballot.fields[c] = (row[k] ?? '').trim();
  return ballot;
}

function parseBallot(
  rawVote: string,
  rawPoints: string | undefined,
  line: number,
  voterId: string,
  voteType: VoteType,
  byId: Map<string, number>,
  warnings: PbWarning[],
  seenVotes?: VoteCache,
): Ballot {
  const hasPoints = voteType === 'cumulative' || voteType === 'scoring';
  // Approval-like ballots repeat the same vote text thousands of times: its projects are
  // looked up once (a copy per ballot), unless it lists a project twice (warned per ballot).
  const known = hasPoints ? undefined : seenVotes?.get(rawVote);
  if (known) return { voterId, projects: known.slice(), fields: {} };
  const ids = items(clean(rawVote));
  const projects: number[] = [];
  let repeated = false;
  let pts: Rational[] | undefined;
  if (hasPoints) {
    const texts = rawPoints !== undefined ? items(clean(rawPoints)) : [];
    if (texts.length !== ids.length) {
      throw new PbParseError('points-mismatch', line, `voter "${voterId}" has ${ids.length} projects but ${texts.length} points`);
    }
    pts = texts.map((p) => {
      // A few distinct values (1, 2, 3 …) recur on tens of thousands of ballots: parse each once.
      let r = POINTS.get(p);
      if (!r) {
        r = parseNum(p, line, `points of voter "${voterId}"`);
        if (POINTS.size < 10_000) POINTS.set(p, r);
      }
      return r;
    });
  }
  const points: Rational[] = [];
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as string;
    const j = byId.get(id);
    if (j === undefined) throw new PbParseError('unknown-project', line, `voter "${voterId}" votes for unknown project "${id}"`);
    const at = projects.indexOf(j);
    if (at >= 0) {
      // Real files repeat a project now and then: approval keeps it once, points add up.
      warnings.push({ code: 'repeated-project-in-vote', line, detail: `voter "${voterId}" lists project "${id}" more than once` });
      repeated = true;
      if (pts) points[at] = (points[at] as Rational).add(pts[k] as Rational);
      continue;
    }
    projects.push(j);
    if (pts) points.push(pts[k] as Rational);
  }
  if (seenVotes && !hasPoints && !repeated) seenVotes.set(rawVote, projects);
  const ballot: Ballot = { voterId, projects, fields: {} };
  if (pts) ballot.points = points;
  return ballot;
}
