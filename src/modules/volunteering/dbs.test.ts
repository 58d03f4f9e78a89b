// Issue 9 item 4, SECURITY.md 14: DBS checks seen and changed only by coordinators and the
// safeguarding lead, every view audited, reduced six months after the recruitment decision.
import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { AppError } from '../../server/errors.ts';
import type { Actor } from '../membership/policy.ts';
import { ROLES, type Role } from '../membership/schema.ts';
import { auditLog } from '../audit/schema.ts';
import { emailOutbox } from '../email/schema.ts';
import { dbsChecks, volunteerHours } from './schema.ts';
import { volunteeringPersonalData } from './personal-data.ts';
import { translator } from '../../ui/i18n/index.ts';
import { sendDbsRenewalReminders } from './jobs.ts';
import { createDbsCheck, decideHours, listActivities, listDbsChecks, logHours, retainDbsChecks, updateDbsCheck, viewDbsCheck } from './service.ts';
import { dbsRenewalsDue, membersWithDbsInDate } from './views.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const CHECK = { checkedOn: '2026-11-01', certificateNumber: '0012 3456 7890', level: 'enhanced_barred', outcome: 'clear', updateService: 'yes', renewalOn: '', decisionOn: '2026-11-10', decision: 'appointed', reference: 'R-1' };
// Decisions after the real clock's six-month cutoff, so a store-wide retention run by another test
// file (manifest.test.ts) never reduces these records mid-test; the retention test uses its own date.

