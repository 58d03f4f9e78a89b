import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import { runMigrations } from './migrate.ts';
import { backup, BackupError, dataChecksum, restore } from './backup.ts';
import { seedCorby } from '../modules/tenancy/seed.ts';
import { buildTenant } from '../test/factories.ts';

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
    const made = await backup(source, file);
    const target = await freshStore();
    await buildTenant(target.db); // data that the restore must replace
    const restored = await restore(target, file);
    expect(restored.rows).toBe(made.rows);
    expect(restored.checksum).toBe(made.checksum);
    expect(await dataChecksum(target)).toBe(await dataChecksum(source));
    await Promise.all([source.close(), target.close()]);
  });

  it('refuses a corrupt or foreign file and leaves the data untouched', async () => {
    const source = await freshStore();
    await seedCorby(source.db);
    const file = path.join(dir, 'good.pmb');
    await backup(source, file);
    const before = await dataChecksum(source);

    const truncated = path.join(dir, 'truncated.pmb');
    writeFileSync(truncated, readFileSync(file).subarray(0, 200));
    await expect(restore(source, truncated)).rejects.toBeInstanceOf(BackupError);

    const foreign = path.join(dir, 'foreign.pmb');
    writeFileSync(foreign, gzipSync('{"hello":"world"}\n'));
    await expect(restore(source, foreign)).rejects.toThrow(/not a Parent Mutual backup/);

    const plain = path.join(dir, 'plain.txt');
    writeFileSync(plain, 'just text');
    await expect(restore(source, plain)).rejects.toBeInstanceOf(BackupError);

    const tampered = path.join(dir, 'tampered.pmb');
    const lines = (await import('node:zlib')).gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"name":"One Corby Parent Coalition"'));
    expect(at).toBeGreaterThan(0);
    lines[at] = (lines[at] ?? '').replace('One Corby Parent Coalition', 'Tampered');
    writeFileSync(tampered, gzipSync(lines.join('\n')));
    await expect(restore(source, tampered)).rejects.toThrow(/checksum/);

    expect(await dataChecksum(source)).toBe(before);
    await source.close();
  });
});
