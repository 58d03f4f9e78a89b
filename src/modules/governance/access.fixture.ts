import type { AccessFixture } from '../../test/access-fixture.ts';
import { instantToLondon } from '../../lib/dates.ts';
import { addTerm, listSeats } from './board.ts';
import { createDocument, createDraft, recordPaperAdoption } from './documents.ts';
import { addAgendaItem, callMeeting, createMeeting } from './meetings.ts';
import { recordDecision } from './api-decisions.ts';
import { createMotion, openMotion, secondMotion } from './motions.ts';

/**
 * Governance routes with parameters (gov-core's; gov-motions adds its entries below): an adopted
 * document version, a board term, a called general meeting with an agenda item.
 */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin, memberId }) => {
  const doc = await createDocument(db, admin, { kind: 'other', slug: 'fixture-standing-orders', title: 'Standing orders' });
  const v = await createDraft(db, admin, doc.id, { body: 'Meetings start on time.' });
  await recordPaperAdoption(db, admin, v.id, { adoptedOn: '2026-01-10', reference: 'Fixture resolution' });
  const seat = (await listSeats(db, tenantId))[0]!;
  const term = await addTerm(db, admin, { seatId: seat.id, memberId, startsOn: '2026-01-01', endsOn: '2028-12-31', source: 'election' });
  const start = new Date(Date.now() + 60 * 86_400_000);
  const meeting = await createMeeting(db, admin, { kind: 'general', title: 'Fixture general meeting', startsAt: instantToLondon(start), endsAt: instantToLondon(new Date(start.getTime() + 7_200_000)), location: 'Fixture hall' });
  const item = await addAgendaItem(db, admin, meeting.id, { title: 'Apologies' });
  await callMeeting(db, admin, meeting.id, { now: new Date(), baseUrl: 'http://fixture.invalid' });
  const m = { id: meeting.id };
  const now = new Date();
  const motionId = await createMotion(db, admin, { title: 'Access fixture motion', body: 'That the access matrix reaches this motion.', kind: 'ordinary', electorate: 'members', voting: 'secret_online', opensAt: new Date(now.getTime() - 3600_000), closesAt: new Date(now.getTime() + 7 * 86_400_000) }, now);
  await secondMotion(db, admin, motionId, now, { memberId });
  await openMotion(db, admin, motionId, now);
  const { number } = await db.transaction((tx) => recordDecision(tx, tenantId, { decidedOn: '2026-06-01', kind: 'other', title: 'Access fixture decision', summary: '', outcome: 'noted', rule: '', refs: [] }));
  const motion = { id: motionId };
  return {
    'GET /governance/documents/:slug': { slug: doc.slug },
    'GET /governance/documents/:slug/diff': { slug: doc.slug },
    'POST /governance/documents/:slug/drafts': { slug: doc.slug },
    'GET /governance/documents/:slug/versions/:n': { slug: doc.slug, n: '1' },
    'POST /governance/documents/:slug/versions/:n': { slug: doc.slug, n: '1' },
    'POST /governance/documents/:slug/versions/:n/adopt-paper': { slug: doc.slug, n: '1' },
    'POST /governance/board/terms/:id/end': { id: term.id },
    'POST /me/interests/:id/end': { noTarget: 'record-level rule: a member ends only their own interest; any other answers 404' },
    'GET /governance/meetings/:id': m,
    'GET /governance/meetings/:id/pack.pdf': m,
    'POST /governance/meetings/:id/edit': m,
    'POST /governance/meetings/:id/agenda': m,
    'POST /governance/meetings/:id/agenda/:itemId': { id: meeting.id, itemId: item.id },
    'POST /governance/meetings/:id/agenda/:itemId/move': { id: meeting.id, itemId: item.id },
    'POST /governance/meetings/:id/papers': m,
    'POST /governance/meetings/:id/call': m,
    'POST /governance/meetings/:id/held': m,
    'POST /governance/meetings/:id/cancel': m,
    'POST /governance/meetings/:id/attendance': { noTarget: 'record-level rule: only the meeting\u2019s chair or secretary (or governance.manage) keeps attendance; any other member gets 404' },
    'POST /governance/meetings/:id/minutes': m,
    'POST /governance/meetings/:id/minutes/approve': m,
    'POST /governance/meetings/:id/minutes/publish': m,
    // gov-motions: an open secret online ballot for members and one register entry.
    'GET /governance/motions/:id': motion,
    'POST /governance/motions/:id/move': motion,
    'POST /governance/motions/:id/second': motion,
    'POST /governance/motions/:id/open': motion,
    'POST /governance/motions/:id/interest': motion,
    'POST /governance/motions/:id/count': motion,
    'GET /governance/motions/:id/ballot': motion,
    'POST /governance/motions/:id/ballot': motion,
    'GET /governance/motions/:id/ballots': motion,
    'GET /governance/decisions/:number': { number: String(number) },
  };
};
