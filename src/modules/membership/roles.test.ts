import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { ageRateLimits, rateLimitCount } from '../../test/rate-limits.ts';
import { IN_PROCESS } from '../../server/client-address.ts';
import { canGrantRole, type Actor } from './policy.ts';
import { ROLES, type Role } from './schema.ts';

const actor = (roles: Role[]): Actor => ({ memberId: 'm', tenantId: 't', roles: new Set(roles), sessionId: 's' });

describe('role policy', () => {
  it('lets coordinators grant only non-staff roles and admins grant every role', () => {
    const table = ROLES.map((role) => [role, canGrantRole(actor(['coordinator']), role), canGrantRole(actor(['admin']), role), canGrantRole(actor(['member', 'board']), role)]);
    expect(table).toEqual([
      ['member', true, true, false],
      ['volunteer', true, true, false],
      ['street_champion', true, true, false],
      ['ward_rep', true, true, false],
      ['coordinator', false, true, false],
      ['board', false, true, false],
      ['safeguarding_lead', false, true, false],
      ['partner', true, true, false],
      ['viewer', true, true, false],
      ['admin', false, true, false],
    ]);
  });
});

describe(`roles, suspension and rate limits (${storeName()})`, () => {
  it('refuses a role the actor may not grant, changes nothing, and audits the grants it allows', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const target = await buildMember(db, tenant.id);
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', coordinator.cookie);
    const refused = await c.post(`/coordinator/members/${target.member.id}/roles/grant`, { role: 'admin' });
    expect(refused.status).toBe(403);
    const bogus = await c.post(`/coordinator/members/${target.member.id}/roles/grant`, { role: 'emperor' });
    expect(bogus.status).toBe(400);
    const roles = async () => (await deps.database.query<{ role: string }>('SELECT role FROM member_roles WHERE tenant_id = $1 AND member_id = $2 ORDER BY role', [tenant.id, target.member.id])).map((r) => r.role);
    expect(await roles()).toEqual(['member']);
    expect((await c.post(`/coordinator/members/${target.member.id}/roles/grant`, { role: 'volunteer' })).status).toBe(303);
    expect(await roles()).toEqual(['member', 'volunteer']);
    const audit = await deps.database.query<{ actor: string; action: string; data: { role: string } }>(
      "SELECT actor, action, data FROM audit_log WHERE tenant_id = $1 AND action = 'role.grant'", [tenant.id]);
    expect(audit).toEqual([{ actor: coordinator.member.id, action: 'role.grant', data: { role: 'volunteer' } }]);

    // Removing a role applies to the member's open session at once, without signing them out.
    const self = new TestClient(app, host);
    self.cookies.set('pm_session', target.cookie);
    expect((await self.get('/me')).status).toBe(200);
    expect((await c.post(`/coordinator/members/${target.member.id}/roles/remove`, { role: 'volunteer' })).status).toBe(303);
    expect(await roles()).toEqual(['member']);
    const page = await self.get('/me');
    expect(page.status).toBe(200);
    // The roles line of /me (other panels may name a level such as "Volunteer with ideas for change").
    const html = await page.text();
    expect(html).toContain('<dt>Roles</dt><dd>Member</dd>');
    expect(html).not.toMatch(/<dt>Roles<\/dt><dd>[^<]*Volunteer/);
  });

  it('suspension revokes every session of the member at once', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const target = await buildMember(db, tenant.id);
    const member = new TestClient(app, host);
    member.cookies.set('pm_session', target.cookie);
    expect((await member.get('/me')).status).toBe(200);
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', coordinator.cookie);
    expect((await c.post(`/coordinator/members/${target.member.id}/suspend`, { suspended: 'yes' })).status).toBe(303);
    expect((await member.get('/me')).status).toBe(303);
    const [{ n }] = (await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE member_id = $1 AND revoked_at IS NULL', [target.member.id])) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('rate-limits sign-in requests with 429, without locking the address for good', async () => {
    const { app, deps } = await testApp();
    const { tenant, host } = await buildTenant(deps.database.db);
    const c = new TestClient(app, host);
    await c.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await c.post('/sign-in', { email: 'someone@example.org' })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // The limit is per tenant: the same address on another mutual is not limited.
    const elsewhere = await buildTenant(deps.database.db, { wards: false });
    const e = new TestClient(app, elsewhere.host);
    await e.get('/sign-in');
    expect((await e.post('/sign-in', { email: 'someone@example.org' })).status).toBe(200);
    // When this address's 10-minute window has passed, it may ask again. Only its own counter is
    // moved (the per-client one is still under its limit of 20): no other test's counters change.
    expect(await ageRateLimits(deps.database, [`signin:email:${tenant.id}:someone@example.org`], 11 * 60)).toBe(1);
    expect((await c.post('/sign-in', { email: 'someone@example.org' })).status).toBe(200);
    // The address's counter started a new window; the per-client one was left alone and counts on.
    expect(await rateLimitCount(deps.database, `signin:email:${tenant.id}:someone@example.org`)).toBe(1);
    expect(await rateLimitCount(deps.database, `signin:ip:${tenant.id}:${IN_PROCESS}`)).toBe(8);
  });
});

describe(`session timeouts (${storeName()})`, () => {
  it('ends a member session after 7 idle days and any session at its absolute limit; staff after 30 idle minutes', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const member = await buildMember(db, tenant.id);
    const staff = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const get = (cookie: string) => {
      const c = new TestClient(app, host);
      c.cookies.set('pm_session', cookie);
      return c.get('/me');
    };
    expect((await get(member.cookie)).status).toBe(200);
    expect((await get(staff.cookie)).status).toBe(200);
    // 31 idle minutes: too long for staff, fine for a member.
    await deps.database.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE tenant_id = $1", [tenant.id]);
    expect((await get(member.cookie)).status).toBe(200);
    expect((await get(staff.cookie)).status).toBe(303);
    await deps.database.query("UPDATE sessions SET last_seen_at = now() - interval '8 days' WHERE tenant_id = $1 AND member_id = $2", [tenant.id, member.member.id]);
    expect((await get(member.cookie)).status).toBe(303);
    const fresh = await buildMember(db, tenant.id);
    await deps.database.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND member_id = $2", [tenant.id, fresh.member.id]);
    expect((await get(fresh.cookie)).status).toBe(303);
  });
});
