import { LOCALES } from '../../ui/i18n/locales.ts';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { memberRolesOf } from '../membership/views.ts';
import { adoptVersion, versionCard } from './api-documents.ts';
import { boardMembersOn, meetingQuorum, seatsUpForElection, startElectedTerms, interestsRelatedTo } from './api-board.ts';
import { addTerm, declareInterest, endInterest, endTermEarly, listSeats } from './board.ts';
import { createDocument, createDraft, documentBySlug, editDraft, recordPaperAdoption, versionsOf } from './documents.ts';
import { diffVersions } from './documents-diff.ts';
import { syncBoardRoles } from './jobs.ts';
import { callMeeting, markHeld, recordAttendance } from './meetings.ts';
import { approveMinutes, minutesOf, publishMinutes, saveMinutesDraft } from './minutes.ts';
import { governanceChecklist } from './s2.ts';
import { govInterests, govMotions, govSettings, govTerms } from './schema.ts';
import { updateSettings } from './settings.ts';
import { actorFor, govSetup, meetingAt } from './test-helpers.ts';
import type { Tx } from '../../db/connection.ts';

describe(`governance documents (${storeName()})`, () => {
  it('drafts are edited, adoption supersedes the previous version, adopted versions never change', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    const doc = (await documentBySlug(db, tenant.id, 'rules'))!;
    const v1 = await createDraft(db, admin.actor, doc.id, { body: 'One.\n\nTwo.' });
    await editDraft(db, admin.actor, v1.id, { body: 'One.\n\nTwo, amended.' });
    await recordPaperAdoption(db, admin.actor, v1.id, { adoptedOn: '2025-11-01', reference: 'Resolution 1 of the founding meeting' });
    await expect(editDraft(db, admin.actor, v1.id, { body: 'Changed after adoption' })).rejects.toMatchObject({ code: 'conflict', key: 'gov.core.error.notDraft' });
    const v2 = await createDraft(db, admin.actor, doc.id, { body: 'One.\n\nTwo, amended again.\n\nThree.' });
    expect(v2.version).toBe(2);
    // Adopted by a carried motion, in its transaction (as gov-motions does).
    const [motion] = await db.select({ id: govMotions.id }).from(govMotions).where(eq(govMotions.tenantId, tenant.id));
    await db.transaction((tx) => adoptVersion(tx as unknown as Tx, tenant.id, v2.id, { motionId: motion!.id, adoptedOn: '2026-06-01' }));
    const vs = await versionsOf(db, tenant.id, doc.id);
    expect(vs.map((v) => [v.version, v.status, v.adoptedOn])).toEqual([[1, 'superseded', '2025-11-01'], [2, 'adopted', '2026-06-01']]);
    expect(vs[0]!.body).toBe('One.\n\nTwo, amended.');
    await expect(db.transaction((tx) => adoptVersion(tx as unknown as Tx, tenant.id, v2.id, { motionId: motion!.id, adoptedOn: '2026-06-02' }))).rejects.toMatchObject({ key: 'gov.core.error.notDraft' });
    expect(await versionCard(db, tenant.id, v2.id)).toMatchObject({ kind: 'rules', version: 2, status: 'adopted', href: '/governance/documents/rules/versions/2' });
    const other = await govSetup(db);
    expect(await versionCard(db, other.tenant.id, v2.id)).toBeNull();
    // The paper adoption left a closed carried motion as the decision's reference.
    const [paper] = await db.select().from(govMotions).where(and(eq(govMotions.tenantId, tenant.id), eq(govMotions.refersId, v1.id)));
    expect(paper).toMatchObject({ status: 'closed', outcome: 'carried', kind: 'special', title: 'Resolution 1 of the founding meeting' });
  }, 120_000);

  it('refuses bad input saying what to fix, with nothing stored', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    await expect(createDocument(db, admin.actor, { kind: 'other', slug: 'Not A Slug', title: 'X' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ field: 'slug', message: 'gov.core.error.slug' }] });
    await expect(createDocument(db, admin.actor, { kind: 'other', slug: 'rules', title: 'X' })).rejects.toMatchObject({ fields: [{ field: 'slug', message: 'gov.core.error.slugTaken' }] });
    const doc = (await documentBySlug(db, tenant.id, 'rules'))!;
    const v = await createDraft(db, admin.actor, doc.id, { body: 'Text' });
    await expect(recordPaperAdoption(db, admin.actor, v.id, { adoptedOn: '2999-01-01', reference: 'R' })).rejects.toMatchObject({ fields: [{ field: 'adoptedOn', message: 'gov.core.error.future' }] });
    expect((await versionsOf(db, tenant.id, doc.id))[0]!.status).toBe('draft');
    const member = await actorFor(db, tenant.id);
    await expect(createDraft(db, member.actor, doc.id, { body: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('diffs two versions by line and, inside a changed line, by word', () => {
    const d = diffVersions('Alpha beta gamma.\n\nKept.\n', 'Alpha delta gamma.\n\nKept.\n\nNew paragraph.\n');
    expect(d.blocks[0]!.kind).toBe('changed');
    expect(d.blocks[0]!.parts.filter((p) => p.type !== 'same').map((p) => [p.type, p.text])).toEqual([['del', 'beta'], ['ins', 'delta']]);
    expect(d.blocks.at(-1)).toMatchObject({ kind: 'ins', parts: [{ type: 'ins' }] });
    expect(d.blocks.at(-1)!.parts[0]!.text).toContain('New paragraph.');
    expect(d.added).toBe(2);
    expect(d.removed).toBe(1);
    expect(diffVersions('same\n', 'same\n')).toMatchObject({ added: 0, removed: 0 });
  });
});

describe(`S2 checklist (${storeName()})`, () => {
  it('says what is missing until rules, an elected board, the three core policies and the registration are in place', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    const on = '2026-12-01';
    const missing = async () => (await governanceChecklist(db, tenant.id, on)).items.filter((i) => !i.met).map((i) => i.key);
    expect(await missing()).toEqual(['rules', 'board', 'safeguarding', 'data_protection', 'conflicts_of_interest', 'registered']);
    for (const slug of ['rules', 'safeguarding-policy', 'data-protection-policy']) {
      const doc = (await documentBySlug(db, tenant.id, slug))!;
      const v = await createDraft(db, admin.actor, doc.id, { body: 'Text' });
      await recordPaperAdoption(db, admin.actor, v.id, { adoptedOn: '2026-01-15', reference: `Resolution on ${slug}` });
    }
    // A draft is not adoption.
    await createDraft(db, admin.actor, (await documentBySlug(db, tenant.id, 'conflicts-of-interest-policy'))!.id, { body: 'Draft only' });
    expect(await missing()).toEqual(['board', 'conflicts_of_interest', 'registered']);
    // A co-opted term does not count: an elected parent term does.
    const seat = (await listSeats(db, tenant.id))[0]!;
    const parent = await actorFor(db, tenant.id);
    await addTerm(db, admin.actor, { seatId: seat.id, memberId: parent.member.id, startsOn: '2026-06-01', endsOn: '2029-05-31', source: 'co_option' });
    expect(await missing()).toContain('board');
    await db.update(govTerms).set({ source: 'election' }).where(eq(govTerms.tenantId, tenant.id));
    const doc = (await documentBySlug(db, tenant.id, 'conflicts-of-interest-policy'))!;
    await recordPaperAdoption(db, admin.actor, (await versionsOf(db, tenant.id, doc.id))[0]!.id, { adoptedOn: '2026-02-01', reference: 'Conflicts resolution' });
    const s = await db.select().from(govSettings).where(eq(govSettings.tenantId, tenant.id));
    await updateSettings(db, admin.actor, { ...Object.fromEntries(Object.entries(s[0]!).map(([k, v]) => [k, v === null ? '' : String(v)])), registrationNumber: '9876', proxiesAllowed: '', wardSeats: '' } as never);
    const done = await governanceChecklist(db, tenant.id, on);
    expect(done.met).toBe(true);
    expect(done.items.find((i) => i.key === 'registered')?.detail).toBe('9876');
    // As of a date before the adoptions, it was not met.
    expect((await governanceChecklist(db, tenant.id, '2026-01-01')).met).toBe(false);
  });
});

describe(`board role job (${storeName()})`, () => {
  it('grants the board role when a term starts and removes it when it ends early, unless another current term holds; audited and idempotent', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    const [s1, s2] = await listSeats(db, tenant.id);
    const m = await actorFor(db, tenant.id);
    const t1 = await addTerm(db, admin.actor, { seatId: s1!.id, memberId: m.member.id, startsOn: '2026-12-05', endsOn: '2029-12-04', source: 'election' });
    const run = (iso: string) => syncBoardRoles(db, new Date(`${iso}T12:00:00Z`), { tenantId: tenant.id });
    expect(await run('2026-12-04')).toBe(0);
    expect(await memberRolesOf(db, tenant.id, m.member.id)).not.toContain('board');
    expect(await run('2026-12-05')).toBe(1);
    expect(await memberRolesOf(db, tenant.id, m.member.id)).toContain('board');
    expect(await run('2026-12-06')).toBe(0);
    // A second, co-opted term overlapping: ending the first keeps the role.
    const t2 = await addTerm(db, admin.actor, { seatId: s2!.id, memberId: m.member.id, startsOn: '2027-01-01', endsOn: '2027-12-31', source: 'co_option' });
    await run('2027-01-01');
    await endTermEarly(db, admin.actor, t1.id, '2027-02-01');
    await run('2027-02-01');
    expect(await memberRolesOf(db, tenant.id, m.member.id)).toContain('board');
    // The second ends: the role goes.
    await endTermEarly(db, admin.actor, t2.id, '2027-03-01');
    expect(await run('2027-03-01')).toBe(1);
    expect(await memberRolesOf(db, tenant.id, m.member.id)).not.toContain('board');
    expect(await run('2027-03-02')).toBe(0);
    const audit = await (await testDatabase()).query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND (action LIKE 'governance.term.role%' OR action LIKE 'role.%') ORDER BY seq", [tenant.id]);
    const actions = audit.map((r) => r.action);
    expect(actions).toEqual(['role.grant', 'governance.term.role_granted', 'governance.term.role_granted', 'governance.term.role_kept', 'role.remove', 'governance.term.role_removed']);
  });

  it('two runs at once grant once', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    const seats = await listSeats(db, tenant.id);
    const people = await Promise.all([0, 1, 2].map(() => actorFor(db, tenant.id)));
    for (const [i, p] of people.entries()) await addTerm(db, admin.actor, { seatId: seats[i]!.id, memberId: p.member.id, startsOn: '2026-01-01', endsOn: '2028-12-31', source: 'election' });
    const now = new Date('2026-12-01T12:00:00Z');
    const [a, b] = await Promise.all([syncBoardRoles(db, now, { tenantId: tenant.id }), syncBoardRoles(db, now, { tenantId: tenant.id })]);
    expect(a + b).toBe(3);
    const grants = await (await testDatabase()).query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'role.grant'", [tenant.id]);
    expect(grants[0]!.n).toBe(3);
    for (const p of people) expect(await memberRolesOf(db, tenant.id, p.member.id)).toContain('board');
  });
});

