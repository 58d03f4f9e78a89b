import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import { isCalendarDate, londonToInstant } from '../../lib/dates.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import { seatsUpForElection, startElectedTerms } from '../governance/api-board.ts';
import { recordDecision } from '../governance/api-decisions.ts';
import type { Actor } from '../membership/policy.ts';
import { activeMembersWithRoles, memberCards } from '../membership/views.ts';
import { writeBlt, type Blt } from '../voting/stv/blt.ts';
import { countStv, type StvResult } from '../voting/stv/count.ts';
import { elecBallots, elecCandidates, elecElections, elecVoters, type CandidateRow, type ElectionRow } from './schema.ts';

export const STATEMENT_MAX = 1200;

function refuse(fields: FieldIssue[], message = 'Check the highlighted fields.'): never {
  throw new AppError('validation_failed', message, fields);
}

const notFound = () => new AppError('not_found', 'That election was not found.', [], 'elec.error.notFound');

export async function getElection(db: Executor, tenantId: string, id: string): Promise<ElectionRow> {
  if (!isUuid(id)) throw notFound();
  const [row] = await db.select().from(elecElections).where(and(eq(elecElections.tenantId, tenantId), eq(elecElections.id, id)));
  if (!row) throw notFound();
  return row;
}

export async function listElections(db: Executor, tenantId: string): Promise<ElectionRow[]> {
  return db.select().from(elecElections).where(eq(elecElections.tenantId, tenantId)).orderBy(asc(elecElections.agmOn), asc(elecElections.createdAt));
}

// ---------------------------------------------------------------------------------------------
// Elections

const ElectionInput = z.object({
  title: z.string('elec.error.title').trim().min(1, 'elec.error.title').max(120, 'elec.error.title'),
  titlePl: z.string().trim().max(120, 'elec.error.title').optional(),
  agmOn: z.string('elec.error.agmOn').trim().refine(isCalendarDate, 'elec.error.agmOn'),
  seats: z.union([z.literal(''), z.string().trim().regex(/^\d{1,2}$/, 'elec.error.seats')]).optional(),
  opensAt: z.string('elec.error.opensAt').refine((v) => londonToInstant(v) !== undefined, 'elec.error.opensAt'),
  closesAt: z.string('elec.error.closesAt').refine((v) => londonToInstant(v) !== undefined, 'elec.error.closesAt'),
});

/**
 * Make an election for an AGM date. Seats: given, else governance's `seatsUpForElection` (the
 * elected parent seats whose terms end at the AGM, and vacancies), which also gives the new terms.
 */
export async function createElection(db: Db, actor: Actor, form: Record<string, unknown>, opts: { isDemo?: boolean } = {}): Promise<string> {
  requirePermission(actor, 'elections.manage', 'Only the board or an admin runs elections.', 'elec.error.forbidden');
  const parsed = ElectionInput.safeParse(form);
  if (!parsed.success) refuse(fieldIssues(parsed.error));
  const input = parsed.data;
  const opensAt = londonToInstant(input.opensAt)!;
  const closesAt = londonToInstant(input.closesAt)!;
  if (closesAt <= opensAt) refuse([{ field: 'closesAt', message: 'elec.error.window' }]);
  let seats = input.seats ? Number(input.seats) : 0;
  let term: { startsOn: string | null; endsOn: string | null } = { startsOn: null, endsOn: null };
  if (!seats) {
    const up = await seatsUpForElection(db, actor.tenantId, input.agmOn);
    seats = up.seats;
    term = { startsOn: up.startsOn, endsOn: up.endsOn };
  }
  if (seats < 1) refuse([{ field: 'seats', message: 'elec.error.seats' }]);
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(elecElections).values({
      tenantId: actor.tenantId,
      id,
      title: input.title,
      titlePl: input.titlePl || null,
      agmOn: input.agmOn,
      seats,
      termStartsOn: term.startsOn,
      termEndsOn: term.endsOn,
      opensAt,
      closesAt,
      lotSeed: randomBytes(16).toString('hex'),
      isDemo: opts.isDemo ?? false,
    });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'elections.create', entity: 'election', entityId: id, data: { seats } });
  });
  return id;
}

