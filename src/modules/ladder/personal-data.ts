import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { listLevels } from './levels.ts';
import { ladderEligibility, ladderMemberLevels, ladderSignOffs, ladderStepUpRequests } from './schema.ts';

/** What eraseFor deletes from or blanks. */
const ERASES = ['ladder_member_levels', 'ladder_step_up_requests', 'ladder_sign_offs', 'ladder_eligibility'] as const;

/** The erased person's id where they acted for others (approved, decided, signed off): kept as the act, not the person. */
const ERASED_ACTOR = 'system:erased';

/**
 * The member's ladder: levels held (history), step-up requests, sign-offs and the eligibility
 * snapshot. Erasure deletes all four (the level history is the member's own record and nothing
 * requires keeping it); where the person approved or signed off others, the act stays without them.
 */
export const ladderPersonalData = {
  order: 60,
  covers: ERASES,
  async exportFor(db: Executor, { subject, who }: ExportContext): Promise<DataSection[]> {
    const { tenantId, id } = subject;
    const levels = await listLevels(db, tenantId);
    const number = (levelId: string | null) => levels.find((l) => l.id === levelId)?.number ?? null;
    const [history, requests, signOffs, snapshot] = await Promise.all([
      db.select().from(ladderMemberLevels).where(and(eq(ladderMemberLevels.tenantId, tenantId), eq(ladderMemberLevels.memberId, id))).orderBy(asc(ladderMemberLevels.fromDate)),
      db.select().from(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.memberId, id))).orderBy(asc(ladderStepUpRequests.requestedAt)),
      db.select().from(ladderSignOffs).where(and(eq(ladderSignOffs.tenantId, tenantId), eq(ladderSignOffs.memberId, id))).orderBy(asc(ladderSignOffs.signedAt)),
      db.select().from(ladderEligibility).where(and(eq(ladderEligibility.tenantId, tenantId), eq(ladderEligibility.memberId, id))),
    ]);
    return [
      { name: 'ladderLevels', columns: ['level', 'fromDate', 'toDate', 'approvedBy'], rows: history.map((h) => ({ level: number(h.levelId), fromDate: h.fromDate, toDate: h.toDate, approvedBy: who(h.approvedBy) })) },
      {
        name: 'ladderRequests',
        columns: ['fromLevel', 'toLevel', 'status', 'requestedAt', 'decidedAt', 'decidedBy', 'reason'],
        rows: requests.map((r) => ({ fromLevel: number(r.fromLevelId), toLevel: number(r.toLevelId), status: r.status, requestedAt: iso(r.requestedAt), decidedAt: iso(r.decidedAt), decidedBy: r.decidedBy ? who(r.decidedBy) : null, reason: r.reason })),
      },
      { name: 'ladderSignOffs', columns: ['level', 'signedAt', 'signedBy'], rows: signOffs.map((s) => ({ level: number(s.levelId), signedAt: iso(s.signedAt), signedBy: who(s.signedBy) })) },
      {
        name: 'ladderEligibility',
        columns: ['currentLevel', 'nextLevel', 'eligible', 'missing', 'computedAt'],
        rows: snapshot.map((s) => ({ currentLevel: number(s.currentLevelId), nextLevel: number(s.nextLevelId), eligible: s.eligible, missing: JSON.stringify(s.missing), computedAt: iso(s.computedAt) })),
      },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, { tenantId, id }: DataSubject): Promise<readonly string[]> {
    await tx.delete(ladderEligibility).where(and(eq(ladderEligibility.tenantId, tenantId), eq(ladderEligibility.memberId, id)));
    await tx.delete(ladderSignOffs).where(and(eq(ladderSignOffs.tenantId, tenantId), eq(ladderSignOffs.memberId, id)));
    await tx.delete(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.memberId, id)));
    await tx.delete(ladderMemberLevels).where(and(eq(ladderMemberLevels.tenantId, tenantId), eq(ladderMemberLevels.memberId, id)));
    // Others' records the person acted on keep the act, not the person.
    await tx.update(ladderMemberLevels).set({ approvedBy: ERASED_ACTOR }).where(and(eq(ladderMemberLevels.tenantId, tenantId), eq(ladderMemberLevels.approvedBy, id)));
    await tx.update(ladderStepUpRequests).set({ decidedBy: ERASED_ACTOR }).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.decidedBy, id)));
    await tx.update(ladderSignOffs).set({ signedBy: ERASED_ACTOR }).where(and(eq(ladderSignOffs.tenantId, tenantId), eq(ladderSignOffs.signedBy, id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
