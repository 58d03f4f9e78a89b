import type { Executor } from '../../db/connection.ts';

// CONTRACT STUB (issue 9): the accreditation helper replaces this file.

/**
 * Called by training, in its own transaction, when a member is marked present at a session of a
 * course: awards (or renews) every qualification the course grants or renews whose requirements the
 * member meets on `completedOn`; a qualification whose requirements are not met is not awarded
 * (answered in `notAwarded` with the missing qualification kinds' keys). Idempotent per
 * (member, course, completedOn): marking the same attendance twice awards nothing new.
 */
export async function awardOnCompletion(
  _tx: Executor,
  _input: { tenantId: string; memberId: string; courseId: string; sessionId: string; completedOn: string; actor: string },
): Promise<{ awarded: Array<{ qualificationId: string; kindKey: string }>; notAwarded: Array<{ kindKey: string; missing: string[] }> }> {
  throw new Error('contract stub: accreditation/service.ts awardOnCompletion');
}

/** Qualification kinds a course requires that the member does not hold in date on `onDate` (their titles, in the reader's language): training refuses a booking with them. */
export async function missingPrerequisites(_db: Executor, _input: { tenantId: string; memberId: string; courseId: string; onDate: string; locale: string }): Promise<string[]> {
  throw new Error('contract stub: accreditation/service.ts missingPrerequisites');
}