// ---------------------------------------------------------------------------------------------
// Nominations

const NominationInput = z.object({
  memberNumber: z.union([z.literal(''), z.string().trim().regex(/^\d{1,9}$/, 'elec.error.memberNumber')]).optional(),
  statementEn: z.string().trim().max(STATEMENT_MAX, 'elec.error.statement').optional(),
  statementPl: z.string().trim().max(STATEMENT_MAX, 'elec.error.statement').optional(),
});

/**
 * A member nominates themself (standing at once) or another member by member number (who then
 * accepts or declines), with a statement in English and/or Polish.
 */
export async function nominate(db: Db, actor: Actor, electionId: string, form: Record<string, unknown>, opts: { isDemo?: boolean } = {}): Promise<string> {
  const election = await getElection(db, actor.tenantId, electionId);
  if (election.status !== 'nominations') throw new AppError('conflict', 'Nominations are closed.', [], 'elec.error.nominationsClosed');
  const parsed = NominationInput.safeParse(form);
  if (!parsed.success) refuse(fieldIssues(parsed.error));
  const input = parsed.data;
  let memberId = actor.memberId;
  if (input.memberNumber) {
    const number = Number(input.memberNumber);
    const active = await activeMembersWithRoles(db, actor.tenantId);
    const cards = await memberCards(db, actor.tenantId, active.map((m) => m.id));
    const found = cards.find((c) => c.memberNumber === number);
    if (!found) refuse([{ field: 'memberNumber', message: 'elec.error.memberNumber' }]);
    memberId = found.id;
  }
  const self = memberId === actor.memberId;
  if (self && !input.statementEn && !input.statementPl) refuse([{ field: 'statementEn', message: 'elec.error.statementNeeded' }]);
  const id = newId();
  await db.transaction(async (tx) => {
    const done = await tx
      .insert(elecCandidates)
      .values({
        tenantId: actor.tenantId,
        electionId,
        id,
        memberId,
        nominatedBy: actor.memberId,
        statementEn: input.statementEn || null,
        statementPl: input.statementPl || null,
        status: self ? 'accepted' : 'proposed',
        isDemo: opts.isDemo ?? false,
      })
      .onConflictDoNothing()
      .returning({ id: elecCandidates.id });
    if (!done.length) refuse([{ field: input.memberNumber ? 'memberNumber' : 'statementEn', message: 'elec.error.alreadyNominated' }], 'That member is already nominated.');
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'elections.nominate', entity: 'election_candidate', entityId: id, data: { electionId, self } });
  });
  return id;
}

