import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import type { Locale } from '../../ui/i18n/locales.ts';
import { formatPence } from './format.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import { boardMembersOn, interestsRelatedTo } from '../governance/api-board.ts';
import { motionsReferring, referMotion, registerReferenceKind, upcomingMeetings, type MeetingChoice, type MotionDecision, type MotionSummary } from '../governance/api-decisions.ts';
import type { Actor } from '../membership/policy.ts';
import { providersOfMember, serviceCard } from '../resources/views.ts';
import type { RoundResult } from './counting.ts';
import { addLedgerEntryIn } from './ledger.ts';
import { proposalsOfRound } from './proposals.ts';
import { getRound } from './rounds.ts';
import { commRounds, type RoundRow } from './schema.ts';

/**
 * Board ratification of a counted round (issue 13 item 6), through governance's rules:
 * a coordinator refers the result to an upcoming board meeting (`sendToBoard` → governance's
 * `referMotion`: a draft board motion with no proposer, on the agenda with the result as its paper);
 * in the meeting a board member moves it, another seconds it, the board opens it (members with an
 * interest in a funded proposal are recorded as conflicted: `interestedMembers` below), attendance
 * gives the quorum without them, and the chair or secretary records the count. Closing calls
 * `onRoundDecided` in the same transaction: carried → published with the funded costs allocated;
 * not carried → back to review. Or the board votes by secret online ballot with a closing time.
 */

export const REFERENCE_KIND = 'budget_round';

/** Interested members of a round with why, for governance: declared interests in a funded proposal, its service or the service's provider, and board members on the provider's staff. */
async function interestsInRound(db: Executor, tenantId: string, roundId: string, on?: string): Promise<Array<{ memberId: string; note: string }>> {
  const round = await getRound(db, tenantId, roundId);
  const winners = new Set((round.result as RoundResult | null)?.winners ?? []);
  const proposals = (await proposalsOfRound(db, tenantId, roundId, { eligibleOnly: true })).filter((p) => winners.has(p.id));
  const found = new Map<string, string>();
  const add = (memberId: string, note: string) => {
    if (!found.has(memberId)) found.set(memberId, note);
  };
  const providers = new Map<string, string>();
  for (const p of proposals) {
    for (const r of await interestsRelatedTo(db, tenantId, 'comm_proposal', p.id, on)) add(r.memberId, `${p.title}: ${r.description}`);
    if (!p.serviceId) continue;
    for (const r of await interestsRelatedTo(db, tenantId, 'service', p.serviceId, on)) add(r.memberId, `${p.title}: ${r.description}`);
    // serviceCard reads through the resources view; it only selects, so a transaction will do.
    const service = await serviceCard(db as Db, tenantId, p.serviceId);
    if (service) providers.set(service.providerId, `${p.title}: ${service.providerName}`);
  }
  for (const [providerId, label] of providers) for (const r of await interestsRelatedTo(db, tenantId, 'provider', providerId, on)) add(r.memberId, `${label}: ${r.description}`);
  if (providers.size) {
    for (const b of await boardMembersOn(db, tenantId, on ?? isoDate())) {
      const staffOf = await providersOfMember(db, tenantId, b.memberId);
      const hit = staffOf.find((id) => providers.has(id));
      if (hit) add(b.memberId, `${providers.get(hit)} (staff)`);
    }
  }
  return [...found.entries()].map(([memberId, note]) => ({ memberId, note })).sort((a, b) => a.memberId.localeCompare(b.memberId));
}

/** Members with an interest in a funded proposal (its provider or service, or the proposal itself): they cannot vote on the ratification. */
export async function conflictedMembers(db: Executor, tenantId: string, roundId: string): Promise<string[]> {
  return (await interestsInRound(db, tenantId, roundId)).map((r) => r.memberId);
}

export interface SendToBoardInput {
  /** An upcoming (draft or called) board meeting; needed for a vote in the meeting. */
  meetingId?: string | null;
  voting?: 'in_meeting' | 'secret_online';
  /** For an online ballot: when it closes (it opens when the board opens the motion, or now). */
  closesAt?: Date | null;
}

