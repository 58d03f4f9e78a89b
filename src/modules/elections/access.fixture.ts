import { randomUUID } from 'node:crypto';
import type { AccessFixture } from '../../test/access-fixture.ts';
import { parseBlt } from '../voting/stv/blt.ts';
import { countStv } from '../voting/stv/count.ts';
import { memberCards } from '../membership/views.ts';
import { elecBallots, elecElections } from './schema.ts';
import { createElection, nominate, receiptHash } from './service.ts';
import { newId } from '../../lib/ids.ts';

/**
 * Elections' routes with parameters: an election taking nominations (the fixture's member nominated
 * by the admin) and a published one with one ballot, made with the module's services (the published
 * one written directly: publishing needs governance's register).
 */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin, memberId }) => {
  const id = await createElection(db, admin, { title: 'Access election', agmOn: '2026-12-10', seats: '2', opensAt: '2026-11-01T09:00', closesAt: '2026-11-30T18:00' });
  const number = (await memberCards(db, tenantId, [memberId]))[0]!.memberNumber;
  const cid = await nominate(db, admin, id, { memberNumber: String(number), statementEn: 'Access test' });
  const pub = newId();
  const result = countStv(parseBlt('2 1\n1 1 2 0\n0\n"A"\n"B"\n"T"\n'), { seed: 'access' });
  await db.insert(elecElections).values({ tenantId, id: pub, title: 'Published access election', agmOn: '2026-10-01', seats: 1, status: 'published', opensAt: new Date('2026-09-01T09:00:00Z'), closesAt: new Date('2026-09-20T18:00:00Z'), lotSeed: 'access', result, countedAt: new Date('2026-09-20T18:05:00Z'), publishedAt: new Date('2026-09-21T09:00:00Z') });
  await db.insert(elecBallots).values({ tenantId, electionId: pub, id: randomUUID(), ranking: [], receiptHash: receiptHash(pub, 'ACCE-SSTE-STXX') });
  return {
    'GET /elections/:id': { id },
    'POST /elections/:id/nominate': { id },
    'POST /elections/:id/candidates/:cid/respond': { noTarget: 'only the nominee may answer a nomination: everyone else gets 404 (the id reveals nothing)' },
    'POST /elections/:id/candidates/:cid/check': { id, cid },
    'POST /elections/:id/close-nominations': { id },
    'POST /elections/:id/count': { id },
    'POST /elections/:id/publish': { id },
    'GET /elections/:id/ballot': { id },
    'POST /elections/:id/ballot': { id },
    'GET /elections/:id/result': { id: pub },
    'POST /elections/:id/receipt': { id: pub },
    'GET /elections/:id/ballots.blt': { id: pub },
  };
};
