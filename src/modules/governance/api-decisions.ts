import type { Db, Executor, Tx } from '../../db/connection.ts';
import type { Actor } from '../membership/policy.ts';
import type { DecisionKind, Electorate, Outcome, RecordRef, ResolutionKind, VotingMethod } from './schema.ts';

/**
 * What other modules call to have something decided and recorded (issue 12 → commissioning's
 * board ratification, elections' results). CONTRACT STUBS (issue 12 base): gov-motions replaces the
 * bodies, keeping the signatures.
 */

/** A kind of record motions may refer to, registered by the module that owns it (at import time). */
export interface ReferenceKind {
  /** E.g. 'budget_round', 'policy_version'. */
  kind: string;
  /**
   * Called in the transaction that closes a motion referring to a record of this kind, so the owner
   * moves its record on (ratified / sent back). Throwing rolls the close back.
   */
  onDecided?(tx: Tx, tenantId: string, refersId: string, decision: MotionDecision): Promise<void>;
}

export interface MotionDecision {
  motionId: string;
  outcome: Outcome;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
  /** Members who could not vote because of a declared interest. */
  conflicted: number;
  /** The decisions register entry made for it. */
  decisionNumber: number;
}

const kinds = new Map<string, ReferenceKind>();

export function registerReferenceKind(kind: ReferenceKind): void {
  kinds.set(kind.kind, kind);
}

export function referenceKind(kind: string): ReferenceKind | undefined {
  return kinds.get(kind);
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
}

/** Table a motion (checks the actor may; audited). Returns its id. */
export async function proposeMotion(_db: Db, _actor: Actor, _input: ProposeMotionInput, _opts: { isDemo?: boolean } = {}): Promise<{ motionId: string }> {
  throw new Error('proposeMotion: not built yet (issue 12)');
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
export async function motionsReferring(_db: Executor, _tenantId: string, _kind: string, _id: string): Promise<MotionSummary[]> {
  return [];
}

export interface DecisionInput {
  decidedOn: string;
  kind: DecisionKind;
  title: string;
  titlePl?: string | null;
  summary: string;
  summaryPl?: string | null;
  meetingId?: string | null;
  motionId?: string | null;
  electionId?: string | null;
  outcome: Outcome | 'elected' | 'noted';
  votesFor?: number | null;
  votesAgainst?: number | null;
  abstentions?: number | null;
  rule: string;
  refs: RecordRef[];
  isDemo?: boolean;
}

/** Add an entry to the public decisions register inside the caller's transaction; numbered per tenant. */
export async function recordDecision(_tx: Tx, _tenantId: string, _input: DecisionInput): Promise<{ id: string; number: number }> {
  throw new Error('recordDecision: not built yet (issue 12)');
}
