import type { Database } from '../src/db/connection.ts';

/**
 * The other modules' records for the benchmark: training attendances, qualifications, approved
 * hours and DBS checks, written through the training, accreditation and volunteering modules'
 * exported functions. Filled in once those modules are merged (issue 9 timeline).
 */
export async function loadActivity(_database: Database, _tenantId: string, _memberIds: readonly string[], _attendances: number, _now: Date): Promise<{ attendances: number; tables: string[] }> {
  throw new Error('bench/ladder-activity.ts: the training, accreditation and volunteering modules are not merged yet');
}