function summaryOf(round: RoundRow, locale: Locale): string {
  const result = round.result as RoundResult | null;
  const funded = result?.winners.length ?? 0;
  const rule = round.rule === 'mes' ? (locale === 'en' ? 'the Method of Equal Shares' : 'metodą równych udziałów') : locale === 'en' ? 'greedy' : 'metodą zachłanną';
  return locale === 'en'
    ? `That the board ratifies the counted result of “${round.title}”: ${funded} proposals funded for ${formatPence('en', result?.totalCostPence ?? 0)} of ${formatPence('en', round.budgetPence)}, counted by ${rule} from ${result?.ballots ?? 0} ballots.`
    : `Zarząd zatwierdza policzony wynik „${round.titlePl || round.title}”: ${funded} propozycji za ${formatPence('pl', result?.totalCostPence ?? 0)} z ${formatPence('pl', round.budgetPence)}, policzony ${rule} z ${result?.ballots ?? 0} kart do głosowania.`;
}

/** The paper before the board: the summary and each funded proposal with its cost. */
async function paperOf(db: Executor, round: RoundRow): Promise<string> {
  const result = round.result as RoundResult | null;
  const winners = result?.winners ?? [];
  const byId = new Map((await proposalsOfRound(db, round.tenantId, round.id, { eligibleOnly: true })).map((p) => [p.id, p]));
  const lines = winners.map((id, i) => `${i + 1}. ${byId.get(id)?.title ?? id} — ${formatPence('en', byId.get(id)?.costPence ?? 0)}`);
  return [summaryOf(round, 'en'), 'Funded, in the order the count chose them:', ...lines, `The anonymous ballots and the result: /budget/rounds/${round.id}`].join('\n');
}

/**
 * Refer the counted result to the board, once: a draft board motion on the chosen meeting's agenda
 * with the result as its paper (or an online board ballot closing at `closesAt`). Sending again
 * answers the same motion. Returns the motion id.
 */
export async function sendToBoard(db: Db, actor: Actor, roundId: string, input: SendToBoardInput = {}, opts: { isDemo?: boolean; now?: Date } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  const now = opts.now ?? new Date();
  const round = await getRound(db, actor.tenantId, roundId);
  if (round.motionId) return round.motionId;
  if (round.phase !== 'ratification') throw new AppError('conflict', 'Only a counted round goes to the board.', [], 'comm.error.phase');
  const voting = input.voting ?? 'in_meeting';
  if (voting === 'in_meeting' && !input.meetingId) throw new AppError('validation_failed', 'Choose the board meeting that will vote on the result.', [{ field: 'meetingId', message: 'comm.ratify.error.meeting' }], 'comm.ratify.error.meeting');
  if (voting === 'secret_online' && (!input.closesAt || input.closesAt <= now)) throw new AppError('validation_failed', 'Choose when the online ballot closes (a time in the future).', [{ field: 'closesAt', message: 'comm.ratify.error.closesAt' }], 'comm.ratify.error.closesAt');
  const conflicted = await conflictedMembers(db, actor.tenantId, roundId);
  const { motionId } = await referMotion(
    db,
    actor,
    {
      title: `Ratify the result of the budget round “${round.title}”`,
      titlePl: `Zatwierdzenie wyniku głosowania budżetowego „${round.titlePl || round.title}”`,
      body: summaryOf(round, 'en'),
      bodyPl: summaryOf(round, 'pl'),
      kind: 'ordinary',
      electorate: 'board',
      voting,
      meetingId: voting === 'in_meeting' ? input.meetingId : null,
      opensAt: voting === 'secret_online' ? now : undefined,
      closesAt: voting === 'secret_online' ? (input.closesAt ?? undefined) : undefined,
      refersTo: { kind: REFERENCE_KIND, id: roundId, label: round.title, href: `/budget/rounds/${roundId}` },
      conflictedMemberIds: conflicted,
      paper: { title: `Budget round result: ${round.title}`, body: await paperOf(db, round), url: `/budget/rounds/${roundId}` },
    },
    { isDemo: opts.isDemo ?? round.isDemo, now },
  );
  return db.transaction(async (tx) => {
    const set = await tx
      .update(commRounds)
      .set({ motionId })
      .where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId), eq(commRounds.phase, 'ratification'), isNull(commRounds.motionId)))
      .returning({ id: commRounds.id });
    if (!set.length) return (await getRound(tx, actor.tenantId, roundId)).motionId ?? motionId;
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.round.to_board', entity: 'comm_round', entityId: roundId, data: { motionId, voting, conflicted: conflicted.length } });
    return motionId;
  });
}

