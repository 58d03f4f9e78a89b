import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { newId, isUuid } from '../../lib/ids.ts';
import { allows, requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { personalDetailKinds, type PersonalDetailKind } from '../intelligence/pii.ts';
import type { Actor } from '../membership/policy.ts';
import { providersOfMember, serviceCard } from '../resources/views.ts';
import { applyOp, copyContent, emptyContent, LIMITS, OpError, STANDARD_LANES, type BpOp, type StandardLane } from './model.ts';
import { BLUEPRINT_KINDS, bpBlueprints, bpComments, bpVersions, type Blueprint, type BlueprintKind, type BpComment, type BpContent } from './schema.ts';

const invalid = (field: string, key: string) => new AppError('validation_failed', `Check ${field}.`, [{ field, message: key }], key as MessageKey);

export async function blueprintById(db: Executor, tenantId: string, id: string): Promise<Blueprint | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(bpBlueprints).where(and(eq(bpBlueprints.tenantId, tenantId), eq(bpBlueprints.id, id)));
  return row;
}

export async function listBlueprints(db: Executor, tenantId: string, serviceId?: string): Promise<Blueprint[]> {
  return db
    .select()
    .from(bpBlueprints)
    .where(and(eq(bpBlueprints.tenantId, tenantId), serviceId ? eq(bpBlueprints.serviceId, serviceId) : undefined))
    .orderBy(asc(bpBlueprints.title), asc(bpBlueprints.kind));
}

export async function versionsOf(db: Executor, tenantId: string, blueprintId: string) {
  return db
    .select({ version: bpVersions.version, title: bpVersions.title, change: bpVersions.change, authorId: bpVersions.authorId, createdAt: bpVersions.createdAt })
    .from(bpVersions)
    .where(and(eq(bpVersions.tenantId, tenantId), eq(bpVersions.blueprintId, blueprintId)))
    .orderBy(desc(bpVersions.version));
}

export async function versionOf(db: Executor, tenantId: string, blueprintId: string, version: number) {
  const [row] = await db.select().from(bpVersions).where(and(eq(bpVersions.tenantId, tenantId), eq(bpVersions.blueprintId, blueprintId), eq(bpVersions.version, version)));
  return row;
}

/** Comments of a blueprint (hidden ones only for moderators), oldest first. */
export async function commentsOf(db: Executor, tenantId: string, blueprintId: string, opts: { withHidden: boolean }): Promise<BpComment[]> {
  const rows = await db.select().from(bpComments).where(and(eq(bpComments.tenantId, tenantId), eq(bpComments.blueprintId, blueprintId))).orderBy(asc(bpComments.createdAt), asc(bpComments.id));
  return opts.withHidden ? rows : rows.filter((r) => !r.hiddenAt);
}

/** Visible comments per cell ("stageId|laneId" → count). */
export async function commentCounts(db: Executor, tenantId: string, blueprintId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ stageId: bpComments.stageId, laneId: bpComments.laneId, n: sql<number>`count(*)::int` })
    .from(bpComments)
    .where(and(eq(bpComments.tenantId, tenantId), eq(bpComments.blueprintId, blueprintId), sql`${bpComments.hiddenAt} is null`))
    .groupBy(bpComments.stageId, bpComments.laneId);
  return new Map(rows.map((r) => [`${r.stageId}|${r.laneId}`, Number(r.n)]));
}

/**
 * Whether the actor may edit blueprints of this service: `blueprints.edit`, and a partner who is
 * not also coordinator, admin or board only for services of a provider they are staff of.
 */
export async function mayEdit(db: Db, actor: Actor | undefined, serviceId: string): Promise<boolean> {
  if (!actor || !allows('blueprints.edit', actor.roles)) return false;
  if ((['coordinator', 'admin', 'board'] as const).some((r) => actor.roles.has(r))) return true;
  const service = await serviceCard(db, actor.tenantId, serviceId);
  if (!service) return false;
  return (await providersOfMember(db, actor.tenantId, actor.memberId)).includes(service.providerId);
}

