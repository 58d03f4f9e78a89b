// Issue 13 item 8: the mutual commissioned by others — brief, price, deliverables, status, income to a pot.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { AppError } from '../../server/errors.ts';
import { auditLog } from '../audit/schema.ts';
import { collectMemberData, eraseIn } from '../membership/data-rights.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { commissionsEn, commissionsPl } from './i18n-commissions.ts';
import {
  addDeliverable,
  changeCommissionStatus,
  contactExportFor,
  createCommission,
  deliverablesOf,
  getCommission,
  incomeOf,
  markDelivered,
  recordCommissionIncome,
  retainCommissionContacts,
  updateCommission,
} from './commissions.ts';
import { clearCommissionsDemo, loadCommissionsDemo } from './demo-commissions.ts';
import { createPot, ledgerProblems, potBalance } from './ledger.ts';
import { commLedger } from './schema.ts';
import { commCommissions, commDeliverables } from './schema-commissions.ts';

let keyN = 0;
const token = () => `tok-${++keyN}-${Math.random().toString(36).slice(2, 12)}`;

async function setup() {
  const { app, deps } = await testApp();
  const database = deps.database;
  const db = database.db;
  const { tenant, host } = await buildTenant(db);
  const actorOf = (m: { member: { id: string } }, roles: Role[]): Actor => ({ memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  const coordM = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const coord = actorOf(coordM, ['coordinator']);
  const potId = await createPot(db, coord, { name: 'Income from commissions', financialYear: '2026-27', source: 'commission_income' });
  return { app, deps, database, db, tenant, host, actorOf, coord, coordM, potId };
}

type Setup = Awaited<ReturnType<typeof setup>>;

const BASE = {
  title: 'Ward intelligence summary',
  brief: 'Street champions gather what families say about needs in each ward.',
  commissionerKind: 'childrens_centre',
  commissionerName: 'Lodge Park Children’s Centre',
  contactName: 'Alex Contact',
  contactEmail: 'alex.contact@example.org',
  price: '4800',
  startsOn: '2026-09-01',
  endsOn: '2027-03-31',
};

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function commissionCount(s: Setup): Promise<number> {
  const [r] = await s.db.select({ n: sql<number>`count(*)::int` }).from(commCommissions).where(eq(commCommissions.tenantId, s.tenant.id));
  return r?.n ?? 0;
}

async function ledgerCount(s: Setup): Promise<number> {
  const [r] = await s.db.select({ n: sql<number>`count(*)::int` }).from(commLedger).where(eq(commLedger.tenantId, s.tenant.id));
  return r?.n ?? 0;
}

/** A commission moved to `agreed` (through quoted) with the given deliverables. */
async function agreed(s: Setup, deliverables: string[] = ['Autumn summary'], form: Record<string, string> = {}) {
  const id = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId, ...form });
  const ids: string[] = [];
  for (const title of deliverables) ids.push(await addDeliverable(s.db, s.coord, id, { deliverableTitle: title, dueOn: '2026-11-30' }));
  await changeCommissionStatus(s.db, s.coord, id, { to: 'quoted' });
  await changeCommissionStatus(s.db, s.coord, id, { to: 'agreed' });
  return { id, deliverableIds: ids };
}

