/**
 * The Scottish STV count: the Scottish Local Government Elections Order 2007 (SSI 2007/42),
 * Schedule 1, rules 45–52. Pure and exact: every vote is an integer number of units of 10⁻⁵
 * (five decimal places), transfer values are computed with BigInt and truncated ("any remainder
 * being ignored", rule 48(3)); no floating point anywhere.
 *
 *  45  first stage: each valid paper credits its first preference with one vote.
 *  46  quota = ⌊valid / (seats + 1)⌋ + 1.
 *  47  a candidate whose votes equal or exceed the quota is elected.
 *  48  a surplus (votes − quota > 0) is transferred: every paper the candidate holds goes to its next
 *      continuing preference with value ⌊surplus × paper value / candidate's votes⌋ (5 dp); papers with
 *      no further preference are non-transferable. The truncation remainder is lost (recorded as `loss`).
 *  49  one surplus per stage, the largest first; equal surpluses: the candidate with more votes at the
 *      most recent stage where they differed, else by lot.
 *  50  with no surplus to transfer, the continuing candidate with fewest votes is excluded and all their
 *      papers move on at the value they had.
 *  51  equal lowest: the one with fewer votes at the most recent stage where they differed, else by lot.
 *  52  when continuing candidates = vacancies left, they are all elected and no further transfer is made.
 *
 * A candidate elected with exactly the quota has no surplus (rule 48 applies only to votes that
 * *exceed* the quota), so no stage is spent on them. (Droop's `scotland` rule transfers such a zero
 * surplus as its own stage; the two agree on every total otherwise.)
 *
 * Lots (rules 49(3), 51(2)(b)) are drawn reproducibly from a seed: each tied candidate's ticket is
 * SHA-256(seed | stage | name) in hex; the lowest ticket wins the draw. The seed and every ticket are
 * in the result, so anyone can check the draw.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Blt } from './blt.ts';

export const UNIT = 100_000; // 10⁻⁵
const UNIT_BIG = 100_000n;

export type StageAction = 'first' | 'surplus' | 'exclusion';

export interface StvStage {
  /** 1 = first preferences. */
  n: number;
  action: StageAction;
  /** Whose surplus is transferred or who is excluded (null at the first stage). */
  candidate: string | null;
  /** Surplus stages: the value of a paper that was worth 1 (⌊surplus/votes⌋ to 5 dp); exclusions: null. */
  transferValue: string | null;
  /** The surplus transferred (surplus stages), else null. */
  surplus: string | null;
  /** Every candidate's votes at the end of the stage (5 dp). Elected after their transfer: the quota; excluded: 0. */
  votes: Record<string, string>;
  /** Change at this stage (5 dp, signed; first stage: the first preferences). */
  transfers: Record<string, string>;
  /** Non-transferable votes so far (5 dp). */
  nonTransferable: string;
  /** Non-transferable ballot papers so far (a count of papers). */
  exhausted: number;
  /** Votes lost to truncation of transfer values so far (5 dp). votes + nonTransferable + loss = valid. */
  loss: string;
  /** Elected at this stage, in order. */
  elected: string[];
  /** Excluded at this stage. */
  excluded: string[];
}

export interface StvTieBreak {
  stage: number;
  kind: 'surplus' | 'exclusion';
  rule: '49(2)' | '49(3)' | '51(2)(a)' | '51(2)(b)';
  method: 'prior-stage' | 'lot';
  tied: string[];
  chosen: string;
  /** prior-stage: the stage whose totals decided. */
  priorStage?: number;
  /** lot: the seed and each candidate's ticket (lowest wins). */
  seed?: string;
  draw?: Array<{ candidate: string; ticket: string }>;
}

export interface StvResult {
  title: string;
  seats: number;
  candidates: string[];
  withdrawn: string[];
  valid: number;
  quota: number;
  elected: string[];
  stages: StvStage[];
  tieBreaks: StvTieBreak[];
  /** The seed used for any lot (given or generated). */
  seed: string;
}

export interface StvOptions {
  seats?: number;
  seed?: string;
}

/** Units of 10⁻⁵ → "123.45678". */
export function fmt(units: number): string {
  const neg = units < 0;
  const a = Math.abs(units);
  const s = `${Math.floor(a / UNIT)}.${String(a % UNIT).padStart(5, '0')}`;
  return neg ? `-${s}` : s;
}

/** "123.45678" → units (exact). */
export function units(s: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,5}))?$/.exec(s.trim());
  if (!m) throw new Error(`not a 5 dp number: ${s}`);
  const v = Number(m[2]) * UNIT + Number((m[3] ?? '').padEnd(5, '0'));
  return m[1] ? -v : v;
}

