import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { addMonths, isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import type { DemoContext } from '../../server/demo.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { activeMembersWithRoles } from '../membership/views.ts';
import { approvePayment, contractView, createContract, fundedProposals, requestPayment, signContract } from './contracts.ts';
import { poundsValue } from './format.ts';
import { commContracts } from './schema.ts';

const PROVIDERS = ['Corby Dads Network (demo)', 'Home-Start Corby (demo)'] as const;

/**
 * Contracts in `parent-mutual demo load` (labelled: every row has is_demo): two contracts on the
 * demo's ratified round's first two funded proposals, each with two milestones (40% and 60%),
 * signed; the first contract's first milestone paid (requested by one demo coordinator, approved
 * by a demo board member or another coordinator), the second's requested and not yet approved.
 * Idempotent: nothing is added when demo contracts exist.
 */
export async function loadContractsDemo({ db, tenant }: DemoContext): Promise<number> {
  const [already] = await db.select({ id: commContracts.id }).from(commContracts).where(and(eq(commContracts.tenantId, tenant.id), eq(commContracts.isDemo, true))).limit(1);
  if (already) return 0;
  const people = (await activeMembersWithRoles(db, tenant.id)).filter((m) => m.isDemo);
  const coords = people.filter((m) => m.roles.includes('coordinator'));
  const requester = coords[0];
  const approver = people.find((m) => m.roles.includes('board') && m.id !== requester?.id) ?? coords[1];
  const funded = (await fundedProposals(db, tenant.id)).filter((f) => f.isDemo && !f.contractId).slice(0, 2);
  if (!requester || !approver || funded.length < 2) return 0;
  const actorOf = (m: { id: string; roles: readonly Role[] }): Actor => ({ memberId: m.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...m.roles]), sessionId: 'demo' });
  const coord = actorOf(requester);
  const second = actorOf(approver);
  const start = isoDate(new Date());
  let n = 0;
  for (const [i, f] of funded.entries()) {
    const first = Math.round((f.allocatedPence * 0.4) / 100) * 100;
    const id = await createContract(
      db,
      coord,
      {
        idempotencyKey: `demo-contract-${f.proposalId}`,
        proposalId: f.proposalId,
        providerName: PROVIDERS[i] ?? 'Demo provider',
        value: poundsValue(f.allocatedPence),
        startsOn: start,
        endsOn: addMonths(start, 12),
        indicators: f.indicators,
        'm.0.title': 'Sessions running (demo)',
        'm.0.due': addMonths(start, 3),
        'm.0.amount': poundsValue(first),
        'm.0.evidence': 'Attendance figures for M2 (demo)',
        'm.1.title': 'End-of-year report (demo)',
        'm.1.due': addMonths(start, 12),
        'm.1.amount': poundsValue(f.allocatedPence - first),
        'm.1.evidence': 'Report on the indicators (demo)',
      },
      { isDemo: true },
    );
    await signContract(db, coord, id);
    const milestone = (await contractView(db, tenant.id, id)).milestones[0]!;
    const payment = await requestPayment(db, coord, id, { idempotencyKey: `demo-payment-${id}`, milestoneId: milestone.id, amount: poundsValue(milestone.amountPence), note: 'Invoice (demo)' }, { isDemo: true });
    if (i === 0) await approvePayment(db, second, id, payment.id, { idempotencyKey: `demo-approval-${newId()}` });
    n += 1;
  }
  return n;
}

/** Remove the demo contracts (their milestones and payments go with them). */
export async function clearContractsDemo(tx: Executor, tenantId: string): Promise<number> {
  return (await tx.delete(commContracts).where(and(eq(commContracts.tenantId, tenantId), eq(commContracts.isDemo, true))).returning({ id: commContracts.id })).length;
}
