// Secret budget ballots under load (issue 13): CONNECTIONS concurrent voters for DURATION seconds
// posting real ballot forms (distinct members, each with a session and CSRF token) to a spawned
// app on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL). Baseline in the same run: /healthz
// at the same concurrency. The vote run lasts DURATION seconds; VOTERS members are prepared, and
// if they run out first the rest are second votes (refused, so counted as failures: prepare more).
// Then checks the database: every accepted ballot is counted (closing and counting the round;
// votes still in flight when the run stops are committed and counted too, shown as
// inFlightWhenStopped), ballots = register rows = counted, no box left, no member with two rows.
// Target: 0 errors, p99 ≤ 300 ms. Prints JSON; exits non-zero when a check fails.
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
const VOTERS = Number(process.env.VOTERS ?? 20_000);
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
try {
  const run = (opts: autocannon.Options) => autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const baseline = await run({ url: `${app.url}/healthz`, headers: { host } });
  let next = 0;
  const votes = await run({
    url: app.url,
    requests: [
      {
        method: 'POST',
        path: `/budget/rounds/${roundId}/vote`,
        setupRequest: (req) => {
          const v = voters[next++ % voters.length]!;
          return { ...req, headers: { host, cookie: v.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}` }, body: v.body };
        },
      },
    ],
  });
  const accepted = votes['2xx'];
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
    votersExhausted: next > VOTERS,
    baseline: { path: '/healthz', rps: Math.round(baseline.requests.average), p99Ms: baseline.latency.p99, errors: baseline.errors, non2xx: baseline.non2xx },
    voting: { rps: Math.round(votes.requests.average), p50Ms: votes.latency.p50, p99Ms: votes.latency.p99, requests: votes.requests.total, accepted, errors: votes.errors, non2xx: votes.non2xx, timeouts: votes.timeouts },
    database: { registerRows: reg?.voters ?? 0, ballots: bal?.n ?? 0, boxesLeft: bal?.boxes ?? 0, inFlightWhenStopped: (reg?.voters ?? 0) - accepted, membersWithTwoBallots: reg?.dup ?? 0, countedBallots: result.ballots },
    p99RatioToBaseline: Math.round((votes.latency.p99 / Math.max(1, baseline.latency.p99)) * 100) / 100,
    target: { errors: 0, p99Ms: 300, everyAcceptedCounted: true, membersWithTwoBallots: 0 },
  };
  const ok = votes.errors === 0 && votes.non2xx === 0 && votes.latency.p99 <= 300 && result.ballots >= accepted && (bal?.n ?? 0) === result.ballots && (reg?.voters ?? 0) === result.ballots && (bal?.boxes ?? 0) === 0 && (reg?.dup ?? 0) === 0;
  console.log(JSON.stringify({ ...out, meetsTarget: ok }, null, 2));
  if (!ok) process.exitCode = 1;
} finally {
  await app.stop();
  await database.close();
}
