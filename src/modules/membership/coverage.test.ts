import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { publishCoverage, type Coverage } from './representation.ts';

function rowOf(html: string, ward: string): string {
  const at = html.indexOf(`>${ward}</`);
  return html.slice(at, html.indexOf('</tr>', at));
}

describe(`ward representation (${storeName()})`, () => {
  it('appointing a ward representative changes the coverage map and table; standing down reverts it', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const parent = await buildMember(db, tenant.id, { wardCode: 'E05010268', name: 'Lena Lloyds' });
    const coord = new TestClient(app, host);
    await coord.get('/about');
    coord.cookies.set('pm_session', coordinator.cookie);

    const before = await (await coord.get('/coordinator/coverage')).text();
    expect(rowOf(before, 'Lloyds')).toContain('No representative');
    expect(before).toContain('12 of 12 wards have no ward representative yet');

    expect((await coord.post(`/coordinator/members/${parent.member.id}/reps/appoint`, { ward: 'E05010268', startsOn: '2026-01-01' })).status).toBe(303);
    const after = await (await coord.get('/coordinator/coverage')).text();
    expect(rowOf(after, 'Lloyds')).toContain('Lena Lloyds');
    expect(after).toContain('11 of 12 wards have no ward representative yet');
    expect(after).toMatch(/data-coverage="[^"]*E05010268&quot;:&quot;some/);

    const publicPage = await (await new TestClient(app, host).get('/wards/coverage')).text();
    expect(rowOf(publicPage, 'Lloyds')).toContain('Yes');
    expect(publicPage).not.toContain('Lena Lloyds');
    // One member in Lloyds: a count from 1 to 5, hidden.
    expect(rowOf(publicPage, 'Lloyds')).toMatch(/class="num" data-label="Members">c</);

    const [appointment] = await deps.database.query<{ id: string }>('SELECT id FROM ward_representatives WHERE tenant_id = $1', [tenant.id]);
    expect((await coord.post(`/coordinator/members/${parent.member.id}/reps/${appointment!.id}/stand-down`, { endsOn: '2026-02-01' })).status).toBe(303);
    const roles = await deps.database.query<{ role: string }>('SELECT role FROM member_roles WHERE tenant_id = $1 AND member_id = $2', [tenant.id, parent.member.id]);
    expect(roles.map((r) => r.role)).toEqual(['member']);
    expect(rowOf(await (await coord.get('/coordinator/coverage')).text(), 'Lloyds')).toContain('No representative');
  });

  it('hides counts from 1 to 5 and anything that would reveal them', () => {
    const coverage: Coverage = {
      setName: 'Test',
      setKey: 'test',
      membersWithoutWard: 0,
      wardsWithoutRep: 0,
      demo: false,
      rows: [
        { wardId: 'a', code: 'A', name: 'A', childrenUnder5: 500, members: 3, representatives: [] },
        { wardId: 'b', code: 'B', name: 'B', childrenUnder5: 400, members: 40, representatives: [] },
        { wardId: 'c', code: 'C', name: 'C', childrenUnder5: 300, members: 25, representatives: [] },
        { wardId: 'd', code: 'D', name: 'D', childrenUnder5: 0, members: 0, representatives: [] },
      ],
    };
    const published = publishCoverage(coverage);
    const cells = published.rows.map((r) => r.members);
    expect(cells[0]).toMatchObject({ suppressed: true, value: null });
    // With the total published, a second cell must be hidden so that A cannot be worked out: the
    // smallest other non-zero count, C's 25. Exactly those two.
    expect(cells.map((c) => c.suppressed)).toEqual([true, false, true, false]);
    expect(published.total.value).toBe(68);
    expect(published.rows[0]?.perThousandUnder5.suppressed).toBe(true);
    expect(cells[3]).toMatchObject({ value: 0, suppressed: false });
    // No visible cell is a small count.
    for (const c of cells) if (!c.suppressed && c.value !== null) expect(c.value === 0 || c.value > 5).toBe(true);
  });
});
