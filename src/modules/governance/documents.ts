import { and, asc, desc, eq, lte, max, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import { isCalendarDate, isoDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { recordDecision } from './api-decisions.ts';
import { adoptVersion } from './api-documents.ts';
import { DOCUMENT_KINDS, govDocuments, govDocumentVersions, govMeetings, govMotions, type DocumentKind } from './schema.ts';

export type GovDocument = typeof govDocuments.$inferSelect;
export type GovVersion = typeof govDocumentVersions.$inferSelect;

/** The standard documents every tenant starts with (empty: no version yet). */
export const STANDARD_DOCUMENTS: ReadonlyArray<{ kind: DocumentKind; slug: string; title: string; titlePl: string }> = [
  { kind: 'rules', slug: 'rules', title: 'Rules of the society', titlePl: 'Statut stowarzyszenia' },
  { kind: 'safeguarding', slug: 'safeguarding-policy', title: 'Safeguarding policy', titlePl: 'Polityka ochrony dzieci i dorosłych' },
  { kind: 'data_protection', slug: 'data-protection-policy', title: 'Data protection policy', titlePl: 'Polityka ochrony danych' },
  { kind: 'conflicts_of_interest', slug: 'conflicts-of-interest-policy', title: 'Conflicts of interest policy', titlePl: 'Polityka konfliktu interesów' },
  { kind: 'complaints', slug: 'complaints-policy', title: 'Complaints policy', titlePl: 'Polityka skarg' },
  { kind: 'volunteer', slug: 'volunteer-policy', title: 'Volunteer policy', titlePl: 'Polityka wolontariatu' },
];

export async function seedDocuments(tx: Executor, tenantId: string): Promise<void> {
  for (const d of STANDARD_DOCUMENTS) {
    await tx.insert(govDocuments).values({ tenantId, id: newId(), ...d }).onConflictDoNothing();
  }
}

export async function listDocuments(db: Executor, tenantId: string): Promise<Array<GovDocument & { current: GovVersion | null; drafts: number }>> {
  const docs = await db.select().from(govDocuments).where(eq(govDocuments.tenantId, tenantId)).orderBy(asc(govDocuments.createdAt), asc(govDocuments.slug));
  const versions = await db.select().from(govDocumentVersions).where(eq(govDocumentVersions.tenantId, tenantId)).orderBy(desc(govDocumentVersions.version));
  return docs.map((d) => {
    const mine = versions.filter((v) => v.documentId === d.id);
    return { ...d, current: mine.find((v) => v.status === 'adopted') ?? null, drafts: mine.filter((v) => v.status === 'draft').length };
  });
}

export async function documentBySlug(db: Executor, tenantId: string, slug: string): Promise<GovDocument | undefined> {
  const [row] = await db.select().from(govDocuments).where(and(eq(govDocuments.tenantId, tenantId), eq(govDocuments.slug, slug)));
  return row;
}

export async function versionsOf(db: Executor, tenantId: string, documentId: string): Promise<GovVersion[]> {
  return db.select().from(govDocumentVersions).where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.documentId, documentId))).orderBy(asc(govDocumentVersions.version));
}

export async function findVersion(db: Executor, tenantId: string, versionId: string): Promise<GovVersion | undefined> {
  if (!isUuid(versionId)) return undefined;
  const [row] = await db.select().from(govDocumentVersions).where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.id, versionId)));
  return row;
}

