import { and, desc, eq } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import type { Actor } from '../membership/policy.ts';
import { insertDecision, referenceKindOf, registerReferenceKind as register, type DecisionInput, type ReferenceKind } from './decisions.ts';
import { createMotion } from './motions.ts';
import { govMotions, type Electorate, type Outcome, type RecordRef, type ResolutionKind, type VotingMethod } from './schema.ts';

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

export interface MotionSummary {
  id: string;
  title: string;
  status: 'draft' | 'open' | 'closed' | 'withdrawn';
  outcome: Outcome | null;
  votesFor: number | null;
  votesAgainst: number | null;
  abstentions: number | null;
  href: string;
}

/** Motions referring to a record, newest first. */
export async function motionsReferring(db: Executor, tenantId: string, kind: string, id: string): Promise<MotionSummary[]> {
  const rows = await db
    .select({ id: govMotions.id, title: govMotions.title, status: govMotions.status, outcome: govMotions.outcome, votesFor: govMotions.votesFor, votesAgainst: govMotions.votesAgainst, abstentions: govMotions.abstentions })
    .from(govMotions)
    .where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.refersKind, kind), eq(govMotions.refersId, id)))
    .orderBy(desc(govMotions.createdAt), desc(govMotions.id));
  return rows.map((r) => ({ ...r, href: `/governance/motions/${r.id}` }));
}

/** Add an entry to the public decisions register inside the caller's transaction; numbered per tenant (never reused, safe under concurrency). */
export async function recordDecision(tx: Tx | Executor, tenantId: string, input: DecisionInput): Promise<{ id: string; number: number }> {
  return insertDecision(tx, tenantId, input);
}
