import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import { intelCategories, intelReportLinks, intelReportNotes, intelReports, intelSyncStatus, safeguardingConcerns } from './schema.ts';

const ERASES = ['intel_reports', 'intel_report_notes', 'intel_report_links', 'intel_sync_status', 'safeguarding_concerns'] as const;

/**
 * A street champion's part of download-my-data and erasure (SECURITY.md 15–16). Reports stay after
 * erasure, unattributed (they are about areas, not people); the sync status goes; author ids on
 * notes and links are cleared. A safeguarding concern is kept under the safeguarding policy (a child's
 * safety outweighs erasure: UK GDPR art. 17(3)(b)); only the link to the champion is cleared. The
 * download says that concerns they raised are kept and whom to ask, never their words or dates (the
 * champion cannot open a concern after sending it).
 */
export const intelligencePersonalData = {
  order: 40,
  covers: ['intel_reports', 'intel_report_notes', 'intel_report_links', 'intel_sync_status', 'safeguarding_concerns'],
  async exportFor(db: Executor, { subject, t }: ExportContext): Promise<DataSection[]> {
    const { tenantId, id } = subject;
    const [reports, sync, concerns] = await Promise.all([
      db
        .select({ id: intelReports.id, category: intelCategories.key, wardId: intelReports.wardId, observedOn: intelReports.observedOn, status: intelReports.status, observedText: intelReports.observedText, familiesEstimate: intelReports.familiesEstimate, since: intelReports.since, source: intelReports.source, receivedAt: intelReports.receivedAt, textStrippedAt: intelReports.textStrippedAt })
        .from(intelReports)
        .innerJoin(intelCategories, and(eq(intelCategories.tenantId, intelReports.tenantId), eq(intelCategories.id, intelReports.categoryId)))
        .where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.reporterId, id)))
        .orderBy(asc(intelReports.receivedAt)),
      db.select().from(intelSyncStatus).where(and(eq(intelSyncStatus.tenantId, tenantId), eq(intelSyncStatus.memberId, id))),
      db.select({ id: safeguardingConcerns.id }).from(safeguardingConcerns).where(and(eq(safeguardingConcerns.tenantId, tenantId), eq(safeguardingConcerns.reporterId, id))),
    ]);
    const wards = await wardNamesByIds(db, tenantId, [...new Set(reports.map((r) => r.wardId))]);
    const ward = (wid: string) => wards.find((w) => w.id === wid);
    return [
      {
        name: 'intelligenceReports',
        columns: ['category', 'wardCode', 'wardName', 'observedOn', 'status', 'observedText', 'familiesEstimate', 'since', 'source', 'receivedAt', 'textStrippedAt'],
        rows: reports.map((r) => ({ category: r.category, wardCode: ward(r.wardId)?.code ?? null, wardName: ward(r.wardId)?.name ?? null, observedOn: r.observedOn, status: r.status, observedText: r.observedText, familiesEstimate: r.familiesEstimate, since: r.since, source: r.source, receivedAt: iso(r.receivedAt), textStrippedAt: iso(r.textStrippedAt) })),
      },
      { name: 'intelligenceSync', columns: ['lastSyncAt', 'waitingCount', 'refusedCount'], rows: sync.map((s) => ({ lastSyncAt: iso(s.lastSyncAt), waitingCount: s.waitingCount, refusedCount: s.refusedCount })) },
      // Never the concern itself (not even its date): only that it is kept, and by whom to ask.
      { name: 'safeguardingConcerns', columns: ['note'], rows: concerns.length ? [{ note: t('intel.field.data.concernsKept', { n: concerns.length }) }] : [] },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, { tenantId, id }: DataSubject): Promise<readonly string[]> {
    await tx.update(intelReports).set({ reporterId: null }).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.reporterId, id)));
    await tx.update(intelReportNotes).set({ authorId: null }).where(and(eq(intelReportNotes.tenantId, tenantId), eq(intelReportNotes.authorId, id)));
    await tx.update(intelReportLinks).set({ createdBy: null }).where(and(eq(intelReportLinks.tenantId, tenantId), eq(intelReportLinks.createdBy, id)));
    await tx.delete(intelSyncStatus).where(and(eq(intelSyncStatus.tenantId, tenantId), eq(intelSyncStatus.memberId, id)));
    await tx.update(safeguardingConcerns).set({ reporterId: null }).where(and(eq(safeguardingConcerns.tenantId, tenantId), eq(safeguardingConcerns.reporterId, id)));
    await tx.update(safeguardingConcerns).set({ handledBy: null }).where(and(eq(safeguardingConcerns.tenantId, tenantId), eq(safeguardingConcerns.handledBy, id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
