import { z } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, gte, isNull, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { activeMembersWithRole, memberCards } from '../membership/views.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import { parseOrThrow } from './filing.ts';
import { categoryById, listCategories } from './queries.ts';
import { intelCategories, intelReportLinks, intelReportNotes, intelReports, intelSettings, intelSyncStatus, REPORT_STATUSES, type IntelReport, type ReportStatus } from './schema.ts';
import { linkReport } from './views.ts';

/** Coordinators' triage (issue 10 item 5): inbox, statuses, notes, merging, links, settings, taxonomy. */

export const PAGE_SIZE = 25;
export const NOTE_MAX = 2000;

export const InboxQuery = z.object({
  status: z.enum(REPORT_STATUSES, 'intel.field.error.status').optional(),
  category: z.string().trim().max(60).optional(),
  ward: z.string().trim().max(40).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'intel.field.error.date').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'intel.field.error.date').optional(),
  merged: z.literal('1').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type InboxQuery = z.output<typeof InboxQuery>;

export interface InboxRow {
  id: string;
  observedOn: string;
  receivedAt: Date;
  status: ReportStatus;
  categoryId: string;
  wardId: string;
  familiesEstimate: number;
  mergedInto: string | null;
  isDemo: boolean;
  excerpt: string | null;
}

/** The inbox, newest first; merged duplicates hidden unless asked for. */
export async function listInbox(db: Db, actor: Actor | undefined, tenantId: string, q: InboxQuery & { categoryId?: string | undefined; wardId?: string | undefined }): Promise<{ rows: InboxRow[]; total: number }> {
  requirePermission(actor, 'intel.triage');
  const where: SQL[] = [eq(intelReports.tenantId, tenantId)];
  if (q.status) where.push(eq(intelReports.status, q.status));
  if (q.categoryId) where.push(eq(intelReports.categoryId, q.categoryId));
  if (q.wardId) where.push(eq(intelReports.wardId, q.wardId));
  if (q.from) where.push(gte(intelReports.observedOn, q.from));
  if (q.to) where.push(lte(intelReports.observedOn, q.to));
  if (!q.merged) where.push(isNull(intelReports.mergedInto));
  const cond = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: intelReports.id,
        observedOn: intelReports.observedOn,
        receivedAt: intelReports.receivedAt,
        status: intelReports.status,
        categoryId: intelReports.categoryId,
        wardId: intelReports.wardId,
        familiesEstimate: intelReports.familiesEstimate,
        mergedInto: intelReports.mergedInto,
        isDemo: intelReports.isDemo,
        excerpt: sql<string | null>`left(${intelReports.observedText}, 140)`,
      })
      .from(intelReports)
      .where(cond)
      .orderBy(desc(intelReports.receivedAt), desc(intelReports.id))
      .limit(PAGE_SIZE)
      .offset((q.page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(intelReports).where(cond),
  ]);
  return { rows, total: total?.n ?? 0 };
}

async function reportRow(db: Executor, tenantId: string, id: string): Promise<IntelReport> {
  const [row] = isUuid(id) ? await db.select().from(intelReports).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.id, id))) : [];
  if (!row) throw new AppError('not_found', 'That report was not found.', [], 'intel.field.error.reportNotFound');
  return row;
}

