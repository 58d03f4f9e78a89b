import type { AccessFixture } from '../../test/access-fixture.ts';
import { createCommission } from './commissions.ts';
import { closeAndCount } from './counting.ts';
import { contractAccessTargets } from './fixture-contracts.ts';
import { createPot, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility } from './proposals.ts';
import { advanceRound, createRound } from './rounds.ts';

/**
 * Commissioning's routes with parameters: a counted round (ballots.pb, result.json, receipt), a
 * round open for voting (the ballot page), a round still taking proposals (the coordinator's
 * forms) and an eligible proposal outside any round.
 */
export const accessTargets: AccessFixture = async (ctx) => {
  const { db, admin, tenantId, memberId } = ctx;
  // Proposals come from members (the fixture's admin holds no 'member' role).
  const parent = { tenantId, memberId, roles: new Set(['member'] as const), sessionId: 'fixture' };
  const potId = await createPot(db, admin, { name: 'Fixture pot', financialYear: '2026-27', source: 'devolved_budget' });
  await recordIncome(db, admin, { potId, amount: '10000', idempotencyKey: `fixture-income-${potId}` });
  const rules = { potId, budget: '5000', ballotType: 'approval', maxChoices: '2', rule: 'mes', completion: 'add1_utilitarian' };
  const round = async (title: string) => {
    const id = await createRound(db, admin, { ...rules, title });
    const p = await createProposal(db, parent, { title: `${title} project`, summary: 'A proposal for the access matrix.', cost: '1000', roundId: id });
    await decideEligibility(db, admin, p, { decision: 'eligible', reason: 'Fits the budget and the aims.' });
    return id;
  };
  const counted = await round('Counted round');
  await advanceRound(db, admin, counted, 'review');
  await advanceRound(db, admin, counted, 'voting');
  await closeAndCount(db, admin, counted, 'Fixture', { vacuum: false });
  const voting = await round('Voting round');
  await advanceRound(db, admin, voting, 'review');
  await advanceRound(db, admin, voting, 'voting');
  const open = await round('Open round');
  const proposal = await createProposal(db, parent, { title: 'Loose proposal', summary: 'A proposal outside any round.', cost: '200' });
  await decideEligibility(db, admin, proposal, { decision: 'eligible', reason: 'Fits the budget and the aims.' });
  const commission = await createCommission(db, admin, { title: 'Fixture commission', brief: 'A commission for the access matrix.', commissionerKind: 'council', commissionerName: 'A council', price: '900', startsOn: '2026-09-01', endsOn: '2027-03-31', potId });
  return {
    ...(await contractAccessTargets(ctx)),
    ...Object.fromEntries(['GET /coordinator/budget/commissions/:id', 'GET /coordinator/budget/commissions/:id/edit', ...['status', 'deliverables', 'delivered', 'income', 'edit'].map((a) => `POST /coordinator/budget/commissions/:id/${a}`)].map((k) => [k, { id: commission }])),
    'GET /coordinator/budget/pots/:id': { id: potId },
    'GET /budget/rounds/:id': { id: counted },
    'POST /budget/rounds/:id/receipt': { id: counted },
    'GET /budget/rounds/:id/ballots.pb': { id: counted },
    'GET /budget/rounds/:id/result.json': { id: counted },
    'GET /budget/rounds/:id/vote': { id: voting },
    'POST /budget/rounds/:id/vote': { id: voting },
    'GET /budget/proposals/:id': { id: proposal },
    'POST /budget/proposals/:id/eligibility': { id: proposal },
    'GET /coordinator/budget/rounds/:id': { id: open },
    'POST /coordinator/budget/rounds/:id': { id: open },
    'POST /coordinator/budget/rounds/:id/phase': { id: open },
    'POST /coordinator/budget/rounds/:id/assign': { id: open },
    'POST /coordinator/budget/rounds/:id/count': { id: open },
    'POST /coordinator/budget/rounds/:id/board': { id: open },
  };
};
