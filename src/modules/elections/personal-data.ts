import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { elecCandidates, elecElections, elecVoters } from './schema.ts';

/** What eraseFor deletes: the register rows and nominations not on a ballot paper (privacy.ts). */
const ERASES = ['elec_voters', 'elec_candidates'] as const;

/**
 * The member's nominations (with statements) and the elections they voted in. How they voted is
 * not theirs to download either: the ballots cannot be linked to anyone (SECURITY.md 23).
 */
export const electionsPersonalData = {
  order: 61,
  covers: ['elec_candidates', 'elec_voters'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const noms = await db
      .select({ election: elecElections.title, status: elecCandidates.status, statementEn: elecCandidates.statementEn, statementPl: elecCandidates.statementPl, ballotName: elecCandidates.ballotName, createdAt: elecCandidates.createdAt })
      .from(elecCandidates)
      .innerJoin(elecElections, and(eq(elecElections.tenantId, elecCandidates.tenantId), eq(elecElections.id, elecCandidates.electionId)))
      .where(and(eq(elecCandidates.tenantId, subject.tenantId), eq(elecCandidates.memberId, subject.id)))
      .orderBy(asc(elecCandidates.createdAt));
    const voted = await db
      .select({ election: elecElections.title, agmOn: elecElections.agmOn })
      .from(elecVoters)
      .innerJoin(elecElections, and(eq(elecElections.tenantId, elecVoters.tenantId), eq(elecElections.id, elecVoters.electionId)))
      .where(and(eq(elecVoters.tenantId, subject.tenantId), eq(elecVoters.memberId, subject.id)))
      .orderBy(asc(elecElections.agmOn));
    return [
      { name: 'electionNominations', columns: ['election', 'status', 'statementEn', 'statementPl', 'ballotName', 'createdAt'], rows: noms.map((n) => ({ ...n, createdAt: iso(n.createdAt) })) },
      { name: 'electionsVotedIn', columns: ['election', 'agmOn'], rows: voted },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    await tx.delete(elecVoters).where(and(eq(elecVoters.tenantId, subject.tenantId), eq(elecVoters.memberId, subject.id)));
    // A name on a counted ballot paper is part of the published result; its statement goes.
    await tx.delete(elecCandidates).where(and(eq(elecCandidates.tenantId, subject.tenantId), eq(elecCandidates.memberId, subject.id), isNull(elecCandidates.ballotName)));
    await tx.update(elecCandidates).set({ statementEn: null, statementPl: null, nominatedBy: null, checkedBy: null }).where(and(eq(elecCandidates.tenantId, subject.tenantId), eq(elecCandidates.memberId, subject.id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
