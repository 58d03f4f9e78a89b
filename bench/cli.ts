// Wall time of CLI commands end to end (spawn to exit), with baselines from the same run:
//   `parent-mutual --help` against `node -e 0`;
//   `pb count` on Łódź 2022 (mes, cost, no completion, --json) against the same command through tsx.
// Runs are interleaved so that a busy machine slows every variant alike; medians are reported.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt } from '../scripts/build-server.mjs';
import { PABULIB_DIR } from '../src/modules/voting/test-data.ts';
import { BIN } from './lib.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const LODZ = path.join(PABULIB_DIR, 'Poland_Lodz_2022.pb');
const PB = ['pb', 'count', LODZ, '--rule', 'mes', '--utility', 'cost', '--completion', 'none', '--json'];

function wallMs(args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0);

await ensureBuilt(); // a stale build would be timed as a rebuild
const variants: Record<string, { args: string[]; env?: Record<string, string> }> = {
  bareNode: { args: ['-e', '0'] },
  help: { args: [BIN, '--help'] },
  helpFromSource: { args: [BIN, '--help'], env: { PARENT_MUTUAL_FROM_SOURCE: '1' } },
};
if (existsSync(LODZ)) {
  variants.pbCount = { args: [BIN, ...PB] };
  variants.pbCountFromSource = { args: [BIN, ...PB], env: { PARENT_MUTUAL_FROM_SOURCE: '1' } };
}
const times: Record<string, number[]> = {};
for (let i = 0; i < RUNS; i += 1) {
  for (const [name, v] of Object.entries(variants)) (times[name] ??= []).push(await wallMs(v.args, v.env));
}
const m = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
const helpOk = (m.help ?? Infinity) <= 300;
const pbOk = m.pbCount === undefined ? null : m.pbCount <= 1000;
console.log(
  JSON.stringify(
    {
      benchmark: 'cli',
      node: process.version,
      runs: RUNS,
      medianMs: m,
      help: { ms: m.help, baselineBareNodeMs: m.bareNode, fromSourceMs: m.helpFromSource, targetMs: 300, meetsTarget: helpOk },
      pbCount:
        m.pbCount === undefined
          ? { skipped: `${LODZ} not found` }
          : { ms: m.pbCount, baselineFromSourceMs: m.pbCountFromSource, targetMs: 1000, meetsTarget: pbOk },
      allMs: times,
    },
    null,
    2,
  ),
);
