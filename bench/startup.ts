// Time from `npm start` to ready on the embedded store: first start (empty store: migrate + load
// Corby) and a restart, each until the ready line and until the first answer to /readyz.
// Baselines in the same run: a bare Node process serving HTTP, and a bare process that opens a
// fresh PGlite store and answers HTTP with a query (what no start can do without).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt } from '../scripts/build-server.mjs';
import { freshDataDir, spawnUntilReady, startApp, type Started } from './lib.ts';

async function baselineMs(): Promise<number> {
  const started = performance.now();
  const code = "require('http').createServer((q,s)=>s.end('ok')).listen(0,()=>{console.log('ready');process.exit(0)})";
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => resolve());
    child.once('error', reject);
  });
  return Math.round(performance.now() - started);
}

const BARE_PGLITE = `
import http from 'node:http';
import { PGlite } from '@electric-sql/pglite';
const db = new PGlite(process.env.PGLITE_DIR);
await db.waitReady;
const server = http.createServer(async (req, res) => {
  const { rows } = await db.query('select 1 as ok');
  res.end(String(rows[0].ok));
});
server.listen(0, '127.0.0.1', () => console.log('ready at http://127.0.0.1:' + server.address().port));
`;

/** Spawn to ready line, and spawn to the first answer from `probe`. */
async function timed(start: () => Promise<Started>, probe: string): Promise<{ readyMs: number; answeredMs: number }> {
  const t0 = performance.now();
  const app = await start();
  const res = await fetch(`${app.url}${probe}`);
  if (!res.ok) throw new Error(`${probe} answered ${res.status}`);
  await res.text();
  const answeredMs = Math.round(performance.now() - t0);
  await app.stop();
  return { readyMs: app.readyMs, answeredMs };
}

await ensureBuilt(); // time a start, not the one-off build after a source change
const runs = Number(process.env.RUNS ?? 3);
const results: Array<{ firstStartMs: number; firstAnswerMs: number; restartMs: number; barePgliteMs: number }> = [];
for (let i = 0; i < runs; i += 1) {
  const dataDir = freshDataDir();
  const first = await timed(() => startApp({ DATA_DIR: dataDir }, 0), '/readyz');
  const again = await timed(() => startApp({ DATA_DIR: dataDir }, 0), '/readyz');
  const bare = await timed(() => spawnUntilReady(['--input-type=module', '-e', BARE_PGLITE], { PGLITE_DIR: path.join(freshDataDir(), 'db') }), '/');
  results.push({ firstStartMs: first.readyMs, firstAnswerMs: first.answeredMs, restartMs: again.readyMs, barePgliteMs: bare.answeredMs });
}
const baseline = await baselineMs();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const firstStartMs = median(results.map((r) => r.firstStartMs));
const firstAnswerMs = median(results.map((r) => r.firstAnswerMs));
const barePgliteMs = median(results.map((r) => r.barePgliteMs));
const ratioToPglite = Math.round((firstAnswerMs / barePgliteMs) * 100) / 100;
console.log(
  JSON.stringify(
    {
      benchmark: 'startup',
      store: 'pglite',
      runs: results,
      medianFirstStartMs: firstStartMs,
      medianFirstAnswerMs: firstAnswerMs,
      medianRestartMs: median(results.map((r) => r.restartMs)),
      baselineBareNodeHttpMs: baseline,
      baselineBarePgliteHttpMs: barePgliteMs,
      ratioToBaseline: Math.round((firstStartMs / baseline) * 10) / 10,
      ratioToBarePglite: ratioToPglite,
      target: { firstStartMs: 5000, ratioToBarePglite: 1.5 },
      meetsTarget: { firstStartMs: firstStartMs <= 5000, ratioToBarePglite: ratioToPglite <= 1.5 },
    },
    null,
    2,
  ),
);
