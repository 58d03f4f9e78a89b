// Secret budget ballots under load (issue 13): CONNECTIONS (200) voters at once for DURATION (60)
// seconds against a spawned app on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL), with real
// members, sessions and CSRF tokens (VOTERS are prepared; each votes once).
// - journey (the target figure): each voter opens the ballot page, takes THINK_S (1) seconds ±50%
//   to choose, casts the ballot and makes way for the next member; p99 over every page and vote.
//   A short warm-up (75 voters) runs first, unmeasured, so the app's pool is open.
// - flood (the capacity figure): CONNECTIONS connections posting ballots back to back with no
//   think time; at saturation latency is queueing (≈ CONNECTIONS / votes per second).
// MODE=journey|flood|both (both). Baseline in the same run: /healthz at the same concurrency
// (BASELINE_S shortens it). Every run reports the app's CPU milliseconds per request. Then the
// database is checked: every accepted ballot is counted (closing and counting the round; votes in
// flight when a run stops are committed and counted too, shown as inFlightWhenStopped), ballots =
// register rows = counted, no box left, no member with two rows. Out of prepared voters, the flood
// sends second votes (refused, counted as non-2xx: prepare more).
// Target (journey): 0 errors, p99 ≤ 300 ms. Prints JSON; exits non-zero when a check fails.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import autocannon from 'autocannon';
import type { Actor } from '../src/modules/membership/policy.ts';
import { insertMember, PRIVACY_NOTICE_VERSION } from '../src/modules/membership/service.ts';
import { createSession } from '../src/modules/membership/sessions.ts';
import { useOutboxKey } from '../src/modules/email/sealing.ts';
import { useBallotKey } from '../src/modules/commissioning/ballots-seal.ts';
import { closeAndCount } from '../src/modules/commissioning/counting.ts';
import { createPot, recordIncome } from '../src/modules/commissioning/ledger.ts';
import { createProposal, decideEligibility } from '../src/modules/commissioning/proposals.ts';
import { advanceRound, createRound } from '../src/modules/commissioning/rounds.ts';
import { csrfTokenFor } from '../src/server/middleware/csrf.ts';
import { buildTenant } from '../src/test/factories.ts';
import { buildMember } from '../src/test/members.ts';
import { BIN, spawnUntilReady, startApp } from './lib.ts';
import { openStore } from './member-import.ts';

const DURATION = Number(process.env.DURATION ?? 60);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 200);
const VOTERS = Number(process.env.VOTERS ?? 30_000);
const SECRET = 'bench-secret-key-0123456789abcdef0123456789abcdef';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) {
  console.log(JSON.stringify({ benchmark: 'budget-voting', note: 'set BENCH_DATABASE_URL (PostgreSQL) to run' }));
  process.exit(0);
}
useOutboxKey(SECRET);
// The app seals ballots with its instance key; closing the round here opens them with the same key.
useBallotKey(SECRET);
const database = await openStore(url);
const { db } = database;
const { tenant, host } = await buildTenant(db, { wards: false });
const coordM = await buildMember(db, tenant.id, { roles: ['coordinator'] });
const coord: Actor = { memberId: coordM.member.id, tenantId: tenant.id, roles: new Set(['member', 'coordinator']), sessionId: 'bench' };
const potId = await createPot(db, coord, { name: 'Bench pot', financialYear: '2026-27', source: 'devolved_budget' });
await recordIncome(db, coord, { potId, amount: '100000', idempotencyKey: `bench-income-${potId}` });
const roundId = await createRound(db, coord, { title: 'Bench round', potId, budget: '50000', ballotType: 'approval', maxChoices: '3', rule: 'mes', completion: 'add1_utilitarian' });
const ids: string[] = [];
for (let i = 0; i < 12; i++) {
  const id = await createProposal(db, coord, { title: `Proposal ${i + 1}`, summary: 'A bench proposal for families.', cost: String(2000 + i * 1500), roundId });
  await decideEligibility(db, coord, id, { decision: 'eligible', reason: 'Bench: eligible.' });
  ids.push(id);
}
await advanceRound(db, coord, roundId, 'review');
await advanceRound(db, coord, roundId, 'voting');

