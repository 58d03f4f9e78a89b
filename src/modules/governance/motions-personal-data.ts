import { and, asc, eq, or } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { govMotionInterests, govMotions, govMotionVoters } from './schema.ts';

/** What eraseFor changes in motions' tables (privacy.ts: interests and the voted register deleted, the member's id cleared from motions; published names stay). */
const ERASES = ['gov_motions', 'gov_motion_interests', 'gov_motion_voters'] as const;

/**
 * Motions' part of download-my-data and erasure (gov-motions' tables only; gov-core's provider
 * spreads these sections and calls `eraseFor` beside its own). Never a ballot: ballots carry no
 * member, so how someone voted is not held about them.
 */
export const motionsPersonalData = {
  order: 45,
  covers: ['gov_motions', 'gov_motion_interests', 'gov_motion_voters'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const proposed = await db
      .select({ title: govMotions.title, proposerId: govMotions.proposerId, status: govMotions.status, outcome: govMotions.outcome, createdAt: govMotions.createdAt })
      .from(govMotions)
      .where(and(eq(govMotions.tenantId, subject.tenantId), or(eq(govMotions.proposerId, subject.id), eq(govMotions.seconderId, subject.id), eq(govMotions.recordedBy, subject.id))))
      .orderBy(asc(govMotions.createdAt));
    const interests = await db
      .select({ title: govMotions.title, note: govMotionInterests.note, declaredAt: govMotionInterests.declaredAt })
      .from(govMotionInterests)
      .innerJoin(govMotions, and(eq(govMotions.tenantId, govMotionInterests.tenantId), eq(govMotions.id, govMotionInterests.motionId)))
      .where(and(eq(govMotionInterests.tenantId, subject.tenantId), eq(govMotionInterests.memberId, subject.id)))
      .orderBy(asc(govMotionInterests.declaredAt));
    const voted = await db
      .select({ title: govMotions.title, closesAt: govMotions.closesAt })
      .from(govMotionVoters)
      .innerJoin(govMotions, and(eq(govMotions.tenantId, govMotionVoters.tenantId), eq(govMotions.id, govMotionVoters.motionId)))
      .where(and(eq(govMotionVoters.tenantId, subject.tenantId), eq(govMotionVoters.memberId, subject.id)))
      .orderBy(asc(govMotions.createdAt));
    return [
      { name: 'governanceMotions', columns: ['title', 'role', 'status', 'outcome', 'createdAt'], rows: proposed.map((m) => ({ title: m.title, role: m.proposerId === subject.id ? 'proposer' : 'seconder or recorder', status: m.status, outcome: m.outcome, createdAt: iso(m.createdAt) })) },
      { name: 'governanceMotionInterests', columns: ['motion', 'note', 'declaredAt'], rows: interests.map((i) => ({ motion: i.title, note: i.note, declaredAt: iso(i.declaredAt) })) },
      { name: 'governanceBallotsVoted', columns: ['motion', 'closesAt'], rows: voted.map((v) => ({ motion: v.title, closesAt: iso(v.closesAt) })) },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    const t = subject.tenantId;
    await tx.update(govMotions).set({ proposerId: null }).where(and(eq(govMotions.tenantId, t), eq(govMotions.proposerId, subject.id)));
    await tx.update(govMotions).set({ seconderId: null }).where(and(eq(govMotions.tenantId, t), eq(govMotions.seconderId, subject.id)));
    await tx.update(govMotions).set({ recordedBy: null }).where(and(eq(govMotions.tenantId, t), eq(govMotions.recordedBy, subject.id)));
    await tx.delete(govMotionInterests).where(and(eq(govMotionInterests.tenantId, t), eq(govMotionInterests.memberId, subject.id)));
    await tx.delete(govMotionVoters).where(and(eq(govMotionVoters.tenantId, t), eq(govMotionVoters.memberId, subject.id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
