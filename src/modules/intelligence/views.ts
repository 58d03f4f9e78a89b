import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/service.ts';
import { intelReportLinks, intelReports } from './schema.ts';

/**
 * Read models and the one write other modules use (intel-needs, campaigns and budget proposals
 * later): where reports led. Links are generic: `kind` ('action', 'campaign', 'proposal', …) and
 * `targetId` (the other module's record id, no foreign key).
 */

export interface ReportLink {
  id: string;
  reportId: string;
  kind: string;
  targetId: string | null;
  label: string;
  url: string | null;
  createdAt: Date;
}

const linkColumns = {
  id: intelReportLinks.id,
  reportId: intelReportLinks.reportId,
  kind: intelReportLinks.kind,
  targetId: intelReportLinks.targetId,
  label: intelReportLinks.label,
  url: intelReportLinks.url,
  createdAt: intelReportLinks.createdAt,
};

/** The links of a kind to one target (e.g. every report behind proposal X), oldest first. */
export async function reportLinksFor(db: Executor, tenantId: string, kind: string, targetId: string): Promise<ReportLink[]> {
  return db.select(linkColumns).from(intelReportLinks).where(and(eq(intelReportLinks.tenantId, tenantId), eq(intelReportLinks.kind, kind), eq(intelReportLinks.targetId, targetId))).orderBy(asc(intelReportLinks.createdAt));
}

/**
 * Link a report to something it led to, in the caller's transaction, with its audit row. The
 * calling module checks its own permission; an unknown report (or another tenant's) is refused.
 */
export async function linkReport(
  tx: Executor,
  link: { tenantId: string; reportId: string; kind: string; targetId: string | null; label: string; url: string | null; createdBy: string | null; now?: Date },
): Promise<string> {
  if (!/^[a-z][a-z0-9_-]{0,39}$/.test(link.kind)) throw new Error(`bad link kind ${link.kind}`);
  const [report] = await tx.select({ id: intelReports.id }).from(intelReports).where(and(eq(intelReports.tenantId, link.tenantId), eq(intelReports.id, link.reportId)));
  if (!report) throw new Error('linkReport: no such report in this tenant');
  const id = newId();
  await tx.insert(intelReportLinks).values({ tenantId: link.tenantId, id, reportId: link.reportId, kind: link.kind, targetId: link.targetId, label: link.label, url: link.url, createdBy: link.createdBy, createdAt: link.now ?? new Date() });
  await appendAudit(tx, { tenantId: link.tenantId, actor: link.createdBy ?? 'system', action: 'intel.report.linked', entity: 'intel_report', entityId: link.reportId, data: { kind: link.kind, link: id } });
  return id;
}
