/**
 * Vote-counting benchmark. Prints JSON only:
 *   npx tsx bench/pb-count.ts            the two target cases
 *   npx tsx bench/pb-count.ts --all      also plain MES on every shipped instance (memory check)
 * Times exclude reading the file; peak memory is the process RSS high-water mark.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Rational } from '../src/lib/rational.ts';
import { count } from '../src/modules/voting/count.ts';
import { parsePb } from '../src/modules/voting/pabulib.ts';
import type { CountParams } from '../src/modules/voting/rules.ts';
import { PABULIB_DIR, hasPabulib } from '../src/modules/voting/test-data.ts';

const TB: CountParams['tieBreak'] = ['cost', 'votes', 'id'];
const plain: CountParams = { rule: 'mes', utility: 'cost', completion: { add1: null, utilitarian: false }, comparison: false, tieBreak: TB };
/** Baseline measured in the same run: plain greedy by votes on the same instance. */
const greedy: CountParams = { ...plain, rule: 'greedy' };
const add1: CountParams = {
  ...plain,
  completion: { add1: { stopWhenExhaustive: false, start: 'exact', step: Rational.ONE }, utilitarian: false },
  comparison: true,
};

interface Row {
  file: string;
  params: string;
  ms: number;
  parseMs: number;
  voters: number;
  projects: number;
  votersTimesProjects: number;
  winners: number;
  mesRuns?: number;
  greedyBaselineMs: number;
  ratioToGreedy: number;
  peakRssMB: number;
  limitMs?: number;
  withinLimit?: boolean;
}

function bench(file: string, label: string, params: CountParams, limitMs?: number): Row {
  const t0 = performance.now();
  const inst = parsePb(readFileSync(path.join(PABULIB_DIR, file), 'utf8'));
  const t1 = performance.now();
  const res = count(inst, params);
  const t2 = performance.now();
  count(inst, greedy);
  const greedyMs = performance.now() - t2;
  const row: Row = {
    file,
    params: label,
    ms: Math.round(t2 - t1),
    parseMs: Math.round(t1 - t0),
    voters: inst.ballots.length,
    projects: inst.projects.length,
    votersTimesProjects: inst.ballots.length * inst.projects.length,
    winners: res.winners.length,
    greedyBaselineMs: Math.round(greedyMs * 10) / 10,
    ratioToGreedy: Math.round(((t2 - t1) / Math.max(greedyMs, 0.1)) * 10) / 10,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  if (res.add1) row.mesRuns = res.add1.runs;
  if (limitMs !== undefined) {
    row.limitMs = limitMs;
    row.withinLimit = row.ms <= limitMs;
  }
  return row;
}

if (!hasPabulib) {
  console.log(JSON.stringify({ skipped: `${PABULIB_DIR} not found` }));
} else {
  const rows: Row[] = [
    bench('Poland_Wieliczka_2023_Green_Budget.pb', 'mes cost add1 + comparison', add1, 2000),
    bench('Poland_Lodz_2022.pb', 'mes cost, no completion', plain, 2000),
  ];
  if (process.argv.includes('--all')) {
    for (const f of readdirSync(PABULIB_DIR).filter((x) => x.endsWith('.pb')).sort()) rows.push(bench(f, 'mes cost, no completion', plain));
  }
  const peak = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ node: process.version, peakRssMB: peak, memoryLimitMB: 500, withinMemory: peak <= 500, rows }, null, 1));
}