/** Kinds with a version adopted on or before `on` (current or since superseded): S2 and the overview. */
export async function adoptedKinds(db: Executor, tenantId: string, on?: string): Promise<Map<DocumentKind, { slug: string; adoptedOn: string }>> {
  const rows = await db
    .select({ kind: govDocuments.kind, slug: govDocuments.slug, adoptedOn: govDocumentVersions.adoptedOn })
    .from(govDocumentVersions)
    .innerJoin(govDocuments, and(eq(govDocuments.tenantId, govDocumentVersions.tenantId), eq(govDocuments.id, govDocumentVersions.documentId)))
    .where(and(eq(govDocumentVersions.tenantId, tenantId), ne(govDocumentVersions.status, 'draft'), on ? lte(govDocumentVersions.adoptedOn, on) : undefined))
    .orderBy(asc(govDocumentVersions.adoptedOn));
  return new Map(rows.map((r) => [r.kind, { slug: r.slug, adoptedOn: r.adoptedOn! }]));
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const DocumentInput = z.object({
  kind: z.enum(DOCUMENT_KINDS, { message: 'gov.core.error.kind' }),
  slug: z.string().trim().toLowerCase().min(1, 'gov.core.error.slug').max(80, 'gov.core.error.slug').regex(SLUG, 'gov.core.error.slug'),
  title: z.string().trim().min(1, 'gov.core.error.required').max(200, 'gov.core.error.tooLong'),
  titlePl: z
    .string()
    .trim()
    .max(200, 'gov.core.error.tooLong')
    .optional()
    .transform((v) => (v ? v : null)),
});
export type DocumentInput = z.input<typeof DocumentInput>;

export async function createDocument(db: Db, actor: Actor, input: DocumentInput, opts: { isDemo?: boolean } = {}): Promise<GovDocument> {
  requirePermission(actor, 'governance.manage');
  const parsed = DocumentInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the document.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    if (await documentBySlug(tx, actor.tenantId, parsed.data.slug)) throw new AppError('validation_failed', 'That address is taken.', [{ field: 'slug', message: 'gov.core.error.slugTaken' }], 'gov.core.error.fix');
    const [row] = await tx.insert(govDocuments).values({ tenantId: actor.tenantId, id: newId(), ...parsed.data, isDemo: opts.isDemo ?? false }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.document.create', entity: 'gov_document', entityId: row!.id, data: { kind: row!.kind } });
    return row!;
  });
}

export const DraftInput = z.object({
  body: z.string().trim().min(1, 'gov.core.error.body').max(200_000, 'gov.core.error.tooLong'),
  bodyPl: z
    .string()
    .trim()
    .max(200_000, 'gov.core.error.tooLong')
    .optional()
    .transform((v) => (v ? v : null)),
});
export type DraftInput = z.input<typeof DraftInput>;

/** Start a new draft version of a document (numbered after the last one). */
export async function createDraft(db: Db, actor: Actor, documentId: string, input: DraftInput): Promise<GovVersion> {
  requirePermission(actor, 'governance.manage');
  const parsed = DraftInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the text.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const [doc] = await tx.select().from(govDocuments).where(and(eq(govDocuments.tenantId, actor.tenantId), eq(govDocuments.id, documentId))).for('update');
    if (!doc) throw new AppError('not_found', 'That document was not found.', [], 'gov.core.error.documentNotFound');
    const [last] = await tx.select({ n: max(govDocumentVersions.version) }).from(govDocumentVersions).where(and(eq(govDocumentVersions.tenantId, actor.tenantId), eq(govDocumentVersions.documentId, documentId)));
    const [row] = await tx
      .insert(govDocumentVersions)
      .values({ tenantId: actor.tenantId, id: newId(), documentId, version: (last?.n ?? 0) + 1, ...parsed.data, status: 'draft', createdBy: actor.memberId })
      .returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.version.draft', entity: 'gov_document_version', entityId: row!.id, data: { documentId, version: row!.version } });
    return row!;
  });
}

/** Edit a draft. Adopted and superseded versions never change: a change is a new version. */
export async function editDraft(db: Db, actor: Actor, versionId: string, input: DraftInput): Promise<GovVersion> {
  requirePermission(actor, 'governance.manage');
  const parsed = DraftInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the text.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const [v] = await tx.select().from(govDocumentVersions).where(and(eq(govDocumentVersions.tenantId, actor.tenantId), eq(govDocumentVersions.id, versionId))).for('update');
    if (!v) throw new AppError('not_found', 'That version was not found.', [], 'gov.core.error.versionNotFound');
    if (v.status !== 'draft') throw new AppError('conflict', 'An adopted version cannot be edited; start a new draft.', [], 'gov.core.error.notDraft');
    const [row] = await tx.update(govDocumentVersions).set(parsed.data).where(and(eq(govDocumentVersions.tenantId, actor.tenantId), eq(govDocumentVersions.id, versionId))).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.version.edit', entity: 'gov_document_version', entityId: versionId, data: { version: v.version } });
    return row!;
  });
}

export const InitialAdoptionInput = z.object({
  adoptedOn: z.string().refine(isCalendarDate, 'gov.core.error.date'),
  /** The resolution as written on paper, e.g. "Resolution 1 of the founding meeting". */
  reference: z.string().trim().min(1, 'gov.core.error.reference').max(300, 'gov.core.error.tooLong'),
});
export type InitialAdoptionInput = z.input<typeof InitialAdoptionInput>;