/**
 * The board's decision, in governance's closing transaction: carried → published, and each funded
 * proposal's cost allocated from the pot (idempotent per round and proposal); not carried → back
 * to review. Throwing (e.g. the pot cannot cover the result) rolls the close back.
 */
export async function onRoundDecided(tx: Tx, tenantId: string, roundId: string, decision: MotionDecision): Promise<void> {
  const [round] = await tx.select().from(commRounds).where(and(eq(commRounds.tenantId, tenantId), eq(commRounds.id, roundId))).for('update');
  if (!round) throw new Error('onRoundDecided: no such round');
  if (round.phase === 'published') return;
  if (round.phase !== 'ratification') throw new Error(`onRoundDecided: round is in ${round.phase}`);
  const actor = `motion:${decision.motionId}`;
  if (decision.outcome === 'carried') {
    const winners = new Set(((round.result as RoundResult | null)?.winners ?? []));
    for (const p of await proposalsOfRound(tx, tenantId, roundId, { eligibleOnly: true })) {
      if (!winners.has(p.id)) continue;
      await addLedgerEntryIn(tx, tenantId, actor, { potId: round.potId, kind: 'allocation', amountPence: p.costPence, idempotencyKey: `allocation:${roundId}:${p.id}`, roundId, proposalId: p.id, note: `Decision ${decision.decisionNumber}`, isDemo: round.isDemo });
    }
    await tx.update(commRounds).set({ phase: 'published' }).where(and(eq(commRounds.tenantId, tenantId), eq(commRounds.id, roundId)));
  } else {
    await tx.update(commRounds).set({ phase: 'review', motionId: null }).where(and(eq(commRounds.tenantId, tenantId), eq(commRounds.id, roundId)));
  }
  await appendAudit(tx, { tenantId, actor, action: 'comm.round.decided', entity: 'comm_round', entityId: roundId, data: { outcome: decision.outcome, decisionNumber: decision.decisionNumber } });
}

registerReferenceKind({
  kind: REFERENCE_KIND,
  onDecided: onRoundDecided,
  interestedMembers: (db, tenantId, roundId, on) => interestsInRound(db, tenantId, roundId, on),
});

export interface RoundRatification {
  /** The motion now with the board (draft or open), if any. */
  pending: MotionSummary | null;
  /** The latest decided motion on the round (carried, or sent back). */
  decided: MotionSummary | null;
  /** Upcoming board meetings to send it to (when it is not with the board). */
  meetings: MeetingChoice[];
}

/** What the round's pages show of its ratification. */
export async function roundRatification(db: Executor, tenantId: string, round: Pick<RoundRow, 'id' | 'phase' | 'motionId'>, opts: { now?: Date; meetings?: boolean } = {}): Promise<RoundRatification> {
  const motions = await motionsReferring(db, tenantId, REFERENCE_KIND, round.id);
  const pending = motions.find((m) => m.id === round.motionId && (m.status === 'draft' || m.status === 'open')) ?? null;
  const decided = motions.find((m) => m.status === 'closed') ?? null;
  const meetings = opts.meetings && round.phase === 'ratification' && !round.motionId ? await upcomingMeetings(db, tenantId, { kind: 'board', from: opts.now ?? new Date() }) : [];
  return { pending, decided, meetings };
}
