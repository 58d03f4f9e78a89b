import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { isUuid } from '../../lib/ids.ts';
import type { Actor } from '../membership/policy.ts';
import { closeMotionIn, conflictedIds, dueOnlineMotions, entitledOn, refuse } from './motions.ts';
import { BALLOT_CHOICES, govMotionBallots, govMotions, govMotionVoters, type BallotChoice, type GovMotion } from './schema.ts';
import { decide } from './thresholds.ts';

/**
 * Secret online ballots (issue 12 item 3; SECURITY.md 22–24). One transaction writes the register
 * row (gov_motion_voters: motion + member, its primary key refuses a second vote) and the ballot
 * (gov_motion_ballots: a UUID v4, the choice and the hash of the voter's receipt code: no member, no
 * time, no key shared with the register). No audit row is written for a vote: its time beside the
 * register would undo the secrecy; the register itself is the record of who voted. The receipt code
 * is shown once; after closing anyone can list the ballots and find theirs by the code.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A receipt code: 12 Crockford base32 symbols (60 random bits), shown as XXXX-XXXX-XXXX. */
export function newReceiptCode(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (let i = 0; i < 12; i++) out += CROCKFORD[bytes[i]! & 31];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/** What a voter types back: case, spaces and dashes ignored; O read as 0, I and L as 1. */
export function normaliseReceipt(code: string): string {
  const clean = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(clean) ? `${clean.slice(0, 4)}-${clean.slice(4, 8)}-${clean.slice(8)}` : '';
}

export function receiptHash(motionId: string, code: string): string {
  return sha256Hex(`gov-motion-receipt:${motionId}:${code}`);
}

/** The length of the hash prefix published beside each ballot. */
export const RECEIPT_PREFIX = 12;

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}

export type BallotState = 'not_online' | 'not_open' | 'before' | 'open' | 'after' | 'closed';

/** Where an online motion stands at `now`. */
export function ballotState(m: Pick<GovMotion, 'voting' | 'status' | 'opensAt' | 'closesAt'>, now: Date): BallotState {
  if (m.voting !== 'secret_online') return 'not_online';
  if (m.status === 'closed') return 'closed';
  if (m.status !== 'open' || !m.opensAt || !m.closesAt) return 'not_open';
  if (now < m.opensAt) return 'before';
  if (now >= m.closesAt) return 'after';
  return 'open';
}

/** Why this member may not vote now (a catalogue key), or null when they may. Checks everything but a previous vote. */
export async function whyNotEntitled(db: Executor, actor: Actor, m: GovMotion, now: Date): Promise<'gov.motions.error.notOpen' | 'gov.motions.error.notYetOpen' | 'gov.motions.error.closed' | 'gov.motions.error.notEntitled' | 'gov.motions.error.conflicted' | 'gov.motions.error.inMeetingOnly' | null> {
  const state = ballotState(m, now);
  if (state === 'not_online') return 'gov.motions.error.inMeetingOnly';
  if (state === 'not_open') return 'gov.motions.error.notOpen';
  if (state === 'before') return 'gov.motions.error.notYetOpen';
  if (state === 'after' || state === 'closed') return 'gov.motions.error.closed';
  const entitled = await entitledOn(db, actor.tenantId, m.electorate, actor.memberId, isoDate(now));
  if (!entitled) return 'gov.motions.error.notEntitled';
  if ((await conflictedIds(db, actor.tenantId, m.id)).includes(actor.memberId)) return 'gov.motions.error.conflicted';
  return null;
}

const REASONS = {
  'gov.motions.error.notOpen': ['conflict', 'This motion is not open for voting.'],
  'gov.motions.error.notYetOpen': ['conflict', 'Voting has not opened yet.'],
  'gov.motions.error.closed': ['conflict', 'Voting has closed.'],
  'gov.motions.error.notEntitled': ['forbidden', 'You are not entitled to vote on this motion.'],
  'gov.motions.error.conflicted': ['forbidden', 'You declared an interest in this motion, so you cannot vote on it.'],
  'gov.motions.error.inMeetingOnly': ['conflict', 'This motion is voted on in the meeting, not online.'],
} as const;

export async function hasVoted(db: Executor, tenantId: string, motionId: string, memberId: string): Promise<boolean> {
  const [row] = await db.select({ m: govMotionVoters.memberId }).from(govMotionVoters).where(and(eq(govMotionVoters.tenantId, tenantId), eq(govMotionVoters.motionId, motionId), eq(govMotionVoters.memberId, memberId)));
  return !!row;
}

