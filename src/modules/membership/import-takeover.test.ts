// Issue 7 item 1: a coordinator took over an admin account with two CSV imports (match by email,
// set external_ref; match by external_ref, change the email). Imports now never change contact
// details directly and never touch staff records, for every importing role × every target role.
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import { isStaffRole } from './policy.ts';
import { ROLES, type Role } from './schema.ts';

const IMPORTERS = ['coordinator', 'admin'] as const satisfies readonly Role[];

async function setup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const row = async (id: string) =>
    (await deps.database.query<Record<string, unknown>>(
      'SELECT name, email, phone, ward_id, external_ref, status, email_verified_at, pending_email, pending_phone, import_snapshot FROM members WHERE tenant_id = $1 AND id = $2',
      [tenant.id, id],
    ))[0];
  const signedIn = async (cookie: string) => {
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', cookie);
    return c;
  };
  const upload = (c: TestClient, csv: string, mode: 'check' | 'apply' = 'apply') =>
    c.postMultipart('/coordinator/members/import', { mode }, { field: 'file', name: 'members.csv', content: csv });
  return { app, deps, db, tenant, host, row, signedIn, upload };
}

describe(`CSV import cannot take over accounts (${storeName()})`, () => {
  it('the two-file attack on an admin: refused, the admin unchanged, no sign-in link for the new address', async () => {
    const { deps, db, tenant, host, app, row, signedIn, upload } = await setup();
    const admin = await buildMember(db, tenant.id, { roles: ['admin'], name: 'Ada Admin', email: 'ada.admin@example.org', wardCode: 'E05010264' });
    await deps.database.query('UPDATE members SET email_verified_at = now() WHERE tenant_id = $1 AND id = $2', [tenant.id, admin.member.id]);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const before = await row(admin.member.id);
    const c = await signedIn(coordinator.cookie);

    const first = await upload(c, 'name,email,ward_code,external_ref\r\nAda Admin,ada.admin@example.org,E05010264,PWN-1\r\n');
    const firstHtml = await first.text();
    expect(first.status).toBe(200);
    expect(firstHtml).toContain('refused – staff records are changed by an admin, not by import');
    expect(await row(admin.member.id)).toEqual(before);

    const second = await upload(c, 'name,email,ward_code,external_ref\r\nAda Admin,attacker@evil.example,E05010264,PWN-1\r\n');
    expect(second.status).toBe(200);
    // PWN-1 was never set, so the row matches nobody and is a new member with the attacker's address.
    expect(await row(admin.member.id)).toEqual(before);
    expect(before).toMatchObject({ email: 'ada.admin@example.org', external_ref: null, pending_email: null });

    // A sign-in link for the attacker's address never reaches the admin's account.
    const attacker = new TestClient(app, host);
    await attacker.get('/sign-in');
    await attacker.post('/sign-in', { email: 'attacker@evil.example' });
    const links = await deps.database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM member_tokens WHERE tenant_id = $1 AND member_id = $2 AND purpose IN ('sign_in', 'confirm_email_change')",
      [tenant.id, admin.member.id],
    );
    expect(links[0]?.n).toBe(0);
    const audit = await deps.database.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 AND action LIKE 'member.%change%'", [tenant.id, admin.member.id]);
    expect(audit[0]?.n).toBe(0);
  });

  it('the same attack on a member without a staff role: the email only becomes a change waiting for the member', async () => {
    const { deps, db, tenant, row, signedIn, upload } = await setup();
    const victim = await buildMember(db, tenant.id, { name: 'Vic Member', email: 'vic@example.org', wardCode: 'E05010264' });
    await deps.database.query('UPDATE members SET email_verified_at = now() WHERE tenant_id = $1 AND id = $2', [tenant.id, victim.member.id]);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const c = await signedIn(coordinator.cookie);
    await upload(c, 'name,email,ward_code,external_ref\r\nVic Member,vic@example.org,E05010264,PWN-2\r\n');
    expect(await row(victim.member.id)).toMatchObject({ external_ref: 'PWN-2' });
    const res = await upload(c, 'name,email,ward_code,external_ref\r\nVic Member,attacker@evil.example,E05010264,PWN-2\r\n');
    expect(await res.text()).toContain('attacker@evil.example – pending confirmation by the member');
    expect(await row(victim.member.id)).toMatchObject({ email: 'vic@example.org', pending_email: 'attacker@evil.example' });
    // The member has a verified address: nothing is sent to the new one until they accept, signed in; the old address is told.
    expect(await emailCount(deps.database, tenant.id, 'attacker@evil.example')).toBe(0);
    expect(await emailCount(deps.database, tenant.id, 'vic@example.org')).toBe(1);
    const tokens = await deps.database.query<{ n: number }>("SELECT count(*)::int AS n FROM member_tokens WHERE tenant_id = $1 AND member_id = $2", [tenant.id, victim.member.id]);
    expect(tokens[0]?.n).toBe(0);
  });

  it('every importing role × every target role: staff records untouched, others changed except contact details', async () => {
    const { deps, db, tenant, row, signedIn, upload } = await setup();
    const failures: string[] = [];
    for (const importer of IMPORTERS) {
      const actor = await buildMember(db, tenant.id, { roles: [importer] });
      const c = await signedIn(actor.cookie);
      for (const target of ROLES) {
        const email = `${importer}-${target}@example.org`.replace(/_/g, '-');
        const t = await buildMember(db, tenant.id, { roles: [target], name: `Target ${target}`, email, wardCode: 'E05010264', phone: '+447700900001' });
        await deps.database.query('UPDATE members SET email_verified_at = now() WHERE tenant_id = $1 AND id = $2', [tenant.id, t.member.id]);
        const before = await row(t.member.id);
        const csv = `name,email,phone,ward_code,external_ref,status\r\nRenamed ${target},${email},07700900002,E05010265,REF-${importer}-${target},lapsed\r\n`;
        const check = await upload(c, csv, 'check');
        const checkHtml = await check.text();
        expect(await row(t.member.id), `${importer} check over ${target}`).toEqual(before);
        const res = await upload(c, csv);
        const html = await res.text();
        const after = await row(t.member.id);
        if (isStaffRole(target)) {
          if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${importer} → ${target}: staff record changed`);
          if (!html.includes('refused') || !checkHtml.includes('refused')) failures.push(`${importer} → ${target}: not reported as refused`);
        } else {
          if (after?.name !== `Renamed ${target}` || after?.external_ref !== `REF-${importer}-${target}` || after?.status !== 'lapsed') failures.push(`${importer} → ${target}: fields not updated`);
          if (after?.phone !== '+447700900001' || after?.pending_phone !== '+447700900002') failures.push(`${importer} → ${target}: phone changed directly`);
          if (after?.email !== email) failures.push(`${importer} → ${target}: email changed`);
          if (!html.includes('pending confirmation by the member')) failures.push(`${importer} → ${target}: pending not reported`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
