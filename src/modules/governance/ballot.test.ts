// Issue 12 item 3 (secret online ballot between meetings; SECURITY.md 22–24) and its bad input (item 7).
import { and, eq, getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { storeName } from '../../test/db.ts';
import { castBallot, checkReceipt, closeDueMotions, normaliseReceipt, publishedBallots, receiptHash } from './ballot.ts';
import { createMotion, declareInterest, motionById, openMotion, secondMotion, type MotionInput } from './motions.ts';
import { govSetup, NOW, refusal } from './motions.test-helpers.ts';
import { govDecisions, govMotionBallots, govMotionVoters } from './schema.ts';

const HOUR = 3600_000;
const OPENS = new Date(NOW.getTime() - HOUR);
const CLOSES = new Date(NOW.getTime() + 48 * HOUR);

const online = (extra: Partial<MotionInput> = {}): MotionInput => ({ title: 'A forum in every ward', body: 'That the board sets up a forum in every ward.', kind: 'ordinary', electorate: 'members', voting: 'secret_online', opensAt: OPENS, closesAt: CLOSES, ...extra });

async function ballotSetup(extra: Partial<MotionInput> = {}) {
  const s = await govSetup({ board: 3, members: 4 });
  const [chair, b1] = s.board as [(typeof s.board)[0], (typeof s.board)[0]];
  const id = await createMotion(s.db, chair.actor, online(extra), NOW);
  await secondMotion(s.db, b1.actor, id, NOW);
  await openMotion(s.db, chair.actor, id, NOW);
  const counts = async () => ({
    voters: (await s.db.select().from(govMotionVoters).where(and(eq(govMotionVoters.tenantId, s.tenant.id), eq(govMotionVoters.motionId, id)))).length,
    ballots: (await s.db.select().from(govMotionBallots).where(and(eq(govMotionBallots.tenantId, s.tenant.id), eq(govMotionBallots.motionId, id)))).length,
  });
  return { ...s, chair, b1, id, counts };
}

describe(`secret online ballots (${storeName()})`, { timeout: 180_000 }, () => {
  it('the register and the ballots share no key; a ballot has no member and no time, its id is a UUID v4', () => {
    expect(Object.values(getTableColumns(govMotionBallots)).map((c) => c.name).sort()).toEqual(['choice', 'id', 'motion_id', 'receipt_hash', 'tenant_id']);
    expect(Object.values(getTableColumns(govMotionVoters)).map((c) => c.name).sort()).toEqual(['member_id', 'motion_id', 'tenant_id']);
  });

  it('a member votes once and gets a receipt; only its hash is stored', async () => {
    const { db, tenant, id, members, counts } = await ballotSetup();
    const { receipt } = await castBallot(db, members[0]!.actor, id, 'for', NOW);
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const [ballot] = await db.select().from(govMotionBallots).where(eq(govMotionBallots.motionId, id));
    expect(ballot!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ballot!.receiptHash).toBe(receiptHash(id, receipt));
    expect(JSON.stringify(ballot)).not.toContain(receipt);
    expect(JSON.stringify(ballot)).not.toContain(members[0]!.member.id);
    const err = await refusal(castBallot(db, members[0]!.actor, id, 'against', NOW));
    expect(err.key).toBe('gov.motions.error.alreadyVoted');
    expect(err.message).toMatch(/already voted/);
    expect(await counts()).toEqual({ voters: 1, ballots: 1 });
    expect((await motionById(db, tenant.id, id))!.status).toBe('open');
  });

  it('refuses: not entitled, before opening, after closing, a declared interest, a bad choice, an in-meeting motion; nothing changes', async () => {
    const s = await ballotSetup({ electorate: 'board' });
    const [m0, m1] = s.members as [(typeof s.members)[0], (typeof s.members)[0]];
    // A board ballot: a plain member is not entitled.
    expect((await refusal(castBallot(s.db, m0.actor, s.id, 'for', NOW))).key).toBe('gov.motions.error.notEntitled');
    expect((await refusal(castBallot(s.db, s.b1.actor, s.id, 'for', new Date(OPENS.getTime() - 1)))).key).toBe('gov.motions.error.notYetOpen');
    expect((await refusal(castBallot(s.db, s.b1.actor, s.id, 'for', CLOSES))).key).toBe('gov.motions.error.closed');
    expect((await refusal(castBallot(s.db, s.b1.actor, s.id, 'maybe', NOW))).key).toBe('gov.motions.error.choice');
    await declareInterest(s.db, s.board[2]!.actor, s.id, { note: 'My employer' }, NOW);
    const conflicted = await refusal(castBallot(s.db, s.board[2]!.actor, s.id, 'for', NOW));
    expect(conflicted.key).toBe('gov.motions.error.conflicted');
    expect(conflicted.message).toMatch(/declared an interest/);
    expect(await s.counts()).toEqual({ voters: 0, ballots: 0 });
    // A draft (not opened) online motion.
    const draft = await createMotion(s.db, s.chair.actor, online(), NOW);
    expect((await refusal(castBallot(s.db, m1.actor, draft, 'for', NOW))).key).toBe('gov.motions.error.notOpen');
  });

  it('100 concurrent attempts by one member leave exactly one ballot and one register row', async () => {
    const { db, id, members, counts } = await ballotSetup();
    const voter = members[1]!;
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => castBallot(db, voter.actor, id, i % 2 ? 'for' : 'against', NOW)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { key?: string }).key] : []));
    expect(reasons).toHaveLength(99);
    expect(new Set(reasons)).toEqual(new Set(['gov.motions.error.alreadyVoted']));
    expect(await counts()).toEqual({ voters: 1, ballots: 1 });
  });

  it('the job closes it after closing time (idempotent, two at once), records the result, and anyone can check a receipt', async () => {
    const { db, tenant, id, members, board } = await ballotSetup();
    const receipts = [];
    receipts.push((await castBallot(db, members[0]!.actor, id, 'for', NOW)).receipt);
    receipts.push((await castBallot(db, members[1]!.actor, id, 'for', NOW)).receipt);
    receipts.push((await castBallot(db, members[2]!.actor, id, 'against', NOW)).receipt);
    receipts.push((await castBallot(db, board[0]!.actor, id, 'abstain', NOW)).receipt);
    await declareInterest(db, members[3]!.actor, id, {}, NOW);
    // Before closing: nothing to close.
    expect(await closeDueMotions(db, NOW, { tenantId: tenant.id })).toBe(0);
    const after = new Date(CLOSES.getTime() + 60_000);
    const runs = await Promise.all([closeDueMotions(db, after, { tenantId: tenant.id }), closeDueMotions(db, after, { tenantId: tenant.id })]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await closeDueMotions(db, after, { tenantId: tenant.id })).toBe(0);
    expect(await motionById(db, tenant.id, id)).toMatchObject({ status: 'closed', outcome: 'carried', votesFor: 2, votesAgainst: 1, abstentions: 1, conflictedCount: 1, decidedAt: after });
    const entries = await db.select().from(govDecisions).where(eq(govDecisions.tenantId, tenant.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ number: 1, outcome: 'carried', votesFor: 2, votesAgainst: 1, abstentions: 1 });
    expect(entries[0]!.summary).toContain('1 member did not vote because of a declared interest.');
    // After closing: a vote is refused; the published list has 4 ballots and each receipt finds its own.
    expect((await refusal(castBallot(db, members[3]!.actor, id, 'for', after))).key).toBe('gov.motions.error.closed');
    const list = await publishedBallots(db, tenant.id, id);
    expect(list.map((b) => b.choice).sort()).toEqual(['abstain', 'against', 'for', 'for']);
    const mine = await checkReceipt(db, tenant.id, id, receipts[2]!.toLowerCase().replace(/-/g, ' '));
    expect(mine).toMatchObject({ choice: 'against' });
    expect(list.map((b) => b.receiptPrefix)).toContain(mine!.receiptPrefix);
    expect(await checkReceipt(db, tenant.id, id, 'AAAA-BBBB-CCCC')).toBeNull();
    expect(await checkReceipt(db, tenant.id, id, 'nonsense')).toBeNull();
  });

  it('reads a receipt back however it is typed', () => {
    expect(normaliseReceipt('k7q2 9xmp 3t5a')).toBe('K7Q2-9XMP-3T5A');
    expect(normaliseReceipt('K7Q2-9XMP-3T5O')).toBe('K7Q2-9XMP-3T50');
    expect(normaliseReceipt('K7Q2-9XMP-3T5')).toBe('');
  });
});