describe(`commissions to the mutual (${storeName()})`, { timeout: 180_000 }, () => {
  describe('status', () => {
    it('moves enquiry → quoted → agreed → in progress → delivered → closed, each change audited without the contact', async () => {
      const s = await setup();
      const { id, deliverableIds } = await agreed(s, ['Autumn summary', 'Spring summary']);
      await changeCommissionStatus(s.db, s.coord, id, { to: 'in_progress' });
      // Delivered only when every deliverable is.
      let err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'delivered' }));
      expect(err.code).toBe('conflict');
      expect(err.key).toBe('comm.commission.error.notAllDelivered');
      await markDelivered(s.db, s.coord, id, { deliverableId: deliverableIds[0]!, deliveredNote: 'Sent', link: '/intelligence' });
      err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'delivered' }));
      expect(err.key).toBe('comm.commission.error.notAllDelivered');
      expect((await getCommission(s.db, s.tenant.id, id)).status).toBe('in_progress');
      await markDelivered(s.db, s.coord, id, { deliverableId: deliverableIds[1]!, link: 'https://example.org/report' });
      await changeCommissionStatus(s.db, s.coord, id, { to: 'delivered' });
      await changeCommissionStatus(s.db, s.coord, id, { to: 'closed' }, new Date('2027-04-02T10:00:00Z'));
      const row = await getCommission(s.db, s.tenant.id, id);
      expect(row.status).toBe('closed');
      expect(row.agreedAt).not.toBeNull();
      expect(row.endedAt?.toISOString()).toBe('2027-04-02T10:00:00.000Z');
      const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.entity, 'comm_commission'), eq(auditLog.entityId, id)));
      const moves = audit.filter((a) => a.action === 'comm.commission.status').map((a) => a.data as { from: string; to: string });
      expect(moves).toEqual([
        { from: 'enquiry', to: 'quoted' },
        { from: 'quoted', to: 'agreed' },
        { from: 'agreed', to: 'in_progress' },
        { from: 'in_progress', to: 'delivered' },
        { from: 'delivered', to: 'closed' },
      ]);
      expect(JSON.stringify(audit.map((a) => a.data))).not.toMatch(/alex/i);
      // An ended commission's status does not change any more, with a reason.
      err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'cancelled' }));
      expect(err.key).toBe('comm.commission.error.ended');
    });

    it('refuses unknown and skipped moves with a reason, and a delivery with no deliverables', async () => {
      const s = await setup();
      const id = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId });
      let err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'paid' }));
      expect(err.code).toBe('validation_failed');
      expect(err.fields).toEqual([{ field: 'to', message: 'comm.commission.error.status' }]);
      err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'delivered' }));
      expect(err.key).toBe('comm.commission.error.move');
      err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'in_progress' }));
      expect(err.key).toBe('comm.commission.error.move');
      await changeCommissionStatus(s.db, s.coord, id, { to: 'quoted' });
      await changeCommissionStatus(s.db, s.coord, id, { to: 'agreed' });
      await changeCommissionStatus(s.db, s.coord, id, { to: 'in_progress' });
      err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'delivered' }));
      expect(err.key).toBe('comm.commission.error.noDeliverables');
      expect((await getCommission(s.db, s.tenant.id, id)).status).toBe('in_progress');
      // Declining is possible before agreement only; cancelling keeps the reason.
      err = await refusal(changeCommissionStatus(s.db, s.coord, id, { to: 'declined' }));
      expect(err.key).toBe('comm.commission.error.move');
      await changeCommissionStatus(s.db, s.coord, id, { to: 'cancelled', statusNote: 'The centre’s funding ended.' });
      expect((await getCommission(s.db, s.tenant.id, id)).statusNote).toBe('The centre’s funding ended.');
    });

    it('details change while an enquiry or quoted, audited; once agreed they are fixed', async () => {
      const s = await setup();
      const id = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId });
      await updateCommission(s.db, s.coord, id, { ...BASE, potId: s.potId, price: '5200', endsOn: '2027-06-30' });
      expect((await getCommission(s.db, s.tenant.id, id)).pricePence).toBe(520_000);
      let err = await refusal(updateCommission(s.db, s.coord, id, { ...BASE, potId: s.potId, price: '0' }));
      expect(err.fields).toContainEqual({ field: 'price', message: 'comm.commission.error.price' });
      await changeCommissionStatus(s.db, s.coord, id, { to: 'quoted' });
      await changeCommissionStatus(s.db, s.coord, id, { to: 'agreed' });
      err = await refusal(updateCommission(s.db, s.coord, id, { ...BASE, potId: s.potId, price: '100' }));
      expect(err.key).toBe('comm.commission.error.notEditable');
      const row = await getCommission(s.db, s.tenant.id, id);
      expect([row.pricePence, row.endsOn]).toEqual([520_000, '2027-06-30']);
      const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'comm.commission.update')));
      expect(audit).toHaveLength(1);
    });

    it('only coordinators manage commissions', async () => {
      const s = await setup();
      const parent = s.actorOf(await buildMember(s.db, s.tenant.id), []);
      const err = await refusal(createCommission(s.db, parent, { ...BASE, potId: s.potId }));
      expect(err.code).toBe('forbidden');
      expect(await commissionCount(s)).toBe(0);
    });
  });

  describe('deliverables', () => {
    it('are added while planned, marked delivered with a note or a link once agreed, once, and only on their commission', async () => {
      const s = await setup();
      const id = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId });
      const d = await addDeliverable(s.db, s.coord, id, { deliverableTitle: 'Autumn summary', dueOn: '2026-11-30' });
      // Not before agreement.
      let err = await refusal(markDelivered(s.db, s.coord, id, { deliverableId: d }));
      expect(err.key).toBe('comm.commission.error.notWorking');
      await changeCommissionStatus(s.db, s.coord, id, { to: 'quoted' });
      await changeCommissionStatus(s.db, s.coord, id, { to: 'agreed' });
      // A link must be a page of the site or https.
      for (const link of ['javascript:alert(1)', '//evil.example', '/\\evil.example', 'http://plain.example']) {
        err = await refusal(markDelivered(s.db, s.coord, id, { deliverableId: d, link }));
        expect(err.fields, link).toEqual([{ field: 'link', message: 'comm.commission.error.link' }]);
      }
      const other = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId, title: 'Other work' });
      err = await refusal(markDelivered(s.db, s.coord, other, { deliverableId: d }));
      expect(err.fields[0]?.message).toBe('comm.commission.error.deliverableNotFound');
      await markDelivered(s.db, s.coord, id, { deliverableId: d, deliveredNote: 'Presented to the team', link: '/intelligence', deliveredOn: '2026-11-28' });
      err = await refusal(markDelivered(s.db, s.coord, id, { deliverableId: d }));
      expect(err.key).toBe('comm.commission.error.alreadyDelivered');
      const [row] = await deliverablesOf(s.db, s.tenant.id, [id]);
      expect(row).toMatchObject({ status: 'delivered', note: 'Presented to the team', link: '/intelligence', deliveredOn: '2026-11-28' });
      err = await refusal(addDeliverable(s.db, s.coord, id, { deliverableTitle: 'x', dueOn: '2026-02-30' }));
      expect(err.fields.map((f) => f.message).sort()).toEqual(['comm.commission.error.deliverableTitle', 'comm.commission.error.dueOn']);
    });
  });

  describe('income to a pot', () => {
    it('records instalments as ledger income up to the agreed price; above it is refused and nothing changes', async () => {
      const s = await setup();
      const { id } = await agreed(s);
      const first = await recordCommissionIncome(s.db, s.coord, id, { amount: '2000', idempotencyKey: token(), incomeNote: 'First instalment' });
      const second = await recordCommissionIncome(s.db, s.coord, id, { amount: '2000.50', idempotencyKey: token() });
      expect(first.replayed || second.replayed).toBe(false);
      const entries = await incomeOf(s.db, s.tenant.id, id);
      expect(entries.map((e) => [e.kind, e.amountPence, e.potId])).toEqual([
        ['income', 200_000, s.potId],
        ['income', 200_050, s.potId],
      ]);
      expect(entries.every((e) => e.idempotencyKey.startsWith(`income:commission:${id}:`))).toBe(true);
      const before = await ledgerCount(s);
      const err = await refusal(recordCommissionIncome(s.db, s.coord, id, { amount: '800', idempotencyKey: token() }));
      expect(err.code).toBe('conflict');
      expect(err.key).toBe('comm.commission.error.overPrice');
      expect(await ledgerCount(s)).toBe(before);
      await recordCommissionIncome(s.db, s.coord, id, { amount: '799.50', idempotencyKey: token() });
      expect((await potBalance(s.db, s.tenant.id, s.potId)).funds).toBe(480_000);
      expect(await ledgerProblems(s.db, s.tenant.id)).toEqual([]);
      // The income entry and its commission's audit row are in one transaction.
      const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'comm.commission.income')));
      expect(audit).toHaveLength(3);
    });

    it('a retry with the same form token never duplicates; other content under the token is a conflict', async () => {
      const s = await setup();
      const { id } = await agreed(s);
      const key = token();
      const first = await recordCommissionIncome(s.db, s.coord, id, { amount: '1000', idempotencyKey: key });
      const again = await recordCommissionIncome(s.db, s.coord, id, { amount: '1000', idempotencyKey: key });
      expect(again).toEqual({ id: first.id, replayed: true });
      // Concurrent retries too.
      const many = await Promise.all(Array.from({ length: 5 }, () => recordCommissionIncome(s.db, s.coord, id, { amount: '1000', idempotencyKey: key })));
      expect(new Set(many.map((m) => m.id))).toEqual(new Set([first.id]));
      expect(await incomeOf(s.db, s.tenant.id, id)).toHaveLength(1);
      const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'comm.commission.income')));
      expect(audit).toHaveLength(1);
      const err = await refusal(recordCommissionIncome(s.db, s.coord, id, { amount: '1500', idempotencyKey: key }));
      expect(err.code).toBe('idempotency_conflict');
      // A retry is answered even when the price is reached since.
      await recordCommissionIncome(s.db, s.coord, id, { amount: '3800', idempotencyKey: token() });
      expect((await recordCommissionIncome(s.db, s.coord, id, { amount: '1000', idempotencyKey: key })).replayed).toBe(true);
    });

    it('concurrent instalments that together pass the price: one is refused', async () => {
      const s = await setup();
      const { id } = await agreed(s);
      const results = await Promise.allSettled([3000, 3000].map((pounds) => recordCommissionIncome(s.db, s.coord, id, { amount: String(pounds), idempotencyKey: token() })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await incomeOf(s.db, s.tenant.id, id)).toHaveLength(1);
    });

    it('refuses money before agreement, bad amounts, and another tenant’s commission or pot', async () => {
      const s = await setup();
      const id = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId });
      let err = await refusal(recordCommissionIncome(s.db, s.coord, id, { amount: '100', idempotencyKey: token() }));
      expect(err.key).toBe('comm.commission.error.notPayable');
      for (const amount of ['0', '-5', 'lots', '1\u00000']) {
        err = await refusal(recordCommissionIncome(s.db, s.coord, id, { amount, idempotencyKey: token() }));
        expect(err.fields).toEqual([{ field: 'amount', message: 'comm.commission.error.amount' }]);
      }
      const other = await buildTenant(s.db);
      const otherCoord: Actor = { memberId: (await buildMember(s.db, other.tenant.id, { roles: ['coordinator'] })).member.id, tenantId: other.tenant.id, roles: new Set<Role>(['member', 'coordinator']), sessionId: 's' };
      err = await refusal(recordCommissionIncome(s.db, otherCoord, id, { amount: '100', idempotencyKey: token() }));
      expect(err.code).toBe('not_found');
      const otherPot = await createPot(s.db, otherCoord, { name: 'Theirs', financialYear: '2026-27', source: 'commission_income' });
      err = await refusal(createCommission(s.db, s.coord, { ...BASE, potId: otherPot }));
      expect(err.fields).toEqual([{ field: 'potId', message: 'comm.commission.error.pot' }]);
      err = await refusal(createCommission(s.db, s.coord, { ...BASE, potId: '0190f0f0-0000-7000-8000-000000000000' }));
      expect(err.fields).toEqual([{ field: 'potId', message: 'comm.commission.error.pot' }]);
      expect(await ledgerCount(s)).toBe(0);
      expect(await commissionCount(s)).toBe(1);
    });
  });

  describe('bad input', () => {
    it('price not positive, dates ending before they start, NUL bytes, unknown kinds: clear refusals, nothing stored', async () => {
      const s = await setup();
      const cases: Array<[Record<string, string>, string, string]> = [
        [{ price: '0' }, 'price', 'comm.commission.error.price'],
        [{ price: '-100' }, 'price', 'comm.commission.error.price'],
        [{ price: '' }, 'price', 'comm.commission.error.price'],
        [{ endsOn: '2026-08-31' }, 'endsOn', 'comm.commission.error.endsBefore'],
        [{ startsOn: '2026-02-30' }, 'startsOn', 'comm.commission.error.startsOn'],
        [{ title: 'Ward\u0000 summary' }, 'title', 'comm.commission.error.title'],
        [{ brief: 'A brief with a NUL \u0000 byte in it.' }, 'brief', 'comm.commission.error.brief'],
        [{ commissionerKind: 'bank' }, 'commissionerKind', 'comm.commission.error.kind'],
        [{ contactEmail: 'not an email' }, 'contactEmail', 'comm.commission.error.contactEmail'],
        [{ providerId: '0190f0f0-0000-7000-8000-000000000000' }, 'providerId', 'comm.commission.error.provider'],
      ];
      for (const [change, field, message] of cases) {
        const err = await refusal(createCommission(s.db, s.coord, { ...BASE, potId: s.potId, ...change }));
        expect(err.code, JSON.stringify(change)).toBe('validation_failed');
        expect(err.fields, JSON.stringify(change)).toContainEqual({ field, message });
      }
      expect(await commissionCount(s)).toBe(0);
    });

    it('says what to fix in English and Polish on the form, and the input guard refuses NUL bytes', async () => {
      const s = await setup();
      const client = new TestClient(s.app, s.host);
      client.cookies.set('pm_session', s.coordM.cookie);
      const form = { ...BASE, potId: s.potId, price: '0', endsOn: '2026-01-01' };
      const en = await client.post('/coordinator/budget/commissions?lang=en', form);
      expect(en.status).toBe(400);
      const enHtml = await en.text();
      expect(enHtml).toContain(commissionsEn['comm.commission.error.price']);
      expect(enHtml).toContain(commissionsEn['comm.commission.error.endsBefore']);
      // The form keeps what was typed.
      expect(enHtml).toContain('Lodge Park Children’s Centre');
      const pl = await client.post('/coordinator/budget/commissions?lang=pl', form);
      expect(pl.status).toBe(400);
      const plHtml = await pl.text();
      expect(plHtml).toContain(commissionsPl['comm.commission.error.endsBefore']);
      expect(plHtml).toContain(commissionsPl['comm.commission.error.price']);
      const nul = await client.post('/coordinator/budget/commissions', { ...BASE, potId: s.potId, title: 'A\u0000B' });
      expect(nul.status).toBe(400);
      // Over the price on the commission page, in Polish, and nothing changes.
      const { id } = await agreed(s);
      const over = await client.post(`/coordinator/budget/commissions/${id}/income?lang=pl`, { amount: '5000', idempotencyKey: token() });
      expect(over.status).toBe(409);
      expect(await over.text()).toContain(commissionsPl['comm.commission.error.overPrice']);
      const move = await client.post(`/coordinator/budget/commissions/${id}/status?lang=pl`, { to: 'closed' });
      expect(move.status).toBe(409);
      expect(await move.text()).toContain(commissionsPl['comm.commission.error.move']);
      expect(await ledgerCount(s)).toBe(0);
      expect(await commissionCount(s)).toBe(1);
    });
  });

  describe('pages', () => {
    it('a coordinator records a commission, its deliverables and income through the forms; the public page shows agreed work without the contact', async () => {
      const s = await setup();
      const client = new TestClient(s.app, s.host);
      client.cookies.set('pm_session', s.coordM.cookie);
      expect((await client.get('/coordinator/budget?lang=en')).status).toBe(200);
      expect(await (await client.get('/coordinator/budget?lang=en')).text()).toContain('/coordinator/budget/commissions');
      expect((await client.get('/coordinator/budget/commissions/new?lang=en')).status).toBe(200);
      const made = await client.post('/coordinator/budget/commissions', { ...BASE, potId: s.potId });
      expect(made.status).toBe(303);
      const path = made.headers.get('location') ?? '';
      const id = path.split('/').pop() ?? '';
      expect((await client.post(`${path}/deliverables`, { deliverableTitle: 'Autumn summary', dueOn: '2026-11-30' })).status).toBe(303);
      expect(await (await client.get(`${path}/edit?lang=en`)).text()).toContain('value="4800"');
      expect((await client.post(`${path}/edit`, { ...BASE, potId: s.potId, price: '4800' })).status).toBe(303);
      const enquiry = await (await client.get(`${path}?lang=en`)).text();
      expect(enquiry).toContain('alex.contact@example.org');
      expect(enquiry).toContain('Autumn summary');
      // Not public before it is agreed.
      const visitor = new TestClient(s.app, s.host);
      expect(await (await visitor.get('/budget/commissions?lang=en')).text()).not.toContain('Ward intelligence summary');
      for (const to of ['quoted', 'agreed', 'in_progress']) expect((await client.post(`${path}/status`, { to })).status).toBe(303);
      const [d] = await deliverablesOf(s.db, s.tenant.id, [id]);
      expect((await client.post(`${path}/delivered`, { deliverableId: d!.id, deliveredNote: 'Presented', link: '/intelligence' })).status).toBe(303);
      expect((await client.post(`${path}/income`, { amount: '1200', idempotencyKey: token(), incomeNote: 'First instalment' })).status).toBe(303);
      const page = await (await client.get(`${path}?lang=en`)).text();
      expect(page).toContain('£1,200 of £4,800');
      expect(page).toContain('First instalment');
      // The list, filtered by status (an unknown filter shows all).
      expect(await (await client.get('/coordinator/budget/commissions?status=in_progress&lang=en')).text()).toContain('Ward intelligence summary');
      expect(await (await client.get('/coordinator/budget/commissions?status=closed&lang=en')).text()).not.toContain('Ward intelligence summary');
      expect((await client.get('/coordinator/budget/commissions?status=pg_sleep(5)')).status).toBe(200);
      // The pot's ledger shows the income entry, linked to its commission.
      const pot = await (await client.get(`/coordinator/budget/pots/${s.potId}?lang=en`)).text();
      expect(pot).toContain('£1,200');
      expect(pot).toContain(`/coordinator/budget/commissions/${id}`);
      // Public: commissioner, brief, price, status, deliverables' status; never the contact.
      expect(await (await visitor.get('/budget?lang=en')).text()).toContain('href="/budget/commissions"');
      const pub = await (await visitor.get('/budget/commissions?lang=en')).text();
      expect(pub).toContain('Ward intelligence summary');
      expect(pub).toContain('Lodge Park Children’s Centre');
      expect(pub).toContain('£4,800');
      expect(pub).toContain('In progress');
      expect(pub).toContain('Autumn summary');
      expect(pub).not.toMatch(/alex/i);
      expect(await (await visitor.get('/budget/commissions?lang=pl')).text()).toContain('W realizacji');
      // Members who are not coordinators do not reach the coordinator pages.
      const parent = await buildMember(s.db, s.tenant.id);
      const member = new TestClient(s.app, s.host);
      member.cookies.set('pm_session', parent.cookie);
      expect([403, 404]).toContain((await member.get(path)).status);
      expect([403, 404]).toContain((await member.post(`${path}/income`, { amount: '100', idempotencyKey: token() })).status);
      expect(await incomeOf(s.db, s.tenant.id, id)).toHaveLength(1);
    });
  });

  describe('personal data', () => {
    it('a contact who is a member finds the commission in their download; their erasure blanks the contact', async () => {
      const s = await setup();
      const contact = await buildMember(s.db, s.tenant.id, { email: `centre.${token()}@example.org` });
      const id = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId, contactName: 'Sam Centre', contactEmail: contact.member.email!.toUpperCase() });
      expect((await contactExportFor(s.db, s.tenant.id, contact.member.email)).map((r) => r.title)).toEqual(['Ward intelligence summary']);
      const data = await collectMemberData(s.db, s.tenant.id, contact.member.id);
      expect(JSON.stringify(data)).toContain('Sam Centre');
      await s.db.transaction((tx) => eraseIn(tx, s.tenant.id, contact.member.id, s.coord.memberId));
      const row = await getCommission(s.db, s.tenant.id, id);
      expect([row.contactName, row.contactEmail]).toEqual(['', '']);
      expect(row.commissionerName).toBe(BASE.commissionerName);
    });

    it('retention blanks the contact a year after the commission ended, not before', async () => {
      const s = await setup();
      const old = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId });
      await changeCommissionStatus(s.db, s.coord, old, { to: 'declined' }, new Date('2025-01-10T12:00:00Z'));
      const recent = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId });
      await changeCommissionStatus(s.db, s.coord, recent, { to: 'cancelled' }, new Date('2026-06-01T12:00:00Z'));
      const open = await createCommission(s.db, s.coord, { ...BASE, potId: s.potId });
      expect(await retainCommissionContacts(s.db, '2026-12-01', { tenantId: s.tenant.id })).toBe(1);
      expect((await getCommission(s.db, s.tenant.id, old)).contactEmail).toBe('');
      expect((await getCommission(s.db, s.tenant.id, recent)).contactEmail).toBe(BASE.contactEmail);
      expect((await getCommission(s.db, s.tenant.id, open)).contactEmail).toBe(BASE.contactEmail);
    });
  });

  describe('demo', () => {
    it('loads two labelled commissions once (one in progress with an instalment, one delivered and paid) and clears them', async () => {
      const s = await setup();
      await s.db.execute(sql`UPDATE members SET is_demo = true WHERE tenant_id = ${s.tenant.id} AND id = ${s.coord.memberId}`);
      const ctx = { db: s.db, tenant: s.tenant, today: new Date('2026-12-01T12:00:00Z') };
      expect(await loadCommissionsDemo(ctx)).toBe(2);
      expect(await loadCommissionsDemo(ctx)).toBe(0);
      const rows = await s.db.select().from(commCommissions).where(eq(commCommissions.tenantId, s.tenant.id));
      expect(rows.map((r) => [r.commissionerKind, r.status, r.isDemo]).sort()).toEqual([
        ['childrens_centre', 'in_progress', true],
        ['council', 'delivered', true],
      ]);
      const byKind = new Map(rows.map((r) => [r.commissionerKind, r]));
      const centre = byKind.get('childrens_centre')!;
      const council = byKind.get('council')!;
      expect((await deliverablesOf(s.db, s.tenant.id, [centre.id])).map((d) => d.status)).toEqual(['delivered', 'pending']);
      expect((await incomeOf(s.db, s.tenant.id, centre.id)).map((e) => [e.amountPence, e.isDemo])).toEqual([[240_000, true]]);
      expect((await incomeOf(s.db, s.tenant.id, council.id)).reduce((n, e) => n + e.amountPence, 0)).toBe(council.pricePence);
      const client = new TestClient(s.app, s.host);
      expect(await (await client.get('/budget/commissions?lang=en')).text()).toContain('class="tag demo"');
      expect(await s.db.transaction((tx) => clearCommissionsDemo(tx, s.tenant.id))).toBe(2);
      const [left] = await s.db.select({ n: sql<number>`count(*)::int` }).from(commDeliverables).where(eq(commDeliverables.tenantId, s.tenant.id));
      expect(left?.n).toBe(0);
    });
  });
});
