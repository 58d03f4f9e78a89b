import { and, asc, desc, eq, getTableColumns, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { govDecisionCounters, govDecisions, govMeetings, type DecisionKind, type GovDecision, type Outcome, type RecordRef } from './schema.ts';

/**
 * The public decisions register (issue 12 item 6): every resolution, election result and budget
 * ratification as a dated entry numbered 1, 2, 3… per tenant. Numbers are never reused: entries are
 * taken from a per-tenant counter row (gov_decision_counters, upserted in the entry's transaction),
 * so two transactions cannot take the same one and clearing demo entries frees no number.
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
  /**
   * Members with an interest in the record (e.g. a funded proposal's provider), asked when a motion
   * referring to it opens: they are recorded as conflicted, so they cannot vote and quorum and the
   * threshold are worked out without them.
   */
  interestedMembers?(db: Executor, tenantId: string, refersId: string, on: string): Promise<Array<{ memberId: string; note: string }>>;
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
  /** The day it was decided ('YYYY-MM-DD', Europe/London). Added by gov-motions. */
  decidedOn: string;
}

const kinds = new Map<string, ReferenceKind>();

export function registerReferenceKind(kind: ReferenceKind): void {
  kinds.set(kind.kind, kind);
}

export function referenceKindOf(kind: string): ReferenceKind | undefined {
  return kinds.get(kind);
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

export async function insertDecision(tx: Executor, tenantId: string, input: DecisionInput): Promise<{ id: string; number: number }> {
  // One row per tenant, upserted: the row lock serialises concurrent writers; the first number follows any existing entries.
  const taken = await tx.execute<{ last_number: number }>(sql`
    INSERT INTO ${govDecisionCounters} (tenant_id, last_number)
    VALUES (${tenantId}, coalesce((SELECT max(${govDecisions.number}) FROM ${govDecisions} WHERE ${govDecisions.tenantId} = ${tenantId}), 0) + 1)
    ON CONFLICT (tenant_id) DO UPDATE SET last_number = ${govDecisionCounters.lastNumber} + 1
    RETURNING last_number`);
  const number = Number((taken as unknown as { rows: Array<{ last_number: number }> }).rows[0]!.last_number);
  const id = newId();
  await tx.insert(govDecisions).values({
    tenantId,
    id,
    number,
    decidedOn: input.decidedOn,
    kind: input.kind,
    title: input.title,
    titlePl: input.titlePl ?? null,
    summary: input.summary,
    summaryPl: input.summaryPl ?? null,
    meetingId: input.meetingId ?? null,
    motionId: input.motionId ?? null,
    electionId: input.electionId ?? null,
    outcome: input.outcome,
    votesFor: input.votesFor ?? null,
    votesAgainst: input.votesAgainst ?? null,
    abstentions: input.abstentions ?? null,
    rule: input.rule,
    refs: input.refs,
    isDemo: input.isDemo ?? false,
  });
  return { id, number };
}

export const DECISION_OUTCOMES = ['carried', 'not_carried', 'elected', 'noted'] as const;

export interface DecisionFilter {
  kind?: DecisionKind | undefined;
  year?: number | undefined;
  outcome?: (typeof DECISION_OUTCOMES)[number] | undefined;
  q?: string | undefined;
}

export type DecisionRow = GovDecision & { meetingTitle: string | null; meetingTitlePl: string | null; meetingStartsAt: Date | null };

function filterSql(tenantId: string, f: DecisionFilter): SQL | undefined {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '';
  return and(
    eq(govDecisions.tenantId, tenantId),
    f.kind ? eq(govDecisions.kind, f.kind) : undefined,
    f.outcome ? eq(govDecisions.outcome, f.outcome) : undefined,
    f.year ? and(gte(govDecisions.decidedOn, `${f.year}-01-01`), lt(govDecisions.decidedOn, `${f.year + 1}-01-01`)) : undefined,
    like ? or(ilike(govDecisions.title, like), ilike(govDecisions.summary, like), ilike(sql`coalesce(${govDecisions.titlePl}, '')`, like), ilike(sql`coalesce(${govDecisions.summaryPl}, '')`, like)) : undefined,
  );
}

const withMeeting = {
  meetingTitle: govMeetings.title,
  meetingTitlePl: govMeetings.titlePl,
  meetingStartsAt: govMeetings.startsAt,
};

/** The register, newest first (number descending), filtered. */
export async function listDecisions(db: Executor, tenantId: string, f: DecisionFilter = {}, opts: { limit?: number; oldestFirst?: boolean } = {}): Promise<DecisionRow[]> {
  const q = db
    .select({ ...getTableColumns(govDecisions), ...withMeeting })
    .from(govDecisions)
    .leftJoin(govMeetings, and(eq(govMeetings.tenantId, govDecisions.tenantId), eq(govMeetings.id, govDecisions.meetingId)))
    .where(filterSql(tenantId, f))
    .orderBy(opts.oldestFirst ? asc(govDecisions.number) : desc(govDecisions.number));
  return opts.limit ? q.limit(opts.limit) : q;
}

export async function decisionByNumber(db: Executor, tenantId: string, number: number): Promise<DecisionRow | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(govDecisions), ...withMeeting })
    .from(govDecisions)
    .leftJoin(govMeetings, and(eq(govMeetings.tenantId, govDecisions.tenantId), eq(govMeetings.id, govDecisions.meetingId)))
    .where(and(eq(govDecisions.tenantId, tenantId), eq(govDecisions.number, number)));
  return row;
}

/** The years that have entries, newest first (the filter's choices). */
export async function decisionYears(db: Executor, tenantId: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ y: sql<number>`extract(year from ${govDecisions.decidedOn})::int` })
    .from(govDecisions)
    .where(eq(govDecisions.tenantId, tenantId));
  return rows.map((r) => Number(r.y)).sort((a, b) => b - a);
}
