import { and, eq, gt, isNotNull, isNull, or } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { boardTermsOn, officersOn, rotationPlan, startTermsForElected, type Retiring } from './board.ts';
import { findMeeting, presentVoterIds, quorumOf } from './meetings.ts';
import { govInterests } from './schema.ts';

/**
 * What other modules read of the board and meetings (issue 12).
 */

export interface BoardMember {
  memberId: string;
  name: string;
  seatLabel: string;
  termEndsOn: string;
}

/** Who holds a board seat on a date ('YYYY-MM-DD'). */
export async function boardMembersOn(db: Executor, tenantId: string, on: string): Promise<BoardMember[]> {
  return (await boardTermsOn(db, tenantId, on)).map(({ memberId, name, seatLabel, termEndsOn }) => ({ memberId, name, seatLabel, termEndsOn }));
}

export interface Quorum {
  /** Entitled to vote (less the excluded). */
  entitled: number;
  /** Present in person, online, or by proxy (less the excluded). */
  present: number;
  required: number;
  quorate: boolean;
}

/**
 * The live quorum of a meeting from its attendance and the rule fixed when it was called.
 * `excluding`: members with a declared interest in the item, left out of both counts.
 */
export async function meetingQuorum(db: Executor, tenantId: string, meetingId: string, opts: { excluding?: readonly string[] } = {}): Promise<Quorum> {
  const m = await findMeeting(db, tenantId, meetingId);
  if (!m) throw new Error('meetingQuorum: no such meeting');
  return quorumOf(db, m, opts);
}

/**
 * Members present (in person, online) at a meeting, followed by the members represented by a
 * present proxy holder: one entry per vote, for the chair's count.
 */
export async function presentVoters(db: Executor, tenantId: string, meetingId: string): Promise<string[]> {
  return presentVoterIds(db, tenantId, meetingId);
}

export interface SeatsUp {
  /** Elected seats whose terms end at (or before) the AGM, plus vacant ones: what an election fills. */
  seats: number;
  /** The term a newly elected member gets. */
  startsOn: string;
  endsOn: string;
  /** Vacant elected seats included in `seats`. */
  vacant?: number;
  /** Who retires: term ending, rotation (longest-serving first), or drawn by lot. */
  retiring?: Retiring[];
  /** The recorded seed of the lot (sha-256 of tenant and AGM date; mulberry32). */
  lotSeed?: string;
}

/** How many elected parent seats an election before this AGM date fills (rotation, vacancies). */
export async function seatsUpForElection(db: Executor, tenantId: string, agmOn: string): Promise<SeatsUp> {
  const plan = await rotationPlan(db, tenantId, agmOn);
  return { seats: plan.seats, startsOn: plan.startsOn, endsOn: plan.endsOn, vacant: plan.vacant, retiring: plan.retiring, lotSeed: plan.seed };
}

/** Give the elected their terms (elected parent seats), in the caller's transaction; the role job grants the board role when each starts. */
export async function startElectedTerms(tx: Tx, tenantId: string, input: { electionId: string; startsOn: string; endsOn: string; elected: ReadonlyArray<{ memberId: string; holderName: string }>; isDemo?: boolean }): Promise<void> {
  await startTermsForElected(tx, tenantId, input);
}

/** Standing interests of members relating to a record (e.g. a provider), to find conflicts. */
export async function interestsRelatedTo(db: Executor, tenantId: string, kind: string, id: string, on: string = isoDate()): Promise<Array<{ memberId: string; description: string }>> {
  return db
    .select({ memberId: govInterests.memberId, description: govInterests.description })
    .from(govInterests)
    .where(and(eq(govInterests.tenantId, tenantId), isNotNull(govInterests.relatedKind), eq(govInterests.relatedKind, kind), eq(govInterests.relatedId, id), or(isNull(govInterests.endedOn), gt(govInterests.endedOn, on))));
}

/** The officers (chair, secretary, treasurer) on a date: who chairs and who records a meeting's counts. */
export async function officersOnDay(db: Executor, tenantId: string, on: string): Promise<Array<{ memberId: string; office: 'chair' | 'secretary' | 'treasurer' }>> {
  return (await officersOn(db, tenantId, on)).flatMap((o) => (o.memberId ? [{ memberId: o.memberId, office: o.office as 'chair' | 'secretary' | 'treasurer' }] : []));
}

/** Meetings' own services, for another module's demo or tests that hold a meeting the real way. */
export { callMeeting, createMeeting, markHeld, recordAttendance } from './meetings.ts';
