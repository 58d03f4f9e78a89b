import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/connection.ts';
import { runMigrations } from '../../db/migrate.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { emailCount } from '../../test/mail.ts';
import { erase, erasureTables, KEPT_AFTER_ERASURE } from './data-rights.ts';

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
    // …and those it keeps do hold their records about the member still (not only the list says so).
    expect(KEPT_AFTER_ERASURE).toContain('audit_log');
    const kept = await deps.database.query<{ t: string; n: number }>(
      `SELECT 'audit_log' AS t, count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND entity = 'member' AND entity_id = $3
       UNION ALL SELECT 'member_status_history', count(*)::int FROM member_status_history WHERE tenant_id = $1 AND member_id = $2
       UNION ALL SELECT 'ward_representatives', count(*)::int FROM ward_representatives WHERE tenant_id = $1 AND member_id = $2`,
      [tenant.id, member.id, member.id],
    );
    expect(Object.fromEntries(kept.map((k) => [k.t, k.n > 0]))).toEqual({ audit_log: true, member_status_history: true, ward_representatives: true });
    const actions = await deps.database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND entity = 'member' AND entity_id = $2 ORDER BY seq", [tenant.id, member.id]);
    expect(actions.map((a) => a.action).at(-1)).toBe('member.erase');
    // The old session is gone.
    expect((await self.get('/me')).status).toBe(303);
  });

  it('vacuums the tables it changed, so dead row versions with the data do not stay in the table files', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const unique = `Vx${Date.now().toString(36)}`;
    const { cookie } = await buildMember(db, tenant.id, { name: `Vera ${unique}`, email: `vera.${unique.toLowerCase()}@example.org` });
    const self = new TestClient(app, host);
    await self.get('/sign-in');
    await self.post('/sign-in', { email: `vera.${unique.toLowerCase()}@example.org` });
    self.cookies.set('pm_session', cookie);
    const stats = () =>
      deps.database.query<{ relname: string; vacuums: number; dead: number }>(
        `SELECT relname, (vacuum_count + autovacuum_count)::int AS vacuums, n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relname = ANY($1)`,
        [erasureTables()],
      );
    if (storeName() === 'pglite') {
      // What an interrupted REINDEX CONCURRENTLY leaves behind (PGlite runs as superuser, so it can be faked).
      await deps.database.query('CREATE INDEX IF NOT EXISTS members_fake_ccnew ON members (updated_at)');
      await deps.database.query("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'members_fake_ccnew'::regclass");
    }
    const before = new Map((await stats()).map((r) => [r.relname, r.vacuums]));
    expect((await self.post('/me/erase', { confirm: 'yes' })).status).toBe(303);
    const after = await stats();
    expect(after.map((r) => r.relname).sort()).toEqual(erasureTables().sort());
    for (const row of after) {
      expect(row.vacuums, `${row.relname} vacuumed`).toBeGreaterThan(before.get(row.relname) ?? 0);
      // PGlite is one connection, so nothing can keep a dead row alive; on PostgreSQL other test files
      // may be writing to the same tables at this moment, so only the vacuum itself is asserted there.
      if (storeName() === 'pglite') expect(row.dead, `${row.relname} dead rows`).toBe(0);
    }
    // The rebuild leaves no invalid index copies behind (and clears those of an interrupted one).
    expect(await deps.database.query("SELECT i.indexrelid::regclass::text AS name FROM pg_index i WHERE i.indrelid = 'members'::regclass AND NOT i.indisvalid")).toEqual([]);
  });
});

/** Which files of the store's table directory contain the text (raw bytes, any case). */
function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(dir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(full);
    } catch {
      continue; // a directory
    }
    const text = bytes.toString('latin1').toLowerCase();
    if (needles.some((n) => text.includes(n.toLowerCase()))) hits.push(name);
  }
  return hits;
}

describe('erasure on the files of the embedded store', () => {
  it('leaves the name and email in no table or index file after erase and its vacuum', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-erase-'));
    const database = await openDatabase({ dataDir: path.join(dataDir, 'db') });
    try {
      await runMigrations(database);
      const { tenant } = await buildTenant(database.db, { wards: false });
      const unique = `Fx${Date.now().toString(36)}`;
      const name = `Filomena ${unique}`;
      const email = `filomena.${unique.toLowerCase()}@example.org`;
      const { member } = await buildMember(database.db, tenant.id, { name, email });
      await database.query('CHECKPOINT');
      const base = path.join(dataDir, 'db', 'base');
      expect(filesContaining(base, [unique, email]).length).toBeGreaterThan(0);
      await erase(database.db, tenant.id, member.id, member.id);
      await database.query('CHECKPOINT');
      expect(filesContaining(base, [unique, email])).toEqual([]);
    } finally {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