describe(`board, rotation and interests (${storeName()})`, () => {
  it('seats up for election count rotation and vacancies; elected terms start on free seats', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    const seats = await listSeats(db, tenant.id);
    const people = await Promise.all([0, 1, 2, 3, 4, 5].map(() => actorFor(db, tenant.id)));
    for (const [i, p] of people.entries()) {
      const startsOn = i < 2 ? '2023-06-01' : i < 4 ? '2024-06-01' : '2025-06-01';
      await addTerm(db, admin.actor, { seatId: seats[i]!.id, memberId: p.member.id, startsOn, endsOn: i === 0 ? '2026-05-31' : '2028-05-31', source: 'election' });
    }
    const up = await seatsUpForElection(db, tenant.id, '2026-06-01');
    // 9 seats, a third = 3 retire (one by term end, two longest-serving), plus 3 vacant.
    expect(up).toMatchObject({ seats: 6, vacant: 3, startsOn: '2026-06-01', endsOn: '2029-05-31' });
    expect(up.retiring!.map((r) => r.reason)).toEqual(['term_end', 'rotation', 'lot']);
    expect(up.lotSeed).toMatch(/^[0-9a-f]{16}$/);
    expect(await seatsUpForElection(db, tenant.id, '2026-06-01')).toEqual(up);
    const fresh = await Promise.all([0, 1, 2, 3, 4, 5].map(() => actorFor(db, tenant.id)));
    await db.transaction((tx) => startElectedTerms(tx as unknown as Tx, tenant.id, { electionId: '0190f000-0000-7000-8000-000000000001', startsOn: up.startsOn, endsOn: up.endsOn, elected: fresh.map((f) => ({ memberId: f.member.id, holderName: f.member.name })) }));
    const board = await boardMembersOn(db, tenant.id, '2026-06-01');
    expect(board).toHaveLength(9);
    expect(board.filter((b) => fresh.some((f) => f.member.id === b.memberId))).toHaveLength(6);
    // More elected than seats up: refused, nothing changed.
    const more = await Promise.all([0, 1, 2, 3].map(() => actorFor(db, tenant.id)));
    expect((await seatsUpForElection(db, tenant.id, '2027-06-01')).seats).toBe(3);
    await expect(db.transaction((tx) => startElectedTerms(tx as unknown as Tx, tenant.id, { electionId: '0190f000-0000-7000-8000-000000000002', startsOn: '2027-06-01', endsOn: '2030-05-31', elected: more.map((f) => ({ memberId: f.member.id, holderName: f.member.name })) }))).rejects.toMatchObject({ key: 'gov.core.error.noFreeSeat' });
    expect(await boardMembersOn(db, tenant.id, '2027-06-01')).toHaveLength(9);
  });

  it('a member ends only their own interest; related interests are found for conflicts', async () => {
    const { db } = await testDatabase();
    const { tenant } = await govSetup(db);
    const a = await actorFor(db, tenant.id);
    const b = await actorFor(db, tenant.id);
    const i = await declareInterest(db, a.actor, { description: 'Trustee of Home-Start Corby', declaredOn: '2026-01-01' }, { relatedKind: 'provider', relatedId: 'p-1' });
    await expect(endInterest(db, b.actor, i.id, '2026-02-01')).rejects.toMatchObject({ code: 'not_found' });
    expect(await interestsRelatedTo(db, tenant.id, 'provider', 'p-1', '2026-03-01')).toEqual([{ memberId: a.member.id, description: 'Trustee of Home-Start Corby' }]);
    await endInterest(db, a.actor, i.id, '2026-02-01');
    expect(await interestsRelatedTo(db, tenant.id, 'provider', 'p-1', '2026-03-01')).toEqual([]);
    const [row] = await db.select().from(govInterests).where(eq(govInterests.id, i.id));
    expect(row!.endedOn).toBe('2026-02-01');
  });
});

