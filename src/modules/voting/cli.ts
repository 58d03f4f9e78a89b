/**
 * `parent-mutual pb …`: count a Pabulib file with a chosen rule, or compare greedy with MES.
 * argv starts after `pb`. Returns the exit code: 0 ok, 1 bad file, 2 bad arguments.
 */
import { readFile } from 'node:fs/promises';
import { Rational } from '../../lib/rational.ts';
import { countDetailed } from './count.ts';
import type { CountCache } from './count.ts';
import { explainProjects, explainVoter, summariseOutcome } from './explain.ts';
import { PbParseError, parsePb } from './pabulib.ts';
import { renderComparison, renderCount, renderVoter } from './render.ts';
import { RULE_NAMES, TIE_BREAK_KEYS, UTILITIES, defaultUtility, projectStats, thresholdFromMeta } from './rules.ts';
import type { Completion, CountParams, RuleName, Threshold, TieBreakKey, Utility } from './rules.ts';
import { chooseAdd1Step } from './completion.ts';
import type { Add1Progress } from './completion.ts';
import { prepareMes } from './mes.ts';
import type { Instance } from './instance.ts';
import { LOCALES, type Locale } from '../../ui/i18n/locales.ts';

// The languages of the explanations (voting/i18n.ts) are the catalogues'; help and argument errors stay in English.
const LANGS = LOCALES;

const COUNT_HELP = `Usage: parent-mutual pb count FILE.pb [options]

Count a participatory-budgeting vote stored in the Pabulib .pb format.

Options:
  --rule greedy|greedy-stop|greedy-cost|greedy-threshold|mes   counting rule (default mes)
      greedy            fund by votes (points), skipping projects that do not fit
      greedy-stop       fund by votes, stopping at the first project that does not fit
      greedy-cost       fund by votes per unit of cost, skipping projects that do not fit
      greedy-threshold  as greedy, over the projects whose score reaches the threshold
                        (META min_project_score_threshold, or --threshold)
      mes               Method of Equal Shares
      No rule funds a project nobody chose, even when money is left.
  --threshold N                  greedy rules: a project needs a score (votes; points on
                                 cumulative ballots) of at least N
  --min-share X                  greedy rules: a project needs at least this share of the
                                 voters choosing it (0.05 or 5%)
  --utility cost|cardinal        MES utilities; the default follows the ballots: cardinal on
                                 cumulative / scoring ballots, else cost (as equalshares.net)
      cost      a voter values each project they chose at its cost
      cardinal  a voter values each project they chose at 1 (approval), or at the points
                they gave it (cumulative / scoring); this is not pabutools' count-based
                "cardinality" utility
  --completion LIST              MES completion, comma-separated (default add1):
      none             plain MES
      add1             raise every voter's share one unit at a time; keep the last
                       outcome within the budget (the rule used in Wieliczka, Świecie, Assen)
      add1-exhaustive  as add1, but stop as soon as the outcome is exhaustive (pabutools)
      utilitarian      then fund what is left by votes, skipping what does not fit
  --add1-start exact|integer     exact: budget/n then +1 (default); integer: ⌊budget/n⌋+1, +2…
  --add1-step N|auto             per-voter increment for add1 (default 1, as the rule says);
                                 auto: 1 when that needs at most --add1-max-runs runs, else
                                 the smallest whole step that does (the step used is in the
                                 result)
  --add1-max-runs N              stop add1 after N MES runs with a message (default 5000);
                                 progress is shown on stderr when it is a terminal
  --comparison                   switch to the greedy outcome if more voters prefer it
  --tie-break LIST               tie-break order from cost,votes,score,id,order (default cost,votes,id)
  --voter ID                     also explain where this voter's share went
  --json                         print JSON (winners in order, steps, parameters, ties)
  --explain                      with --json: add the explanations (why each project was or
                                 was not funded); the text output always explains
  --lang en|pl                   language of the explanation (default en)
  --help                         show this help
`;

