import type { AccessFixtureContext, AccessTargets } from '../../test/access-fixture.ts';
import type { Tx } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { castBallot } from './ballots.ts';
import { contractView, createContract, requestPayment, signContract } from './contracts.ts';
import { closeAndCount } from './counting.ts';
import { createPot, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility } from './proposals.ts';
import { onRoundDecided } from './ratify.ts';
import { advanceRound, createRound } from './rounds.ts';

/**
 * Access-matrix targets of the contract routes (access.fixture.ts spreads them): a ratified round
 * whose funded proposal has a signed contract with a payment requested by someone other than the
 * fixture's admin (so the admin may approve it).
 */
export async function contractAccessTargets({ db, admin, tenantId, memberId }: AccessFixtureContext): Promise<AccessTargets> {
  const parent = { tenantId, memberId, roles: new Set(['member'] as const), sessionId: 'fixture' };
  const potId = await createPot(db, admin, { name: 'Contracts fixture pot', financialYear: '2026-27', source: 'devolved_budget' });
  await recordIncome(db, admin, { potId, amount: '10000', idempotencyKey: `fixture-income-${potId}` });
  const roundId = await createRound(db, admin, { title: 'Ratified round', potId, budget: '5000', ballotType: 'approval', maxChoices: '2', rule: 'greedy', completion: 'none' });
  const proposalId = await createProposal(db, parent, { title: 'Funded project', summary: 'A proposal for the access matrix.', cost: '1000', roundId });
  await decideEligibility(db, admin, proposalId, { decision: 'eligible', reason: 'Fits the budget and the aims.' });
  await advanceRound(db, admin, roundId, 'review');
  await advanceRound(db, admin, roundId, 'voting');
  await castBallot(db, parent, roundId, { choose: [proposalId] });
  await closeAndCount(db, admin, roundId, 'Fixture', { vacuum: false });
  await db.transaction((tx) => onRoundDecided(tx as unknown as Tx, tenantId, roundId, { motionId: newId(), decidedOn: '2026-11-30', outcome: 'carried', votesFor: 3, votesAgainst: 0, abstentions: 0, conflicted: 0, decisionNumber: 1 }));
  const id = await createContract(db, admin, { idempotencyKey: newId(), proposalId, providerName: 'Fixture provider', value: '1000', startsOn: '2027-01-01', endsOn: '2027-06-30', 'm.0.title': 'All of it', 'm.0.due': '2027-06-30', 'm.0.amount': '1000' });
  await signContract(db, admin, id);
  const milestoneId = (await contractView(db, tenantId, id)).milestones[0]!.id;
  const requester = { tenantId, memberId, roles: new Set(['member', 'coordinator'] as const), sessionId: 'fixture' };
  const { id: paymentId } = await requestPayment(db, requester, id, { idempotencyKey: newId(), milestoneId, amount: '100' });
  return {
    'GET /budget/contracts/:id': { id },
    'GET /coordinator/budget/contracts/:id': { id },
    'POST /coordinator/budget/contracts/:id/sign': { id },
    'POST /coordinator/budget/contracts/:id/complete': { id },
    'POST /coordinator/budget/contracts/:id/terminate': { id },
    'POST /coordinator/budget/contracts/:id/payments': { id },
    'POST /coordinator/budget/contracts/:id/payments/:paymentId/approve': { id, paymentId },
    'POST /coordinator/budget/contracts/:id/payments/:paymentId/decline': { id, paymentId },
  };
}
