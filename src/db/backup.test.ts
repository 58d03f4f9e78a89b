import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import { runMigrations } from './migrate.ts';
import { backup, BackupError, dataChecksum, restore } from './backup.ts';
import { seedCorby } from '../modules/tenancy/seed.ts';
import { buildTenant } from '../test/factories.ts';
import { sha256Hex } from '../lib/hash.ts';
import { openBody, useOutboxKey } from '../modules/email/sealing.ts';
import { requestSignInLink, totpEnrolment } from '../modules/membership/auth.ts';
import { insertMember, PRIVACY_NOTICE_VERSION } from '../modules/membership/service.ts';
import { createLogger } from '../server/logger.ts';
import { loadSecret } from '../server/secret.ts';
import { TEST_SECRET } from '../test/secret.ts';

const KEY = 'backup-test-key-0123456789-0123456789-abcdef';

// Each test opens its own store, because restore replaces all data. PostgreSQL runs use the
// shared test database only through the integration suites; backup round trips run on PGlite
// here and are repeated against PostgreSQL by the CLI test when TEST_DATABASE_URL is set.
async function freshStore() {
  const database = await openDatabase({ dataDir: 'memory://' });
  await runMigrations(database);
  return database;
}

describe('backup and restore (pglite)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pm-backup-'));

  it('round-trips every row: the checksum after restore equals the checksum before', async () => {
    const source = await freshStore();
    await seedCorby(source.db);
    await buildTenant(source.db);
    const file = path.join(dir, 'round.pmb');
    const made = await backup(source, file, KEY);
    const target = await freshStore();
    await buildTenant(target.db); // data that the restore must replace
    const restored = await restore(target, file, KEY);
    expect(restored.rows).toBe(made.rows);
    expect(restored.checksum).toBe(made.checksum);
    expect(await dataChecksum(target)).toBe(await dataChecksum(source));
    await Promise.all([source.close(), target.close()]);
  });

  it('refuses a corrupt or foreign file and leaves the data untouched', async () => {
    const source = await freshStore();
    await seedCorby(source.db);
    const file = path.join(dir, 'good.pmb');
    await backup(source, file, KEY);
    const before = await dataChecksum(source);

    const truncated = path.join(dir, 'truncated.pmb');
    writeFileSync(truncated, readFileSync(file).subarray(0, 200));
    await expect(restore(source, truncated, KEY)).rejects.toBeInstanceOf(BackupError);

    const foreign = path.join(dir, 'foreign.pmb');
    writeFileSync(foreign, gzipSync('{"hello":"world"}\n'));
    await expect(restore(source, foreign, KEY)).rejects.toThrow(/not a Parent Mutual backup/);

    const plain = path.join(dir, 'plain.txt');
    writeFileSync(plain, 'just text');
    await expect(restore(source, plain, KEY)).rejects.toBeInstanceOf(BackupError);

    const tampered = path.join(dir, 'tampered.pmb');
    const lines = (await import('node:zlib')).gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"name":"One Corby Parent Coalition"'));
    expect(at).toBeGreaterThan(0);
    lines[at] = (lines[at] ?? '').replace('One Corby Parent Coalition', 'Tampered');
    writeFileSync(tampered, gzipSync(lines.join('\n')));
    await expect(restore(source, tampered, KEY)).rejects.toThrow(/checksum/);

    expect(await dataChecksum(source)).toBe(before);
    await source.close();
  });

  it('writes the file with mode 0600 from creation, even over a leftover partial file', async () => {
    const source = await freshStore();
    await buildTenant(source.db);
    const file = path.join(dir, 'mode.pmb');
    writeFileSync(`${file}.partial`, 'left over by a crash', { mode: 0o644 });
    await backup(source, file, KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await source.close();
  });

  it('holds no instance key, no opening material and no sign-in link in clear', async () => {
    const source = await freshStore();
    // An older release's key in the database: it moves to the key file and leaves the backup.
    const legacyKey = 'legacy-key-moved-out-of-the-db-0123456789-xyz';
    await source.query("INSERT INTO instance_settings (key, value) VALUES ('secret_key', $1)", [legacyKey]);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-backup-key-'));
    const key = await loadSecret(source.db, { fromEnv: undefined, dataDir, logger: createLogger('silent') });
    expect(key).toBe(legacyKey);
    useOutboxKey(key);
    try {
      const { tenant } = await buildTenant(source.db);
      const member = await source.db.transaction((tx) =>
        insertMember(tx, tenant.id, { name: 'Ada Backup', email: 'ada.backup@example.org', relationship: 'parent', preferredLocale: 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'active' }, 'system:test'),
      );
      await requestSignInLink(source.db, tenant, 'ada.backup@example.org', 'https://corby.example', 'en');
      const totp = await totpEnrolment(source.db, tenant, key, member.id);
      const [row] = await source.query<{ text_body: string }>('SELECT text_body FROM email_outbox WHERE tenant_id = $1', [tenant.id]);
      expect(openBody(row!.text_body)).toContain('token='); // the link exists, sealed

      const file = path.join(dir, 'secrets.pmb');
      await backup(source, file, key);
      const text = gunzipSync(readFileSync(file)).toString('utf8');
      expect(text).toContain('ada.backup@example.org'); // the data is there…
      expect(text).not.toContain(key); // …but not the key,
      expect(text).not.toContain('"secret_key"');
      expect(text).not.toContain('token='); // no live link,
      expect(text).not.toContain('/sign-in/link');
      expect(text).not.toContain(totp.secret); // and no TOTP seed in clear.
    } finally {
      useOutboxKey(TEST_SECRET);
      await source.close();
    }
  });

  it('refuses an edited backup whose checksum was recomputed, and one signed with another key', async () => {
    const source = await freshStore();
    await seedCorby(source.db);
    const file = path.join(dir, 'signed.pmb');
    await backup(source, file, KEY);
    const before = await dataChecksum(source);

    // Edit a row and recompute the checksum exactly as backup() does: only the signature can tell.
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const at = lines.findIndex((l) => l.includes('"name":"One Corby Parent Coalition"'));
    expect(at).toBeGreaterThan(0);
    lines[at] = (lines[at] ?? '').replace('One Corby Parent Coalition', 'Forged Coalition');
    const rows = lines.slice(1, -1).map((l) => JSON.parse(l) as { t: string; r: unknown });
    const trailer = JSON.parse(lines.at(-1) ?? '{}') as { checksum: string; signature: string };
    trailer.checksum = sha256Hex(rows.map((r) => sha256Hex(`${r.t}\n${JSON.stringify(r.r)}`)).join('\n'));
    lines[lines.length - 1] = JSON.stringify(trailer);
    const edited = path.join(dir, 'edited.pmb');
    writeFileSync(edited, gzipSync(lines.join('\n') + '\n'));
    await expect(restore(source, edited, KEY)).rejects.toThrow(/signed with another key or edited/);

    // A backup signed by another install: refused with this key, restored with that one.
    const otherKey = 'another-install-key-0123456789-0123456789-zz';
    const foreign = path.join(dir, 'other-install.pmb');
    await backup(source, foreign, otherKey);
    await expect(restore(source, foreign, KEY)).rejects.toThrow(/signed with another key or edited/);
    expect(await dataChecksum(source)).toBe(before);
    const restored = await restore(source, foreign, otherKey);
    expect(restored.checksum).toBe(before);

    // Unsigned files from the previous format are refused with a reason.
    const v1 = path.join(dir, 'v1.pmb');
    writeFileSync(v1, gzipSync(`${JSON.stringify({ format: 'parent-mutual-backup', version: 1, migration: '', tables: [] })}\n${JSON.stringify({ end: true, rows: 0, checksum: sha256Hex('') })}\n`));
    await expect(restore(source, v1, KEY)).rejects.toThrow(/older release \(format 1, unsigned\)/);
    expect(await dataChecksum(source)).toBe(before);
    await source.close();
  });
});