async function requireEdit(db: Db, actor: Actor | undefined, serviceId: string): Promise<Actor> {
  requirePermission(actor, 'blueprints.edit', 'Your role does not allow this.', 'bp.error.forbidden');
  if (!(await mayEdit(db, actor, serviceId))) throw new AppError('forbidden', 'Only staff of this service’s provider may edit its blueprints.', [], 'bp.error.notYourProvider');
  return actor;
}

export interface CreateInput {
  serviceId: string;
  kind: string;
  title: string;
  /** For a future blueprint: start from this current blueprint of the same service (and pair with it). */
  fromId?: string | undefined;
  stages?: string[];
  laneTitles: Record<StandardLane, string>;
  isDemo?: boolean;
}

/** Create a blueprint (version 1), seeded with the five standard lanes or copied from the current one. */
export async function createBlueprint(db: Db, actor: Actor | undefined, input: CreateInput): Promise<string> {
  const tenantId = actor?.tenantId ?? '';
  if (!isUuid(input.serviceId)) throw invalid('serviceId', 'bp.error.service');
  const who = await requireEdit(db, actor, input.serviceId);
  if (!(BLUEPRINT_KINDS as readonly string[]).includes(input.kind)) throw invalid('kind', 'bp.error.kind');
  const title = input.title.replace(/\s+/g, ' ').trim();
  if (!title || title.length > LIMITS.title) throw invalid('title', 'bp.error.title');
  let content: BpContent = emptyContent(input.laneTitles, input.stages ?? []);
  let pairsWith: string | null = null;
  if (input.fromId) {
    const from = await blueprintById(db, tenantId, input.fromId);
    if (!from || from.serviceId !== input.serviceId || from.kind !== 'current' || input.kind !== 'future') throw invalid('fromId', 'bp.error.from');
    content = copyContent(from.content);
    pairsWith = from.id;
  } else if (input.kind === 'future') {
    const current = (await listBlueprints(db, tenantId, input.serviceId)).find((b) => b.kind === 'current');
    pairsWith = current?.id ?? null;
  }
  const id = newId();
  try {
  await db.transaction(async (tx) => {
    await tx.insert(bpBlueprints).values({ tenantId, id, serviceId: input.serviceId, kind: input.kind as BlueprintKind, title, pairsWith, content, version: 1, createdBy: who.memberId, isDemo: input.isDemo ?? false });
    await tx.insert(bpVersions).values({ tenantId, blueprintId: id, version: 1, title, content, change: input.fromId ? 'copy' : 'create', authorId: who.memberId });
    await appendAudit(tx, { tenantId, actor: who.memberId, action: 'blueprint.created', entity: 'blueprint', entityId: id, data: { kind: input.kind, version: 1 } });
  });
  } catch (err) {
    // The service is the tenant's only if the foreign key holds (the audit owns the services).
    if (isForeignKeyViolation(err)) throw invalid('serviceId', 'bp.error.service');
    throw err;
  }
  return id;
}

/**
 * Apply one change based on version `basedOn`: refused with `conflict` (nothing changed) when the
 * blueprint has moved on since; otherwise the next version is saved with its snapshot.
 */
export async function editBlueprint(db: Db, actor: Actor | undefined, blueprintId: string, basedOn: number, op: BpOp): Promise<{ version: number }> {
  const tenantId = actor?.tenantId ?? '';
  const bp = await blueprintById(db, tenantId, blueprintId);
  if (!bp) throw new AppError('not_found', 'That blueprint was not found.', [], 'bp.error.notFound');
  const who = await requireEdit(db, actor, bp.serviceId);
  if (!Number.isInteger(basedOn) || basedOn < 1) throw invalid('version', 'bp.error.version');
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(bpBlueprints).where(and(eq(bpBlueprints.tenantId, tenantId), eq(bpBlueprints.id, blueprintId))).for('update');
    if (!row) throw new AppError('not_found', 'That blueprint was not found.', [], 'bp.error.notFound');
    if (row.version !== basedOn) throw new AppError('conflict', 'Someone saved a newer version since you opened this page.', [{ field: 'version', message: 'bp.error.stale' }], 'bp.error.stale', { version: row.version });
    let applied: ReturnType<typeof applyOp>;
    try {
      applied = applyOp(row.content, op);
    } catch (err) {
      if (err instanceof OpError) throw invalid(err.field, err.key);
      throw err;
    }
    const version = row.version + 1;
    const title = applied.title ?? row.title;
    await tx.update(bpBlueprints).set({ content: applied.content, title, version, updatedAt: new Date() }).where(and(eq(bpBlueprints.tenantId, tenantId), eq(bpBlueprints.id, blueprintId)));
    await tx.insert(bpVersions).values({ tenantId, blueprintId, version, title, content: applied.content, change: op.op, authorId: who.memberId });
    await appendAudit(tx, { tenantId, actor: who.memberId, action: 'blueprint.changed', entity: 'blueprint', entityId: blueprintId, data: { change: op.op, version } });
    return { version };
  });
}

