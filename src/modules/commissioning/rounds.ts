import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { getPot, parsePounds } from './ledger.ts';
import { frozenRefusal } from './proposals.ts';
import { BALLOT_TYPES, COMPLETIONS, COUNT_RULES, commProposals, commRounds, type RoundPhase, type RoundRow } from './schema.ts';

const optionalInt = (key: 'comm.error.maxChoices' | 'comm.error.totalPoints', max: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? null : v), z.union([z.null(), z.coerce.number(key).int(key).min(1, key).max(max, key)], key));

export const RoundInput = z
  .object({
    title: z.string('comm.error.title').trim().min(3, 'comm.error.title').max(120, 'comm.error.title'),
    titlePl: z.string().trim().max(120, 'comm.error.title').default(''),
    potId: z.string('comm.error.potNotFound').refine(isUuid, 'comm.error.potNotFound'),
    budget: z.unknown().transform((v, ctx) => {
      const p = parsePounds(v);
      if (p === undefined) ctx.addIssue({ code: 'custom', message: 'comm.error.budget' });
      return p ?? 0;
    }),
    wardId: z.union([z.literal(''), z.string().refine(isUuid, 'comm.error.ward')]).default(''),
    ballotType: z.enum(BALLOT_TYPES, 'comm.error.ballotType'),
    maxChoices: optionalInt('comm.error.maxChoices', 100),
    totalPoints: optionalInt('comm.error.totalPoints', 1000),
    rule: z.enum(COUNT_RULES, 'comm.error.rule'),
    completion: z.enum(COMPLETIONS, 'comm.error.completion'),
  })
  .superRefine((v, ctx) => {
    if (v.ballotType === 'points' && v.totalPoints === null) ctx.addIssue({ code: 'custom', path: ['totalPoints'], message: 'comm.error.totalPoints' });
    if (v.rule === 'greedy' && v.completion !== 'none') ctx.addIssue({ code: 'custom', path: ['completion'], message: 'comm.error.completionGreedy' });
  });

function valuesOf(input: z.output<typeof RoundInput>) {
  return {
    title: input.title,
    titlePl: input.titlePl,
    potId: input.potId,
    budgetPence: input.budget,
    wardId: input.wardId || null,
    ballotType: input.ballotType,
    maxChoices: input.ballotType === 'approval' ? input.maxChoices : null,
    totalPoints: input.ballotType === 'points' ? input.totalPoints : null,
    rule: input.rule,
    completion: input.rule === 'greedy' ? ('none' as const) : input.completion,
  };
}

function parseRound(form: Record<string, unknown>) {
  const parsed = RoundInput.safeParse(form);
  if (!parsed.success) throw new AppError('validation_failed', 'Check the highlighted fields.', fieldIssues(parsed.error));
  return parsed.data;
}

export async function createRound(db: Db, actor: Actor, form: Record<string, unknown>, opts: { isDemo?: boolean } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  const input = parseRound(form);
  if (!(await getPot(db, actor.tenantId, input.potId))) throw new AppError('validation_failed', 'Choose a budget pot.', [{ field: 'potId', message: 'comm.error.potNotFound' }]);
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(commRounds).values({ tenantId: actor.tenantId, id, ...valuesOf(input), isDemo: opts.isDemo ?? false });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.round.create', entity: 'comm_round', entityId: id, data: { rule: input.rule, ballotType: input.ballotType } });
  });
  return id;
}

/** Change a round's rules: only before voting opens (the service says why; the database's trigger refuses too). */
export async function updateRound(db: Db, actor: Actor, roundId: string, form: Record<string, unknown>): Promise<void> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  const round = await getRound(db, actor.tenantId, roundId);
  if (round.frozen) throw new AppError('conflict', 'Voting has opened: the round’s rules and proposals are frozen.', [{ field: 'round', message: 'comm.error.frozen' }], 'comm.error.frozen');
  const input = parseRound(form);
  try {
    await db.transaction(async (tx) => {
      await tx.update(commRounds).set(valuesOf(input)).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId)));
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.round.update', entity: 'comm_round', entityId: roundId, data: { rule: input.rule, ballotType: input.ballotType } });
    });
  } catch (err) {
    throw frozenRefusal(err);
  }
}

export async function getRound(db: Executor, tenantId: string, id: string): Promise<RoundRow> {
  if (!isUuid(id)) throw new AppError('not_found', 'That round was not found.', [], 'comm.error.roundNotFound');
  const [r] = await db.select().from(commRounds).where(and(eq(commRounds.tenantId, tenantId), eq(commRounds.id, id)));
  if (!r) throw new AppError('not_found', 'That round was not found.', [], 'comm.error.roundNotFound');
  return r;
}

