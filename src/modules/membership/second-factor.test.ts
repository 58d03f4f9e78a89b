import { describe, expect, it } from 'vitest';
import { open, seal } from '../../lib/secret-box.ts';
import { generateTotpSecret, totpCode } from '../../lib/totp.ts';
import { createApp } from '../../server/app.ts';
import { TEST_SECRET, testDeps } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import { SoftPasskey } from '../../test/webauthn.ts';
import { issueToken } from './tokens.ts';

// A fixed, injected time: codes are made for it and the app checks against it (no Date.now in tests).
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

async function setup() {
  const deps = await testDeps();
  let now = T0;
  deps.clock = () => now;
  const app = createApp(deps);
  const { tenant, host } = await buildTenant(deps.database.db);
  return { app, deps, tenant, host, db: deps.database.db, setTime: (t: number) => (now = t) };
}

type Ctx = Awaited<ReturnType<typeof setup>>;

/** A coordinator with a confirmed authenticator app; returns its secret. */
async function staffWithTotp(ctx: Ctx) {
  const staff = await buildMember(ctx.db, ctx.tenant.id, { roles: ['coordinator'] });
  const secret = generateTotpSecret();
  await ctx.deps.database.query('INSERT INTO totp_factors (tenant_id, member_id, secret_enc, confirmed_at) VALUES ($1, $2, $3, now())', [ctx.tenant.id, staff.member.id, seal(TEST_SECRET, 'totp-seed', secret)]);
  return { ...staff, secret };
}

/** A pending second-factor step (as after the email link), in a fresh client. */
async function pendingStep(ctx: Ctx, memberId: string) {
  const token = await issueToken(ctx.db, { tenantId: ctx.tenant.id, memberId, purpose: 'second_factor' });
  const c = new TestClient(ctx.app, ctx.host);
  await c.get('/about');
  c.cookies.set('pm_2fa', token);
  return { c, token };
}

function wrongCode(secret: string, at: number): string {
  const near = [-1, 0, 1].map((s) => totpCode(secret, at + s * 30_000));
  return ['000000', '111111', '222222', '333333'].find((x) => !near.includes(x))!;
}

/** POST a code from a given client address (the attacker spreads guesses across addresses). */
async function postCode(ctx: Ctx, c: TestClient, code: string, address: string): Promise<Response> {
  const body = new URLSearchParams({ code, _csrf: c.csrf() });
  return ctx.app.request(
    '/sign-in/second-factor',
    { method: 'POST', headers: { host: ctx.host, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
    { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: 'IPv4' } } },
  );
}

