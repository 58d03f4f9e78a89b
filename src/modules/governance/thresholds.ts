import type { Outcome, ResolutionKind } from './schema.ts';

/**
 * The voting rule of a motion, pure (issue 12 item 4). Abstentions are recorded and never counted as
 * votes cast. Ordinary: carried when more votes for than against. Special: carried when the votes
 * for are at least `thresholdPct` percent of the votes cast (integer arithmetic: 75% exactly is
 * carried, 74.99% is not). No votes cast: not carried, whatever the rule.
 */
export interface Count {
  kind: ResolutionKind;
  /** Fixed on the motion when it opens: 50 for ordinary, the rules' share for special. */
  thresholdPct: number;
  for: number;
  against: number;
  abstain: number;
}

export interface Decided {
  outcome: Outcome;
  kind: ResolutionKind;
  thresholdPct: number;
  for: number;
  against: number;
  abstain: number;
  /** for + against. */
  cast: number;
  /** The share of votes cast that were for, in percent to two places (null when none were cast). */
  forPct: number | null;
}

function count(n: number, name: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number, 0 or more`);
  return n;
}

export function decide(input: Count): Decided {
  const f = count(input.for, 'for');
  const a = count(input.against, 'against');
  const abstain = count(input.abstain, 'abstain');
  const pct = input.thresholdPct;
  if (!Number.isInteger(pct) || pct < 50 || pct > 100) throw new RangeError('thresholdPct must be a whole number from 50 to 100');
  const cast = f + a;
  const carried = cast > 0 && (input.kind === 'ordinary' ? f > a : f * 100 >= pct * cast);
  return {
    outcome: carried ? 'carried' : 'not_carried',
    kind: input.kind,
    thresholdPct: pct,
    for: f,
    against: a,
    abstain,
    cast,
    forPct: cast === 0 ? null : Math.floor((f * 10000) / cast) / 100,
  };
}

/** The rule as stored in the decisions register (English; pages translate it with `ruleKey`). */
export function ruleText(kind: ResolutionKind, thresholdPct: number): string {
  return kind === 'ordinary'
    ? 'ordinary resolution: more votes for than against (abstentions not counted)'
    : `special resolution: at least ${thresholdPct}% of votes cast (abstentions not counted)`;
}

/** The stored rule text back to its parts, for a translated display (null: someone else's wording). */
export function parseRule(rule: string): { kind: ResolutionKind; thresholdPct: number } | null {
  if (rule === ruleText('ordinary', 50)) return { kind: 'ordinary', thresholdPct: 50 };
  const m = /^special resolution: at least (\d{2,3})% of votes cast \(abstentions not counted\)$/.exec(rule);
  return m ? { kind: 'special', thresholdPct: Number(m[1]) } : null;
}
