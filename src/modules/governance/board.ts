import { createHash } from 'node:crypto';
import { and, asc, eq, isNull, lte, gte, or, sql, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import { addDays, addMonths, isCalendarDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { memberCard } from '../membership/views.ts';
import { OFFICES, SEAT_KINDS, govInterests, govOfficers, govSeats, govTerms, type GovTerm, type Office, type SeatKind } from './schema.ts';
import { governanceSettings } from './settings.ts';

export type GovSeat = typeof govSeats.$inferSelect;
export type GovOfficer = typeof govOfficers.$inferSelect;
export type GovInterest = typeof govInterests.$inferSelect;

/** A term is current on day d when it has started, its last day (`ends_on`, inclusive) is not past, and it was not ended early on or before d. */
export function termCurrentOn(d: string) {
  return and(lte(govTerms.startsOn, d), gte(govTerms.endsOn, d), or(isNull(govTerms.endedEarlyOn), gt(govTerms.endedEarlyOn, d)));
}

export function isTermCurrent(t: Pick<GovTerm, 'startsOn' | 'endsOn' | 'endedEarlyOn'>, d: string): boolean {
  return t.startsOn <= d && t.endsOn >= d && (t.endedEarlyOn === null || t.endedEarlyOn > d);
}

export async function listSeats(db: Executor, tenantId: string): Promise<GovSeat[]> {
  return db.select().from(govSeats).where(eq(govSeats.tenantId, tenantId)).orderBy(asc(govSeats.sortOrder), asc(govSeats.label));
}

export async function listTerms(db: Executor, tenantId: string): Promise<GovTerm[]> {
  return db.select().from(govTerms).where(eq(govTerms.tenantId, tenantId)).orderBy(asc(govTerms.startsOn), asc(govTerms.id));
}

export async function currentTerms(db: Executor, tenantId: string, on: string): Promise<Array<GovTerm & { seatKind: SeatKind; seatLabel: string; seatLabelPl: string | null }>> {
  const rows = await db
    .select({ term: govTerms, seatKind: govSeats.kind, seatLabel: govSeats.label, seatLabelPl: govSeats.labelPl })
    .from(govTerms)
    .innerJoin(govSeats, and(eq(govSeats.tenantId, govTerms.tenantId), eq(govSeats.id, govTerms.seatId)))
    .where(and(eq(govTerms.tenantId, tenantId), termCurrentOn(on)))
    .orderBy(asc(govSeats.sortOrder), asc(govSeats.label));
  return rows.map((r) => ({ ...r.term, seatKind: r.seatKind, seatLabel: r.seatLabel, seatLabelPl: r.seatLabelPl }));
}

/** Elected seats of a new tenant (seedTenant): 9 elected parent seats, made once. */
export async function seedSeats(tx: Executor, tenantId: string, count = 9): Promise<void> {
  const [any] = await tx.select({ id: govSeats.id }).from(govSeats).where(eq(govSeats.tenantId, tenantId)).limit(1);
  if (any) return;
  for (let i = 1; i <= count; i++) {
    await tx.insert(govSeats).values({ tenantId, id: newId(), kind: 'elected_parent', label: `Elected parent seat ${i}`, labelPl: `Miejsce wybieralne rodziców ${i}`, sortOrder: i });
  }
}

const date = z.string().refine(isCalendarDate, 'gov.core.error.date');
export const SeatInput = z
  .object({
    kind: z.enum(SEAT_KINDS, { message: 'gov.core.error.seatKind' }),
    label: z.string().trim().min(1, 'gov.core.error.required').max(120, 'gov.core.error.tooLong'),
    labelPl: z
      .string()
      .trim()
      .max(120, 'gov.core.error.tooLong')
      .optional()
      .transform((v) => (v ? v : null)),
    wardId: z
      .string()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || isUuid(v), 'gov.core.error.ward'),
  })
  .refine((s) => (s.kind === 'ward') === (s.wardId !== null), { path: ['wardId'], message: 'gov.core.error.wardSeat' });
export type SeatInput = z.input<typeof SeatInput>;

export async function addSeat(db: Db, actor: Actor, input: SeatInput): Promise<GovSeat> {
  requirePermission(actor, 'governance.manage');
  const parsed = SeatInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the seat.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const settings = await governanceSettings(tx, actor.tenantId);
    if (parsed.data.kind === 'ward' && !settings.wardSeats) throw new AppError('validation_failed', 'The rules have no ward seats.', [{ field: 'kind', message: 'gov.core.error.noWardSeats' }], 'gov.core.error.fix');
    const [{ n }] = (await tx.select({ n: sql<number>`coalesce(max(${govSeats.sortOrder}), 0)::int` }).from(govSeats).where(eq(govSeats.tenantId, actor.tenantId))) as [{ n: number }];
    const [row] = await tx.insert(govSeats).values({ tenantId: actor.tenantId, id: newId(), ...parsed.data, sortOrder: n + 1 }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.seat.add', entity: 'gov_seat', entityId: row!.id, data: { kind: row!.kind } });
    return row!;
  });
}

