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
  // The keyed-by-text version merges, beyond 0xd800 projects, a ballot without points with one
  // whose points are all 1 (their texts coincide): that rare case keeps its exact behaviour.
  if (inst.projects.length >= 0xd800) return groupBallotsByText(inst);
  return groupBallotsByHash(inst) ?? groupBallotsByText(inst);
}

/**
 * The same groups, in the same order (first appearance), as groupBallotsByText, found with a
 * hash table of integers instead of a string key per ballot (90,000 ballots: making and
 * hashing the strings was half of MES's preparation). A ballot's canonical form is its project
 * indices sorted (ballots without points: every utility 1, kind 0) or its (project, points)
 * pairs with points > 0 sorted by project (kind 1: the texts of the two kinds never coincide
 * below 0xd800 projects). Undefined when some points are not whole numbers below 2^31 in size
 * (then the text keys decide).
 */
function groupBallotsByHash(inst: Instance): BallotGroup[] | undefined {
  const withPoints = inst.voteType === 'cumulative' || inst.voteType === 'scoring';
  const n = inst.ballots.length;
  let size = 16;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  /** Group index + 1 per slot (0: empty), and the slot's full hash (compared before the group). */
  const table = new Int32Array(size);
  const hashes = new Int32Array(size);
  const groups: BallotGroup[] = [];
  const kinds: number[] = [];
  /** Per group with points: its points as numbers (for comparing). */
  const groupPoints: (Float64Array | undefined)[] = [];
  let ps = new Int32Array(32);
  let us = new Float64Array(32);
  let order = new Int32Array(32);
  const LIMIT = 2n ** 31n;
  for (let i = 0; i < n; i++) {
    const b = inst.ballots[i] as Ballot;
    const list = b.projects;
    const kind = withPoints && b.points ? 1 : 0;
    const pts = kind === 1 ? (b.points as Rational[]) : undefined;
    if (list.length > ps.length) {
      ps = new Int32Array(list.length * 2);
      us = new Float64Array(list.length * 2);
      order = new Int32Array(list.length * 2);
    }
    // Canonical form into ps / us (insertion sort by project, stable), and its hash.
    let L = 0;
    for (let k = 0; k < list.length; k++) {
      const p = list[k] as number;
      let u = 1;
      if (pts) {
        const r = pts[k] ?? Rational.ONE;
        if (r.den !== 1n || r.num >= LIMIT || r.num <= -LIMIT) return undefined;
        u = Number(r.num);
        if (u <= 0) continue;
      }
      let j = L - 1;
      while (j >= 0 && (ps[j] as number) > p) {
        ps[j + 1] = ps[j] as number;
        us[j + 1] = us[j] as number;
        order[j + 1] = order[j] as number;
        j--;
      }
      ps[j + 1] = p;
      us[j + 1] = u;
      order[j + 1] = k;
      L++;
    }
    let h = kind === 1 ? 0x2545f491 : 0x811c9dc5;
    for (let k = 0; k < L; k++) {
      h = Math.imul(h ^ (ps[k] as number), 0x01000193);
      if (kind === 1) h = Math.imul(h ^ (us[k] as number), 0x5bd1e995);
    }
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ L;
    let slot = (h ^ (h >>> 13)) & mask;
    let found = -1;
    for (;;) {
      const at = table[slot] as number;
      if (at === 0) break;
      const g = groups[at - 1] as BallotGroup;
      if (hashes[slot] === h && kinds[at - 1] === kind && g.projects.length === L) {
        let same = true;
        const gp = g.projects;
        const gu = groupPoints[at - 1];
        for (let k = 0; k < L && same; k++) {
          if (gp[k] !== ps[k]) same = false;
          else if (gu && gu[k] !== us[k]) same = false;
        }
        if (same) {
          found = at - 1;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (found < 0) {
      found = groups.length;
      const projects = new Array<number>(L);
      const utilities = new Array<Rational>(L);
      for (let k = 0; k < L; k++) {
        projects[k] = ps[k] as number;
        utilities[k] = pts ? (pts[order[k] as number] ?? Rational.ONE) : Rational.ONE;
      }
      groups.push({ projects, utilities, weight: 0, members: [] });
      kinds.push(kind);
      groupPoints.push(pts ? us.slice(0, L) : undefined);
      table[slot] = found + 1;
      hashes[slot] = h;
    }
    const g = groups[found] as BallotGroup;
    g.weight += 1;
    g.members.push(i);
  }
  return groups;
}

/** groupBallots by string keys: the general case (fractional or large points, or 55,296 projects and more). */
function groupBallotsByText(inst: Instance): BallotGroup[] {
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
