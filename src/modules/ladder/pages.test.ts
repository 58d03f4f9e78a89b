import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import type { Role } from '../membership/schema.ts';
import { useInputsForTests, type DashboardInputs } from './inputs.ts';
import { listLevels } from './levels.ts';
import { FakeInputs } from './test-inputs.ts';

// These pages, with the training, accreditation and volunteering inputs held in memory (the
// integration test reads them through the real modules).
const fake = new FakeInputs();
const dashboard: DashboardInputs = {
  attendanceByQuarter: async () => [],
  expiringQualifications: async () => [],
  dbsRenewalsDue: async () => 0,
};
beforeAll(() => useInputsForTests({ ladder: fake, dashboard }));
afterAll(() => useInputsForTests(undefined));

async function world() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const as = async (roles: Role[], opts: { wardCode?: string } = {}) => {
    const m = await buildMember(db, tenant.id, { roles, wardCode: opts.wardCode ?? 'E05010264' });
    const client = new TestClient(app, host);
    await client.get('/about');
    client.cookies.set('pm_session', m.cookie);
    return { ...m.member, client };
  };
  return { app, deps, db, tenant, host, as };
}

const text = async (res: Response) => (await res.text()).replace(/\s+/g, ' ');

describe(`ladder pages (${storeName()})`, () => {
  it('a volunteer sees where they are and what is missing; asking while not eligible is refused with the list, nothing stored', async () => {
    const w = await world();
    const vol = await w.as(['volunteer']);
    const page = await text(await vol.client.get('/me/ladder'));
    expect(page).toContain('<h1>My ladder</h1>');
    expect(page).toContain('You are not on the ladder yet.');
    expect(page).toContain('Next: level 1, Volunteer with ideas for change');
    expect(page).toContain('Still missing: complete Induction.');
    expect(page).not.toContain('Ask to step up');
    const refused = await vol.client.post('/me/ladder/step-up', {});
    expect(refused.status).toBe(409);
    expect(await text(refused)).toContain('You cannot ask to step up yet');
    expect(await w.deps.database.query('SELECT 1 FROM ladder_step_up_requests WHERE tenant_id = $1', [w.tenant.id])).toEqual([]);
    // In Polish.
    const pl = await text(await vol.client.get('/me/ladder?lang=pl'));
    expect(pl).toContain('<h1>Moja drabina</h1>');
    expect(pl).toContain('Jeszcze brakuje: ukończenie kursu: Wprowadzenie.');
    // The summary on /me.
    const me = await text(await vol.client.get('/me?lang=en'));
    expect(me).toContain('See my ladder');
  });

  it('eligible: asks, a coordinator declines with a reason (refused without one), then approves a new request; the volunteer sees each step', async () => {
    const w = await world();
    const vol = await w.as(['volunteer']);
    const coord = await w.as(['coordinator']);
    fake.grant(vol.id, { courses: ['induction'] });
    const page = await text(await vol.client.get('/me/ladder'));
    expect(page).toContain('You meet everything level 1 asks for.');
    expect(page).toContain('Ask to step up to level 1');
    const asked = await vol.client.post('/me/ladder/step-up', {});
    expect(asked.status).toBe(303);
    expect(await text(await vol.client.get(asked.headers.get('location')!))).toContain('A coordinator will decide.');

    const queue = await text(await coord.client.get('/coordinator/ladder/requests'));
    expect(queue).toContain(vol.name);
    const [req] = await w.deps.database.query<{ id: string }>("SELECT id FROM ladder_step_up_requests WHERE tenant_id = $1 AND status = 'pending'", [w.tenant.id]);
    const noReason = await coord.client.post(`/coordinator/ladder/requests/${req!.id}/decline`, { reason: '' });
    expect(noReason.status).toBe(400);
    expect(await text(noReason)).toContain('Give the volunteer a reason for declining.');
    expect((await coord.client.post(`/coordinator/ladder/requests/${req!.id}/decline`, { reason: 'Meet the group first, please.' })).status).toBe(303);
    expect(await text(await vol.client.get('/me/ladder'))).toContain('The reason given: Meet the group first, please.');
    expect((await lastEmail(w.deps.database, w.tenant.id, vol.email!))?.template).toBe('ladder.stepup.declined');

    expect((await vol.client.post('/me/ladder/step-up', {})).status).toBe(303);
    const [req2] = await w.deps.database.query<{ id: string }>("SELECT id FROM ladder_step_up_requests WHERE tenant_id = $1 AND status = 'pending'", [w.tenant.id]);
    expect((await coord.client.post(`/coordinator/ladder/requests/${req2!.id}/approve`, {})).status).toBe(303);
    const after = await text(await vol.client.get('/me/ladder'));
    expect(after).toContain('You are on level 1: Volunteer with ideas for change');
    expect(after).toContain('Next: level 2, Running a group or serving as a parent governor');
    expect(after).toContain('Still missing: complete Running a group or parent-governor; hold Safeguarding in date; 20 more hours; a DBS check in date; a coordinator’s sign-off.');
  });

  it('a coordinator’s own request: the queue says so and approving it is refused (403)', async () => {
    const w = await world();
    const coord = await w.as(['coordinator', 'volunteer']);
    fake.grant(coord.id, { courses: ['induction'] });
    expect((await coord.client.post('/me/ladder/step-up', {})).status).toBe(303);
    expect(await text(await coord.client.get('/coordinator/ladder/requests'))).toContain('Your own request: another coordinator decides it.');
    const [req] = await w.deps.database.query<{ id: string }>("SELECT id FROM ladder_step_up_requests WHERE tenant_id = $1 AND status = 'pending'", [w.tenant.id]);
    expect((await coord.client.post(`/coordinator/ladder/requests/${req!.id}/approve`, {})).status).toBe(403);
    expect(await w.deps.database.query("SELECT 1 FROM ladder_step_up_requests WHERE tenant_id = $1 AND status = 'pending'", [w.tenant.id])).toHaveLength(1);
  });

  it('coordinator member view: checklist, role needs, sign-off', async () => {
    const w = await world();
    const coord = await w.as(['coordinator']);
    const champ = await w.as(['street_champion']);
    const page = await text(await coord.client.get(`/coordinator/ladder/members/${champ.id}`));
    expect(page).toContain('Street champion: needs Street champion induction, Safeguarding (in date)');
    expect(page).toContain('Complete Induction: <strong>Still to do</strong>');
    const levels = await listLevels(w.db, w.tenant.id);
    await w.deps.database.query("INSERT INTO ladder_member_levels (tenant_id, id, member_id, level_id, from_date, approved_by) VALUES ($1, $2, $3, $4, '2026-01-01', 'system:test')", [w.tenant.id, '01900000-0000-7000-8000-00000000abcd', champ.id, levels[0]!.id]);
    expect(await text(await coord.client.get(`/coordinator/ladder/members/${champ.id}`))).toContain('Sign off for level 2');
    expect((await coord.client.post(`/coordinator/ladder/members/${champ.id}/sign-off`, { level: levels[1]!.id })).status).toBe(303);
    expect(await text(await coord.client.get(`/coordinator/ladder/members/${champ.id}?lang=pl`))).toContain('Zatwierdzono do poziomu 2.');
  });

  it('levels: a coordinator edits one (bad input refused with field messages, nothing changed); volunteers are refused', async () => {
    const w = await world();
    const coord = await w.as(['coordinator']);
    const vol = await w.as(['volunteer']);
    const levels = await listLevels(w.db, w.tenant.id);
    expect((await vol.client.get('/coordinator/ladder/levels')).status).toBe(403);
    expect(await text(await coord.client.get('/coordinator/ladder/levels'))).toContain('Training each role needs');
    const form = { title: 'Volunteer', titlePl: 'Wolontariat', description: '', descriptionPl: '', courses: 'induction', qualifications: '', hours: '2' };
    const bad = await coord.client.post(`/coordinator/ladder/levels/${levels[0]!.id}`, { ...form, hours: '-1', courses: 'Nope!' });
    expect(bad.status).toBe(400);
    const badText = await text(bad);
    expect(badText).toContain('Enter a whole number of hours from 0 to 10,000.');
    expect(badText).toContain('Use keys of lower-case letters');
    expect((await listLevels(w.db, w.tenant.id))[0]).toEqual(levels[0]);
    expect((await coord.client.post(`/coordinator/ladder/levels/${levels[0]!.id}`, form)).status).toBe(303);
    expect((await listLevels(w.db, w.tenant.id))[0]).toMatchObject({ title: 'Volunteer', minutesRequired: 120 });
    expect((await coord.client.post('/coordinator/ladder/roles/street_champion', { courses: 'street-champion-induction', qualifications: 'safeguarding, advocate' })).status).toBe(303);
  });

  it('the dashboard: exact figures for coordinators, with SVG charts and their tables, in both languages; others are refused', async () => {
    const w = await world();
    const coord = await w.as(['coordinator']);
    const vol = await w.as(['volunteer']);
    expect((await vol.client.get('/coordinator/ladder')).status).toBe(403);
    for (const [lang, h1] of [
      ['en', 'Ladder dashboard'],
      ['pl', 'Panel drabiny'],
    ] as const) {
      const res = await coord.client.get(`/coordinator/ladder?lang=${lang}`);
      expect(res.status).toBe(200);
      const page = await text(res);
      expect(page).toContain(`<h1>${h1}</h1>`);
      expect(page.match(/<svg[^>]*role="img"/g)).toHaveLength(2);
      expect(page).toContain('<caption>');
    }
  });
});
