import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants, wards } from '../tenancy/schema.ts';

/**
 * Governance of the mutual (issue 12): its rules and policies (versioned), the board and its terms,
 * meetings with notice, attendance and live quorum, minutes, motions with in-meeting counts or a
 * secret online ballot, and the public decisions register. A motion can refer to any record of any
 * module (`refers_kind` + `refers_id`: a budget round's result, a policy version), so other modules
 * ratify through it (api-decisions.ts). Board elections by STV live in the elections module.
 */

export const DOCUMENT_KINDS = ['rules', 'safeguarding', 'data_protection', 'conflicts_of_interest', 'complaints', 'volunteer', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** The S2 checklist's three core policies (METRICS.md S2). */
export const CORE_POLICIES: readonly DocumentKind[] = ['safeguarding', 'data_protection', 'conflicts_of_interest'];
export const VERSION_STATUSES = ['draft', 'adopted', 'superseded'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export const SEAT_KINDS = ['elected_parent', 'co_opted', 'ward'] as const;
export type SeatKind = (typeof SEAT_KINDS)[number];
export const OFFICES = ['chair', 'secretary', 'treasurer'] as const;
export type Office = (typeof OFFICES)[number];
export const MEETING_KINDS = ['board', 'general', 'agm'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_STATUSES = ['draft', 'called', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const ATTENDANCE_MODES = ['in_person', 'online', 'apologies', 'proxy'] as const;
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number];
export const MINUTES_STATUSES = ['draft', 'approved', 'published'] as const;
export type MinutesStatus = (typeof MINUTES_STATUSES)[number];
export const QUORUM_KINDS = ['number', 'share'] as const;
export type QuorumKind = (typeof QUORUM_KINDS)[number];
export const RESOLUTION_KINDS = ['ordinary', 'special'] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];
export const VOTING_METHODS = ['in_meeting', 'secret_online'] as const;
export type VotingMethod = (typeof VOTING_METHODS)[number];
/** Who may vote on a motion: the board (board meetings), or members (general meetings, online ballots). */
export const ELECTORATES = ['board', 'members'] as const;
export type Electorate = (typeof ELECTORATES)[number];
export const MOTION_STATUSES = ['draft', 'open', 'closed', 'withdrawn'] as const;
export type MotionStatus = (typeof MOTION_STATUSES)[number];
export const OUTCOMES = ['carried', 'not_carried'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const BALLOT_CHOICES = ['for', 'against', 'abstain'] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];
export const DECISION_KINDS = ['resolution', 'election', 'budget_ratification', 'policy_adoption', 'other'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** A record a motion or decision refers to (any module's): shown as a link. */
export interface RecordRef {
  kind: string;
  id: string;
  label: string;
  href: string;
}

/** The rules' numbers: quorum, notice, thresholds, proxies, rotation, the society's registration. */
export const govSettings = pgTable('gov_settings', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  societyName: text('society_name').notNull().default(''),
  /** E.g. the FCA Mutuals Public Register number; '' until registered. */
  registrationNumber: text('registration_number').notNull().default(''),
  registeredOn: date('registered_on', { mode: 'string' }),
  registerName: text('register_name').notNull().default('FCA Mutuals Public Register'),
  boardQuorumKind: text('board_quorum_kind').$type<QuorumKind>().notNull().default('number'),
  /** A number of people, or a share in percent of those entitled. */
  boardQuorumValue: integer('board_quorum_value').notNull().default(3),
  generalQuorumKind: text('general_quorum_kind').$type<QuorumKind>().notNull().default('share'),
  generalQuorumValue: integer('general_quorum_value').notNull().default(10),
  /** Clear days' notice the rules require before each kind of meeting. */
  boardNoticeDays: integer('board_notice_days').notNull().default(7),
  generalNoticeDays: integer('general_notice_days').notNull().default(14),
  agmNoticeDays: integer('agm_notice_days').notNull().default(21),
  /** A special resolution needs at least this share (percent) of the votes cast. */
  specialThresholdPct: integer('special_threshold_pct').notNull().default(75),
  proxiesAllowed: boolean('proxies_allowed').notNull().default(false),
  /** At each AGM, 1/n of the elected board retires (3 = a third). 0 = no rotation. */
  rotationDenominator: integer('rotation_denominator').notNull().default(3),
  /** Ward seats on the board, if the rules have them. */
  wardSeats: boolean('ward_seats').notNull().default(false),
  termYears: integer('term_years').notNull().default(3),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('gov_settings_quorum_kinds', sql`${t.boardQuorumKind} in ('number', 'share') and ${t.generalQuorumKind} in ('number', 'share')`),
  check('gov_settings_quorum_values', sql`${t.boardQuorumValue} >= 1 and ${t.generalQuorumValue} >= 1`),
  check('gov_settings_notice', sql`${t.boardNoticeDays} >= 0 and ${t.generalNoticeDays} >= 0 and ${t.agmNoticeDays} >= 0`),
  check('gov_settings_threshold', sql`${t.specialThresholdPct} > 50 and ${t.specialThresholdPct} <= 100`),
  check('gov_settings_rotation', sql`${t.rotationDenominator} >= 0`),
  check('gov_settings_term', sql`${t.termYears} between 1 and 10`),
]);

/** The rules of the society and each policy: a document with versions. */
export const govDocuments = pgTable('gov_documents', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  kind: text('kind').$type<DocumentKind>().notNull(),
  /** In the public address: /governance/documents/:slug. */
  slug: text('slug').notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('gov_documents_slug').on(t.tenantId, t.slug),
  check('gov_documents_kind', sql`${t.kind} in ('rules', 'safeguarding', 'data_protection', 'conflicts_of_interest', 'complaints', 'volunteer', 'other')`),
]);

/** One version of a document. Adopted versions are public and never edited (a change is a new version). */
export const govDocumentVersions = pgTable('gov_document_versions', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  documentId: uuid('document_id').notNull(),
  version: integer('version').notNull(),
  /** Plain text with blank-line paragraphs (the diff works line by line). */
  body: text('body').notNull(),
  bodyPl: text('body_pl'),
  status: text('status').$type<VersionStatus>().notNull().default('draft'),
  adoptedOn: date('adopted_on', { mode: 'string' }),
  /** The resolution that adopted it. */
  adoptedByMotionId: uuid('adopted_by_motion_id'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('gov_document_versions_number').on(t.tenantId, t.documentId, t.version),
  foreignKey({ columns: [t.tenantId, t.documentId], foreignColumns: [govDocuments.tenantId, govDocuments.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('gov_document_versions_status', sql`${t.status} in ('draft', 'adopted', 'superseded')`),
  check('gov_document_versions_adopted', sql`${t.status} = 'draft' or ${t.adoptedOn} is not null`),
]);

/** A seat on the board. */
export const govSeats = pgTable('gov_seats', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  kind: text('kind').$type<SeatKind>().notNull(),
  label: text('label').notNull(),
  labelPl: text('label_pl'),
  /** For a ward seat. */
  wardId: uuid('ward_id'),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  foreignKey({ columns: [t.tenantId, t.wardId], foreignColumns: [wards.tenantId, wards.id] }),
  check('gov_seats_kind', sql`${t.kind} in ('elected_parent', 'co_opted', 'ward')`),
  check('gov_seats_ward', sql`(${t.kind} = 'ward') = (${t.wardId} is not null)`),
]);

/**
 * A term on a seat. The board role is granted when it starts and removed when it ends, by a job
 * (audited); `role_granted_at` / `role_removed_at` make the job idempotent.
 */
export const govTerms = pgTable('gov_terms', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  seatId: uuid('seat_id').notNull(),
  /** Null once the holder is erased; the public record keeps `holder_name`. */
  memberId: uuid('member_id'),
  /** The name as published on the board page and in the decisions register. */
  holderName: text('holder_name').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  /** How the holder came to the seat. */
  source: text('source').notNull().default('election'),
  /** The elections module's election, when elected. */
  electionId: uuid('election_id'),
  /** Ended before `ends_on` (resignation, removal). */
  endedEarlyOn: date('ended_early_on', { mode: 'string' }),
  roleGrantedAt: timestamp('role_granted_at', { withTimezone: true }),
  roleRemovedAt: timestamp('role_removed_at', { withTimezone: true }),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('gov_terms_dates').on(t.tenantId, t.startsOn, t.endsOn),
  index('gov_terms_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.seatId], foreignColumns: [govSeats.tenantId, govSeats.id] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('gov_terms_order', sql`${t.endsOn} > ${t.startsOn}`),
  check('gov_terms_source', sql`${t.source} in ('election', 'co_option', 'appointment')`),
]);

/** Officers of the board. */
export const govOfficers = pgTable('gov_officers', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  office: text('office').$type<Office>().notNull(),
  memberId: uuid('member_id'),
  holderName: text('holder_name').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }),
  isDemo: boolean('is_demo').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('gov_officers_office', sql`${t.office} in ('chair', 'secretary', 'treasurer')`),
  check('gov_officers_order', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
]);

/** The register of interests each board member keeps current (public while they serve). */
export const govInterests = pgTable('gov_interests', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  memberId: uuid('member_id').notNull(),
  /** E.g. "Trustee of Home-Start Corby", "Employed by Lodge Park Children's Centre". */
  description: text('description').notNull(),
  /** Optionally the record it concerns (a provider in the audit, a proposal): conflicts are found from it. */
  relatedKind: text('related_kind'),
  relatedId: text('related_id'),
  declaredOn: date('declared_on', { mode: 'string' }).notNull(),
  endedOn: date('ended_on', { mode: 'string' }),
  isDemo: boolean('is_demo').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('gov_interests_member').on(t.tenantId, t.memberId),
  index('gov_interests_related').on(t.tenantId, t.relatedKind, t.relatedId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

export const govMeetings = pgTable('gov_meetings', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  kind: text('kind').$type<MeetingKind>().notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  location: text('location').notNull().default(''),
  /** Joining link for online attendance (shown to those entitled only). */
  onlineUrl: text('online_url'),
  status: text('status').$type<MeetingStatus>().notNull().default('draft'),
  /** When notice went out (status 'called'); the rules' notice period is checked against starts_at. */
  calledAt: timestamp('called_at', { withTimezone: true }),
  /** The quorum rule as it stood when called (the rules may change later). */
  quorumKind: text('quorum_kind').$type<QuorumKind>(),
  quorumValue: integer('quorum_value'),
  /** Those entitled to attend and vote, counted when called. */
  entitledCount: integer('entitled_count'),
  chairId: uuid('chair_id'),
  createdBy: uuid('created_by'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('gov_meetings_starts').on(t.tenantId, t.startsAt),
  foreignKey({ columns: [t.tenantId, t.chairId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('gov_meetings_kind', sql`${t.kind} in ('board', 'general', 'agm')`),
  check('gov_meetings_status', sql`${t.status} in ('draft', 'called', 'held', 'cancelled')`),
  check('gov_meetings_order', sql`${t.endsAt} > ${t.startsAt}`),
  check('gov_meetings_called', sql`${t.status} = 'draft' or ${t.status} = 'cancelled' or ${t.calledAt} is not null`),
]);

export const govAgendaItems = pgTable('gov_agenda_items', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  meetingId: uuid('meeting_id').notNull(),
  position: integer('position').notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  body: text('body').notNull().default(''),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('gov_agenda_items_meeting').on(t.tenantId, t.meetingId, t.position),
  foreignKey({ columns: [t.tenantId, t.meetingId], foreignColumns: [govMeetings.tenantId, govMeetings.id] }).onDelete('cascade'),
]);

/** A paper for a meeting (the board's report, accounts summary…): text, or a link to a published document. */
export const govPapers = pgTable('gov_papers', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  meetingId: uuid('meeting_id').notNull(),
  itemId: uuid('item_id'),
  /** 'board_report' and 'accounts_summary' go into the AGM pack; 'other' is listed. */
  kind: text('kind').notNull().default('other'),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  url: text('url'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  foreignKey({ columns: [t.tenantId, t.meetingId], foreignColumns: [govMeetings.tenantId, govMeetings.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [govAgendaItems.tenantId, govAgendaItems.id] }).onDelete('set null'),
  check('gov_papers_kind', sql`${t.kind} in ('board_report', 'accounts_summary', 'other')`),
]);

/** Who came and how. A proxy row: the member is absent and `proxy_holder_id` votes for them. */
export const govAttendance = pgTable('gov_attendance', {
  tenantId: uuid('tenant_id').notNull(),
  meetingId: uuid('meeting_id').notNull(),
  memberId: uuid('member_id').notNull(),
  mode: text('mode').$type<AttendanceMode>().notNull(),
  proxyHolderId: uuid('proxy_holder_id'),
  recordedBy: uuid('recorded_by'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.meetingId, t.memberId] }),
  foreignKey({ columns: [t.tenantId, t.meetingId], foreignColumns: [govMeetings.tenantId, govMeetings.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.proxyHolderId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('gov_attendance_mode', sql`${t.mode} in ('in_person', 'online', 'apologies', 'proxy')`),
  check('gov_attendance_proxy', sql`(${t.mode} = 'proxy') = (${t.proxyHolderId} is not null)`),
]);

/** Minutes: drafted, approved at the next meeting, then published. */
export const govMinutes = pgTable('gov_minutes', {
  tenantId: uuid('tenant_id').notNull(),
  meetingId: uuid('meeting_id').notNull(),
  body: text('body').notNull(),
  status: text('status').$type<MinutesStatus>().notNull().default('draft'),
  draftedBy: uuid('drafted_by'),
  draftedAt: timestamp('drafted_at', { withTimezone: true }).notNull().defaultNow(),
  approvedAtMeetingId: uuid('approved_at_meeting_id'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.meetingId] }),
  foreignKey({ columns: [t.tenantId, t.meetingId], foreignColumns: [govMeetings.tenantId, govMeetings.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.approvedAtMeetingId], foreignColumns: [govMeetings.tenantId, govMeetings.id] }),
  foreignKey({ columns: [t.tenantId, t.draftedBy], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('gov_minutes_status', sql`${t.status} in ('draft', 'approved', 'published')`),
  check('gov_minutes_published', sql`${t.status} <> 'published' or (${t.approvedAt} is not null and ${t.publishedAt} is not null)`),
]);

/**
 * A motion. In a meeting (`meeting_id` set, voting 'in_meeting'): the chair records the count. By
 * secret online ballot (voting 'secret_online'): members vote between `opens_at` and `closes_at`,
 * the register (gov_motion_voters) and the ballots (gov_motion_ballots) share no key.
 * `threshold_pct` is fixed when the motion opens (50 = more than half of votes cast for ordinary).
 */
export const govMotions = pgTable('gov_motions', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  meetingId: uuid('meeting_id'),
  itemId: uuid('item_id'),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  /** "That the mutual …" */
  body: text('body').notNull(),
  bodyPl: text('body_pl'),
  kind: text('kind').$type<ResolutionKind>().notNull().default('ordinary'),
  thresholdPct: integer('threshold_pct').notNull().default(50),
  voting: text('voting').$type<VotingMethod>().notNull().default('in_meeting'),
  electorate: text('electorate').$type<Electorate>().notNull().default('members'),
  proposerId: uuid('proposer_id'),
  proposerName: text('proposer_name').notNull().default(''),
  seconderId: uuid('seconder_id'),
  seconderName: text('seconder_name').notNull().default(''),
  /** The record the motion is about (any module's): e.g. 'budget_round' + id, 'policy_version' + id. */
  refersKind: text('refers_kind'),
  refersId: text('refers_id'),
  refersLabel: text('refers_label'),
  refersHref: text('refers_href'),
  opensAt: timestamp('opens_at', { withTimezone: true }),
  closesAt: timestamp('closes_at', { withTimezone: true }),
  status: text('status').$type<MotionStatus>().notNull().default('draft'),
  votesFor: integer('votes_for'),
  votesAgainst: integer('votes_against'),
  abstentions: integer('abstentions'),
  /** Members who could not vote because of a declared interest (the minutes say so). */
  conflictedCount: integer('conflicted_count').notNull().default(0),
  outcome: text('outcome').$type<Outcome>(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  recordedBy: uuid('recorded_by'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('gov_motions_meeting').on(t.tenantId, t.meetingId),
  index('gov_motions_refers').on(t.tenantId, t.refersKind, t.refersId),
  foreignKey({ columns: [t.tenantId, t.meetingId], foreignColumns: [govMeetings.tenantId, govMeetings.id] }),
  foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [govAgendaItems.tenantId, govAgendaItems.id] }).onDelete('set null'),
  foreignKey({ columns: [t.tenantId, t.proposerId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  foreignKey({ columns: [t.tenantId, t.seconderId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
  check('gov_motions_kind', sql`${t.kind} in ('ordinary', 'special')`),
  check('gov_motions_voting', sql`${t.voting} in ('in_meeting', 'secret_online')`),
  check('gov_motions_electorate', sql`${t.electorate} in ('board', 'members')`),
  check('gov_motions_status', sql`${t.status} in ('draft', 'open', 'closed', 'withdrawn')`),
  check('gov_motions_outcome', sql`${t.outcome} is null or ${t.outcome} in ('carried', 'not_carried')`),
  check('gov_motions_threshold', sql`${t.thresholdPct} between 50 and 100`),
  check('gov_motions_counts', sql`coalesce(${t.votesFor}, 0) >= 0 and coalesce(${t.votesAgainst}, 0) >= 0 and coalesce(${t.abstentions}, 0) >= 0`),
  check('gov_motions_in_meeting', sql`${t.voting} <> 'in_meeting' or ${t.meetingId} is not null`),
  check('gov_motions_online_times', sql`${t.voting} <> 'secret_online' or ${t.status} = 'draft' or (${t.opensAt} is not null and ${t.closesAt} is not null and ${t.closesAt} > ${t.opensAt})`),
]);

/** Declarations of interest on one motion: the member may not vote on it. */
export const govMotionInterests = pgTable('gov_motion_interests', {
  tenantId: uuid('tenant_id').notNull(),
  motionId: uuid('motion_id').notNull(),
  memberId: uuid('member_id').notNull(),
  note: text('note').notNull().default(''),
  declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.motionId, t.memberId] }),
  foreignKey({ columns: [t.tenantId, t.motionId], foreignColumns: [govMotions.tenantId, govMotions.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/** Who voted in a secret online ballot (one row per member: the database refuses a second). No time, no choice. */
export const govMotionVoters = pgTable('gov_motion_voters', {
  tenantId: uuid('tenant_id').notNull(),
  motionId: uuid('motion_id').notNull(),
  memberId: uuid('member_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.motionId, t.memberId] }),
  foreignKey({ columns: [t.tenantId, t.motionId], foreignColumns: [govMotions.tenantId, govMotions.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/**
 * The ballots of a secret online motion: a random id (UUID v4, not v7: v7 carries the time), the
 * choice, and the hash of the voter's receipt code. No member, no time, no address.
 */
export const govMotionBallots = pgTable('gov_motion_ballots', {
  tenantId: uuid('tenant_id').notNull(),
  motionId: uuid('motion_id').notNull(),
  id: uuid('id').notNull(),
  choice: text('choice').$type<BallotChoice>().notNull(),
  receiptHash: text('receipt_hash').notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.motionId, t.id] }),
  uniqueIndex('gov_motion_ballots_receipt').on(t.tenantId, t.motionId, t.receiptHash),
  foreignKey({ columns: [t.tenantId, t.motionId], foreignColumns: [govMotions.tenantId, govMotions.id] }).onDelete('cascade'),
  check('gov_motion_ballots_choice', sql`${t.choice} in ('for', 'against', 'abstain')`),
]);

/** The public decisions register: numbered per tenant, dated, with the figures and what it refers to. */
export const govDecisions = pgTable('gov_decisions', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  /** 1, 2, 3… per tenant, never reused. */
  number: integer('number').notNull(),
  decidedOn: date('decided_on', { mode: 'string' }).notNull(),
  kind: text('kind').$type<DecisionKind>().notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  summary: text('summary').notNull().default(''),
  summaryPl: text('summary_pl'),
  meetingId: uuid('meeting_id'),
  motionId: uuid('motion_id'),
  /** The elections module's election, for an election result. */
  electionId: uuid('election_id'),
  outcome: text('outcome').notNull(),
  votesFor: integer('votes_for'),
  votesAgainst: integer('votes_against'),
  abstentions: integer('abstentions'),
  /** E.g. "special resolution: 75% of votes cast", "STV, 3 seats, quota 101". */
  rule: text('rule').notNull().default(''),
  /** What it refers to: documents, a budget round's result, an election's result sheet. */
  refs: jsonb('refs').$type<RecordRef[]>().notNull().default([]),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('gov_decisions_number').on(t.tenantId, t.number),
  uniqueIndex('gov_decisions_motion').on(t.tenantId, t.motionId),
  uniqueIndex('gov_decisions_election').on(t.tenantId, t.electionId),
  index('gov_decisions_date').on(t.tenantId, t.decidedOn),
  foreignKey({ columns: [t.tenantId, t.meetingId], foreignColumns: [govMeetings.tenantId, govMeetings.id] }),
  foreignKey({ columns: [t.tenantId, t.motionId], foreignColumns: [govMotions.tenantId, govMotions.id] }),
  check('gov_decisions_kind', sql`${t.kind} in ('resolution', 'election', 'budget_ratification', 'policy_adoption', 'other')`),
  check('gov_decisions_outcome', sql`${t.outcome} in ('carried', 'not_carried', 'elected', 'noted')`),
]);

/**
 * The last decisions register number taken per tenant (gov-motions): taken with an upsert, so two
 * transactions never take the same number, and never reused, even after demo entries are cleared.
 */
export const govDecisionCounters = pgTable('gov_decision_counters', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  lastNumber: integer('last_number').notNull().default(0),
});

export type GovMeeting = typeof govMeetings.$inferSelect;
export type GovMotion = typeof govMotions.$inferSelect;
export type GovDecision = typeof govDecisions.$inferSelect;
export type GovTerm = typeof govTerms.$inferSelect;
