import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { addDays, isoDate } from '../../lib/dates.ts';
import type { DemoContext } from '../../server/demo.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { activeMembersWithRoles } from '../membership/views.ts';
import { areaOverview, wardsOf } from '../tenancy/views.ts';
import { addDeliverable, changeCommissionStatus, createCommission, markDelivered, recordCommissionIncome } from './commissions.ts';
import { createPot } from './ledger.ts';
import { commCommissions, type CommissionStatus } from './schema-commissions.ts';

/**
 * The commissions part of the demo (labelled, idempotent): a pot for income from commissions; the
 * children's centre commissions a ward-by-ward intelligence summary (in progress, one deliverable
 * done, one instalment received); the council commissions parent-led stay and play in a ward
 * (delivered and paid in full). Made through the services, so every step is audited as in use.
 */
export async function loadCommissionsDemo({ db, tenant, today }: DemoContext): Promise<number> {
  const [already] = await db.select({ id: commCommissions.id }).from(commCommissions).where(and(eq(commCommissions.tenantId, tenant.id), eq(commCommissions.isDemo, true))).limit(1);
  if (already) return 0;
  const coord = (await activeMembersWithRoles(db, tenant.id)).find((m) => m.isDemo && m.roles.includes('coordinator'));
  if (!coord) return 0;
  const actor: Actor = { memberId: coord.id, tenantId: tenant.id, roles: new Set<Role>(['member', 'coordinator']), sessionId: 'demo' };
  const day = (n: number) => addDays(isoDate(today), n);
  const set = (await areaOverview(db, tenant)).currentSet;
  const ward = set ? (await wardsOf(db, tenant, set))[0]?.name : undefined;
  const isDemo = true;
  const potId = await createPot(db, actor, { name: 'Income from commissions', namePl: 'Przychody ze zleceń', financialYear: financialYear(today), source: 'commission_income', funder: '' }, { isDemo });
  const move = async (id: string, ...to: CommissionStatus[]) => {
    for (const s of to) await changeCommissionStatus(db, actor, id, { to: s });
  };

  const centre = await createCommission(
    db,
    actor,
    {
      title: 'Ward-by-ward intelligence summary',
      brief: 'Street champions gather what families say about needs and gaps in each ward over two seasons; the mutual writes a short summary per ward for the centre’s planning (demo).',
      commissionerKind: 'childrens_centre',
      commissionerName: 'Lodge Park Children’s Centre (demo)',
      contactName: 'Centre manager (demo)',
      contactEmail: 'centre.manager@demo.invalid',
      price: '4800',
      startsOn: day(-90),
      endsOn: day(120),
      potId,
    },
    { isDemo },
  );
  const autumn = await addDeliverable(db, actor, centre, { deliverableTitle: 'Autumn summary: needs and gaps in each ward', dueOn: day(-10) }, { isDemo });
  await addDeliverable(db, actor, centre, { deliverableTitle: 'Spring summary with the street champions’ findings', dueOn: day(100) }, { isDemo });
  await move(centre, 'quoted', 'agreed', 'in_progress');
  await markDelivered(db, actor, centre, { deliverableId: autumn, deliveredNote: 'Summary for every ward, presented to the centre’s team (demo).', link: '/intelligence', deliveredOn: day(-12) });
  await recordCommissionIncome(db, actor, centre, { amount: '2400', idempotencyKey: `demo-${centre}-1`, incomeNote: 'First instalment (demo)' }, { isDemo });

  const council = await createCommission(
    db,
    actor,
    {
      title: `Parent-led stay and play${ward ? ` in ${ward}` : ''}`,
      brief: 'Trained parent volunteers run a weekly stay-and-play session for families with under-fives, with an attendance and feedback report at the end (demo).',
      commissionerKind: 'council',
      commissionerName: 'North Northamptonshire Council (demo)',
      contactName: 'Early years commissioner (demo)',
      contactEmail: 'early.years@demo.invalid',
      price: '3600',
      startsOn: day(-240),
      endsOn: day(-30),
      potId,
    },
    { isDemo },
  );
  const sessions = await addDeliverable(db, actor, council, { deliverableTitle: 'Twelve weekly sessions run by parent volunteers', dueOn: day(-60) }, { isDemo });
  const report = await addDeliverable(db, actor, council, { deliverableTitle: 'Attendance and feedback report', dueOn: day(-35) }, { isDemo });
  await move(council, 'quoted', 'agreed', 'in_progress');
  await markDelivered(db, actor, council, { deliverableId: sessions, deliveredNote: 'Twelve sessions held (demo).', deliveredOn: day(-62) });
  await markDelivered(db, actor, council, { deliverableId: report, deliveredNote: 'Report sent to the council (demo).', deliveredOn: day(-36) });
  await move(council, 'delivered');
  await recordCommissionIncome(db, actor, council, { amount: '1800', idempotencyKey: `demo-${council}-1`, incomeNote: 'Half on agreement (demo)' }, { isDemo });
  await recordCommissionIncome(db, actor, council, { amount: '1800', idempotencyKey: `demo-${council}-2`, incomeNote: 'Balance on delivery (demo)' }, { isDemo });
  return 2;
}

/** '2026-27' for a day from April 2026 to March 2027 (the UK financial year). */
function financialYear(today: Date): string {
  const d = isoDate(today);
  const y = Number(d.slice(0, 4)) - (Number(d.slice(5, 7)) < 4 ? 1 : 0);
  return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

/** Delete the demo commissions (their deliverables go with them); the demo pot and ledger are cleared with the rest. */
export async function clearCommissionsDemo(tx: Executor, tenantId: string): Promise<number> {
  return (await tx.delete(commCommissions).where(and(eq(commCommissions.tenantId, tenantId), eq(commCommissions.isDemo, true))).returning({ id: commCommissions.id })).length;
}
