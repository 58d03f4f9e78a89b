import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../modules/audit/service.ts';
import { DEMO_EMAIL_DOMAIN, planDemoMembers } from '../modules/membership/demo.ts';
import { testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { clearDemo, loadDemo } from './demo.ts';

const TODAY = new Date('2026-12-01T10:00:00Z');

describe(`demo data (${storeName()})`, () => {
  it('plans a membership in every ward with one ward left without a representative', () => {
    const wards = Array.from({ length: 7 }, (_, i) => ({ id: `w${i}`, childrenUnder5: i * 200 }));
    const plan = planDemoMembers(wards);
    // In proportion to the children under 5 (one member per 25), between 6 and 30 a ward.
    expect(wards.map((w) => plan.filter((m) => m.wardId === w.id).length)).toEqual([6, 8, 16, 24, 30, 30, 30]);
    expect(plan.filter((m) => m.repOf).map((m) => m.repOf)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
    expect(plan.filter((m) => m.roles.includes('coordinator'))).toHaveLength(3);
    // Same seed, same mutual: a reload after clear gives the same people.
    expect(planDemoMembers(wards)).toEqual(plan);
    for (const m of plan) {
      expect(m.email === null || m.email.endsWith(`@${DEMO_EMAIL_DOMAIN}`)).toBe(true);
      expect(m.phone === null || /^\+447700900\d{3}$/.test(m.phone)).toBe(true);
      expect(m.email ?? m.phone).not.toBeNull();
    }
  });

  it('loads once, labels every demo record where it is shown, and clear removes it all and nothing else', async () => {
    const { app, deps } = await testApp();
    const { database } = deps;
    const db = database.db;
    const { tenant, host } = await buildTenant(db);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'], name: 'Real Coordinator' });
    const real = await buildMember(db, tenant.id, { name: 'Real Parent', wardCode: 'E05010268' });

    const first = await loadDemo({ db, tenant, today: TODAY });
    const added = first.find((r) => r.name === 'members')?.added ?? 0;
    expect(added).toBeGreaterThan(12 * 6 - 1);
    // A second load (a retried command) adds nothing.
    expect((await loadDemo({ db, tenant, today: TODAY })).find((r) => r.name === 'members')?.added).toBe(0);

    const demoRows = await database.query<{ n: number; wards: number; bad_email: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT ward_id)::int AS wards,
              count(*) FILTER (WHERE email IS NOT NULL AND email NOT LIKE '%@${DEMO_EMAIL_DOMAIN}')::int AS bad_email
         FROM members WHERE tenant_id = $1 AND is_demo`,
      [tenant.id],
    );
    expect(demoRows[0]).toEqual({ n: added, wards: 12, bad_email: 0 });
    const numbers = await database.query<{ n: number; distinct_numbers: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT member_number)::int AS distinct_numbers FROM members WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(numbers[0]).toEqual({ n: added + 2, distinct_numbers: added + 2 });

    const coord = new TestClient(app, host);
    await coord.get('/about');
    coord.cookies.set('pm_session', coordinator.cookie);
    const coverage = await (await coord.get('/coordinator/coverage')).text();
    expect(coverage).toContain('Demo data is loaded');
    expect(coverage).toContain('1 of 12 wards have no ward representative yet');
    const list = await (await coord.get('/coordinator/members?sort=name')).text();
    expect(list).toContain('class="tag demo"');
    const [demoMember] = await database.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1 AND is_demo ORDER BY member_number LIMIT 1', [tenant.id]);
    expect(await (await coord.get(`/coordinator/members/${demoMember!.id}`)).text()).toContain('class="tag demo"');
    // A real member's record carries no demo label.
    expect(await (await coord.get(`/coordinator/members/${real.member.id}`)).text()).not.toContain('class="tag demo"');
    const publicCoverage = await (await new TestClient(app, host).get('/wards/coverage')).text();
    expect(publicCoverage).toContain('Demo data is loaded');

    const cleared = await clearDemo({ db, tenant, today: TODAY });
    expect(cleared.find((r) => r.name === 'members')?.removed).toBe(added);
    const left = await database.query<{ name: string }>('SELECT name FROM members WHERE tenant_id = $1 ORDER BY name', [tenant.id]);
    expect(left.map((r) => r.name)).toEqual(['Real Coordinator', 'Real Parent']);
    const reps = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM ward_representatives WHERE tenant_id = $1', [tenant.id]);
    expect(reps[0]?.n).toBe(0);
    expect(await (await coord.get('/coordinator/coverage')).text()).not.toContain('Demo data is loaded');
    const audit = await database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'demo.%' ORDER BY seq", [tenant.id]);
    expect(audit.map((a) => a.action)).toEqual(['demo.load', 'demo.clear']);
    expect((await verifyAudit(db, tenant.id)).problems).toEqual([]);
  }, 600_000); // every module loads and clears its demo part: minutes on a busy machine
});