/** A report with what triage shows: category, ward, notes, links, duplicates merged into it, candidates. */
export async function reportDetail(db: Db, actor: Actor | undefined, tenantId: string, id: string) {
  requirePermission(actor, 'intel.triage');
  const report = await reportRow(db, tenantId, id);
  const [category, notes, links, mergedHere, candidates] = await Promise.all([
    categoryById(db, tenantId, report.categoryId),
    db.select().from(intelReportNotes).where(and(eq(intelReportNotes.tenantId, tenantId), eq(intelReportNotes.reportId, id))).orderBy(asc(intelReportNotes.createdAt)),
    db.select().from(intelReportLinks).where(and(eq(intelReportLinks.tenantId, tenantId), eq(intelReportLinks.reportId, id))).orderBy(asc(intelReportLinks.createdAt)),
    db.select({ id: intelReports.id, observedOn: intelReports.observedOn }).from(intelReports).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.mergedInto, id))).orderBy(asc(intelReports.observedOn)),
    // Possible duplicates: same ward and category, within 60 days, not merged themselves.
    report.mergedInto
      ? Promise.resolve([])
      : db
          .select({ id: intelReports.id, observedOn: intelReports.observedOn, excerpt: sql<string | null>`left(${intelReports.observedText}, 100)`, isDemo: intelReports.isDemo })
          .from(intelReports)
          .where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.wardId, report.wardId), eq(intelReports.categoryId, report.categoryId), ne(intelReports.id, id), isNull(intelReports.mergedInto), sql`abs(${intelReports.observedOn} - ${report.observedOn}::date) <= 60`))
          .orderBy(asc(intelReports.observedOn))
          .limit(20),
  ]);
  const [ward] = await wardNamesByIds(db, tenantId, [report.wardId]);
  const authors = await memberCards(db, tenantId, [...new Set([report.reporterId, ...notes.map((n) => n.authorId)].filter((x): x is string => !!x))]);
  const linkCounts = new Map<string, number>();
  for (const l of links) linkCounts.set(l.kind, (linkCounts.get(l.kind) ?? 0) + 1);
  return { report, category, ward, notes, links, linkCounts, mergedHere, candidates, authors };
}

export async function setStatus(db: Db, actor: Actor | undefined, tenantId: string, id: string, status: unknown, now: Date): Promise<void> {
  requirePermission(actor, 'intel.triage');
  await reportRow(db, tenantId, id);
  const parsed = z.enum(REPORT_STATUSES).safeParse(status);
  if (!parsed.success) throw new AppError('validation_failed', 'status: choose a status', [{ field: 'status', message: 'intel.field.error.status' }]);
  await db.transaction(async (tx) => {
    const report = await reportRow(tx, tenantId, id);
    if (report.status === parsed.data) return;
    await tx.update(intelReports).set({ status: parsed.data, updatedAt: now }).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.id, id)));
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'intel.report.status', entity: 'intel_report', entityId: id, data: { from: report.status, to: parsed.data } });
  });
}

export async function addNote(db: Db, actor: Actor | undefined, tenantId: string, id: string, body: string, now: Date): Promise<string> {
  requirePermission(actor, 'intel.triage');
  await reportRow(db, tenantId, id);
  const text = body.replace(/\r\n?/g, '\n').trim();
  if (!text) throw new AppError('validation_failed', 'body: write the note', [{ field: 'body', message: 'intel.field.error.noteMissing' }]);
  if (text.length > NOTE_MAX) throw new AppError('validation_failed', 'body: too long', [{ field: 'body', message: 'intel.field.error.noteLong' }]);
  return db.transaction(async (tx) => {
    const report = await reportRow(tx, tenantId, id);
    // Notes on a report whose text was stripped are stripped too: nothing new is kept past retention.
    if (report.textStrippedAt) throw new AppError('conflict', 'This report is past its retention period.', [{ field: 'body', message: 'intel.field.error.stripped' }], 'intel.field.error.stripped');
    const noteId = newId();
    await tx.insert(intelReportNotes).values({ tenantId, id: noteId, reportId: id, authorId: actor.memberId, body: text, createdAt: now });
    await tx.update(intelReports).set({ updatedAt: now }).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.id, id)));
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'intel.report.note', entity: 'intel_report', entityId: id, data: { note: noteId } });
    return noteId;
  });
}

/**
 * Merge a duplicate into a survivor: the duplicate points at it (and so do reports merged into the
 * duplicate before), so the picture counts the observation once, as the survivor.
 */
export async function mergeReport(db: Db, actor: Actor | undefined, tenantId: string, duplicateId: string, survivorId: string, now: Date): Promise<void> {
  requirePermission(actor, 'intel.triage');
  await reportRow(db, tenantId, duplicateId);
  if (!survivorId) throw new AppError('validation_failed', 'survivor: choose a report', [{ field: 'survivor', message: 'intel.field.error.mergeTarget' }]);
  if (duplicateId === survivorId) throw new AppError('validation_failed', 'survivor: choose another report', [{ field: 'survivor', message: 'intel.field.error.mergeSelf' }]);
  await db.transaction(async (tx) => {
    const dup = await reportRow(tx, tenantId, duplicateId);
    if (!isUuid(survivorId)) throw new AppError('validation_failed', 'survivor: choose a report', [{ field: 'survivor', message: 'intel.field.error.mergeTarget' }]);
    const [survivor] = await tx.select().from(intelReports).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.id, survivorId))).for('update');
    if (!survivor || survivor.mergedInto) throw new AppError('validation_failed', 'survivor: choose a report that is not merged', [{ field: 'survivor', message: 'intel.field.error.mergeTarget' }]);
    if (dup.mergedInto) throw new AppError('conflict', 'This report is already merged.', [{ field: 'survivor', message: 'intel.field.error.merged' }], 'intel.field.error.merged');
    await tx.update(intelReports).set({ mergedInto: survivorId, updatedAt: now }).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.mergedInto, duplicateId)));
    await tx.update(intelReports).set({ mergedInto: survivorId, updatedAt: now }).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.id, duplicateId)));
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'intel.report.merged', entity: 'intel_report', entityId: duplicateId, data: { into: survivorId } });
  });
}

