// Issue 13 item 7: contracts per funded proposal, milestones, and payments approved by two different
// people, each a ledger entry in one transaction with its audit row (SECURITY.md 25).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db, type Tx } from '../../db/connection.ts';
import { runMigrations } from '../../db/migrate.ts';
import { newId } from '../../lib/ids.ts';
import { AppError } from '../../server/errors.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { auditLog } from '../audit/schema.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { castBallot } from './ballots.ts';
import { approvePayment, completeContract, contractView, createContract, declinePayment, fundedProposals, requestPayment, signContract, terminateContract } from './contracts.ts';
import { closeAndCount } from './counting.ts';
import { awards360 } from './giving360.ts';
import { createPot, ledgerProblems, potBalance, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility } from './proposals.ts';
import { onRoundDecided } from './ratify.ts';
import { advanceRound, createRound } from './rounds.ts';
import { commContracts, commLedger, commMilestones, commPayments } from './schema.ts';

const token = () => newId();

/** The 360Giving package validator (as in giving360.test.ts). */
function validator360() {
  const dir = path.join(import.meta.dirname, '360giving');
  const read = (f: string): Record<string, unknown> => ({ ...(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>), $schema: 'https://json-schema.org/draft/2020-12/schema' });
  const grant = read('360-giving-schema.json');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(grant);
  ajv.addSchema({ ...grant, $id: String(grant.$id).replace('1.4.3', '1.4.2') });
  return ajv.compile(read('360-giving-package-schema.json'));
}

/**
 * A tenant with a ratified (published) round: "Dads group" (£3,000) and "Toy library" (£4,000)
 * funded, "Walks" (£9,000) not; plus an eligible proposal outside any round.
 */