/** The nominee accepts (with their statement) or declines a nomination by someone else. */
export async function respondToNomination(db: Db, actor: Actor, electionId: string, candidateId: string, form: Record<string, unknown>): Promise<void> {
  const election = await getElection(db, actor.tenantId, electionId);
  if (election.status !== 'nominations') throw new AppError('conflict', 'Nominations are closed.', [], 'elec.error.nominationsClosed');
  const c = await candidate(db, actor.tenantId, electionId, candidateId);
  if (c.memberId !== actor.memberId) throw new AppError('not_found', 'That nomination was not found.', [], 'elec.error.notFound');
  const accept = form['answer'] === 'accept';
  const parsed = NominationInput.safeParse(form);
  if (!parsed.success) refuse(fieldIssues(parsed.error));
  const statementEn = parsed.data.statementEn || c.statementEn;
  const statementPl = parsed.data.statementPl || c.statementPl;
  if (accept && !statementEn && !statementPl) refuse([{ field: 'statementEn', message: 'elec.error.statementNeeded' }]);
  await db.transaction(async (tx) => {
    await tx
      .update(elecCandidates)
      .set({ status: accept ? 'accepted' : 'declined', statementEn: statementEn ?? null, statementPl: statementPl ?? null })
      .where(and(eq(elecCandidates.tenantId, actor.tenantId), eq(elecCandidates.electionId, electionId), eq(elecCandidates.id, candidateId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: accept ? 'elections.accept' : 'elections.decline', entity: 'election_candidate', entityId: candidateId, data: { electionId } });
  });
}

async function candidate(db: Executor, tenantId: string, electionId: string, id: string): Promise<CandidateRow> {
  if (!isUuid(id)) throw new AppError('not_found', 'That nomination was not found.', [], 'elec.error.notFound');
  const [row] = await db.select().from(elecCandidates).where(and(eq(elecCandidates.tenantId, tenantId), eq(elecCandidates.electionId, electionId), eq(elecCandidates.id, id)));
  if (!row) throw new AppError('not_found', 'That nomination was not found.', [], 'elec.error.notFound');
  return row;
}

export interface CandidateView extends CandidateRow {
  name: string;
  memberNumber: number;
}

/** Nominations with the member's current name (the ballot name once voting opened). */
export async function candidatesOf(db: Executor, tenantId: string, electionId: string): Promise<CandidateView[]> {
  const rows = await db.select().from(elecCandidates).where(and(eq(elecCandidates.tenantId, tenantId), eq(elecCandidates.electionId, electionId))).orderBy(asc(elecCandidates.createdAt));
  const cards = new Map((await memberCards(db, tenantId, rows.map((r) => r.memberId))).map((c) => [c.id, c]));
  return rows.map((r) => ({ ...r, name: r.ballotName ?? cards.get(r.memberId)?.name ?? '', memberNumber: cards.get(r.memberId)?.memberNumber ?? 0 }));
}

/** The candidates on the ballot paper (once voting opened), in the published (alphabetical) order. */
export async function ballotCandidates(db: Executor, tenantId: string, electionId: string): Promise<CandidateView[]> {
  return (await candidatesOf(db, tenantId, electionId)).filter((c) => c.ballotName !== null).sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
}

/** elections.manage marks a nomination as checked (eligible member, statement fit to publish). */
export async function checkNomination(db: Db, actor: Actor, electionId: string, candidateId: string, now: Date): Promise<void> {
  requirePermission(actor, 'elections.manage', 'Only the board or an admin checks nominations.', 'elec.error.forbidden');
  await getElection(db, actor.tenantId, electionId);
  await candidate(db, actor.tenantId, electionId, candidateId);
  await db.transaction(async (tx) => {
    await tx.update(elecCandidates).set({ checkedBy: actor.memberId, checkedAt: now }).where(and(eq(elecCandidates.tenantId, actor.tenantId), eq(elecCandidates.electionId, electionId), eq(elecCandidates.id, candidateId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'elections.check', entity: 'election_candidate', entityId: candidateId, data: { electionId } });
  });
}

/**
 * Close nominations and open the ballot: the accepted, checked candidates go on the ballot paper
 * with their names as they are now; the ballot rules are frozen from here (SECURITY.md 23).
 */
export async function closeNominations(db: Db, actor: Actor, electionId: string): Promise<void> {
  requirePermission(actor, 'elections.manage', 'Only the board or an admin closes nominations.', 'elec.error.forbidden');
  const election = await getElection(db, actor.tenantId, electionId);
  if (election.status !== 'nominations') throw new AppError('conflict', 'Nominations are already closed.', [], 'elec.error.nominationsClosed');
  const standing = (await candidatesOf(db, actor.tenantId, electionId)).filter((c) => c.status === 'accepted' && c.checkedAt !== null);
  if (standing.length === 0) throw new AppError('conflict', 'No accepted and checked candidate yet.', [], 'elec.error.noCandidates');
  await db.transaction(async (tx) => {
    for (const c of standing) await tx.update(elecCandidates).set({ ballotName: c.name }).where(and(eq(elecCandidates.tenantId, actor.tenantId), eq(elecCandidates.electionId, electionId), eq(elecCandidates.id, c.id)));
    await tx.update(elecElections).set({ status: 'voting', updatedAt: new Date() }).where(and(eq(elecElections.tenantId, actor.tenantId), eq(elecElections.id, electionId), eq(elecElections.status, 'nominations')));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'elections.close_nominations', entity: 'election', entityId: electionId, data: { candidates: standing.length } });
  });
}