/**
 * Rounds open for voting, as the ballot page and the ballot POST read them (every voter loads
 * both). A frozen round's rules cannot change (trigger comm_rounds_frozen_rules) and the vote's
 * own statement re-checks the phase under the round's lock, so a round read a few seconds ago is
 * as good as a fresh read there. Every phase change forgets the round once it has committed; in
 * another process the entry lives at most VOTING_ROUND_TTL_MS, and a vote there is still refused.
 */
const votingRounds = new Map<string, { round: RoundRow; until: number }>();
const VOTING_ROUND_TTL_MS = 5_000;

export async function roundForBallot(db: Executor, tenantId: string, id: string, now = Date.now()): Promise<RoundRow> {
  const key = `${tenantId}:${id}`;
  const hit = votingRounds.get(key);
  if (hit && hit.until > now) return hit.round;
  const round = await getRound(db, tenantId, id);
  if (round.frozen && round.phase === 'voting') {
    if (votingRounds.size >= 256) votingRounds.clear();
    votingRounds.set(key, { round, until: now + VOTING_ROUND_TTL_MS });
  } else votingRounds.delete(key);
  return round;
}

export function forgetBallotRound(tenantId: string, id: string): void {
  votingRounds.delete(`${tenantId}:${id}`);
}

export async function listRounds(db: Executor, tenantId: string): Promise<RoundRow[]> {
  return db.select().from(commRounds).where(eq(commRounds.tenantId, tenantId)).orderBy(desc(commRounds.createdAt));
}

/** Put a proposal in a round (or take it out) while the round is not frozen. */
export async function assignProposal(db: Db, actor: Actor, proposalId: string, roundId: string | null): Promise<void> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  if (!isUuid(proposalId)) throw new AppError('validation_failed', 'Choose a proposal.', [{ field: 'proposalId', message: 'comm.error.proposalNotFound' }]);
  if (roundId) {
    const r = await getRound(db, actor.tenantId, roundId);
    if (r.frozen) throw new AppError('conflict', 'Voting has opened: the round’s rules and proposals are frozen.', [{ field: 'round', message: 'comm.error.frozen' }], 'comm.error.frozen');
  }
  try {
    await db.transaction(async (tx) => {
      const done = await tx.update(commProposals).set({ roundId }).where(and(eq(commProposals.tenantId, actor.tenantId), eq(commProposals.id, proposalId))).returning({ id: commProposals.id });
      if (!done.length) throw new AppError('not_found', 'That proposal was not found.', [], 'comm.error.proposalNotFound');
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.proposal.assign', entity: 'comm_proposal', entityId: proposalId, data: { roundId } });
    });
  } catch (err) {
    throw frozenRefusal(err);
  }
}

/** The next phase a coordinator may move a round to by hand (counting → ratification → published go by the count and the board). */
const NEXT: Partial<Record<RoundPhase, RoundPhase>> = { proposals: 'review', review: 'voting' };

/**
 * proposals → review → voting (opening voting freezes the rules; it needs at least one eligible
 * proposal that fits the budget). Voting → counting is `closeAndCount` (counting.ts).
 */
export async function advanceRound(db: Db, actor: Actor, roundId: string, to: string): Promise<void> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  if (!isUuid(roundId)) throw new AppError('not_found', 'That round was not found.', [], 'comm.error.roundNotFound');
  await db.transaction(async (tx) => {
    const [round] = await tx.select().from(commRounds).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId))).for('update');
    if (!round) throw new AppError('not_found', 'That round was not found.', [], 'comm.error.roundNotFound');
    if (NEXT[round.phase] !== to) throw new AppError('conflict', `The round is in ${round.phase}; it cannot move to ${to}.`, [{ field: 'phase', message: 'comm.error.phase' }], 'comm.error.phase');
    if (to === 'voting') {
      const [n] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(commProposals)
        .where(and(eq(commProposals.tenantId, actor.tenantId), eq(commProposals.roundId, roundId), eq(commProposals.eligibility, 'eligible'), sql`${commProposals.costPence} <= ${round.budgetPence}`));
      if ((n?.n ?? 0) === 0) throw new AppError('conflict', 'No eligible proposal fits the budget yet.', [{ field: 'phase', message: 'comm.error.noProposals' }], 'comm.error.noProposals');
    }
    await tx.update(commRounds).set({ phase: to as RoundPhase, frozen: to === 'voting' ? true : round.frozen }).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.round.phase', entity: 'comm_round', entityId: roundId, data: { from: round.phase, to } });
  });
  forgetBallotRound(actor.tenantId, roundId);
}
