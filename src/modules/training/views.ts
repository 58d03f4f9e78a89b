import type { Executor } from '../../db/connection.ts';

// CONTRACT STUB (issue 9): the training helper replaces this file with the real read models.
// Other modules (accreditation, ladder) code against these signatures only.

/** A course of the tenant's catalogue, as other modules see it. `key` is stable (seeded or chosen once). */
export interface CourseRef {
  id: string;
  key: string;
  title: string;
  /** Polish title, when the catalogue has one (shown to Polish readers). */
  titlePl: string | null;
}

export async function listCourseRefs(_db: Executor, _tenantId: string): Promise<CourseRef[]> {
  throw new Error('contract stub: training/views.ts listCourseRefs');
}

export async function courseRef(_db: Executor, _tenantId: string, _courseId: string): Promise<CourseRef | undefined> {
  throw new Error('contract stub: training/views.ts courseRef');
}

/** Course keys each member has completed (marked present at a session of the course), for every member or the given ones. */
export async function completedCourseKeysByMember(_db: Executor, _tenantId: string, _memberIds?: readonly string[]): Promise<Map<string, Set<string>>> {
  throw new Error('contract stub: training/views.ts completedCourseKeysByMember');
}

/** Training attendance per calendar quarter ('2026-Q3', Europe/London dates) between two dates (inclusive, YYYY-MM-DD): attendances marked present and the distinct members. */
export async function trainingAttendanceByQuarter(
  _db: Executor,
  _tenantId: string,
  _from: string,
  _to: string,
): Promise<Array<{ quarter: string; attendances: number; sessions: number; memberIds: string[] }>> {
  throw new Error('contract stub: training/views.ts trainingAttendanceByQuarter');
}