const sessionsWith2fa = async (ctx: Ctx, memberId: string) =>
  (await ctx.deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND member_id = $2 AND second_factor_at IS NOT NULL', [ctx.tenant.id, memberId]))[0]!.n;

describe(`second factor: guessing caps (${storeName()})`, () => {
  it('burns a pending sign-in after 5 wrong codes, even from 5 different addresses; a new link is needed', async () => {
    const ctx = await setup();
    const staff = await staffWithTotp(ctx);
    const before = await sessionsWith2fa(ctx, staff.member.id);
    const { c, token } = await pendingStep(ctx, staff.member.id);
    const bad = wrongCode(staff.secret, T0);
    for (let i = 1; i <= 4; i += 1) {
      const res = await postCode(ctx, c, bad, `203.0.113.${i}`);
      expect(res.status, `attempt ${i}`).toBe(400);
      expect(await res.text()).toContain('That code is not right');
    }
    const fifth = await postCode(ctx, c, bad, '203.0.113.5');
    expect(fifth.status).toBe(400);
    expect(await fifth.text()).toContain('Too many wrong codes: this sign-in has been stopped');
    // Now even the right code is refused: the pending sign-in is spent.
    const right = await postCode(ctx, c, totpCode(staff.secret, T0), '203.0.113.6');
    expect(right.status).toBe(400);
    expect(await right.text()).toContain('Start again from a new email link');
    const [row] = await ctx.deps.database.query<{ attempts: number; used: boolean }>('SELECT attempts, used_at IS NOT NULL AS used FROM member_tokens WHERE tenant_id = $1 AND member_id = $2 AND purpose = $3', [ctx.tenant.id, staff.member.id, 'second_factor']);
    expect(row).toEqual({ attempts: 5, used: true });
    expect(token).toBeTruthy();
    expect(await sessionsWith2fa(ctx, staff.member.id)).toBe(before);
  });

  it('pauses the member after 10 wrong codes in 15 minutes across sign-ins and says so; never for good', async () => {
    const ctx = await setup();
    const staff = await staffWithTotp(ctx);
    const before = await sessionsWith2fa(ctx, staff.member.id);
    const bad = wrongCode(staff.secret, T0);
    let address = 0;
    // 4 + 4 + 2 wrong codes: no pending sign-in reaches its own cap of 5, the member reaches 10.
    let last: TestClient | undefined;
    for (const n of [4, 4, 2]) {
      const { c } = await pendingStep(ctx, staff.member.id);
      for (let i = 0; i < n; i += 1) {
        address += 1;
        const res = await postCode(ctx, c, bad, `198.51.100.${address}`);
        // The tenth wrong code pauses the member's second step, and the answer says so.
        expect(res.status, `wrong code ${address}`).toBe(address < 10 ? 400 : 429);
        if (address === 10) expect(await res.text()).toContain('try again in 15 minutes');
      }
      last = c;
    }
    const paused = await postCode(ctx, last!, totpCode(staff.secret, T0), '198.51.100.99');
    expect(paused.status).toBe(429);
    const page = await last!.get('/sign-in/second-factor');
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('try again in 15 minutes');
    const fresh = await pendingStep(ctx, staff.member.id);
    expect((await postCode(ctx, fresh.c, totpCode(staff.secret, T0), '198.51.100.100')).status).toBe(429);
    expect(await sessionsWith2fa(ctx, staff.member.id)).toBe(before);
    const audit = await ctx.deps.database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'second_factor.%'", [ctx.tenant.id]);
    expect(audit.map((a) => a.action)).toEqual(['second_factor.paused']);

    // 16 minutes later the right code works again (the pause is a window, not a lock).
    const later = T0 + 16 * 60_000;
    ctx.setTime(later);
    const again = await pendingStep(ctx, staff.member.id);
    const ok = await postCode(ctx, again.c, totpCode(staff.secret, later), '198.51.100.101');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/me');
    expect(await sessionsWith2fa(ctx, staff.member.id)).toBe(before + 1);
    const [factor] = await ctx.deps.database.query<{ failed_count: number }>('SELECT failed_count FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, staff.member.id]);
    expect(factor?.failed_count).toBe(0);
  });
});

describe(`second factor: enrolment only from a proved address (${storeName()})`, () => {
  async function signInByLink(ctx: Ctx, email: string) {
    const c = new TestClient(ctx.app, ctx.host);
    await c.get('/sign-in');
    expect((await c.post('/sign-in', { email })).status).toBe(200);
    const mail = await lastEmail(ctx.deps.database, ctx.tenant.id, email);
    const res = await c.post('/sign-in/link', { token: new URL(`http://x${mail!.link}`).searchParams.get('token')! });
    expect(res.headers.get('location')).toBe('/sign-in/second-factor');
    return c;
  }

  it('shows no enrolment secret to a staff member whose email is unverified, and tells them to ask for an invitation', async () => {
    const ctx = await setup();
    const staff = await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] });
    await ctx.deps.database.query('UPDATE members SET email_verified_at = NULL WHERE tenant_id = $1 AND id = $2', [ctx.tenant.id, staff.member.id]);
    const c = await signInByLink(ctx, staff.member.email!);
    const page = await c.get('/sign-in/second-factor');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Ask an admin for a staff invitation');
    expect(html).not.toContain('class="secret"');
    expect(html).not.toContain('otpauth://');
    expect(html).not.toContain('<svg');
    const factors = await ctx.deps.database.query('SELECT 1 FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, staff.member.id]);
    expect(factors).toEqual([]);
    // The link did not count as proving a staff address, so a second link does not unlock enrolment either.
    const [m] = await ctx.deps.database.query<{ verified: boolean }>('SELECT email_verified_at IS NOT NULL AS verified FROM members WHERE tenant_id = $1 AND id = $2', [ctx.tenant.id, staff.member.id]);
    expect(m?.verified).toBe(false);
    const again = await signInByLink(ctx, staff.member.email!);
    expect(await (await again.get('/sign-in/second-factor')).text()).not.toContain('otpauth://');
    // Posting a code gets the same advice, not a session.
    const res = await again.post('/sign-in/second-factor', { code: '123456' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Ask an admin for a staff invitation');
  });

  it('shows the QR code (server-made SVG) and the key when the address was verified before the link was sent', async () => {
    const ctx = await setup();
    const staff = await buildMember(ctx.db, ctx.tenant.id, { roles: ['coordinator'] });
    await ctx.deps.database.query("UPDATE members SET email_verified_at = now() - interval '1 day' WHERE tenant_id = $1 AND id = $2", [ctx.tenant.id, staff.member.id]);
    const c = await signInByLink(ctx, staff.member.email!);
    const page = await c.get('/sign-in/second-factor');
    const html = await page.text();
    expect(html).toMatch(/<div class="qr" role="img" aria-label="[^"]+"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(html).not.toMatch(/<script(?! src)/);
    expect(html).not.toContain('style=');
    const [factor] = await ctx.deps.database.query<{ secret_enc: string }>('SELECT secret_enc FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, staff.member.id]);
    const secret = open(TEST_SECRET, 'totp-seed', factor!.secret_enc);
    expect(html.replace(/\s/g, '')).toContain(secret);
    const ok = await c.post('/sign-in/second-factor', { code: totpCode(secret, T0) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Your recovery codes');
  });
});

describe(`second factor: recovery codes (${storeName()})`, () => {
  it('accepts each recovery code once in place of a TOTP code, audits it and emails the member', async () => {
    const ctx = await setup();
    const staff = await buildMember(ctx.db, ctx.tenant.id, { roles: ['coordinator'] });
    await ctx.deps.database.query("UPDATE members SET email_verified_at = now() - interval '1 day' WHERE tenant_id = $1 AND id = $2", [ctx.tenant.id, staff.member.id]);
    const first = await pendingStep(ctx, staff.member.id);
    await ctx.deps.database.query('UPDATE member_tokens SET may_enrol = true WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, staff.member.id]);
    expect((await first.c.get('/sign-in/second-factor')).status).toBe(200);
    const [factor] = await ctx.deps.database.query<{ secret_enc: string }>('SELECT secret_enc FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, staff.member.id]);
    const secret = open(TEST_SECRET, 'totp-seed', factor!.secret_enc);
    const shown = await first.c.post('/sign-in/second-factor', { code: totpCode(secret, T0) });
    const codes = [...(await shown.text()).matchAll(/<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Only keyed hashes are stored.
    const stored = await ctx.deps.database.query<{ code_hash: string }>('SELECT code_hash FROM recovery_codes WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, staff.member.id]);
    expect(stored).toHaveLength(10);
    expect(stored.map((s) => s.code_hash).join()).not.toContain(codes[0]!.replace(/-/g, ''));

    const second = await pendingStep(ctx, staff.member.id);
    const used = await second.c.post('/sign-in/second-factor', { code: codes[3]!.toUpperCase() });
    expect(used.status).toBe(303);
    expect(used.headers.get('location')).toBe('/me');
    expect((await second.c.get('/me')).status).toBe(200);
    const mail = await lastEmail(ctx.deps.database, ctx.tenant.id, staff.member.email!);
    expect(mail?.template).toBe('recovery_code_used');
    expect(mail?.text_body).toContain('9 unused codes left');
    const audit = await ctx.deps.database.query<{ action: string; data: unknown }>("SELECT action, data FROM audit_log WHERE tenant_id = $1 AND action = 'second_factor.recovery_code'", [ctx.tenant.id]);
    expect(audit).toEqual([{ action: 'second_factor.recovery_code', data: { left: 9 } }]);
    // The same code a second time is a wrong code.
    const third = await pendingStep(ctx, staff.member.id);
    const reused = await third.c.post('/sign-in/second-factor', { code: codes[3]! });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain('That code is not right');
  });
});

describe(`second factor: passkeys and promotion (${storeName()})`, () => {
  async function json(c: TestClient, path: string, body: unknown = {}) {
    const res = await c['app'].request(path, {
      method: 'POST',
      headers: { host: c.host, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': c.csrf(), origin: `http://${c.host}` },
      body: JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      c.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }

  async function addPasskey(c: TestClient, key: SoftPasskey) {
    const { challengeId, options } = (await (await json(c, '/me/passkeys/options')).json()) as { challengeId: string; options: { challenge: string } };
    const res = await json(c, '/me/passkeys', { challengeId, response: key.registration(options.challenge) });
    expect(res.status).toBe(200);
  }

  async function signInWith(ctx: Ctx, key: SoftPasskey) {
    const c = new TestClient(ctx.app, ctx.host);
    await c.get('/sign-in');
    const { challengeId, options } = (await (await json(c, '/sign-in/passkey/options')).json()) as { challengeId: string; options: { challenge: string } };
    const res = await json(c, '/sign-in/passkey', { challengeId, response: key.authentication(options.challenge) });
    expect(res.status).toBe(200);
    return { c, body: (await res.json()) as { redirect: string } };
  }

  it('a passkey added as a plain member does not count as the staff second factor after promotion', async () => {
    const ctx = await setup();
    const person = await buildMember(ctx.db, ctx.tenant.id);
    const self = new TestClient(ctx.app, ctx.host);
    await self.get('/about');
    self.cookies.set('pm_session', person.cookie);
    const key = new SoftPasskey(ctx.host, `http://${ctx.host}`);
    await addPasskey(self, key);
    // As a plain member the passkey signs in.
    expect((await signInWith(ctx, key)).body.redirect).toBe('/me');

    const admin = await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] });
    const a = new TestClient(ctx.app, ctx.host);
    await a.get('/about');
    a.cookies.set('pm_session', admin.cookie);
    expect((await a.post(`/coordinator/members/${person.member.id}/roles/grant`, { role: 'coordinator' })).status).toBe(303);

    const before = await sessionsWith2fa(ctx, person.member.id);
    const promoted = await signInWith(ctx, key);
    expect(promoted.body.redirect).toBe('/sign-in/second-factor');
    expect(promoted.c.cookies.has('pm_session')).toBe(false);
    expect(await sessionsWith2fa(ctx, person.member.id)).toBe(before);
  });

  it('a passkey added from a staff session with a second factor counts; promotion re-checks older ones', async () => {
    const ctx = await setup();
    const staff = await buildMember(ctx.db, ctx.tenant.id, { roles: ['coordinator'] }); // session with a second factor
    const self = new TestClient(ctx.app, ctx.host);
    await self.get('/about');
    self.cookies.set('pm_session', staff.cookie);
    const key = new SoftPasskey(ctx.host, `http://${ctx.host}`);
    await addPasskey(self, key);
    const signedIn = await signInWith(ctx, key);
    expect(signedIn.body.redirect).toBe('/me');
    expect((await signedIn.c.get('/me')).status).toBe(200);
    const [row] = await ctx.deps.database.query<{ second_factor: boolean }>('SELECT second_factor FROM passkeys WHERE tenant_id = $1 AND member_id = $2', [ctx.tenant.id, staff.member.id]);
    expect(row?.second_factor).toBe(true);

    // Stepping down and being promoted again re-checks factors: the old passkey must be added again.
    const admin = await buildMember(ctx.db, ctx.tenant.id, { roles: ['admin'] });
    const a = new TestClient(ctx.app, ctx.host);
    await a.get('/about');
    a.cookies.set('pm_session', admin.cookie);
    expect((await a.post(`/coordinator/members/${staff.member.id}/roles/remove`, { role: 'coordinator' })).status).toBe(303);
    expect((await a.post(`/coordinator/members/${staff.member.id}/roles/grant`, { role: 'board' })).status).toBe(303);
    expect((await signInWith(ctx, key)).body.redirect).toBe('/sign-in/second-factor');
  });
});
