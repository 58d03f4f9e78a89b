import type { Executor } from '../../db/connection.ts';

// CONTRACT STUB (issue 9): the volunteering helper replaces this file.

/** Approved volunteering minutes per member (all time), for every member or the given ones. */
export async function approvedMinutesByMember(_db: Executor, _tenantId: string, _memberIds?: readonly string[]): Promise<Map<string, number>> {
  throw new Error('contract stub: volunteering/views.ts approvedMinutesByMember');
}

/** Members with a DBS check whose outcome is clear and which is in date on `onDate` (renewal date on or after it). Ids only: no check details leave the module. */
export async function membersWithDbsInDate(_db: Executor, _tenantId: string, _onDate: string): Promise<Set<string>> {
  throw new Error('contract stub: volunteering/views.ts membersWithDbsInDate');
}

/** How many DBS checks fall due for renewal between two dates inclusive (a count for the dashboard; the list is on the DBS page, for those allowed). */
export async function dbsRenewalsDue(_db: Executor, _tenantId: string, _from: string, _to: string): Promise<number> {
  throw new Error('contract stub: volunteering/views.ts dbsRenewalsDue');
}

/** Approved hours per ward and calendar quarter between two dates inclusive (ward from membership; null = no ward). */
export async function approvedHoursByWardAndQuarter(_db: Executor, _tenantId: string, _from: string, _to: string): Promise<Array<{ wardId: string | null; quarter: string; minutes: number; volunteers: number }>> {
  throw new Error('contract stub: volunteering/views.ts approvedHoursByWardAndQuarter');
}
