// Time from `npm start` to ready on the embedded store: first start (empty store: migrate + load
// Corby) and a restart. Baseline in the same run: a bare Node process serving HTTP.
import { spawn } from 'node:child_process';
import { freshDataDir, startApp } from './lib.ts';

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

const runs = Number(process.env.RUNS ?? 3);
const results: Array<{ firstStartMs: number; restartMs: number }> = [];
for (let i = 0; i < runs; i += 1) {
  const dataDir = freshDataDir();
  const first = await startApp({ DATA_DIR: dataDir }, 0);
  await first.stop();
  const again = await startApp({ DATA_DIR: dataDir }, 0);
  await again.stop();
  results.push({ firstStartMs: first.readyMs, restartMs: again.readyMs });
}
const baseline = await baselineMs();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const firstStartMs = median(results.map((r) => r.firstStartMs));
console.log(
  JSON.stringify(
    {
      benchmark: 'startup',
      store: 'pglite',
      runs: results,
      medianFirstStartMs: firstStartMs,
      medianRestartMs: median(results.map((r) => r.restartMs)),
      baselineBareNodeHttpMs: baseline,
      ratioToBaseline: Math.round((firstStartMs / baseline) * 10) / 10,
      target: { firstStartMs: 5000 },
      meetsTarget: firstStartMs <= 5000,
    },
    null,
    2,
  ),
);