export const TermInput = z
  .object({
    seatId: z.string().refine(isUuid, 'gov.core.error.seat'),
    memberId: z.string().refine(isUuid, 'gov.core.error.member'),
    startsOn: date,
    endsOn: date,
    source: z.enum(['election', 'co_option', 'appointment'], { message: 'gov.core.error.source' }),
  })
  .refine((t) => t.endsOn > t.startsOn, { path: ['endsOn'], message: 'gov.core.error.endsBeforeStart' });
export type TermInput = z.input<typeof TermInput>;

/** Put a member on a seat for a term (the role job grants the board role when it starts). One term per seat at a time. */
export async function addTerm(db: Db, actor: Actor, input: TermInput, opts: { isDemo?: boolean } = {}): Promise<GovTerm> {
  requirePermission(actor, 'governance.manage');
  const parsed = TermInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the term.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => insertTerm(tx, actor.tenantId, { ...parsed.data, isDemo: opts.isDemo ?? false }, actor.memberId));
}

async function insertTerm(tx: Executor, tenantId: string, t: { seatId: string; memberId: string; startsOn: string; endsOn: string; source: 'election' | 'co_option' | 'appointment'; electionId?: string | null; holderName?: string; isDemo: boolean }, actor: string): Promise<GovTerm> {
  const [seat] = await tx.select().from(govSeats).where(and(eq(govSeats.tenantId, tenantId), eq(govSeats.id, t.seatId))).for('update');
  if (!seat || !seat.active) throw new AppError('validation_failed', 'Choose a seat.', [{ field: 'seatId', message: 'gov.core.error.seat' }], 'gov.core.error.fix');
  const member = await memberCard(tx, tenantId, t.memberId);
  if (!member || member.status !== 'active') throw new AppError('validation_failed', 'The holder must be an active member.', [{ field: 'memberId', message: 'gov.core.error.member' }], 'gov.core.error.fix');
  const overlapping = await tx
    .select({ id: govTerms.id })
    .from(govTerms)
    .where(and(eq(govTerms.tenantId, tenantId), eq(govTerms.seatId, t.seatId), lte(govTerms.startsOn, t.endsOn), gte(govTerms.endsOn, t.startsOn), or(isNull(govTerms.endedEarlyOn), gt(govTerms.endedEarlyOn, t.startsOn))));
  if (overlapping.length) throw new AppError('conflict', 'That seat is held for part of those dates.', [{ field: 'seatId', message: 'gov.core.error.seatTaken' }], 'gov.core.error.seatTaken');
  const [row] = await tx
    .insert(govTerms)
    .values({ tenantId, id: newId(), seatId: t.seatId, memberId: t.memberId, holderName: t.holderName ?? member.name, startsOn: t.startsOn, endsOn: t.endsOn, source: t.source, electionId: t.electionId ?? null, isDemo: t.isDemo })
    .returning();
  await appendAudit(tx, { tenantId, actor, action: 'governance.term.add', entity: 'gov_term', entityId: row!.id, data: { seatId: t.seatId, startsOn: t.startsOn, endsOn: t.endsOn, source: t.source } });
  return row!;
}

