import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount, lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';

async function setup() {
  const { app, deps } = await testApp();
  const { tenant, host } = await buildTenant(deps.database.db);
  const q = <T>(sql: string, params: unknown[] = []) => deps.database.query<T>(sql, params);
  return { app, deps, tenant, host, q, client: () => new TestClient(app, host) };
}

const ANSWERS = { name: 'Ania Kowalska', relationship: 'parent', preferredLocale: 'en', ward: 'E05010265', consent: 'yes' };
let keys = 0;
const joinKey = () => `jk-hardening-${Date.now().toString(36)}-${(keys += 1)}-000000`;

/** The final step of the form, as a browser posts it. */
async function submitJoin(c: TestClient, fields: Record<string, string>) {
  await c.get('/join');
  return c.post('/join', { step: '3', joinKey: joinKey(), ...ANSWERS, ...fields });
}

/** The page without what differs per request (CSRF token, join key). */
const comparable = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '').replace(/name="joinKey" value="[^"]*"/g, '');

const tokenOf = (link: string | undefined) => new URL(`http://x${link ?? ''}`).searchParams.get('token') ?? '';

describe(`joining without revealing who is a member (${storeName()})`, () => {
  it('answers the form the same for a new and an existing address; the member gets a note with no name and no link-like text', async () => {
    const { deps, tenant, client, q } = await setup();
    const existing = await buildMember(deps.database.db, tenant.id, { email: 'taken@example.org', name: 'Original Name' });
    const fresh = await submitJoin(client(), { email: 'fresh@example.org' });
    const taken = await submitJoin(client(), { email: 'Taken@Example.org', name: 'Visit http://evil.example or mail me@evil.example' });
    expect(taken.status).toBe(303);
    expect([taken.status, taken.headers.get('location')]).toEqual([fresh.status, fresh.headers.get('location')]);
    expect(comparable(await (await client().get(taken.headers.get('location')!)).text())).toBe(comparable(await (await client().get(fresh.headers.get('location')!)).text()));

    // Nothing changed for the member; one note went to their address.
    const [row] = await q<{ name: string; n: number }>('SELECT name, (SELECT count(*)::int FROM members WHERE tenant_id = $1) AS n FROM members WHERE tenant_id = $1 AND id = $2', [tenant.id, existing.member.id]);
    expect(row).toEqual({ name: 'Original Name', n: 2 });
    const note = await lastEmail(deps.database, tenant.id, 'taken@example.org');
    expect(note?.template).toBe('already_member');
    expect(note?.link).toBe('/sign-in?lang=en');
    for (const mail of [note, await lastEmail(deps.database, tenant.id, 'fresh@example.org')]) {
      expect(mail?.text_body).not.toContain('evil');
      expect(mail?.text_body).not.toContain('Ania');
      expect(mail?.text_body.startsWith('Hello,\n')).toBe(true);
    }
    // At most one such note a day, however often someone tries.
    await submitJoin(client(), { email: 'taken@example.org' });
    expect(await emailCount(deps.database, tenant.id, 'taken@example.org')).toBe(1);
  });

  it('answers the API the same (status and body) for a new and an existing address', async () => {
    const { app, deps, tenant, host } = await setup();
    await buildMember(deps.database.db, tenant.id, { email: 'api-taken@example.org' });
    const post = (email: string) =>
      app.request('/api/v1/join', { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ewa', email, ward: 'E05010266', relationship: 'parent', consent: true }) });
    const fresh = await post('api-fresh@example.org');
    const taken = await post('api-taken@example.org');
    expect(fresh.status).toBe(202);
    expect(taken.status).toBe(202);
    expect(await taken.json()).toEqual(await fresh.json());
    expect((await lastEmail(deps.database, tenant.id, 'api-taken@example.org'))?.template).toBe('already_member');
  });

  it('sign-in does the same work for a member and a non-member: the same page, one token-sized job, one outbox row each', async () => {
    const { deps, tenant, client, q } = await setup();
    await buildMember(deps.database.db, tenant.id, { email: 'member@example.org' });
    const a = client();
    await a.get('/sign-in');
    const member = await a.post('/sign-in', { email: 'member@example.org' });
    const b = client();
    await b.get('/sign-in');
    const stranger = await b.post('/sign-in', { email: 'stranger@example.org' });
    expect(stranger.status).toBe(member.status);
    expect(comparable(await stranger.text())).toBe(comparable(await member.text()));
    expect(await emailCount(deps.database, tenant.id, 'member@example.org')).toBe(1);
    expect(await emailCount(deps.database, tenant.id, 'stranger@example.org')).toBe(1);
    expect((await lastEmail(deps.database, tenant.id, 'member@example.org'))?.template).toBe('sign_in');
    expect((await lastEmail(deps.database, tenant.id, 'stranger@example.org'))?.template).toBe('sign_in_unknown');
    const [{ n }] = (await q<{ n: number }>("SELECT count(*)::int AS n FROM member_tokens WHERE tenant_id = $1 AND purpose = 'sign_in'", [tenant.id])) as [{ n: number }];
    expect(n).toBe(1);
  });
});

describe(`join form limits (${storeName()})`, () => {
  it('limits joins per target address with a friendly 429 page in English and Polish that keeps the answers', async () => {
    const { client } = await setup();
    for (let i = 0; i < 5; i += 1) expect((await submitJoin(client(), { email: 'target@example.org' })).status).toBe(303);
    const sixth = await submitJoin(client(), { email: 'target@example.org' });
    expect(sixth.status).toBe(429);
    const html = await sixth.text();
    expect(html).toContain('Please wait a few minutes');
    expect(html).toContain('value="target@example.org"');
    const pl = client();
    await pl.get('/join?lang=pl');
    const polish = await pl.post('/join', { step: '3', joinKey: joinKey(), ...ANSWERS, email: 'target@example.org' });
    expect(polish.status).toBe(429);
    expect(await polish.text()).toContain('Prosimy odczekać kilka minut');
  });

  it('limits joins per client address like the API (30 in 10 minutes)', async () => {
    const { client } = await setup();
    const c = client();
    for (let i = 0; i < 30; i += 1) expect((await submitJoin(c, { email: `many-${i}@example.org` })).status).toBe(303);
    expect((await submitJoin(c, { email: 'one-more@example.org' })).status).toBe(429);
  });
});

describe(`rejoining and new confirmation links (${storeName()})`, () => {
  it('a member who left joins again: the same record, pending with a new confirmation, history kept and audited', async () => {
    const { deps, tenant, client, q } = await setup();
    const { member, cookie } = await buildMember(deps.database.db, tenant.id, { email: 'back@example.org' });
    const self = client();
    await self.get('/about');
    self.cookies.set('pm_session', cookie);
    expect((await self.post('/me/leave', { confirm: 'yes' })).status).toBe(303);
    const again = await submitJoin(client(), { email: 'back@example.org', name: 'Back Again', preferredLocale: 'pl' });
    expect(again.status).toBe(303);
    const rows = await q<{ id: string; member_number: number; status: string; name: string }>('SELECT id, member_number, status, name FROM members WHERE tenant_id = $1', [tenant.id]);
    expect(rows).toEqual([{ id: member.id, member_number: member.memberNumber, status: 'pending', name: 'Back Again' }]);
    const history = await q<{ status: string }>('SELECT status FROM member_status_history WHERE tenant_id = $1 AND member_id = $2 ORDER BY changed_at, id', [tenant.id, member.id]);
    expect(history.map((h) => h.status)).toEqual(['active', 'left', 'pending']);
    const audit = await q<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 AND action = 'member.rejoin'", [tenant.id, member.id]);
    expect(audit).toHaveLength(1);
    const mail = await lastEmail(deps.database, tenant.id, 'back@example.org');
    expect(mail?.template).toBe('confirm_email');
    expect(mail?.link).toMatch(/^\/join\/confirm\?token=[^&]+&lang=pl$/);
    const done = await client().post('/join/confirm', { token: tokenOf(mail?.link) });
    expect(done.status).toBe(303);
    expect((await q<{ status: string }>('SELECT status FROM members WHERE tenant_id = $1 AND id = $2', [tenant.id, member.id]))[0]?.status).toBe('active');
  });

  it('an erased member is gone: joining again with the address makes a new member', async () => {
    const { deps, tenant, client, q } = await setup();
    const { cookie, member } = await buildMember(deps.database.db, tenant.id, { email: 'gone@example.org' });
    const self = client();
    await self.get('/about');
    self.cookies.set('pm_session', cookie);
    expect((await self.post('/me/erase', { confirm: 'yes' })).status).toBe(303);
    expect((await submitJoin(client(), { email: 'gone@example.org' })).status).toBe(303);
    const rows = await q<{ id: string; status: string; member_number: number }>('SELECT id, status, member_number FROM members WHERE tenant_id = $1 AND email = $2', [tenant.id, 'gone@example.org']);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).not.toBe(member.id);
    expect(rows[0]?.member_number).toBeGreaterThan(member.memberNumber);
  });

  it('an expired or used link offers "send me a new link", which answers the same whatever the address', async () => {
    const { deps, tenant, client } = await setup();
    await submitJoin(client(), { email: 'late@example.org' });
    const first = await lastEmail(deps.database, tenant.id, 'late@example.org');
    await deps.database.query("UPDATE member_tokens SET expires_at = now() - interval '1 minute' WHERE tenant_id = $1", [tenant.id]);
    const c = client();
    const page = await c.get(first!.link!);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('action="/join/resend"');
    expect(html).toContain('Send me a new link');
    // POSTing the expired token shows the same offer, not a bare error.
    expect(await (await c.post('/join/confirm', { token: tokenOf(first?.link) })).text()).toContain('action="/join/resend"');

    const pending = await c.post('/join/resend', { email: 'late@example.org' });
    const unknown = await c.post('/join/resend', { email: 'nobody-here@example.org' });
    expect(pending.status).toBe(200);
    expect(comparable(await unknown.text())).toBe(comparable(await pending.text()));
    expect(await emailCount(deps.database, tenant.id, 'nobody-here@example.org')).toBe(0);
    const fresh = await lastEmail(deps.database, tenant.id, 'late@example.org');
    expect(fresh?.template).toBe('confirm_email');
    expect(fresh?.link).not.toBe(first?.link);
    expect((await client().post('/join/confirm', { token: tokenOf(fresh?.link) })).headers.get('location')).toBe('/me');
  });

  it('a pending member signed in sees "send me a new confirmation link" on /me', async () => {
    const { deps, tenant, client, q } = await setup();
    const { member, cookie } = await buildMember(deps.database.db, tenant.id, { email: 'waiting@example.org' });
    await q("UPDATE members SET status = 'pending' WHERE tenant_id = $1 AND id = $2", [tenant.id, member.id]);
    const c = client();
    await c.get('/about');
    c.cookies.set('pm_session', cookie);
    expect(await (await c.get('/me')).text()).toContain('Send me a new confirmation link');
    const sent = await c.post('/me/confirm-email', {});
    expect(sent.headers.get('location')).toBe('/me?sent=1');
    expect((await lastEmail(deps.database, tenant.id, 'waiting@example.org'))?.template).toBe('confirm_email');
    expect(await (await c.get('/me?sent=1')).text()).toContain('We have sent a new confirmation link');
  });
});

describe(`international numbers and language (${storeName()})`, () => {
  it('accepts +48 600 100 200 and stores it in E.164; a bad number gets a clear message in both languages', async () => {
    const { tenant, client, q } = await setup();
    expect((await submitJoin(client(), { phone: '+48 600 100 200' })).headers.get('location')).toBe('/join/done?via=phone');
    expect((await q<{ phone: string }>('SELECT phone FROM members WHERE tenant_id = $1', [tenant.id]))[0]?.phone).toBe('+48600100200');
    const en = client();
    await en.get('/join?lang=en');
    const bad = await en.post('/join', { step: '2', ...ANSWERS, phone: '+48 600 1' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('or a number from another country starting with + and the country code, like +48 600 100 200');
    const pl = client();
    await pl.get('/join?lang=pl');
    expect(await (await pl.post('/join', { step: '2', ...ANSWERS, phone: '+48 600 1' })).text()).toContain('albo numer z innego kraju');
    expect(await (await pl.post('/join', { step: '2', ...ANSWERS, phone: '0909 879 0000' })).text()).toContain('Wpisz numer komórkowy lub stacjonarny');
  });

  it('switching language on a join step keeps what was typed, without JavaScript', async () => {
    const { client } = await setup();
    const c = client();
    await c.get('/join?lang=en');
    const step2 = await c.post('/join', { step: '1', ...ANSWERS, name: 'Maja Nowak' });
    const html2 = await step2.text();
    // The header switch submits the join form to /join?lang=pl.
    expect(html2).toContain('form="join-form"');
    expect(html2).toContain('formaction="/join?lang=pl"');
    const switched = await c.post('/join?lang=pl', { step: '2', ...ANSWERS, name: 'Maja Nowak', email: 'maja@example.org', switchLang: 'pl' });
    expect(switched.status).toBe(200);
    const html = await switched.text();
    expect(html).toContain('<html lang="pl">');
    expect(html).toContain('value="maja@example.org"');
    expect(html).toContain('value="Maja Nowak"');
    expect(html).toContain('name="step" value="2"');
    expect(html).not.toContain('error-summary');
  });

  it('links in email carry the member’s language', async () => {
    const { deps, tenant, client } = await setup();
    await submitJoin(client(), { email: 'polka@example.org', preferredLocale: 'pl' });
    expect((await lastEmail(deps.database, tenant.id, 'polka@example.org'))?.link).toMatch(/&lang=pl$/);
    await deps.database.query("UPDATE members SET status = 'active' WHERE tenant_id = $1", [tenant.id]);
    const c = client();
    await c.get('/sign-in?lang=en');
    await c.post('/sign-in', { email: 'polka@example.org' });
    const mail = await lastEmail(deps.database, tenant.id, 'polka@example.org');
    expect(mail?.template).toBe('sign_in');
    expect(mail?.link).toMatch(/^\/sign-in\/link\?token=[^&]+&lang=pl$/);
    expect(mail?.text_body.startsWith('Dzień dobry,\n')).toBe(true);
    const page = await client().get(mail!.link!);
    expect(await page.text()).toContain('<html lang="pl">');
  });
});
