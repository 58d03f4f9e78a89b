import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { emailCount } from '../../test/mail.ts';
import { KEPT_AFTER_ERASURE } from './data-rights.ts';

/** Every text-like column of every table that contains the value (case-insensitive). */
async function findEverywhere(database: Database, value: string): Promise<string[]> {
  const columns = await database.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')`,
  );
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    const [row] = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1`,
      [`%${value}%`],
    );
    if ((row?.n ?? 0) > 0) hits.push(`${table_name}.${column_name}`);
  }
  return hits;
}

describe(`erasure (${storeName()})`, () => {
  it('removes or blanks the person everywhere; only the listed records remain, without personal data', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const unique = `Qx${Date.now().toString(36)}`;
    const name = `Zofia Erasable ${unique}`;
    const email = `zofia.${unique.toLowerCase()}@example.org`;
    const phone = '+447700900417';
    const { member, cookie } = await buildMember(db, tenant.id, { name, email, phone, wardCode: 'E05010270' });
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });

    // Leave traces: a ward appointment, a role, a sign-in email, a data-export token.
    const coord = new TestClient(app, host);
    await coord.get('/about');
    coord.cookies.set('pm_session', admin.cookie);
    expect((await coord.post(`/coordinator/members/${member.id}/reps/appoint`, { ward: 'E05010270', startsOn: '2026-01-01' })).status).toBe(303);
    expect((await coord.post(`/coordinator/members/${member.id}/roles/grant`, { role: 'volunteer' })).status).toBe(303);
    const self = new TestClient(app, host);
    await self.get('/sign-in');
    await self.post('/sign-in', { email });
    expect(await emailCount(deps.database, tenant.id, email)).toBe(1);
    // …and a sign-in code by text (issue 7 item 13): an outbox row to the number and a pending code.
    expect((await self.post('/sign-in/phone', { phone })).status).toBe(303);
    expect(await findEverywhere(deps.database, phone)).toContain('sms_outbox.to_number');
    self.cookies.set('pm_session', cookie);
    expect((await self.post('/me/data', {})).status).toBe(303);
    expect(await findEverywhere(deps.database, unique)).not.toEqual([]);

    // A missing confirmation is refused and erases nothing.
    expect((await self.post('/me/erase', {})).status).toBe(400);
    expect(await findEverywhere(deps.database, unique)).toContain('members.name');

    const erased = await self.post('/me/erase', { confirm: 'yes' });
    expect(erased.status).toBe(303);
    expect(await findEverywhere(deps.database, unique)).toEqual([]);
    expect(await findEverywhere(deps.database, email)).toEqual([]);
    expect(await findEverywhere(deps.database, phone)).toEqual([]);

    const [row] = await deps.database.query<{ status: string; name: string; email: string | null; ward_id: string | null }>(
      'SELECT status, name, email, ward_id FROM members WHERE tenant_id = $1 AND id = $2', [tenant.id, member.id]);
    expect(row).toEqual({ status: 'erased', name: '', email: null, ward_id: null });
    // What references the member id remains only in the tables the law makes us keep.
    const referencing = await deps.database.query<{ t: string }>(
      `SELECT 'member_roles' AS t FROM member_roles WHERE member_id = $1
       UNION ALL SELECT 'sessions' FROM sessions WHERE member_id = $1
       UNION ALL SELECT 'member_tokens' FROM member_tokens WHERE member_id = $1
       UNION ALL SELECT 'totp_factors' FROM totp_factors WHERE member_id = $1
       UNION ALL SELECT 'passkeys' FROM passkeys WHERE member_id = $1
       UNION ALL SELECT 'phone_codes' FROM phone_codes WHERE member_id = $1
       UNION ALL SELECT 'recovery_codes' FROM recovery_codes WHERE member_id = $1
       UNION ALL SELECT 'second_factor_resets' FROM second_factor_resets WHERE member_id = $1`, [member.id]);
    expect(referencing).toEqual([]);
    expect(KEPT_AFTER_ERASURE).toContain('audit_log');
    // The old session is gone.
    expect((await self.get('/me')).status).toBe(303);
  });
});