const ActionLink = z.object({
  label: z.string().trim().min(1, 'intel.field.error.linkLabel').max(200, 'intel.field.error.linkLabel'),
  url: z
    .string()
    .trim()
    .max(500, 'intel.field.error.linkUrl')
    .refine((u) => u === '' || /^https?:\/\/[^\s]+$/i.test(u), 'intel.field.error.linkUrl')
    .optional(),
});

/** A coordinator links a report to an action (free text and an optional web address). */
export async function addActionLink(db: Db, actor: Actor | undefined, tenantId: string, reportId: string, input: unknown, now: Date): Promise<string> {
  requirePermission(actor, 'intel.triage');
  await reportRow(db, tenantId, reportId);
  const data = parseOrThrow(ActionLink, input);
  return db.transaction(async (tx) => {
    await reportRow(tx, tenantId, reportId);
    return linkReport(tx, { tenantId, reportId, kind: 'action', targetId: null, label: data.label, url: data.url || null, createdBy: actor.memberId, now });
  });
}

/**
 * Retention (issue 10 item 5): strip the free text of reports received more than the tenant's
 * retention months before `now` (and their notes' bodies), keeping every count. Idempotent.
 */
export async function stripOldText(db: Executor, now: Date, opts: { tenantId?: string } = {}): Promise<number> {
  const tenant = opts.tenantId ? sql`AND r.tenant_id = ${opts.tenantId}` : sql``;
  const stripped = await db.execute(sql`
    UPDATE ${intelReports} r SET observed_text = NULL, text_stripped_at = ${now}
    WHERE r.text_stripped_at IS NULL
      AND r.received_at < ${now}::timestamptz - make_interval(months => coalesce((SELECT s.text_retention_months FROM ${intelSettings} s WHERE s.tenant_id = r.tenant_id), 24))
      ${tenant}
    RETURNING r.id`);
  await db.execute(sql`
    UPDATE ${intelReportNotes} n SET body = ''
    FROM ${intelReports} r
    WHERE r.tenant_id = n.tenant_id AND r.id = n.report_id AND r.text_stripped_at IS NOT NULL AND n.body <> ''
      ${tenant}`);
  const rows = (stripped as unknown as { rows?: unknown[] }).rows ?? (stripped as unknown as unknown[]);
  return Array.isArray(rows) ? rows.length : 0;
}

/** What a champion's phone says after a sync: the server's clock is the time kept. */
export async function recordSync(db: Db, actor: Actor | undefined, counts: { waiting: number; refused: number }, now: Date): Promise<void> {
  requirePermission(actor, 'intel.file');
  await db
    .insert(intelSyncStatus)
    .values({ tenantId: actor.tenantId, memberId: actor.memberId, lastSyncAt: now, waitingCount: counts.waiting, refusedCount: counts.refused })
    .onConflictDoUpdate({ target: [intelSyncStatus.tenantId, intelSyncStatus.memberId], set: { lastSyncAt: now, waitingCount: counts.waiting, refusedCount: counts.refused } });
}