describe(`meetings, notice, attendance and minutes (${storeName()})`, () => {
  it('calls a meeting only with enough notice, then emails everyone entitled once, in their language', async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant, admin } = await govSetup(db);
    const pl = await actorFor(db, tenant.id, { name: 'Zofia Nowak' });
    await database.query("UPDATE members SET preferred_locale = 'pl' WHERE tenant_id = $1 AND id = $2", [tenant.id, pl.member.id]);
    const now = new Date('2026-12-01T10:00:00Z');
    const agm = await meetingAt(db, admin.actor, 'agm', new Date('2026-12-15T19:00:00Z'));
    await expect(callMeeting(db, admin.actor, agm.id, { now, baseUrl: 'https://corby.example' })).rejects.toMatchObject({ code: 'conflict', key: 'gov.core.error.notice', params: { days: 21, date: '23 December 2026' } });
    const outbox = async () => database.query<{ locale: string; dedupeKey: string | null }>('SELECT locale, dedupe_key AS "dedupeKey" FROM email_outbox WHERE tenant_id = $1', [tenant.id]);
    expect(await outbox()).toHaveLength(0);
    const ok = await meetingAt(db, admin.actor, 'agm', new Date('2026-12-23T19:00:00Z'));
    const res = await callMeeting(db, admin.actor, ok.id, { now, baseUrl: 'https://corby.example' });
    expect(res).toEqual({ entitled: 2, notified: 2 });
    const mails = await outbox();
    expect(mails.map((m) => m.locale).sort()).toEqual([...LOCALES].sort());
    expect(mails.every((m) => m.dedupeKey?.startsWith(`gov-notice:${ok.id}:`))).toBe(true);
    await expect(callMeeting(db, admin.actor, ok.id, { now, baseUrl: 'https://corby.example' })).rejects.toMatchObject({ key: 'gov.core.error.alreadyCalled' });
    expect(await outbox()).toHaveLength(2);
  });

  it('keeps attendance with proxies where allowed; the live quorum follows', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    await db.update(govSettings).set({ boardQuorumKind: 'number', boardQuorumValue: 3 }).where(eq(govSettings.tenantId, tenant.id));
    const seats = await listSeats(db, tenant.id);
    const board = await Promise.all([0, 1, 2, 3, 4].map(() => actorFor(db, tenant.id)));
    for (const [i, p] of board.entries()) await addTerm(db, admin.actor, { seatId: seats[i]!.id, memberId: p.member.id, startsOn: '2026-01-01', endsOn: '2028-12-31', source: 'election' });
    const outsider = await actorFor(db, tenant.id);
    const m = await meetingAt(db, admin.actor, 'board', new Date('2026-12-20T19:00:00Z'));
    await callMeeting(db, admin.actor, m.id, { now: new Date('2026-12-01T10:00:00Z'), baseUrl: 'https://x' });
    expect(await meetingQuorum(db, tenant.id, m.id)).toEqual({ entitled: 5, present: 0, required: 3, quorate: false });
    await expect(recordAttendance(db, admin.actor, m.id, { memberId: outsider.member.id, mode: 'in_person' })).rejects.toMatchObject({ fields: [{ field: 'memberId', message: 'gov.core.error.notEntitled' }] });
    // A plain board member who is neither chair nor secretary may not keep it.
    await expect(recordAttendance(db, board[3]!.actor, m.id, { memberId: board[3]!.member.id, mode: 'in_person' })).rejects.toMatchObject({ code: 'not_found' });
    await recordAttendance(db, admin.actor, m.id, { memberId: board[0]!.member.id, mode: 'in_person' });
    await recordAttendance(db, admin.actor, m.id, { memberId: board[1]!.member.id, mode: 'online' });
    await expect(recordAttendance(db, admin.actor, m.id, { memberId: board[2]!.member.id, mode: 'proxy', proxyHolderId: board[0]!.member.id })).rejects.toMatchObject({ fields: [{ field: 'mode', message: 'gov.core.error.noProxies' }] });
    await db.update(govSettings).set({ proxiesAllowed: true }).where(eq(govSettings.tenantId, tenant.id));
    await expect(recordAttendance(db, admin.actor, m.id, { memberId: board[2]!.member.id, mode: 'proxy', proxyHolderId: board[3]!.member.id })).rejects.toMatchObject({ fields: [{ field: 'proxyHolderId', message: 'gov.core.error.proxyAbsent' }] });
    await recordAttendance(db, admin.actor, m.id, { memberId: board[2]!.member.id, mode: 'proxy', proxyHolderId: board[0]!.member.id });
    // No chains: a represented member cannot hold a proxy (not present).
    await expect(recordAttendance(db, admin.actor, m.id, { memberId: board[3]!.member.id, mode: 'proxy', proxyHolderId: board[2]!.member.id })).rejects.toMatchObject({ fields: [{ field: 'proxyHolderId', message: 'gov.core.error.proxyAbsent' }] });
    // The holder cannot leave while holding it.
    await expect(recordAttendance(db, admin.actor, m.id, { memberId: board[0]!.member.id, mode: 'apologies' })).rejects.toMatchObject({ fields: [{ field: 'mode', message: 'gov.core.error.holdsProxy' }] });
    expect(await meetingQuorum(db, tenant.id, m.id)).toEqual({ entitled: 5, present: 3, required: 3, quorate: true });
    expect(await meetingQuorum(db, tenant.id, m.id, { excluding: [board[1]!.member.id] })).toEqual({ entitled: 4, present: 2, required: 3, quorate: false });
  });

  it('minutes: drafted after the meeting is held, approved at a later meeting only, published only after approval', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    const first = await meetingAt(db, admin.actor, 'general', new Date('2026-12-20T19:00:00Z'));
    const earlier = await meetingAt(db, admin.actor, 'general', new Date('2026-12-18T19:00:00Z'));
    const later = await meetingAt(db, admin.actor, 'general', new Date('2027-01-20T19:00:00Z'));
    const callAt = new Date('2026-12-01T10:00:00Z');
    for (const m of [first, earlier, later]) await callMeeting(db, admin.actor, m.id, { now: callAt, baseUrl: 'https://x' });
    await expect(saveMinutesDraft(db, admin.actor, first.id, { body: 'Minutes' })).rejects.toMatchObject({ key: 'gov.core.error.minutesNotHeld' });
    await markHeld(db, admin.actor, first.id, new Date('2026-12-20T21:00:00Z'));
    await expect(publishMinutes(db, admin.actor, first.id, new Date('2026-12-21T10:00:00Z'))).rejects.toMatchObject({ key: 'gov.core.error.noMinutes' });
    await saveMinutesDraft(db, admin.actor, first.id, { body: 'Present: 12. Quorate.' });
    await expect(publishMinutes(db, admin.actor, first.id, new Date('2026-12-21T10:00:00Z'))).rejects.toMatchObject({ code: 'conflict', key: 'gov.core.error.publishBeforeApproval' });
    await expect(approveMinutes(db, admin.actor, first.id, first.id, new Date('2027-01-21T10:00:00Z'))).rejects.toMatchObject({ fields: [{ field: 'atMeetingId', message: 'gov.core.error.sameMeeting' }] });
    await expect(approveMinutes(db, admin.actor, first.id, earlier.id, new Date('2027-01-21T10:00:00Z'))).rejects.toMatchObject({ fields: [{ field: 'atMeetingId', message: 'gov.core.error.earlierMeeting' }] });
    await expect(approveMinutes(db, admin.actor, first.id, later.id, new Date('2027-01-01T10:00:00Z'))).rejects.toMatchObject({ fields: [{ field: 'atMeetingId', message: 'gov.core.error.approvingFuture' }] });
    expect((await minutesOf(db, tenant.id, first.id))!.status).toBe('draft');
    await approveMinutes(db, admin.actor, first.id, later.id, new Date('2027-01-20T20:00:00Z'));
    await expect(saveMinutesDraft(db, admin.actor, first.id, { body: 'Rewritten' })).rejects.toMatchObject({ key: 'gov.core.error.minutesLocked' });
    await publishMinutes(db, admin.actor, first.id, new Date('2027-01-21T10:00:00Z'));
    expect(await minutesOf(db, tenant.id, first.id)).toMatchObject({ status: 'published', approvedAtMeetingId: later.id, body: 'Present: 12. Quorate.' });
  });
});


