/**
 * The BLT ballot format (as in ../shared/data/stv/: Droop's Glasgow files, the scot-elex 2017 files
 * with unquoted names, the space-padded Edinburgh files):
 *
 *   9 4                  candidates seats
 *   -3 -7                optional: withdrawn candidates (negative numbers)
 *   149 1 0              weight, preferences (candidate numbers from 1), 0
 *   2 1 2 3 0
 *   0                    end of ballots
 *   "Nina Baker"         one name a line, quoted or not (several quoted names on a line are split)
 *   "ANDERSTON-CITY"     the title (optional)
 *
 * Names have runs of spaces collapsed to one. Blank lines, trailing spaces, CR/LF, and `#` comments (outside quotes) are ignored. A ballot line may
 * start with an id in parentheses, `(b12) 1 3 2 0`, which is dropped. Pure: no I/O.
 */

export interface BltBallot {
  /** How many identical ballot papers the line stands for (≥ 1). */
  weight: number;
  /** Candidate indices (0-based) in order of preference. */
  prefs: number[];
}

export interface Blt {
  seats: number;
  candidates: string[];
  /** 0-based indices of withdrawn candidates. */
  withdrawn: number[];
  ballots: BltBallot[];
  title: string;
}

export class BltParseError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'BltParseError';
  }
}

/** Strip a `#` comment that is not inside a quoted string. */
function stripComment(s: string): string {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '#' && !quoted) return s.slice(0, i);
  }
  return s;
}

const INT = /^-?\d+$/;

/** Names are shown to people: runs of spaces become one. */
const tidy = (s: string) => s.trim().replace(/\s+/g, ' ');

