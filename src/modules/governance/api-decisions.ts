import { and, asc, desc, eq, gte, inArray } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import type { Actor } from '../membership/policy.ts';
import { insertDecision, referenceKindOf, registerReferenceKind as register, type DecisionInput, type ReferenceKind } from './decisions.ts';
import { createMotion, referMotion as refer } from './motions.ts';
import { govDecisions, govMeetings, govMotions, type Electorate, type Outcome, type RecordRef, type ResolutionKind, type VotingMethod } from './schema.ts';

/**
 * What other modules call to have something decided and recorded (issue 12 → commissioning's
 * board ratification, elections' results). Built by gov-motions: motions.ts (the rules),
 * decisions.ts (the register and the reference kinds).
 */

export type { DecisionInput, MotionDecision, ReferenceKind } from './decisions.ts';

/** A kind of record motions may refer to, registered by its owner at import time; its `onDecided` runs in the closing transaction. */
export function registerReferenceKind(kind: ReferenceKind): void {
  register(kind);
}

export function referenceKind(kind: string): ReferenceKind | undefined {
  return referenceKindOf(kind);
}

export interface ProposeMotionInput {
  title: string;
  titlePl?: string | null;
  /** "That the board ratifies …" */
  body: string;
  bodyPl?: string | null;
  kind: ResolutionKind;
  electorate: Electorate;
  voting: VotingMethod;
  /** A meeting that is called or draft (in_meeting votes need one). */
  meetingId?: string | null;
  refersTo: RecordRef;
  /** Members with a declared interest in the record: recorded on the motion, they cannot vote. */
  conflictedMemberIds?: readonly string[];
  /** For secret_online. */
  opensAt?: Date;
  closesAt?: Date;
  /** Optional (added by gov-motions): the proposer (default the actor) and a seconder, both entitled; only `motions.manage` may name them. */
  proposerId?: string | null;
  seconderId?: string | null;
}

/**
 * Table a motion as a draft (checks the actor may: `motions.manage`, or a member proposing to a
 * general meeting; audited). It still needs a seconder and `openMotion` before anyone votes.
 */
export async function proposeMotion(db: Db, actor: Actor, input: ProposeMotionInput, opts: { isDemo?: boolean; now?: Date } = {}): Promise<{ motionId: string }> {
  const motionId = await createMotion(db, actor, input, opts.now ?? new Date(), { isDemo: opts.isDemo ?? false });
  return { motionId };
}

export interface ReferMotionInput extends Omit<ProposeMotionInput, 'proposerId' | 'seconderId'> {
  /** The paper put before the meeting with the motion (e.g. the result summary); `url` a path on this site. */
  paper?: { title: string; body: string; url?: string | null };
}

/**
 * A module refers one of its records to the board (or the members) for a decision: a draft motion
 * with no proposer on the chosen meeting's agenda (with its paper). Governance's rules still apply:
 * a board member moves it in the meeting, another seconds it, the board opens it, and the chair or
 * secretary records the count (or members vote online). The caller checks its own permission
 * (e.g. `commissioning.manage`). Idempotent per record while a draft or open motion refers to it.
 */
export async function referMotion(db: Db, actor: Actor, input: ReferMotionInput, opts: { isDemo?: boolean; now?: Date } = {}): Promise<{ motionId: string; created: boolean }> {
  return refer(db, actor, input, opts.now ?? new Date(), { isDemo: opts.isDemo ?? false });
}

export interface MeetingChoice {
  id: string;
  title: string;
  titlePl: string | null;
  startsAt: Date;
  status: 'draft' | 'called';
  isDemo: boolean;
  href: string;
}

/** Draft or called meetings of a kind from `from` on, soonest first: where a module may refer a motion. */
export async function upcomingMeetings(db: Executor, tenantId: string, opts: { kind: 'board' | 'general' | 'agm'; from: Date }): Promise<MeetingChoice[]> {
  const rows = await db
    .select({ id: govMeetings.id, title: govMeetings.title, titlePl: govMeetings.titlePl, startsAt: govMeetings.startsAt, status: govMeetings.status, isDemo: govMeetings.isDemo })
    .from(govMeetings)
    .where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.kind, opts.kind), inArray(govMeetings.status, ['draft', 'called']), gte(govMeetings.endsAt, opts.from)))
    .orderBy(asc(govMeetings.startsAt), asc(govMeetings.id));
  return rows.map((r) => ({ ...r, status: r.status as 'draft' | 'called', href: `/governance/meetings/${r.id}` }));
}

export interface MotionSummary {
  id: string;
  title: string;
  status: 'draft' | 'open' | 'closed' | 'withdrawn';
  outcome: Outcome | null;
  votesFor: number | null;
  votesAgainst: number | null;
  abstentions: number | null;
  href: string;
  /** Added for commissioning: the meeting, the conflicted count, when decided, and the register entry. */
  meetingId?: string | null;
  voting?: VotingMethod;
  conflictedCount?: number;
  decidedAt?: Date | null;
  decisionNumber?: number | null;
  decisionHref?: string | null;
}

/** Motions referring to a record, newest first. */
export async function motionsReferring(db: Executor, tenantId: string, kind: string, id: string): Promise<MotionSummary[]> {
  const rows = await db
    .select({
      id: govMotions.id,
      title: govMotions.title,
      status: govMotions.status,
      outcome: govMotions.outcome,
      votesFor: govMotions.votesFor,
      votesAgainst: govMotions.votesAgainst,
      abstentions: govMotions.abstentions,
      meetingId: govMotions.meetingId,
      voting: govMotions.voting,
      conflictedCount: govMotions.conflictedCount,
      decidedAt: govMotions.decidedAt,
      decisionNumber: govDecisions.number,
    })
    .from(govMotions)
    .leftJoin(govDecisions, and(eq(govDecisions.tenantId, govMotions.tenantId), eq(govDecisions.motionId, govMotions.id)))
    .where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.refersKind, kind), eq(govMotions.refersId, id)))
    .orderBy(desc(govMotions.createdAt), desc(govMotions.id));
  return rows.map((r) => ({ ...r, href: `/governance/motions/${r.id}`, decisionHref: r.decisionNumber ? `/governance/decisions/${r.decisionNumber}` : null }));
}

/** Add an entry to the public decisions register inside the caller's transaction; numbered per tenant (never reused, safe under concurrency). */
export async function recordDecision(tx: Tx | Executor, tenantId: string, input: DecisionInput): Promise<{ id: string; number: number }> {
  return insertDecision(tx, tenantId, input);
}

/** The steps of a motion after it is referred (each checks its own permission and rules). */
export { declareInterest, moveMotion, openMotion, recordCount, secondMotion } from './motions.ts';
