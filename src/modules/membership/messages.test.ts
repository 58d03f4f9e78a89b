import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';

/** No catalogue key ("reps.error.date") and no "field: message" pairs in what a person reads. */
function expectNoRawKeys(html: string) {
  expect(html).not.toMatch(/>[^<]*\b(reps|join|coord|roles|me|signin)\.(error|[a-z]+)\.[a-zA-Z]+/);
  expect(html).not.toMatch(/\b(startsOn|endsOn|memberId|sort):/);
}

describe(`form errors on the coordinator's member page (${storeName()})`, () => {
  async function setUp(lang?: 'pl') {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const parent = await buildMember(db, tenant.id, { wardCode: 'E05010268', name: 'Ola Nowak' });
    const coord = new TestClient(app, host);
    await coord.get(lang ? `/about?lang=${lang}` : '/about');
    coord.cookies.set('pm_session', coordinator.cookie);
    return { deps, tenant, coord, parent };
  }

  it('a bad start date is shown on the form, in words, not as a key', async () => {
    const { coord, parent } = await setUp();
    const res = await coord.post(`/coordinator/members/${parent.member.id}/reps/appoint`, { ward: 'E05010268', startsOn: '2026-02-30' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Enter a date like 2026-11-26');
    expect(html).toContain('href="#f-startsOn"');
    expect(html).toMatch(/id="f-startsOn"[^>]*aria-invalid="true"/);
    expectNoRawKeys(html);
  });

  it('an end date before the start date is a form error on the field (400), not a 404, and changes nothing', async () => {
    const { deps, tenant, coord, parent } = await setUp();
    expect((await coord.post(`/coordinator/members/${parent.member.id}/reps/appoint`, { ward: 'E05010268', startsOn: '2026-03-10' })).status).toBe(303);
    const [appointment] = await deps.database.query<{ id: string }>('SELECT id FROM ward_representatives WHERE tenant_id = $1 AND member_id = $2', [tenant.id, parent.member.id]);
    const res = await coord.post(`/coordinator/members/${parent.member.id}/reps/${appointment!.id}/stand-down`, { endsOn: '2026-03-09' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('The end date must be the same as or after the start date');
    expect(html).toContain('href="#f-endsOn"');
    expect(html).toMatch(/id="f-endsOn"[^>]*value="2026-03-09"[^>]*aria-invalid="true"/);
    // Dates on the page are in words.
    expect(html).toContain('Lloyds: 10 March 2026');
    expectNoRawKeys(html);
    const [row] = await deps.database.query<{ ends_on: string | null }>('SELECT ends_on FROM ward_representatives WHERE tenant_id = $1 AND id = $2', [tenant.id, appointment!.id]);
    expect(row?.ends_on).toBeNull();
    // The same day is fine; an appointment that has ended is then not found.
    expect((await coord.post(`/coordinator/members/${parent.member.id}/reps/${appointment!.id}/stand-down`, { endsOn: '2026-03-10' })).status).toBe(303);
    expect((await coord.post(`/coordinator/members/${parent.member.id}/reps/${appointment!.id}/stand-down`, { endsOn: '2026-03-11' })).status).toBe(404);
  });

  it('in Polish too, with Polish dates', async () => {
    const { deps, tenant, coord, parent } = await setUp('pl');
    expect((await coord.post(`/coordinator/members/${parent.member.id}/reps/appoint`, { ward: 'E05010268', startsOn: '2026-12-01' })).status).toBe(303);
    const [appointment] = await deps.database.query<{ id: string }>('SELECT id FROM ward_representatives WHERE tenant_id = $1 AND member_id = $2', [tenant.id, parent.member.id]);
    const res = await coord.post(`/coordinator/members/${parent.member.id}/reps/${appointment!.id}/stand-down`, { endsOn: '2026-11-30' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Data zakończenia nie może być wcześniejsza niż data rozpoczęcia');
    expect(html).toContain('1 grudnia 2026');
    expectNoRawKeys(html);
  });

  it('error pages list what to fix in words, without field names', async () => {
    const { coord } = await setUp('pl');
    const res = await coord.get('/coordinator/members?sort=pg_sleep(5)');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Wybierz sortowanie z listy');
    expectNoRawKeys(html);
  });
});