export function parseBlt(text: string): Blt {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lines: Array<{ no: number; text: string }> = [];
  raw.forEach((l, i) => {
    const t = stripComment(l).trim();
    if (t !== '') lines.push({ no: i + 1, text: t });
  });
  let at = 0;
  const head = lines[at++];
  if (!head) throw new BltParseError(1, 'empty file: expected "candidates seats" on the first line');
  const ht = head.text.split(/\s+/);
  if (ht.length !== 2 || !INT.test(ht[0] ?? '') || !INT.test(ht[1] ?? '')) {
    throw new BltParseError(head.no, `expected two whole numbers "candidates seats", found "${head.text.slice(0, 40)}"`);
  }
  const nCand = Number(ht[0]);
  const seats = Number(ht[1]);
  if (nCand < 1) throw new BltParseError(head.no, 'the number of candidates must be at least 1');
  if (seats < 1) throw new BltParseError(head.no, 'the number of seats must be at least 1');
  if (seats > nCand) throw new BltParseError(head.no, `${seats} seats but only ${nCand} candidates`);

  const withdrawn: number[] = [];
  while (at < lines.length && /^-\d/.test(lines[at]?.text ?? '')) {
    const l = lines[at++]!;
    for (const tok of l.text.split(/\s+/)) {
      if (!/^-\d+$/.test(tok)) throw new BltParseError(l.no, `withdrawn candidates are written as negative numbers, found "${tok}"`);
      const c = -Number(tok);
      if (c < 1 || c > nCand) throw new BltParseError(l.no, `withdrawn candidate ${c} is not between 1 and ${nCand}`);
      if (!withdrawn.includes(c - 1)) withdrawn.push(c - 1);
    }
  }

  const ballots: BltBallot[] = [];
  let ended = false;
  while (at < lines.length) {
    const l = lines[at++]!;
    if (l.text === '0') {
      ended = true;
      break;
    }
    let body = l.text;
    if (body.startsWith('(')) {
      const close = body.indexOf(')');
      if (close < 0) throw new BltParseError(l.no, 'a ballot id opened with "(" is not closed');
      body = body.slice(close + 1).trim();
    }
    const toks = body.split(/\s+/);
    const w = toks[0] ?? '';
    if (!/^\d+$/.test(w)) {
      if (w.startsWith('"')) throw new BltParseError(l.no, 'missing the "0" line that ends the ballots (found a name before it)');
      if (!/^-?[\d.]+$/.test(w)) throw new BltParseError(l.no, `expected a ballot line "weight preferences… 0" or the end marker "0", found "${l.text.slice(0, 40)}"`);
      throw new BltParseError(l.no, `the ballot weight must be a whole number of ballot papers, found "${w}"`);
    }
    const weight = Number(w);
    if (weight < 1) throw new BltParseError(l.no, 'the ballot weight must be at least 1');
    if (toks[toks.length - 1] !== '0' || toks.length < 2) throw new BltParseError(l.no, 'the ballot line does not end with 0');
    const prefs: number[] = [];
    const seen = new Set<number>();
    for (let k = 1; k < toks.length - 1; k++) {
      const tok = toks[k]!;
      if (tok.includes('=')) throw new BltParseError(l.no, `equal rankings ("${tok}") are not allowed in an STV ballot`);
      if (tok === '-') continue; // a skipped rank
      if (!/^\d+$/.test(tok)) throw new BltParseError(l.no, `"${tok}" is not a candidate number`);
      const c = Number(tok);
      if (c === 0) throw new BltParseError(l.no, 'a 0 before the end of the ballot line');
      if (c > nCand) throw new BltParseError(l.no, `rank ${k}: candidate ${c} is out of range (1–${nCand})`);
      if (seen.has(c)) throw new BltParseError(l.no, `candidate ${c} is ranked twice`);
      seen.add(c);
      prefs.push(c - 1);
    }
    ballots.push({ weight, prefs });
  }
  if (!ended) throw new BltParseError((lines[lines.length - 1]?.no ?? 0) + 1, 'missing the "0" line that ends the ballots');

  // Names: one a line, or several quoted ones on a line; then the title.
  const names: Array<{ no: number; name: string }> = [];
  while (at < lines.length) {
    const l = lines[at++]!;
    if (l.text.startsWith('"')) {
      const re = /"([^"]*)"/g;
      let m: RegExpExecArray | null;
      let rest = l.text;
      while ((m = re.exec(l.text)) !== null) names.push({ no: l.no, name: tidy(m[1]!) });
      rest = l.text.replace(re, '').trim();
      if (rest !== '') throw new BltParseError(l.no, `unexpected text "${rest.slice(0, 40)}" beside a quoted name`);
      if ((l.text.match(/"/g) ?? []).length % 2 !== 0) throw new BltParseError(l.no, 'a quoted name is not closed');
    } else {
      if (/^-?\d+(\s+-?\d+)*$/.test(l.text)) throw new BltParseError(l.no, `expected a candidate name, found numbers "${l.text.slice(0, 40)}" (is the "0" end line misplaced?)`);
      names.push({ no: l.no, name: tidy(l.text) });
    }
  }
  if (names.length < nCand) {
    throw new BltParseError((lines[lines.length - 1]?.no ?? 0) + 1, `too few names: ${nCand} candidates but ${names.length} name${names.length === 1 ? '' : 's'}`);
  }
  if (names.length > nCand + 1) {
    const extra = names[nCand + 1]!;
    throw new BltParseError(extra.no, `too many names: ${nCand} candidates and a title expected, found ${names.length} lines`);
  }
  const candidates = names.slice(0, nCand).map((n) => n.name);
  const seenName = new Map<string, number>();
  names.slice(0, nCand).forEach((n, i) => {
    if (n.name === '') throw new BltParseError(n.no, `candidate ${i + 1} has an empty name`);
    if (seenName.has(n.name)) throw new BltParseError(n.no, `candidate ${i + 1} has the same name as candidate ${seenName.get(n.name)! + 1} ("${n.name}")`);
    seenName.set(n.name, i);
  });
  return { seats, candidates, withdrawn, ballots, title: names[nCand]?.name ?? '' };
}

/** Write a BLT file (quoted names), e.g. an election's anonymous ballots. */
export function writeBlt(blt: Blt): string {
  const q = (s: string) => `"${s.replace(/"/g, "'")}"`;
  const out: string[] = [`${blt.candidates.length} ${blt.seats}`];
  if (blt.withdrawn.length) out.push(blt.withdrawn.map((c) => `-${c + 1}`).join(' '));
  for (const b of blt.ballots) out.push(`${b.weight} ${b.prefs.map((c) => c + 1).join(' ')}${b.prefs.length ? ' ' : ''}0`);
  out.push('0');
  for (const c of blt.candidates) out.push(q(c));
  out.push(q(blt.title));
  return `${out.join('\n')}\n`;
}
