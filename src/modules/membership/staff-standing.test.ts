import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { canChangeStanding, wouldRemoveLastAdmin, type Actor, type StandingChange } from './policy.ts';
import { removeRole, setSuspended } from './service.ts';
import { ROLES, type Role } from './schema.ts';

const actor = (roles: Role[]): Actor => ({ memberId: 'm', tenantId: 't', roles: new Set(roles), sessionId: 's' });

/**
 * The figure issue 7 asks for: actor role (rows) × target role (columns, in ROLES order:
 * member, volunteer, street_champion, ward_rep, coordinator, board, safeguarding_lead, partner,
 * viewer, admin). Y = done, N = refused (403) and nothing changed, - = not a thing to do (400).
 */
const FIGURE: Record<Role, { status: string; suspend: string; removeRole: string }> = {
  member: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  volunteer: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  street_champion: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  ward_rep: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  coordinator: { status: 'YYYYNNNYYN', suspend: 'YYYYNNNYYN', removeRole: '-YYYNNNYYN' },
  board: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  safeguarding_lead: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  partner: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  viewer: { status: 'NNNNNNNNNN', suspend: 'NNNNNNNNNN', removeRole: 'NNNNNNNNNN' },
  admin: { status: 'YYYYYYYYYY', suspend: 'YYYYYYYYYY', removeRole: '-YYYYYYYYY' },
};

describe('standing policy', () => {
  it('lets an actor change the standing of a target only when they could grant every role the target holds', () => {
    const table = Object.fromEntries(ROLES.map((a) => [a, ROLES.map((t) => (canChangeStanding(actor([a]), ['member', t]) ? 'Y' : 'N')).join('')]));
    expect(table).toEqual(Object.fromEntries(ROLES.map((a) => [a, FIGURE[a].status])));
  });

  it('refuses only the changes that would leave no usable admin', () => {
    const admin = { roles: ['member', 'admin'] as Role[], status: 'active', suspended: false };
    const changes: StandingChange[] = [
      { kind: 'status', to: 'lapsed' },
      { kind: 'status', to: 'left' },
      { kind: 'status', to: 'pending' },
      { kind: 'status', to: 'active' },
      { kind: 'suspend' },
      { kind: 'remove_role', role: 'admin' },
      { kind: 'remove_role', role: 'volunteer' },
    ];
    expect(changes.map((c) => wouldRemoveLastAdmin(admin, c, 1))).toEqual([true, true, true, false, true, true, false]);
    expect(changes.map((c) => wouldRemoveLastAdmin(admin, c, 2))).toEqual(changes.map(() => false));
    // A suspended or lapsed admin is not the one keeping the tenant manageable.
    expect(wouldRemoveLastAdmin({ ...admin, suspended: true }, { kind: 'remove_role', role: 'admin' }, 1)).toBe(false);
    expect(wouldRemoveLastAdmin({ ...admin, roles: ['member', 'coordinator'] }, { kind: 'suspend' }, 1)).toBe(false);
  });
});

