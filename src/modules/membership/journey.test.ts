import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../lib/totp.ts';
import { testApp, TEST_SECRET } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { lastEmail, emailCount } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import { createSession } from './sessions.ts';
import { open } from '../../lib/secret-box.ts';
import { PRIVACY_NOTICE_VERSION } from './service.ts';

async function setup() {
  const { app, deps } = await testApp();
  const { tenant, host } = await buildTenant(deps.database.db);
  return { app, deps, tenant, host, client: () => new TestClient(app, host) };
}

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

const STEP1 = { name: 'Ania Kowalska', relationship: 'parent', childrenUnder5: '2', preferredLocale: 'pl' };

async function joinAs(client: TestClient, email: string, extra: Record<string, string> = {}) {
  await client.get('/join');
  const joinKey = `jk-${email.replace(/[^a-z0-9]/g, '')}-0123456789`;
  const s1 = await client.post('/join', { step: '1', joinKey, ...STEP1, ...extra });
  expect(s1.status).toBe(200);
  const s2 = await client.post('/join', { step: '2', joinKey, ...STEP1, email, ward: 'E05010265', ...extra });
  expect(s2.status).toBe(200);
  return client.post('/join', { step: '3', joinKey, ...STEP1, email, ward: 'E05010265', consent: 'yes', ...extra });
}

