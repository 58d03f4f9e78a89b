import { randomInt, randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { Rational } from '../../lib/rational.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { countDetailed, type CountDetail } from '../voting/count.ts';
import { explainProjects, explainVoter, summariseOutcome, type ProjectExplanation, type VoterExplanation } from '../voting/explain.ts';
import { groupBallots, type Instance } from '../voting/instance.ts';
import { parsePb, writePb } from '../voting/pabulib.ts';
import type { CountParams } from '../voting/rules.ts';
import { ballotRef, receiptHash } from './ballots.ts';
import { openBallot } from './ballots-seal.ts';
import { proposalsOfRound } from './proposals.ts';
import { forgetBallotRound, getRound } from './rounds.ts';
import { commBallotBox, commBallots, commRounds, commVoters, type BallotRow, type CompletionName, type ProposalRow, type RoundRow } from './schema.ts';

/** Per-voter increment of add1, in pence (£1): bounds the MES runs on large budgets. Published in META. */
export const ADD1_STEP_PENCE = 100;
export const TIE_BREAK = ['cost', 'votes', 'id'] as const;

/** The engine's parameters for a round's frozen rule (every parameter spelt out, as in META). */
export function countParams(round: Pick<RoundRow, 'rule' | 'completion' | 'ballotType'>): CountParams {
  const c: CompletionName = round.rule === 'greedy' ? 'none' : round.completion;
  const add1 = c === 'add1' || c === 'add1_utilitarian' ? { stopWhenExhaustive: false, start: 'exact' as const, step: Rational.of(ADD1_STEP_PENCE) } : null;
  return {
    rule: round.rule,
    // Points ballots: MES values a project by the points given; approval: by its cost (equalshares.net).
    utility: round.ballotType === 'points' ? 'cardinal' : 'cost',
    completion: { add1, utilitarian: c === 'utilitarian' || c === 'add1_utilitarian' },
    comparison: false,
    tieBreak: [...TIE_BREAK],
  };
}

/** The `parent-mutual pb count` flags that reproduce a round's count (also written in META). */
export function cliFlags(params: CountParams): string[] {
  const completion = [params.completion.add1 ? 'add1' : '', params.completion.utilitarian ? 'utilitarian' : ''].filter(Boolean).join(',') || 'none';
  const flags = ['--rule', params.rule, '--utility', params.utility, '--completion', completion, '--tie-break', params.tieBreak.join(',')];
  if (params.completion.add1) flags.push('--add1-start', params.completion.add1.start, '--add1-step', params.completion.add1.step.toString());
  return flags;
}

function shuffled<T>(list: readonly T[]): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/**
 * The round as a Pabulib instance: eligible proposals (costs in pence), the budget, the rule and
 * its parameters in META, one line per ballot in a random order, each ballot's voter_id the
 * public reference of its receipt (no member, no time).
 */
export function roundInstance(round: RoundRow, proposals: readonly ProposalRow[], ballots: readonly Pick<BallotRow, 'choices' | 'receiptHash'>[], tenantName: string): Instance {
  const index = new Map(proposals.map((p, i) => [p.id, i]));
  const points = round.ballotType === 'points';
  const params = countParams(round);
  const meta: [string, string][] = [
    ['description', round.title],
    ['country', 'United Kingdom'],
    ['unit', tenantName],
    ['instance', round.id],
    ['num_projects', String(proposals.length)],
    ['num_votes', String(ballots.length)],
    ['budget', String(round.budgetPence)],
    ['currency', 'GBP'],
    ['cost_unit', 'pence'],
    ['vote_type', points ? 'cumulative' : 'approval'],
    ['rule', round.rule === 'mes' ? 'equalshares' : 'greedy'],
    ['pm_count_flags', cliFlags(params).join(' ')],
  ];
  if (!points && round.maxChoices !== null) meta.push(['max_length', String(round.maxChoices)]);
  if (points && round.totalPoints !== null) meta.push(['max_sum_points', String(round.totalPoints)]);
  return {
    meta,
    budget: Rational.of(round.budgetPence),
    voteType: points ? 'cumulative' : 'approval',
    projects: proposals.map((p) => ({ id: p.id, name: p.title, cost: Rational.of(p.costPence), categories: [], targets: [], fields: { name: p.title } })),
    ballots: shuffled(ballots).map((b) => {
      const chosen = b.choices.filter((c) => index.has(c.p));
      return {
        voterId: ballotRef(b.receiptHash),
        projects: chosen.map((c) => index.get(c.p) as number),
        ...(points ? { points: chosen.map((c) => Rational.of(c.pts)) } : {}),
        fields: {},
      };
    }),
    limits: {},
    projectColumns: ['project_id', 'cost', 'name'],
    voteColumns: points ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
    warnings: [],
  };
}

/** The published result (result.json). */
export interface RoundResult {
  round: string;
  rule: string;
  params: string[];
  budgetPence: number;
  ballots: number;
  /** Funded proposal ids, in the order the rule funded them. */
  winners: string[];
  totalCostPence: number;
  greedyWinners: string[];
  summary: { label: string; winners: string[]; votersWithNone: number; votersWithSome: number; averageFundedChoices: string }[];
}

export function countInstance(inst: Instance, params: CountParams): { detail: CountDetail; greedy: CountDetail } {
  const detail = countDetailed(inst, params);
  const greedy = params.rule === 'greedy' ? detail : countDetailed(inst, { ...params, rule: 'greedy', completion: { add1: null, utilitarian: false } });
  return { detail, greedy };
}

export function resultOf(round: RoundRow, inst: Instance, params: CountParams): RoundResult {
  const { detail, greedy } = countInstance(inst, params);
  const groups = groupBallots(inst);
  const rows = [summariseOutcome(inst, groups, round.rule, detail.selected)];
  if (round.rule !== 'greedy') rows.push(summariseOutcome(inst, groups, 'greedy', greedy.selected));
  return {
    round: round.id,
    rule: round.rule,
    params: cliFlags(params),
    budgetPence: round.budgetPence,
    ballots: inst.ballots.length,
    winners: detail.result.winners,
    totalCostPence: Number(detail.result.totalCost.toString()),
    greedyWinners: greedy.result.winners,
    summary: rows.map((r) => ({ label: r.label, winners: r.winners, votersWithNone: r.votersWithNone, votersWithSome: r.votersWithSome, averageFundedChoices: r.averageFundedChoices.toDecimal(2) })),
  };
}

/**
 * Close voting and count (voting → counting → ratification). While voting, ballots are sealed
 * boxes (ballots-seal.ts) and the register lists voters in voting order. Closing opens the boxes
 * and writes the ballots as fresh rows (new random ids, so no box id carries over) in a random
 * order, deletes the boxes, rewrites the register in member-id order, and vacuums the three
 * tables: a dump taken at any moment links no member to a ballot. The audit row of the close
 * records the register and ballot counts (the per-ballot audit row was dropped: ballots.ts). The
 * .pb is written once, in a shuffled order, and the count is made from that text, so anyone's
 * recount of the published file gives the published result.
 */
export async function closeAndCount(db: Db, actor: Actor, roundId: string, tenantName: string, opts: { vacuum?: boolean } = {}): Promise<RoundResult> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  await getRound(db, actor.tenantId, roundId);
  await db.transaction(async (tx) => {
    const [round] = await tx.select().from(commRounds).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId))).for('update');
    if (!round) throw new AppError('not_found', 'That round was not found.', [], 'comm.error.roundNotFound');
    if (round.phase !== 'voting') throw new AppError('conflict', 'Only a round in voting can be closed.', [], 'comm.error.phase');
    const counts = await unsealAndReorder(tx, actor.tenantId, roundId);
    await tx.update(commRounds).set({ phase: 'counting' }).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.round.phase', entity: 'comm_round', entityId: roundId, data: { from: 'voting', to: 'counting', ...counts } });
  });
  forgetBallotRound(actor.tenantId, roundId);
  if (opts.vacuum !== false) await db.execute(sql.raw('VACUUM comm_ballot_box, comm_ballots, comm_voters'));
  return countRound(db, actor, roundId, tenantName);
}

