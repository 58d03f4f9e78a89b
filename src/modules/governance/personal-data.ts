import { and, asc, eq, or } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { govAttendance, govDocumentVersions, govInterests, govMeetings, govMinutes, govMotionInterests, govMotions, govMotionVoters, govOfficers, govSeats, govTerms } from './schema.ts';

const COVERS = ['gov_document_versions', 'gov_terms', 'gov_officers', 'gov_interests', 'gov_meetings', 'gov_attendance', 'gov_minutes', 'gov_motions', 'gov_motion_interests', 'gov_motion_voters'] as const;

/**
 * Every governance table with a member reference (gov-motions' too). Erasure deletes the member's
 * interests, attendance and motion declarations and votes-register rows; clears their id from
 * terms, officers, motions, meetings, minutes and versions, where the published name stays in the
 * society's record (privacy.ts).
 */
export const governancePersonalData = {
  order: 60,
  covers: COVERS,
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const { tenantId, id } = subject;
    const terms = await db
      .select({ seat: govSeats.label, name: govTerms.holderName, startsOn: govTerms.startsOn, endsOn: govTerms.endsOn, endedEarlyOn: govTerms.endedEarlyOn, source: govTerms.source })
      .from(govTerms)
      .innerJoin(govSeats, and(eq(govSeats.tenantId, govTerms.tenantId), eq(govSeats.id, govTerms.seatId)))
      .where(and(eq(govTerms.tenantId, tenantId), eq(govTerms.memberId, id)))
      .orderBy(asc(govTerms.startsOn));
    const officers = await db.select().from(govOfficers).where(and(eq(govOfficers.tenantId, tenantId), eq(govOfficers.memberId, id))).orderBy(asc(govOfficers.startsOn));
    const interests = await db.select().from(govInterests).where(and(eq(govInterests.tenantId, tenantId), eq(govInterests.memberId, id))).orderBy(asc(govInterests.declaredOn));
    const attendance = await db
      .select({ meeting: govMeetings.title, startsAt: govMeetings.startsAt, mode: govAttendance.mode, memberId: govAttendance.memberId })
      .from(govAttendance)
      .innerJoin(govMeetings, and(eq(govMeetings.tenantId, govAttendance.tenantId), eq(govMeetings.id, govAttendance.meetingId)))
      .where(and(eq(govAttendance.tenantId, tenantId), or(eq(govAttendance.memberId, id), eq(govAttendance.proxyHolderId, id))))
      .orderBy(asc(govMeetings.startsAt));
    const motions = await db
      .select({ title: govMotions.title, proposerId: govMotions.proposerId, createdAt: govMotions.createdAt })
      .from(govMotions)
      .where(and(eq(govMotions.tenantId, tenantId), or(eq(govMotions.proposerId, id), eq(govMotions.seconderId, id))))
      .orderBy(asc(govMotions.createdAt));
    const declared = await db
      .select({ title: govMotions.title, note: govMotionInterests.note, declaredAt: govMotionInterests.declaredAt })
      .from(govMotionInterests)
      .innerJoin(govMotions, and(eq(govMotions.tenantId, govMotionInterests.tenantId), eq(govMotions.id, govMotionInterests.motionId)))
      .where(and(eq(govMotionInterests.tenantId, tenantId), eq(govMotionInterests.memberId, id)));
    const voted = await db
      .select({ title: govMotions.title })
      .from(govMotionVoters)
      .innerJoin(govMotions, and(eq(govMotions.tenantId, govMotionVoters.tenantId), eq(govMotions.id, govMotionVoters.motionId)))
      .where(and(eq(govMotionVoters.tenantId, tenantId), eq(govMotionVoters.memberId, id)));
    return [
      { name: 'governance-terms', columns: ['seat', 'name', 'startsOn', 'endsOn', 'endedEarlyOn', 'source'], rows: terms.map((t) => ({ ...t })) },
      { name: 'governance-offices', columns: ['office', 'startsOn', 'endsOn'], rows: officers.map((o) => ({ office: o.office, startsOn: o.startsOn, endsOn: o.endsOn })) },
      { name: 'governance-interests', columns: ['description', 'declaredOn', 'endedOn'], rows: interests.map((i) => ({ description: i.description, declaredOn: i.declaredOn, endedOn: i.endedOn })) },
      { name: 'governance-attendance', columns: ['meeting', 'startsAt', 'mode', 'asProxyHolder'], rows: attendance.map((a) => ({ meeting: a.meeting, startsAt: iso(a.startsAt), mode: a.mode, asProxyHolder: a.memberId !== id })) },
      { name: 'governance-motions', columns: ['motion', 'role', 'createdAt'], rows: motions.map((m) => ({ motion: m.title, role: m.proposerId === id ? 'proposer' : 'seconder', createdAt: iso(m.createdAt) })) },
      { name: 'governance-declarations', columns: ['motion', 'note', 'declaredAt'], rows: declared.map((d) => ({ motion: d.title, note: d.note, declaredAt: iso(d.declaredAt) })) },
      { name: 'governance-ballots-cast', columns: ['motion'], rows: voted.map((v) => ({ motion: v.title })) },
    ];
  },
  erases: COVERS,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    const { tenantId, id } = subject;
    await tx.delete(govInterests).where(and(eq(govInterests.tenantId, tenantId), eq(govInterests.memberId, id)));
    // Proxies the member held go with their own attendance (a proxy needs its holder).
    await tx.delete(govAttendance).where(and(eq(govAttendance.tenantId, tenantId), or(eq(govAttendance.memberId, id), eq(govAttendance.proxyHolderId, id))));
    await tx.update(govAttendance).set({ recordedBy: null }).where(and(eq(govAttendance.tenantId, tenantId), eq(govAttendance.recordedBy, id)));
    await tx.delete(govMotionInterests).where(and(eq(govMotionInterests.tenantId, tenantId), eq(govMotionInterests.memberId, id)));
    await tx.delete(govMotionVoters).where(and(eq(govMotionVoters.tenantId, tenantId), eq(govMotionVoters.memberId, id)));
    await tx.update(govTerms).set({ memberId: null }).where(and(eq(govTerms.tenantId, tenantId), eq(govTerms.memberId, id)));
    await tx.update(govOfficers).set({ memberId: null }).where(and(eq(govOfficers.tenantId, tenantId), eq(govOfficers.memberId, id)));
    await tx.update(govMotions).set({ proposerId: null }).where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.proposerId, id)));
    await tx.update(govMotions).set({ seconderId: null }).where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.seconderId, id)));
    await tx.update(govMotions).set({ recordedBy: null }).where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.recordedBy, id)));
    await tx.update(govMeetings).set({ chairId: null }).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.chairId, id)));
    await tx.update(govMeetings).set({ createdBy: null }).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.createdBy, id)));
    await tx.update(govMinutes).set({ draftedBy: null }).where(and(eq(govMinutes.tenantId, tenantId), eq(govMinutes.draftedBy, id)));
    await tx.update(govDocumentVersions).set({ createdBy: null }).where(and(eq(govDocumentVersions.tenantId, tenantId), eq(govDocumentVersions.createdBy, id)));
    return COVERS;
  },
} satisfies PersonalDataProvider;
