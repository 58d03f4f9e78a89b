import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/connection.ts';
import { runMigrations } from '../db/migrate.ts';
import { open, seal } from '../lib/secret-box.ts';
import { createLogger } from './logger.ts';
import { keyFilePath, loadSecret, SecretKeyError } from './secret.ts';

// instance_settings is instance-wide, so these tests use a store of their own instead of the
// shared test database (where other test files' processes load keys too).
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await runMigrations(database);
}, 60_000);
afterAll(() => database?.close());

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', { write: (s: string) => void lines.push(s) }) };
}
const freshDir = () => mkdtempSync(path.join(tmpdir(), 'pm-key-'));
const settingRows = async (key: string) => (await database.query<{ value: string }>('SELECT value FROM instance_settings WHERE key = $1', [key])).length;

describe('the instance key', () => {
  it('is created on first start in DATA_DIR/secret.key with mode 0600, and reused on the next start', async () => {
    const dataDir = freshDir();
    const { logger } = capture();
    const first = await loadSecret(database.db, { fromEnv: undefined, dataDir, logger });
    // 48 random bytes, base64url: 64 characters (above the minimum of MIN_SECRET_LENGTH).
    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const file = keyFilePath(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${first}\n`);
    expect(await loadSecret(database.db, { fromEnv: undefined, dataDir, logger })).toBe(first);
    // Never in the database: no row holds it.
    const rows = await database.query<{ value: string }>('SELECT value FROM instance_settings');
    expect(rows.map((r) => r.value)).not.toContain(first);
  });

  it('refuses a key file others can read, a malformed one and a short SECRET_KEY, with one line saying what to do', async () => {
    const { logger } = capture();
    const loose = freshDir();
    writeFileSync(keyFilePath(loose), `${'k'.repeat(48)}\n`);
    chmodSync(keyFilePath(loose), 0o644);
    const err = await loadSecret(database.db, { fromEnv: undefined, dataDir: loose, logger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretKeyError);
    expect((err as Error).message).toMatch(/permissions 0644: it must be readable by its owner only \(chmod 600 /);
    expect((err as Error).message.split('\n')).toHaveLength(1);

    const malformed = freshDir();
    writeFileSync(keyFilePath(malformed), 'too short\n', { mode: 0o600 });
    await expect(loadSecret(database.db, { fromEnv: undefined, dataDir: malformed, logger })).rejects.toThrow(/is malformed/);

    await expect(loadSecret(database.db, { fromEnv: 'short', dataDir: freshDir(), logger })).rejects.toThrow(/SECRET_KEY must be at least 32 characters/);
    const fromEnv = 'an-environment-key-that-is-long-enough-0123456789';
    const envDir = freshDir();
    expect(await loadSecret(database.db, { fromEnv, dataDir: envDir, logger })).toBe(fromEnv);
    expect(() => statSync(keyFilePath(envDir))).toThrow(); // no key file when SECRET_KEY is set
  });

  it('moves a key an older release kept in the database to the key file, so sealed TOTP seeds keep opening', async () => {
    const legacy = 'legacy-generated-key-0123456789-0123456789-abc';
    const sealedSeed = seal(legacy, 'totp-seed', 'JBSWY3DPEHPK3PXP');
    await database.query("INSERT INTO instance_settings (key, value) VALUES ('secret_key', $1) ON CONFLICT (key) DO UPDATE SET value = $1", [legacy]);
    const dataDir = freshDir();
    const { lines, logger } = capture();
    const key = await loadSecret(database.db, { fromEnv: undefined, dataDir, logger });
    expect(key).toBe(legacy);
    expect(open(key, 'totp-seed', sealedSeed)).toBe('JBSWY3DPEHPK3PXP');
    expect(readFileSync(keyFilePath(dataDir), 'utf8')).toBe(`${legacy}\n`);
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(await settingRows('secret_key')).toBe(0);
    const log = lines.join('');
    expect(log).toContain('secret_key_moved');
    expect(log).toContain('secret_key_row_deleted');
    expect(log).not.toContain(legacy);
  });

  it('deletes a database-held key when SECRET_KEY is set, and warns when instances use different keys', async () => {
    await database.query("INSERT INTO instance_settings (key, value) VALUES ('secret_key', $1) ON CONFLICT (key) DO UPDATE SET value = $1", ['stale-key-in-db-0123456789-0123456789-0000']);
    const { lines, logger } = capture();
    const fromEnv = 'yet-another-environment-key-0123456789-0123456789';
    await loadSecret(database.db, { fromEnv, dataDir: freshDir(), logger });
    expect(await settingRows('secret_key')).toBe(0);
    const log = lines.join('');
    expect(log).toContain('secret_key_row_discarded');
    expect(log).not.toContain('stale-key-in-db');
    // The first key this store saw is a different one: the check value notices.
    expect(log).toContain('secret_key_mismatch');
    expect(log).not.toContain(fromEnv);
  });
});