describe(`status, suspension and role removal for every actor role × target role (${storeName()})`, () => {
  it('matches the figure through HTTP, and refused requests change nothing', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const q = deps.database;
    const results: Record<string, { status: string; suspend: string; removeRole: string }> = {};
    for (const a of ROLES) {
      const me = await buildMember(db, tenant.id, { roles: [a] });
      const c = new TestClient(app, host);
      await c.get('/about');
      c.cookies.set('pm_session', me.cookie);
      const row = { status: '', suspend: '', removeRole: '' };
      for (const t of ROLES) {
        const target = await buildMember(db, tenant.id, { roles: [t] });
        const id = target.member.id;
        const read = async () => {
          const [m] = await q.query<{ status: string; suspended: boolean }>('SELECT status, suspended_at IS NOT NULL AS suspended FROM members WHERE tenant_id = $1 AND id = $2', [tenant.id, id]);
          const roles = (await q.query<{ role: string }>('SELECT role FROM member_roles WHERE tenant_id = $1 AND member_id = $2', [tenant.id, id])).map((r) => r.role);
          return { ...m!, roles };
        };
        const mark = (res: Response, changed: boolean) => (res.status === 303 && changed ? 'Y' : res.status === 403 && !changed ? 'N' : res.status === 400 && !changed ? '-' : `?${res.status}`);
        const s = await c.post(`/coordinator/members/${id}/status`, { status: 'lapsed' });
        row.status += mark(s, (await read()).status === 'lapsed');
        const p = await c.post(`/coordinator/members/${id}/suspend`, { suspended: 'yes' });
        row.suspend += mark(p, (await read()).suspended);
        const r = await c.post(`/coordinator/members/${id}/roles/remove`, { role: t });
        row.removeRole += mark(r, !(await read()).roles.includes(t));
      }
      results[a] = row;
    }
    expect(results).toEqual(FIGURE);
  }, 300_000);

  it('never lets the last admin remove their admin role, be suspended or stop being active (409); a second admin unlocks it', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const only = await buildMember(db, tenant.id, { roles: ['admin'] });
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', only.cookie);
    const id = only.member.id;
    const state = async () => (await deps.database.query('SELECT m.status, m.suspended_at, array_agg(r.role ORDER BY r.role) AS roles FROM members m JOIN member_roles r ON r.tenant_id = m.tenant_id AND r.member_id = m.id WHERE m.tenant_id = $1 AND m.id = $2 GROUP BY m.status, m.suspended_at', [tenant.id, id]))[0];
    const before = await state();
    const removed = await c.post(`/coordinator/members/${id}/roles/remove`, { role: 'admin' });
    expect(removed.status).toBe(409);
    expect(await removed.text()).toContain('This is the only admin of the mutual');
    expect((await c.post(`/coordinator/members/${id}/suspend`, { suspended: 'yes' })).status).toBe(409);
    for (const status of ['lapsed', 'left', 'pending']) expect((await c.post(`/coordinator/members/${id}/status`, { status })).status, status).toBe(409);
    // Leaving from their own page is the same change.
    const leaving = await c.post('/me/leave', { confirm: 'yes' });
    expect(leaving.status).toBe(409);
    const leavingText = await leaving.text();
    expect(leavingText).toContain('This is the only admin of the mutual');
    expect(leavingText).not.toContain('staff.error');
    expect(await state()).toEqual(before);
    expect((await c.get('/me')).status).toBe(200);

    // In Polish too, without raw keys.
    const pl = await c.post(`/coordinator/members/${id}/roles/remove?lang=pl`, { role: 'admin' });
    expect(pl.status).toBe(409);
    const plText = await pl.text();
    expect(plText).toContain('To jedyna osoba z rolą administratora');
    expect(plText).not.toContain('staff.error');

    // With a second admin, the first may step down; then the second is the last one.
    const second = await buildMember(db, tenant.id, { roles: ['admin'] });
    expect((await c.post(`/coordinator/members/${id}/roles/remove`, { role: 'admin' })).status).toBe(303);
    const c2 = new TestClient(app, host);
    await c2.get('/about');
    c2.cookies.set('pm_session', second.cookie);
    expect((await c2.post(`/coordinator/members/${second.member.id}/status`, { status: 'lapsed' })).status).toBe(409);
    // A suspended admin does not count: the remaining one is still the last.
    const third = await buildMember(db, tenant.id, { roles: ['admin'] });
    expect((await c2.post(`/coordinator/members/${third.member.id}/suspend`, { suspended: 'yes' })).status).toBe(303);
    expect((await c2.post(`/coordinator/members/${second.member.id}/suspend`, { suspended: 'yes' })).status).toBe(409);
    const audit = await deps.database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND action IN ('role.remove', 'member.suspend') ORDER BY seq", [tenant.id]);
    expect(audit.map((a) => a.action)).toEqual(['role.remove', 'member.suspend']);
  }, 60_000);
});

describe(`the last admin under concurrency (${storeName()})`, () => {
  it('two admins removing each other at the same moment: exactly one succeeds, one admin remains', async () => {
    // On PostgreSQL the two transactions really overlap; the service locks the admins before counting.
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db);
    for (let round = 0; round < 5; round += 1) {
      const a = await buildMember(db, tenant.id, { roles: ['admin'] });
      const b = await buildMember(db, tenant.id, { roles: ['admin'] });
      const others = await deps.database.query<{ member_id: string }>("SELECT member_id FROM member_roles WHERE tenant_id = $1 AND role = 'admin' AND member_id NOT IN ($2, $3)", [tenant.id, a.member.id, b.member.id]);
      // Keep only a and b as admins for this round.
      for (const o of others) await deps.database.query("DELETE FROM member_roles WHERE tenant_id = $1 AND member_id = $2 AND role = 'admin'", [tenant.id, o.member_id]);
      const asActor = (id: string): Actor => ({ memberId: id, tenantId: tenant.id, roles: new Set<Role>(['member', 'admin']), sessionId: 's' });
      const results = await Promise.allSettled(
        round % 2 === 0
          ? [removeRole(db, asActor(a.member.id), b.member.id, 'admin'), removeRole(db, asActor(b.member.id), a.member.id, 'admin')]
          : [setSuspended(db, asActor(a.member.id), b.member.id, true), setSuspended(db, asActor(b.member.id), a.member.id, true)],
      );
      expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual(['fulfilled', 'rejected']);
      const [{ n }] = (await deps.database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM member_roles r JOIN members m ON m.tenant_id = r.tenant_id AND m.id = r.member_id WHERE r.tenant_id = $1 AND r.role = 'admin' AND m.suspended_at IS NULL",
        [tenant.id],
      )) as [{ n: number }];
      expect(n, `round ${round}`).toBe(1);
    }
  }, 60_000);
});
