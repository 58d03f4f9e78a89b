import type { Db } from '../../db/connection.ts';

/**
 * The audit's findings, for proposals in commissioning to cite (issue 13).
 * CONTRACT STUB (issue 11 base): res-answers replaces the body, keeping the signature.
 */
export interface AuditFinding {
  /** Stable id: `${kind}:${serviceId}` (duplication: the lower service id of the pair first). */
  id: string;
  kind: 'duplication' | 'marginal';
  serviceIds: string[];
  /** One line in English, e.g. "Stay and play (Home-Start) duplicates Stay and play (Lodge Park CC)". */
  label: string;
  href: string;
}

export async function auditFindings(_db: Db, _tenantId: string, _period?: { start: string; end: string }): Promise<AuditFinding[]> {
  return [];
}
