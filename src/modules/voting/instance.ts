/**
 * The participatory-budgeting instance: projects, a budget and voters' ballots.
 * Pure data; the rules live in greedy.ts and mes.ts.
 */
import { Rational } from '../../lib/rational.ts';

export type VoteType = 'approval' | 'cumulative' | 'ordinal' | 'choose-1' | 'scoring';
export const VOTE_TYPES: readonly VoteType[] = ['approval', 'cumulative', 'ordinal', 'choose-1', 'scoring'];

export interface Project {
  id: string;
  name: string;
  cost: Rational;
  categories: string[];
  /** Target groups / wards. */
  targets: string[];
  /** Every other column as written in the file (votes, selected, score, …). */
  fields: Record<string, string>;
}

/**
 * One ballot. `projects` holds project indices (into Instance.projects); for ordinal ballots
 * in rank order (best first). `points` is present for cumulative / scoring ballots only.
 */
export interface Ballot {
  voterId: string;
  projects: number[];
  points?: Rational[];
  fields: Record<string, string>;
}

/** Limits on a ballot as announced (META min_length, max_length, max_sum_points, …). */
export interface BallotLimits {
  minLength?: number;
  maxLength?: number;
  minSumPoints?: Rational;
  maxSumPoints?: Rational;
  minPoints?: Rational;
  maxPoints?: Rational;
}

export interface Instance {
  /** META entries in file order. */
  meta: [string, string][];
  budget: Rational;
  voteType: VoteType;
  projects: Project[];
  ballots: Ballot[];
  limits: BallotLimits;
  /** Column order as read, so the file can be written back faithfully. */
  projectColumns: string[];
  voteColumns: string[];
  /** Oddities tolerated while reading (e.g. a project listed twice on one ballot). */
  warnings: PbWarning[];
}

export interface PbWarning {
  code: 'repeated-project-in-vote';
  line: number;
  detail: string;
}

export function metaValue(inst: Instance, key: string): string | undefined {
  for (const [k, v] of inst.meta) if (k === key) return v;
  return undefined;
}

/** The projects the file marks as selected (official outcome), or undefined when absent. */
export function officialSelection(inst: Instance): string[] | undefined {
  if (!inst.projectColumns.includes('selected')) return undefined;
  return inst.projects.filter((p) => {
    const s = (p.fields['selected'] ?? '').trim();
    return s !== '' && s !== '0' && s.toLowerCase() !== 'none';
  }).map((p) => p.id);
}

/**
 * Utility of project index j for a ballot, as a Rational: 1 for approval / choose-1 / ordinal
 * (a ranked project counts as approved), the points for cumulative / scoring ballots.
 */
export function ballotUtilities(inst: Instance, b: Ballot): Rational[] {
  if ((inst.voteType === 'cumulative' || inst.voteType === 'scoring') && b.points) return b.points;
  return b.projects.map(() => Rational.ONE);
}

