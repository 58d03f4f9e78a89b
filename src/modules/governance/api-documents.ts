import { and, eq } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/connection.ts';
import { isUuid } from '../../lib/ids.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import { govDocuments, govDocumentVersions, type DocumentKind } from './schema.ts';

/**
 * Documents as the rest of governance (motions) and other modules see them.
 */

/**
 * Mark a draft version adopted by a carried motion (in the motion's transaction): the earlier
 * adopted version of the document becomes superseded. Refuses a version that is not a draft.
 */
export async function adoptVersion(tx: Tx, tenantId: string, versionId: string, by: { motionId: string; adoptedOn: string }): Promise<void> {
  if (!isUuid(versionId)) throw new AppError('not_found', 'That version was not found.', [], 'gov.core.error.versionNotFound');
  const [v] = await tx.select().from(govDocumentVersions).where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.id, versionId))).for('update');
  if (!v) throw new AppError('not_found', 'That version was not found.', [], 'gov.core.error.versionNotFound');
  if (v.status !== 'draft') throw new AppError('conflict', 'Only a draft version can be adopted.', [], 'gov.core.error.notDraft');
  // Lock the document so two adoptions of its versions serialise.
  await tx.select({ id: govDocuments.id }).from(govDocuments).where(and(eq(govDocuments.tenantId, tenantId), eq(govDocuments.id, v.documentId))).for('update');
  await tx
    .update(govDocumentVersions)
    .set({ status: 'superseded' })
    .where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.documentId, v.documentId), eq(govDocumentVersions.status, 'adopted')));
  await tx
    .update(govDocumentVersions)
    .set({ status: 'adopted', adoptedOn: by.adoptedOn, adoptedByMotionId: by.motionId })
    .where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.id, versionId)));
  await appendAudit(tx, { tenantId, actor: 'system:governance', action: 'governance.version.adopt', entity: 'gov_document_version', entityId: versionId, data: { motionId: by.motionId, adoptedOn: by.adoptedOn } });
}

export interface VersionCard {
  id: string;
  documentId: string;
  kind: DocumentKind;
  title: string;
  version: number;
  status: 'draft' | 'adopted' | 'superseded';
  href: string;
}

/** One version (for a motion's "refers to" label), or null when not this tenant's. */
export async function versionCard(db: Executor, tenantId: string, versionId: string): Promise<VersionCard | null> {
  if (!isUuid(versionId)) return null;
  const [row] = await db
    .select({ id: govDocumentVersions.id, documentId: govDocumentVersions.documentId, kind: govDocuments.kind, title: govDocuments.title, slug: govDocuments.slug, version: govDocumentVersions.version, status: govDocumentVersions.status })
    .from(govDocumentVersions)
    .innerJoin(govDocuments, and(eq(govDocuments.tenantId, govDocumentVersions.tenantId), eq(govDocuments.id, govDocumentVersions.documentId)))
    .where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.id, versionId)));
  if (!row) return null;
  return { id: row.id, documentId: row.documentId, kind: row.kind, title: row.title, version: row.version, status: row.status, href: `/governance/documents/${row.slug}/versions/${row.version}` };
}
