import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const BIN = path.join(ROOT, 'bin/parent-mutual.js');

export interface Started {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the "ready" line. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Spawn `parent-mutual start` (what `npm start` runs) and wait for its ready line. */
export function startApp(env: Record<string, string>, port: number): Promise<Started> {
  return spawnUntilReady([BIN, 'start'], { LOG_LEVEL: 'warn', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env });
}

/** Spawn `node …args` in the checkout and wait for a line saying "ready at http://…". */
export function spawnUntilReady(args: string[], env: Record<string, string>): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready after 60 s: ${out}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1],
          readyMs: Math.round(performance.now() - started),
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

export const freshDataDir = () => mkdtempSync(path.join(tmpdir(), 'pm-bench-'));