async function publishedRound(db: Db, opts: { tenant?: Awaited<ReturnType<typeof buildTenant>> } = {}) {
  const built = opts.tenant ?? (await buildTenant(db));
  const { tenant } = built;
  const actorOf = (m: { member: { id: string } }, roles: Role[]): Actor => ({ memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  const coordM = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const coord2M = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const boardM = await buildMember(db, tenant.id, { roles: ['board'] });
  const coord = actorOf(coordM, ['coordinator']);
  const coord2 = actorOf(coord2M, ['coordinator']);
  const board = actorOf(boardM, ['board']);
  const potId = await createPot(db, coord, { name: 'Early years', financialYear: '2026-27', source: 'devolved_budget' });
  await recordIncome(db, coord, { potId, amount: '50000', idempotencyKey: `income-${token()}` });
  const roundId = await createRound(db, coord, { title: 'Round', potId, budget: '10000', ballotType: 'approval', maxChoices: '2', rule: 'mes', completion: 'add1_utilitarian' });
  const ids: string[] = [];
  for (const [title, cost] of [['Dads group', '3000'], ['Toy library', '4000'], ['Walks', '9000']] as const) {
    const id = await createProposal(db, coord, { title, summary: 'Something for families with under-fives.', cost, roundId, providerText: 'Home-Start Corby', indicators: ['M2'] });
    await decideEligibility(db, coord, id, { decision: 'eligible', reason: 'It fits the aims.' });
    ids.push(id);
  }
  await advanceRound(db, coord, roundId, 'review');
  await advanceRound(db, coord, roundId, 'voting');
  for (let i = 0; i < 5; i++) {
    const m = await buildMember(db, tenant.id);
    await castBallot(db, actorOf(m, []), roundId, { choose: i < 4 ? [ids[0]!, ids[1]!] : [ids[2]!] });
  }
  await closeAndCount(db, coord, roundId, tenant.name, { vacuum: false });
  await db.transaction((tx) => onRoundDecided(tx as unknown as Tx, tenant.id, roundId, { motionId: '00000000-0000-4000-8000-000000000002', decidedOn: '2026-11-30', outcome: 'carried', votesFor: 3, votesAgainst: 0, abstentions: 0, conflicted: 0, decisionNumber: 1 }));
  const loose = await createProposal(db, coord, { title: 'Loose proposal', summary: 'A proposal outside any round.', cost: '200' });
  await decideEligibility(db, coord, loose, { decision: 'eligible', reason: 'It fits the aims.' });
  return { ...built, coordM, coord2M, boardM, coord, coord2, board, potId, roundId, dads: ids[0]!, toys: ids[1]!, walks: ids[2]!, loose };
}

type Round = Awaited<ReturnType<typeof publishedRound>>;

const contractForm = (proposalId: string, extra: Record<string, string> = {}) => ({
  idempotencyKey: token(),
  proposalId,
  providerName: 'Home-Start Corby',
  value: '3000',
  startsOn: '2027-01-01',
  endsOn: '2027-12-31',
  indicators: ['M2', 'M3'],
  'm.0.title': 'Sessions start',
  'm.0.due': '2027-02-01',
  'm.0.amount': '1000',
  'm.0.evidence': 'Attendance register',
  'm.1.title': 'Six-month report',
  'm.1.due': '2027-07-01',
  'm.1.amount': '2000',
  'm.1.evidence': 'M2 figures',
  ...extra,
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function counts(db: Db, tenantId: string) {
  const n = async (t: typeof commContracts | typeof commMilestones | typeof commPayments | typeof commLedger) => (await db.select({ n: sql<number>`count(*)::int` }).from(t).where(eq(t.tenantId, tenantId)))[0]?.n ?? 0;
  const [payments] = await db.select({ approved: sql<number>`count(*) FILTER (WHERE status = 'approved')::int`, requested: sql<number>`count(*) FILTER (WHERE status = 'requested')::int` }).from(commPayments).where(eq(commPayments.tenantId, tenantId));
  return { contracts: await n(commContracts), milestones: await n(commMilestones), payments: await n(commPayments), ledger: await n(commLedger), ...payments };
}

async function signedContract(db: Db, s: Round) {
  const id = await createContract(db, s.coord, contractForm(s.dads));
  await signContract(db, s.coord, id);
  const v = await contractView(db, s.tenant.id, id);
  return { id, m0: v.milestones[0]!.id, m1: v.milestones[1]!.id };
}

describe(`contracts and payments (${storeName()})`, { timeout: 120_000 }, () => {
  it('draws up a contract for a funded proposal and signing commits its value in the ledger with the audit row', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const s = await publishedRound(db);
    const funded = await fundedProposals(db, s.tenant.id);
    expect(funded.map((f) => f.title).sort()).toEqual(['Dads group', 'Toy library']);
    const form = contractForm(s.dads);
    const id = await createContract(db, s.coord, form);
    // A retried POST (same form token) returns the same contract.
    expect(await createContract(db, s.coord, form)).toBe(id);
    const draft = await contractView(db, s.tenant.id, id);
    expect(draft.contract).toMatchObject({ status: 'draft', valuePence: 300_000, providerName: 'Home-Start Corby', startsOn: '2027-01-01', endsOn: '2027-12-31', indicators: ['M2', 'M3'] });
    expect(draft.milestones.map((m) => [m.title, m.amountPence, m.evidence])).toEqual([
      ['Sessions start', 100_000, 'Attendance register'],
      ['Six-month report', 200_000, 'M2 figures'],
    ]);
    expect((await potBalance(db, s.tenant.id, s.potId)).committed).toBe(0);
    await signContract(db, s.coord, id);
    await signContract(db, s.coord, id);
    const [entry, ...more] = await db.select().from(commLedger).where(and(eq(commLedger.tenantId, s.tenant.id), eq(commLedger.kind, 'commitment')));
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ idempotencyKey: `commitment:${id}`, amountPence: 300_000, proposalId: s.dads, roundId: s.roundId, potId: s.potId });
    expect((await contractView(db, s.tenant.id, id)).contract.status).toBe('signed');
    const actions = (await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.entityId, id)))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['comm.contract.create', 'comm.contract.sign']));
    expect(await ledgerProblems(db, s.tenant.id)).toEqual([]);
  });

  it('refuses bad contracts with a message saying what to fix, and stores nothing', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const s = await publishedRound(db);
    const other = await publishedRound(db);
    const before = await counts(db, s.tenant.id);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['above the allocation', contractForm(s.dads, { value: '3000.01', 'm.1.amount': '2000.01' }), 'comm.contract.error.overAllocation'],
      ['an unfunded proposal', contractForm(s.walks, {}), 'comm.contract.error.unfunded'],
      ['a proposal outside any round', contractForm(s.loose, {}), 'comm.contract.error.unfunded'],
      ['another tenant’s proposal', contractForm(other.dads, {}), 'comm.contract.error.proposal'],
      ['milestones not adding up', contractForm(s.dads, { 'm.1.amount': '1500' }), 'comm.contract.error.milestoneSum'],
      ['ending before it starts', contractForm(s.dads, { endsOn: '2026-12-31' }), 'comm.contract.error.endsBeforeStart'],
      ['no milestones', contractForm(s.dads, { 'm.0.title': '', 'm.0.due': '', 'm.0.amount': '', 'm.0.evidence': '', 'm.1.title': '', 'm.1.due': '', 'm.1.amount': '', 'm.1.evidence': '' }), 'comm.contract.error.noMilestones'],
      ['a milestone due after the end', contractForm(s.dads, { 'm.1.due': '2028-01-01' }), 'comm.contract.error.milestoneOutside'],
      ['no provider', contractForm(s.dads, { providerName: '' }), 'comm.contract.error.providerName'],
      ['an unknown audit provider', contractForm(s.dads, { providerId: newId() }), 'comm.contract.error.provider'],
    ];
    for (const [what, form, key] of cases) {
      const err = await refusal(createContract(db, s.coord, form));
      expect(err.code, what).toBe('validation_failed');
      expect(err.fields.map((f) => f.message), what).toContain(key);
    }
    // A parent cannot draw up contracts.
    const parent = { ...s.coord, roles: new Set<Role>(['member']) };
    expect((await refusal(createContract(db, parent, contractForm(s.dads)))).code).toBe('forbidden');
    expect(await counts(db, s.tenant.id)).toEqual(before);
    // One contract per proposal.
    await createContract(db, s.coord, contractForm(s.dads));
    expect((await refusal(createContract(db, s.coord, contractForm(s.dads)))).key).toBe('comm.contract.error.exists');
  });

  it('pays a milestone only when a different person approves: one ledger entry, idempotent, with the audit row', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const s = await publishedRound(db);
    const k = await signedContract(db, s);
    const base = await counts(db, s.tenant.id);
    // Above the milestone, and above everything committed: refused, nothing stored.
    for (const amount of ['1000.01', '3000.01']) {
      const err = await refusal(requestPayment(db, s.coord, k.id, { idempotencyKey: token(), milestoneId: k.m0, amount }));
      expect(err.fields.map((f) => f.message)).toEqual(['comm.contract.error.overMilestone']);
    }
    expect((await refusal(requestPayment(db, s.coord, k.id, { idempotencyKey: token(), milestoneId: newId(), amount: '10' }))).fields[0]?.message).toBe('comm.contract.error.milestone');
    expect(await counts(db, s.tenant.id)).toEqual(base);

    const requestForm = { idempotencyKey: token(), milestoneId: k.m0, amount: '600', note: 'Invoice 17' };
    const req = await requestPayment(db, s.coord, k.id, requestForm);
    expect(req.replayed).toBe(false);
    // A retried request returns the first; the same token with other values is a conflict.
    expect(await requestPayment(db, s.coord, k.id, requestForm)).toEqual({ id: req.id, replayed: true });
    expect((await refusal(requestPayment(db, s.coord, k.id, { ...requestForm, amount: '601' }))).code).toBe('idempotency_conflict');
    // Pending requests count against the milestone.
    expect((await refusal(requestPayment(db, s.coord, k.id, { idempotencyKey: token(), milestoneId: k.m0, amount: '400.01' }))).fields[0]?.message).toBe('comm.contract.error.overMilestone');

    // The requester cannot approve it.
    const own = await refusal(approvePayment(db, s.coord, k.id, req.id, { idempotencyKey: token() }));
    expect(own.code).toBe('forbidden');
    expect(own.message).toBe('You cannot approve a payment you requested.');
    expect(own.key).toBe('comm.contract.error.ownPayment');
    // Nor can a parent.
    expect((await refusal(approvePayment(db, { ...s.coord2, roles: new Set<Role>(['member']) }, k.id, req.id, { idempotencyKey: token() }))).code).toBe('forbidden');
    expect((await counts(db, s.tenant.id)).ledger).toBe(base.ledger);

    // A board member (the treasurer) approves: ledger entry, status and audit together.
    const approveForm = { idempotencyKey: token() };
    const first = await approvePayment(db, s.board, k.id, req.id, approveForm);
    expect(first.replayed).toBe(false);
    expect(await approvePayment(db, s.board, k.id, req.id, approveForm)).toEqual({ ledgerEntryId: first.ledgerEntryId, replayed: true });
    // Approving twice (another form, another person) is refused.
    expect((await refusal(approvePayment(db, s.coord2, k.id, req.id, { idempotencyKey: token() }))).key).toBe('comm.contract.error.alreadyApproved');
    expect((await refusal(declinePayment(db, s.coord2, k.id, req.id))).key).toBe('comm.contract.error.alreadyApproved');
    const payments = await db.select().from(commLedger).where(and(eq(commLedger.tenantId, s.tenant.id), eq(commLedger.kind, 'payment')));
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ id: first.ledgerEntryId, idempotencyKey: `payment:${req.id}`, amountPence: 60_000, proposalId: s.dads, roundId: s.roundId, createdBy: s.boardM.member.id });
    const [row] = await db.select().from(commPayments).where(and(eq(commPayments.tenantId, s.tenant.id), eq(commPayments.id, req.id)));
    expect(row).toMatchObject({ status: 'approved', requestedBy: s.coordM.member.id, requestedRole: 'coordinator', decidedBy: s.boardM.member.id, decidedRole: 'board', ledgerEntryId: first.ledgerEntryId });
    const audit = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.entityId, req.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(['comm.payment.approve', 'comm.payment.request']);
    expect(await ledgerProblems(db, s.tenant.id)).toEqual([]);
    expect((await contractView(db, s.tenant.id, k.id)).paidPence).toBe(60_000);
    // The database holds the two-person rule too.
    await expect(db.update(commPayments).set({ decidedBy: s.coordM.member.id }).where(and(eq(commPayments.tenantId, s.tenant.id), eq(commPayments.id, req.id)))).rejects.toThrow();
  });

  it('lets only one of two approvals at once through', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const s = await publishedRound(db);
    const k = await signedContract(db, s);
    const req = await requestPayment(db, s.coord, k.id, { idempotencyKey: token(), milestoneId: k.m1, amount: '2000' });
    const results = await Promise.allSettled([approvePayment(db, s.board, k.id, req.id, { idempotencyKey: token() }), approvePayment(db, s.coord2, k.id, req.id, { idempotencyKey: token() })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await counts(db, s.tenant.id)).approved).toBe(1);
    expect((await db.select().from(commLedger).where(and(eq(commLedger.tenantId, s.tenant.id), eq(commLedger.kind, 'payment')))).length).toBe(1);
    expect(await ledgerProblems(db, s.tenant.id)).toEqual([]);
  });

  it('completes only when paid in full; terminating declines waiting requests and keeps the rule true', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const s = await publishedRound(db);
    const k = await signedContract(db, s);
    expect((await refusal(completeContract(db, s.coord, k.id))).key).toBe('comm.contract.error.unpaid');
    const a = await requestPayment(db, s.coord, k.id, { idempotencyKey: token(), milestoneId: k.m0, amount: '1000' });
    await approvePayment(db, s.coord2, k.id, a.id, { idempotencyKey: token() });
    const b = await requestPayment(db, s.coord, k.id, { idempotencyKey: token(), milestoneId: k.m1, amount: '500' });
    expect((await refusal(terminateContract(db, s.coord, k.id, { reason: 'x' }))).fields[0]?.message).toBe('comm.contract.error.reason');
    await terminateContract(db, s.coord, k.id, { reason: 'The provider closed the service.' });
    const v = await contractView(db, s.tenant.id, k.id);
    expect(v.contract.status).toBe('terminated');
    expect(v.payments.find((p) => p.id === b.id)?.status).toBe('declined');
    expect((await refusal(approvePayment(db, s.board, k.id, b.id, { idempotencyKey: token() }))).key).toBe('comm.contract.error.declined');
    expect((await refusal(requestPayment(db, s.coord, k.id, { idempotencyKey: token(), milestoneId: k.m1, amount: '10' }))).key).toBe('comm.contract.error.notSigned');
    // The unpaid £2,000 stays committed (no release entry): spent ≤ committed ≤ allocated ≤ funds.
    expect(await potBalance(db, s.tenant.id, s.potId)).toMatchObject({ committed: 300_000, spent: 100_000 });
    expect(await ledgerProblems(db, s.tenant.id)).toEqual([]);

    const toys = await createContract(db, s.coord, contractForm(s.toys, { value: '4000', 'm.0.amount': '4000', 'm.1.title': '', 'm.1.due': '', 'm.1.amount': '', 'm.1.evidence': '' }));
    expect((await refusal(requestPayment(db, s.coord, toys, { idempotencyKey: token(), milestoneId: (await contractView(db, s.tenant.id, toys)).milestones[0]!.id, amount: '10' }))).key).toBe('comm.contract.error.notSigned');
    await signContract(db, s.coord, toys);
    const m = (await contractView(db, s.tenant.id, toys)).milestones[0]!.id;
    const p = await requestPayment(db, s.coord2, toys, { idempotencyKey: token(), milestoneId: m, amount: '4000' });
    await approvePayment(db, s.coord, toys, p.id, { idempotencyKey: token() });
    await completeContract(db, s.coord, toys);
    expect((await contractView(db, s.tenant.id, toys)).contract.status).toBe('completed');
    expect((await refusal(terminateContract(db, s.coord, toys, { reason: 'Changed our minds.' }))).key).toBe('comm.contract.error.closed');
    // 360Giving: paid so far and the contract's dates on the award.
    const pkg = await awards360(db, s.tenant, 'https://example.org', () => '2026-11-30');
    const toysGrant = pkg.grants.find((g) => g.id.endsWith(s.toys));
    expect(toysGrant).toMatchObject({ amountDisbursed: 4000, plannedDates: [{ startDate: '2027-01-01', endDate: '2027-12-31' }] });
    expect(pkg.grants.find((g) => g.id.endsWith(s.dads))).toMatchObject({ amountDisbursed: 1000 });
    const validate = validator360();
    expect(validate(pkg), JSON.stringify(validate.errors)).toBe(true);
  });

  it('runs the pages: coordinator forms, approval by another person, refusals in English and Polish, public pages without names', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const s = await publishedRound(db);
    const coord = new TestClient(app, s.host);
    coord.cookies.set('pm_session', s.coordM.cookie);
    const list = await coord.get('/coordinator/budget/contracts');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`/coordinator/budget/contracts/new?proposal=${s.dads}`);
    const form = await coord.get(`/coordinator/budget/contracts/new?proposal=${s.dads}`);
    expect(form.status).toBe(200);
    const { indicators: _i, ...flat } = contractForm(s.dads);
    const bad = await coord.post('/coordinator/budget/contracts', { ...flat, 'm.1.amount': '1500' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('The milestones must add up exactly to the contract’s value');
    const made = await coord.post('/coordinator/budget/contracts', flat);
    expect(made.status).toBe(303);
    const href = made.headers.get('location')!.split('?')[0]!;
    const id = href.split('/').pop()!;
    expect((await coord.post(`${href}/sign`, {})).status).toBe(303);
    const v = await contractView(db, s.tenant.id, id);
    const req = await coord.post(`${href}/payments`, { idempotencyKey: token(), milestoneId: v.milestones[0]!.id, amount: '1000', note: 'Invoice 1' });
    expect(req.status).toBe(303);
    const paymentId = (await contractView(db, s.tenant.id, id)).payments[0]!.id;
    // The requester's own approval, in Polish and in English.
    coord.cookies.set('lang', 'pl');
    const ownPl = await coord.post(`${href}/payments/${paymentId}/approve`, { idempotencyKey: token() });
    expect(ownPl.status).toBe(403);
    expect(await ownPl.text()).toContain('Nie możesz zatwierdzić własnego zlecenia płatności.');
    coord.cookies.set('lang', 'en');
    const own = await coord.post(`${href}/payments/${paymentId}/approve`, { idempotencyKey: token() });
    expect(await own.text()).toContain('You cannot approve a payment you requested.');
    const treasurer = new TestClient(app, s.host);
    treasurer.cookies.set('pm_session', s.boardM.cookie);
    const page = await treasurer.get(href);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`/payments/${paymentId}/approve`);
    const approveKey = token();
    expect((await treasurer.post(`${href}/payments/${paymentId}/approve`, { idempotencyKey: approveKey })).status).toBe(303);
    // A retried POST returns the first result.
    expect((await treasurer.post(`${href}/payments/${paymentId}/approve`, { idempotencyKey: approveKey })).status).toBe(303);
    const twice = await treasurer.post(`${href}/payments/${paymentId}/approve`, { idempotencyKey: token() });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('This payment is already approved');
    expect((await counts(db, s.tenant.id)).approved).toBe(1);
    // A board member cannot draw up or sign contracts; a parent sees none of the coordinator pages.
    expect((await treasurer.get('/coordinator/budget/contracts/new')).status).toBe(403);
    const parentM = await buildMember(db, s.tenant.id);
    const parent = new TestClient(app, s.host);
    parent.cookies.set('pm_session', parentM.cookie);
    expect((await parent.get(href)).status).toBe(403);
    // Public pages: provider, value, milestones, paid so far, indicators; roles, not names.
    const anon = new TestClient(app, s.host);
    const pub = await anon.get(`/budget/contracts/${id}`);
    expect(pub.status).toBe(200);
    const html = await pub.text();
    expect(html).toContain('Home-Start Corby');
    expect(html).toContain('£1,000');
    expect(html).toContain('requested by a coordinator, approved by a board member');
    expect(html).not.toContain(s.coordM.member.name);
    expect(html).not.toContain(s.boardM.member.name);
    expect(html).not.toContain('Invoice 1');
    const all = await anon.get('/budget/contracts');
    expect(await all.text()).toContain(`/budget/contracts/${id}`);
    expect(await (await anon.get('/budget')).text()).toContain('/budget/contracts');
    expect(await (await anon.get(`/budget/rounds/${s.roundId}`)).text()).toContain('/budget/contracts');
    // Drafts are not public; other tenants' ids are not found.
    const draft = await createContract(db, s.coord, contractForm(s.toys, { value: '4000', 'm.1.amount': '3000' }));
    expect((await anon.get(`/budget/contracts/${draft}`)).status).toBe(404);
    const other = await buildTenant(db);
    expect((await new TestClient(app, other.host).get(`/budget/contracts/${id}`)).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------
// Kill the process mid-approval and retry (SECURITY.md 25), in the style of
// src/server/idempotency-crash.test.ts: a child process approves the payment and is killed with
// SIGKILL inside the approval's transaction, after every write and before the commit.

const CHILD = path.resolve(import.meta.dirname, 'contracts-crash-child.ts');
const pgUrl = process.env.TEST_DATABASE_URL;

function runChild(env: Record<string, string>): { child: ChildProcess; says: (line: string) => Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  const feed = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.filter((x) => out.includes(x.line))) w.resolve();
  };
  child.stdout?.on('data', feed);
  child.stderr?.on('data', feed);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const says = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(line)) return resolve();
      waiters.push({ line, resolve });
      void exited.then(() => (out.includes(line) ? resolve() : reject(new Error(`child exited before "${line}": ${out}`))));
    });
  return { child, says, exited };
}

