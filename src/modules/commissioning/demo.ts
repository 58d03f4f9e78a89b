import { addDays, isoDate, londonToInstant } from '../../lib/dates.ts';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { boardMembersOn, callMeeting, createMeeting, markHeld, officersOnDay, recordAttendance } from '../governance/api-board.ts';
import { declareInterest, moveMotion, openMotion, recordCount, secondMotion } from '../governance/api-decisions.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { activeMembersWithRoles } from '../membership/views.ts';
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/service.ts';
import { checkChoices, newReceiptCode, receiptHash } from './ballots.ts';
import { sealBallot } from './ballots-seal.ts';
import { closeAndCount } from './counting.ts';
import { clearContractsDemo, loadContractsDemo } from './demo-contracts.ts';
import { addLedgerEntryIn, createPot } from './ledger.ts';
import { createProposal, decideEligibility, proposalsOfRound } from './proposals.ts';
import { sendToBoard } from './ratify.ts';
import { advanceRound, createRound, getRound } from './rounds.ts';
import { commBallotBox, commBallots, commLedger, commPots, commProposals, commRounds, commVoters } from './schema.ts';
import { clearCommissionsDemo, loadCommissionsDemo } from './demo-commissions.ts';

const FINISHED = [
  ['Saturday dads’ stay and play', 'A weekly Saturday session for dads, granddads and male carers with under-5s.', 9_500],
  ['Speech and language drop-in', 'A speech therapist at two children’s centres one morning a week.', 18_000],
  ['Breastfeeding peer supporters', 'Train and support 12 peer supporters across the wards.', 7_200],
  ['Polish-speaking parent group', 'A fortnightly group with a Polish-speaking family worker.', 6_800],
  ['Buggy-friendly walking routes', 'Mapped routes with volunteer walk leaders and a printed guide.', 4_500],
  ['Evening antenatal classes', 'Classes after work for parents who cannot come in the day.', 12_000],
  ['Home-Start volunteer visits', 'Twenty more families visited weekly by trained volunteers.', 21_000],
  ['Baby bank and toy library', 'A baby bank with a toy library in the town centre.', 8_000],
] as const;

const OPEN = [
  ['Messy play in the park', 'Summer outdoor sessions in three parks.', 3_500],
  ['Dad-to-be evenings', 'Four evenings for expectant fathers with a midwife.', 2_400],
  ['Sensory room sessions', 'Bookable sessions for children with additional needs.', 6_000],
  ['Cook and eat together', 'Family cooking courses on a budget.', 5_200],
] as const;

/** A seeded generator (deterministic demo). */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Commissioning's part of `parent-mutual demo load`: two pots with income, a finished round (one
 * ballot per active demo member, checked by the ballot rules, with a register row each: as many
 * ballots as demo members, no voter is invented), counted and ratified, and a round open for
 * voting where a third of them have voted. Ratification goes the real way (`ratifyDemoRound`):
 * a board meeting yesterday evening, called with notice, the result referred to it, attendance,
 * the chair moves and a board member seconds, one member declares an interest, the secretary
 * records the count: governance closes the motion, enters the decision in the register and
 * publishes the round. Every row has `is_demo`.
 */