const COMPARE_HELP = `Usage: parent-mutual pb compare FILE.pb [options]

Greedy (by votes) and the Method of Equal Shares side by side: projects funded, total cost,
how many voters got none of their choices.

Options:
  --utility cost|cardinal   MES utilities (default: cardinal = points on cumulative / scoring
                            ballots, else cost; see pb count --help)
  --completion LIST         MES completion as for "pb count" (default add1)
  --add1-start exact|integer
  --add1-step N|auto
  --add1-max-runs N         default 5000
  --tie-break LIST          default cost,votes,id
  --json                    print JSON
  --lang en|pl              language of the table (default en)
  --help                    show this help
`;

const HELP = `Usage: parent-mutual pb count|compare FILE.pb [options]

  count     count a vote with a chosen rule (see pb count --help)
  compare   greedy vs Method of Equal Shares side by side (see pb compare --help)
`;

class ArgError extends Error {}

interface Parsed {
  file: string;
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--rule', '--utility', '--completion', '--tie-break', '--add1-start', '--add1-step', '--add1-max-runs', '--voter', '--lang', '--threshold', '--min-share']);
const BOOL_FLAGS = new Set(['--comparison', '--json', '--explain', '--help']);

function parseArgs(args: string[], allowed: Set<string>): Parsed {
  const flags = new Map<string, string | true>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (!allowed.has(name)) throw new ArgError(`unknown option ${name}`);
      if (flags.has(name)) throw new ArgError(`${name} given twice`);
      if (BOOL_FLAGS.has(name)) {
        if (eq >= 0) throw new ArgError(`${name} takes no value`);
        flags.set(name, true);
      } else {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined || v === '' || (eq < 0 && v.startsWith('--'))) throw new ArgError(`${name} needs a value`);
        flags.set(name, v);
      }
    } else files.push(a);
  }
  if (flags.has('--help')) return { file: '', flags };
  if (files.length !== 1) throw new ArgError(files.length === 0 ? 'no FILE.pb given' : `expected one file, got ${files.length}`);
  return { file: files[0] as string, flags };
}

