import { and, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { memberCards } from '../membership/views.ts';
import { dbsChecks, volunteerHours } from './schema.ts';

/**
 * Read models of volunteering for other modules (the ladder, dashboards). No DBS detail leaves the
 * module: ids and counts only.
 */

const APPROVED = sql`${volunteerHours.status} = 'approved'`;

/** Approved volunteering minutes per member (all time), for every member or the given ones. */
export async function approvedMinutesByMember(db: Executor, tenantId: string, memberIds?: readonly string[]): Promise<Map<string, number>> {
  if (memberIds && memberIds.length === 0) return new Map();
  const rows = await db
    .select({ memberId: volunteerHours.memberId, minutes: sql<number>`sum(${volunteerHours.minutes})::int` })
    .from(volunteerHours)
    // The status as a literal, so the planner matches the partial index volunteer_hours_approved.
    .where(and(eq(volunteerHours.tenantId, tenantId), APPROVED, memberIds ? inArray(volunteerHours.memberId, [...memberIds]) : undefined))
    .groupBy(volunteerHours.memberId);
  return new Map(rows.map((r) => [r.memberId, r.minutes]));
}

/**
 * The SQL condition "this check counts as in date on `onDate`": renewal on or after it, and either
 * a clear outcome or, for a record the retention rule reduced, an appointment (privacy.ts).
 */
function inDate(onDate: string) {
  return and(gte(dbsChecks.renewalOn, onDate), or(eq(dbsChecks.outcome, 'clear'), and(sql`${dbsChecks.reducedAt} IS NOT NULL`, eq(dbsChecks.decision, 'appointed'))), sql`${dbsChecks.decision} IS DISTINCT FROM 'not_appointed'`);
}

/** Members with a DBS check whose outcome is clear and which is in date on `onDate` (renewal date on or after it). Ids only: no check details leave the module. */
export async function membersWithDbsInDate(db: Executor, tenantId: string, onDate: string): Promise<Set<string>> {
  const rows = await db.selectDistinct({ memberId: dbsChecks.memberId }).from(dbsChecks).where(and(eq(dbsChecks.tenantId, tenantId), inDate(onDate)));
  return new Set(rows.map((r) => r.memberId));
}

/** How many DBS checks fall due for renewal between two dates inclusive (a count for the dashboard; the list is on the DBS page, for those allowed). */
export async function dbsRenewalsDue(db: Executor, tenantId: string, from: string, to: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(dbsChecks)
    .where(and(eq(dbsChecks.tenantId, tenantId), gte(dbsChecks.renewalOn, from), lte(dbsChecks.renewalOn, to), sql`${dbsChecks.decision} IS DISTINCT FROM 'not_appointed'`));
  return row?.n ?? 0;
}

/** Approved hours per ward and calendar quarter between two dates inclusive (ward from membership; null = no ward). */
export async function approvedHoursByWardAndQuarter(db: Executor, tenantId: string, from: string, to: string): Promise<Array<{ wardId: string | null; quarter: string; minutes: number; volunteers: number }>> {
  const quarter = sql<string>`to_char(${volunteerHours.workedOn}, 'YYYY-"Q"Q')`;
  const rows = await db
    .select({ memberId: volunteerHours.memberId, quarter, minutes: sql<number>`sum(${volunteerHours.minutes})::int` })
    .from(volunteerHours)
    .where(and(eq(volunteerHours.tenantId, tenantId), APPROVED, gte(volunteerHours.workedOn, from), lte(volunteerHours.workedOn, to)))
    .groupBy(volunteerHours.memberId, quarter);
  const wardOf = new Map((await memberCards(db, tenantId, [...new Set(rows.map((r) => r.memberId))])).map((c) => [c.id, c.wardId]));
  const cells = new Map<string, { wardId: string | null; quarter: string; minutes: number; members: Set<string> }>();
  for (const r of rows) {
    const wardId = wardOf.get(r.memberId) ?? null;
    const k = `${wardId ?? ''}|${r.quarter}`;
    const cell = cells.get(k) ?? { wardId, quarter: r.quarter, minutes: 0, members: new Set<string>() };
    cell.minutes += r.minutes;
    cell.members.add(r.memberId);
    cells.set(k, cell);
  }
  return [...cells.values()]
    .map((c) => ({ wardId: c.wardId, quarter: c.quarter, minutes: c.minutes, volunteers: c.members.size }))
    .sort((a, b) => (a.quarter === b.quarter ? (a.wardId ?? '').localeCompare(b.wardId ?? '') : a.quarter < b.quarter ? -1 : 1));
}