// ---------------------------------------------------------------------------------------------
// The ballot

/**
 * The candidates in this voter's order: sorted by SHA-256(lot seed | member | candidate), so every
 * voter sees their own random order (no candidate gains from being first on the paper) and the same
 * order each time they open the ballot.
 */
export function orderForVoter<T extends { id: string }>(election: Pick<ElectionRow, 'lotSeed'>, memberId: string, cands: readonly T[]): T[] {
  const key = (c: T) => sha256Hex(`${election.lotSeed}|${memberId}|${c.id}`);
  return [...cands].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

export function votingOpen(e: ElectionRow, now: Date): boolean {
  return e.status === 'voting' && now >= e.opensAt && now < e.closesAt;
}

export async function hasVoted(db: Executor, tenantId: string, electionId: string, memberId: string): Promise<boolean> {
  const rows = await db.select({ m: elecVoters.memberId }).from(elecVoters).where(and(eq(elecVoters.tenantId, tenantId), eq(elecVoters.electionId, electionId), eq(elecVoters.memberId, memberId)));
  return rows.length > 0;
}

/**
 * Check a ranking form (`rank_<candidateId>` = '' or 1…n): a rank used twice, a gap, a rank out of
 * range or an unknown candidate are refused with a message on each field concerned. Returns the
 * candidate ids in order of preference.
 */
export function parseRanking(form: Record<string, unknown>, candidateIds: readonly string[]): string[] {
  const issues: FieldIssue[] = [];
  const n = candidateIds.length;
  const known = new Set(candidateIds);
  const ranks = new Map<string, number>();
  for (const [k, v] of Object.entries(form)) {
    if (!k.startsWith('rank_')) continue;
    const id = k.slice(5);
    if (!known.has(id)) {
      issues.push({ field: k, message: 'elec.ballot.error.unknown' });
      continue;
    }
    const s = typeof v === 'string' ? v.trim() : '';
    if (s === '') continue;
    if (!/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > n) {
      issues.push({ field: k, message: 'elec.ballot.error.range' });
      continue;
    }
    ranks.set(id, Number(s));
  }
  const byRank = new Map<number, string[]>();
  for (const [id, r] of ranks) byRank.set(r, [...(byRank.get(r) ?? []), id]);
  for (const ids of byRank.values()) if (ids.length > 1) for (const id of ids) issues.push({ field: `rank_${id}`, message: 'elec.ballot.error.twice' });
  const used = [...byRank.keys()].sort((a, b) => a - b);
  used.forEach((r, i) => {
    if (r !== i + 1) for (const id of byRank.get(r)!) issues.push({ field: `rank_${id}`, message: 'elec.ballot.error.gap' });
  });
  if (!issues.length && ranks.size === 0) issues.push({ field: `rank_${candidateIds[0] ?? ''}`, message: 'elec.ballot.error.empty' });
  if (issues.length) refuse(issues, 'Check the ranking: each rank once, from 1 without gaps.');
  return used.map((r) => byRank.get(r)![0]!);
}

/** A receipt code: 12 characters of Crockford base 32 (no I, L, O, U), shown in groups of four. */
function receiptCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(12);
  let s = '';
  for (const b of bytes) s += alphabet[b % 32];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

export const receiptHash = (electionId: string, code: string) => sha256Hex(`${electionId}|${code.toUpperCase().replace(/[^0-9A-Z]/g, '')}`);

/**
 * Cast a ballot: the register row (the primary key refuses a second vote) and the anonymous ballot
 * (random UUID v4, ranking, receipt hash) in one transaction with no shared key. Returns the receipt
 * code, shown once; only its hash is kept.
 */
export async function castBallot(db: Db, actor: Actor, electionId: string, form: Record<string, unknown>, now: Date): Promise<{ receipt: string }> {
  const election = await getElection(db, actor.tenantId, electionId);
  if (!votingOpen(election, now)) throw new AppError('conflict', 'Voting is not open.', [], 'elec.error.notOpen');
  if (!actor.roles.has('member')) throw new AppError('forbidden', 'Only members vote.', [], 'elec.error.notEntitled');
  const cands = await ballotCandidates(db, actor.tenantId, electionId);
  const ranking = parseRanking(form, cands.map((c) => c.id));
  const receipt = receiptCode();
  try {
    await db.transaction(async (tx) => {
      await tx.insert(elecVoters).values({ tenantId: actor.tenantId, electionId, memberId: actor.memberId });
      await tx.insert(elecBallots).values({ tenantId: actor.tenantId, electionId, id: randomUUID(), ranking, receiptHash: receiptHash(electionId, receipt) });
      // The audit row says who voted (as the register does), never how.
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'elections.vote', entity: 'election', entityId: electionId });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', 'You have already voted in this election.', [], 'elec.error.alreadyVoted');
    throw e;
  }
  return { receipt };
}

function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e; x; x = (x as { cause?: unknown }).cause) if ((x as { code?: string }).code === '23505') return true;
  return false;
}

