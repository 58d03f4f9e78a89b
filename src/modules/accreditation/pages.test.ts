// Tests that go through training's views (listCourseRefs, courseRef). On the h9/accreditation
// branch those are contract stubs that throw, so THIS FILE FAILS THERE, and only because of the
// stub; it passes once training is merged (its seeded catalogue has the stable course keys).
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { listCourseRefs } from '../training/views.ts';
import { kindsOf } from './queries.ts';
import { qualificationKindCourses } from './schema.ts';
import { awardOnCompletion, missingPrerequisites } from './service.ts';

async function setup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const client = async (cookie?: string) => {
    const c = new TestClient(app, host);
    await c.get('/about');
    if (cookie) c.cookies.set('pm_session', cookie);
    return c;
  };
  const courses = new Map((await listCourseRefs(db, tenant.id)).map((r) => [r.key, r]));
  return { deps, db, tenant, client, courses };
}

describe(`accreditation with training's catalogue (${storeName()})`, () => {
  it('awardOnCompletion and missingPrerequisites take training’s course ids', async () => {
    const { db, tenant, courses } = await setup();
    const { member } = await buildMember(db, tenant.id);
    const sc = courses.get('street-champion-induction')!;
    const sg = courses.get('safeguarding-awareness')!;
    expect(await missingPrerequisites(db, { tenantId: tenant.id, memberId: member.id, courseId: sc.id, onDate: '2026-03-01', locale: 'en' })).toEqual(['Safeguarding awareness']);
    const input = { tenantId: tenant.id, memberId: member.id, sessionId: 'session-a', completedOn: '2026-03-01', actor: 'system:test' };
    expect(await db.transaction((tx) => awardOnCompletion(tx, { ...input, courseId: sc.id }))).toEqual({ awarded: [], notAwarded: [{ kindKey: 'street-champion', missing: ['safeguarding'] }] });
    const first = await db.transaction((tx) => awardOnCompletion(tx, { ...input, courseId: sg.id }));
    expect(first.awarded.map((a) => a.kindKey)).toEqual(['safeguarding']);
    expect(await db.transaction((tx) => awardOnCompletion(tx, { ...input, courseId: sg.id }))).toEqual(first);
    expect(await missingPrerequisites(db, { tenantId: tenant.id, memberId: member.id, courseId: sc.id, onDate: '2026-03-02', locale: 'en' })).toEqual([]);
  });

  it('coordinators add and edit kinds, linking courses picked from the catalogue by key', async () => {
    const { db, tenant, client, courses } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const c = await client(coordinator.cookie);
    const form = await c.get('/coordinator/accreditation/kinds/new');
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain(courses.get('induction')!.title);
    expect((await c.post('/coordinator/accreditation/kinds', { key: 'first-aid', title: 'First aid', validityMonths: '12', grants: 'induction', renews: 'no-such-course' })).status).toBe(400);
    expect((await kindsOf(db, tenant.id)).some((k) => k.key === 'first-aid')).toBe(false);
    expect((await c.post('/coordinator/accreditation/kinds', { key: 'first-aid', title: 'First aid', titlePl: 'Pierwsza pomoc', validityMonths: '12', grants: 'induction' })).status).toBe(303);
    const kind = (await kindsOf(db, tenant.id)).find((k) => k.key === 'first-aid')!;
    expect(kind.titlePl).toBe('Pierwsza pomoc');
    const edit = await c.get(`/coordinator/accreditation/kinds/${kind.id}`);
    expect(edit.status).toBe(200);
    const body = new URLSearchParams({ title: 'First aid at work', validityMonths: '', reactivatable: 'on', reactivationMonths: '6' });
    const res = await c.post(`/coordinator/accreditation/kinds/${kind.id}`, Object.fromEntries(body));
    expect(res.status).toBe(303);
    const after = (await kindsOf(db, tenant.id)).find((k) => k.key === 'first-aid')!;
    expect([after.title, after.validityMonths, after.reactivatable, after.reactivationMonths]).toEqual(['First aid at work', null, true, 6]);
    expect(await db.select().from(qualificationKindCourses).where(and(eq(qualificationKindCourses.tenantId, tenant.id), eq(qualificationKindCourses.kindId, kind.id)))).toEqual([]);
    expect((await c.get('/coordinator/accreditation/kinds/not-a-uuid')).status).toBe(404);
  });
});
