/**
 * `parent-mutual stv count FILE.blt [--seats N] [--json] [--seed S]`: count a BLT file by the Scottish
 * STV rules and print the stage table and the elected. argv starts after `stv`.
 * Exit codes: 0 counted; 1 the file cannot be read; 2 bad arguments or a malformed BLT ("line N: …").
 */
import { readFile } from 'node:fs/promises';
import { BltParseError, parseBlt } from './blt.ts';
import { countStv, type StvResult } from './count.ts';

const COUNT_HELP = `Usage: parent-mutual stv count FILE.blt [options]

Count a single transferable vote election stored in the BLT ballot format by the Scottish rules
(Scottish Local Government Elections Order 2007, Schedule 1, rules 45–52): Droop quota
⌊valid/(seats+1)⌋+1, transfer values to five decimal places with the remainder ignored, the largest
surplus first, ties by the most recent stage at which the candidates differed, then by lot.

Prints the stage table (candidates as rows; for each stage the transfer and the total, * = elected,
x = excluded), the non-transferable votes, the votes lost to truncation, and the elected in order.

Options:
  --seats N     seats to fill (default: the number in the file's first line)
  --seed S      seed for any drawing of lots (default: a random one, printed when a lot is drawn);
                the same file, seats and seed always give the same result
  --json        print JSON: elected (names in order), quota, valid, stages, tieBreaks, seed
  --help        show this help

BLT: "candidates seats" / optional withdrawn "-n" line / one line per ballot "weight prefs… 0" /
"0" / one name a line (quoted or not) / the title. Exit 2 with "line N: …" for a malformed file.
`;

const HELP = `Usage: parent-mutual stv count FILE.blt [--seats N] [--seed S] [--json]

  count     count a BLT ballot file by the Scottish STV rules (see stv count --help)
`;

class ArgError extends Error {}

function pad(s: string, n: number, left = false): string {
  return left ? s.padStart(n) : s.padEnd(n);
}