async function setup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const actorOf = (id: string, roles: Role[]): Actor => ({ memberId: id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  const vol = await buildMember(db, tenant.id, { roles: ['volunteer'] });
  const coord = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const coordinator = actorOf(coord.member.id, ['coordinator']);
  const audits = async (action: string) => db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, action)));
  return { app, deps, db, tenant, host, vol, coord, coordinator, actorOf, audits };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe(`DBS checks (${storeName()})`, { timeout: 120_000 }, () => {
  it('records only the allowed facts, renewal three years on by default, and refuses bad input', async () => {
    const { db, tenant, vol, coordinator } = await setup();
    const id = await createDbsCheck(db, coordinator, vol.member.id, CHECK, NOW);
    const [row] = await db.select().from(dbsChecks).where(and(eq(dbsChecks.tenantId, tenant.id), eq(dbsChecks.id, id)));
    expect(row).toMatchObject({ certificateNumber: '001234567890', level: 'enhanced_barred', outcome: 'clear', updateService: true, renewalOn: '2029-11-01', decision: 'appointed', reference: 'R-1' });
    const count = async () => (await db.select().from(dbsChecks).where(eq(dbsChecks.tenantId, tenant.id))).length;
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ certificateNumber: '12345' }, 'certificateNumber', 'volunteering.dbs.error.certificate'],
      [{ level: 'super' }, 'level', 'volunteering.dbs.error.level'],
      [{ checkedOn: '2026-12-01' }, 'checkedOn', 'volunteering.dbs.error.checkedFuture'],
      [{ renewalOn: '2026-10-01' }, 'renewalOn', 'volunteering.dbs.error.renewalBefore'],
      [{ decision: '' }, 'decision', 'volunteering.dbs.error.decisionPair'],
      [{ reference: 'x'.repeat(41) }, 'reference', 'volunteering.dbs.error.reference'],
    ];
    for (const [extra, field, message] of cases) {
      const err = await refusal(createDbsCheck(db, coordinator, vol.member.id, { ...CHECK, ...extra }, NOW));
      expect(err.fields, JSON.stringify(extra)).toContainEqual({ field, message });
    }
    expect((await refusal(createDbsCheck(db, coordinator, 'not-a-uuid', CHECK, NOW))).fields).toContainEqual({ field: 'memberId', message: 'volunteering.dbs.error.member' });
    expect(await count()).toBe(1);
  });

  it('only coordinators and the safeguarding lead see or change them (not an admin alone); every view writes an audit row', async () => {
    const { db, vol, coordinator, actorOf, audits } = await setup();
    const id = await createDbsCheck(db, coordinator, vol.member.id, CHECK, NOW);
    for (const role of ROLES) {
      const actor = actorOf(vol.member.id, [role]);
      const allowed = role === 'coordinator' || role === 'safeguarding_lead';
      const listsBefore = (await audits('dbs.list_view')).length;
      const viewsBefore = (await audits('dbs.view')).length;
      if (allowed) {
        const list = await listDbsChecks(db, actor);
        expect(list.map((r) => r.id)).toEqual([id]);
        expect((await viewDbsCheck(db, actor, id)).certificateNumber).toBe('001234567890');
        const lists = await audits('dbs.list_view');
        expect(lists).toHaveLength(listsBefore + 1);
        expect(lists.at(-1)).toMatchObject({ actor: vol.member.id, data: { ids: [id] } });
        const views = await audits('dbs.view');
        expect(views).toHaveLength(viewsBefore + 1);
        expect(views.at(-1)).toMatchObject({ actor: vol.member.id, entityId: id, data: { memberId: vol.member.id } });
      } else {
        expect((await refusal(listDbsChecks(db, actor))).code, role).toBe('forbidden');
        expect((await refusal(viewDbsCheck(db, actor, id))).code, role).toBe('forbidden');
        expect((await refusal(updateDbsCheck(db, actor, id, CHECK, NOW))).code, role).toBe('forbidden');
        expect((await refusal(createDbsCheck(db, actor, vol.member.id, CHECK, NOW))).code, role).toBe('forbidden');
        expect((await audits('dbs.list_view')).length).toBe(listsBefore);
        expect((await audits('dbs.view')).length).toBe(viewsBefore);
      }
    }
    // An admin who also holds the safeguarding lead role may.
    expect((await listDbsChecks(db, actorOf(vol.member.id, ['admin', 'safeguarding_lead']))).length).toBe(1);
  });

  it('pages: /coordinator/dbs for a coordinator and a safeguarding lead (audited), 403 for an admin and a volunteer', async () => {
    const { app, db, tenant, host, vol, coordinator, audits } = await setup();
    const id = await createDbsCheck(db, coordinator, vol.member.id, CHECK, NOW);
    const lead = await buildMember(db, tenant.id, { roles: ['safeguarding_lead'] });
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    const as = async (cookie: string) => {
      const c = new TestClient(app, host);
      await c.get('/about');
      c.cookies.set('pm_session', cookie);
      return c;
    };
    const l = await as(lead.cookie);
    const list = await l.get('/coordinator/dbs');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`/coordinator/dbs/${id}`);
    expect((await l.get(`/coordinator/dbs/${id}`)).status).toBe(200);
    expect((await audits('dbs.list_view')).map((a) => a.actor)).toEqual([lead.member.id]);
    expect((await audits('dbs.view')).map((a) => a.actor)).toEqual([lead.member.id]);
    const edit = await l.post(`/coordinator/dbs/${id}`, { ...CHECK, reference: 'R-2' });
    expect(edit.status).toBe(303);
    const bad = await l.post(`/coordinator/dbs/${id}`, { ...CHECK, certificateNumber: 'abc' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter the 12-digit certificate number.');
    for (const cookie of [admin.cookie, vol.cookie]) {
      const c = await as(cookie);
      expect((await c.get('/coordinator/dbs')).status).toBe(403);
      expect((await c.get(`/coordinator/dbs/${id}`)).status).toBe(403);
    }
    const created = await l.post('/coordinator/dbs', { ...CHECK, memberId: vol.member.id });
    expect(created.status).toBe(303);
    expect((await db.select().from(dbsChecks).where(eq(dbsChecks.tenantId, tenant.id))).length).toBe(2);
  });

  it('retention: six months after the decision keeps only member, number, reference, decision and renewal date (fixed date)', async () => {
    const { db, tenant, vol, coordinator } = await setup();
    const other = await buildMember(db, tenant.id, { roles: ['volunteer'] });
    const old = await createDbsCheck(db, coordinator, vol.member.id, { ...CHECK, decisionOn: '2026-11-01' }, NOW);
    const recent = await createDbsCheck(db, coordinator, other.member.id, { ...CHECK, decisionOn: '2026-11-02' }, NOW);
    const undecided = await createDbsCheck(db, coordinator, other.member.id, { ...CHECK, decision: '', decisionOn: '' }, NOW);
    expect(await retainDbsChecks(db, '2027-05-01', { tenantId: tenant.id })).toBe(1);
    expect(await retainDbsChecks(db, '2027-05-01', { tenantId: tenant.id })).toBe(0);
    const rows = new Map((await db.select().from(dbsChecks).where(eq(dbsChecks.tenantId, tenant.id))).map((r) => [r.id, r]));
    expect(rows.get(old)).toMatchObject({ memberId: vol.member.id, certificateNumber: '001234567890', reference: 'R-1', decision: 'appointed', renewalOn: '2029-11-01', checkedOn: null, level: null, outcome: null, updateService: null, decisionOn: null });
    expect(rows.get(old)?.reducedAt).not.toBeNull();
    expect(rows.get(recent)).toMatchObject({ level: 'enhanced_barred', outcome: 'clear', decisionOn: '2026-11-02', reducedAt: null });
    expect(rows.get(undecided)?.reducedAt).toBeNull();
    // An appointed, reduced record still counts as in date; a reduced record cannot be edited.
    expect(await membersWithDbsInDate(db, tenant.id, '2026-11-20')).toEqual(new Set([vol.member.id, other.member.id]));
    expect((await refusal(updateDbsCheck(db, coordinator, old, CHECK, NOW))).key).toBe('volunteering.dbs.error.reduced');
  });

  it('views: in date on a day (clear, not past renewal, not "not appointed"), renewals due as a count', async () => {
    const { db, tenant, coordinator } = await setup();
    const a = await buildMember(db, tenant.id, { roles: ['volunteer'] });
    const b = await buildMember(db, tenant.id, { roles: ['volunteer'] });
    const c = await buildMember(db, tenant.id, { roles: ['volunteer'] });
    await createDbsCheck(db, coordinator, a.member.id, { ...CHECK, renewalOn: '2026-12-10' }, NOW);
    await createDbsCheck(db, coordinator, b.member.id, { ...CHECK, outcome: 'not_clear', decision: 'not_appointed' }, NOW);
    await createDbsCheck(db, coordinator, c.member.id, { ...CHECK, checkedOn: '2023-11-01', renewalOn: '2026-11-01' }, NOW);
    expect(await membersWithDbsInDate(db, tenant.id, '2026-11-20')).toEqual(new Set([a.member.id]));
    expect(await membersWithDbsInDate(db, tenant.id, '2026-12-11')).toEqual(new Set());
    expect(await dbsRenewalsDue(db, tenant.id, '2026-11-20', '2026-12-20')).toBe(1);
    expect(await dbsRenewalsDue(db, tenant.id, '2026-10-01', '2026-12-20')).toBe(2);
  });

  it('renewal reminders: to coordinators, member number and link only, once per check', async () => {
    const { db, tenant, vol, coord, coordinator } = await setup();
    const id = await createDbsCheck(db, coordinator, vol.member.id, { ...CHECK, renewalOn: '2026-12-05' }, NOW);
    await createDbsCheck(db, coordinator, vol.member.id, { ...CHECK, renewalOn: '2027-03-01' }, NOW);
    expect(await sendDbsRenewalReminders(db, 'http://localhost', NOW, { tenantId: tenant.id })).toBe(1);
    expect(await sendDbsRenewalReminders(db, 'http://localhost', NOW, { tenantId: tenant.id })).toBe(0);
    const mails = await db.select().from(emailOutbox).where(and(eq(emailOutbox.tenantId, tenant.id), like(emailOutbox.template, 'volunteering.%')));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.toAddress).toBe(coord.member.email);
    expect(mails[0]?.subject).toContain(String(vol.member.memberNumber));
    expect(mails[0]?.subject).not.toContain(vol.member.name);
    expect(mails[0]?.dedupeKey).toContain(id);
  });

  it('personal data: the member downloads their hours and own DBS record; erasure deletes both', async () => {
    const { db, tenant, vol, coordinator } = await setup();
    await createDbsCheck(db, coordinator, vol.member.id, CHECK, NOW);
    const volunteer: Actor = { memberId: vol.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', 'volunteer']), sessionId: 's' };
    const [activity] = await listActivities(db, tenant.id);
    const entry = await logHours(db, volunteer, { workedOn: '2026-11-01', activityId: activity!.id, hours: '1', minutes: '0', clientKey: 'personal-data-test-key-1' }, NOW);
    await decideHours(db, coordinator, { action: 'approve', ids: [entry.id] });
    const subject = { tenantId: tenant.id, id: vol.member.id, email: vol.member.email, phone: null };
    const sections = await volunteeringPersonalData.exportFor(db, { subject, t: translator('en'), who: () => 'a member of the mutual’s staff' });
    const byName = Object.fromEntries(sections.map((x) => [x.name, x.rows]));
    expect(byName.volunteeringHours).toEqual([expect.objectContaining({ workedOn: '2026-11-01', minutes: 60, status: 'approved', decidedBy: 'a member of the mutual’s staff' })]);
    expect(byName.dbsChecks).toEqual([expect.objectContaining({ certificateNumber: '001234567890', outcome: 'clear', renewalOn: '2029-11-01' })]);
    await db.transaction((tx) => volunteeringPersonalData.eraseFor(tx, subject));
    expect(await db.select().from(dbsChecks).where(eq(dbsChecks.tenantId, tenant.id))).toEqual([]);
    expect(await db.select().from(volunteerHours).where(eq(volunteerHours.tenantId, tenant.id))).toEqual([]);
  });

  it("another tenant's or a malformed DBS id answers 404 and writes nothing", async () => {
    const { app, db, host, coord, audits } = await setup();
    const other = await buildTenant(db);
    const otherCoord = await buildMember(db, other.tenant.id, { roles: ['coordinator'] });
    const otherVol = await buildMember(db, other.tenant.id, { roles: ['volunteer'] });
    const foreign = await createDbsCheck(db, { memberId: otherCoord.member.id, tenantId: other.tenant.id, roles: new Set<Role>(['coordinator']), sessionId: 's' }, otherVol.member.id, CHECK, NOW);
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', coord.cookie);
    for (const id of [foreign, 'nope']) {
      expect((await c.get(`/coordinator/dbs/${id}`)).status).toBe(404);
      expect((await c.post(`/coordinator/dbs/${id}`, { ...CHECK, reference: 'changed' })).status).toBe(404);
    }
    expect(await audits('dbs.view')).toEqual([]);
    const [row] = await db.select().from(dbsChecks).where(and(eq(dbsChecks.tenantId, other.tenant.id), eq(dbsChecks.id, foreign)));
    expect(row?.reference).toBe('R-1');
  });
});