describe(`membership journey (${storeName()})`, () => {
  it('joins in three steps, confirms by email (GET never confirms), and lands signed in', async () => {
    const { deps, tenant, client } = await setup();
    const c = client();
    const done = await joinAs(c, 'ania@example.com');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/join/done?via=email');
    const [member] = await deps.database.query<{ status: string; member_number: number; consent_version: string; preferred_locale: string }>(
      'SELECT status, member_number, consent_version, preferred_locale FROM members WHERE tenant_id = $1', [tenant.id]);
    expect(member).toMatchObject({ status: 'pending', member_number: 1, consent_version: PRIVACY_NOTICE_VERSION, preferred_locale: 'pl' });
    const mail = await lastEmail(deps.database, tenant.id, 'ania@example.com');
    expect(mail?.subject).toContain('Potwierdź członkostwo');
    expect(mail?.link).toMatch(/^\/join\/confirm\?token=/);

    // A mail scanner's GET shows a button and changes nothing.
    const scanner = client();
    expect((await scanner.get(mail!.link!)).status).toBe(200);
    expect((await scanner.get(mail!.link!)).status).toBe(200);
    const token = new URL(`http://x${mail!.link}`).searchParams.get('token')!;
    const confirmed = await c.post('/join/confirm', { token });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/me');
    expect(c.cookies.has('pm_session')).toBe(true);
    const me = await c.get('/me');
    expect(me.status).toBe(200);
    expect(await me.text()).toContain('Ania Kowalska');
    const history = await deps.database.query<{ status: string }>('SELECT status FROM member_status_history WHERE tenant_id = $1 ORDER BY changed_at, id', [tenant.id]);
    expect(history.map((h) => h.status)).toEqual(['pending', 'active']);
    // The link works once.
    expect((await client().post('/join/confirm', { token })).status).toBe(400);
  });

  it('refuses bad input with messages naming the field and stores nothing', async () => {
    const { deps, tenant, client } = await setup();
    const c = client();
    await c.get('/join');
    const badStep1 = await c.post('/join', { step: '1', name: '', relationship: 'uncle', childrenUnder5: 'lots' });
    expect(badStep1.status).toBe(400);
    const html1 = await badStep1.text();
    expect(html1).toContain('Enter your name');
    expect(html1).toContain('Choose parent, grandparent, carer or other');
    expect(html1).toContain('whole number from 0 to 20');
    const badStep2 = await c.post('/join', { step: '2', ...STEP1, preferredLocale: 'en', email: 'not-an-email', phone: '12345', ward: 'E99999999' });
    expect(badStep2.status).toBe(400);
    const html2 = await badStep2.text();
    expect(html2).toContain('Enter an email address like name@example.com');
    expect(html2).toContain('Enter a UK phone number');
    const noConsent = await c.post('/join', { step: '3', ...STEP1, preferredLocale: 'en', email: 'x@example.com', ward: 'E05010265' });
    expect(noConsent.status).toBe(400);
    expect(await noConsent.text()).toContain('Tick the box to agree');
    const unknownWard = await c.post('/join', { step: '3', ...STEP1, preferredLocale: 'en', email: 'x@example.com', ward: 'E99999999', consent: 'yes' });
    expect(unknownWard.status).toBe(400);
    expect(await unknownWard.text()).toContain('Choose your ward from the list');
    const [{ n }] = (await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE tenant_id = $1', [tenant.id])) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('answers a second join with the same email like a first one (no member, an "already a member" email), and a retried submit makes one member and one email', async () => {
    const { deps, tenant, client } = await setup();
    const c = client();
    const first = await joinAs(c, 'dup@example.com');
    expect(first.status).toBe(303);
    // The same form posted again (same join key): same result, nothing new.
    const retry = await c.post('/join', { step: '3', joinKey: 'jk-dupexamplecom-0123456789', ...STEP1, email: 'dup@example.com', ward: 'E05010265', consent: 'yes' });
    expect(retry.status).toBe(303);
    expect(await emailCount(deps.database, tenant.id, 'dup@example.com')).toBe(1);
    // Issue 7 item 9: "already registered" told anyone who is a member. Now the answer is the same.
    const again = await joinAs(client(), 'DUP@example.com', { joinKey: 'another-key-0123456789' });
    expect(again.status).toBe(first.status);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await again.text()).not.toContain('already registered');
    const [{ n }] = (await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE tenant_id = $1', [tenant.id])) as [{ n: number }];
    expect(n).toBe(1);
    const notice = await lastEmail(deps.database, tenant.id, 'dup@example.com');
    expect(notice?.template).toBe('already_member');
    expect(await emailCount(deps.database, tenant.id, 'dup@example.com')).toBe(2);
  });

  it('refuses a forged CSRF token on the join form', async () => {
    const { client } = await setup();
    const c = client();
    await c.get('/join');
    const res = await c.post('/join', { step: '1', ...STEP1 }, { csrf: 'forged' });
    expect(res.status).toBe(403);
  });

  it('signs in with a single-use emailed link consumed by POST; expired and reused links fail; sign-out revokes', async () => {
    const { deps, tenant, client } = await setup();
    const c = client();
    await joinAs(c, 'sam@example.com');
    const confirm = await lastEmail(deps.database, tenant.id, 'sam@example.com');
    await c.post('/join/confirm', { token: new URL(`http://x${confirm!.link}`).searchParams.get('token')! });

    const phone = client();
    await phone.get('/sign-in');
    const asked = await phone.post('/sign-in', { email: 'Sam@Example.com' });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('If that address belongs to a member');
    // Unknown addresses get the same answer and no sign-in link: only a note that the address
    // cannot sign in (issue 7 item 9: the same work is done for members and non-members).
    const unknown = await phone.post('/sign-in', { email: 'nobody@example.com' });
    expect(await unknown.text()).toContain('If that address belongs to a member');
    expect(await emailCount(deps.database, tenant.id, 'nobody@example.com')).toBe(1);
    const note = await lastEmail(deps.database, tenant.id, 'nobody@example.com');
    expect(note?.template).toBe('sign_in_unknown');
    expect(note?.text_body).not.toContain('token=');
    expect(note?.link).toMatch(/^\/join\?lang=en$/);

    const mail = await lastEmail(deps.database, tenant.id, 'sam@example.com');
    expect(mail?.template).toBe('sign_in');
    const token = new URL(`http://x${mail!.link}`).searchParams.get('token')!;
    expect((await phone.get(mail!.link!)).status).toBe(200); // scanner-safe
    const signedIn = await phone.post('/sign-in/link', { token });
    expect(signedIn.headers.get('location')).toBe('/me');
    const oldCookie = phone.cookies.get('pm_session');
    expect((await phone.get('/me')).status).toBe(200);
    expect((await client().post('/sign-in/link', { token })).status).toBe(400);

    // An expired link.
    await phone.post('/sign-in', { email: 'sam@example.com' });
    const second = await lastEmail(deps.database, tenant.id, 'sam@example.com');
    const token2 = new URL(`http://x${second!.link}`).searchParams.get('token')!;
    await deps.database.query("UPDATE member_tokens SET expires_at = now() - interval '1 minute' WHERE tenant_id = $1 AND purpose = 'sign_in' AND used_at IS NULL", [tenant.id]);
    expect((await client().post('/sign-in/link', { token: token2 })).status).toBe(400);

    // Sign out: the old cookie no longer works.
    const out = await phone.post('/sign-out', {});
    expect(out.status).toBe(303);
    const replay = new TestClient((await testApp()).app, phone.host);
    replay.cookies.set('pm_session', oldCookie!);
    const after = await replay.get('/me');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/sign-in');
  });

  it('gives staff no session after the email link alone; the TOTP second factor completes sign-in', async () => {
    const { deps, tenant, client } = await setup();
    // Codes are made for a fixed time and the app checks them against it (no Date.now in tests).
    deps.clock = () => T0;
    const c = client();
    await joinAs(c, 'coord@example.com');
    const confirm = await lastEmail(deps.database, tenant.id, 'coord@example.com');
    await c.post('/join/confirm', { token: new URL(`http://x${confirm!.link}`).searchParams.get('token')! });
    const [m] = await deps.database.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1', [tenant.id]);
    await deps.database.query("INSERT INTO member_roles (tenant_id, member_id, role, granted_by) VALUES ($1, $2, 'coordinator', 'system:test')", [tenant.id, m!.id]);
    // The member session made before the role was granted no longer counts as staff without 2FA.
    expect((await c.get('/me')).status).toBe(303);

    const s = client();
    await s.get('/sign-in');
    await s.post('/sign-in', { email: 'coord@example.com' });
    const mail = await lastEmail(deps.database, tenant.id, 'coord@example.com');
    const res = await s.post('/sign-in/link', { token: new URL(`http://x${mail!.link}`).searchParams.get('token')! });
    expect(res.headers.get('location')).toBe('/sign-in/second-factor');
    expect(s.cookies.has('pm_session')).toBe(false);
    const [{ n }] = (await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND member_id = $2 AND revoked_at IS NULL AND second_factor_at IS NOT NULL', [tenant.id, m!.id])) as [{ n: number }];
    expect(n).toBe(0);

    const enrol = await s.get('/sign-in/second-factor');
    expect(enrol.status).toBe(200);
    const [factor] = await deps.database.query<{ secret_enc: string }>('SELECT secret_enc FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [tenant.id, m!.id]);
    const secret = open(TEST_SECRET, 'totp-seed', factor!.secret_enc);
    // A code that is wrong at T0: none of the codes the window accepts (the step before, at, after).
    const accepted = [-1, 0, 1].map((step) => totpCode(secret, T0 + step * 30_000));
    const wrong = await s.post('/sign-in/second-factor', { code: ['000000', '111111', '222222', '333333'].find((x) => !accepted.includes(x))! });
    expect(wrong.status).toBe(400);
    const ok = await s.post('/sign-in/second-factor', { code: totpCode(secret, T0) });
    // The first confirmed code signs in and shows the recovery codes once; "saved" goes on to /me.
    expect(ok.status).toBe(200);
    expect((await ok.text()).match(/<code>[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}<\/code>/g)).toHaveLength(10);
    const saved = await s.post('/me/recovery-codes/saved', {});
    expect(saved.headers.get('location')).toBe('/me');
    expect((await s.get('/me')).status).toBe(200);
  });

  it('downloads my data through a single-use link bound to my session', async () => {
    const { deps, tenant, client } = await setup();
    const c = client();
    await joinAs(c, 'data@example.com');
    const confirm = await lastEmail(deps.database, tenant.id, 'data@example.com');
    await c.post('/join/confirm', { token: new URL(`http://x${confirm!.link}`).searchParams.get('token')! });
    const asked = await c.post('/me/data', {});
    const link = asked.headers.get('location')!;
    expect(link).toMatch(/^\/me\/data\/download\?token=/);
    // Another signed-in session cannot use it: neither the same member signed in elsewhere, nor
    // another member. Both are real sessions that reach the download (a 404, not the sign-in page),
    // and neither uses the link up.
    const [me] = await deps.database.query<{ id: string }>('SELECT id FROM members WHERE tenant_id = $1 AND email = $2', [tenant.id, 'data@example.com']);
    const elsewhere = client();
    elsewhere.cookies.set('pm_session', (await createSession(deps.database.db, { tenantId: tenant.id, memberId: me!.id, staff: false, secondFactor: false })).token);
    expect((await elsewhere.get('/me')).status).toBe(200);
    const someoneElse = client();
    someoneElse.cookies.set('pm_session', (await buildMember(deps.database.db, tenant.id)).cookie);
    expect((await someoneElse.get('/me')).status).toBe(200);
    for (const other of [elsewhere, someoneElse]) {
      const refused = await other.get(link);
      expect(refused.status).toBe(404);
      expect(refused.headers.get('content-type')).not.toBe('application/zip');
    }
    const zipRes = await c.get(link);
    expect(zipRes.status).toBe(200);
    expect(zipRes.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await zipRes.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['my-data.json', 'profile.csv', 'statusHistory.csv', 'texts.csv']));
    const data = JSON.parse(strFromU8(files['my-data.json']!)) as { profile: { name: string; email: string } };
    expect(data.profile).toMatchObject({ name: 'Ania Kowalska', email: 'data@example.com' });
    expect((await c.get(link)).status).toBe(404);
  });
});