/** Per street champion: when their phone last synced and what it had waiting (never synced: null). */
export async function phoneStatuses(db: Db, actor: Actor | undefined, tenantId: string) {
  requirePermission(actor, 'intel.triage');
  const [champions, statuses] = await Promise.all([activeMembersWithRole(db, tenantId, 'street_champion'), db.select().from(intelSyncStatus).where(eq(intelSyncStatus.tenantId, tenantId))]);
  const ids = new Set(champions.map((c) => c.id));
  const others = await memberCards(db, tenantId, statuses.filter((s) => !ids.has(s.memberId)).map((s) => s.memberId));
  return [...champions, ...others]
    .map((m) => ({ member: m, status: statuses.find((s) => s.memberId === m.id) ?? null }))
    .sort((a, b) => (a.status?.lastSyncAt.getTime() ?? 0) - (b.status?.lastSyncAt.getTime() ?? 0) || a.member.memberNumber - b.member.memberNumber);
}

export const SettingsForm = z.object({
  frontDoorName: z.string().trim().max(200, 'intel.field.error.frontDoorName'),
  frontDoorPhone: z.string().trim().max(40, 'intel.field.error.frontDoorPhone').regex(/^[0-9+() -]*$/, 'intel.field.error.frontDoorPhone'),
  textRetentionMonths: z.coerce.number('intel.field.error.retention').int('intel.field.error.retention').min(1, 'intel.field.error.retention').max(120, 'intel.field.error.retention'),
});

export async function saveSettings(db: Db, actor: Actor | undefined, tenantId: string, input: unknown, now: Date): Promise<void> {
  requirePermission(actor, 'intel.manage');
  const data = parseOrThrow(SettingsForm, input);
  await db.transaction(async (tx) => {
    await tx
      .insert(intelSettings)
      .values({ tenantId, ...data, updatedAt: now })
      .onConflictDoUpdate({ target: intelSettings.tenantId, set: { ...data, updatedAt: now } });
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'intel.settings.saved', entity: 'intel_settings', entityId: tenantId, data: { textRetentionMonths: data.textRetentionMonths, frontDoorSet: data.frontDoorPhone !== '' } });
  });
}

export const CategoryForm = z.object({
  key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'intel.field.error.categoryKey').optional(),
  title: z.string().trim().min(1, 'intel.field.error.categoryTitle').max(80, 'intel.field.error.categoryTitle'),
  titlePl: z.string().trim().max(80, 'intel.field.error.categoryTitle').optional(),
  description: z.string().trim().max(300, 'intel.field.error.categoryDescription').optional(),
  descriptionPl: z.string().trim().max(300, 'intel.field.error.categoryDescription').optional(),
  active: z.boolean().optional(),
});

/** Add a category (key new to the tenant) or edit one (by id); deactivating hides it from the form, keeps its reports. */
export async function saveCategory(db: Db, actor: Actor | undefined, tenantId: string, id: string | null, input: unknown): Promise<string> {
  requirePermission(actor, 'intel.manage');
  if (id !== null && !(isUuid(id) && (await categoryById(db, tenantId, id)))) throw new AppError('not_found', 'That category was not found.', [], 'intel.field.error.categoryNotFound');
  const data = parseOrThrow(CategoryForm, input);
  return db.transaction(async (tx) => {
    const values = { title: data.title, titlePl: data.titlePl || null, description: data.description ?? '', descriptionPl: data.descriptionPl || null };
    if (id === null) {
      if (!data.key) throw new AppError('validation_failed', 'key: give a key', [{ field: 'key', message: 'intel.field.error.categoryKey' }]);
      const existing = await listCategories(tx, tenantId);
      if (existing.some((c) => c.key === data.key)) throw new AppError('validation_failed', 'key: already used', [{ field: 'key', message: 'intel.field.error.categoryKeyUsed' }]);
      const newIdValue = newId();
      const sortOrder = Math.max(0, ...existing.map((c) => c.sortOrder)) + 10;
      await tx.insert(intelCategories).values({ tenantId, id: newIdValue, key: data.key, ...values, active: true, sortOrder });
      await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'intel.category.added', entity: 'intel_category', entityId: newIdValue, data: { key: data.key } });
      return newIdValue;
    }
    const current = isUuid(id) ? await categoryById(tx, tenantId, id) : undefined;
    if (!current) throw new AppError('not_found', 'That category was not found.', [], 'intel.field.error.categoryNotFound');
    const active = data.active ?? current.active;
    await tx.update(intelCategories).set({ ...values, active }).where(and(eq(intelCategories.tenantId, tenantId), eq(intelCategories.id, id)));
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'intel.category.saved', entity: 'intel_category', entityId: id, data: { key: current.key, active } });
    return id;
  });
}