/** Is a ballot with this receipt code in the election's ballots (SECURITY.md 24)? */
export async function receiptCounted(db: Executor, tenantId: string, electionId: string, code: string): Promise<boolean> {
  const rows = await db.select({ id: elecBallots.id }).from(elecBallots).where(and(eq(elecBallots.tenantId, tenantId), eq(elecBallots.electionId, electionId), eq(elecBallots.receiptHash, receiptHash(electionId, code))));
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Count, BLT, publish

/** The anonymous ballots as BLT (candidates in ballot-paper order, ballots ordered by their random ids: a shuffle). */
export async function electionBlt(db: Executor, election: ElectionRow): Promise<{ blt: Blt; text: string }> {
  const cands = await ballotCandidates(db, election.tenantId, election.id);
  const index = new Map(cands.map((c, i) => [c.id, i]));
  const ballots = await db.select({ ranking: elecBallots.ranking }).from(elecBallots).where(and(eq(elecBallots.tenantId, election.tenantId), eq(elecBallots.electionId, election.id))).orderBy(asc(elecBallots.id));
  const blt: Blt = {
    seats: Math.min(election.seats, Math.max(cands.length, 1)),
    candidates: cands.map((c) => c.name),
    withdrawn: [],
    ballots: ballots.map((b) => ({ weight: 1, prefs: b.ranking.flatMap((id) => (index.has(id) ? [index.get(id)!] : [])) })).filter((b) => b.prefs.length > 0),
    title: election.title,
  };
  return { blt, text: writeBlt(blt) };
}

export async function countIn(tx: Executor, tenantId: string, electionId: string, now: Date, actorId: string): Promise<boolean> {
  const [e] = await tx.select().from(elecElections).where(and(eq(elecElections.tenantId, tenantId), eq(elecElections.id, electionId))).for('update');
  if (!e || e.status !== 'voting' || now < e.closesAt) return false;
  const { blt } = await electionBlt(tx, e);
  const result: StvResult = countStv(blt, { seed: e.lotSeed });
  await tx.update(elecElections).set({ status: 'counted', result, countedAt: now, updatedAt: now }).where(and(eq(elecElections.tenantId, tenantId), eq(elecElections.id, electionId)));
  await appendAudit(tx, { tenantId, actor: actorId, action: 'elections.count', entity: 'election', entityId: electionId, data: { ballots: blt.ballots.length, elected: result.elected.length } });
  return true;
}

/** The "count now" button (after voting closed). */
export async function countElection(db: Db, actor: Actor, electionId: string, now: Date): Promise<void> {
  requirePermission(actor, 'elections.manage', 'Only the board or an admin counts an election.', 'elec.error.forbidden');
  const e = await getElection(db, actor.tenantId, electionId);
  if (e.status !== 'voting' || now < e.closesAt) throw new AppError('conflict', 'The election can be counted once voting has closed.', [], 'elec.error.notClosed');
  await db.transaction((tx) => countIn(tx, actor.tenantId, electionId, now, actor.memberId));
}

/** The job: count every election whose voting has closed. Idempotent; safe from two processes (row lock, status check). */
export async function countClosedElections(db: Db, now: Date): Promise<number> {
  const due = await db.select({ tenantId: elecElections.tenantId, id: elecElections.id }).from(elecElections).where(and(eq(elecElections.status, 'voting'), lte(elecElections.closesAt, now)));
  let n = 0;
  for (const d of due) if (await db.transaction((tx) => countIn(tx, d.tenantId, d.id, now, 'system:jobs'))) n++;
  return n;
}

/**
 * Publish a counted result: the decisions register entry (kind election, outcome elected, rule
 * "STV, N seats, quota Q") and the elected members' terms, in one transaction with the status.
 */
export async function publishElection(db: Db, actor: Actor, electionId: string, now: Date): Promise<void> {
  requirePermission(actor, 'elections.manage', 'Only the board or an admin publishes a result.', 'elec.error.forbidden');
  const e = await getElection(db, actor.tenantId, electionId);
  if (e.status !== 'counted' || !e.result) throw new AppError('conflict', 'Only a counted election can be published.', [], 'elec.error.notCounted');
  const cands = await ballotCandidates(db, actor.tenantId, electionId);
  await db.transaction((tx) => publishIn(tx, e, cands, now, actor.memberId));
}

/** The decisions register entry, the terms and the status, in the caller's transaction. */
export async function publishIn(tx: Executor, e: ElectionRow, cands: readonly CandidateView[], now: Date, actorId: string): Promise<void> {
  const result = e.result!;
  const byName = new Map(cands.map((c) => [c.name, c]));
  const elected = result.elected.flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
  // The governance contracts take drizzle's bare transaction type; ours carries the (empty) relation schema.
  const gtx = tx as unknown as Tx;
  const decision = await recordDecision(gtx, e.tenantId, {
    decidedOn: e.agmOn,
    kind: 'election',
    title: e.title,
    titlePl: e.titlePl,
    summary: `Elected: ${result.elected.join(', ')}.`,
    summaryPl: `Wybrano: ${result.elected.join(', ')}.`,
    electionId: e.id,
    outcome: 'elected',
    rule: `STV, ${result.seats} seats, quota ${result.quota}`,
    refs: [{ kind: 'election', id: e.id, label: e.title, href: `/elections/${e.id}/result` }],
    isDemo: e.isDemo,
  });
  // Seats set by hand carry no term: the rules' term from the AGM (governance's settings).
  const term = e.termStartsOn && e.termEndsOn ? { startsOn: e.termStartsOn, endsOn: e.termEndsOn } : await seatsUpForElection(gtx, e.tenantId, e.agmOn);
  await startElectedTerms(gtx, e.tenantId, {
    electionId: e.id,
    startsOn: term.startsOn,
    endsOn: term.endsOn,
    elected: elected.map((c) => ({ memberId: c.memberId, holderName: c.name })),
    isDemo: e.isDemo,
  });
  await tx.update(elecElections).set({ status: 'published', publishedAt: now, updatedAt: now }).where(and(eq(elecElections.tenantId, e.tenantId), eq(elecElections.id, e.id), eq(elecElections.status, 'counted')));
  await appendAudit(tx, { tenantId: e.tenantId, actor: actorId, action: 'elections.publish', entity: 'election', entityId: e.id, data: { decision: decision.number } });
}
