import type { Db } from '../../db/connection.ts';
import { defaultPeriod, type Period } from './answers-period.ts';
import { answerServices, reachByService, serviceSchedules, serviceWards, spendByService, thresholdsOf } from './answers-queries.ts';
import { duplicationPairs, marginalCandidates } from './answers.ts';

/**
 * The audit's findings, for proposals in commissioning to cite (issue 13): the duplication
 * candidates (any time: schedules and wards do not depend on a period) and the marginal-impact
 * candidates of the period (default: the last full financial year), as on the answer pages.
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

export async function auditFindings(db: Db, tenantId: string, period?: { start: string; end: string }, opts: { now?: Date } = {}): Promise<AuditFinding[]> {
  const p: Period = period ? { key: '', ...period } : defaultPeriod(opts.now ?? new Date());
  const [services, wards, slots, spend, reach, th] = await Promise.all([answerServices(db, tenantId), serviceWards(db, tenantId), serviceSchedules(db, tenantId), spendByService(db, tenantId, p), reachByService(db, tenantId, p), thresholdsOf(db, tenantId)]);
  const q = p.key ? `?period=${p.key}` : '';
  const dup: AuditFinding[] = duplicationPairs(services, wards, slots).map((d) => ({
    id: `duplication:${d.a.id}:${d.b.id}`,
    kind: 'duplication',
    serviceIds: [d.a.id, d.b.id],
    label: `${d.a.name} (${d.a.providerName}) duplicates ${d.b.name} (${d.b.providerName})`,
    href: `/resources/answers/duplication${q}`,
  }));
  const marg: AuditFinding[] = marginalCandidates(services, spend, reach, th).map((m) => ({
    id: `marginal:${m.service.id}`,
    kind: 'marginal',
    serviceIds: [m.service.id],
    label: `${m.service.name} (${m.service.providerName}): ${(Math.round(m.per1000 * 10) / 10).toFixed(1)} families per £1,000, evidence ${m.service.evidence}`,
    href: `/resources/answers/marginal${q}`,
  }));
  return [...dup, ...marg];
}
