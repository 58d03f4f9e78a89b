import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedCorby } from '../modules/tenancy/seed.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/parent-mutual.js');
const pgUrl = process.env.TEST_DATABASE_URL;

function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', EMAIL_WORKER: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

describe(`durability (${pgUrl ? 'postgres' : 'pglite'})`, () => {
  it('keeps every acknowledged join after kill -9 of the app', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-kill-'));
    const env: Record<string, string> = pgUrl ? { DATABASE_URL: pgUrl } : { DATA_DIR: dataDir };
    if (pgUrl) {
      // The shared test database needs the default tenant that answers 127.0.0.1.
      const setup = await openDatabase({ url: pgUrl, poolSize: 1 });
      await runMigrations(setup);
      await seedCorby(setup.db);
      await setup.close();
    }
    const { child, url } = await start(env);
    const first = await fetch(`${url}/join`);
    const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
    const run = Date.now().toString(36);
    const acknowledged: string[] = [];
    // Kill as soon as a few joins are acknowledged, with the rest still in flight: waiting on
    // answers rather than a fixed delay keeps the test meaningful on a slow or busy machine.
    let someAcknowledged: () => void = () => undefined;
    const enoughAcknowledged = new Promise<void>((r) => (someAcknowledged = r));
    const sends = Array.from({ length: 30 }, async (_, i) => {
      const email = `kill-${run}-${i}@example.org`;
      const body = new URLSearchParams({ _csrf: csrf, step: '3', joinKey: `kill-${run}-${i}-000000000`, name: `Durable ${i}`, relationship: 'parent', preferredLocale: 'en', email, ward: 'E05016206', consent: 'yes' });
      const res = await fetch(`${url}/join`, { method: 'POST', body, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual', signal: AbortSignal.timeout(20_000) }).catch(() => undefined);
      if (res?.status === 303) acknowledged.push(email);
      if (acknowledged.length >= 3) someAcknowledged();
    });
    // Kill while requests are still in flight.
    await Promise.race([Promise.all(sends), enoughAcknowledged]);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await Promise.allSettled(sends);
    await exited;
    const database = await openDatabase(pgUrl ? { url: pgUrl, poolSize: 1 } : { dataDir: path.join(dataDir, 'db') });
    try {
      const rows = await database.query<{ email: string }>("SELECT email FROM members WHERE email LIKE $1", [`kill-${run}-%`]);
      const stored = new Set(rows.map((r) => r.email));
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.filter((e) => !stored.has(e))).toEqual([]);
    } finally {
      await database.close();
    }
  }, 90_000);
});
