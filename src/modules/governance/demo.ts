import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { addDays, isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { demoMembers } from '../membership/views.ts';
import { listSeats } from './board.ts';
import { createDocument, createDraft, recordPaperAdoption } from './documents.ts';
import { govAgendaItems, govAttendance, govDecisions, govDocuments, govInterests, govMeetings, govMinutes, govMotions, govOfficers, govPapers, govTerms } from './schema.ts';
import { seedGovernance } from './seed.ts';

/**
 * Governance demo (labelled): the Corby constitution and the three core policies, adopted a year
 * ago (short texts written for the demo, each saying so), a board with terms and officers from the
 * demo members, a past AGM held with minutes approved at a later board meeting and published, an
 * upcoming board meeting called, and register of interests entries.
 */
const NOTE = 'DEMO TEXT — written for this demonstration; not the rules or policies of a real society.';

const RULES_V1 = `${NOTE}

1. Name. The society is called One Corby Parent Coalition Limited (the Mutual). It is a community benefit society registered under the Co-operative and Community Benefit Societies Act 2014.

2. Objects. The Mutual exists for the benefit of families with young children in Corby: to give parents a real say in the early-years services provided for them, and to help parents support one another.

3. Membership. Any parent or carer of a child aged 0 to 5 living or using services in Corby may join. Each member holds one share of £1 and has one vote, whatever else they hold.

4. General meetings. An annual general meeting is held each year with at least 21 clear days' notice; other general meetings with at least 14 clear days' notice. The quorum is 10% of members entitled to attend.

5. The board. The board has nine elected parent seats and up to three co-opted seats. Terms are three years; one third of the elected seats retire at each AGM and may stand again.

6. Resolutions. An ordinary resolution needs more than half of the votes cast. A special resolution, needed to change these rules, needs at least three quarters of the votes cast.`;

const RULES_V2 = RULES_V1.replace('up to three co-opted seats', 'up to two co-opted seats').replace('The quorum is 10% of members entitled to attend.', 'The quorum is 10% of members entitled to attend, or 25 members, whichever is fewer.') + `

7. Dissolution. On dissolution, any assets left after paying debts pass to another body with similar objects; they are never shared among members.`;

const POLICIES = [
  { kind: 'safeguarding', slug: 'corby-safeguarding-policy', title: 'Safeguarding policy', titlePl: 'Polityka ochrony dzieci i dorosłych', body: `${NOTE}\n\nEveryone who volunteers for the Mutual puts the safety of children first. A worry about a child is never kept to oneself: report it the same day to the safeguarding lead, or call 999 if a child is in immediate danger.\n\nVolunteers in regular contact with children hold a DBS check in date and have completed the safeguarding awareness course.` },
  { kind: 'data_protection', slug: 'corby-data-protection-policy', title: 'Data protection policy', titlePl: 'Polityka ochrony danych', body: `${NOTE}\n\nThe Mutual keeps only the personal data it needs, for the purposes members were told about, and no longer than it needs to. Members can download their data and ask for it to be erased at any time from their own page.\n\nReports from street champions never name families.` },
  { kind: 'conflicts_of_interest', slug: 'corby-conflicts-of-interest-policy', title: 'Conflicts of interest policy', titlePl: 'Polityka konfliktu interesów', body: `${NOTE}\n\nBoard members keep their register of interests current. A member with an interest in an item says so before it is discussed, takes no part in the decision and does not vote on it; the minutes record it.` },
] as const;

export async function loadGovernanceDemo(db: Db, tenantId: string, today: Date): Promise<number> {
  const people = (await demoMembers(db, tenantId)).filter((m) => m.status === 'active');
  if (people.length < 12) return 0;
  const [already] = await db.select({ id: govDocuments.id }).from(govDocuments).where(and(eq(govDocuments.tenantId, tenantId), eq(govDocuments.isDemo, true))).limit(1);
  if (already) return 0;
  await db.transaction((tx) => seedGovernance(tx, tenantId));
  const day = isoDate(today);
  const yearAgo = addDays(day, -365);
  // The demo secretary acts (an admin actor for the services; no role is stored).
  const secretary = people[1]!;
  const actor: Actor = { tenantId, memberId: secretary.id, roles: new Set(['admin']), sessionId: '' };
  let added = 0;

  const rules = await createDocument(db, actor, { kind: 'rules', slug: 'corby-rules', title: 'Rules of One Corby Parent Coalition', titlePl: 'Statut One Corby Parent Coalition' }, { isDemo: true });
  const v1 = await createDraft(db, actor, rules.id, { body: RULES_V1 });
  await recordPaperAdoption(db, actor, v1.id, { adoptedOn: yearAgo, reference: 'Resolution 1 of the founding general meeting (demo)' }, { isDemo: true, now: today });
  await createDraft(db, actor, rules.id, { body: RULES_V2 });
  added += 3;
  for (const p of POLICIES) {
    const doc = await createDocument(db, actor, { kind: p.kind, slug: p.slug, title: p.title, titlePl: p.titlePl }, { isDemo: true });
    const v = await createDraft(db, actor, doc.id, { body: p.body });
    await recordPaperAdoption(db, actor, v.id, { adoptedOn: yearAgo, reference: `Resolution adopting the ${p.title.toLowerCase()} (demo)` }, { isDemo: true, now: today });
    added += 2;
  }

  await db.transaction(async (tx) => {
    const seats = (await listSeats(tx, tenantId)).filter((s) => s.kind === 'elected_parent' && s.active);
    const board = people.slice(0, Math.min(7, seats.length));
    for (const [i, m] of board.entries()) {
      // Two cohorts, so rotation has someone longest-serving to retire.
      const startsOn = i < 3 ? addDays(day, -730) : yearAgo;
      await tx.insert(govTerms).values({ tenantId, id: newId(), seatId: seats[i]!.id, memberId: m.id, holderName: m.name, startsOn, endsOn: addDays(startsOn, 3 * 365 - 1), source: 'election', isDemo: true });
      added++;
    }
    for (const [office, m] of [['chair', board[0]!], ['secretary', board[1]!], ['treasurer', board[2]!]] as const) {
      await tx.insert(govOfficers).values({ tenantId, id: newId(), office, memberId: m.id, holderName: m.name, startsOn: yearAgo, isDemo: true });
      added++;
    }
    const interests = [
      [board[0]!, 'Volunteer at Kingswood Children\u2019s Centre stay-and-play (demo)'],
      [board[2]!, 'Employed part-time by a local nursery in Lodge Park (demo)'],
      [board[4]!, 'Trustee of a Corby toddler group charity (demo)'],
    ] as const;
    for (const [m, description] of interests) {
      await tx.insert(govInterests).values({ tenantId, id: newId(), memberId: m.id, description, declaredOn: yearAgo, isDemo: true });
      added++;
    }

    // A past AGM (held), a later board meeting that approved its minutes, an upcoming board meeting (called).
    const at = (d: string, hour: number) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00Z`);
    const agmDay = addDays(day, -60);
    const agmId = newId();
    await tx.insert(govMeetings).values({ tenantId, id: agmId, kind: 'agm', title: 'Annual general meeting (demo)', titlePl: 'Doroczne walne zebranie (demo)', startsAt: at(agmDay, 18), endsAt: at(agmDay, 20), location: 'Corby Cube, George Street', status: 'held', calledAt: at(addDays(agmDay, -28), 10), quorumKind: 'share', quorumValue: 10, entitledCount: people.length, chairId: board[0]!.id, createdBy: secretary.id, isDemo: true });
    const items = ['Welcome and apologies', 'Minutes of the founding meeting', 'The board\u2019s report', 'Accounts summary', 'Election of board members', 'Any other business'];
    for (const [i, title] of items.entries()) await tx.insert(govAgendaItems).values({ tenantId, id: newId(), meetingId: agmId, position: i + 1, title });
    await tx.insert(govPapers).values({ tenantId, id: newId(), meetingId: agmId, kind: 'board_report', title: 'Board\u2019s report for the year (demo)', body: `${NOTE}\n\nIn its first year the Mutual grew to over a hundred parent members across Corby's wards, trained its first street champions and ran its first consultation with the council on children's centre opening hours.` });
    await tx.insert(govPapers).values({ tenantId, id: newId(), meetingId: agmId, kind: 'accounts_summary', title: 'Accounts summary (demo)', body: `${NOTE}\n\nIncome £18,400 (grants £17,000, share capital £142, donations £1,258). Spending £15,950 (coordinator time £11,200, venues £2,100, training £1,900, other £750). Reserves carried forward £2,450.` });
    const attendees = people.slice(0, 14);
    for (const [i, m] of attendees.entries()) await tx.insert(govAttendance).values({ tenantId, meetingId: agmId, memberId: m.id, mode: i % 5 === 4 ? 'online' : 'in_person', recordedBy: secretary.id });
    await tx.insert(govAttendance).values({ tenantId, meetingId: agmId, memberId: people[14]!.id, mode: 'apologies', recordedBy: secretary.id });
    added += 1 + items.length + 2 + attendees.length + 1;

    const boardDay = addDays(day, -30);
    const boardId = newId();
    await tx.insert(govMeetings).values({ tenantId, id: boardId, kind: 'board', title: 'Board meeting (demo)', titlePl: 'Posiedzenie zarządu (demo)', startsAt: at(boardDay, 19), endsAt: at(boardDay, 21), location: 'Kingswood Children\u2019s Centre', status: 'held', calledAt: at(addDays(boardDay, -10), 9), quorumKind: 'number', quorumValue: 3, entitledCount: board.length, chairId: board[0]!.id, createdBy: secretary.id, isDemo: true });
    await tx.insert(govAgendaItems).values({ tenantId, id: newId(), meetingId: boardId, position: 1, title: 'Approve the minutes of the AGM' });
    for (const m of board.slice(0, 5)) await tx.insert(govAttendance).values({ tenantId, meetingId: boardId, memberId: m.id, mode: 'in_person', recordedBy: secretary.id });
    await tx.insert(govMinutes).values({
      tenantId,
      meetingId: agmId,
      body: `${NOTE}\n\nPresent: 14 members (11 in person, 3 online); apologies from 1. The meeting was quorate.\n\nThe chair welcomed members. The board's report and the accounts summary were received. The results of the board election were announced.\n\nThe meeting closed at 19:50.`,
      status: 'published',
      draftedBy: secretary.id,
      draftedAt: at(addDays(agmDay, 3), 12),
      approvedAtMeetingId: boardId,
      approvedAt: at(boardDay, 20),
      publishedAt: at(addDays(boardDay, 1), 9),
    });
    added += 1 + 1 + 5 + 1;

    const nextDay = addDays(day, 14);
    const nextId = newId();
    await tx.insert(govMeetings).values({ tenantId, id: nextId, kind: 'board', title: 'Board meeting (demo)', titlePl: 'Posiedzenie zarządu (demo)', startsAt: at(nextDay, 19), endsAt: at(nextDay, 21), location: 'Danesholme Community Centre', status: 'called', calledAt: at(day, 9), quorumKind: 'number', quorumValue: 3, entitledCount: board.length, chairId: board[0]!.id, createdBy: secretary.id, isDemo: true });
    for (const [i, title] of ['Apologies', 'Minutes of the last meeting', 'Budget round: draft priorities', 'Street champions update'].entries()) await tx.insert(govAgendaItems).values({ tenantId, id: newId(), meetingId: nextId, position: i + 1, title });
    added += 5;
    await appendAudit(tx, { tenantId, actor: 'system:demo', action: 'governance.demo.load', entity: 'governance', entityId: tenantId, data: { rows: added } });
  });
  return added;
}