describe(`payment approval after kill -9 mid-transaction (${pgUrl ? 'postgres' : 'pglite'})`, () => {
  it('leaves exactly one payment and one ledger entry after the retry, and the ledger adds up', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-pay-'));
    const store = pgUrl ? { url: pgUrl, poolSize: 2 } : { dataDir };
    const env: Record<string, string> = pgUrl ? { DATABASE_URL: pgUrl } : { DATA_DIR: dataDir };
    let setup = await openDatabase(store);
    await runMigrations(setup);
    const s = await publishedRound(setup.db);
    const k = await signedContract(setup.db, s);
    const req = await requestPayment(setup.db, s.coord, k.id, { idempotencyKey: token(), milestoneId: k.m0, amount: '1000' });
    const approveKey = token();
    const args = { TENANT: s.tenant.id, CONTRACT: k.id, PAYMENT: req.id, APPROVER: s.boardM.member.id, KEY: approveKey };
    await setup.close();

    // 1. The approval runs in a child process, which is killed before its transaction commits.
    const hanging = runChild({ ...env, ...args, CRASH_HANG: '1' });
    await hanging.says('approval written');
    hanging.child.kill('SIGKILL');
    await hanging.exited;

    // 2. Nothing of the approval survived: the payment still waits, no ledger payment.
    setup = await openDatabase(store);
    try {
      const db = setup.db;
      const after = await counts(db, s.tenant.id);
      expect(after).toMatchObject({ approved: 0, requested: 1 });
      expect((await db.select().from(commLedger).where(and(eq(commLedger.tenantId, s.tenant.id), eq(commLedger.kind, 'payment')))).length).toBe(0);
      await setup.close();

      // 3. The retry (same form token) completes in a new process; a second retry replays.
      const retry = runChild({ ...env, ...args });
      await retry.says('approved replayed=false');
      expect(await retry.exited).toBe(0);
      const again = runChild({ ...env, ...args });
      await again.says('approved replayed=true');
      expect(await again.exited).toBe(0);

      setup = await openDatabase(store);
      const final = await counts(setup.db, s.tenant.id);
      expect(final).toMatchObject({ approved: 1, requested: 0, payments: 1 });
      const entries = await setup.db.select().from(commLedger).where(and(eq(commLedger.tenantId, s.tenant.id), eq(commLedger.kind, 'payment')));
      expect(entries.map((e) => [e.idempotencyKey, e.amountPence])).toEqual([[`payment:${req.id}`, 100_000]]);
      expect(await ledgerProblems(setup.db, s.tenant.id)).toEqual([]);
    } finally {
      await setup.close().catch(() => undefined);
    }
  }, 180_000);
});
