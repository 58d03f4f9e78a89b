import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { addDays, isoDate } from '../../lib/dates.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { newId } from '../../lib/ids.ts';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { demoMembers } from '../membership/views.ts';
import { elecBallots, elecCandidates, elecElections, elecVoters } from './schema.ts';
import { ballotCandidates, countIn, getElection, publishIn, receiptHash } from './service.ts';

const DEMO_ACTOR = 'system:demo';
const STATEMENTS = [
  ['I run the Tuesday stay-and-play and want the board to hear from parents who work shifts.', 'Prowadzę wtorkowe zajęcia dla maluchów i chcę, żeby zarząd słuchał rodziców pracujących na zmiany.'],
  ['Ten years in the PTA: I can read a budget and I will ask the awkward questions.', null],
  [null, 'Chcę, żeby rodziny z Europy Wschodniej miały głos w zarządzie.'],
  ['I want more of our money spent in the wards with the most young children.', 'Chcę, żeby więcej pieniędzy trafiało do okręgów z największą liczbą małych dzieci.'],
  ['Dad of three, school governor; safeguarding matters to me.', null],
  ['I will keep the board close to the street champions.', null],
] as const;

/**
 * Elections' part of `parent-mutual demo load`: a past board election (labelled demo) with six demo
 * candidates for three seats and up to 200 demo members' ballots, counted by the STV engine and
 * published (the decisions register entry and the terms too, where governance is built). Idempotent:
 * nothing is added when the tenant already has a demo election. Clear removes the demo elections.
 */
async function load({ db, tenant, today }: DemoContext): Promise<number> {
  const existing = await db.select({ id: elecElections.id }).from(elecElections).where(and(eq(elecElections.tenantId, tenant.id), eq(elecElections.isDemo, true)));
  if (existing.length) return 0;
  const people = (await demoMembers(db, tenant.id)).filter((m) => m.status === 'active' && m.name);
  if (people.length < 8) return 0;
  const cands = people.slice(0, 6);
  const voters = people.slice(0, 200);
  const agmOn = addDays(isoDate(today), -60);
  const closesAt = new Date(`${agmOn}T18:00:00Z`);
  const opensAt = new Date(closesAt.getTime() - 14 * 86_400_000);
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(elecElections).values({ tenantId: tenant.id, id, title: 'Board election (demo)', titlePl: 'Wybory do zarządu (demo)', agmOn, seats: 3, termStartsOn: agmOn, termEndsOn: addDays(agmOn, 3 * 365), status: 'voting', opensAt, closesAt, lotSeed: sha256Hex(`demo|${tenant.id}`).slice(0, 32), isDemo: true });
    const candIds = cands.map(() => newId());
    await tx.insert(elecCandidates).values(
      cands.map((m, i) => ({ tenantId: tenant.id, electionId: id, id: candIds[i]!, memberId: m.id, nominatedBy: m.id, statementEn: STATEMENTS[i]![0], statementPl: STATEMENTS[i]![1], status: 'accepted' as const, ballotName: m.name, checkedAt: opensAt, isDemo: true })),
    );
    // Preferences with a pattern: popularity 6,5,…,1; each voter ranks 1–6 candidates.
    const weights = [9, 7, 6, 4, 3, 2];
    const ballots = voters.map((_, v) => {
      const left = candIds.map((c, i) => ({ c, w: weights[i]! }));
      const ranking: string[] = [];
      const len = 1 + (v % 6);
      let h = v * 7919 + 17;
      while (ranking.length < len && left.length) {
        h = (h * 1103515245 + 12345) % 2147483648;
        const total = left.reduce((a, x) => a + x.w, 0);
        let r = h % total;
        let k = 0;
        while (r >= left[k]!.w) r -= left[k++]!.w;
        ranking.push(left.splice(k, 1)[0]!.c);
      }
      return { tenantId: tenant.id, electionId: id, id: randomUUID(), ranking, receiptHash: receiptHash(id, `DEMO${String(v).padStart(8, '0')}`) };
    });
    await tx.insert(elecVoters).values(voters.map((m) => ({ tenantId: tenant.id, electionId: id, memberId: m.id })));
    for (let i = 0; i < ballots.length; i += 500) await tx.insert(elecBallots).values(ballots.slice(i, i + 500));
    await countIn(tx, tenant.id, id, today, DEMO_ACTOR);
  });
  const e = await getElection(db, tenant.id, id);
  const onBallot = await ballotCandidates(db, tenant.id, id);
  try {
    await db.transaction((tx) => publishIn(tx, e, onBallot, today, DEMO_ACTOR));
  } catch {
    // Governance's register or terms not built yet: show the result as published all the same.
    await db.update(elecElections).set({ status: 'published', publishedAt: today }).where(and(eq(elecElections.tenantId, tenant.id), eq(elecElections.id, id)));
  }
  return 1 + cands.length + voters.length;
}

async function clear({ db, tenant }: DemoContext): Promise<number> {
  const removed = await db.delete(elecElections).where(and(eq(elecElections.tenantId, tenant.id), eq(elecElections.isDemo, true))).returning({ id: elecElections.id });
  return removed.length;
}

export const electionsDemo: DemoPart = { name: 'board elections', load, clear };
