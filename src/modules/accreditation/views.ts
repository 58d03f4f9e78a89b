import type { Executor } from '../../db/connection.ts';

// CONTRACT STUB (issue 9): the accreditation helper replaces this file.

export interface QualificationKindRef {
  id: string;
  key: string;
  title: string;
  titlePl: string | null;
}

export async function listQualificationKindRefs(_db: Executor, _tenantId: string): Promise<QualificationKindRef[]> {
  throw new Error('contract stub: accreditation/views.ts listQualificationKindRefs');
}

/** Qualification kind keys each member holds in date on `onDate` (YYYY-MM-DD, not revoked), for every member or the given ones. */
export async function validQualificationKeysByMember(_db: Executor, _tenantId: string, _onDate: string, _memberIds?: readonly string[]): Promise<Map<string, Set<string>>> {
  throw new Error('contract stub: accreditation/views.ts validQualificationKeysByMember');
}

/** Qualifications (not revoked, not superseded by a renewal) expiring between two dates inclusive, for the coordinator dashboard. */
export async function expiringQualifications(_db: Executor, _tenantId: string, _from: string, _to: string): Promise<Array<{ memberId: string; kindKey: string; title: string; expiresOn: string; reminded: boolean }>> {
  throw new Error('contract stub: accreditation/views.ts expiringQualifications');
}