/** The table councils publish: candidates as rows, stages as columns (transfer, total). */
export function renderStages(r: StvResult): string {
  const lines: string[] = [];
  lines.push(`${r.title || 'STV count'}: ${r.seats} seat${r.seats === 1 ? '' : 's'}, ${r.valid} valid ballot papers, quota ${r.quota}`);
  if (r.withdrawn.length) lines.push(`Withdrawn: ${r.withdrawn.join(', ')}`);
  lines.push('');
  for (const s of r.stages) {
    const what =
      s.action === 'first'
        ? 'first preferences'
        : s.action === 'surplus'
          ? `surplus of ${s.candidate} (${s.surplus}) transferred, transfer value ${s.transferValue}`
          : `${s.candidate} excluded, papers transferred at their current values`;
    const el = s.elected.length ? `; elected: ${s.elected.join(', ')}` : '';
    lines.push(`Stage ${s.n}: ${what}${el}`);
  }
  for (const t of r.tieBreaks) {
    lines.push(
      t.method === 'lot'
        ? `Tie at stage ${t.stage} (${t.kind}, rule ${t.rule}) between ${t.tied.join(', ')}: drawn by lot with seed "${t.seed}": ${t.chosen}`
        : `Tie at stage ${t.stage} (${t.kind}, rule ${t.rule}) between ${t.tied.join(', ')}: decided by the totals at stage ${t.priorStage}: ${t.chosen}`,
    );
  }
  lines.push('');
  const electedAt = new Map<string, number>();
  const excludedAt = new Map<string, number>();
  for (const s of r.stages) {
    for (const e of s.elected) electedAt.set(e, s.n);
    for (const x of s.excluded) excludedAt.set(x, s.n);
  }
  const nameW = Math.max(9, ...r.candidates.map((c) => c.length), 'Non-transferable'.length);
  const header = [pad('Candidate', nameW)];
  const sub = [pad('', nameW)];
  const colW = Math.max(11, ...r.stages.map((s) => Object.values(s.votes).reduce((m, v) => Math.max(m, v.length + 2), 0)));
  for (const s of r.stages) {
    if (s.n === 1) {
      header.push(pad('Stage 1', colW + 1, true));
      sub.push(pad('total', colW + 1, true));
    } else {
      header.push(pad(`Stage ${s.n}`, colW * 2 + 2, true));
      sub.push(pad('transfer', colW + 1, true), pad('total', colW + 1, true));
    }
  }
  lines.push(header.join(' '), sub.join(' '));
  const cell = (s: (typeof r.stages)[number], v: string, t: string, mark: string) =>
    s.n === 1 ? [pad(v + mark, colW + 1, true)] : [pad(t, colW + 1, true), pad(v + mark, colW + 1, true)];
  for (const c of r.candidates) {
    const row = [pad(c, nameW)];
    for (const s of r.stages) {
      const mark = electedAt.get(c) === s.n ? '*' : excludedAt.get(c) === s.n ? 'x' : ' ';
      const gone = (excludedAt.get(c) ?? Infinity) < s.n || r.withdrawn.includes(c);
      row.push(...cell(s, gone ? '' : s.votes[c]!, gone || s.transfers[c] === '0.00000' ? '' : s.transfers[c]!, mark));
    }
    lines.push(row.join(' '));
  }
  const extra = (label: string, get: (s: (typeof r.stages)[number]) => string) => {
    const row = [pad(label, nameW)];
    let prev = 0;
    for (const s of r.stages) {
      const v = get(s);
      const u = Number(v.replace('.', ''));
      const d = u - prev;
      prev = u;
      const t = d === 0 ? '' : `${d > 0 ? '+' : ''}${(d / 100000).toFixed(5)}`;
      row.push(...cell(s, v, t, ' '));
    }
    lines.push(row.join(' '));
  };
  extra('Non-transferable', (s) => s.nonTransferable);
  extra('Truncation loss', (s) => s.loss);
  lines.push('');
  lines.push(`Elected (in order): ${r.elected.join(', ')}`);
  return lines.join('\n');
}

async function countCommand(args: string[], out: (s: string) => void): Promise<number> {
  let file: string | undefined;
  let json = false;
  let seats: number | undefined;
  let seed: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new ArgError(`${name} needs a value`);
      return v;
    };
    if (name === '--help' || name === '-h') {
      out(COUNT_HELP);
      return 0;
    } else if (name === '--json') json = true;
    else if (name === '--seats') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new ArgError('--seats must be a whole number of at least 1');
      seats = Number(v);
    } else if (name === '--seed') seed = value();
    else if (name.startsWith('--')) throw new ArgError(`unknown option ${name}`);
    else if (file === undefined) file = a;
    else throw new ArgError('expected one FILE.blt');
  }
  if (file === undefined) throw new ArgError('no FILE.blt given');
  const text = await readFile(file, 'utf8');
  const blt = parseBlt(text);
  if (seats !== undefined && seats > blt.candidates.length) throw new ArgError(`--seats ${seats}: the file has only ${blt.candidates.length} candidates`);
  const r = countStv(blt, { ...(seats !== undefined ? { seats } : {}), ...(seed !== undefined ? { seed } : {}) });
  if (json) {
    out(JSON.stringify(r, null, 2));
    return 0;
  }
  out(renderStages(r));
  return 0;
}

/** Runs `stv …`; argv starts after `stv`. */
export async function runStvCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'count') return await countCommand(rest, out);
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      out(HELP);
      return sub === undefined ? 2 : 0;
    }
    throw new ArgError(`unknown command "${sub}" (count)`);
  } catch (e) {
    if (e instanceof ArgError) {
      out(`error: ${e.message}\n(see parent-mutual stv count --help)`);
      return 2;
    }
    if (e instanceof BltParseError) {
      out(`error: ${e.message}`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      out(`error: cannot read ${err.path ?? 'file'}: ${err.code}`);
      return 1;
    }
    throw e;
  }
}
