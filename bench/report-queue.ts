// 1,000 reports queued on a "phone" (the real queue, src/client/report-queue.ts, with an in-memory
// store and the real HTTP transport, src/client/offline-transport.ts) reach the server through a
// proxy that drops 30% of requests (half before the server sees them, half after it handled them).
// Figure: every report arrives exactly once, within 60 s; baseline: the same 1,000 with no drops.
//
// Targets: the stand-in server (bench/report-queue-server.ts, always) and the real app in process
// (the intelligence routes with a street champion's session, on PGlite or TEST_DATABASE_URL) when it
// serves GET /api/v1/intelligence/form-data; before the server side is merged that target is skipped
// with the reason. Exit code 1 on any loss or duplicate.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { clientIdFrom, MemoryStorage, ReportQueue, type ReportBody } from '../src/client/report-queue.ts';
import { httpTransport } from '../src/client/offline-transport.ts';
import { startLossyProxy, seeded } from './lossy-proxy.ts';
import { startStandIn } from './report-queue-server.ts';

const COUNT = Number(process.env.REPORTS ?? 1000);
const DROP = 0.3;
const TARGET_SECONDS = 60;
/** The benchmark stops by itself: no run may take longer than this. */
const LIMIT_MS = 5 * 60_000;

interface Target {
  name: 'stand-in' | 'real';
  /** Where the proxy forwards to, and the Host header the app needs to find its tenant. */
  url: string;
  hostHeader?: string;
  headers: Record<string, string>;
  categoryKey: string;
  wardCode: string;
  /** Fresh start for a run: what is stored for this run's reports, keyed by observed text. */
  begin(): Promise<void>;
  arrived(): Promise<{ rows: number; distinctClientIds: number; distinctTexts: number }>;
  close(): Promise<void>;
}

function reportBody(target: Target, run: string, i: number): ReportBody {
  return {
    categoryKey: target.categoryKey,
    wardCode: target.wardCode,
    // Today in UTC: never in the future for the server (Europe/London is UTC or an hour ahead).
    observedOn: new Date().toISOString().slice(0, 10),
    // Unique per report: two rows with one text would be a duplicate under two ids.
    observedText: `Benchmark ${run} report number ${i}: damp in the flats by the park.`,
    familiesEstimate: (i % 7) + 1,
    since: 'this_month',
    source: 'seen',
  };
}

async function run(target: Target, dropRate: number, seed: number, label: string) {
  await target.begin();
  const proxy = await startLossyProxy(target.url, { dropRate, seed, ...(target.hostHeader ? { hostHeader: target.hostHeader } : {}) });
  const random = seeded(seed + 1);
  let n = 0;
  const queue = new ReportQueue({
    storage: new MemoryStorage(),
    transport: httpTransport({ fetch, baseUrl: proxy.url, headers: target.headers, timeoutMs: 5_000 }),
    now: () => Date.now(),
    random,
    makeId: () => clientIdFrom(crypto.randomUUID()),
    backoff: { baseMs: 50, capMs: 1_000 },
    concurrency: 16,
  });
  for (let i = 0; i < COUNT; i += 1) await queue.queueReport(reportBody(target, label, i));
  n = (await queue.counts()).waiting;
  const started = performance.now();
  let rounds = 0;
  while ((await queue.counts()).waiting > 0) {
    if (performance.now() - started > LIMIT_MS) break;
    rounds += 1;
    await queue.sync();
    const due = await queue.nextDueAt();
    if (due !== undefined && due > Date.now()) await new Promise((r) => setTimeout(r, Math.min(due - Date.now(), 1_000)));
  }
  const seconds = (performance.now() - started) / 1000;
  const left = await queue.counts();
  const stored = await target.arrived();
  await proxy.close();
  return { queued: n, left, stored, seconds, rounds, proxy: proxy.stats };
}

async function standInTarget(): Promise<Target> {
  let server = await startStandIn();
  const target: Target = {
    name: 'stand-in',
    url: server.url,
    headers: {},
    categoryKey: 'housing',
    wardCode: 'E05016206',
    async begin() {
      await server.close();
      server = await startStandIn();
      target.url = server.url;
    },
    async arrived() {
      const rows = [...server.store.rows.values()];
      const inserts = [...server.store.inserts.values()].reduce((a, b) => a + b, 0);
      return { rows: inserts, distinctClientIds: server.store.rows.size, distinctTexts: new Set(rows.map((r) => r.body.observedText)).size };
    },
    close: () => server.close(),
  };
  return target;
}