export async function loadCommissioningDemo(ctx: DemoContext): Promise<number> {
  const { db, tenant, today } = ctx;
  const [already] = await db.select({ id: commRounds.id }).from(commRounds).where(and(eq(commRounds.tenantId, tenant.id), eq(commRounds.isDemo, true))).limit(1);
  if (already) return loadContractsDemo(ctx);
  const people = (await activeMembersWithRoles(db, tenant.id)).filter((m) => m.isDemo);
  const coord = people.find((m) => m.roles.includes('coordinator'));
  if (!coord || people.length < 10) return 0;
  const actorOf = (m: { id: string; roles: readonly Role[] }): Actor => ({ memberId: m.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...m.roles]), sessionId: 'demo' });
  const admin = actorOf({ id: coord.id, roles: ['coordinator'] });
  const isDemo = true;
  const potId = await createPot(db, admin, { name: 'Early years devolved budget', namePl: 'Przekazany budżet na wczesne lata', financialYear: '2026-27', source: 'devolved_budget', funder: 'North Northamptonshire Council' }, { isDemo });
  const grantId = await createPot(db, admin, { name: 'Community grant', namePl: 'Grant społeczny', financialYear: '2026-27', source: 'grant', funder: 'A local charitable trust' }, { isDemo });
  await db.transaction(async (tx) => {
    await addLedgerEntryIn(tx, tenant.id, 'system:demo', { potId, kind: 'income', amountPence: 25_000_000, idempotencyKey: `demo:income:${potId}`, note: 'Devolved budget 2026-27 (demo)', isDemo });
    await addLedgerEntryIn(tx, tenant.id, 'system:demo', { potId: grantId, kind: 'income', amountPence: 2_000_000, idempotencyKey: `demo:income:${grantId}`, note: 'Grant (demo)', isDemo });
  });
  const makeRound = async (title: string, titlePl: string, budget: number, list: ReadonlyArray<readonly [string, string, number]>) => {
    const roundId = await createRound(db, admin, { title, titlePl, potId, budget: String(budget), ballotType: 'approval', maxChoices: '3', rule: 'mes', completion: 'add1_utilitarian' }, { isDemo });
    const ids: string[] = [];
    for (const [i, [ptitle, summary, cost]] of list.entries()) {
      const proposer = people[(i * 7) % people.length] as (typeof people)[number];
      const id = await createProposal(db, actorOf(proposer), { title: ptitle, summary, cost: String(cost), roundId, wardIds: proposer.wardId ? [proposer.wardId] : [], indicators: ['M2', 'M3'] }, { isDemo });
      await decideEligibility(db, admin, id, { decision: 'eligible', reason: 'Meets the early-years aims and fits the budget (demo).' });
      ids.push(id);
    }
    await advanceRound(db, admin, roundId, 'review');
    await advanceRound(db, admin, roundId, 'voting');
    return { roundId, ids };
  };
  const random = generator(2026);
  const vote = async (roundId: string, ids: string[], voters: typeof people) => {
    // Each ward leans to some proposals, so MES and greedy differ visibly. One ballot per demo
    // member, checked by the ballot rules and sealed as castBallot seals it, written in bulk
    // (register and boxes in one transaction; the receipt codes are not kept for the demo).
    // Closing the round opens the boxes (counting.ts), as for real votes.
    const round = await getRound(db, tenant.id, roundId);
    const proposals = await proposalsOfRound(db, tenant.id, roundId, { eligibleOnly: true });
    const proposalIds = proposals.map((p) => p.id);
    const boxes = voters.map((m) => {
      const lean = (m.wardId ?? '').charCodeAt(35) || 0;
      const picks = new Set<string>();
      const n = 1 + Math.floor(random() * 3);
      while (picks.size < n) picks.add(ids[(random() < 0.6 ? lean + picks.size : Math.floor(random() * ids.length)) % ids.length] as string);
      const choices = checkChoices(round, proposals, { choose: [...picks] });
      return { tenantId: tenant.id, roundId, id: randomUUID(), sealed: sealBallot(tenant.id, roundId, proposalIds, { choices, receiptHash: receiptHash(roundId, newReceiptCode()) }), isDemo };
    });
    await db.transaction(async (tx) => {
      await tx.insert(commVoters).values(voters.map((m) => ({ tenantId: tenant.id, roundId, memberId: m.id, isDemo })));
      await tx.insert(commBallotBox).values(boxes.sort((a, b) => (a.id < b.id ? -1 : 1)));
      await appendAudit(tx, { tenantId: tenant.id, actor: 'system:demo', action: 'comm.ballot.demo', entity: 'comm_round', entityId: roundId, data: { ballots: boxes.length } });
    });
  };
  const finished = await makeRound('Spring 2026 early years round', 'Wiosenna runda 2026: wczesne lata', 60_000, FINISHED);
  await vote(finished.roundId, finished.ids, people);
  // Closing opens the boxes and writes the ballots in a random order; no vacuum in a demo load.
  await closeAndCount(db, admin, finished.roundId, tenant.name, { vacuum: false });
  await ratifyDemoRound(db, tenant.id, finished.roundId, admin, today);
  const open = await makeRound('Winter 2026 round', 'Zimowa runda 2026', 20_000, OPEN);
  await vote(open.roundId, open.ids, people.filter((_, i) => i % 3 === 0));
  return people.length + 2 + (await loadContractsDemo(ctx));
}