/** End a term early (resignation, removal); the role job removes the board role. */
export async function endTermEarly(db: Db, actor: Actor, termId: string, on: string): Promise<void> {
  requirePermission(actor, 'governance.manage');
  await db.transaction(async (tx) => {
    const [t] = isUuid(termId) ? await tx.select().from(govTerms).where(and(eq(govTerms.tenantId, actor.tenantId), eq(govTerms.id, termId))).for('update') : [];
    if (!t) throw new AppError('not_found', 'That term was not found.', [], 'gov.core.error.termNotFound');
    if (!isCalendarDate(on)) throw new AppError('validation_failed', 'Enter the date it ends.', [{ field: 'on', message: 'gov.core.error.date' }], 'gov.core.error.fix');
    if (t.endedEarlyOn) throw new AppError('conflict', 'That term has already ended.', [], 'gov.core.error.termEnded');
    if (on <= t.startsOn || on > t.endsOn) throw new AppError('validation_failed', 'The date must fall within the term.', [{ field: 'on', message: 'gov.core.error.withinTerm' }], 'gov.core.error.fix');
    await tx.update(govTerms).set({ endedEarlyOn: on }).where(and(eq(govTerms.tenantId, actor.tenantId), eq(govTerms.id, termId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.term.end_early', entity: 'gov_term', entityId: termId, data: { on } });
  });
}

export const OfficerInput = z.object({
  office: z.enum(OFFICES, { message: 'gov.core.error.office' }),
  memberId: z.string().refine(isUuid, 'gov.core.error.member'),
  startsOn: date,
});
export type OfficerInput = z.input<typeof OfficerInput>;

/** Appoint an officer (a board member on that date); the office's previous holder stands down the day before. */
export async function appointOfficer(db: Db, actor: Actor, input: OfficerInput, opts: { isDemo?: boolean } = {}): Promise<GovOfficer> {
  requirePermission(actor, 'governance.manage');
  const parsed = OfficerInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the appointment.', fieldIssues(parsed.error), 'gov.core.error.fix');
  const { office, memberId, startsOn } = parsed.data;
  return db.transaction(async (tx) => {
    const board = await boardOn(tx, actor.tenantId, startsOn);
    const holder = board.find((b) => b.memberId === memberId);
    if (!holder) throw new AppError('validation_failed', 'An officer must be on the board on that date.', [{ field: 'memberId', message: 'gov.core.error.notOnBoard' }], 'gov.core.error.fix');
    await tx
      .update(govOfficers)
      .set({ endsOn: sql`greatest(${govOfficers.startsOn}, ${addDays(startsOn, -1)}::date)` })
      .where(and(eq(govOfficers.tenantId, actor.tenantId), eq(govOfficers.office, office), or(isNull(govOfficers.endsOn), gte(govOfficers.endsOn, startsOn))));
    const [row] = await tx.insert(govOfficers).values({ tenantId: actor.tenantId, id: newId(), office, memberId, holderName: holder.name, startsOn, isDemo: opts.isDemo ?? false }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.officer.appoint', entity: 'gov_officer', entityId: row!.id, data: { office, startsOn } });
    return row!;
  });
}

export async function officersOn(db: Executor, tenantId: string, on: string): Promise<GovOfficer[]> {
  return db
    .select()
    .from(govOfficers)
    .where(and(eq(govOfficers.tenantId, tenantId), lte(govOfficers.startsOn, on), or(isNull(govOfficers.endsOn), gte(govOfficers.endsOn, on))))
    .orderBy(asc(govOfficers.office));
}

/** Whether the member holds this office on the day. */
export async function holdsOffice(db: Executor, tenantId: string, memberId: string, offices: readonly Office[], on: string): Promise<boolean> {
  return (await officersOn(db, tenantId, on)).some((o) => o.memberId === memberId && offices.includes(o.office));
}

async function boardOn(db: Executor, tenantId: string, on: string) {
  const rows = await currentTerms(db, tenantId, on);
  return rows.filter((r) => r.memberId).map((r) => ({ memberId: r.memberId!, name: r.holderName, seatLabel: r.seatLabel, termEndsOn: r.endedEarlyOn ? addDays(r.endedEarlyOn, -1) : r.endsOn, termId: r.id }));
}
export { boardOn as boardTermsOn };

// Register of interests: a board member keeps their own current.

export const InterestInput = z.object({
  description: z.string().trim().min(3, 'gov.core.error.interest').max(500, 'gov.core.error.tooLong'),
  declaredOn: date,
});

export async function interestsOf(db: Executor, tenantId: string, memberId: string): Promise<GovInterest[]> {
  return db.select().from(govInterests).where(and(eq(govInterests.tenantId, tenantId), eq(govInterests.memberId, memberId))).orderBy(asc(govInterests.declaredOn), asc(govInterests.id));
}

/** Standing interests of the members given (the board page). */
export async function standingInterests(db: Executor, tenantId: string, on: string): Promise<GovInterest[]> {
  return db
    .select()
    .from(govInterests)
    .where(and(eq(govInterests.tenantId, tenantId), lte(govInterests.declaredOn, on), or(isNull(govInterests.endedOn), gt(govInterests.endedOn, on))))
    .orderBy(asc(govInterests.declaredOn));
}

export async function declareInterest(db: Db, actor: Actor, input: z.input<typeof InterestInput>, opts: { isDemo?: boolean; relatedKind?: string; relatedId?: string } = {}): Promise<GovInterest> {
  const parsed = InterestInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the interest.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(govInterests)
      .values({ tenantId: actor.tenantId, id: newId(), memberId: actor.memberId, ...parsed.data, relatedKind: opts.relatedKind ?? null, relatedId: opts.relatedId ?? null, isDemo: opts.isDemo ?? false })
      .returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.interest.declare', entity: 'gov_interest', entityId: row!.id, data: {} });
    return row!;
  });
}

/** End one's own interest (record-level: only the member who declared it; another's answers 404). */
export async function endInterest(db: Db, actor: Actor, interestId: string, on: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = isUuid(interestId) ? await tx.select().from(govInterests).where(and(eq(govInterests.tenantId, actor.tenantId), eq(govInterests.id, interestId), eq(govInterests.memberId, actor.memberId))).for('update') : [];
    if (!row) throw new AppError('not_found', 'That interest was not found.', [], 'gov.core.error.interestNotFound');
    if (!isCalendarDate(on)) throw new AppError('validation_failed', 'Enter the date it ended.', [{ field: 'endedOn', message: 'gov.core.error.date' }], 'gov.core.error.fix');
    if (row.endedOn) throw new AppError('conflict', 'That interest has already ended.', [], 'gov.core.error.interestEnded');
    if (on < row.declaredOn) throw new AppError('validation_failed', 'It cannot end before it was declared.', [{ field: 'endedOn', message: 'gov.core.error.endsBeforeStart' }], 'gov.core.error.fix');
    await tx.update(govInterests).set({ endedOn: on, updatedAt: sql`now()` }).where(and(eq(govInterests.tenantId, actor.tenantId), eq(govInterests.id, interestId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.interest.end', entity: 'gov_interest', entityId: interestId, data: { on } });
  });
}

// Rotation.

export interface Retiring {
  termId: string;
  holderName: string;
  startsOn: string;
  /** Why: their term ends by the AGM, or rotation (longest-serving first), or drawn by lot among equals. */
  reason: 'term_end' | 'rotation' | 'lot';
}

/** A seeded generator (mulberry32) for the lot: the seed is recorded so anyone can redraw it. */
function lot(seedHex: string) {
  let a = Number.parseInt(seedHex.slice(0, 8), 16) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function lotSeed(tenantId: string, agmOn: string): string {
  return createHash('sha256').update(`gov-rotation:${tenantId}:${agmOn}`).digest('hex').slice(0, 16);
}

/**
 * Who retires at the AGM (pure): terms ending by then, then — until ⌈elected seats / n⌉ have
 * retired — the longest-serving (earliest start), ties broken by lot with the seed given.
 */
export function rotation(input: { electedSeats: number; denominator: number; serving: ReadonlyArray<{ termId: string; holderName: string; startsOn: string; endsOn: string }>; agmOn: string; seed: string }): Retiring[] {
  const out: Retiring[] = input.serving.filter((t) => t.endsOn <= input.agmOn).map((t) => ({ termId: t.termId, holderName: t.holderName, startsOn: t.startsOn, reason: 'term_end' as const }));
  const quota = input.denominator > 0 ? Math.ceil(input.electedSeats / input.denominator) : 0;
  const rest = input.serving.filter((t) => t.endsOn > input.agmOn);
  const rand = lot(input.seed);
  // Draw a random key per term up front (in id order) so the draw does not depend on the input order.
  const keys = new Map([...rest].sort((a, b) => (a.termId < b.termId ? -1 : 1)).map((t) => [t.termId, rand()]));
  const ordered = [...rest].sort((a, b) => (a.startsOn !== b.startsOn ? (a.startsOn < b.startsOn ? -1 : 1) : keys.get(a.termId)! - keys.get(b.termId)!));
  let need = quota - out.length;
  for (let i = 0; need > 0 && i < ordered.length; i++, need--) {
    const t = ordered[i]!;
    const tiedAtCut = ordered.filter((o) => o.startsOn === t.startsOn).length > 1 && ordered.slice(i).filter((o) => o.startsOn === t.startsOn).length > need;
    out.push({ termId: t.termId, holderName: t.holderName, startsOn: t.startsOn, reason: tiedAtCut ? 'lot' : 'rotation' });
  }
  return out;
}

export interface RotationPlan {
  seats: number;
  startsOn: string;
  endsOn: string;
  vacant: number;
  retiring: Retiring[];
  seed: string;
}

export async function rotationPlan(db: Executor, tenantId: string, agmOn: string): Promise<RotationPlan> {
  const settings = await governanceSettings(db, tenantId);
  const seats = (await listSeats(db, tenantId)).filter((s) => s.active && s.kind === 'elected_parent');
  const dayBefore = addDays(agmOn, -1);
  const serving = (await currentTerms(db, tenantId, dayBefore)).filter((t) => t.seatKind === 'elected_parent');
  const seed = lotSeed(tenantId, agmOn);
  const retiring = rotation({ electedSeats: seats.length, denominator: settings.rotationDenominator, serving: serving.map((t) => ({ termId: t.id, holderName: t.holderName, startsOn: t.startsOn, endsOn: t.endedEarlyOn ? addDays(t.endedEarlyOn, -1) : t.endsOn })), agmOn, seed });
  const vacant = Math.max(0, seats.length - new Set(serving.map((t) => t.seatId)).size);
  return { seats: vacant + retiring.length, startsOn: agmOn, endsOn: addDays(addMonths(agmOn, 12 * settings.termYears), -1), vacant, retiring, seed };
}

/** Give the elected their terms on free elected parent seats; retiring terms still running end on the start date. */
export async function startTermsForElected(tx: Tx, tenantId: string, input: { electionId: string; startsOn: string; endsOn: string; elected: ReadonlyArray<{ memberId: string; holderName: string }>; isDemo?: boolean }): Promise<void> {
  const plan = await rotationPlan(tx, tenantId, input.startsOn);
  if (input.elected.length > plan.seats) throw new AppError('conflict', 'More people were elected than there are seats up for election.', [], 'gov.core.error.noFreeSeat');
  const seats = (await listSeats(tx, tenantId)).filter((s) => s.active && s.kind === 'elected_parent');
  const freeSeats = async () => {
    const taken = new Set((await currentTerms(tx, tenantId, input.startsOn)).map((t) => t.seatId));
    return seats.filter((s) => !taken.has(s.id));
  };
  // Retiring terms still running end on the start date, in the plan's order, only as many as the elected need.
  for (const r of plan.retiring) {
    if ((await freeSeats()).length >= input.elected.length) break;
    await tx.update(govTerms).set({ endedEarlyOn: input.startsOn }).where(and(eq(govTerms.tenantId, tenantId), eq(govTerms.id, r.termId), isNull(govTerms.endedEarlyOn), gte(govTerms.endsOn, input.startsOn)));
  }
  const free = await freeSeats();
  if (input.elected.length > free.length) throw new AppError('conflict', 'More people were elected than there are free elected seats.', [], 'gov.core.error.noFreeSeat');
  for (const [i, e] of input.elected.entries()) {
    await insertTerm(tx, tenantId, { seatId: free[i]!.id, memberId: e.memberId, holderName: e.holderName, startsOn: input.startsOn, endsOn: input.endsOn, source: 'election', electionId: input.electionId, isDemo: input.isDemo ?? false }, 'system:elections');
  }
}