// The voters: members with a session each (in batches), and a CSRF cookie + token per voter.
const t0 = performance.now();
const voters: Array<{ cookie: string; body: string }> = [];
for (let b = 0; b < VOTERS; b += 500) {
  const batch = await db.transaction(async (tx) => {
    const out: string[] = [];
    for (let i = b; i < Math.min(VOTERS, b + 500); i++) {
      const m = await insertMember(tx, tenant.id, { name: `Bench Voter ${i}`, email: `bench-voter-${i}-${tenant.id.slice(0, 8)}@example.invalid`, relationship: 'parent', preferredLocale: 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'active', wardId: null }, 'system:bench');
      out.push(m.id);
    }
    return out;
  });
  const tokens = await Promise.all(batch.map(async (memberId) => (await createSession(db, { tenantId: tenant.id, memberId, staff: false, secondFactor: false })).token));
  for (const [k, token] of tokens.entries()) {
    const csrfCookie = `bench-csrf-${b + k}-${'x'.repeat(24)}`;
    const i = b + k;
    const choose = [ids[i % ids.length], ids[(i * 7 + 3) % ids.length]].filter((x, j, a) => a.indexOf(x) === j);
    const body = new URLSearchParams([['_csrf', csrfTokenFor(SECRET, csrfCookie)], ['action', 'cast'], ...choose.map((c) => ['choose', c as string] as [string, string])]).toString();
    voters.push({ cookie: `pm_session=${token}; pm_csrf=${csrfCookie}`, body });
  }
}
const setupS = Math.round(performance.now() - t0) / 1000;

const appEnv = { DATABASE_URL: url, SECRET_KEY: SECRET, NODE_ENV: 'development', DEFAULT_TENANT: 'off' };
// PROFILE_DIR=…: the app runs under --cpu-prof and writes its profile there when it stops.
const app = process.env.PROFILE_DIR
  ? await spawnUntilReady(['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`, BIN, 'start'], { LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', ...appEnv })
  : await startApp(appEnv, 0);
/** CPU seconds (user + system) a process has used so far, from /proc (Linux), or NaN. */
const cpuOf = (pid: number | undefined): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
};
/** The app's and the load generator's CPU milliseconds per request over a run. */
async function measured<T extends autocannon.Result>(go: () => Promise<T>): Promise<{ result: T; cpuMsPerRequest: { app: number; loadGenerator: number } }> {
  const app0 = cpuOf(app.child.pid);
  const self0 = process.cpuUsage();
  const result = await go();
  const self = process.cpuUsage(self0);
  const n = Math.max(1, result.requests.total);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { result, cpuMsPerRequest: { app: r(((cpuOf(app.child.pid) - app0) * 1000) / n), loadGenerator: r((self.user + self.system) / 1000 / n) } };
}
/** One HTTP request on a keep-alive agent: status and milliseconds, or an error. */
function timed(agent: http.Agent, base: URL, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; ms: number } | { error: string; ms: number }> {
  const t = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.message, ms: performance.now() - t }));
    req.end(body);
  });
}

const pct = (sorted: number[], q: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);

/**
 * The voters' journey: CONNECTIONS voters at once, each a member on a phone who opens the
 * ballot page, takes THINK_S seconds (uniform between half and one and a half times it, so
 * voters are not in step) to choose, casts the ballot, and makes way for the next member. Every
 * request's latency counts (page and vote). Runs DURATION seconds, then lets journeys in flight end.
 */