function oneOf<T extends string>(v: string | true | undefined, allowed: readonly T[], flag: string, dflt: T): T {
  if (v === undefined) return dflt;
  if (v === true || !(allowed as readonly string[]).includes(v)) throw new ArgError(`${flag} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function completionFrom(flags: Map<string, string | true>): Completion {
  const raw = flags.get('--completion') ?? 'add1';
  if (raw === true) throw new ArgError('--completion needs a value');
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const c: Completion = { add1: null, utilitarian: false };
  const start = oneOf(flags.get('--add1-start'), ['exact', 'integer'] as const, '--add1-start', 'exact');
  const stepText = flags.get('--add1-step') ?? '1';
  let step: Rational;
  if (stepText === 'auto') step = AUTO_STEP;
  else {
    try {
      step = Rational.parse(stepText === true ? '' : stepText);
    } catch {
      throw new ArgError('--add1-step must be a number or auto');
    }
    if (step.sign() <= 0) throw new ArgError('--add1-step must be positive');
  }
  const capText = flags.get('--add1-max-runs') ?? '5000';
  const maxRuns = capText === true ? NaN : Number(capText);
  if (!Number.isSafeInteger(maxRuns) || maxRuns < 1) throw new ArgError('--add1-max-runs must be a whole number ≥ 1');
  for (const it of items) {
    if (it === 'none') continue;
    if (it === 'add1' || it === 'add1-exhaustive') {
      if (c.add1) throw new ArgError('--completion: give add1 or add1-exhaustive once');
      c.add1 = { stopWhenExhaustive: it === 'add1-exhaustive', start, step, maxRuns };
    } else if (it === 'utilitarian') c.utilitarian = true;
    else throw new ArgError(`--completion: unknown "${it}" (none, add1, add1-exhaustive, utilitarian)`);
  }
  if (items.includes('none') && (c.add1 || c.utilitarian)) throw new ArgError('--completion: "none" cannot be combined');
  return c;
}

/** Stands for --add1-step auto until the instance is read (then chooseAdd1Step decides). */
const AUTO_STEP = Rational.of(-1);

function resolveAutoStep(inst: Instance, params: CountParams): void {
  const a = params.completion.add1;
  if (!a || a.step !== AUTO_STEP) return;
  const prep = prepareMes(inst, projectStats(inst), params.utility);
  a.step = chooseAdd1Step(prep, a.start, a.maxRuns ?? 5000);
}

function thresholdFrom(flags: Map<string, string | true>, inst: Instance, rule: RuleName): Threshold | undefined {
  const t: Threshold = {};
  const score = flags.get('--threshold');
  if (typeof score === 'string') {
    try {
      t.minScore = Rational.parse(score);
    } catch {
      throw new ArgError('--threshold must be a number');
    }
  }
  const share = flags.get('--min-share');
  if (typeof share === 'string') {
    const pct = share.trim().endsWith('%');
    try {
      t.minShare = Rational.parse(pct ? share.trim().slice(0, -1) : share);
    } catch {
      throw new ArgError('--min-share must be a number such as 0.05 or 5%');
    }
    if (pct) t.minShare = t.minShare.divInt(100n);
    if (t.minShare.sign() < 0 || t.minShare.gt(Rational.ONE)) throw new ArgError('--min-share must be between 0 and 1 (or 0% and 100%)');
  }
  if (t.minScore || t.minShare) return t;
  if (rule !== 'greedy-threshold') return undefined;
  let meta: Threshold | undefined;
  try {
    meta = thresholdFromMeta(inst.meta);
  } catch {
    throw new ArgError('META min_project_score_threshold is not a number; give --threshold');
  }
  if (!meta) throw new ArgError('--rule greedy-threshold needs a threshold: the file has no META min_project_score_threshold; give --threshold or --min-share');
  return meta;
}

/** On a terminal, add1's runs on one stderr line that rewrites itself. */
function add1ProgressOnTerminal(): ((p: Add1Progress) => void) | undefined {
  const err = process.stderr;
  if (!err.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.runs > 1) return;
    last = now;
    const cap = p.maxRuns !== undefined ? Math.min(p.maxRuns, p.runsBound) : p.runsBound;
    err.write(`\radd1: run ${p.runs} of at most ${cap}, share ${p.perVoterBudget.toDecimal(2)}   `);
  };
}

function tieBreakFrom(v: string | true | undefined): TieBreakKey[] {
  if (v === undefined) return ['cost', 'votes', 'id'];
  if (v === true) throw new ArgError('--tie-break needs a value');
  const keys = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (keys.length === 0) throw new ArgError('--tie-break needs at least one key');
  for (const k of keys) {
    if (!(TIE_BREAK_KEYS as readonly string[]).includes(k)) throw new ArgError(`--tie-break: unknown key "${k}" (${TIE_BREAK_KEYS.join(', ')})`);
  }
  if (new Set(keys).size !== keys.length) throw new ArgError('--tie-break: a key is repeated');
  return keys as TieBreakKey[];
}

async function load(file: string): Promise<Instance> {
  const text = await readFile(file, 'utf8');
  return parsePb(text);
}

function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2);
}

async function countCommand(args: string[], out: (s: string) => void): Promise<number> {
  const allowed = new Set([...VALUE_FLAGS, ...BOOL_FLAGS]);
  const { file, flags } = parseArgs(args, allowed);
  if (flags.has('--help')) {
    out(COUNT_HELP);
    return 0;
  }
  const rule = oneOf<RuleName>(flags.get('--rule'), RULE_NAMES, '--rule', 'mes');
  const utilityFlag = flags.get('--utility');
  const params: CountParams = {
    rule,
    utility: oneOf<Utility>(utilityFlag, UTILITIES, '--utility', 'cost'),
    completion: completionFrom(flags),
    comparison: flags.get('--comparison') === true,
    tieBreak: tieBreakFrom(flags.get('--tie-break')),
  };
  if (rule !== 'mes') {
    if (flags.has('--comparison')) throw new ArgError('--comparison applies to --rule mes only');
    params.completion = { add1: null, utilitarian: false };
  } else if (flags.has('--threshold') || flags.has('--min-share')) {
    throw new ArgError('--threshold and --min-share apply to the greedy rules only');
  }
  const voterId = flags.get('--voter');
  const lang = oneOf<Locale>(flags.get('--lang'), LANGS, '--lang', 'en');
  const asJson = flags.get('--json') === true;
  const explain = !asJson || flags.get('--explain') === true || typeof voterId === 'string';
  const inst = await load(file);
  if (utilityFlag === undefined) params.utility = defaultUtility(inst.voteType);
  const threshold = thresholdFrom(flags, inst, rule);
  if (threshold) params.threshold = threshold;
  resolveAutoStep(inst, params);
  const onAdd1Progress = params.completion.add1 ? add1ProgressOnTerminal() : undefined;
  const detail = countDetailed(inst, params, {}, { record: explain, ...(onAdd1Progress ? { onAdd1Progress } : {}) });
  if (onAdd1Progress) process.stderr.write('\n');
  const projects = explain ? explainProjects(inst, detail) : [];
  let voter;
  if (typeof voterId === 'string') {
    const idx = inst.ballots.findIndex((b) => b.voterId === voterId);
    if (idx < 0) throw new ArgError(`--voter: no voter "${voterId}" in ${file}`);
    voter = explainVoter(inst, detail, idx);
  }
  if (asJson) {
    out(json(explain ? { ...detail.result, explanation: { projects, ...(voter ? { voter } : {}) } } : detail.result));
    return 0;
  }
  out(renderCount(detail.result, projects, lang));
  if (voter) {
    out('');
    for (const line of renderVoter(voter, lang)) out(line);
  }
  return 0;
}

async function compareCommand(args: string[], out: (s: string) => void): Promise<number> {
  const allowed = new Set(['--utility', '--completion', '--add1-start', '--add1-step', '--add1-max-runs', '--tie-break', '--json', '--lang', '--help']);
  const { file, flags } = parseArgs(args, allowed);
  if (flags.has('--help')) {
    out(COMPARE_HELP);
    return 0;
  }
  const tieBreak = tieBreakFrom(flags.get('--tie-break'));
  const utilityFlag = flags.get('--utility');
  let utility = oneOf<Utility>(utilityFlag, UTILITIES, '--utility', 'cost');
  const completion = completionFrom(flags);
  const lang = oneOf<Locale>(flags.get('--lang'), LANGS, '--lang', 'en');
  const inst = await load(file);
  if (utilityFlag === undefined) utility = defaultUtility(inst.voteType);
  resolveAutoStep(inst, { rule: 'mes', utility, completion, comparison: false, tieBreak });
  const cache: CountCache = {};
  const none = { add1: null, utilitarian: false };
  const greedy = countDetailed(inst, { rule: 'greedy', utility, completion: none, comparison: false, tieBreak }, cache);
  const mes = countDetailed(inst, { rule: 'mes', utility, completion, comparison: false, tieBreak }, cache);
  const groups = mes.mes?.prep.groups ?? [];
  const rows = [summariseOutcome(inst, groups, 'greedy', greedy.selected), summariseOutcome(inst, groups, 'mes', mes.selected)];
  if (flags.get('--json') === true) {
    out(json({ greedy: greedy.result, mes: mes.result, proportionality: rows }));
    return 0;
  }
  out(renderComparison(rows, inst.ballots.length, lang));
  return 0;
}

/** Runs `pb …`; argv starts after `pb`. */
export async function runPbCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'count') return await countCommand(rest, out);
    if (sub === 'compare') return await compareCommand(rest, out);
    if (sub === undefined || sub === '--help' || sub === 'help') {
      out(HELP);
      return sub === undefined ? 2 : 0;
    }
    throw new ArgError(`unknown command "${sub}" (count, compare)`);
  } catch (e) {
    if (e instanceof ArgError) {
      out(`error: ${e.message}\n(see parent-mutual pb ${sub === 'compare' ? 'compare' : 'count'} --help)`);
      return 2;
    }
    if (e instanceof PbParseError) {
      const file = argv.find((a, k) => k > 0 && !a.startsWith('--') && !VALUE_FLAGS.has(argv[k - 1] ?? '')) ?? 'file';
      out(`error: ${file}: ${e.message}`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      out(`error: cannot read ${err.path ?? 'file'}: ${err.code}`);
      return 1;
    }
    throw e;
  }
}
