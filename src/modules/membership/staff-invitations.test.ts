import { describe, expect, it } from 'vitest';
import { open } from '../../lib/secret-box.ts';
import { totpCode } from '../../lib/totp.ts';
import { createApp } from '../../server/app.ts';
import { TEST_SECRET, testDeps } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount, lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

async function setup() {
  const deps = await testDeps();
  deps.clock = () => T0;
  const app = createApp(deps);
  const { tenant, host } = await buildTenant(deps.database.db);
  const signedIn = async (cookie: string) => {
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', cookie);
    return c;
  };
  return { app, deps, tenant, host, db: deps.database.db, signedIn };
}

type Ctx = Awaited<ReturnType<typeof setup>>;
const tokenOf = (link: string) => new URL(`http://x${link}`).searchParams.get('token')!;

/** Open the emailed invitation, accept it, set up TOTP from the page, confirm and save the recovery codes. */
async function acceptAndEnrol(ctx: Ctx, email: string, memberId: string) {
  const mail = await lastEmail(ctx.deps.database, ctx.tenant.id, email);
  expect(mail?.template).toBe('staff_invitation');
  const c = new TestClient(ctx.app, ctx.host);
  // A mail scanner's GET shows a button and burns nothing.
  const scanned = await c.get(mail!.link!);
  expect(scanned.status).toBe(200);
  expect(await scanned.text()).toContain('Accept and set up my sign-in');
  expect((await c.get(mail!.link!)).status).toBe(200);
  const accepted = await c.post('/staff/invitation', { token: tokenOf(mail!.link!) });
  expect(accepted.status).toBe(303);
  expect(accepted.headers.get('location')).toBe('/sign-in/second-factor');
  const page = await (await c.get('/sign-in/second-factor')).text();
  expect(page).toContain('<svg');
  const [factor] = await ctx.deps.database.query<{ secret_enc: string }>('SELECT secret_enc FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, memberId]);
  const secret = open(TEST_SECRET, 'totp-seed', factor!.secret_enc);
  expect(page.replace(/\s/g, '')).toContain(secret);
  const done = await c.post('/sign-in/second-factor', { code: totpCode(secret, T0) });
  expect(done.status).toBe(200);
  const codes = [...(await done.text()).matchAll(/<code>([a-z2-7-]{14})<\/code>/g)].map((m) => m[1]!);
  expect(codes).toHaveLength(10);
  expect((await c.post('/me/recovery-codes/saved', {})).headers.get('location')).toBe('/me');
  expect((await c.get('/me')).status).toBe(200);
  // The link was used once.
  expect((await new TestClient(ctx.app, ctx.host).post('/staff/invitation', { token: tokenOf(mail!.link!) })).status).toBe(400);
  return { c, secret, codes };
}

describe(`staff invitations (${storeName()})`, () => {
  it('an admin invites a new person; they prove the address, set up TOTP with a QR code and get recovery codes', async () => {
    const ctx = await setup();
    const admin = await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] });
    const a = await ctx.signedIn(admin.cookie);
    const page = await a.get('/coordinator/staff');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Invite a member of staff');

    // Bad input: the form again, fields marked, nothing stored.
    const bad = await a.post('/coordinator/staff/invite', { email: 'nope', name: '', role: 'emperor' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Enter an email address like name@example.com');
    expect(badHtml).toContain('Choose a staff role from the list');
    expect(badHtml).not.toContain('staff.error');
    expect(await emailCount(ctx.deps.database, ctx.tenant.id, 'nope')).toBe(0);

    const sent = await a.post('/coordinator/staff/invite', { email: 'Nowa.Koordynatorka@example.org', name: 'Nowa Koordynatorka', role: 'coordinator' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/coordinator/staff?done=invited');
    const [invited] = await ctx.deps.database.query<{ id: string; status: string; verified: boolean }>("SELECT id, status, email_verified_at IS NOT NULL AS verified FROM members WHERE tenant_id = $1 AND email = 'nowa.koordynatorka@example.org'", [ctx.tenant.id]);
    expect(invited).toMatchObject({ status: 'pending', verified: false });
    const mail = await lastEmail(ctx.deps.database, ctx.tenant.id, 'nowa.koordynatorka@example.org');
    expect(mail?.text_body).toContain('works once, for 72 hours');

    await acceptAndEnrol(ctx, 'nowa.koordynatorka@example.org', invited!.id);
    const [after] = await ctx.deps.database.query<{ status: string; verified: boolean }>('SELECT status, email_verified_at IS NOT NULL AS verified FROM members WHERE tenant_id = $1 AND id = $2', [ctx.tenant.id, invited!.id]);
    expect(after).toEqual({ status: 'active', verified: true });
    const audit = await ctx.deps.database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 AND action IN ('staff.invite', 'role.grant', 'staff.invitation.accept', 'second_factor.enrol', 'second_factor.recovery_codes_saved') ORDER BY seq", [ctx.tenant.id, invited!.id]);
    expect(audit.map((r) => r.action)).toEqual(['role.grant', 'staff.invite', 'staff.invitation.accept', 'second_factor.enrol', 'second_factor.recovery_codes_saved']);
    const staffPage = await (await a.get('/coordinator/staff')).text();
    expect(staffPage).toContain('Nowa Koordynatorka');
  });

  it('coordinators cannot invite staff (403) and nothing is sent; invitation links expire after 72 hours', async () => {
    const ctx = await setup();
    const coordinator = await buildMember(ctx.db, ctx.tenant.id, { roles: ['coordinator'] });
    const c = await ctx.signedIn(coordinator.cookie);
    expect((await c.get('/coordinator/staff')).status).toBe(403);
    expect((await c.post('/coordinator/staff/invite', { email: 'x@example.org', name: 'X', role: 'coordinator' })).status).toBe(403);
    expect(await emailCount(ctx.deps.database, ctx.tenant.id, 'x@example.org')).toBe(0);

    const admin = await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] });
    const a = await ctx.signedIn(admin.cookie);
    expect((await a.post('/coordinator/staff/invite', { email: 'late@example.org', name: 'Late', role: 'board' })).status).toBe(303);
    const mail = await lastEmail(ctx.deps.database, ctx.tenant.id, 'late@example.org');
    await ctx.deps.database.query("UPDATE member_tokens SET expires_at = created_at + interval '72 hours' WHERE tenant_id = $1 AND purpose = 'staff_invitation'", [ctx.tenant.id]);
    await ctx.deps.database.query("UPDATE member_tokens SET created_at = created_at - interval '73 hours', expires_at = expires_at - interval '73 hours' WHERE tenant_id = $1 AND purpose = 'staff_invitation'", [ctx.tenant.id]);
    const late = new TestClient(ctx.app, ctx.host);
    const shown = await late.get(mail!.link!);
    expect(shown.status).toBe(400);
    expect(await shown.text()).toContain('This invitation link has expired or was already used');
    expect((await late.post('/staff/invitation', { token: tokenOf(mail!.link!) })).status).toBe(400);
  });
});

