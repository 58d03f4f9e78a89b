import { openBody } from '../email/sealing.ts';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { createSmsTransport } from '../sms/transport.ts';
import { startSmsWorker } from '../sms/worker.ts';

async function setup(overrides: Parameters<typeof testApp>[0] = {}) {
  const { app, deps } = await testApp(overrides);
  const { tenant, host } = await buildTenant(deps.database.db);
  const q = <T>(sql: string, params: unknown[] = []) => deps.database.query<T>(sql, params);
  // Bodies are sealed at rest (a backup holds no live code); the test opens them as the worker does.
  const texts = async () =>
    (await q<{ to_number: string; body: string; status: string; template: string }>('SELECT to_number, body, status, template FROM sms_outbox WHERE tenant_id = $1 ORDER BY created_at, id', [tenant.id])).map((r) => ({ ...r, body: openBody(r.body) }));
  const rawTexts = () => q<{ body: string }>('SELECT body FROM sms_outbox WHERE tenant_id = $1', [tenant.id]);
  return { app, deps, tenant, host, q, texts, rawTexts, client: () => new TestClient(app, host) };
}

const PHONE = '+447700900555';

async function askCode(c: TestClient, phone: string) {
  await c.get('/sign-in');
  return c.post('/sign-in/phone', { phone });
}

