// Issue 13 item 6: a counted round goes to a board meeting as a referred motion, the board moves,
// seconds, opens and votes on it under governance's rules (quorum, conflicts, the chair's or
// secretary's count, or a secret online ballot), and the decision publishes the round (with the
// ledger allocations) or sends it back to review; the decision is in the public register.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { AppError } from '../../server/errors.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { declareInterest as declareStandingInterest } from '../governance/board.ts';
import { declareInterest, moveMotion, openMotion, recordCount, secondMotion } from '../governance/api-decisions.ts';
import { castBallot, closeDueMotions } from '../governance/ballot.ts';
import { attend, meeting, officer } from '../governance/motions.test-helpers.ts';
import { govAgendaItems, govDecisions, govMotionInterests, govMotions, govPapers, govSeats, govTerms } from '../governance/schema.ts';
import { castBallot as castRoundBallot } from './ballots.ts';
import { closeAndCount } from './counting.ts';
import { createPot, ledgerProblems, potBalance, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility } from './proposals.ts';
import { conflictedMembers, sendToBoard } from './ratify.ts';
import { advanceRound, createRound, getRound } from './rounds.ts';
import { loadDemo } from '../../server/demo.ts';
import { govMeetings } from '../governance/schema.ts';
import { commLedger, commRounds } from './schema.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const at = (minutes: number) => new Date(Date.parse('2026-11-20T18:00:00Z') + minutes * 60_000);