describe(`second factor resets (${storeName()})`, () => {
  it('with one other admin the reset happens at once: factors gone, sessions revoked, a new invitation works', async () => {
    const ctx = await setup();
    const admin = await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] });
    const a = await ctx.signedIn(admin.cookie);
    expect((await a.post('/coordinator/staff/invite', { email: 'lost@example.org', name: 'Lost Phone', role: 'coordinator' })).status).toBe(303);
    const [lost] = await ctx.deps.database.query<{ id: string }>("SELECT id FROM members WHERE tenant_id = $1 AND email = 'lost@example.org'", [ctx.tenant.id]);
    const first = await acceptAndEnrol(ctx, 'lost@example.org', lost!.id);

    // An admin cannot reset their own factor this way.
    const self = await a.post(`/coordinator/staff/${admin.member.id}/reset`, {});
    expect(self.status).toBe(403);
    expect(await self.text()).toContain('You cannot reset your own second factor');

    const reset = await a.post(`/coordinator/staff/${lost!.id}/reset`, {});
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe('/coordinator/staff?done=reset');
    const left = await ctx.deps.database.query<{ t: string }>(
      `SELECT 'totp' AS t FROM totp_factors WHERE tenant_id = $1 AND member_id = $2
       UNION ALL SELECT 'code' FROM recovery_codes WHERE tenant_id = $1 AND member_id = $2
       UNION ALL SELECT 'session' FROM sessions WHERE tenant_id = $1 AND member_id = $2 AND revoked_at IS NULL`, [ctx.tenant.id, lost!.id]);
    expect(left).toEqual([]);
    expect((await first.c.get('/me')).status).toBe(303);
    const audit = await ctx.deps.database.query<{ actor: string; action: string }>("SELECT actor, action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'second_factor.reset%'", [ctx.tenant.id]);
    expect(audit).toEqual([{ actor: admin.member.id, action: 'second_factor.reset' }]);
    // The new invitation sets up a new factor.
    await acceptAndEnrol(ctx, 'lost@example.org', lost!.id);
  });

  it('with two or more other admins one requests and a different one approves', async () => {
    const ctx = await setup();
    const [a1, a2, a3] = [await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] }), await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] }), await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] })];
    const c1 = await ctx.signedIn(a1!.cookie);
    const c2 = await ctx.signedIn(a2!.cookie);
    // a3 lost their phone; a1 and a2 are the two other admins.
    await ctx.deps.database.query("INSERT INTO totp_factors (tenant_id, member_id, secret_enc, confirmed_at) VALUES ($1, $2, 'x', now())", [ctx.tenant.id, a3!.member.id]);
    const requested = await c1.post(`/coordinator/staff/${a3!.member.id}/reset`, {});
    expect(requested.headers.get('location')).toBe('/coordinator/staff?done=requested');
    const factorCount = async () => (await ctx.deps.database.query('SELECT 1 FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, a3!.member.id])).length;
    expect(await factorCount()).toBe(1);
    // The requester cannot approve their own request; asking twice is refused.
    const sameAdmin = await c1.post(`/coordinator/staff/${a3!.member.id}/reset/approve`, {});
    expect(sameAdmin.status).toBe(403);
    expect(await sameAdmin.text()).toContain('A different admin must approve');
    expect((await c1.post(`/coordinator/staff/${a3!.member.id}/reset`, {})).status).toBe(409);
    expect(await factorCount()).toBe(1);
    const page = await (await c2.get('/coordinator/staff')).text();
    expect(page).toContain('Approve the reset');
    const approved = await c2.post(`/coordinator/staff/${a3!.member.id}/reset/approve`, {});
    expect(approved.headers.get('location')).toBe('/coordinator/staff?done=reset');
    expect(await factorCount()).toBe(0);
    const audit = await ctx.deps.database.query<{ actor: string; action: string }>("SELECT actor, action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'second_factor.reset%' ORDER BY seq", [ctx.tenant.id]);
    expect(audit).toEqual([
      { actor: a1!.member.id, action: 'second_factor.reset.request' },
      { actor: a2!.member.id, action: 'second_factor.reset.approve' },
      { actor: a2!.member.id, action: 'second_factor.reset' },
    ]);
    expect((await lastEmail(ctx.deps.database, ctx.tenant.id, a3!.member.email!))?.template).toBe('staff_invitation');
  });

  it('shows the staff pages in Polish and at phone width without inline style or script', async () => {
    const ctx = await setup();
    const admin = await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] });
    const a = await ctx.signedIn(admin.cookie);
    const html = await (await a.get('/coordinator/staff?lang=pl')).text();
    expect(html).toContain('Zaproś osobę do zespołu');
    expect(html).toContain('class="table-wrap"');
    expect(html).not.toContain('style=');
    expect(html).not.toMatch(/<script(?! src)/);
    expect(await (await a.get('/coordinator/members?lang=pl')).text()).toContain('href="/coordinator/staff"');
  });
});