describe(`sign-in by a texted code (${storeName()})`, () => {
  it('a phone-only joiner signs in with a single-use code, which confirms their membership', async () => {
    const { tenant, client, q, texts, rawTexts, app, host } = await setup();
    const joiner = client();
    await joiner.get('/join');
    const done = await joiner.post('/join', { step: '3', joinKey: 'jk-phone-only-0123456789', name: 'Piotr', relationship: 'parent', preferredLocale: 'pl', phone: '07700 900555', ward: 'E05010265', consent: 'yes' });
    expect(done.headers.get('location')).toBe('/join/done?via=phone');
    expect(await (await joiner.get('/join/done?via=phone')).text()).toContain('href="/sign-in/phone"');
    expect(await texts()).toEqual([]); // nothing is texted to a number typed into a form

    const c = client();
    const asked = await askCode(c, '07700 900555');
    expect(asked.headers.get('location')).toBe('/sign-in/phone/code');
    const [sms] = await texts();
    expect(sms).toMatchObject({ to_number: PHONE, status: 'queued', template: 'sign_in_code' });
    const code = /\b(\d{6})\b/.exec(sms!.body)?.[1] ?? '';
    expect(sms!.body).toContain('kod do logowania'); // in the member's language
    // Sealed in the outbox: a backup or a dump of the table holds no live code.
    expect((await rawTexts()).map((r) => r.body.includes(code))).toEqual([false]);
    // Hashed at rest: the code is nowhere in the table.
    const [row] = await q<{ code_hash: string; member_id: string | null }>('SELECT code_hash, member_id FROM phone_codes WHERE tenant_id = $1', [tenant.id]);
    expect(row?.code_hash).not.toContain(code);
    expect(row?.code_hash).toMatch(/^[0-9a-f]{64}$/);

    const wrong = await c.post('/sign-in/phone/code', { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That code is not right');
    const pending = c.cookies.get('pm_phone') ?? '';
    const ok = await c.post('/sign-in/phone/code', { code });
    expect(ok.headers.get('location')).toBe('/me');
    expect((await c.get('/me')).status).toBe(200);
    const [member] = await q<{ status: string }>('SELECT status FROM members WHERE tenant_id = $1', [tenant.id]);
    expect(member?.status).toBe('active');
    expect(c.cookies.has('pm_phone')).toBe(false);
    // Single use: the same pending sign-in and code do not work again.
    const replay = new TestClient(app, host);
    await replay.get('/about');
    replay.cookies.set('pm_phone', pending);
    const reused = await replay.post('/sign-in/phone/code', { code });
    expect(reused.status).toBe(400);
    expect(replay.cookies.has('pm_session')).toBe(false);
  });

  it('burns a pending sign-in after 5 wrong codes; the right code then fails too', async () => {
    const s = await setup();
    await buildMember(s.deps.database.db, s.tenant.id, { phone: PHONE });
    const c = s.client();
    const pendingCookie = async () => {
      await askCode(c, PHONE);
      return c.cookies.get('pm_phone');
    };
    expect(await pendingCookie()).toBeTruthy();
    const [sms] = await s.texts();
    const code = /\b(\d{6})\b/.exec(sms!.body)?.[1] ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i += 1) expect((await c.post('/sign-in/phone/code', { code: wrong })).status).toBe(400);
    const fifth = await c.post('/sign-in/phone/code', { code: wrong });
    expect(await fifth.text()).toContain('mistyped too many times');
    const right = await c.post('/sign-in/phone/code', { code });
    expect(right.status).toBe(400);
    expect(c.cookies.has('pm_session')).toBe(false);
  });

  it('does the same work for a number that is nobody’s: same redirect and page, a suppressed outbox row, and no code ever works', async () => {
    const s = await setup();
    await buildMember(s.deps.database.db, s.tenant.id, { phone: PHONE });
    const member = s.client();
    const stranger = s.client();
    const a = await askCode(member, PHONE);
    const b = await askCode(stranger, '+48 600 100 200');
    expect([b.status, b.headers.get('location')]).toEqual([a.status, a.headers.get('location')]);
    expect(stranger.cookies.get('pm_phone')).toBeTruthy();
    const strip = (h: string) => h.replace(/name="_csrf" value="[^"]*"/g, '');
    expect(strip(await (await stranger.get('/sign-in/phone/code')).text())).toBe(strip(await (await member.get('/sign-in/phone/code')).text()));
    const rows = await s.texts();
    expect(rows.map((r) => r.status).sort()).toEqual(['queued', 'suppressed']);
    expect(rows.find((r) => r.status === 'suppressed')).toMatchObject({ to_number: '', body: '' });
    const codes = await s.q<{ n: number }>('SELECT count(*)::int AS n FROM phone_codes WHERE tenant_id = $1', [s.tenant.id]);
    expect(codes[0]?.n).toBe(2);
    // No member behind it: every code is wrong.
    const res = await stranger.post('/sign-in/phone/code', { code: '123456' });
    expect(res.status).toBe(400);
    expect(stranger.cookies.has('pm_session')).toBe(false);
    // The dev worker delivers the member's text and never the suppressed row.
    const worker = startSmsWorker({ database: s.deps.database, logger: createLogger('silent'), transport: createSmsTransport({ env: 'test' }, createLogger('silent')) }, { tenantId: s.tenant.id, autostart: false });
    expect(await worker.drainOnce()).toBe(1);
    expect((await s.texts()).map((r) => r.status).sort()).toEqual(['sent', 'suppressed']);
  });

  it('is rate limited per number', async () => {
    const s = await setup();
    await buildMember(s.deps.database.db, s.tenant.id, { phone: PHONE });
    const c = s.client();
    for (let i = 0; i < 5; i += 1) expect((await askCode(c, PHONE)).status).toBe(303);
    expect((await askCode(c, PHONE)).status).toBe(429);
  });

  it('shows the texts at /dev/sms outside production; in production SMS sign-in and /dev/sms do not exist', async () => {
    const s = await setup();
    await buildMember(s.deps.database.db, s.tenant.id, { phone: PHONE });
    await askCode(s.client(), PHONE);
    const inbox = await s.client().get('/dev/sms');
    expect(inbox.status).toBe(200);
    expect(await inbox.text()).toContain(PHONE);
    expect(await (await s.client().get('/sign-in')).text()).toContain('action="/sign-in/phone"');

    const prod = await setup({ env: 'production' });
    const c = prod.client();
    expect((await c.get('/dev/sms')).status).toBe(404);
    expect((await c.get('/sign-in/phone')).status).toBe(404);
    expect(await (await c.get('/sign-in')).text()).not.toContain('/sign-in/phone');
  });
});

describe(`confirming a member in person (${storeName()})`, () => {
  it('a coordinator confirms a pending phone-only member from the member page (audited); a plain member cannot', async () => {
    const s = await setup();
    const coordinator = await buildMember(s.deps.database.db, s.tenant.id, { roles: ['coordinator'] });
    const plain = await buildMember(s.deps.database.db, s.tenant.id);
    const { member } = await buildMember(s.deps.database.db, s.tenant.id, { phone: PHONE });
    await s.q("UPDATE members SET status = 'pending', email = NULL WHERE tenant_id = $1 AND id = $2", [s.tenant.id, member.id]);

    const other = s.client();
    await other.get('/about');
    other.cookies.set('pm_session', plain.cookie);
    expect((await other.post(`/coordinator/members/${member.id}/confirm-in-person`, {})).status).toBe(403);

    const c = s.client();
    await c.get('/about');
    c.cookies.set('pm_session', coordinator.cookie);
    expect(await (await c.get(`/coordinator/members/${member.id}`)).text()).toContain('Confirm membership in person');
    const res = await c.post(`/coordinator/members/${member.id}/confirm-in-person`, {});
    expect(res.headers.get('location')).toBe(`/coordinator/members/${member.id}?done=1`);
    const [row] = await s.q<{ status: string }>('SELECT status FROM members WHERE tenant_id = $1 AND id = $2', [s.tenant.id, member.id]);
    expect(row?.status).toBe('active');
    const audit = await s.q<{ actor: string }>("SELECT actor FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 AND action = 'member.confirm_in_person'", [s.tenant.id, member.id]);
    expect(audit).toEqual([{ actor: coordinator.member.id }]);
    const history = await s.q<{ reason: string }>("SELECT reason FROM member_status_history WHERE tenant_id = $1 AND member_id = $2 AND status = 'active' ORDER BY changed_at DESC LIMIT 1", [s.tenant.id, member.id]);
    expect(history[0]?.reason).toBe('confirmed in person by a coordinator');
    // Once active, there is nothing to confirm.
    expect(await (await c.get(`/coordinator/members/${member.id}`)).text()).not.toContain('Confirm membership in person');
    expect((await c.post(`/coordinator/members/${member.id}/confirm-in-person`, {})).status).toBe(409);
  });
});