/** Cast the actor's secret ballot. Answers the receipt code (shown once; only its hash is kept). */
export async function castBallot(db: Db, actor: Actor, motionId: string, choice: unknown, now: Date): Promise<{ receipt: string }> {
  if (typeof choice !== 'string' || !(BALLOT_CHOICES as readonly string[]).includes(choice)) refuse('validation_failed', 'Choose for, against or abstain.', 'gov.motions.error.choice', 'choice');
  const receipt = newReceiptCode();
  try {
    await db.transaction(async (tx) => {
      // A share lock: votes run side by side; the closing job's FOR UPDATE waits for them, and a vote after it sees the motion closed.
      const [m] = isUuid(motionId) ? await tx.select().from(govMotions).where(and(eq(govMotions.tenantId, actor.tenantId), eq(govMotions.id, motionId))).for('share') : [];
      if (!m) refuse('not_found', 'That motion was not found.', 'gov.motions.error.notFound');
      const why = await whyNotEntitled(tx, actor, m, now);
      if (why) refuse(REASONS[why][0], REASONS[why][1], why);
      await tx.insert(govMotionVoters).values({ tenantId: actor.tenantId, motionId: m.id, memberId: actor.memberId });
      await tx.insert(govMotionBallots).values({ tenantId: actor.tenantId, motionId: m.id, id: randomUUID(), choice: choice as BallotChoice, receiptHash: receiptHash(m.id, receipt) });
    });
  } catch (err) {
    if (isUniqueViolation(err)) refuse('conflict', 'You have already voted on this motion: one member, one vote.', 'gov.motions.error.alreadyVoted');
    throw err;
  }
  return { receipt };
}

export interface PublishedBallot {
  id: string;
  choice: BallotChoice;
  receiptPrefix: string;
}

/** The anonymous ballots of a closed motion, in receipt-hash order (never insertion order). */
export async function publishedBallots(db: Executor, tenantId: string, motionId: string): Promise<PublishedBallot[]> {
  const rows = await db
    .select({ id: govMotionBallots.id, choice: govMotionBallots.choice, hash: govMotionBallots.receiptHash })
    .from(govMotionBallots)
    .where(and(eq(govMotionBallots.tenantId, tenantId), eq(govMotionBallots.motionId, motionId)))
    .orderBy(asc(govMotionBallots.receiptHash));
  return rows.map((r) => ({ id: r.id, choice: r.choice, receiptPrefix: r.hash.slice(0, RECEIPT_PREFIX) }));
}

/** Find a receipt among a closed motion's ballots: the ballot it belongs to, or null. */
export async function checkReceipt(db: Executor, tenantId: string, motionId: string, code: string): Promise<PublishedBallot | null> {
  const normal = normaliseReceipt(code);
  if (!normal) return null;
  const hash = receiptHash(motionId, normal);
  const [r] = await db
    .select({ id: govMotionBallots.id, choice: govMotionBallots.choice })
    .from(govMotionBallots)
    .where(and(eq(govMotionBallots.tenantId, tenantId), eq(govMotionBallots.motionId, motionId), eq(govMotionBallots.receiptHash, hash)));
  return r ? { ...r, receiptPrefix: hash.slice(0, RECEIPT_PREFIX) } : null;
}

export async function ballotTally(db: Executor, tenantId: string, motionId: string): Promise<{ for: number; against: number; abstain: number }> {
  const rows = await db
    .select({ choice: govMotionBallots.choice, n: sql<number>`count(*)::int` })
    .from(govMotionBallots)
    .where(and(eq(govMotionBallots.tenantId, tenantId), eq(govMotionBallots.motionId, motionId)))
    .groupBy(govMotionBallots.choice);
  const n = (c: BallotChoice) => Number(rows.find((r) => r.choice === c)?.n ?? 0);
  return { for: n('for'), against: n('against'), abstain: n('abstain') };
}

/**
 * Close the online motions past their closing time and record their results (the manifest job).
 * Idempotent and safe from two processes: each motion is claimed `FOR UPDATE SKIP LOCKED` and closed
 * only while still open. A motion whose referred kind refuses (`onDecided` throws) stays open and is
 * tried again next run. Answers how many it closed.
 */
export async function closeDueMotions(db: Db, now: Date, opts: { tenantId?: string; onError?: (err: unknown, motionId: string) => void } = {}): Promise<number> {
  let closed = 0;
  for (const due of await dueOnlineMotions(db, now)) {
    if (opts.tenantId && due.tenantId !== opts.tenantId) continue;
    try {
      const done = await db.transaction(async (tx) => {
        const [m] = await tx
          .select()
          .from(govMotions)
          .where(and(eq(govMotions.tenantId, due.tenantId), eq(govMotions.id, due.id), eq(govMotions.status, 'open')))
          .for('update', { skipLocked: true });
        if (!m || !m.closesAt || m.closesAt > now) return false;
        const tally = await ballotTally(tx, m.tenantId, m.id);
        const conflicted = (await conflictedIds(tx, m.tenantId, m.id)).length;
        await closeMotionIn(tx, m, decide({ kind: m.kind, thresholdPct: m.thresholdPct, ...tally }), conflicted, 'system:motions', now);
        return true;
      });
      if (done) closed++;
    } catch (err) {
      opts.onError?.(err, due.id);
    }
  }
  return closed;
}
