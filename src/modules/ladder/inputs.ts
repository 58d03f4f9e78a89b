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
