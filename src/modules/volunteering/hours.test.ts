// Issue 9 item 5: volunteers log their own hours, coordinators approve or query, totals.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { AppError } from '../../server/errors.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { auditLog } from '../audit/schema.ts';
import { volunteerHours } from './schema.ts';
import { approvalQueue, decideHours, editHours, hoursTotals, listActivities, logHours, myTotals } from './service.ts';
import { approvedHoursByWardAndQuarter, approvedMinutesByMember } from './views.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
let keyN = 0;
const key = () => `test-key-${String(++keyN).padStart(8, '0')}-${Math.random().toString(36).slice(2, 10)}`;

async function setup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const actorOf = (m: { member: { id: string } }, roles: Role[]): Actor => ({ memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  const vol = await buildMember(db, tenant.id, { roles: ['volunteer'], wardCode: 'E05010264' });
  const coord = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const activities = await listActivities(db, tenant.id, { activeOnly: true });
  const count = async () => (await db.select().from(volunteerHours).where(eq(volunteerHours.tenantId, tenant.id))).length;
  return { app, deps, db, tenant, host, vol, coord, volunteer: actorOf(vol, ['volunteer']), coordinator: actorOf(coord, ['coordinator']), actorOf, activities, count };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe(`volunteering hours (${storeName()})`, { timeout: 120_000 }, () => {
  it('seeds the seven activities in English and Polish for a new tenant', async () => {
    const { activities } = await setup();
    expect(activities.map((a) => a.titleEn)).toEqual(['Running a group session', 'Street champion round', 'Event help', 'Parent governor meeting', 'Training others', 'Office and admin', 'Other']);
    expect(activities.every((a) => a.titlePl.length > 0)).toBe(true);
  });

  it('refuses negative, zero, over 16 hours, future and too-old dates with a message, and stores nothing', async () => {
    const { db, volunteer, activities, count } = await setup();
    const base = { workedOn: '2026-11-19', activityId: activities[0]!.id, note: '' };
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ hours: '-1', minutes: '0' }, 'hours', 'volunteering.error.hours'],
      [{ hours: '0', minutes: '-30' }, 'minutes', 'volunteering.error.minutes'],
      [{ hours: '0', minutes: '0' }, 'hours', 'volunteering.error.zero'],
      [{ hours: '', minutes: '' }, 'hours', 'volunteering.error.zero'],
      [{ hours: '16', minutes: '1' }, 'hours', 'volunteering.error.tooLong'],
      [{ hours: '500', minutes: '0' }, 'hours', 'volunteering.error.hours'],
      [{ hours: '1.5', minutes: '0' }, 'hours', 'volunteering.error.hours'],
      [{ hours: '2', minutes: '0', workedOn: '2026-11-21' }, 'workedOn', 'volunteering.error.future'],
      [{ hours: '2', minutes: '0', workedOn: '2025-11-19' }, 'workedOn', 'volunteering.error.tooOld'],
      [{ hours: '2', minutes: '0', workedOn: '2026-02-30' }, 'workedOn', 'volunteering.error.date'],
      [{ hours: '2', minutes: '0', note: 'x'.repeat(501) }, 'note', 'volunteering.error.note'],
    ];
    for (const [extra, field, message] of cases) {
      const err = await refusal(logHours(db, volunteer, { ...base, ...extra, clientKey: key() }, NOW));
      expect(err.code, JSON.stringify(extra)).toBe('validation_failed');
      expect(err.fields, JSON.stringify(extra)).toContainEqual({ field, message });
    }
    expect(await count()).toBe(0);
    // Exactly 16 hours, and 12 months back to the day, are fine.
    await logHours(db, volunteer, { ...base, hours: '16', minutes: '0', clientKey: key() }, NOW);
    await logHours(db, volunteer, { ...base, workedOn: '2025-11-20', hours: '1', minutes: '0', clientKey: key() }, NOW);
    expect(await count()).toBe(2);
  });

  it("refuses a day's total over 24 hours for the member", async () => {
    const { db, volunteer, activities, count } = await setup();
    const base = { workedOn: '2026-11-18', activityId: activities[0]!.id };
    await logHours(db, volunteer, { ...base, hours: '16', minutes: '0', clientKey: key() }, NOW);
    await logHours(db, volunteer, { ...base, hours: '8', minutes: '0', clientKey: key() }, NOW);
    const err = await refusal(logHours(db, volunteer, { ...base, hours: '0', minutes: '5', clientKey: key() }, NOW));
    expect(err.fields).toContainEqual({ field: 'hours', message: 'volunteering.error.dayTotal' });
    expect(await count()).toBe(2);
  });

  it('a double submit with the same form token stores one entry', async () => {
    const { db, volunteer, activities, count } = await setup();
    const form = { workedOn: '2026-11-18', activityId: activities[1]!.id, hours: '2', minutes: '15', clientKey: key() };
    const first = await logHours(db, volunteer, form, NOW);
    const again = await logHours(db, volunteer, form, NOW);
    const both = await Promise.all([logHours(db, volunteer, form, NOW), logHours(db, volunteer, form, NOW)]);
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(both.every((r) => r.id === first.id)).toBe(true);
    expect(await count()).toBe(1);
  });

  it('nobody approves their own hours; approve and query singly or in bulk; approved entries are locked', async () => {
    const { db, tenant, volunteer, coordinator, activities, actorOf } = await setup();
    const base = { workedOn: '2026-11-10', activityId: activities[2]!.id, hours: '1', minutes: '30' };
    const a = await logHours(db, volunteer, { ...base, clientKey: key() }, NOW);
    const b = await logHours(db, volunteer, { ...base, clientKey: key() }, NOW);
    const c = await logHours(db, volunteer, { ...base, clientKey: key() }, NOW);
    const own = await logHours(db, coordinator, { ...base, clientKey: key() }, NOW);

    // Own hours, alone or in a batch: refused, nothing changed.
    for (const ids of [[own.id], [a.id, own.id]]) {
      const err = await refusal(decideHours(db, coordinator, { action: 'approve', ids }));
      expect(err.code).toBe('forbidden');
      expect(err.key).toBe('volunteering.error.ownHours');
    }
    const statuses = async () => Object.fromEntries((await db.select().from(volunteerHours).where(eq(volunteerHours.tenantId, tenant.id))).map((r) => [r.id, r.status]));
    expect(Object.values(await statuses()).every((s) => s === 'submitted')).toBe(true);

    // A volunteer cannot approve at all.
    expect((await refusal(decideHours(db, volunteer, { action: 'approve', ids: [own.id] }))).code).toBe('forbidden');
    // A query needs a question.
    expect((await refusal(decideHours(db, coordinator, { action: 'query', ids: [a.id] }))).fields).toContainEqual({ field: 'question', message: 'volunteering.error.questionNeeded' });

    expect(await decideHours(db, coordinator, { action: 'approve', ids: [a.id, b.id] })).toBe(2);
    expect(await decideHours(db, coordinator, { action: 'query', ids: [c.id], question: 'Which session was it?' })).toBe(1);
    // Another coordinator approves the first one's own hours.
    const other = await buildMember(db, tenant.id, { roles: ['admin'] });
    expect(await decideHours(db, actorOf(other, ['admin']), { action: 'approve', ids: [own.id] })).toBe(1);
    expect(await statuses()).toEqual({ [a.id]: 'approved', [b.id]: 'approved', [c.id]: 'queried', [own.id]: 'approved' });

    // Approving again is refused; editing an approved entry is refused, nothing changed.
    expect((await refusal(decideHours(db, coordinator, { action: 'approve', ids: [a.id] }))).key).toBe('volunteering.error.alreadyApproved');
    const locked = await refusal(editHours(db, volunteer, a.id, { ...base, hours: '3' }, NOW));
    expect(locked.code).toBe('conflict');
    expect(locked.key).toBe('volunteering.error.locked');
    const [row] = await db.select().from(volunteerHours).where(and(eq(volunteerHours.tenantId, tenant.id), eq(volunteerHours.id, a.id)));
    expect(row?.minutes).toBe(90);

    // The volunteer answers the query: the entry goes back to the queue with the question cleared.
    await editHours(db, volunteer, c.id, { ...base, hours: '2', minutes: '0', note: 'The Tuesday one' }, NOW);
    const queue = await approvalQueue(db, coordinator);
    expect(queue.map((q) => [q.id, q.status, q.question, q.minutes])).toEqual([[c.id, 'submitted', '', 120]]);
    // Someone else's entry is not found for them.
    expect((await refusal(editHours(db, coordinator, c.id, { ...base }, NOW))).code).toBe('not_found');

    const audit = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.tenantId, tenant.id));
    expect(audit.filter((x) => x.action === 'volunteering.hours.approve')).toHaveLength(3);
    expect(audit.filter((x) => x.action === 'volunteering.hours.query')).toHaveLength(1);
  });

  it('totals per person, ward and period, and the views for other modules', async () => {
    const { db, tenant, vol, volunteer, coordinator, activities, actorOf } = await setup();
    const other = await buildMember(db, tenant.id, { roles: ['volunteer'] });
    const otherActor = actorOf(other, ['volunteer']);
    const log = async (actor: Actor, workedOn: string, hours: string) => (await logHours(db, actor, { workedOn, activityId: activities[0]!.id, hours, minutes: '0', clientKey: key() }, NOW)).id;
    const ids = [await log(volunteer, '2026-08-15', '2'), await log(volunteer, '2026-10-02', '3'), await log(otherActor, '2026-10-05', '1')];
    await log(volunteer, '2026-11-01', '5'); // submitted only: not counted
    await decideHours(db, coordinator, { action: 'approve', ids });

    const totals = await hoursTotals(db, coordinator, { from: '2026-01-01', to: '2026-12-31', period: 'quarter' });
    expect(totals.minutes).toBe(360);
    expect(totals.people.map((p) => [p.memberId, p.minutes])).toEqual([
      [vol.member.id, 300],
      [other.member.id, 60],
    ]);
    expect(totals.periods).toEqual([
      { period: '2026-Q3', minutes: 120, volunteers: 1 },
      { period: '2026-Q4', minutes: 240, volunteers: 2 },
    ]);
    expect(totals.wards).toEqual([
      { wardId: vol.member.wardId, minutes: 300, volunteers: 1 },
      { wardId: null, minutes: 60, volunteers: 1 },
    ]);
    const months = await hoursTotals(db, coordinator, { from: '2026-01-01', to: '2026-12-31', period: 'month' });
    expect(months.periods.map((p) => p.period)).toEqual(['2026-08', '2026-10']);
    expect((await refusal(hoursTotals(db, volunteer, { from: '2026-01-01', to: '2026-12-31', period: 'month' }))).code).toBe('forbidden');

    expect(await myTotals(db, tenant.id, vol.member.id, NOW)).toEqual({ quarterMinutes: 180, allMinutes: 300, waiting: 1, queried: 0 });
    const all = await approvedMinutesByMember(db, tenant.id);
    expect(Object.fromEntries(all)).toEqual({ [vol.member.id]: 300, [other.member.id]: 60 });
    expect(Object.fromEntries(await approvedMinutesByMember(db, tenant.id, [other.member.id]))).toEqual({ [other.member.id]: 60 });
    expect((await approvedMinutesByMember(db, tenant.id, [])).size).toBe(0);
    expect(await approvedHoursByWardAndQuarter(db, tenant.id, '2026-10-01', '2026-12-31')).toEqual([
      { wardId: null, quarter: '2026-Q4', minutes: 60, volunteers: 1 },
      { wardId: vol.member.wardId, quarter: '2026-Q4', minutes: 180, volunteers: 1 },
    ]);
  });

  it('pages: a volunteer logs on /volunteering/hours (a resubmitted form token stores once); a coordinator approves on /coordinator/hours', async () => {
    const { app, deps, db, host, vol, coord, activities, count, tenant } = await setup();
    deps.clock = () => NOW.getTime();
    const as = async (cookie: string) => {
      const c = new TestClient(app, host);
      await c.get('/about');
      c.cookies.set('pm_session', cookie);
      return c;
    };
    const v = await as(vol.cookie);
    const page = await v.get('/volunteering/hours');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('My volunteering hours');
    const token = /name="clientKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(token).not.toBe('');
    const form = { clientKey: token, workedOn: '2026-11-19', activityId: activities[0]!.id, hours: '2', minutes: '30', note: '' };
    expect((await v.post('/volunteering/hours', form)).status).toBe(303);
    expect((await v.post('/volunteering/hours', form)).status).toBe(303);
    expect(await count()).toBe(1);
    const bad = await v.post('/volunteering/hours', { ...form, clientKey: `${token}x`, hours: '-2' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter the hours as a whole number from 0 to 16.');
    expect(await count()).toBe(1);
    expect((await v.get('/coordinator/hours')).status).toBe(403);

    const c = await as(coord.cookie);
    const queue = await (await c.get('/coordinator/hours')).text();
    expect(queue).toContain('Waiting for approval');
    const [entry] = await db.select().from(volunteerHours).where(eq(volunteerHours.tenantId, tenant.id));
    expect((await c.post('/coordinator/hours/decide', { one: entry!.id })).status).toBe(303);
    expect((await db.select().from(volunteerHours).where(eq(volunteerHours.tenantId, tenant.id)))[0]?.status).toBe('approved');
    // The volunteer's edit page says it is locked; a POST is refused.
    const locked = await v.post(`/volunteering/hours/${entry!.id}/edit`, { ...form, hours: '4' });
    expect(locked.status).toBe(400);
    expect(await locked.text()).toContain('Approved hours are locked');
    // Another member cannot open it.
    expect((await c.get(`/volunteering/hours/${entry!.id}/edit`)).status).toBe(404);
    // Polish.
    const pl = await (await v.get('/volunteering/hours?lang=pl')).text();
    expect(pl).toContain('Moje godziny wolontariatu');
    // The me panel.
    const me = await (await v.get('/me?lang=en')).text();
    expect(me).toContain('2 h 30 min');
  });

  it('API: POST /api/v1/volunteering/hours with the same Idempotency-Key twice stores one entry; bad hours are refused', async () => {
    const { app, deps, host, vol, activities, count } = await setup();
    deps.clock = () => NOW.getTime();
    const send = (key: string, body: Record<string, unknown>) =>
      app.request('/api/v1/volunteering/hours', { method: 'POST', headers: { host, cookie: `pm_session=${vol.cookie}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    const body = { workedOn: '2026-11-19', activityId: activities[0]!.id, hours: 1, minutes: 45 };
    const first = await send('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', body);
    expect(first.status).toBe(201);
    const again = await send('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await count()).toBe(1);
    const negative = await send('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c', { ...body, hours: -3 });
    expect(negative.status).toBe(400);
    expect(JSON.stringify(await negative.json())).toContain('Enter the hours as a whole number from 0 to 16.');
    const tooLong = await send('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d', { ...body, hours: 17, minutes: 0 });
    expect(tooLong.status).toBe(400);
    expect(await count()).toBe(1);
  });
});
