import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/build-server.mjs';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/parent-mutual.js');
// Every command is a process that opens the store; on a busy machine (2 cores shared by many
// suites) one can take tens of seconds, so the limits are generous and nothing here is timed.
const COMMAND_TIMEOUT = 180_000;
const SLOW_TEST = { timeout: 600_000 };

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: COMMAND_TIMEOUT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// The store under test: PostgreSQL when TEST_DATABASE_URL is set, otherwise a fresh embedded store.
const pgUrl = process.env.TEST_DATABASE_URL;
const storeEnv = (): Record<string, string> =>
  pgUrl ? { DATABASE_URL: pgUrl } : { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'pm-cli-')) };

describe(`command-line tool (${pgUrl ? 'postgres' : 'pglite'})`, () => {
  // The commands run the compiled CLI (bin/parent-mutual.js); build it once here rather than
  // in the first command, which would then also pay for the build.
  beforeAll(async () => {
    await ensureBuilt();
  }, COMMAND_TIMEOUT);

  it('prints help for every command', SLOW_TEST, async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['start', 'migrate', 'seed', 'tenant create', 'tenant list', 'backup', 'restore', 'audit verify', 'wards load', 'pb']) {
      expect(top.stdout).toContain(name);
    }
    const sub = await cli(['backup', '--help']);
    expect(sub.stdout).toContain('Usage: parent-mutual backup FILE');
  });

  it('fails with one line saying what to set when the database is unreachable', SLOW_TEST, async () => {
    const res = await cli(['migrate'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' });
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/DATABASE_URL/);
    expect(res.stderr).not.toContain('secret');
  });

  it('refuses to open an embedded store another process is using', SLOW_TEST, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-lock-'));
    const { openDatabase } = await import('../db/connection.ts');
    const held = await openDatabase({ dataDir: path.join(dataDir, 'db') });
    try {
      const res = await cli(['migrate'], { DATA_DIR: dataDir, DATABASE_URL: '' });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/in use by another Parent Mutual process/);
    } finally {
      await held.close();
    }
    expect((await cli(['migrate'], { DATA_DIR: dataDir, DATABASE_URL: '' })).code).toBe(0);
  });

  it('creates and lists tenants, loads a ward set, backs up, restores and verifies the audit chain', SLOW_TEST, async () => {
    const env = storeEnv();
    const slug = `cli-${Date.now().toString(36)}`;
    expect((await cli(['seed'], env)).code).toBe(0);
    const created = await cli(['tenant', 'create', '--slug', slug, '--name', 'Kettering Parents', '--area', 'Kettering', '--host', `${slug}.example.org`], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const dup = await cli(['tenant', 'create', '--slug', slug, '--name', 'Again', '--area', 'Xy'], env);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
    const invalid = await cli(['tenant', 'create', '--slug', 'Bad Slug', '--name', 'N', '--area', 'Xy'], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/slug: use 1–40 lower-case letters/);
    const list = await cli(['tenant', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ slug, hosts: [`${slug}.example.org`] })]));

    const dir = mkdtempSync(path.join(tmpdir(), 'pm-wards-'));
    const geo = path.join(dir, 'w.geojson');
    const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 52], [x + 0.1, 52], [x + 0.1, 52.1], [x, 52.1], [x, 52]]] });
    writeFileSync(geo, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { code: 'K1', name: 'North' }, geometry: square(-0.7) },
      { type: 'Feature', properties: { code: 'K2', name: 'South' }, geometry: square(-0.6) },
    ] }));
    const facts = path.join(dir, 'f.csv');
    writeFileSync(facts, 'code,population,under5,notes\nK1,1000,80,ok\nK2,2000,150,\n');
    const loaded = await cli(['wards', 'load', '--tenant', slug, '--key', 'kettering-2025', '--name', 'Kettering 2025', '--geojson', geo, '--facts', facts, '--current'], env);
    expect(loaded.stdout).toContain('loaded 2 wards');
    writeFileSync(facts, 'code,population\nK9,10\n');
    const bad = await cli(['wards', 'load', '--tenant', slug, '--key', 'kettering-2025', '--name', 'Kettering 2025', '--geojson', geo, '--facts', facts], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2: ward code "K9" is not in the GeoJSON file/);

    const file = path.join(dir, 'backup.pmb');
    const made = await cli(['backup', file], env);
    expect(made.code, made.stderr).toBe(0);
    const checksum = /checksum ([0-9a-f]{64})/.exec(made.stdout)?.[1];
    expect(checksum).toBeDefined();
    const restored = await cli(['restore', file], env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`checksum ${checksum}`);
    const foreign = path.join(dir, 'foreign.pmb');
    writeFileSync(foreign, 'not a backup');
    const refused = await cli(['restore', foreign], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not a readable gzip backup|not a Parent Mutual backup/);
    const verify = await cli(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/audit log intact/);
  }); // a dozen CLI processes, each opening the store: slow on a loaded machine

  it("restores another install's backup only with that install's key, which then becomes this install's key", async () => {
    const embedded = (dir: string) => ({ DATA_DIR: dir, DATABASE_URL: '', SECRET_KEY: '' });
    const a = mkdtempSync(path.join(tmpdir(), 'pm-install-a-'));
    const b = mkdtempSync(path.join(tmpdir(), 'pm-install-b-'));
    expect((await cli(['seed'], embedded(a))).code).toBe(0);
    const file = path.join(a, 'a.pmb');
    const made = await cli(['backup', file], embedded(a));
    expect(made.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(a, 'secret.key')).mode & 0o777).toBe(0o600);

    const refused = await cli(['restore', file], embedded(b));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/signed with another key or edited.*--key-file/);
    const restored = await cli(['restore', file, '--key-file', path.join(a, 'secret.key')], embedded(b));
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/the backup's key is now this install's key/);
    expect(readFileSync(path.join(b, 'secret.key'), 'utf8')).toBe(readFileSync(path.join(a, 'secret.key'), 'utf8'));
    const kept = readdirSync(b).filter((f) => f.startsWith('secret.key.replaced-'));
    expect(kept).toHaveLength(1);
    expect(statSync(path.join(b, kept[0]!)).mode & 0o777).toBe(0o600);
    expect((await cli(['restore', file], embedded(b))).code).toBe(0); // now the same key as A
    expect((await cli(['audit', 'verify'], embedded(b))).code).toBe(0);

    // A key file others can read stops the app (and the backup) with one line saying what to do.
    chmodSync(path.join(b, 'secret.key'), 0o644);
    for (const args of [['start'], ['backup', path.join(b, 'x.pmb')]]) {
      const res = await cli(args, { ...embedded(b), PORT: '0', HOST: '127.0.0.1' });
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/permissions 0644: it must be readable by its owner only \(chmod 600 /);
    }
  }, 180_000);
});
