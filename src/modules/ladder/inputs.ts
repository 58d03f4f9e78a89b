import type { Executor } from '../../db/connection.ts';
import { validQualificationKeysByMember, listQualificationKindRefs, expiringQualifications } from '../accreditation/views.ts';
import { completedCourseKeysByMember, listCourseRefs, trainingAttendanceByQuarter } from '../training/views.ts';
import { approvedMinutesByMember, dbsRenewalsDue, membersWithDbsInDate } from '../volunteering/views.ts';

/** A course or qualification kind's title in both languages, by key. */
export interface TitleRef {
  key: string;
  title: string;
  titlePl: string | null;
}

/**
 * What the ladder reads from the training, accreditation and volunteering modules, behind one small
 * interface: the default (`moduleInputs`) calls their views; unit tests pass their own. Each method
 * is one query per source over every member (or the given ones).
 */
export interface LadderInputs {
  completedCourses(db: Executor, tenantId: string, memberIds?: readonly string[]): Promise<Map<string, Set<string>>>;
  validQualifications(db: Executor, tenantId: string, onDate: string, memberIds?: readonly string[]): Promise<Map<string, Set<string>>>;
  approvedMinutes(db: Executor, tenantId: string, memberIds?: readonly string[]): Promise<Map<string, number>>;
  dbsInDate(db: Executor, tenantId: string, onDate: string): Promise<Set<string>>;
  courses(db: Executor, tenantId: string): Promise<TitleRef[]>;
  qualificationKinds(db: Executor, tenantId: string): Promise<TitleRef[]>;
}

export const moduleInputs: LadderInputs = {
  completedCourses: (db, tenantId, memberIds) => completedCourseKeysByMember(db, tenantId, memberIds),
  validQualifications: (db, tenantId, onDate, memberIds) => validQualificationKeysByMember(db, tenantId, onDate, memberIds),
  approvedMinutes: (db, tenantId, memberIds) => approvedMinutesByMember(db, tenantId, memberIds),
  dbsInDate: (db, tenantId, onDate) => membersWithDbsInDate(db, tenantId, onDate),
  courses: (db, tenantId) => listCourseRefs(db, tenantId),
  qualificationKinds: (db, tenantId) => listQualificationKindRefs(db, tenantId),
};

let current: { ladder: LadderInputs; dashboard: DashboardInputs } | undefined;

/** The inputs pages and jobs use: the other modules' views, unless a test file swapped them (`useInputsForTests`). */
export function ladderInputs(): LadderInputs {
  return current?.ladder ?? moduleInputs;
}

export function dashboardInputs(): DashboardInputs {
  return current?.dashboard ?? moduleDashboardInputs;
}

/**
 * Test seam: page tests run without the training, accreditation and volunteering modules' data by
 * swapping the inputs for the whole test file (Vitest isolates modules per file). Never called by
 * the app; `undefined` restores the real views.
 */
export function useInputsForTests(inputs: { ladder: LadderInputs; dashboard: DashboardInputs } | undefined): void {
  current = inputs;
}

/** The dashboard's figures from the other modules (one call each). */
export interface DashboardInputs {
  attendanceByQuarter: typeof trainingAttendanceByQuarter;
  expiringQualifications: typeof expiringQualifications;
  dbsRenewalsDue: typeof dbsRenewalsDue;
}

export const moduleDashboardInputs: DashboardInputs = {
  attendanceByQuarter: trainingAttendanceByQuarter,
  expiringQualifications,
  dbsRenewalsDue,
};