describe(`governance personal data (${storeName()})`, () => {
  it('exports the member\u2019s terms, interests and attendance; erasure deletes interests and attendance and keeps the published name', async () => {
    const { db } = await testDatabase();
    const { tenant, admin } = await govSetup(db);
    const seat = (await listSeats(db, tenant.id))[0]!;
    const m = await actorFor(db, tenant.id, { name: 'Morag Reid' });
    const term = await addTerm(db, admin.actor, { seatId: seat.id, memberId: m.member.id, startsOn: '2026-01-01', endsOn: '2028-12-31', source: 'election' });
    await declareInterest(db, m.actor, { description: 'Trustee of a toddler group', declaredOn: '2026-01-02' });
    const meeting = await meetingAt(db, admin.actor, 'board', new Date('2026-12-20T19:00:00Z'));
    await callMeeting(db, admin.actor, meeting.id, { now: new Date('2026-12-01T10:00:00Z'), baseUrl: 'https://x' });
    await recordAttendance(db, admin.actor, meeting.id, { memberId: m.member.id, mode: 'in_person' });
    const { governancePersonalData } = await import('./personal-data.ts');
    const subject = { tenantId: tenant.id, id: m.member.id, email: null, phone: null };
    const sections = await governancePersonalData.exportFor(db, { subject, t: ((k: string) => k) as never, who: () => '' });
    const byName = Object.fromEntries(sections.map((s) => [s.name, s.rows]));
    expect(byName['governance-terms']).toHaveLength(1);
    expect(byName['governance-interests']).toEqual([{ description: 'Trustee of a toddler group', declaredOn: '2026-01-02', endedOn: null }]);
    expect(byName['governance-attendance']).toHaveLength(1);
    await db.transaction((tx) => governancePersonalData.eraseFor(tx, subject));
    const [t] = await db.select().from(govTerms).where(eq(govTerms.id, term.id));
    expect(t).toMatchObject({ memberId: null, holderName: 'Morag Reid' });
    expect(await db.select().from(govInterests).where(eq(govInterests.memberId, m.member.id))).toEqual([]);
    expect(await meetingQuorum(db, tenant.id, meeting.id)).toMatchObject({ present: 0 });
  }, 120_000);
});
