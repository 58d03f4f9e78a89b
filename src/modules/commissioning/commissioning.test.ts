// Issue 13 items 1–6: pots and the ledger, proposals, rounds with frozen rules, secret ballots,
// counting and publishing, board ratification.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { AppError } from '../../server/errors.ts';
import { auditLog } from '../audit/schema.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { referenceKind } from '../governance/api-decisions.ts';
import { runPbCommand } from '../voting/cli.ts';
import { metaValue } from '../voting/instance.ts';
import { parsePb } from '../voting/pabulib.ts';
import { ballotRef, castBallot, receiptHash } from './ballots.ts';
import { closeAndCount, explainReceipt, explainRound, type RoundResult } from './counting.ts';
import { addLedgerEntryIn, createPot, ledgerProblems, potBalance, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility, visibleProposal } from './proposals.ts';
import { conflictedMembers, onRoundDecided } from './ratify.ts';
import { advanceRound, createRound, getRound, updateRound } from './rounds.ts';
import { commBallotBox, commBallots, commLedger, commVoters } from './schema.ts';
import type { Tx } from '../../db/connection.ts';

let keyN = 0;
const key = () => `test-${++keyN}-${Math.random().toString(36).slice(2, 12)}`;

async function setup() {
  const { app, deps } = await testApp();
  const database = deps.database;
  const db = database.db;
  const { tenant, host } = await buildTenant(db);
  const actorOf = (m: { member: { id: string } }, roles: Role[]): Actor => ({ memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  const coordM = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const coord = actorOf(coordM, ['coordinator']);
  const potId = await createPot(db, coord, { name: 'Early years', financialYear: '2026-27', source: 'devolved_budget' });
  await recordIncome(db, coord, { potId, amount: '100000', idempotencyKey: key() });
  return { app, deps, database, db, tenant, host, actorOf, coord, coordM, potId };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A round with eligible proposals (costs in pounds), opened for voting unless `open` is false. */
async function votingRound(s: Setup, costs: number[], rules: Record<string, string> = {}, open = true) {
  const roundId = await createRound(s.db, s.coord, { title: 'Spring round', potId: s.potId, budget: '10000', ballotType: 'approval', maxChoices: '3', rule: 'mes', completion: 'add1_utilitarian', ...rules });
  const ids: string[] = [];
  for (const [i, cost] of costs.entries()) {
    const id = await createProposal(s.db, s.coord, { title: `Proposal ${i + 1}`, summary: 'Something for families with under-fives.', cost: String(cost), roundId });
    await decideEligibility(s.db, s.coord, id, { decision: 'eligible', reason: 'It fits the aims and the budget.' });
    ids.push(id);
  }
  if (open) {
    await advanceRound(s.db, s.coord, roundId, 'review');
    await advanceRound(s.db, s.coord, roundId, 'voting');
  }
  return { roundId, ids };
}

async function voters(s: Setup, n: number, opts: { wardCode?: string } = {}) {
  const out: Actor[] = [];
  for (let i = 0; i < n; i++) out.push(s.actorOf(await buildMember(s.db, s.tenant.id, opts), []));
  return out;
}

describe(`commissioning (${storeName()})`, { timeout: 180_000 }, () => {
  describe('pots and the ledger', () => {
    it('adds up per pot: allocations within funds, commitments within allocations, payments within commitments', async () => {
      const s = await setup();
      await s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { potId: s.potId, kind: 'allocation', amountPence: 4_000_000, idempotencyKey: key() }));
      await s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { potId: s.potId, kind: 'commitment', amountPence: 1_000_000, idempotencyKey: key() }));
      await s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { potId: s.potId, kind: 'payment', amountPence: 250_000, idempotencyKey: key() }));
      expect(await potBalance(s.db, s.tenant.id, s.potId)).toEqual({ funds: 10_000_000, allocated: 4_000_000, committed: 1_000_000, spent: 250_000, left: 6_000_000 });
      const over = await refusal(s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { potId: s.potId, kind: 'allocation', amountPence: 6_000_001, idempotencyKey: key() })));
      expect(over.key).toBe('comm.error.over.allocation');
      expect((await refusal(s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { potId: s.potId, kind: 'payment', amountPence: 750_001, idempotencyKey: key() })))).key).toBe('comm.error.over.payment');
      expect((await refusal(s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { potId: s.potId, kind: 'commitment', amountPence: 3_000_001, idempotencyKey: key() })))).key).toBe('comm.error.over.commitment');
      expect(await ledgerProblems(s.db, s.tenant.id)).toEqual([]);
    });

    it('is idempotent by key: a replay returns the first entry, other content under the key is a conflict', async () => {
      const s = await setup();
      const k = key();
      const entry = { potId: s.potId, kind: 'allocation' as const, amountPence: 5000, idempotencyKey: k };
      const a = await s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, entry));
      const b = await s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, entry));
      expect(b).toEqual({ id: a.id, replayed: true });
      expect((await refusal(s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { ...entry, amountPence: 6000 })))).code).toBe('idempotency_conflict');
      const rows = await s.db.select().from(commLedger).where(and(eq(commLedger.tenantId, s.tenant.id), eq(commLedger.kind, 'allocation')));
      expect(rows).toHaveLength(1);
      const audits = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'comm.ledger.allocation')));
      expect(audits.map((x) => x.entityId)).toEqual([a.id]);
    });

    it('never over-allocates under concurrency: 30 allocations of £5,000 against £100,000 → exactly 20, and the check query finds nothing', async () => {
      const s = await setup();
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => s.db.transaction((tx) => addLedgerEntryIn(tx, s.tenant.id, s.coord.memberId, { potId: s.potId, kind: 'allocation', amountPence: 500_000, idempotencyKey: key() }))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).key).toBe('comm.error.over.allocation');
      expect((await potBalance(s.db, s.tenant.id, s.potId)).left).toBe(0);
      expect(await ledgerProblems(s.db, s.tenant.id)).toEqual([]);
    });

    it('refuses bad amounts and other roles, storing nothing', async () => {
      const s = await setup();
      const member = s.actorOf(await buildMember(s.db, s.tenant.id), []);
      expect((await refusal(recordIncome(s.db, member, { potId: s.potId, amount: '10', idempotencyKey: key() }))).code).toBe('forbidden');
      for (const amount of ['0', '-5', 'ten', '1.234', '']) expect((await refusal(recordIncome(s.db, s.coord, { potId: s.potId, amount, idempotencyKey: key() }))).fields[0]?.message).toBe('comm.error.amount');
      expect((await potBalance(s.db, s.tenant.id, s.potId)).funds).toBe(10_000_000);
      expect((await refusal(createPot(s.db, s.coord, { name: 'X', financialYear: '2026-28', source: 'grant' }))).fields[0]?.message).toBe('comm.error.year');
    });
  });

  describe('proposals', () => {
    it('takes proposals from members; a coordinator decides eligibility with a reason the proposer sees (audited)', async () => {
      const s = await setup();
      const parent = s.actorOf(await buildMember(s.db, s.tenant.id), []);
      const bad = await refusal(createProposal(s.db, parent, { title: 'x', summary: 'short', cost: '0' }));
      expect(bad.fields.map((f) => f.message).sort()).toEqual(['comm.error.cost', 'comm.error.summary', 'comm.error.title']);
      const id = await createProposal(s.db, parent, { title: 'Dads’ group', summary: 'A Saturday group for dads and under-fives.', cost: '1,250.50', indicators: ['M2', 'M3'] });
      expect((await refusal(decideEligibility(s.db, parent, id, { decision: 'eligible', reason: 'Looks good to me.' }))).code).toBe('forbidden');
      expect((await refusal(decideEligibility(s.db, s.coord, id, { decision: 'ineligible', reason: '' }))).fields[0]?.message).toBe('comm.error.reason');
      await decideEligibility(s.db, s.coord, id, { decision: 'ineligible', reason: 'The council already funds this service.' });
      const seen = await visibleProposal(s.db, parent, id);
      expect(seen).toMatchObject({ costPence: 125_050, eligibility: 'ineligible', eligibilityReason: 'The council already funds this service.', indicators: ['M2', 'M3'] });
      const other = s.actorOf(await buildMember(s.db, s.tenant.id), []);
      expect((await refusal(visibleProposal(s.db, other, id))).code).toBe('not_found');
      const audits = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'comm.proposal.eligibility')));
      expect(audits).toHaveLength(1);
    });
  });

  describe('rounds', () => {
    it('freezes the rules once voting opens: the service refuses with the reason, and so does the database', async () => {
      const s = await setup();
      const { roundId, ids } = await votingRound(s, [1000, 2000]);
      const r = await refusal(updateRound(s.db, s.coord, roundId, { title: 'Spring round', potId: s.potId, budget: '10000', ballotType: 'approval', maxChoices: '3', rule: 'greedy', completion: 'none' }));
      expect(r.key).toBe('comm.error.frozen');
      await expect(s.database.query(`UPDATE comm_rounds SET rule = 'greedy', completion = 'none' WHERE tenant_id = $1 AND id = $2`, [s.tenant.id, roundId])).rejects.toThrow(/frozen/);
      await expect(s.database.query(`UPDATE comm_rounds SET frozen = false WHERE tenant_id = $1 AND id = $2`, [s.tenant.id, roundId])).rejects.toThrow(/frozen|comm_rounds_frozen/);
      await expect(s.database.query(`UPDATE comm_proposals SET cost_pence = 1 WHERE tenant_id = $1 AND id = $2`, [s.tenant.id, ids[0]])).rejects.toThrow(/frozen/);
      expect((await getRound(s.db, s.tenant.id, roundId)).rule).toBe('mes');
    });

    it('needs an eligible proposal within the budget to open voting, and moves phase by phase', async () => {
      const s = await setup();
      const { roundId } = await votingRound(s, [], {}, false);
      expect((await refusal(advanceRound(s.db, s.coord, roundId, 'voting'))).key).toBe('comm.error.phase');
      await advanceRound(s.db, s.coord, roundId, 'review');
      expect((await refusal(advanceRound(s.db, s.coord, roundId, 'voting'))).key).toBe('comm.error.noProposals');
    });
  });

  describe('secret ballots', () => {
    it('keeps the register and the ballots apart: no member id, no time, random v4 id, receipt hash only', async () => {
      const s = await setup();
      const { roundId, ids } = await votingRound(s, [3000, 4000, 5000]);
      const [v] = await voters(s, 1);
      const { receiptCode } = await castBallot(s.db, v!, roundId, { choose: [ids[0]!, ids[1]!] });
      expect(receiptCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
      const cols = await s.database.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'comm_ballots' ORDER BY 1`);
      expect(cols.map((c) => c.column_name)).toEqual(['choices', 'id', 'is_demo', 'receipt_hash', 'round_id', 'tenant_id']);
      const vcols = await s.database.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'comm_voters' ORDER BY 1`);
      expect(vcols.map((c) => c.column_name)).toEqual(['is_demo', 'member_id', 'round_id', 'tenant_id']);
      const [box] = await s.db.select().from(commBallotBox).where(eq(commBallotBox.roundId, roundId));
      for (const x of [v!.memberId, receiptCode, receiptHash(roundId, receiptCode), ids[0]!]) expect(JSON.stringify(box)).not.toContain(x);
      await closeAndCount(s.db, s.coord, roundId, s.tenant.name, { vacuum: false });
      const [ballot] = await s.db.select().from(commBallots).where(eq(commBallots.roundId, roundId));
      expect(ballot?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(ballot?.id).not.toBe(box?.id);
      expect(ballot?.receiptHash).toBe(receiptHash(roundId, receiptCode));
      expect(JSON.stringify(ballot)).not.toContain(v!.memberId);
      expect(JSON.stringify(ballot)).not.toContain(receiptCode);
      const audits = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.entityId, roundId)));
      expect(JSON.stringify(audits)).not.toContain(ballot!.id);
      expect(JSON.stringify(audits)).not.toContain(v!.memberId);
    });

    it('refuses a second ballot, over the budget, over the maximum, outside voting and in another ward’s round', async () => {
      const s = await setup();
      const { roundId, ids } = await votingRound(s, [3000, 4000, 5000, 500]);
      const [a, b] = await voters(s, 2);
      expect((await refusal(castBallot(s.db, a!, roundId, { choose: ids }))).fields.map((f) => f.message).sort()).toEqual(['comm.error.overBudget', 'comm.error.overMax']);
      expect((await refusal(castBallot(s.db, a!, roundId, { choose: [ids[0]!, ids[1]!, ids[2]!] }))).fields[0]?.message).toBe('comm.error.overBudget');
      expect((await refusal(castBallot(s.db, a!, roundId, {}))).fields[0]?.message).toBe('comm.error.noChoice');
      await castBallot(s.db, a!, roundId, { choose: [ids[0]!] });
      expect((await refusal(castBallot(s.db, a!, roundId, { choose: [ids[1]!] }))).key).toBe('comm.error.alreadyVoted');
      const ward = await votingRound(s, [1000], { wardId: (await s.database.query<{ id: string }>(`SELECT w.id FROM wards w JOIN areas a ON a.tenant_id = w.tenant_id AND a.current_ward_set_id = w.ward_set_id WHERE w.tenant_id = $1 AND w.code = 'E05010264'`, [s.tenant.id]))[0]!.id });
      expect((await refusal(castBallot(s.db, b!, ward.roundId, { choose: ward.ids }))).key).toBe('comm.error.otherWard');
      const [inWard] = await voters(s, 1, { wardCode: 'E05010264' });
      await castBallot(s.db, inWard!, ward.roundId, { choose: ward.ids });
      const closed = await votingRound(s, [1000], {}, false);
      expect((await refusal(castBallot(s.db, b!, closed.roundId, { choose: closed.ids }))).key).toBe('comm.error.notVoting');
      await expect(s.database.query(`INSERT INTO comm_ballots (tenant_id, round_id, id, choices, receipt_hash) VALUES ($1, $2, gen_random_uuid(), '[]', 'x')`, [s.tenant.id, closed.roundId])).rejects.toThrow(/not open for voting/);
      const n = await s.db.select().from(commBallotBox).where(eq(commBallotBox.tenantId, s.tenant.id));
      expect(n).toHaveLength(2);
    });

    it('one member, one vote: 100 concurrent attempts by one member → exactly one ballot and one register row', async () => {
      const s = await setup();
      const { roundId, ids } = await votingRound(s, [3000, 4000]);
      const [v] = await voters(s, 1);
      const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => castBallot(s.db, v!, roundId, { choose: [ids[i % 2]!] })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).key).toBe('comm.error.alreadyVoted');
      expect(await s.db.select().from(commBallotBox).where(and(eq(commBallotBox.tenantId, s.tenant.id), eq(commBallotBox.roundId, roundId)))).toHaveLength(1);
      expect(await s.db.select().from(commVoters).where(and(eq(commVoters.tenantId, s.tenant.id), eq(commVoters.roundId, roundId)))).toHaveLength(1);
    });
  });

  describe('counting, publishing and ratification', () => {
    async function counted(s: Setup, rules: Record<string, string> = {}) {
      const round = await votingRound(s, [4000, 3000, 2500, 2000, 1500], { budget: '8000', ...rules });
      const vs = await voters(s, 12);
      const codes: string[] = [];
      for (const [i, v] of vs.entries()) {
        const pick = i < 7 ? [round.ids[0]!] : i < 10 ? [round.ids[1]!, round.ids[2]!] : [round.ids[3]!, round.ids[4]!];
        if (rules.ballotType === 'points') {
          const form: Record<string, string> = {};
          pick.forEach((p, k) => (form[`points.${p}`] = String(k + 1)));
          codes.push((await castBallot(s.db, v, round.roundId, form)).receiptCode);
        } else codes.push((await castBallot(s.db, v, round.roundId, { choose: pick })).receiptCode);
      }
      const result = await closeAndCount(s.db, s.coord, round.roundId, s.tenant.name);
      return { ...round, result, codes, voters: vs };
    }

    it('publishes the ballots as a .pb (META rule and parameters, no time, receipt refs) and `pb count` with META reproduces the result', async () => {
      const cases: Array<Record<string, string>> = [{}, { rule: 'greedy', completion: 'none' }, { ballotType: 'points', maxChoices: '', totalPoints: '10' }];
      for (const rules of cases) {
        const s = await setup();
        const { roundId, result, codes } = await counted(s, rules);
        const round = await getRound(s.db, s.tenant.id, roundId);
        expect(round.phase).toBe('ratification');
        const pb = round.ballotsPb ?? '';
        const inst = parsePb(pb);
        expect(inst.ballots).toHaveLength(12);
        expect(metaValue(inst, 'budget')).toBe('800000');
        expect(pb).not.toMatch(/\d{4}-\d{2}-\d{2}T|\d\d:\d\d/);
        expect(new Set(inst.ballots.map((b) => b.voterId))).toEqual(new Set(codes.map((c) => ballotRef(receiptHash(roundId, c)))));
        const flags = (metaValue(inst, 'pm_count_flags') ?? '').split(' ');
        const { mkdtempSync, writeFileSync } = await import('node:fs');
        const dir = mkdtempSync('/tmp/pb-');
        writeFileSync(`${dir}/ballots.pb`, pb);
        let out = '';
        expect(await runPbCommand(['count', `${dir}/ballots.pb`, ...flags, '--json'], (x) => (out += x))).toBe(0);
        expect((JSON.parse(out) as { winners: string[] }).winners).toEqual(result.winners);
        expect(result.winners.length).toBeGreaterThan(0);
        const res = await s.app.request(`/budget/rounds/${roundId}/result.json`, { headers: { host: s.host } });
        expect(((await res.json()) as RoundResult).winners).toEqual(result.winners);
      }
    });

    it('explains the result and where a voter’s share went from their receipt code', async () => {
      const s = await setup();
      const { roundId, codes } = await counted(s);
      const round = await getRound(s.db, s.tenant.id, roundId);
      const ex = explainRound(round)!;
      expect(ex.projects).toHaveLength(5);
      const mine = explainReceipt(round, ex, codes[0]!.toLowerCase().replace(/-/g, ' '));
      expect(mine?.choices).toHaveLength(1);
      expect(mine?.share).toBeDefined();
      expect(explainReceipt(round, ex, 'AAAA-BBBB-CCCC-DDDD-EEEE')).toBeUndefined();
      const client = new TestClient(s.app, s.host);
      const page = await client.get(`/budget/rounds/${roundId}`);
      const html = await page.text();
      expect(html).toContain(`/budget/rounds/${roundId}/ballots.pb`);
      expect(html).toContain(`/budget/rounds/${roundId}/result.json`);
      const found = await client.post(`/budget/rounds/${roundId}/receipt`, { code: codes[0]! });
      expect(await found.text()).toContain('Your ballot is in the published list');
    });

    it('the decision on a round publishes it and allocates the funded costs (or sends it back)', async () => {
      const s = await setup();
      const { roundId, result } = await counted(s);
      expect(await conflictedMembers(s.db, s.tenant.id, roundId)).toEqual([]);
      const kind = referenceKind('budget_round');
      expect(kind?.onDecided).toBe(onRoundDecided);
      const decision = { motionId: '00000000-0000-4000-8000-000000000001', decidedOn: '2026-11-30', outcome: 'carried' as const, votesFor: 4, votesAgainst: 1, abstentions: 0, conflicted: 0, decisionNumber: 7 };
      await s.db.transaction((tx) => kind!.onDecided!(tx as unknown as Tx, s.tenant.id, roundId, decision));
      await s.db.transaction((tx) => kind!.onDecided!(tx as unknown as Tx, s.tenant.id, roundId, decision));
      expect((await getRound(s.db, s.tenant.id, roundId)).phase).toBe('published');
      const b = await potBalance(s.db, s.tenant.id, s.potId);
      expect(b.allocated).toBe(result.totalCostPence);
      expect(await ledgerProblems(s.db, s.tenant.id)).toEqual([]);
      const back = await counted(s);
      await s.db.transaction((tx) => onRoundDecided(tx as unknown as Tx, s.tenant.id, back.roundId, { ...decision, outcome: 'not_carried' }));
      expect((await getRound(s.db, s.tenant.id, back.roundId)).phase).toBe('review');
      expect((await potBalance(s.db, s.tenant.id, s.potId)).allocated).toBe(result.totalCostPence);
    });
  });

  describe('ballot page (HTTP)', () => {
    it('shows the running cost, re-checks on the server, and gives a receipt once', async () => {
      const s = await setup();
      const { roundId, ids } = await votingRound(s, [6000, 5000]);
      const voter = await buildMember(s.db, s.tenant.id);
      const client = new TestClient(s.app, s.host);
      client.cookies.set('pm_session', voter.cookie);
      const page = await client.get(`/budget/rounds/${roundId}/vote`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Your choices cost £0 of the £10,000 budget.');
      const check = await client.post(`/budget/rounds/${roundId}/vote`, { choose: ids[0]!, action: 'check' });
      expect(await check.text()).toContain('Your choices cost £6,000 of the £10,000 budget.');
      const over = new URLSearchParams();
      const res = await client.post(`/budget/rounds/${roundId}/vote`, Object.fromEntries([...over]));
      expect(res.status).toBe(400);
      const both = await s.app.request(`/budget/rounds/${roundId}/vote`, {
        method: 'POST',
        headers: { host: s.host, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${encodeURIComponent(client.csrf())}&choose=${ids[0]}&choose=${ids[1]}&action=cast`,
      });
      expect(both.status).toBe(400);
      expect(await both.text()).toContain('Your choices cost more than the budget');
      const cast = await client.post(`/budget/rounds/${roundId}/vote`, { choose: ids[1]!, action: 'cast' });
      expect(cast.status).toBe(200);
      expect(await cast.text()).toMatch(/receipt-code" id="receipt-code">[0-9A-Z-]{24}</);
      expect((await client.get(`/budget/rounds/${roundId}/vote`)).status).toBe(409);
      const budget = await client.get('/budget');
      expect(await budget.text()).toContain(`/budget/rounds/${roundId}`);
    });

    it('a round closed after a voter opened the ballot is refused at once, though the ballot page keeps rounds in voting for a few seconds', async () => {
      const s = await setup();
      const { roundId, ids } = await votingRound(s, [6000, 5000]);
      const signIn = async (round: string) => {
        const m = await buildMember(s.db, s.tenant.id);
        const client = new TestClient(s.app, s.host);
        client.cookies.set('pm_session', m.cookie);
        expect((await client.get(`/budget/rounds/${round}/vote`)).status).toBe(200);
        return client;
      };
      // Closed by this process: the round is forgotten when the close commits.
      const early = await signIn(roundId);
      await closeAndCount(s.db, s.coord, roundId, s.tenant.name, { vacuum: false });
      expect((await early.get(`/budget/rounds/${roundId}/vote`)).status).toBe(409);
      const refused = await early.post(`/budget/rounds/${roundId}/vote`, { choose: ids[0]!, action: 'cast' });
      expect(refused.status).toBe(409);
      expect(await refused.text()).toContain('This round is not open for voting.');
      // Closed by another process (here: the phase changed under this one's cache): the page may
      // still show the ballot, but the vote's own statement sees the phase and writes nothing.
      const other = await votingRound(s, [6000]);
      const late = await signIn(other.roundId);
      await s.database.query(`UPDATE comm_rounds SET phase = 'counting' WHERE tenant_id = $1 AND id = $2`, [s.tenant.id, other.roundId]);
      const stale = await late.post(`/budget/rounds/${other.roundId}/vote`, { choose: other.ids[0]!, action: 'cast' });
      expect(stale.status).toBe(409);
      expect(await stale.text()).toContain('This round is not open for voting.');
      const written = await s.db.select().from(commVoters).where(and(eq(commVoters.tenantId, s.tenant.id), eq(commVoters.roundId, other.roundId)));
      expect(written).toHaveLength(0);
    });
  });
});