async function setup(opts: { board?: number } = {}) {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db, { wards: false });
  const person = async (roles: Role[]) => {
    const m = await buildMember(db, tenant.id, { roles });
    return { ...m, actor: { memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' } as Actor };
  };
  const coord = await person(['coordinator']);
  const seatId = newId();
  await db.insert(govSeats).values({ tenantId: tenant.id, id: seatId, kind: 'elected_parent', label: 'Parent seat' });
  const board = [];
  for (let i = 0; i < (opts.board ?? 5); i++) {
    const p = await person(['board']);
    await db.insert(govTerms).values({ tenantId: tenant.id, id: newId(), seatId, memberId: p.member.id, holderName: p.member.name, startsOn: '2025-06-01', endsOn: '2028-06-01' });
    board.push(p);
  }
  const [chair, secretary] = board as [(typeof board)[number], (typeof board)[number]];
  await officer(db, tenant.id, chair.member.id, 'chair');
  await officer(db, tenant.id, secretary.member.id, 'secretary');
  const potId = await createPot(db, coord.actor, { name: 'Early years', financialYear: '2026-27', source: 'devolved_budget' });
  await recordIncome(db, coord.actor, { potId, amount: '100000', idempotencyKey: `income-${potId}` });
  return { app, db, tenant, host, person, coord, board, chair, secretary, potId };
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** A round counted from 12 ballots: proposals 1 (£4,000), 2 and 3 funded from £8,000, say. */
async function countedRound(s: Setup) {
  const roundId = await createRound(s.db, s.coord.actor, { title: 'Spring round', potId: s.potId, budget: '8000', ballotType: 'approval', maxChoices: '3', rule: 'mes', completion: 'add1_utilitarian' });
  const ids: string[] = [];
  for (const [i, cost] of [4000, 3000, 2500, 2000, 1500].entries()) {
    const id = await createProposal(s.db, s.coord.actor, { title: `Proposal ${i + 1}`, summary: 'Something for families with under-fives.', cost: String(cost), roundId });
    await decideEligibility(s.db, s.coord.actor, id, { decision: 'eligible', reason: 'It fits the aims and the budget.' });
    ids.push(id);
  }
  await advanceRound(s.db, s.coord.actor, roundId, 'review');
  await advanceRound(s.db, s.coord.actor, roundId, 'voting');
  for (let i = 0; i < 12; i++) {
    const v = await s.person([]);
    await castRoundBallot(s.db, v.actor, roundId, { choose: i < 7 ? [ids[0]!] : i < 10 ? [ids[1]!, ids[2]!] : [ids[3]!, ids[4]!] });
  }
  const result = await closeAndCount(s.db, s.coord.actor, roundId, s.tenant.name);
  return { roundId, ids, result };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** In the meeting: the chair moves, the secretary seconds, the secretary opens it. */
async function moveSecondOpen(s: Setup, motionId: string) {
  await moveMotion(s.db, s.chair.actor, motionId, at(5));
  await secondMotion(s.db, s.secretary.actor, motionId, at(6));
  await openMotion(s.db, s.secretary.actor, motionId, at(7));
}

describe(`board ratification of a budget round (${storeName()})`, { timeout: 180_000 }, () => {
  it('carried in a quorate board meeting: published, the funded costs allocated in the ledger, a register entry, and the round page links the decision', async () => {
    const s = await setup();
    const { roundId, result } = await countedRound(s);
    const meetingId = await meeting(s.db, s.tenant.id, { entitledCount: 5, quorumValue: 3 });
    const motionId = await sendToBoard(s.db, s.coord.actor, roundId, { meetingId }, { now: NOW });
    const [m] = await s.db.select().from(govMotions).where(and(eq(govMotions.tenantId, s.tenant.id), eq(govMotions.id, motionId)));
    expect(m).toMatchObject({ meetingId, kind: 'ordinary', electorate: 'board', voting: 'in_meeting', status: 'draft', proposerId: null, refersKind: 'budget_round', refersId: roundId });
    // On the meeting's agenda, with the result as its paper.
    const items = await s.db.select().from(govAgendaItems).where(and(eq(govAgendaItems.tenantId, s.tenant.id), eq(govAgendaItems.meetingId, meetingId)));
    expect(items.map((i) => i.id)).toEqual([m!.itemId]);
    const [paper] = await s.db.select().from(govPapers).where(and(eq(govPapers.tenantId, s.tenant.id), eq(govPapers.meetingId, meetingId)));
    expect(paper!.body).toContain('Proposal 1');
    expect(paper!.url).toBe(`/budget/rounds/${roundId}`);

    const boardClient = new TestClient(s.app, s.host);
    boardClient.cookies.set('pm_session', s.chair.cookie);
    const meetingPage = await (await boardClient.get(`/governance/meetings/${meetingId}?lang=en`)).text();
    expect(meetingPage).toContain(`<a href="/governance/motions/${motionId}">The motion on this item</a>`);
    expect(meetingPage).toContain('Budget round result: Spring round');
    await attend(s.db, s.tenant.id, meetingId, s.board.slice(0, 4).map((b) => b.member.id));
    await moveSecondOpen(s, motionId);
    const decided = await recordCount(s.db, s.secretary.actor, motionId, { for: 3, against: 1, abstain: 0 }, at(30));
    expect(decided.outcome).toBe('carried');

    const round = await getRound(s.db, s.tenant.id, roundId);
    expect(round.phase).toBe('published');
    const allocations = await s.db.select().from(commLedger).where(and(eq(commLedger.tenantId, s.tenant.id), eq(commLedger.roundId, roundId), eq(commLedger.kind, 'allocation')));
    expect(allocations.map((a) => a.proposalId).sort()).toEqual([...result.winners].sort());
    expect((await potBalance(s.db, s.tenant.id, s.potId)).allocated).toBe(result.totalCostPence);
    expect(await ledgerProblems(s.db, s.tenant.id)).toEqual([]);
    const [entry] = await s.db.select().from(govDecisions).where(and(eq(govDecisions.tenantId, s.tenant.id), eq(govDecisions.motionId, motionId)));
    expect(entry).toMatchObject({ number: decided.decisionNumber, kind: 'budget_ratification', outcome: 'carried', votesFor: 3, votesAgainst: 1, abstentions: 0, meetingId });
    expect(entry!.refs.some((r) => r.kind === 'budget_round' && r.id === roundId)).toBe(true);

    const visitor = new TestClient(s.app, s.host);
    const page = await (await visitor.get(`/budget/rounds/${roundId}?lang=en`)).text();
    expect(page).toContain(`href="/governance/decisions/${decided.decisionNumber}"`);
    expect(page).toContain(`Ratified by the board: decision ${decided.decisionNumber}`);
    expect(page).toContain('3 for, 1 against, 0 abstaining.');
    const register = await (await visitor.get('/governance/decisions?lang=en')).text();
    expect(register).toContain('Ratify the result of the budget round');
  });

  it('sending is idempotent (twice, and twice at once, give the same motion) and needs a board meeting; only coordinators send', async () => {
    const s = await setup();
    const { roundId } = await countedRound(s);
    const none = await refusal(sendToBoard(s.db, s.coord.actor, roundId, {}, { now: NOW }));
    expect(none.key).toBe('comm.ratify.error.meeting');
    expect((await refusal(sendToBoard(s.db, s.board[2]!.actor, roundId, { meetingId: newId() }, { now: NOW }))).code).toBe('forbidden');
    const general = await meeting(s.db, s.tenant.id, { kind: 'general', entitledCount: 20 });
    expect((await refusal(sendToBoard(s.db, s.coord.actor, roundId, { meetingId: general }, { now: NOW }))).key).toBe('gov.motions.error.meetingKind');
    const meetingId = await meeting(s.db, s.tenant.id, { entitledCount: 5 });
    const [a, b] = await Promise.all([sendToBoard(s.db, s.coord.actor, roundId, { meetingId }, { now: NOW }), sendToBoard(s.db, s.coord.actor, roundId, { meetingId }, { now: NOW })]);
    expect(b).toBe(a);
    expect(await sendToBoard(s.db, s.coord.actor, roundId, { meetingId }, { now: NOW })).toBe(a);
    const motions = await s.db.select().from(govMotions).where(and(eq(govMotions.tenantId, s.tenant.id), eq(govMotions.refersId, roundId)));
    expect(motions).toHaveLength(1);
    expect((await getRound(s.db, s.tenant.id, roundId)).motionId).toBe(a);
    expect(await s.db.select().from(govAgendaItems).where(and(eq(govAgendaItems.tenantId, s.tenant.id), eq(govAgendaItems.meetingId, meetingId)))).toHaveLength(1);
  });

  it('follows governance: a board member moves it (not the coordinator), another seconds, and an inquorate meeting cannot vote', async () => {
    const s = await setup();
    const { roundId } = await countedRound(s);
    const meetingId = await meeting(s.db, s.tenant.id, { entitledCount: 5, quorumValue: 3 });
    const motionId = await sendToBoard(s.db, s.coord.actor, roundId, { meetingId }, { now: NOW });
    expect((await refusal(openMotion(s.db, s.secretary.actor, motionId, at(1)))).key).toBe('gov.motions.error.noProposer');
    expect((await refusal(moveMotion(s.db, s.coord.actor, motionId, at(1)))).key).toBe('gov.motions.error.proposerNotEntitled');
    await attend(s.db, s.tenant.id, meetingId, [s.chair.member.id, s.secretary.member.id]);
    await moveSecondOpen(s, motionId);
    const inquorate = await refusal(recordCount(s.db, s.secretary.actor, motionId, { for: 2, against: 0, abstain: 0 }, at(30)));
    expect(inquorate.key).toBe('gov.motions.error.inquorate');
    expect((await getRound(s.db, s.tenant.id, roundId)).phase).toBe('ratification');
    expect(await s.db.select().from(govDecisions).where(eq(govDecisions.tenantId, s.tenant.id))).toHaveLength(0);
  });

  it('a board member with an interest in a funded proposal cannot vote: quorum and the count are worked out without them', async () => {
    const s = await setup();
    const { roundId, result } = await countedRound(s);
    const meetingId = await meeting(s.db, s.tenant.id, { entitledCount: 5, quorumValue: 3 });
    const motionId = await sendToBoard(s.db, s.coord.actor, roundId, { meetingId }, { now: NOW });
    // Declared in the register of interests after the result went to the board, against a funded proposal: found when the motion opens.
    const interested = s.board[3]!;
    await declareStandingInterest(s.db, interested.actor, { description: 'I run the group it funds.', declaredOn: '2026-11-01' }, { relatedKind: 'comm_proposal', relatedId: result.winners[0]! });
    expect(await conflictedMembers(s.db, s.tenant.id, roundId)).toEqual([interested.member.id]);
    await attend(s.db, s.tenant.id, meetingId, [s.chair.member.id, s.secretary.member.id, interested.member.id]);
    await moveSecondOpen(s, motionId);
    const noted = await s.db.select().from(govMotionInterests).where(and(eq(govMotionInterests.tenantId, s.tenant.id), eq(govMotionInterests.motionId, motionId)));
    expect(noted.map((n) => n.memberId)).toEqual([interested.member.id]);
    // Three present, one conflicted: two count towards a quorum of three.
    expect((await refusal(recordCount(s.db, s.secretary.actor, motionId, { for: 2, against: 0, abstain: 0 }, at(30)))).key).toBe('gov.motions.error.inquorate');
    await attend(s.db, s.tenant.id, meetingId, [s.board[2]!.member.id]);
    // Four present, three entitled to vote on it: a count of four would include the conflicted member.
    expect((await refusal(recordCount(s.db, s.secretary.actor, motionId, { for: 3, against: 1, abstain: 0 }, at(31)))).key).toBe('gov.motions.error.tooMany');
    const decided = await recordCount(s.db, s.secretary.actor, motionId, { for: 2, against: 1, abstain: 0 }, at(32));
    expect(decided.outcome).toBe('carried');
    const [m] = await s.db.select().from(govMotions).where(and(eq(govMotions.tenantId, s.tenant.id), eq(govMotions.id, motionId)));
    expect(m!.conflictedCount).toBe(1);
    const [entry] = await s.db.select().from(govDecisions).where(and(eq(govDecisions.tenantId, s.tenant.id), eq(govDecisions.motionId, motionId)));
    expect(entry!.summary).toContain('1 member did not vote because of a declared interest.');
    expect((await getRound(s.db, s.tenant.id, roundId)).phase).toBe('published');
  });

  it('not carried: the round goes back to review, and its pages say so with the decision', async () => {
    const s = await setup();
    const { roundId } = await countedRound(s);
    const meetingId = await meeting(s.db, s.tenant.id, { entitledCount: 5, quorumValue: 3 });
    const motionId = await sendToBoard(s.db, s.coord.actor, roundId, { meetingId }, { now: NOW });
    await attend(s.db, s.tenant.id, meetingId, s.board.map((b) => b.member.id));
    await declareInterest(s.db, s.board[4]!.actor, motionId, { note: 'A relative works for one provider.' }, at(2));
    await moveSecondOpen(s, motionId);
    const decided = await recordCount(s.db, s.chair.actor, motionId, { for: 1, against: 2, abstain: 1 }, at(30));
    expect(decided.outcome).toBe('not_carried');
    const round = await getRound(s.db, s.tenant.id, roundId);
    expect(round.phase).toBe('review');
    expect(round.motionId).toBeNull();
    expect((await potBalance(s.db, s.tenant.id, s.potId)).allocated).toBe(0);
    const visitor = new TestClient(s.app, s.host);
    const page = await (await visitor.get(`/budget/rounds/${roundId}?lang=en`)).text();
    expect(page).toContain(`Sent back by the board: decision ${decided.decisionNumber}`);
    expect(page).toContain('1 for, 2 against, 1 abstaining.');
    expect(page).toContain('Members who did not vote because of a declared interest: 1.');
    expect(page).toContain(`href="/governance/decisions/${decided.decisionNumber}"`);
    const coordinator = new TestClient(s.app, s.host);
    coordinator.cookies.set('pm_session', s.coord.cookie);
    const manage = await (await coordinator.get(`/coordinator/budget/rounds/${roundId}?lang=en`)).text();
    expect(manage).toContain(`Sent back by the board: decision ${decided.decisionNumber}`);
  });

  it('the coordinator’s page offers the upcoming board meetings (or says there are none, with a link) and sends by the form', async () => {
    const s = await setup();
    const { roundId } = await countedRound(s);
    const coordinator = new TestClient(s.app, s.host);
    coordinator.cookies.set('pm_session', s.coord.cookie);
    const empty = await (await coordinator.get(`/coordinator/budget/rounds/${roundId}?lang=en`)).text();
    expect(empty).toContain('There is no upcoming board meeting');
    expect(empty).toContain('href="/governance/meetings"');
    const meetingId = await meeting(s.db, s.tenant.id, { entitledCount: 5, startsAt: new Date(Date.now() + 7 * 86_400_000) });
    const page = await (await coordinator.get(`/coordinator/budget/rounds/${roundId}?lang=en`)).text();
    expect(page).toContain(`<option value="${meetingId}">`);
    const bad = await coordinator.post(`/coordinator/budget/rounds/${roundId}/board`, { voting: 'in_meeting' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose the board meeting that will vote on the result.');
    const sent = await coordinator.post(`/coordinator/budget/rounds/${roundId}/board`, { meetingId, voting: 'in_meeting' });
    expect(sent.status).toBe(303);
    const after = await (await coordinator.get(`/coordinator/budget/rounds/${roundId}?lang=en`)).text();
    const round = await getRound(s.db, s.tenant.id, roundId);
    expect(after).toContain(`href="/governance/motions/${round.motionId}"`);
    expect(after).not.toContain(`action="/coordinator/budget/rounds/${roundId}/board"`);
  });

  it('or by a secret online ballot of the board with a closing time: the closing job decides it', async () => {
    const s = await setup();
    const { roundId } = await countedRound(s);
    const closesAt = at(24 * 60);
    expect((await refusal(sendToBoard(s.db, s.coord.actor, roundId, { voting: 'secret_online', closesAt: new Date(NOW.getTime() - 1000) }, { now: NOW }))).key).toBe('comm.ratify.error.closesAt');
    const motionId = await sendToBoard(s.db, s.coord.actor, roundId, { voting: 'secret_online', closesAt }, { now: NOW });
    await moveSecondOpen(s, motionId);
    for (const [i, b] of s.board.entries()) await castBallot(s.db, b.actor, motionId, i < 4 ? 'for' : 'against', at(60));
    expect((await refusal(castBallot(s.db, s.coord.actor, motionId, 'for', at(61)))).key).toBe('gov.motions.error.notEntitled');
    expect(await closeDueMotions(s.db, new Date(closesAt.getTime() + 1000), { tenantId: s.tenant.id })).toBe(1);
    expect((await getRound(s.db, s.tenant.id, roundId)).phase).toBe('published');
    const [entry] = await s.db.select().from(govDecisions).where(and(eq(govDecisions.tenantId, s.tenant.id), eq(govDecisions.motionId, motionId)));
    expect(entry).toMatchObject({ outcome: 'carried', votesFor: 4, votesAgainst: 1 });
  });

  it('the demo’s finished round is ratified the real way: a held board meeting, attendance, the recorded count, a demo decision', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db);
    await loadDemo({ db, tenant, today: new Date('2026-11-20T12:00:00Z') });
    const [round] = await db.select().from(commRounds).where(and(eq(commRounds.tenantId, tenant.id), eq(commRounds.isDemo, true), eq(commRounds.phase, 'published')));
    expect(round).toBeDefined();
    const [motion] = await db.select().from(govMotions).where(and(eq(govMotions.tenantId, tenant.id), eq(govMotions.refersKind, 'budget_round'), eq(govMotions.refersId, round!.id)));
    expect(motion).toMatchObject({ status: 'closed', outcome: 'carried', votesFor: 3, votesAgainst: 0, abstentions: 1, conflictedCount: 1, isDemo: true });
    expect(motion!.proposerId).not.toBeNull();
    expect(motion!.seconderId).not.toBeNull();
    const [held] = await db.select().from(govMeetings).where(and(eq(govMeetings.tenantId, tenant.id), eq(govMeetings.id, motion!.meetingId!)));
    expect(held).toMatchObject({ status: 'held', kind: 'board', isDemo: true });
    const [entry] = await db.select().from(govDecisions).where(and(eq(govDecisions.tenantId, tenant.id), eq(govDecisions.motionId, motion!.id)));
    expect(entry).toMatchObject({ kind: 'budget_ratification', outcome: 'carried', isDemo: true });
  });
});
