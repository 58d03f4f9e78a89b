import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedCorby } from '../modules/tenancy/seed.ts';

const SERVER = path.resolve(import.meta.dirname, '../test/crash-server.ts');
const pgUrl = process.env.TEST_DATABASE_URL;

interface Child {
  child: ChildProcess;
  url: string;
  /** Resolves when the child prints this line. */
  says(line: string): Promise<void>;
}

function start(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', EMAIL_WORKER: 'off', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.filter((x) => out.includes(x.line))) w.resolve();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const says = (line: string) => new Promise<void>((resolve) => (out.includes(line) ? resolve() : waiters.push({ line, resolve })));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    void says('ready at ').then(() => {
      const url = /ready at (http:\/\/\S+)/.exec(out)?.[1] ?? '';
      resolve({ child, url, says });
    });
  });
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

describe(`Idempotency-Key after kill -9 mid-request (${pgUrl ? 'postgres' : 'pglite'})`, () => {
  it('keeps the key in progress until the stale period, then a retry completes and the next replays', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-idem-'));
    const store: Record<string, string> = pgUrl ? { DATABASE_URL: pgUrl } : { DATA_DIR: dataDir };
    if (pgUrl) {
      // The shared test database needs the default tenant that answers 127.0.0.1.
      const setup = await openDatabase({ url: pgUrl, poolSize: 1 });
      await runMigrations(setup);
      await seedCorby(setup.db);
      await setup.close();
    }
    const key = `crash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const body = JSON.stringify({ n: 42 });
    const post = (url: string) =>
      fetch(`${url}/api/v1/test-crash`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'idempotency-key': key }, signal: AbortSignal.timeout(20_000) });

    // 1. The request is accepted, its key claimed, and the process is killed before it answers.
    const hanging = await start({ ...store, CRASH_HANG: '1' });
    const lost = post(hanging.url).catch(() => undefined);
    await hanging.says('handler running');
    await kill(hanging.child, 'SIGKILL');
    expect(await lost).toBeUndefined();

    // 2. Within the stale period the key is still "in progress": 409, nothing runs twice.
    const patient = await start({ ...store, IDEMPOTENCY_STALE_SECONDS: '86400' });
    try {
      const early = await post(patient.url);
      expect(early.status).toBe(409);
      expect(((await early.json()) as { error: { code: string } }).error.code).toBe('idempotency_in_progress');
    } finally {
      await kill(patient.child, 'SIGTERM');
    }

    // 3. After the stale period (0 s here: the setting, not a wait) the retry takes the key over
    //    and completes; the next retry gets the stored response back.
    const retrying = await start({ ...store, IDEMPOTENCY_STALE_SECONDS: '0' });
    try {
      const retry = await post(retrying.url);
      expect(retry.status).toBe(201);
      const first = (await retry.json()) as { call: number; pid: number; n: number };
      expect(first).toEqual({ call: 1, pid: retrying.child.pid, n: 42 });
      const replay = await post(retrying.url);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.json()).toEqual(first);
    } finally {
      await kill(retrying.child, 'SIGTERM');
    }
  }, 120_000);
});
