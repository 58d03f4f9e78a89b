import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/parent-mutual.js');

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://members.example.org', ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const pgUrl = process.env.TEST_DATABASE_URL;

describe(`first admin from the command line (${pgUrl ? 'postgres' : 'pglite'})`, () => {
  it('creates a tenant with its admin, promotes a member, prints one-time invitation links, audits as the CLI; clear errors', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-admin-'));
    const env: Record<string, string> = pgUrl ? { DATABASE_URL: pgUrl } : { DATA_DIR: dataDir, DATABASE_URL: '' };
    const slug = `adm-${Date.now().toString(36)}`;

    const help = await cli(['admin', 'create', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: parent-mutual admin create --email EMAIL --name NAME [--tenant SLUG]');
    expect((await cli(['tenant', 'create', '--help'], env)).stdout).toContain('--admin-email EMAIL --admin-name NAME');
    expect((await cli(['--help'], env)).stdout).toContain('admin create');

    const missing = await cli(['admin', 'create', '--email', 'a@example.org'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name is required');
    const half = await cli(['tenant', 'create', '--slug', slug, '--name', 'Half', '--area', 'Xy', '--admin-email', 'a@example.org'], env);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('give both --admin-email and --admin-name');
    const badEmail = await cli(['tenant', 'create', '--slug', slug, '--name', 'Bad', '--area', 'Xy', '--admin-email', 'not-an-email', '--admin-name', 'Ola'], env);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toMatch(/email: Enter an email address like name@example.com/);
    expect(badEmail.stderr).not.toContain('join.error');

    const created = await cli(['tenant', 'create', '--slug', slug, '--name', 'Kettering Parents', '--area', 'Kettering', '--host', `${slug}.example.org`, '--admin-email', 'Ola.Admin@Example.org', '--admin-name', 'Ola Admin'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`created tenant ${slug}`);
    expect(created.stdout).toMatch(/created admin: member 1 \(ola\.admin@example\.org\)/);
    const link = /https:\/\/\S+\/staff\/invitation\?token=\S+/.exec(created.stdout)?.[0];
    expect(link).toBeDefined();

    const unknown = await cli(['admin', 'create', '--email', 'x@example.org', '--name', 'X', '--tenant', 'no-such-tenant'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no tenant with slug "no-such-tenant"');

    // Promote again (a second link replaces the first); the member stays one member.
    const again = await cli(['admin', 'create', '--email', 'ola.admin@example.org', '--name', 'Ola Admin', '--tenant', slug], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/promoted admin: member 1/);
    const second = /https:\/\/\S+\/staff\/invitation\?token=\S+/.exec(again.stdout)?.[0];
    expect(second).not.toBe(link);

    const database = await openDatabase(pgUrl ? { url: pgUrl } : { dataDir: path.join(dataDir, 'db') });
    try {
      const [tenant] = await database.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
      const roles = await database.query<{ role: string }>('SELECT r.role FROM member_roles r JOIN members m ON m.tenant_id = r.tenant_id AND m.id = r.member_id WHERE r.tenant_id = $1 ORDER BY r.role', [tenant!.id]);
      expect(roles.map((r) => r.role)).toEqual(['admin', 'member']);
      const audit = await database.query<{ actor: string; action: string }>("SELECT actor, action FROM audit_log WHERE tenant_id = $1 AND action IN ('member.create', 'role.grant', 'staff.invite') ORDER BY seq", [tenant!.id]);
      expect(audit).toEqual([
        { actor: 'system:cli', action: 'member.create' },
        { actor: 'system:cli', action: 'role.grant' },
        { actor: 'system:cli', action: 'staff.invite' },
        { actor: 'system:cli', action: 'staff.invite' },
      ]);
      const mails = await database.query<{ template: string; to_address: string }>('SELECT template, to_address FROM email_outbox WHERE tenant_id = $1', [tenant!.id]);
      expect(mails).toEqual([
        { template: 'staff_invitation', to_address: 'ola.admin@example.org' },
        { template: 'staff_invitation', to_address: 'ola.admin@example.org' },
      ]);
      // Only the newest link works.
      const live = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM member_tokens WHERE tenant_id = $1 AND purpose = 'staff_invitation' AND used_at IS NULL", [tenant!.id]);
      expect(live[0]?.n).toBe(1);
    } finally {
      await database.close();
    }
  }, 240_000);
});