/** Remove exactly the demo records (a demo document's versions go with it). */
export async function clearGovernanceDemo(db: Db, tenantId: string): Promise<number> {
  return db.transaction(async (tx) => {
    let removed = 0;
    const meetings = (await tx.select({ id: govMeetings.id }).from(govMeetings).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.isDemo, true)))).map((m) => m.id);
    removed += (await tx.delete(govDecisions).where(and(eq(govDecisions.tenantId, tenantId), eq(govDecisions.isDemo, true))).returning({ id: govDecisions.id })).length;
    if (meetings.length) {
      removed += (await tx.delete(govMinutes).where(and(eq(govMinutes.tenantId, tenantId), inArray(govMinutes.meetingId, meetings))).returning({ id: govMinutes.meetingId })).length;
      await tx.update(govMinutes).set({ approvedAtMeetingId: null }).where(and(eq(govMinutes.tenantId, tenantId), inArray(govMinutes.approvedAtMeetingId, meetings)));
    }
    removed += (await tx.delete(govMotions).where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.isDemo, true))).returning({ id: govMotions.id })).length;
    removed += (await tx.delete(govMeetings).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.isDemo, true))).returning({ id: govMeetings.id })).length;
    removed += (await tx.delete(govDocuments).where(and(eq(govDocuments.tenantId, tenantId), eq(govDocuments.isDemo, true))).returning({ id: govDocuments.id })).length;
    removed += (await tx.delete(govOfficers).where(and(eq(govOfficers.tenantId, tenantId), eq(govOfficers.isDemo, true))).returning({ id: govOfficers.id })).length;
    removed += (await tx.delete(govInterests).where(and(eq(govInterests.tenantId, tenantId), eq(govInterests.isDemo, true))).returning({ id: govInterests.id })).length;
    removed += (await tx.delete(govTerms).where(and(eq(govTerms.tenantId, tenantId), eq(govTerms.isDemo, true))).returning({ id: govTerms.id })).length;
    if (removed) await appendAudit(tx, { tenantId, actor: 'system:demo', action: 'governance.demo.clear', entity: 'governance', entityId: tenantId, data: { rows: removed } });
    return removed;
  });
}

export const governanceDemo = {
  name: 'governance',
  load: (ctx: DemoContext) => loadGovernanceDemo(ctx.db, ctx.tenant.id, ctx.today),
  clear: (ctx: DemoContext) => clearGovernanceDemo(ctx.db, ctx.tenant.id),
} satisfies DemoPart;