/**
 * Empty the round's ballot box into comm_ballots in a random order (with any ballots already in
 * clear, e.g. written before ballots were sealed) and rewrite the register by member id.
 * Runs while the round is still in voting (comm_ballots' trigger takes ballots only then).
 */
async function unsealAndReorder(tx: Executor, tenantId: string, roundId: string): Promise<{ voters: number; ballots: number }> {
  const boxes = await tx.delete(commBallotBox).where(and(eq(commBallotBox.tenantId, tenantId), eq(commBallotBox.roundId, roundId))).returning();
  const clear = await tx.delete(commBallots).where(and(eq(commBallots.tenantId, tenantId), eq(commBallots.roundId, roundId))).returning();
  const ballots: BallotRow[] = [
    ...clear.map((b) => ({ ...b, id: randomUUID() })),
    ...boxes.map((box) => ({ tenantId, roundId, id: randomUUID(), ...openBallot(tenantId, roundId, box.sealed), isDemo: box.isDemo })),
  ];
  const voters = await tx.delete(commVoters).where(and(eq(commVoters.tenantId, tenantId), eq(commVoters.roundId, roundId))).returning();
  voters.sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const order = shuffled(ballots);
  for (let i = 0; i < order.length; i += 1000) await tx.insert(commBallots).values(order.slice(i, i + 1000));
  for (let i = 0; i < voters.length; i += 1000) await tx.insert(commVoters).values(voters.slice(i, i + 1000));
  return { voters: voters.length, ballots: order.length };
}

