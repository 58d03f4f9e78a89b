import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import type { Actor } from '../membership/policy.ts';
import { memberCard } from '../membership/views.ts';
import { sealBallot } from './ballots-seal.ts';
import { sqlState } from './ledger.ts';
import { listOf, proposalsOfRound } from './proposals.ts';
import { forgetBallotRound, getRound } from './rounds.ts';
import { commBallotBox, commBallots, commRounds, commVoters, type ProposalRow, type RoundRow } from './schema.ts';

/** Crockford base32 without I, L, O, U: easy to read out and type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new receipt code: 20 random symbols (100 bits) in groups of four ("7K3M-…"). */
export function newReceiptCode(): string {
  const bytes = randomBytes(20);
  let s = '';
  for (const b of bytes) s += ALPHABET[b & 31];
  return (s.match(/.{4}/g) ?? []).join('-');
}

/** A code as typed: upper case, no spaces or dashes, confusable letters mapped (O→0, I/L→1). */
export function normaliseReceipt(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** What is stored (and published as the ballot's voter_id): the hash of the round and the code. */
export function receiptHash(roundId: string, code: string): string {
  return sha256Hex(`comm-receipt:${roundId}:${normaliseReceipt(code)}`);
}

/** The short reference of a ballot in the published .pb (its voter_id), from the stored hash. */
export function ballotRef(hash: string): string {
  return hash.slice(0, 20);
}

export type Choices = Array<{ p: string; pts: number }>;

/** Who may vote in this round: active members (of the round's ward, when it has one). */
export async function votingRefusal(db: Executor, actor: Actor, round: RoundRow): Promise<AppError | undefined> {
  if (round.phase !== 'voting') return new AppError('conflict', 'This round is not open for voting.', [], 'comm.error.notVoting');
  // The session middleware read the member's status and ward with the session, in this request.
  const me = actor.member ?? (await memberCard(db, actor.tenantId, actor.memberId));
  if (!me || me.status !== 'active') return new AppError('forbidden', 'Only active members vote in budget rounds.', [], 'comm.error.notActive');
  if (round.wardId && me.wardId !== round.wardId) return new AppError('forbidden', 'This round is for members of another ward.', [], 'comm.error.otherWard');
  return undefined;
}

/**
 * The choices of a ballot form, checked against the round's rules: approval (`choose` = ids, at
 * most `maxChoices`) or points (`points.<id>` whole numbers, at most `totalPoints` in all), and the
 * chosen proposals' cost within the budget. Throws with the fields to fix.
 */
export function checkChoices(round: RoundRow, proposals: readonly ProposalRow[], form: Record<string, unknown>): Choices {
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const issues: FieldIssue[] = [];
  let choices: Choices = [];
  if (round.ballotType === 'approval') {
    const chosen = [...new Set(listOf(form.choose))];
    if (chosen.some((id) => !byId.has(id))) issues.push({ field: 'choose', message: 'comm.error.unknownChoice' });
    choices = chosen.filter((id) => byId.has(id)).map((p) => ({ p, pts: 1 }));
    if (round.maxChoices !== null && choices.length > round.maxChoices) issues.push({ field: 'choose', message: 'comm.error.overMax' });
  } else {
    for (const p of proposals) {
      const raw = form[`points.${p.id}`];
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text === '' || text === '0') continue;
      if (!/^\d{1,4}$/.test(text)) {
        issues.push({ field: `points.${p.id}`, message: 'comm.error.points' });
        continue;
      }
      choices.push({ p: p.id, pts: Number(text) });
    }
    const total = choices.reduce((a, c) => a + c.pts, 0);
    if (round.totalPoints !== null && total > round.totalPoints) issues.push({ field: 'choose', message: 'comm.error.overPoints' });
  }
  if (!issues.length && choices.length === 0) issues.push({ field: 'choose', message: 'comm.error.noChoice' });
  const cost = choices.reduce((a, c) => a + (byId.get(c.p)?.costPence ?? 0), 0);
  if (cost > round.budgetPence) issues.push({ field: 'choose', message: 'comm.error.overBudget' });
  if (issues.length) throw new AppError('validation_failed', 'Check your choices.', issues);
  return choices;
}

/**
 * Cast a secret ballot (SECURITY.md 22–24): the register row (member, round) and the sealed ballot
 * (random id, the box of its choices and receipt hash: ballots-seal.ts) in one transaction; the
 * register's primary key refuses a second ballot. The receipt code is returned once and only its
 * hash is kept, inside the box until the round closes.
 *
 * No audit row per ballot. A row "member X voted at T" would record the voting order, which is
 * the one thing that could link a member to a ballot (SECURITY.md 23), and appending it takes the
 * tenant's audit head lock, which serialised every vote of a tenant (issue 13's 200-voter
 * figure). The audit duty is met by the register itself (who voted, as the law asks of a poll
 * book: never when or how), by the audit rows when voting opens and when it closes (with the
 * register and ballot counts, which must agree: counting.ts), and by the published ballots.
 */
export async function castBallot(db: Db, actor: Actor, roundId: string, form: Record<string, unknown>, opts: { isDemo?: boolean; round?: RoundRow } = {}): Promise<{ receiptCode: string }> {
  const round = opts.round?.tenantId === actor.tenantId && opts.round.id === roundId ? opts.round : await getRound(db, actor.tenantId, roundId);
  const refusal = await votingRefusal(db, actor, round);
  if (refusal) throw refusal;
  const proposals = await ballotProposals(db, round);
  const choices = checkChoices(round, proposals, form);
  const receiptCode = newReceiptCode();
  const sealed = sealBallot(actor.tenantId, roundId, proposals.map((p) => p.id), { choices, receiptHash: receiptHash(roundId, receiptCode) });
  const isDemo = opts.isDemo ?? false;
  try {
    // One statement, so one round trip holding a pooled connection (it was five): the round row
    // is locked FOR KEY SHARE only while it is in voting (closing locks it FOR UPDATE, so a vote
    // either commits before the close or sees the new phase and writes nothing), then the
    // register row (its primary key refuses a second ballot: 23505) and the sealed ballot.
    const written = await db.execute<{ ok: number }>(sql`
      WITH open_round AS (
        SELECT 1 FROM ${commRounds} WHERE ${commRounds.tenantId} = ${actor.tenantId} AND ${commRounds.id} = ${roundId} AND ${commRounds.phase} = 'voting' FOR KEY SHARE
      ), voter AS (
        INSERT INTO ${commVoters} (tenant_id, round_id, member_id, is_demo) SELECT ${actor.tenantId}::uuid, ${roundId}::uuid, ${actor.memberId}::uuid, ${isDemo}::boolean FROM open_round RETURNING 1
      )
      INSERT INTO ${commBallotBox} (tenant_id, round_id, id, sealed, is_demo) SELECT ${actor.tenantId}::uuid, ${roundId}::uuid, ${randomUUID()}::uuid, ${sealed}, ${isDemo}::boolean FROM voter RETURNING 1 AS ok`);
    // node-postgres answers { rows }, PGlite's drizzle driver too.
    if ((written as unknown as { rows: unknown[] }).rows.length !== 1) {
      forgetBallotRound(actor.tenantId, roundId);
      throw new AppError('conflict', 'This round is not open for voting.', [], 'comm.error.notVoting');
    }
  } catch (err) {
    if (sqlState(err) === '23505') throw new AppError('conflict', 'You have already voted in this round.', [], 'comm.error.alreadyVoted');
    if (sqlState(err) === '23514') throw new AppError('conflict', 'This round is not open for voting.', [], 'comm.error.notVoting');
    throw err;
  }
  return { receiptCode };
}

/**
 * The eligible proposals a ballot is checked against. Once a round is frozen its proposals'
 * round, cost and eligibility cannot change (trigger comm_proposals_frozen_rules), so they are
 * read once per process and round rather than on every vote.
 */
const frozenProposals = new Map<string, ProposalRow[]>();

export async function ballotProposals(db: Executor, round: RoundRow): Promise<ProposalRow[]> {
  if (!round.frozen) return proposalsOfRound(db, round.tenantId, round.id, { eligibleOnly: true });
  const key = `${round.tenantId}:${round.id}`;
  let list = frozenProposals.get(key);
  if (!list) {
    list = await proposalsOfRound(db, round.tenantId, round.id, { eligibleOnly: true });
    if (frozenProposals.size >= 256) frozenProposals.clear();
    frozenProposals.set(key, list);
  }
  return list;
}

/** Asked on every ballot page load: prepared once per handle (a named statement on PostgreSQL). */
function buildHasVoted(db: Executor) {
  return db
    .select({ m: commVoters.memberId })
    .from(commVoters)
    .where(and(eq(commVoters.tenantId, sql.placeholder('tenantId')), eq(commVoters.roundId, sql.placeholder('roundId')), eq(commVoters.memberId, sql.placeholder('memberId'))))
    .prepare('pm_comm_has_voted');
}
const hasVotedQueries = new WeakMap<Executor, ReturnType<typeof buildHasVoted>>();

export async function hasVoted(db: Executor, tenantId: string, roundId: string, memberId: string): Promise<boolean> {
  let q = hasVotedQueries.get(db);
  if (!q) hasVotedQueries.set(db, (q = buildHasVoted(db)));
  const [r] = await q.execute({ tenantId, roundId, memberId });
  return Boolean(r);
}

export async function turnout(db: Executor, tenantId: string, roundId: string): Promise<{ voters: number; ballots: number }> {
  const [v] = await db.select({ n: sql<number>`count(*)::int` }).from(commVoters).where(and(eq(commVoters.tenantId, tenantId), eq(commVoters.roundId, roundId)));
  const [b] = await db.select({ n: sql<number>`count(*)::int` }).from(commBallots).where(and(eq(commBallots.tenantId, tenantId), eq(commBallots.roundId, roundId)));
  const [s] = await db.select({ n: sql<number>`count(*)::int` }).from(commBallotBox).where(and(eq(commBallotBox.tenantId, tenantId), eq(commBallotBox.roundId, roundId)));
  return { voters: v?.n ?? 0, ballots: (b?.n ?? 0) + (s?.n ?? 0) };
}
