// Issue 13 item 4, "a database dump inspected for any link between a member and a ballot": while
// a round is open its ballots are sealed boxes of one length (ballots-seal.ts); closing writes
// them into comm_ballots in a random order. A real pg_dump taken mid-vote and after closing, a
// backup restored mid-vote on the same instance (and on another), and the register-only audit.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { backup, restore } from '../../db/backup.ts';
import { openDatabase, type Db } from '../../db/connection.ts';
import { runMigrations } from '../../db/migrate.ts';
import { AppError } from '../../server/errors.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { TEST_SECRET } from '../../test/secret.ts';
import { auditLog } from '../audit/schema.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { parsePb } from '../voting/pabulib.ts';
import { ballotRef, castBallot, receiptHash } from './ballots.ts';
import { openBallot, sealBallot, useBallotKey } from './ballots-seal.ts';
import { closeAndCount } from './counting.ts';
import { createPot, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility } from './proposals.ts';
import { advanceRound, createRound, getRound } from './rounds.ts';
import { commBallotBox, commBallots, commVoters } from './schema.ts';

const run = promisify(execFile);

/** An open round with five eligible proposals and `n` voters who have voted (choices and codes kept). */
async function openRoundWithVotes(db: Db, n: number) {
  const { tenant } = await buildTenant(db, { wards: false });
  const actorOf = (id: string, roles: Role[] = []): Actor => ({ memberId: id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  const coord = actorOf((await buildMember(db, tenant.id, { roles: ['coordinator'] })).member.id, ['coordinator']);
  const potId = await createPot(db, coord, { name: 'Early years', financialYear: '2026-27', source: 'devolved_budget' });
  await recordIncome(db, coord, { potId, amount: '100000', idempotencyKey: `ballots-test-${potId}` });
  const roundId = await createRound(db, coord, { title: 'Dump round', potId, budget: '8000', ballotType: 'approval', maxChoices: '3', rule: 'mes', completion: 'add1_utilitarian' });
  const ids: string[] = [];
  for (const [i, cost] of [4000, 3000, 2500, 2000, 1500].entries()) {
    const id = await createProposal(db, coord, { title: `Proposal ${i + 1}`, summary: 'Something for families with under-fives.', cost: String(cost), roundId });
    await decideEligibility(db, coord, id, { decision: 'eligible', reason: 'It fits the aims and the budget.' });
    ids.push(id);
  }
  await advanceRound(db, coord, roundId, 'review');
  await advanceRound(db, coord, roundId, 'voting');
  const votes: Array<{ memberId: string; code: string; choose: string[] }> = [];
  for (let i = 0; i < n; i++) {
    const memberId = (await buildMember(db, tenant.id)).member.id;
    const choose = i % 3 === 0 ? [ids[0]!] : i % 3 === 1 ? [ids[1]!, ids[2]!] : [ids[3]!, ids[4]!, ids[2]!];
    votes.push({ memberId, code: (await castBallot(db, actorOf(memberId), roundId, { choose })).receiptCode, choose });
  }
  return { tenant, coord, roundId, ids, votes };
}

/** The data rows of one table in a plain pg_dump (COPY … FROM stdin; … \.), as tab-split fields. */
function copyRows(dump: string, table: string): string[][] {
  const start = dump.indexOf(`COPY public.${table} (`);
  if (start < 0) return [];
  const body = dump.slice(dump.indexOf('\n', start) + 1, dump.indexOf('\n\\.\n', start));
  return body ? body.split('\n').map((l) => l.split('\t')) : [];
}

async function pgDump(url: string): Promise<string> {
  const bin = ['/usr/lib/postgresql/15/bin/pg_dump', 'pg_dump'].find((b) => b === 'pg_dump' || existsSync(b))!;
  const { stdout } = await run(bin, ['--data-only', '--no-owner', '-t', 'comm_*', '-t', 'audit_log', url], { maxBuffer: 1 << 30 });
  return stdout;
}

describe(`secret ballots in storage (${storeName()})`, { timeout: 180_000 }, () => {
  it('seals a ballot under a per-round key, at one length whatever was chosen, and opens it only with the instance key', () => {
    useBallotKey(TEST_SECRET);
    const proposals = ['0198f0a0-0000-7000-8000-000000000001', '0198f0a0-0000-7000-8000-000000000002', '0198f0a0-0000-7000-8000-000000000003'];
    const [t, r, other] = ['0198f0a0-0000-7000-8000-00000000000a', '0198f0a0-0000-7000-8000-00000000000b', '0198f0a0-0000-7000-8000-00000000000c'];
    const one = sealBallot(t, r, proposals, { choices: [{ p: proposals[0]!, pts: 1 }], receiptHash: 'a'.repeat(64) });
    const all = sealBallot(t, r, proposals, { choices: proposals.map((p) => ({ p, pts: 9999 })), receiptHash: 'b'.repeat(64) });
    expect(one.length).toBe(all.length);
    expect(openBallot(t, r, one)).toEqual({ choices: [{ p: proposals[0]!, pts: 1 }], receiptHash: 'a'.repeat(64) });
    // Another round's key does not open it (a box moved between rounds), nor another instance's.
    expect(() => openBallot(t, other, one)).toThrow(AppError);
    try {
      useBallotKey('another-instance-key-0123456789-0123456789');
      expect(() => openBallot(t, r, one)).toThrow(/sealed with another instance key/);
    } finally {
      useBallotKey(TEST_SECRET);
    }
  });

  it('audits the round, not the voters: no audit row names a voter or a ballot, and the close records register and ballot counts', async () => {
    const { db } = await testDatabase();
    const s = await openRoundWithVotes(db, 4);
    const stale = await getRound(db, s.tenant.id, s.roundId);
    await closeAndCount(db, s.coord, s.roundId, s.tenant.name, { vacuum: false });
    const rows = await db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.entityId, s.roundId)));
    const text = JSON.stringify(rows);
    for (const v of s.votes) expect(text).not.toContain(v.memberId);
    expect(rows.filter((x) => x.action === 'comm.ballot.cast')).toEqual([]);
    expect(rows.find((x) => x.action === 'comm.round.phase' && (x.data as { to?: string }).to === 'counting')?.data).toEqual({ from: 'voting', to: 'counting', voters: 4, ballots: 4 });
    expect(await db.select().from(commBallotBox).where(eq(commBallotBox.roundId, s.roundId))).toEqual([]);
    // The database takes no sealed ballot once the round is closed; a vote that read the round
    // while it was open (a race with the close) is refused by the vote's own statement.
    await expect(db.insert(commBallotBox).values({ tenantId: s.tenant.id, roundId: s.roundId, id: '0198f0a0-0000-4000-8000-000000000001', sealed: 'x' })).rejects.toThrow();
    const late = (await buildMember(db, s.tenant.id)).member.id;
    const refused = await castBallot(db, { memberId: late, tenantId: s.tenant.id, roles: new Set(['member']), sessionId: 's' }, s.roundId, { choose: [s.ids[0]!] }, { round: stale }).catch((e: unknown) => e);
    expect((refused as AppError).key).toBe('comm.error.notVoting');
    expect(await db.select().from(commVoters).where(and(eq(commVoters.roundId, s.roundId), eq(commVoters.memberId, late)))).toEqual([]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('a pg_dump taken mid-vote holds no choice, receipt or published voter id, and boxes of one length; after closing, the register is in member order and the ballots are fresh rows (PostgreSQL only: pg_dump)', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const { db } = await testDatabase();
    const s = await openRoundWithVotes(db, 12);
    const mid = await pgDump(url);
    const voters = copyRows(mid, 'comm_voters').filter((r) => r[1] === s.roundId);
    const boxes = copyRows(mid, 'comm_ballot_box').filter((r) => r[1] === s.roundId);
    // The register is there in voting order (it says who voted, which is public to the coordinators) …
    expect(voters.map((r) => r[2])).toEqual(s.votes.map((v) => v.memberId));
    // … but the ballots are not: no clear ballot of the round, and every box has the same length.
    expect(copyRows(mid, 'comm_ballots').filter((r) => r[1] === s.roundId)).toEqual([]);
    expect(boxes).toHaveLength(12);
    expect(new Set(boxes.map((r) => r[3]!.length)).size).toBe(1);
    const ballotText = [...boxes, ...copyRows(mid, 'audit_log').filter((r) => r.includes(s.roundId))].map((r) => r.join('\t')).join('\n');
    for (const id of s.ids) expect(ballotText).not.toContain(id);
    for (const v of s.votes) expect(ballotText).not.toContain(v.memberId);
    for (const v of s.votes) {
      const hash = receiptHash(s.roundId, v.code);
      for (const secret of [v.code, v.code.replace(/-/g, ''), hash, ballotRef(hash)]) expect(mid).not.toContain(secret);
    }

    await closeAndCount(db, s.coord, s.roundId, s.tenant.name);
    const round = await getRound(db, s.tenant.id, s.roundId);
    const published = parsePb(round.ballotsPb ?? '').ballots.map((b) => b.voterId);
    expect(published).toHaveLength(12);
    // The published .pb's voter ids (receipt refs) were nowhere in the mid-vote dump.
    for (const ref of published) expect(mid).not.toContain(ref);
    const after = await pgDump(url);
    expect(copyRows(after, 'comm_ballot_box').filter((r) => r[1] === s.roundId)).toEqual([]);
    const afterVoters = copyRows(after, 'comm_voters').filter((r) => r[1] === s.roundId).map((r) => r[2]);
    expect(afterVoters).toEqual(s.votes.map((v) => v.memberId).sort());
    const afterBallots = copyRows(after, 'comm_ballots').filter((r) => r[1] === s.roundId);
    expect(afterBallots).toHaveLength(12);
    const boxIds = new Set(boxes.map((r) => r[2]));
    for (const b of afterBallots) expect(boxIds.has(b[2])).toBe(false);
    expect(new Set(afterBallots.map((b) => ballotRef(b[4]!)))).toEqual(new Set(published));
  });

  it('a backup taken mid-vote restores and counts on the same instance; on another instance closing refuses and keeps the round open', async () => {
    const fresh = async () => {
      const database = await openDatabase({ dataDir: 'memory://' });
      await runMigrations(database);
      return database;
    };
    const [source, target] = await Promise.all([fresh(), fresh()]);
    try {
      const s = await openRoundWithVotes(source.db, 5);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'pm-ballots-')), 'mid-vote.backup');
      await backup(source, file, TEST_SECRET);
      await restore(target, file, TEST_SECRET);
      expect(await target.db.select().from(commBallotBox).where(eq(commBallotBox.roundId, s.roundId))).toHaveLength(5);
      try {
        useBallotKey('another-instance-key-0123456789-0123456789');
        const refused = await closeAndCount(target.db, s.coord, s.roundId, s.tenant.name, { vacuum: false }).catch((e: unknown) => e);
        expect((refused as AppError).key).toBe('comm.ballots.error.sealedElsewhere');
        expect((await getRound(target.db, s.tenant.id, s.roundId)).phase).toBe('voting');
      } finally {
        useBallotKey(TEST_SECRET);
      }
      const result = await closeAndCount(target.db, s.coord, s.roundId, s.tenant.name, { vacuum: false });
      expect(result.ballots).toBe(5);
      const refs = parsePb((await getRound(target.db, s.tenant.id, s.roundId)).ballotsPb ?? '').ballots.map((b) => b.voterId);
      expect(new Set(refs)).toEqual(new Set(s.votes.map((v) => ballotRef(receiptHash(s.roundId, v.code)))));
      expect(await target.db.select().from(commBallots).where(eq(commBallots.roundId, s.roundId))).toHaveLength(5);
      expect(await target.db.select().from(commVoters).where(eq(commVoters.roundId, s.roundId))).toHaveLength(5);
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });
});