/** The real app in process, or the reason it cannot be measured yet. */
async function realTarget(): Promise<Target | { skipped: string }> {
  const { testApp } = await import('../src/test/app.ts');
  const { buildTenant } = await import('../src/test/factories.ts');
  const { buildMember } = await import('../src/test/members.ts');
  const { app, deps } = await testApp();
  const { tenant, host } = await buildTenant(deps.database.db);
  const { cookie } = await buildMember(deps.database.db, tenant.id, { roles: ['street_champion'] });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((r) => server.close(() => r()));
  const headers = { cookie: `pm_session=${cookie}`, host };
  // Node's fetch will not send a Host header of our choosing: ask the app directly through node:http.
  const formData = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    import('node:http')
      .then(({ get }) =>
        get(`${url}/api/v1/intelligence/form-data`, { headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject),
      )
      .catch(reject);
  });
  if (formData.status === 404) {
    await close();
    return { skipped: 'the app does not serve GET /api/v1/intelligence/form-data yet (the server side lands with intel-field)' };
  }
  if (formData.status !== 200) {
    await close();
    return { skipped: `GET /api/v1/intelligence/form-data answered ${formData.status}` };
  }
  const data = JSON.parse(formData.body) as { categories: Array<{ key: string }>; wards: Array<{ code: string }> };
  const categoryKey = data.categories[0]?.key;
  const wardCode = data.wards[0]?.code;
  if (!categoryKey || !wardCode) {
    await close();
    return { skipped: 'form data has no category or ward' };
  }
  let since = new Date();
  return {
    name: 'real',
    url,
    hostHeader: host,
    headers: { cookie: `pm_session=${cookie}` },
    categoryKey,
    wardCode,
    async begin() {
      since = new Date();
    },
    async arrived() {
      const [row] = await deps.database.query<{ rows: string; ids: string; texts: string }>(
        'SELECT count(*) AS rows, count(DISTINCT client_id) AS ids, count(DISTINCT observed_text) AS texts FROM intel_reports WHERE tenant_id = $1 AND received_at >= $2',
        [tenant.id, since.toISOString()],
      );
      return { rows: Number(row?.rows ?? 0), distinctClientIds: Number(row?.ids ?? 0), distinctTexts: Number(row?.texts ?? 0) };
    },
    async close() {
      await close();
      await deps.database.close?.();
    },
  };
}

function figures(target: Target['name'], lossy: Awaited<ReturnType<typeof run>>, baseline: Awaited<ReturnType<typeof run>>) {
  const arrivedOnce = Math.min(lossy.stored.distinctClientIds, lossy.stored.distinctTexts);
  const duplicates = lossy.stored.rows - arrivedOnce;
  const lost = COUNT - arrivedOnce;
  return {
    target,
    sent: lossy.queued,
    arrivedOnce,
    duplicates,
    lost,
    stillQueued: lossy.left.waiting + lossy.left.refused,
    seconds: Math.round(lossy.seconds * 100) / 100,
    targetSeconds: TARGET_SECONDS,
    baselineSeconds: Math.round(baseline.seconds * 100) / 100,
    dropRate: DROP,
    requests: lossy.proxy,
    baselineArrivedOnce: baseline.stored.distinctClientIds,
    meetsTarget: lost === 0 && duplicates === 0 && lossy.seconds <= TARGET_SECONDS,
  };
}

const results: unknown[] = [];
let failed = false;
const standIn = await standInTarget();
try {
  const baseline = await run(standIn, 0, 1, 'baseline');
  const lossy = await run(standIn, DROP, 42, 'lossy');
  const f = figures('stand-in', lossy, baseline);
  failed ||= f.lost !== 0 || f.duplicates !== 0 || baseline.stored.distinctClientIds !== COUNT;
  results.push(f);
} finally {
  await standIn.close();
}
const real = await realTarget();
if ('skipped' in real) {
  results.push({ target: 'real', skipped: real.skipped });
} else {
  try {
    const baseline = await run(real, 0, 1, 'baseline');
    const lossy = await run(real, DROP, 42, 'lossy');
    const f = figures('real', lossy, baseline);
    failed ||= f.lost !== 0 || f.duplicates !== 0 || baseline.stored.distinctClientIds !== COUNT;
    results.push({ ...f, store: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' });
  } finally {
    await real.close();
  }
}
const [first] = results as Array<Record<string, unknown>>;
console.log(JSON.stringify({ benchmark: 'report-queue', ...first, results }, null, 2));
process.exit(failed ? 1 : 0);