/**
 * The demo's finished round ratified through governance: a board meeting held yesterday at 19:00
 * (created and called twelve days before it, with the rules' notice), the result referred to it,
 * five board members present, the chair moves, a board member seconds, one present member declares
 * an interest, the secretary records 3 for, 0 against, 1 abstaining. Skipped (the round stays
 * waiting for the board) when the demo has no board with a chair and a secretary.
 */
async function ratifyDemoRound(db: Db, tenantId: string, roundId: string, coordinator: Actor, today: Date): Promise<void> {
  const day = addDays(isoDate(today), -1);
  const startsAt = londonToInstant(`${day}T19:00`)!;
  const board = await boardMembersOn(db, tenantId, day);
  const officers = await officersOnDay(db, tenantId, day);
  const chairId = officers.find((o) => o.office === 'chair')?.memberId;
  const secretaryId = officers.find((o) => o.office === 'secretary')?.memberId;
  if (!chairId || !secretaryId || board.length < 5) return;
  const as = (memberId: string, roles: Role[]): Actor => ({ memberId, tenantId, roles: new Set<Role>(['member', ...roles]), sessionId: 'demo' });
  // The secretary keeps the meeting (an admin actor for the services, as governance's demo does).
  const secretary = as(secretaryId, ['board', 'admin']);
  const calledAt = new Date(startsAt.getTime() - 12 * 86_400_000);
  const meeting = await createMeeting(db, secretary, { kind: 'board', title: 'Board meeting: budget ratification (demo)', titlePl: 'Posiedzenie zarządu: zatwierdzenie budżetu (demo)', startsAt: `${day}T19:00`, endsAt: `${day}T20:30`, location: 'Corby Cube, George Street' }, { isDemo: true });
  await callMeeting(db, secretary, meeting.id, { now: calledAt, baseUrl: '' });
  const motionId = await sendToBoard(db, coordinator, roundId, { meetingId: meeting.id }, { isDemo: true, now: new Date(calledAt.getTime() + 3600_000) });
  const others = board.map((b) => b.memberId).filter((id) => id !== chairId && id !== secretaryId);
  const present = [chairId, secretaryId, ...others.slice(0, 3)];
  for (const memberId of present) await recordAttendance(db, secretary, meeting.id, { memberId, mode: 'in_person' });
  const at = (minutes: number) => new Date(startsAt.getTime() + minutes * 60_000);
  await moveMotion(db, as(chairId, ['board']), motionId, at(20));
  await secondMotion(db, as(others[0]!, ['board']), motionId, at(21));
  await declareInterest(db, as(others[2]!, ['board']), motionId, { note: 'Volunteers with one of the funded groups (demo).' }, at(22));
  await openMotion(db, secretary, motionId, at(23));
  await recordCount(db, secretary, motionId, { for: 3, against: 0, abstain: 1 }, at(40));
  await markHeld(db, secretary, meeting.id, at(90));
}

export async function clearCommissioningDemo({ db, tenant }: DemoContext): Promise<number> {
  return db.transaction(async (tx) => {
    const demo = <T extends { tenantId: unknown; isDemo: unknown }>(t: T) => and(eq(t.tenantId as typeof commPots.tenantId, tenant.id), eq(t.isDemo as typeof commPots.isDemo, true));
    let n = await clearContractsDemo(tx, tenant.id);
    n += await clearCommissionsDemo(tx, tenant.id);
    n += (await tx.delete(commLedger).where(demo(commLedger)).returning({ id: commLedger.id })).length;
    n += (await tx.delete(commBallots).where(demo(commBallots)).returning({ id: commBallots.id })).length;
    n += (await tx.delete(commBallotBox).where(demo(commBallotBox)).returning({ id: commBallotBox.id })).length;
    n += (await tx.delete(commVoters).where(demo(commVoters)).returning({ id: commVoters.memberId })).length;
    n += (await tx.delete(commProposals).where(demo(commProposals)).returning({ id: commProposals.id })).length;
    n += (await tx.delete(commRounds).where(demo(commRounds)).returning({ id: commRounds.id })).length;
    n += (await tx.delete(commPots).where(demo(commPots)).returning({ id: commPots.id })).length;
    return n;
  });
}

export const commissioningDemo = { name: 'commissioning', load: async (ctx) => (await loadCommissioningDemo(ctx)) + (await loadCommissionsDemo(ctx)), clear: clearCommissioningDemo } satisfies DemoPart;
