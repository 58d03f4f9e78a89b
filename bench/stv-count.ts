/**
 * STV counting benchmark (Scottish rules). Prints JSON only:
 *   npx tsx bench/stv-count.ts
 * - every Scottish 2017 ward in ../shared/data/stv/scotland2017_scot-elex_blt counted: total ≤ 5 s, largest ward ≤ 100 ms;
 * - a synthetic board election, 5,000 ballots and 15 candidates for 5 seats: ≤ 200 ms.
 * Times exclude reading the files. Baseline measured in the same run: parsing the same text alone.
 * Each figure is the median of 5 runs after one warm-up pass.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBlt, writeBlt, type Blt } from '../src/modules/voting/stv/blt.ts';
import { countStv } from '../src/modules/voting/stv/count.ts';
import { SCOT2017_BLT_DIR, filesIn, hasScot2017 } from '../src/modules/voting/stv/test-data.ts';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function time<T>(f: () => T): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** 5,000 voters rank a random prefix of a random order of 15 candidates (a fixed-seed generator). */
function boardElection(): Blt {
  let s = 20261201;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const nc = 15;
  const popularity = Array.from({ length: nc }, (_, i) => 1 + ((i * 7) % 11));
  const ballots = Array.from({ length: 5000 }, () => {
    const left = Array.from({ length: nc }, (_, i) => i);
    const prefs: number[] = [];
    const len = 1 + Math.floor(rnd() * nc);
    while (prefs.length < len) {
      const total = left.reduce((a, c) => a + popularity[c]!, 0);
      let r = rnd() * total;
      let k = 0;
      while (r >= popularity[left[k]!]! && k < left.length - 1) r -= popularity[left[k++]!]!;
      prefs.push(left.splice(k, 1)[0]!);
    }
    return { weight: 1, prefs };
  });
  return { seats: 5, candidates: Array.from({ length: nc }, (_, i) => `Candidate ${i + 1}`), withdrawn: [], ballots, title: 'Synthetic board election' };
}

const out: Record<string, unknown> = {};

if (!hasScot2017) {
  out['scotland2017'] = { skipped: `${SCOT2017_BLT_DIR} not found` };
} else {
  const texts = filesIn(SCOT2017_BLT_DIR, '.blt').map((f) => ({ f, text: readFileSync(path.join(SCOT2017_BLT_DIR, f), 'utf8') }));
  const parsed = texts.map((t) => ({ ...t, blt: parseBlt(t.text) }));
  for (const p of parsed) countStv(p.blt, { seed: 'bench' }); // warm-up
  const perWard = parsed.map((p) => ({ f: p.f, ms: median(Array.from({ length: RUNS }, () => time(() => countStv(p.blt, { seed: 'bench' })))), ballots: p.blt.ballots.reduce((a, b) => a + b.weight, 0) }));
  const parseMs = median(Array.from({ length: RUNS }, () => time(() => texts.forEach((t) => parseBlt(t.text)))));
  const total = perWard.reduce((a, w) => a + w.ms, 0);
  const largest = perWard.reduce((a, w) => (w.ballots > a.ballots ? w : a));
  const slowest = perWard.reduce((a, w) => (w.ms > a.ms ? w : a));
  out['scotland2017'] = {
    wards: perWard.length,
    ballotPapers: perWard.reduce((a, w) => a + w.ballots, 0),
    countAllMs: round(total),
    countAllLimitMs: 5000,
    largestWard: { file: largest.f, ballotPapers: largest.ballots, ms: round(largest.ms) },
    slowestWard: { file: slowest.f, ms: round(slowest.ms) },
    largestWardLimitMs: 100,
    baselineParseAllMs: round(parseMs),
    parseAndCountAllMs: round(parseMs + total),
    withinLimits: total <= 5000 && largest.ms <= 100 && slowest.ms <= 100,
  };
}

{
  const blt = boardElection();
  const text = writeBlt(blt);
  countStv(blt, { seed: 'bench' });
  const ms = median(Array.from({ length: RUNS }, () => time(() => countStv(parseBlt(text), { seed: 'bench' }))));
  const parseMs = median(Array.from({ length: RUNS }, () => time(() => parseBlt(text))));
  const r = countStv(blt, { seed: 'bench' });
  out['boardElection'] = {
    ballots: 5000,
    candidates: 15,
    seats: 5,
    stages: r.stages.length,
    parseAndCountMs: round(ms),
    limitMs: 200,
    baselineParseMs: round(parseMs),
    withinLimit: ms <= 200,
  };
}

out['peakRssMB'] = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out, null, 2));