/**
 * Record the adoption of a version decided on paper (the initial constitution): a held founding
 * meeting on that date, a closed carried motion for the resolution, the decisions register entry
 * (through gov-motions' `recordDecision`, when built) and the version adopted by that motion.
 */
export async function recordPaperAdoption(db: Db, actor: Actor, versionId: string, input: InitialAdoptionInput, opts: { isDemo?: boolean; now?: Date } = {}): Promise<{ motionId: string }> {
  requirePermission(actor, 'governance.manage');
  const parsed = InitialAdoptionInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the adoption.', fieldIssues(parsed.error), 'gov.core.error.fix');
  const { adoptedOn, reference } = parsed.data;
  if (adoptedOn > isoDate(opts.now ?? new Date())) throw new AppError('validation_failed', 'The date cannot be in the future.', [{ field: 'adoptedOn', message: 'gov.core.error.future' }], 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const v = await findVersion(tx, actor.tenantId, versionId);
    if (!v) throw new AppError('not_found', 'That version was not found.', [], 'gov.core.error.versionNotFound');
    if (v.status !== 'draft') throw new AppError('conflict', 'Only a draft can be adopted.', [], 'gov.core.error.notDraft');
    const [doc] = await tx.select().from(govDocuments).where(and(eq(govDocuments.tenantId, actor.tenantId), eq(govDocuments.id, v.documentId)));
    const isDemo = opts.isDemo ?? false;
    const meetingId = newId();
    const at = new Date(`${adoptedOn}T18:00:00Z`);
    await tx.insert(govMeetings).values({ tenantId: actor.tenantId, id: meetingId, kind: 'general', title: `Meeting that adopted ${doc!.title} (recorded from paper)`, titlePl: doc!.titlePl ? `Zebranie, które przyjęło: ${doc!.titlePl} (zapis z dokumentów papierowych)` : null, startsAt: at, endsAt: new Date(at.getTime() + 3_600_000), status: 'held', calledAt: at, createdBy: actor.memberId, isDemo });
    const motionId = newId();
    await tx.insert(govMotions).values({
      tenantId: actor.tenantId,
      id: motionId,
      meetingId,
      title: reference,
      body: `That the ${doc!.title} (version ${v.version}) be adopted.`,
      kind: doc!.kind === 'rules' ? 'special' : 'ordinary',
      thresholdPct: doc!.kind === 'rules' ? 75 : 50,
      voting: 'in_meeting',
      electorate: 'members',
      refersKind: 'policy_version',
      refersId: v.id,
      refersLabel: `${doc!.title}, version ${v.version}`,
      refersHref: `/governance/documents/${doc!.slug}/versions/${v.version}`,
      status: 'closed',
      outcome: 'carried',
      decidedAt: at,
      recordedBy: actor.memberId,
      isDemo,
    });
    await adoptVersion(tx as unknown as Tx, actor.tenantId, v.id, { motionId, adoptedOn });
    await recordDecisionIfBuilt(tx as unknown as Tx, actor.tenantId, {
      decidedOn: adoptedOn,
      kind: 'policy_adoption',
      title: reference,
      summary: `${doc!.title}, version ${v.version}, adopted (recorded from the paper minutes).`,
      meetingId,
      motionId,
      outcome: 'carried',
      rule: 'recorded from paper',
      refs: [{ kind: 'policy_version', id: v.id, label: `${doc!.title}, version ${v.version}`, href: `/governance/documents/${doc!.slug}/versions/${v.version}` }],
      isDemo,
    });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.version.adopt_paper', entity: 'gov_document_version', entityId: v.id, data: { motionId, adoptedOn } });
    return { motionId };
  });
}

/** The decisions register is gov-motions'; until its `recordDecision` is built, the motion row stands as the reference. */
async function recordDecisionIfBuilt(tx: Tx, tenantId: string, input: Parameters<typeof recordDecision>[2]): Promise<void> {
  try {
    await tx.transaction((sp) => recordDecision(sp as unknown as Tx, tenantId, input));
  } catch (err) {
    if (err instanceof Error && /not built yet/.test(err.message)) return;
    throw err;
  }
}

/** Count of versions per status (tests, overview). */
export async function versionCount(db: Executor, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(govDocumentVersions).where(eq(govDocumentVersions.tenantId, tenantId));
  return row?.n ?? 0;
}
