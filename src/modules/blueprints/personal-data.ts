import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { bpBlueprints, bpComments, bpVersions } from './schema.ts';

const ERASES = ['bp_comments', 'bp_versions', 'bp_blueprints'] as const;

/** A member's blueprint comments and the versions they saved (download); erasure deletes the comments and forgets the authorship. */
export const blueprintsPersonalData = {
  order: 60,
  covers: ['bp_comments', 'bp_versions', 'bp_blueprints'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const comments = await db
      .select({ blueprint: bpBlueprints.title, content: bpBlueprints.content, stageId: bpComments.stageId, laneId: bpComments.laneId, body: bpComments.body, createdAt: bpComments.createdAt, hiddenAt: bpComments.hiddenAt })
      .from(bpComments)
      .innerJoin(bpBlueprints, and(eq(bpBlueprints.tenantId, bpComments.tenantId), eq(bpBlueprints.id, bpComments.blueprintId)))
      .where(and(eq(bpComments.tenantId, subject.tenantId), eq(bpComments.memberId, subject.id)))
      .orderBy(bpComments.createdAt);
    const versions = await db
      .select({ blueprint: bpBlueprints.title, version: bpVersions.version, change: bpVersions.change, createdAt: bpVersions.createdAt })
      .from(bpVersions)
      .innerJoin(bpBlueprints, and(eq(bpBlueprints.tenantId, bpVersions.tenantId), eq(bpBlueprints.id, bpVersions.blueprintId)))
      .where(and(eq(bpVersions.tenantId, subject.tenantId), eq(bpVersions.authorId, subject.id)))
      .orderBy(bpVersions.createdAt);
    return [
      {
        name: 'blueprintComments',
        columns: ['blueprint', 'stage', 'lane', 'comment', 'createdAt', 'hiddenAt'],
        rows: comments.map((c) => ({
          blueprint: c.blueprint,
          stage: c.content.stages.find((s) => s.id === c.stageId)?.title ?? null,
          lane: c.content.lanes.find((l) => l.id === c.laneId)?.title ?? null,
          comment: c.body,
          createdAt: iso(c.createdAt),
          hiddenAt: iso(c.hiddenAt),
        })),
      },
      {
        name: 'blueprintVersions',
        columns: ['blueprint', 'version', 'change', 'createdAt'],
        rows: versions.map((v) => ({ blueprint: v.blueprint, version: v.version, change: v.change, createdAt: iso(v.createdAt) })),
      },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    await tx.delete(bpComments).where(and(eq(bpComments.tenantId, subject.tenantId), eq(bpComments.memberId, subject.id)));
    await tx.update(bpComments).set({ hiddenBy: null }).where(and(eq(bpComments.tenantId, subject.tenantId), eq(bpComments.hiddenBy, subject.id)));
    await tx.update(bpVersions).set({ authorId: null }).where(and(eq(bpVersions.tenantId, subject.tenantId), eq(bpVersions.authorId, subject.id)));
    await tx.update(bpBlueprints).set({ createdBy: null }).where(and(eq(bpBlueprints.tenantId, subject.tenantId), eq(bpBlueprints.createdBy, subject.id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
