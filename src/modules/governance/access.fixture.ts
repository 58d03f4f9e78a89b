import type { AccessFixture } from '../../test/access-fixture.ts';
import { recordDecision } from './api-decisions.ts';
import { createMotion, openMotion, secondMotion } from './motions.ts';

/**
 * Governance's routes with parameters (gov-motions' entries; gov-core adds its own lines). An open
 * secret online ballot for members, proposed by the fixture's admin and seconded by its member, and
 * one register entry.
 */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin, memberId }) => {
  const now = new Date();
  const id = await createMotion(db, admin, { title: 'Access fixture motion', body: 'That the access matrix reaches this motion.', kind: 'ordinary', electorate: 'members', voting: 'secret_online', opensAt: new Date(now.getTime() - 3600_000), closesAt: new Date(now.getTime() + 7 * 86_400_000) }, now);
  await secondMotion(db, admin, id, now, { memberId });
  await openMotion(db, admin, id, now);
  const { number } = await db.transaction((tx) => recordDecision(tx, tenantId, { decidedOn: '2026-06-01', kind: 'other', title: 'Access fixture decision', summary: '', outcome: 'noted', rule: '', refs: [] }));
  const motion = { id };
  return {
    'GET /governance/motions/:id': motion,
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
