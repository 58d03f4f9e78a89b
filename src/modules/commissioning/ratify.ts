import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.ts';
import { formatPence } from './format.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import { interestsRelatedTo } from '../governance/api-board.ts';
import { proposeMotion, registerReferenceKind, type MotionDecision } from '../governance/api-decisions.ts';
import type { Actor } from '../membership/policy.ts';
import type { RoundResult } from './counting.ts';
import { addLedgerEntryIn } from './ledger.ts';
import { proposalsOfRound } from './proposals.ts';
import { getRound } from './rounds.ts';
import { commRounds } from './schema.ts';

export const REFERENCE_KIND = 'budget_round';

/** Members with a declared interest in a funded proposal's provider (or the proposal itself). */
export async function conflictedMembers(db: Db, tenantId: string, roundId: string): Promise<string[]> {
  const round = await getRound(db, tenantId, roundId);
  const winners = new Set(((round.result as RoundResult | null)?.winners ?? []));
  const proposals = (await proposalsOfRound(db, tenantId, roundId, { eligibleOnly: true })).filter((p) => winners.has(p.id));
  const ids = new Set<string>();
  for (const p of proposals) {
    const related = [...(await interestsRelatedTo(db, tenantId, 'comm_proposal', p.id)), ...(p.serviceId ? await interestsRelatedTo(db, tenantId, 'service', p.serviceId) : [])];
    for (const r of related) ids.add(r.memberId);
  }
  return [...ids].sort();
}

/**
 * Table the counted result as a board motion (governance), once; the board's decision comes back
 * through `onDecided`. Returns the motion id.
 */
export async function sendToBoard(db: Db, actor: Actor, roundId: string, opts: { isDemo?: boolean } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators run budget rounds.', 'comm.error.forbidden');
  const round = await getRound(db, actor.tenantId, roundId);
  if (round.phase !== 'ratification') throw new AppError('conflict', 'Only a counted round goes to the board.', [], 'comm.error.phase');
  if (round.motionId) return round.motionId;
  const result = round.result as RoundResult | null;
  const conflicted = await conflictedMembers(db, actor.tenantId, roundId);
  const funded = result?.winners.length ?? 0;
  const { motionId } = await proposeMotion(
    db,
    actor,
    {
      title: `Ratify the result of the budget round “${round.title}”`,
      titlePl: `Zatwierdzenie wyniku głosowania budżetowego „${round.titlePl || round.title}”`,
      body: `That the board ratifies the counted result of “${round.title}”: ${funded} proposals funded for ${formatPence('en', result?.totalCostPence ?? 0)} of ${formatPence('en', round.budgetPence)}, counted by ${round.rule === 'mes' ? 'the Method of Equal Shares' : 'greedy'} from ${result?.ballots ?? 0} ballots.`,
      bodyPl: `Zarząd zatwierdza wynik „${round.titlePl || round.title}”: ${funded} propozycji za ${formatPence('pl', result?.totalCostPence ?? 0)} z ${formatPence('pl', round.budgetPence)}, ${result?.ballots ?? 0} kart do głosowania.`,
      kind: 'ordinary',
      electorate: 'board',
      voting: 'in_meeting',
      refersTo: { kind: REFERENCE_KIND, id: roundId, label: round.title, href: `/budget/rounds/${roundId}` },
      conflictedMemberIds: conflicted,
    },
    { isDemo: opts.isDemo ?? round.isDemo },
  );
  await db.transaction(async (tx) => {
    await tx.update(commRounds).set({ motionId }).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.round.to_board', entity: 'comm_round', entityId: roundId, data: { motionId, conflicted: conflicted.length } });
  });
  return motionId;
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

registerReferenceKind({ kind: REFERENCE_KIND, onDecided: onRoundDecided });