const HOPEFUL = 0;
const ELECTED = 1;
const OUT = 2;

export function lotTicket(seed: string, stage: number, name: string): string {
  return createHash('sha256').update(`${seed}|${stage}|${name}`).digest('hex');
}

export function countStv(blt: Blt, opts: StvOptions = {}): StvResult {
  const nc = blt.candidates.length;
  const names = blt.candidates;
  const seats = opts.seats ?? blt.seats;
  if (!Number.isInteger(seats) || seats < 1) throw new Error('seats must be a whole number ≥ 1');
  const seed = opts.seed ?? randomUUID();

  const state = new Array<number>(nc).fill(HOPEFUL);
  for (const w of blt.withdrawn) state[w] = OUT;
  const continuing = () => state.reduce((n, s) => n + (s === HOPEFUL ? 1 : 0), 0);

  // Ballot groups: identical papers travel together (same path, same value).
  const ng = blt.ballots.length;
  const prefs: Int32Array[] = blt.ballots.map((b) => Int32Array.from(b.prefs));
  const mult = new Float64Array(ng);
  const value = new Float64Array(ng).fill(UNIT);
  const pos = new Int32Array(ng);
  const piles: number[][] = Array.from({ length: nc }, () => []);
  const votes = new Array<number>(nc).fill(0);

  let valid = 0;
  let nonTransferable = 0;
  let exhausted = 0;
  let loss = 0;

  // Rule 45: first preferences (withdrawn candidates are skipped; a paper with no continuing preference is not valid).
  for (let g = 0; g < ng; g++) {
    mult[g] = blt.ballots[g]!.weight;
    const p = prefs[g]!;
    let k = 0;
    while (k < p.length && state[p[k]!] !== HOPEFUL) k++;
    if (k >= p.length) continue;
    pos[g] = k;
    valid += mult[g]!;
    piles[p[k]!]!.push(g);
    votes[p[k]!]! += mult[g]! * UNIT;
  }
  // Rule 46.
  const quota = Math.floor(valid / (seats + 1)) + 1;
  const Q = quota * UNIT;

  const history: number[][] = []; // votes at the end of each stage
  const stages: StvStage[] = [];
  const tieBreaks: StvTieBreak[] = [];
  const elected: string[] = [];
  const pending: number[] = []; // elected, surplus not yet transferred

  const snapshot = (n: number, action: StageAction, candidate: number | null, tv: number | null, surplus: number | null, before: number[] | null, excl: number[]): StvStage => {
    history.push(votes.slice());
    const v: Record<string, string> = {};
    const t: Record<string, string> = {};
    for (let c = 0; c < nc; c++) {
      v[names[c]!] = fmt(votes[c]!);
      const d = votes[c]! - (before ? before[c]! : 0);
      t[names[c]!] = before && d > 0 ? `+${fmt(d)}` : fmt(d);
    }
    const st: StvStage = {
      n,
      action,
      candidate: candidate === null ? null : names[candidate]!,
      transferValue: tv === null ? null : fmt(tv),
      surplus: surplus === null ? null : fmt(surplus),
      votes: v,
      transfers: t,
      nonTransferable: fmt(nonTransferable),
      exhausted,
      loss: fmt(loss),
      elected: [],
      excluded: excl.map((c) => names[c]!),
    };
    stages.push(st);
    return st;
  };

  /** Order candidates by votes (desc), equal votes by the most recent stage they differed (desc), then index. */
  const byVotesDesc = (cs: number[]): number[] =>
    cs.slice().sort((a, b) => {
      if (votes[b]! !== votes[a]!) return votes[b]! - votes[a]!;
      for (let s = history.length - 1; s >= 0; s--) {
        const h = history[s]!;
        if (h[a] !== h[b]) return h[b]! - h[a]!;
      }
      return a - b;
    });

  /** Rules 47 and 52 at the end of a stage. Returns true when the count is complete. */
  const settle = (st: StvStage): boolean => {
    const hopeful: number[] = [];
    for (let c = 0; c < nc; c++) if (state[c] === HOPEFUL) hopeful.push(c);
    const reached = byVotesDesc(hopeful.filter((c) => votes[c]! >= Q)).slice(0, seats - elected.length);
    for (const c of reached) {
      state[c] = ELECTED;
      elected.push(names[c]!);
      st.elected.push(names[c]!);
      if (votes[c]! > Q) pending.push(c);
    }
    if (elected.length >= seats) return true;
    if (continuing() <= seats - elected.length) {
      // Rule 52: the continuing candidates are deemed elected; no further transfer.
      const rest = byVotesDesc(state.flatMap((s, c) => (s === HOPEFUL ? [c] : [])));
      for (const c of rest) {
        state[c] = ELECTED;
        elected.push(names[c]!);
        st.elected.push(names[c]!);
      }
      return true;
    }
    return false;
  };

  /**
   * Break a tie (rules 49(2)–(3), 51(2)): look back from the most recent stage for one where the tied
   * candidates' votes differ, keeping those with the highest (surplus) or lowest (exclusion) votes there;
   * a tie left at the first stage is drawn by lot.
   */
  const breakTie = (tied: number[], kind: 'surplus' | 'exclusion', stageNo: number): number => {
    if (tied.length === 1) return tied[0]!;
    let left = tied.slice();
    for (let s = history.length - 1; s >= 0 && left.length > 1; s--) {
      const h = history[s]!;
      const vals = left.map((c) => h[c]!);
      const pick = kind === 'surplus' ? Math.max(...vals) : Math.min(...vals);
      const narrowed = left.filter((c) => h[c] === pick);
      if (narrowed.length < left.length) {
        left = narrowed;
        if (left.length === 1) {
          tieBreaks.push({
            stage: stageNo,
            kind,
            rule: kind === 'surplus' ? '49(2)' : '51(2)(a)',
            method: 'prior-stage',
            tied: tied.map((c) => names[c]!),
            chosen: names[left[0]!]!,
            priorStage: s + 1,
          });
          return left[0]!;
        }
      }
    }
    const draw = left.map((c) => ({ c, ticket: lotTicket(seed, stageNo, names[c]!) })).sort((a, b) => (a.ticket < b.ticket ? -1 : 1));
    const chosen = draw[0]!.c;
    tieBreaks.push({
      stage: stageNo,
      kind,
      rule: kind === 'surplus' ? '49(3)' : '51(2)(b)',
      method: 'lot',
      tied: tied.map((c) => names[c]!),
      chosen: names[chosen]!,
      seed,
      draw: draw.map((d) => ({ candidate: names[d.c]!, ticket: d.ticket })),
    });
    return chosen;
  };

  /** Move every paper `from` holds to its next continuing preference; surplus: revalue first (rule 48(3)). */
  const transfer = (from: number, surplus: number | null): void => {
    const pile = piles[from]!;
    piles[from] = [];
    const total = votes[from]!;
    const cache = new Map<number, number>();
    let moved = 0;
    for (const g of pile) {
      let v = value[g]!;
      if (surplus !== null) {
        let nv = cache.get(v);
        if (nv === undefined) {
          nv = Number((BigInt(v) * BigInt(surplus)) / BigInt(total));
          cache.set(v, nv);
        }
        v = nv;
        value[g] = v;
      }
      const p = prefs[g]!;
      let k = pos[g]! + 1;
      while (k < p.length && state[p[k]!] !== HOPEFUL) k++;
      const m = mult[g]!;
      moved += v * m;
      if (k >= p.length) {
        pos[g] = p.length;
        nonTransferable += v * m;
        exhausted += m;
      } else {
        pos[g] = k;
        const to = p[k]!;
        piles[to]!.push(g);
        votes[to]! += v * m;
      }
    }
    if (surplus !== null) {
      loss += surplus - moved;
      votes[from] = Q;
    } else {
      loss += total - moved;
      votes[from] = 0;
    }
  };

  let n = 1;
  const first = snapshot(n, 'first', null, null, null, null, []);
  let done = settle(first);
  while (!done) {
    n++;
    const before = votes.slice();
    if (pending.length > 0) {
      // Rule 49(1): the largest surplus first (largest votes = largest surplus).
      const top = Math.max(...pending.map((c) => votes[c]!));
      const from = breakTie(
        pending.filter((c) => votes[c] === top),
        'surplus',
        n,
      );
      pending.splice(pending.indexOf(from), 1);
      const surplus = votes[from]! - Q;
      const tv = Number((UNIT_BIG * BigInt(surplus)) / BigInt(votes[from]!));
      transfer(from, surplus);
      done = settle(snapshot(n, 'surplus', from, tv, surplus, before, []));
    } else {
      // Rule 50: exclude the continuing candidate with the fewest votes.
      const hopeful = state.flatMap((s, c) => (s === HOPEFUL ? [c] : []));
      const low = Math.min(...hopeful.map((c) => votes[c]!));
      const out = breakTie(
        hopeful.filter((c) => votes[c] === low),
        'exclusion',
        n,
      );
      state[out] = OUT;
      transfer(out, null);
      done = settle(snapshot(n, 'exclusion', out, null, null, before, [out]));
    }
  }

  return {
    title: blt.title,
    seats,
    candidates: names.slice(),
    withdrawn: blt.withdrawn.map((c) => names[c]!),
    valid,
    quota,
    elected,
    stages,
    tieBreaks,
    seed,
  };
}
