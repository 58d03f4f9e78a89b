// Issue 12 items 4, 5 (motions, in-meeting votes, conflicts, closing) and bad input (item 7).
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { storeName } from '../../test/db.ts';
import { auditLog } from '../audit/schema.ts';
import { adoptVersion } from './api-documents.ts';
import { motionsReferring, proposeMotion, registerReferenceKind } from './api-decisions.ts';
import { createMotion, declareInterest, motionById, openMotion, recordCount, secondMotion, type MotionInput } from './motions.ts';
import { attend, govSetup, meeting, NOW, officer, refusal } from './motions.test-helpers.ts';
import { govDecisions, govDocuments, govDocumentVersions, govMotions } from './schema.ts';
import { newId } from '../../lib/ids.ts';

const base = (meetingId: string | null, extra: Partial<MotionInput> = {}): MotionInput => ({ title: 'Adopt the plan', body: 'That the board adopts the plan.', kind: 'ordinary', electorate: 'board', voting: 'in_meeting', meetingId, ...extra });

async function boardMeetingSetup(opts: { present?: number; quorum?: number } = {}) {
  const s = await govSetup({ board: 5 });
  const [chair, b1, b2, b3, b4] = s.board as [typeof s.board[0], typeof s.board[0], typeof s.board[0], typeof s.board[0], typeof s.board[0]];
  const meetingId = await meeting(s.db, s.tenant.id, { kind: 'board', entitledCount: 5, quorumValue: opts.quorum ?? 3, chairId: chair.member.id });
  await attend(s.db, s.tenant.id, meetingId, s.board.slice(0, opts.present ?? 4).map((p) => p.member.id));
  return { ...s, chair, b1, b2, b3, b4, meetingId };
}

async function decisions(db: Parameters<typeof motionById>[0], tenantId: string) {
  return db.select().from(govDecisions).where(eq(govDecisions.tenantId, tenantId));
}

const adoptIsStub = await adoptVersion(undefined as never, '', '', { motionId: '', adoptedOn: '' }).then(
  () => false,
  (e: unknown) => e instanceof Error && /not built yet/.test(e.message),
);

