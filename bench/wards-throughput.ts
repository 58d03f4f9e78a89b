// Requests per second of the wards page against a trivial route (/healthz) of the same process,
// at 50 connections, on the embedded store and on PostgreSQL (BENCH_DATABASE_URL or
// TEST_DATABASE_URL). The ratio is the figure that counts: it cancels out the machine.
import autocannon from 'autocannon';
import { freshDataDir, startApp } from './lib.ts';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = 50;

async function rps(url: string): Promise<{ rps: number; p99Ms: number; errors: number; non2xx: number }> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers: { 'accept-encoding': 'gzip' } });
  return { rps: Math.round(r.requests.average), p99Ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function measure(store: 'pglite' | 'postgres', env: Record<string, string>) {
  const app = await startApp(env, 0);
  try {
    await fetch(`${app.url}/wards`); // warm up
    const trivial = await rps(`${app.url}/healthz`);
    const wards = await rps(`${app.url}/wards`);
    return { store, connections: CONNECTIONS, durationS: DURATION, trivial, wards, ratio: Math.round((wards.rps / trivial.rps) * 1000) / 1000 };
  } finally {
    await app.stop();
  }
}

const results = [await measure('pglite', { DATA_DIR: freshDataDir() })];
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pgUrl) results.push(await measure('postgres', { DATABASE_URL: pgUrl }));
const pg = results.find((r) => r.store === 'postgres');
console.log(
  JSON.stringify(
    {
      benchmark: 'wards-throughput',
      results,
      target: { postgresRatio: 0.3 },
      meetsTarget: pg ? pg.ratio >= 0.3 : null,
      note: pg ? undefined : 'set BENCH_DATABASE_URL to measure PostgreSQL',
    },
    null,
    2,
  ),
);
