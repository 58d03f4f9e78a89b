import { openBody } from '../email/sealing.ts';
// Issue 7 item 13 (coordinator edit and erase on request) and the member's side of a pending
// contact change (item 1): accept on /me, confirm from the new address.
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount, lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import { canEditMember, canEraseMember, canImportOver, isStaffRole, STAFF_ROLES, type Actor } from './policy.ts';
import { ROLES, type Role } from './schema.ts';

const actorWith = (role: Role, memberId = 'actor'): Actor => ({ memberId, tenantId: 't', roles: new Set<Role>(['member', role]), sessionId: 's' });

describe('staff-edit policy (pure rules)', () => {
  it('import, edit and erase for every actor role × every target role', () => {
    for (const actorRole of ROLES) {
      for (const target of ROLES) {
        const actor = actorWith(actorRole);
        const manager = actorRole === 'coordinator' || actorRole === 'admin';
        const staffTarget = isStaffRole(target);
        const label = `${actorRole} → ${target}`;
        expect(canImportOver(actor, ['member', target]), label).toBe(manager && !staffTarget);
        expect(canEditMember(actor, ['member', target]), label).toBe(manager && (!staffTarget || actorRole === 'admin'));
        expect(canEraseMember(actor, { memberId: 'other', roles: ['member', target] }), label).toBe(manager && (!staffTarget || actorRole === 'admin'));
      }
    }
    expect(canEraseMember(actorWith('admin', 'me'), { memberId: 'me', roles: ['admin'] })).toBe(false);
    expect(canEditMember(undefined, ['member'])).toBe(false);
  });
});

async function setup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const client = async (cookie?: string) => {
    const c = new TestClient(app, host);
    await c.get('/about');
    if (cookie) c.cookies.set('pm_session', cookie);
    return c;
  };
  const row = async (id: string) =>
    (await deps.database.query<Record<string, unknown>>(
      'SELECT m.name, m.email, m.phone, w.code AS ward, m.relationship, m.children_under_5, m.preferred_locale, m.status, m.pending_email, m.pending_phone, m.email_verified_at FROM members m LEFT JOIN wards w ON w.tenant_id = m.tenant_id AND w.id = m.ward_id WHERE m.tenant_id = $1 AND m.id = $2',
      [tenant.id, id],
    ))[0];
  const audit = (id: string) => deps.database.query<{ action: string; actor: string; data: Record<string, unknown> }>('SELECT action, actor, data FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 ORDER BY seq', [tenant.id, id]);
  const verify = (id: string) => deps.database.query('UPDATE members SET email_verified_at = now() WHERE tenant_id = $1 AND id = $2', [tenant.id, id]);
  return { app, deps, db, tenant, host, client, row, audit, verify };
}

const EDIT = { name: 'Renamed Person', ward: 'E05010270', relationship: 'carer', childrenUnder5: '3', preferredLocale: 'pl', email: '', phone: '' };