describe(`motions (${storeName()})`, { timeout: 120_000 }, () => {
  it('refuses to open a motion without a seconder, and a seconder who is the proposer or not entitled; nothing changes', async () => {
    const { db, tenant, chair, b1, members, meetingId } = await boardMeetingSetup();
    const id = await createMotion(db, chair.actor, base(meetingId), NOW);
    let err = await refusal(openMotion(db, chair.actor, id, NOW));
    expect(err.key).toBe('gov.motions.error.noSeconder');
    expect(err.message).toMatch(/without a seconder cannot be opened/);
    err = await refusal(secondMotion(db, chair.actor, id, NOW));
    expect(err.key).toBe('gov.motions.error.sameSeconder');
    err = await refusal(secondMotion(db, members[0]!.actor, id, NOW));
    expect(err.key).toBe('gov.motions.error.seconderNotEntitled');
    expect((await motionById(db, tenant.id, id))).toMatchObject({ status: 'draft', seconderId: null });
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    expect(await motionById(db, tenant.id, id)).toMatchObject({ status: 'open', seconderId: b1.member.id, seconderName: b1.member.name, thresholdPct: 50 });
  });

  it('members may propose a motion for a general meeting, not for a board meeting nor another member’s name', async () => {
    const s = await govSetup({ board: 3, members: 2 });
    const general = await meeting(s.db, s.tenant.id, { kind: 'general', entitledCount: 50, quorumKind: 'share', quorumValue: 10 });
    const boardMeeting = await meeting(s.db, s.tenant.id, { kind: 'board', entitledCount: 3 });
    const [m1, m2] = s.members as [typeof s.members[0], typeof s.members[0]];
    const id = await createMotion(s.db, m1.actor, base(general, { electorate: 'members' }), NOW);
    expect(await motionById(s.db, s.tenant.id, id)).toMatchObject({ proposerId: m1.member.id, status: 'draft', electorate: 'members' });
    await secondMotion(s.db, m2.actor, id, NOW);
    expect((await refusal(createMotion(s.db, m1.actor, base(boardMeeting), NOW))).key).toBe('gov.motions.error.mayNotTable');
    expect((await refusal(createMotion(s.db, m1.actor, base(general, { electorate: 'members', proposerId: m2.member.id }), NOW))).key).toBe('gov.motions.error.mayNotTable');
    expect((await refusal(openMotion(s.db, m1.actor, id, NOW))).code).toBe('forbidden');
    // A board motion to a general meeting is refused with the reason.
    expect((await refusal(createMotion(s.db, s.board[0]!.actor, base(general), NOW))).key).toBe('gov.motions.error.meetingKind');
  });

  it('the chair records the count: carried / not carried with the figures, a numbered register entry and an audit row', async () => {
    const { db, tenant, chair, b1, b2, meetingId } = await boardMeetingSetup();
    const id = await createMotion(db, chair.actor, base(meetingId), NOW);
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    // Not the chair nor the secretary: refused.
    expect((await refusal(recordCount(db, b2.actor, id, { for: '3', against: '1', abstain: '0' }, NOW))).key).toBe('gov.motions.error.notChair');
    const r = await recordCount(db, chair.actor, id, { for: '2', against: '1', abstain: '1' }, NOW);
    expect(r).toMatchObject({ outcome: 'carried', for: 2, against: 1, abstain: 1, cast: 3, decisionNumber: 1 });
    const m = await motionById(db, tenant.id, id);
    expect(m).toMatchObject({ status: 'closed', outcome: 'carried', votesFor: 2, votesAgainst: 1, abstentions: 1, conflictedCount: 0, recordedBy: chair.member.id });
    expect(m!.decidedAt).toEqual(NOW);
    const [d] = await decisions(db, tenant.id);
    expect(d).toMatchObject({ number: 1, motionId: id, meetingId, outcome: 'carried', votesFor: 2, votesAgainst: 1, abstentions: 1, kind: 'resolution', decidedOn: '2026-11-20' });
    expect(d!.rule).toMatch(/ordinary resolution/);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'governance.motion.close')));
    expect(audit).toHaveLength(1);
    // Closed: a second count is refused, nothing changes.
    expect((await refusal(recordCount(db, chair.actor, id, { for: '0', against: '3', abstain: '0' }, NOW))).key).toBe('gov.motions.error.notOpen');
    expect(await decisions(db, tenant.id)).toHaveLength(1);
  });

  it('the secretary may record the count; a special resolution needs 75% of votes cast', async () => {
    const { db, tenant, chair, b1, b3, meetingId } = await boardMeetingSetup({ present: 5 });
    await officer(db, tenant.id, b3.member.id, 'secretary');
    const id = await createMotion(db, chair.actor, base(meetingId, { kind: 'special' }), NOW);
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    expect((await motionById(db, tenant.id, id))!.thresholdPct).toBe(75);
    const r = await recordCount(db, b3.actor, id, { for: '3', against: '1', abstain: '1' }, NOW);
    expect(r.outcome).toBe('carried');
    const id2 = await createMotion(db, chair.actor, base(meetingId, { kind: 'special' }), NOW);
    await secondMotion(db, b1.actor, id2, NOW);
    await openMotion(db, chair.actor, id2, NOW);
    expect((await recordCount(db, b3.actor, id2, { for: '2', against: '1', abstain: '2' }, NOW)).outcome).toBe('not_carried');
    expect((await decisions(db, tenant.id)).map((d) => d.number).sort()).toEqual([1, 2]);
  });

  it('refuses a count while the meeting is inquorate, and a count above the entitled present; nothing changes', async () => {
    const { db, tenant, chair, b1, meetingId } = await boardMeetingSetup({ present: 2, quorum: 3 });
    const id = await createMotion(db, chair.actor, base(meetingId), NOW);
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    const err = await refusal(recordCount(db, chair.actor, id, { for: '2', against: '0', abstain: '0' }, NOW));
    expect(err.key).toBe('gov.motions.error.inquorate');
    expect(err.message).toMatch(/inquorate.*2 present and entitled, 3 needed/);
    expect(await motionById(db, tenant.id, id)).toMatchObject({ status: 'open', votesFor: null });
    expect(await decisions(db, tenant.id)).toHaveLength(0);

    const q = await boardMeetingSetup({ present: 4, quorum: 3 });
    const id2 = await createMotion(q.db, q.chair.actor, base(q.meetingId), NOW);
    await secondMotion(q.db, q.b1.actor, id2, NOW);
    await openMotion(q.db, q.chair.actor, id2, NOW);
    const tooMany = await refusal(recordCount(q.db, q.chair.actor, id2, { for: '3', against: '1', abstain: '1' }, NOW));
    expect(tooMany.key).toBe('gov.motions.error.tooMany');
    expect((await refusal(recordCount(q.db, q.chair.actor, id2, { for: '-1', against: '1', abstain: '0' }, NOW))).code).toBe('validation_failed');
    expect((await refusal(recordCount(q.db, q.chair.actor, id2, { for: 'x', against: '1', abstain: '0' }, NOW))).code).toBe('validation_failed');
    expect(await motionById(q.db, q.tenant.id, id2)).toMatchObject({ status: 'open' });
  });

  it('conflicts: the declared are excluded from the entitled present (quorum and count), and the result says so', async () => {
    const { db, chair, b1, b2, b3, meetingId } = await boardMeetingSetup({ present: 4, quorum: 3 });
    const id = await createMotion(db, chair.actor, base(meetingId), NOW);
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    await declareInterest(db, b2.actor, id, { note: 'I work for the provider' }, NOW);
    // 4 present, 1 conflicted: 3 may vote; a count of 4 is refused.
    expect((await refusal(recordCount(db, chair.actor, id, { for: '3', against: '1', abstain: '0' }, NOW))).key).toBe('gov.motions.error.tooMany');
    // A second conflicted member makes it inquorate for this motion.
    await declareInterest(db, b3.actor, id, {}, NOW);
    expect((await refusal(recordCount(db, chair.actor, id, { for: '2', against: '0', abstain: '0' }, NOW))).key).toBe('gov.motions.error.inquorate');
  });

  it('records conflicted_count and "N members did not vote because of a declared interest" in the register', async () => {
    const { db, tenant, chair, b1, b2, b3, meetingId } = await boardMeetingSetup({ present: 5, quorum: 3 });
    const id = await createMotion(db, chair.actor, base(meetingId, { conflictedMemberIds: [b2.member.id, b3.member.id] }), NOW);
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    await recordCount(db, chair.actor, id, { for: '2', against: '1', abstain: '0' }, NOW);
    expect((await motionById(db, tenant.id, id))!.conflictedCount).toBe(2);
    const [d] = await decisions(db, tenant.id);
    expect(d!.summary).toContain('2 members did not vote because of a declared interest.');
  });

  it('finds conflicts from the standing register of interests for the referred record when the motion opens', async () => {
    const { db, tenant, chair, b1, b2, meetingId } = await boardMeetingSetup({ present: 4 });
    const { govInterests } = await import('./schema.ts');
    await db.insert(govInterests).values({ tenantId: tenant.id, id: newId(), memberId: b2.member.id, description: 'Trustee of the provider', relatedKind: 'provider', relatedId: 'prov-1', declaredOn: '2026-01-01' });
    const id = await createMotion(db, chair.actor, base(meetingId, { refersTo: { kind: 'provider', id: 'prov-1', label: 'Provider', href: '/x' } }), NOW);
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    // 4 present less 1 conflicted = 3: a count of 4 is too many.
    expect((await refusal(recordCount(db, chair.actor, id, { for: '4', against: '0', abstain: '0' }, NOW))).key).toBe('gov.motions.error.tooMany');
    await recordCount(db, chair.actor, id, { for: '3', against: '0', abstain: '0' }, NOW);
    expect((await motionById(db, tenant.id, id))!.conflictedCount).toBe(1);
  });

  it('runs the referred kind’s onDecided in the closing transaction; when it throws, nothing is closed or registered', async () => {
    const seen: Array<{ id: string; outcome: string; number: number }> = [];
    registerReferenceKind({
      kind: 'test_record',
      async onDecided(_tx, _tenantId, refersId, d) {
        if (refersId === 'refuse') throw new Error('the owner refuses');
        seen.push({ id: refersId, outcome: d.outcome, number: d.decisionNumber });
      },
    });
    const { db, tenant, chair, b1, meetingId } = await boardMeetingSetup();
    const ok = await createMotion(db, chair.actor, base(meetingId, { refersTo: { kind: 'test_record', id: 'r1', label: 'R1', href: '/r1' } }), NOW);
    const bad = await createMotion(db, chair.actor, base(meetingId, { refersTo: { kind: 'test_record', id: 'refuse', label: 'R2', href: '/r2' } }), NOW);
    for (const id of [ok, bad]) {
      await secondMotion(db, b1.actor, id, NOW);
      await openMotion(db, chair.actor, id, NOW);
    }
    await recordCount(db, chair.actor, ok, { for: '1', against: '2', abstain: '0' }, NOW);
    expect(seen).toEqual([{ id: 'r1', outcome: 'not_carried', number: 1 }]);
    await expect(recordCount(db, chair.actor, bad, { for: '3', against: '0', abstain: '0' }, NOW)).rejects.toThrow('the owner refuses');
    expect(await motionById(db, tenant.id, bad)).toMatchObject({ status: 'open', outcome: null });
    expect((await decisions(db, tenant.id)).map((d) => d.motionId)).toEqual([ok]);
    expect(await motionsReferring(db, tenant.id, 'test_record', 'r1')).toEqual([expect.objectContaining({ id: ok, status: 'closed', outcome: 'not_carried', votesFor: 1, href: `/governance/motions/${ok}` })]);
    const [entry] = await decisions(db, tenant.id);
    expect(entry!.refs.map((r) => r.kind)).toEqual(['test_record', 'motion']);
  });

  it('proposeMotion (for other modules) tables a draft referring to the record', async () => {
    const { db, tenant, chair, meetingId } = await boardMeetingSetup();
    const { motionId } = await proposeMotion(db, chair.actor, { ...base(meetingId), opensAt: undefined, closesAt: undefined, refersTo: { kind: 'budget_round', id: 'round-1', label: 'Round 1', href: '/commissioning/rounds/1' } }, { now: NOW });
    expect(await motionById(db, tenant.id, motionId)).toMatchObject({ status: 'draft', refersKind: 'budget_round', refersId: 'round-1' });
    expect((await db.select().from(govMotions).where(eq(govMotions.tenantId, tenant.id))).length).toBe(1);
  });

  it.skipIf(adoptIsStub)('a carried motion referring to a policy version adopts it (gov-core’s adoptVersion; skipped while it is a stub)', async () => {
    const { db, tenant, chair, b1, meetingId } = await boardMeetingSetup();
    const docId = newId();
    const versionId = newId();
    await db.insert(govDocuments).values({ tenantId: tenant.id, id: docId, kind: 'safeguarding', slug: 'safeguarding', title: 'Safeguarding policy' });
    await db.insert(govDocumentVersions).values({ tenantId: tenant.id, id: versionId, documentId: docId, version: 1, body: 'Text', status: 'draft' });
    const id = await createMotion(db, chair.actor, base(meetingId, { refersTo: { kind: 'policy_version', id: versionId, label: 'Safeguarding v1', href: '/governance/documents/safeguarding' } }), NOW);
    await secondMotion(db, b1.actor, id, NOW);
    await openMotion(db, chair.actor, id, NOW);
    await recordCount(db, chair.actor, id, { for: '3', against: '0', abstain: '0' }, NOW);
    const [v] = await db.select().from(govDocumentVersions).where(and(eq(govDocumentVersions.tenantId, tenant.id), eq(govDocumentVersions.id, versionId)));
    expect(v).toMatchObject({ status: 'adopted', adoptedByMotionId: id, adoptedOn: '2026-11-20' });
    expect((await decisions(db, tenant.id))[0]!.kind).toBe('policy_adoption');
  });
});
