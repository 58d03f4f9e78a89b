import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { contactExportFor, eraseContactFor } from './commissions.ts';
import { commProposals, commRounds, commVoters } from './schema.ts';

const ERASES = ['comm_voters', 'comm_proposals', 'comm_commissions'] as const;

/**
 * The rounds a member voted in (never how: ballots are anonymous and hold nothing of theirs) and
 * the proposals they made. Erasure deletes the register rows (the ballots stay, anonymous, so the
 * published count still adds up) and blanks the proposer of their proposals.
 */
export const commissioningPersonalData = {
  order: 60,
  covers: ['comm_voters', 'comm_proposals', 'comm_commissions'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const voted = await db
      .select({ round: commRounds.title })
      .from(commVoters)
      .innerJoin(commRounds, and(eq(commRounds.tenantId, commVoters.tenantId), eq(commRounds.id, commVoters.roundId)))
      .where(and(eq(commVoters.tenantId, subject.tenantId), eq(commVoters.memberId, subject.id)))
      .orderBy(asc(commRounds.createdAt));
    const proposals = await db.select().from(commProposals).where(and(eq(commProposals.tenantId, subject.tenantId), eq(commProposals.proposerId, subject.id))).orderBy(asc(commProposals.createdAt));
    return [
      { name: 'budgetRoundsVoted', columns: ['round'], rows: voted.map((v) => ({ round: v.round })) },
      {
        name: 'budgetProposals',
        columns: ['title', 'summary', 'costPence', 'eligibility', 'eligibilityReason', 'createdAt'],
        rows: proposals.map((p) => ({ title: p.title, summary: p.summary, costPence: p.costPence, eligibility: p.eligibility, eligibilityReason: p.eligibilityReason, createdAt: iso(p.createdAt) })),
      },
      { name: 'commissionContact', columns: ['commissioner', 'title', 'contactName', 'contactEmail', 'status'], rows: await contactExportFor(db, subject.tenantId, subject.email) },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    await tx.delete(commVoters).where(and(eq(commVoters.tenantId, subject.tenantId), eq(commVoters.memberId, subject.id)));
    await tx.update(commProposals).set({ proposerId: null }).where(and(eq(commProposals.tenantId, subject.tenantId), eq(commProposals.proposerId, subject.id)));
    await eraseContactFor(tx, subject.tenantId, subject.email);
    return ERASES;
  },
} satisfies PersonalDataProvider;
