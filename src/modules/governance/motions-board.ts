import { and, eq, gte, inArray, isNotNull, isNull, lte, or, gt } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { boardMembersOn, interestsRelatedTo, meetingQuorum, type Quorum } from './api-board.ts';
import { govAttendance, govInterests, govMeetings, govTerms } from './schema.ts';

/**
 * What motions read of the board and meetings, through gov-core's api-board.ts. While gov-core's
 * bodies are not on this branch (the stubs throw or answer []), each call falls back to the same
 * reading of the module's tables as the stubs' doc comments describe, so motions work and are
 * tested either way. MERGE NOTE: once api-board.ts is filled, the `local*` fallbacks can go.
 */

function isStub(err: unknown): boolean {
  return err instanceof Error && /not built yet/.test(err.message);
}

/** The live quorum of a meeting, the conflicted left out of both counts. */
export async function quorumOf(db: Executor, tenantId: string, meetingId: string, excluding: readonly string[]): Promise<Quorum> {
  try {
    return await meetingQuorum(db, tenantId, meetingId, { excluding });
  } catch (err) {
    if (isStub(err)) return localQuorum(db, tenantId, meetingId, excluding);
    throw err;
  }
}

export async function localQuorum(db: Executor, tenantId: string, meetingId: string, excluding: readonly string[]): Promise<Quorum> {
  const [m] = await db.select().from(govMeetings).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.id, meetingId)));
  if (!m) return { entitled: 0, present: 0, required: 1, quorate: false };
  const rows = await db
    .select({ memberId: govAttendance.memberId, mode: govAttendance.mode })
    .from(govAttendance)
    .where(and(eq(govAttendance.tenantId, tenantId), eq(govAttendance.meetingId, meetingId), inArray(govAttendance.mode, ['in_person', 'online', 'proxy'])));
  const out = new Set(excluding);
  const present = rows.filter((r) => !out.has(r.memberId)).length;
  const entitled = Math.max(0, (m.entitledCount ?? rows.length) - excluding.length);
  const value = m.quorumValue ?? 1;
  const required = m.quorumKind === 'share' ? Math.max(1, Math.ceil((entitled * value) / 100)) : value;
  return { entitled, present, required, quorate: present >= required };
}

/** Member ids holding a board seat on a date. */
export async function boardIdsOn(db: Executor, tenantId: string, on: string): Promise<string[]> {
  const real = await boardMembersOn(db, tenantId, on);
  if (real.length) return real.map((b) => b.memberId);
  const rows = await db
    .select({ memberId: govTerms.memberId })
    .from(govTerms)
    .where(
      and(
        eq(govTerms.tenantId, tenantId),
        isNotNull(govTerms.memberId),
        lte(govTerms.startsOn, on),
        gte(govTerms.endsOn, on),
        or(isNull(govTerms.endedEarlyOn), gt(govTerms.endedEarlyOn, on)),
      ),
    );
  return [...new Set(rows.flatMap((r) => (r.memberId ? [r.memberId] : [])))];
}

/** Members whose standing register of interests names the record (conflicts found for a motion). */
export async function standingInterests(db: Executor, tenantId: string, kind: string, id: string, on: string): Promise<Array<{ memberId: string; description: string }>> {
  const real = await interestsRelatedTo(db, tenantId, kind, id);
  if (real.length) return real;
  return db
    .select({ memberId: govInterests.memberId, description: govInterests.description })
    .from(govInterests)
    .where(and(eq(govInterests.tenantId, tenantId), eq(govInterests.relatedKind, kind), eq(govInterests.relatedId, id), or(isNull(govInterests.endedOn), gt(govInterests.endedOn, on))));
}