async function journeys(takeVoter: () => { cookie: string; body: string } | undefined): Promise<{ pages: number[]; votes: number[]; accepted: number; errors: number; non2xx: number; statuses: Record<string, number>; slowBySecond: Record<number, number>; errorMessages: Record<string, number> }> {
  const base = new URL(app.url);
  // FIFO: every kept-alive socket is reused in turn, so none sits idle until the server closes it
  // (a request sent on a socket the server is closing fails with ECONNRESET: the client's artefact).
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, scheduling: 'fifo' });
  const thinkMs = Number(process.env.THINK_S ?? 1) * 1000;
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const out = { pages: [] as number[], votes: [] as number[], accepted: 0, errors: 0, non2xx: 0, statuses: {} as Record<string, number>, slowBySecond: {} as Record<number, number>, errorMessages: {} as Record<string, number> };
  const started = performance.now();
  const count = (r: { status: number; ms: number } | { error: string; ms: number }, into: number[]): boolean => {
    if (r.ms > 300) {
      const second = Math.floor((performance.now() - started) / 1000);
      out.slowBySecond[second] = (out.slowBySecond[second] ?? 0) + 1;
    }
    if ('error' in r) {
      out.errors++;
      out.errorMessages[r.error] = (out.errorMessages[r.error] ?? 0) + 1;
      return false;
    }
    into.push(r.ms);
    out.statuses[r.status] = (out.statuses[r.status] ?? 0) + 1;
    if (r.status < 200 || r.status > 299) out.non2xx++;
    return r.status >= 200 && r.status <= 299;
  };
  const until = performance.now() + DURATION * 1000;
  const votePath = `/budget/rounds/${roundId}/vote`;
  const voter = async (): Promise<void> => {
    await sleep(rnd() * thinkMs);
    while (performance.now() < until) {
      const v = takeVoter();
      if (!v) return;
      const headers = { host, cookie: v.cookie };
      if (!count(await timed(agent, base, 'GET', votePath, headers), out.pages)) continue;
      await sleep(thinkMs * (0.5 + rnd()));
      if (count(await timed(agent, base, 'POST', votePath, { ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}` }, v.body), out.votes)) out.accepted++;
      await sleep(thinkMs * (0.5 + rnd()));
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, voter));
  agent.destroy();
  return out;
}

const MODE = process.env.MODE ?? 'both';
try {
  const run = (opts: autocannon.Options) => autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const { result: baseline, cpuMsPerRequest: baselineCpu } = await measured(() => run({ url: `${app.url}/healthz`, headers: { host }, duration: Number(process.env.BASELINE_S ?? DURATION) }));
  let next = 0;
  let exhausted = false;
  const take = () => {
    const v = voters[next++];
    if (!v) exhausted = true;
    return v;
  };
  let journey: Record<string, unknown> | undefined;
  let journeyOk = true;
  let accepted = 0;
  if (MODE !== 'flood') {
    // Warm-up, not measured: 75 voters (25 at a time, no thinking) so the ballot page and the
    // vote have run before the clock starts (a server that has just started compiles them) and
    // the app's pool of 20 PostgreSQL connections is open, as on a server that has been running.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 25 });
    const base = new URL(app.url);
    const votePath = `/budget/rounds/${roundId}/vote`;
    for (let w = 0; w < 3; w++) {
      const ok = await Promise.all(Array.from({ length: 25 }, async () => {
        const v = take();
        if (!v) return false;
        await timed(agent, base, 'GET', votePath, { host, cookie: v.cookie });
        const r = await timed(agent, base, 'POST', votePath, { host, cookie: v.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}` }, v.body);
        return 'status' in r && r.status === 200;
      }));
      accepted += ok.filter(Boolean).length;
    }
    agent.destroy();
    const app0 = cpuOf(app.child.pid);
    const t0 = performance.now();
    const j = await journeys(take);
    const seconds = (performance.now() - t0) / 1000;
    const all = [...j.pages, ...j.votes].sort((a, b) => a - b);
    const votesSorted = [...j.votes].sort((a, b) => a - b);
    const pagesSorted = [...j.pages].sort((a, b) => a - b);
    const p99 = pct(all, 0.99);
    accepted += j.accepted;
    journeyOk = j.errors === 0 && j.non2xx === 0 && p99 <= 300 && !exhausted;
    journey = {
      reading: `${CONNECTIONS} voters at once, each opening the ballot page, taking ${process.env.THINK_S ?? 1} s (±50%) to choose, casting, then the next member; p99 over every page and vote request`,
      votesPerS: Math.round(j.accepted / seconds),
      requests: all.length,
      accepted: j.accepted,
      errors: j.errors,
      errorMessages: j.errorMessages,
      non2xx: j.non2xx,
      statuses: j.statuses,
      p50Ms: pct(all, 0.5),
      p99Ms: p99,
      votes: { p50Ms: pct(votesSorted, 0.5), p99Ms: pct(votesSorted, 0.99), maxMs: Math.round(votesSorted.at(-1) ?? 0) },
      pages: { p50Ms: pct(pagesSorted, 0.5), p99Ms: pct(pagesSorted, 0.99), maxMs: Math.round(pagesSorted.at(-1) ?? 0) },
      slowerThan300msBySecond: j.slowBySecond,
      appCpuMsPerJourney: Math.round(((cpuOf(app.child.pid) - app0) * 1000 * 100) / Math.max(1, j.accepted)) / 100,
    };
  }
  let flood: Record<string, unknown> | undefined;
  if (MODE !== 'journey') {
    const { result: votes, cpuMsPerRequest: votesCpu } = await measured(() => run({
      url: app.url,
      requests: [
        {
          method: 'POST',
          path: `/budget/rounds/${roundId}/vote`,
          setupRequest: (req) => {
            // Out of fresh members: a second vote (refused, counted as non-2xx: prepare more).
            const v = take() ?? voters[0]!;
            return { ...req, headers: { host, cookie: v.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}` }, body: v.body };
          },
        },
      ],
    }));
    accepted += votes['2xx'];
    flood = {
      reading: `capacity: ${CONNECTIONS} connections posting ballots back to back with no think time (the machine saturated; latency here is queueing)`,
      rps: Math.round(votes.requests.average), p50Ms: votes.latency.p50, p99Ms: votes.latency.p99, requests: votes.requests.total, accepted: votes['2xx'], errors: votes.errors, non2xx: votes.non2xx, timeouts: votes.timeouts, cpuMsPerRequest: votesCpu,
    };
  }
  // Closing waits for votes still in flight (it locks the round FOR UPDATE), so the counts below
  // are final: the register, the ballots written from the sealed boxes, and no box left over.
  const result = await closeAndCount(db, coord, roundId, tenant.name);
  const [reg] = await database.query<{ voters: number; dup: number }>('SELECT count(*)::int AS voters, (SELECT count(*)::int FROM (SELECT member_id FROM comm_voters WHERE tenant_id = $1 AND round_id = $2 GROUP BY member_id HAVING count(*) > 1) d) AS dup FROM comm_voters WHERE tenant_id = $1 AND round_id = $2', [tenant.id, roundId]);
  const [bal] = await database.query<{ n: number; boxes: number }>('SELECT count(*)::int AS n, (SELECT count(*)::int FROM comm_ballot_box WHERE tenant_id = $1 AND round_id = $2) AS boxes FROM comm_ballots WHERE tenant_id = $1 AND round_id = $2', [tenant.id, roundId]);
  const out = {
    benchmark: 'budget-voting',
    store: 'postgres',
    connections: CONNECTIONS,
    durationS: DURATION,
    setupS,
    votersPrepared: VOTERS,
    votersExhausted: exhausted,
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
    baseline: { path: '/healthz', rps: Math.round(baseline.requests.average), p99Ms: baseline.latency.p99, errors: baseline.errors, non2xx: baseline.non2xx, cpuMsPerRequest: baselineCpu },
    journey,
    flood,
    database: { registerRows: reg?.voters ?? 0, ballots: bal?.n ?? 0, boxesLeft: bal?.boxes ?? 0, inFlightWhenStopped: (reg?.voters ?? 0) - accepted, membersWithTwoBallots: reg?.dup ?? 0, countedBallots: result.ballots },
    target: { errors: 0, p99Ms: 300, everyAcceptedCounted: true, membersWithTwoBallots: 0, appliesTo: 'journey' },
  };
  const ok = journeyOk && result.ballots >= accepted && (bal?.n ?? 0) === result.ballots && (reg?.voters ?? 0) === result.ballots && (bal?.boxes ?? 0) === 0 && (reg?.dup ?? 0) === 0;
  console.log(JSON.stringify({ ...out, meetsTarget: ok }, null, 2));
  if (!ok) process.exitCode = 1;
} finally {
  await app.stop();
  await database.close();
}