/** Likely personal details found in a comment (the form asks to check before sending). */
export class CommentPersonalDetails extends AppError {
  constructor(readonly kinds: PersonalDetailKind[]) {
    super('validation_failed', 'The comment seems to name someone or include contact details.', [{ field: 'body', message: 'bp.comment.pii' }], 'bp.comment.pii');
  }
}

/** A signed-in member's comment on one cell; refused (with the kinds) when it seems to include personal details, unless confirmed. */
export async function addComment(db: Db, actor: Actor | undefined, input: { blueprintId: string; stageId: string; laneId: string; body: string; confirmed?: boolean; isDemo?: boolean }): Promise<string> {
  if (!actor) throw new AppError('unauthenticated', 'Please sign in.');
  const bp = await blueprintById(db, actor.tenantId, input.blueprintId);
  if (!bp) throw new AppError('not_found', 'That blueprint was not found.', [], 'bp.error.notFound');
  if (!bp.content.stages.some((s) => s.id === input.stageId) || !bp.content.lanes.some((l) => l.id === input.laneId)) throw new AppError('not_found', 'That cell was not found.', [], 'bp.error.cell.notFound');
  const body = input.body.replace(/\r\n/g, '\n').trim();
  if (!body || body.length > LIMITS.comment) throw invalid('body', 'bp.error.comment');
  if (!input.confirmed) {
    const kinds = personalDetailKinds(body);
    if (kinds.length) throw new CommentPersonalDetails(kinds);
  }
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(bpComments).values({ tenantId: actor.tenantId, id, blueprintId: bp.id, stageId: input.stageId, laneId: input.laneId, memberId: actor.memberId, body, isDemo: input.isDemo ?? false });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'blueprint.comment.added', entity: 'blueprint_comment', entityId: id, data: { blueprint: bp.id } });
  });
  return id;
}

/** A moderator hides a comment (kept for the record and the author's download; audited). */
export async function hideComment(db: Db, actor: Actor | undefined, commentId: string): Promise<void> {
  requirePermission(actor, 'blueprints.moderate', 'Your role does not allow this.', 'bp.error.forbidden');
  if (!isUuid(commentId)) throw new AppError('not_found', 'That comment was not found.', [], 'bp.error.comment.notFound');
  await db.transaction(async (tx) => {
    const done = await tx
      .update(bpComments)
      .set({ hiddenAt: new Date(), hiddenBy: actor.memberId })
      .where(and(eq(bpComments.tenantId, actor.tenantId), eq(bpComments.id, commentId), sql`${bpComments.hiddenAt} is null`))
      .returning({ id: bpComments.id });
    if (!done.length) {
      const [exists] = await tx.select({ id: bpComments.id }).from(bpComments).where(and(eq(bpComments.tenantId, actor.tenantId), eq(bpComments.id, commentId)));
      if (!exists) throw new AppError('not_found', 'That comment was not found.', [], 'bp.error.comment.notFound');
      return;
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'blueprint.comment.hidden', entity: 'blueprint_comment', entityId: commentId });
  });
}

/** Blueprints of several services at once (the audit's lists). */
export async function blueprintsOfServices(db: Executor, tenantId: string, serviceIds: readonly string[]): Promise<Blueprint[]> {
  if (!serviceIds.length) return [];
  return db.select().from(bpBlueprints).where(and(eq(bpBlueprints.tenantId, tenantId), inArray(bpBlueprints.serviceId, [...serviceIds])));
}

function isForeignKeyViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23503') return true;
  }
  return false;
}

export { STANDARD_LANES };