/** Count a round in counting: writes the .pb and result.json and moves it to ratification. */
export async function countRound(db: Db, actor: Actor, roundId: string, tenantName: string): Promise<RoundResult> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  await getRound(db, actor.tenantId, roundId);
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(commRounds).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId))).for('update');
    if (!round) throw new AppError('not_found', 'That round was not found.', [], 'comm.error.roundNotFound');
    if (round.phase !== 'counting') throw new AppError('conflict', 'Only a closed round can be counted.', [], 'comm.error.phase');
    const proposals = await proposalsOfRound(tx, actor.tenantId, roundId, { eligibleOnly: true });
    const ballots = await tx.select({ choices: commBallots.choices, receiptHash: commBallots.receiptHash }).from(commBallots).where(and(eq(commBallots.tenantId, actor.tenantId), eq(commBallots.roundId, roundId))).orderBy(asc(commBallots.id));
    const pb = writePb(roundInstance(round, proposals, ballots, tenantName));
    const result = resultOf(round, parsePb(pb), countParams(round));
    await tx.update(commRounds).set({ phase: 'ratification', ballotsPb: pb, result: result as unknown as Record<string, unknown> }).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.round.counted', entity: 'comm_round', entityId: roundId, data: { ballots: result.ballots, winners: result.winners.length } });
    return result;
  });
}

export interface Explained {
  inst: Instance;
  detail: CountDetail;
  projects: ProjectExplanation[];
}

/** The engine's explanation of a counted round, from its published .pb. */
export function explainRound(round: RoundRow): Explained | undefined {
  if (!round.ballotsPb) return undefined;
  const inst = parsePb(round.ballotsPb);
  const { detail } = countInstance(inst, countParams(round));
  return { inst, detail, projects: explainProjects(inst, detail) };
}

/** "Where your share went" for the holder of a receipt code; undefined when no ballot has that code. */
export function explainReceipt(round: RoundRow, ex: Explained, code: string): VoterExplanation | undefined {
  const ref = ballotRef(receiptHash(round.id, code));
  const i = ex.inst.ballots.findIndex((b) => b.voterId === ref);
  return i < 0 ? undefined : explainVoter(ex.inst, ex.detail, i);
}

export async function publishedRound(db: Db, tenantId: string, roundId: string): Promise<{ round: RoundRow; proposals: ProposalRow[] }> {
  const round = await getRound(db, tenantId, roundId);
  return { round, proposals: await proposalsOfRound(db, tenantId, roundId, { eligibleOnly: true }) };
}
