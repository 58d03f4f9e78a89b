import type { Executor, Tx } from '../../db/connection.ts';

/**
 * What other modules read of the board and meetings (issue 12). CONTRACT STUBS (issue 12 base):
 * gov-core replaces the bodies, keeping the signatures.
 */

export interface BoardMember {
  memberId: string;
  name: string;
  seatLabel: string;
  termEndsOn: string;
}

/** Who holds a board seat on a date ('YYYY-MM-DD'). */
export async function boardMembersOn(_db: Executor, _tenantId: string, _on: string): Promise<BoardMember[]> {
  return [];
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
export async function meetingQuorum(_db: Executor, _tenantId: string, _meetingId: string, _opts: { excluding?: readonly string[] } = {}): Promise<Quorum> {
  throw new Error('meetingQuorum: not built yet (issue 12)');
}

/** Members present (in person, online, or holding a proxy) at a meeting, for the chair's count. */
export async function presentVoters(_db: Executor, _tenantId: string, _meetingId: string): Promise<string[]> {
  return [];
}

export interface SeatsUp {
  /** Elected seats whose terms end at (or before) the AGM, plus vacant ones: what an election fills. */
  seats: number;
  /** The term a newly elected member gets. */
  startsOn: string;
  endsOn: string;
}

/** How many elected parent seats an election before this AGM date fills (rotation, vacancies). */
export async function seatsUpForElection(_db: Executor, _tenantId: string, _agmOn: string): Promise<SeatsUp> {
  throw new Error('seatsUpForElection: not built yet (issue 12)');
}

/** Give the elected their terms (elected parent seats), in the caller's transaction; the role job grants the board role when each starts. */
export async function startElectedTerms(_tx: Tx, _tenantId: string, _input: { electionId: string; startsOn: string; endsOn: string; elected: ReadonlyArray<{ memberId: string; holderName: string }>; isDemo?: boolean }): Promise<void> {
  throw new Error('startElectedTerms: not built yet (issue 12)');
}

/** Standing interests of members relating to a record (e.g. a provider), to find conflicts. */
export async function interestsRelatedTo(_db: Executor, _tenantId: string, _kind: string, _id: string): Promise<Array<{ memberId: string; description: string }>> {
  return [];
}
