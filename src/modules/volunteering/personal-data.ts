import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { dbsChecks, volunteerHours, volunteeringActivities } from './schema.ts';

/** What eraseFor deletes: the member's hours and DBS records (privacy.ts says why nothing is kept). */
const ERASES = ['volunteer_hours', 'dbs_checks'] as const;

/**
 * The member's hours (with the coordinator's question, the decider shown as "a member of staff")
 * and their own DBS records: the member may see what we hold about their check (SECURITY.md 14:
 * date, number, level, outcome, Update Service, renewal, decision; never contents).
 */
export const volunteeringPersonalData = {
  order: 37,
  covers: ['volunteer_hours', 'dbs_checks'],
  async exportFor(db: Executor, { subject, who }: ExportContext): Promise<DataSection[]> {
    const hours = await db
      .select({ workedOn: volunteerHours.workedOn, activity: volunteeringActivities.titleEn, minutes: volunteerHours.minutes, note: volunteerHours.note, status: volunteerHours.status, question: volunteerHours.question, decidedBy: volunteerHours.decidedBy, decidedAt: volunteerHours.decidedAt, createdAt: volunteerHours.createdAt })
      .from(volunteerHours)
      .innerJoin(volunteeringActivities, and(eq(volunteeringActivities.tenantId, volunteerHours.tenantId), eq(volunteeringActivities.id, volunteerHours.activityId)))
      .where(and(eq(volunteerHours.tenantId, subject.tenantId), eq(volunteerHours.memberId, subject.id)))
      .orderBy(asc(volunteerHours.workedOn), asc(volunteerHours.createdAt));
    const dbs = await db.select().from(dbsChecks).where(and(eq(dbsChecks.tenantId, subject.tenantId), eq(dbsChecks.memberId, subject.id))).orderBy(asc(dbsChecks.createdAt));
    return [
      {
        name: 'volunteeringHours',
        columns: ['workedOn', 'activity', 'minutes', 'note', 'status', 'question', 'decidedBy', 'decidedAt', 'createdAt'],
        rows: hours.map((h) => ({ workedOn: h.workedOn, activity: h.activity, minutes: h.minutes, note: h.note, status: h.status, question: h.question, decidedBy: h.decidedBy ? who(h.decidedBy) : null, decidedAt: iso(h.decidedAt), createdAt: iso(h.createdAt) })),
      },
      {
        name: 'dbsChecks',
        columns: ['checkedOn', 'certificateNumber', 'level', 'outcome', 'updateService', 'renewalOn', 'decisionOn', 'decision', 'reference', 'reducedAt'],
        rows: dbs.map((d) => ({ checkedOn: d.checkedOn, certificateNumber: d.certificateNumber, level: d.level, outcome: d.outcome, updateService: d.updateService, renewalOn: d.renewalOn, decisionOn: d.decisionOn, decision: d.decision, reference: d.reference, reducedAt: iso(d.reducedAt) })),
      },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    await tx.delete(volunteerHours).where(and(eq(volunteerHours.tenantId, subject.tenantId), eq(volunteerHours.memberId, subject.id)));
    await tx.delete(dbsChecks).where(and(eq(dbsChecks.tenantId, subject.tenantId), eq(dbsChecks.memberId, subject.id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