/** Compares project ids naturally: numerically when both are integers, else by code points. */
export function compareIds(a: string, b: string): number {
  const na = /^-?\d+$/.test(a);
  const nb = /^-?\d+$/.test(b);
  if (na && nb) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Voters with identical ballots grouped into weighted classes: the rules work on these,
 * which keeps big instances (90,000 voters) fast and makes results independent of voter order.
 */
export interface BallotGroup {
  projects: number[];
  utilities: Rational[];
  /** Number of voters with this ballot. */
  weight: number;
  /** Indices into Instance.ballots of the voters in this group. */
  members: number[];
}

export function groupBallots(inst: Instance): BallotGroup[] {
  const byKey = new Map<string, BallotGroup>();
  const withPoints = inst.voteType === 'cumulative' || inst.voteType === 'scoring';
  // Project indices as UTF-16 code units make a short key (a character per choice, no commas).
  const shortKeys = inst.projects.length < 0xd800;
  inst.ballots.forEach((b, i) => {
    if (!withPoints || !b.points) {
      // Every utility is 1 (approval, ordinal, choose-1): the same groups as below, without
      // building a pair per choice (90,000 ballots in Łódź 2022).
      const projects = sortedCopy(b.projects);
      const key = shortKeys ? String.fromCharCode(...projects) : projects.join(',');
      let g = byKey.get(key);
      if (!g) {
        g = { projects, utilities: projects.map(() => Rational.ONE), weight: 0, members: [] };
        byKey.set(key, g);
      }
      g.weight += 1;
      g.members.push(i);
      return;
    }
    const utils = ballotUtilities(inst, b);
    // Canonical order (by project index) so that ballot order does not matter.
    const pairs = b.projects.map((p, k) => [p, utils[k] ?? Rational.ONE] as const)
      .filter(([, u]) => u.sign() > 0)
      .sort((x, y) => x[0] - y[0]);
    const key = pairs.map(([p, u]) => (u.eq(Rational.ONE) ? `${p}` : `${p}:${u.toString()}`)).join(',');
    let g = byKey.get(key);
    if (!g) {
      g = { projects: pairs.map(([p]) => p), utilities: pairs.map(([, u]) => u), weight: 0, members: [] };
      byKey.set(key, g);
    }
    g.weight += 1;
    g.members.push(i);
  });
  return [...byKey.values()];
}

/** A sorted copy of a ballot's project indices (insertion sort: ballots are short, and a comparator call per step cost more). */
function sortedCopy(ps: readonly number[]): number[] {
  const n = ps.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = ps[i] as number;
    let j = i - 1;
    while (j >= 0 && (out[j] as number) > v) {
      out[j + 1] = out[j] as number;
      j--;
    }
    out[j + 1] = v;
  }
  return out;
}

/** Number of voters supporting each project, and the sum of their points (votes for approval). */
export function tallies(inst: Instance): { supporters: number[]; score: Rational[] } {
  const fast = talliesInWholeNumbers(inst);
  if (fast) return fast;
  const supporters = inst.projects.map(() => 0);
  const score = inst.projects.map(() => Rational.ZERO);
  for (const b of inst.ballots) {
    const utils = ballotUtilities(inst, b);
    b.projects.forEach((p, k) => {
      const u = utils[k] ?? Rational.ONE;
      if (u.sign() <= 0) return;
      supporters[p] = (supporters[p] ?? 0) + 1;
      score[p] = (score[p] ?? Rational.ZERO).add(u);
    });
  }
  return { supporters, score };
}

export function totalCost(inst: Instance, selected: readonly number[]): Rational {
  let acc = Rational.ZERO;
  for (const j of selected) acc = acc.add((inst.projects[j] as Project).cost);
  return acc;
}

/**
 * tallies() when every utility is a whole number small enough to add up exactly in doubles
 * (approval, ordinal, whole points): a Rational per choice made it cost as much as greedy itself.
 * Undefined otherwise (fractional or very large points).
 */
function talliesInWholeNumbers(inst: Instance): { supporters: number[]; score: Rational[] } | undefined {
  const m = inst.projects.length;
  const supporters = new Float64Array(m);
  const score = new Float64Array(m);
  const withPoints = inst.voteType === 'cumulative' || inst.voteType === 'scoring';
  const LIMIT = 2n ** 31n;
  for (const b of inst.ballots) {
    const pts = withPoints ? b.points : undefined;
    const ps = b.projects;
    for (let k = 0; k < ps.length; k++) {
      const p = ps[k] as number;
      let u = 1;
      if (pts) {
        const r = pts[k];
        if (r !== undefined) {
          if (r.den !== 1n || r.num >= LIMIT || r.num <= -LIMIT) return undefined;
          u = Number(r.num);
        }
      }
      if (u <= 0) continue;
      supporters[p] = (supporters[p] as number) + 1;
      score[p] = (score[p] as number) + u;
    }
  }
  // Each sum is below 2^31 · ballots: exact in a double while that stays below 2^53.
  if (inst.ballots.length >= 2 ** 22) return undefined;
  return { supporters: Array.from(supporters), score: Array.from(score, (x) => Rational.of(BigInt(x))) };
}