describe(`coordinator edits and erases members (${storeName()})`, () => {
  it('a coordinator edits a member: fields audited by name only; a new email and phone wait for the member', async () => {
    const { deps, db, tenant, client, row, audit, verify } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const target = await buildMember(db, tenant.id, { name: 'Old Name', email: 'old@example.org', wardCode: 'E05010264', phone: '+447700900111' });
    await verify(target.member.id);
    const c = await client(coordinator.cookie);
    const page = await c.get(`/coordinator/members/${target.member.id}`);
    expect(await page.text()).toContain(`/coordinator/members/${target.member.id}/edit`);
    expect((await c.get(`/coordinator/members/${target.member.id}/edit`)).status).toBe(200);

    // Bad input: the form again with the field marked, nothing saved.
    const bad = await c.post(`/coordinator/members/${target.member.id}/edit`, { ...EDIT, name: '', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter your name');
    expect(await row(target.member.id)).toMatchObject({ name: 'Old Name' });

    const res = await c.post(`/coordinator/members/${target.member.id}/edit`, { ...EDIT, email: 'New@Example.org', phone: '07700 900222' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/coordinator/members/${target.member.id}?done=pending`);
    expect(await row(target.member.id)).toMatchObject({
      name: 'Renamed Person', ward: 'E05010270', relationship: 'carer', children_under_5: 3, preferred_locale: 'pl',
      email: 'old@example.org', phone: '+447700900111', pending_email: 'new@example.org', pending_phone: '+447700900222',
    });
    const rows = await audit(target.member.id);
    const update = rows.find((a) => a.action === 'member.staff_update');
    expect(update).toMatchObject({ actor: coordinator.member.id, data: { fields: ['name', 'ward', 'relationship', 'childrenUnder5', 'preferredLocale'] } });
    expect(rows.map((a) => a.action)).toEqual(expect.arrayContaining(['member.email_change.request', 'member.phone_change.request']));
    expect(JSON.stringify(rows)).not.toMatch(/Renamed|new@example|900222/);
    // The member has a verified address: no link goes to the new one before they accept.
    expect(await emailCount(deps.database, tenant.id, 'new@example.org')).toBe(0);
    const told = await deps.database.query<{ template: string; text_body: string }>('SELECT template, text_body FROM email_outbox WHERE tenant_id = $1 AND to_address = $2 ORDER BY created_at, id', [tenant.id, 'old@example.org']);
    expect(told.map((m) => m.template)).toEqual(['email_change_requested', 'phone_change_requested']);
    expect(openBody(told[0]!.text_body)).toContain('n***@example.org');
    expect(openBody(told[1]!.text_body)).toContain('ending in 222');
  });

  it('staff records: a coordinator is refused (403, nothing changed); an admin may edit them', async () => {
    const { db, tenant, client, row } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    for (const role of STAFF_ROLES) {
      const staff = await buildMember(db, tenant.id, { roles: [role], name: `Staff ${role}`, wardCode: 'E05010264' });
      const before = await row(staff.member.id);
      const c = await client(coordinator.cookie);
      expect((await c.get(`/coordinator/members/${staff.member.id}/edit`)).status, role).toBe(403);
      expect((await c.post(`/coordinator/members/${staff.member.id}/edit`, EDIT)).status, role).toBe(403);
      expect((await c.post(`/coordinator/members/${staff.member.id}/erase`, { confirmNumber: String(staff.member.memberNumber) })).status, role).toBe(403);
      expect(await row(staff.member.id), role).toEqual(before);
      expect(await (await c.get(`/coordinator/members/${staff.member.id}`)).text()).toContain('only an admin can edit or erase it');
      const a = await client(admin.cookie);
      expect((await a.post(`/coordinator/members/${staff.member.id}/edit`, EDIT)).status, role).toBe(303);
      expect(await row(staff.member.id), role).toMatchObject({ name: 'Renamed Person' });
    }
  });

  it('erase on request: the member number must be typed; audited; staff need an admin; nobody erases themselves here', async () => {
    const { deps, db, tenant, client, row, audit } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    const target = await buildMember(db, tenant.id, { name: 'Erase Me', email: 'erase.me@example.org', wardCode: 'E05010264' });
    const c = await client(coordinator.cookie);
    expect(await (await c.get(`/coordinator/members/${target.member.id}/erase`)).text()).toContain(`Type the member number, ${target.member.memberNumber}, to confirm`);
    const wrong = await c.post(`/coordinator/members/${target.member.id}/erase`, { confirmNumber: String(target.member.memberNumber + 1) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Type the member number exactly as shown');
    expect(await row(target.member.id)).toMatchObject({ name: 'Erase Me', status: 'active' });

    const done = await c.post(`/coordinator/members/${target.member.id}/erase`, { confirmNumber: ` ${target.member.memberNumber} ` });
    expect(done.status).toBe(303);
    expect(await row(target.member.id)).toMatchObject({ name: '', email: null, status: 'erased' });
    expect((await audit(target.member.id)).map((a) => a.action)).toEqual(expect.arrayContaining(['member.erase.on_request', 'member.erase']));
    expect((await audit(target.member.id)).find((a) => a.action === 'member.erase.on_request')?.actor).toBe(coordinator.member.id);
    // Erased: the pages answer 404.
    expect((await c.get(`/coordinator/members/${target.member.id}/erase`)).status).toBe(404);

    // An admin erases a staff member, but not themselves.
    const board = await buildMember(db, tenant.id, { roles: ['board'] });
    const a = await client(admin.cookie);
    expect((await a.post(`/coordinator/members/${admin.member.id}/erase`, { confirmNumber: String(admin.member.memberNumber) })).status).toBe(403);
    expect((await a.post(`/coordinator/members/${board.member.id}/erase`, { confirmNumber: String(board.member.memberNumber) })).status).toBe(303);
    expect(await row(board.member.id)).toMatchObject({ status: 'erased' });
    const roles = await deps.database.query('SELECT role FROM member_roles WHERE tenant_id = $1 AND member_id = $2', [tenant.id, board.member.id]);
    expect(roles).toEqual([]);
  });
});

describe(`a pending contact change, on the member's side (${storeName()})`, () => {
  it('verified member: accepts on /me, then the link to the new address makes it theirs; the old link stops working after a new request', async () => {
    const { app, deps, db, tenant, host, client, row, verify } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const target = await buildMember(db, tenant.id, { email: 'mine@example.org', wardCode: 'E05010264' });
    await verify(target.member.id);
    const c = await client(coordinator.cookie);
    await c.post(`/coordinator/members/${target.member.id}/edit`, { ...EDIT, email: 'newer@example.org', phone: '07700 900333' });

    const me = await client(target.cookie);
    const page = await (await me.get('/me')).text();
    expect(page).toContain('asked to change your email address to newer@example.org');
    expect(page).toContain('asked to change your phone number to +447700900333');
    expect((await me.post('/me/contact-change/email/accept', {})).headers.get('location')).toBe('/me?change=sent');
    const mail = await lastEmail(deps.database, tenant.id, 'newer@example.org');
    expect(mail?.template).toBe('email_change_confirm');
    expect(mail?.link).toMatch(/^\/email-change\/confirm\?token=/);
    // Still the old address until the link is used; a sign-in by the new one finds nobody.
    expect(await row(target.member.id)).toMatchObject({ email: 'mine@example.org' });

    // The GET only shows a button (mail scanners); the POST confirms, without signing anyone in.
    const browser = new TestClient(app, host);
    const shown = await browser.get(mail!.link!);
    expect(shown.status).toBe(200);
    const token = new URL(`https://x${mail!.link!}`).searchParams.get('token')!;
    expect(await row(target.member.id)).toMatchObject({ email: 'mine@example.org' });
    const confirmed = await browser.post('/email-change/confirm', { token });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Your email address is changed');
    expect(browser.cookies.has('pm_session')).toBe(false);
    expect(await row(target.member.id)).toMatchObject({ email: 'newer@example.org', pending_email: null });
    expect((await browser.post('/email-change/confirm', { token })).status).toBe(400);

    // Phone: accepted on /me.
    await me.post('/me/contact-change/phone/accept', {});
    expect(await row(target.member.id)).toMatchObject({ phone: '+447700900333', pending_phone: null });
  });

  it('declining withdraws the change and its link; a member who never confirmed an address gets the link at once', async () => {
    const { app, deps, db, tenant, host, client, row } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const unverified = await buildMember(db, tenant.id, { email: 'typo@exmaple.org', wardCode: 'E05010264' });
    const c = await client(coordinator.cookie);
    await c.post(`/coordinator/members/${unverified.member.id}/edit`, { ...EDIT, email: 'right@example.org' });
    const mail = await lastEmail(deps.database, tenant.id, 'right@example.org');
    expect(mail?.link).toMatch(/^\/email-change\/confirm\?token=/);
    const token = new URL(`https://x${mail!.link!}`).searchParams.get('token')!;

    const me = await client(unverified.cookie);
    expect(await (await me.get('/me')).text()).toContain('A confirmation link was sent to right@example.org');
    await me.post('/me/contact-change/email/decline', {});
    expect(await row(unverified.member.id)).toMatchObject({ email: 'typo@exmaple.org', pending_email: null });
    const browser = new TestClient(app, host);
    expect((await browser.get(mail!.link!)).status).toBe(400);
    expect((await browser.post('/email-change/confirm', { token })).status).toBe(400);
    expect(await row(unverified.member.id)).toMatchObject({ email: 'typo@exmaple.org' });

    // Asked again: this time the link is used.
    await c.post(`/coordinator/members/${unverified.member.id}/edit`, { ...EDIT, email: 'right@example.org' });
    const again = await lastEmail(deps.database, tenant.id, 'right@example.org');
    const token2 = new URL(`https://x${again!.link!}`).searchParams.get('token')!;
    expect((await browser.post('/email-change/confirm', { token: token2 })).status).toBe(200);
    expect(await row(unverified.member.id)).toMatchObject({ email: 'right@example.org' });
    expect((await row(unverified.member.id))?.email_verified_at).not.toBeNull();
  });

  it("an email already used by another member is refused on the edit form", async () => {
    const { db, tenant, client, row } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    await buildMember(db, tenant.id, { email: 'taken@example.org' });
    const target = await buildMember(db, tenant.id, { email: 'free@example.org', wardCode: 'E05010264' });
    const c = await client(coordinator.cookie);
    const res = await c.post(`/coordinator/members/${target.member.id}/edit`, { ...EDIT, email: 'taken@example.org' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Another member already uses this email address');
    // One transaction: the other fields of the refused edit are not saved either.
    expect(await row(target.member.id)).toMatchObject({ pending_email: null, ward: 'E05010264' });
    expect((await row(target.member.id))?.name).not.toBe('Renamed Person');
  });
});
