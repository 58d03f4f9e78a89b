import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants } from '../tenancy/schema.ts';
import type { StvResult } from '../voting/stv/count.ts';

/**
 * Board elections by single transferable vote (issue 12 item 5): an election for an AGM, nominations
 * with statements, a ranked secret ballot (the register of who voted and the ballots are separate
 * tables with no shared key, SECURITY.md 22–24), the count by the Scottish rules
 * (voting/stv/count.ts) and the published result.
 */

export const ELECTION_STATUSES = ['nominations', 'voting', 'counted', 'published'] as const;
export type ElectionStatus = (typeof ELECTION_STATUSES)[number];
export const CANDIDATE_STATUSES = ['proposed', 'accepted', 'declined', 'withdrawn'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

export const elecElections = pgTable('elec_elections', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  title: text('title').notNull(),
  titlePl: text('title_pl'),
  agmOn: date('agm_on', { mode: 'string' }).notNull(),
  seats: integer('seats').notNull(),
  termStartsOn: date('term_starts_on', { mode: 'string' }),
  termEndsOn: date('term_ends_on', { mode: 'string' }),
  status: text('status').$type<ElectionStatus>().notNull().default('nominations'),
  opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
  closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
  /** The seed for any drawing of lots (rules 49(3), 51(2)(b)): fixed when the election is made, published with the result. */
  lotSeed: text('lot_seed').notNull(),
  /** The count (voting/stv/count.ts StvResult), once counted. */
  result: jsonb('result').$type<StvResult>(),
  countedAt: timestamp('counted_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  check('elec_elections_status', sql`${t.status} in ('nominations', 'voting', 'counted', 'published')`),
  check('elec_elections_seats', sql`${t.seats} >= 1`),
  check('elec_elections_window', sql`${t.closesAt} > ${t.opensAt}`),
]);

/** A nomination: the member standing, who nominated them, their statement (English and/or Polish). */
export const elecCandidates = pgTable('elec_candidates', {
  tenantId: uuid('tenant_id').notNull(),
  electionId: uuid('election_id').notNull(),
  id: uuid('id').notNull(),
  memberId: uuid('member_id').notNull(),
  nominatedBy: uuid('nominated_by'),
  statementEn: text('statement_en'),
  statementPl: text('statement_pl'),
  status: text('status').$type<CandidateStatus>().notNull().default('proposed'),
  /** The name on the ballot paper, fixed when voting opens (the published result keeps it). */
  ballotName: text('ballot_name'),
  checkedBy: uuid('checked_by'),
  checkedAt: timestamp('checked_at', { withTimezone: true }),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.electionId, t.id] }),
  uniqueIndex('elec_candidates_member').on(t.tenantId, t.electionId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.electionId], foreignColumns: [elecElections.tenantId, elecElections.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  check('elec_candidates_status', sql`${t.status} in ('proposed', 'accepted', 'declined', 'withdrawn')`),
]);

/** Who voted (one row per member: the primary key refuses a second vote). No time, no ranking. */
export const elecVoters = pgTable('elec_voters', {
  tenantId: uuid('tenant_id').notNull(),
  electionId: uuid('election_id').notNull(),
  memberId: uuid('member_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.electionId, t.memberId] }),
  foreignKey({ columns: [t.tenantId, t.electionId], foreignColumns: [elecElections.tenantId, elecElections.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/**
 * The ballots: a random id (UUID v4, not v7: v7 carries the time), the ranking (candidate ids, first
 * preference first) and the hash of the voter's receipt code. No member, no time, no address.
 */
export const elecBallots = pgTable('elec_ballots', {
  tenantId: uuid('tenant_id').notNull(),
  electionId: uuid('election_id').notNull(),
  id: uuid('id').notNull(),
  ranking: jsonb('ranking').$type<string[]>().notNull(),
  receiptHash: text('receipt_hash').notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.electionId, t.id] }),
  uniqueIndex('elec_ballots_receipt').on(t.tenantId, t.electionId, t.receiptHash),
  foreignKey({ columns: [t.tenantId, t.electionId], foreignColumns: [elecElections.tenantId, elecElections.id] }).onDelete('cascade'),
]);

export type ElectionRow = typeof elecElections.$inferSelect;
export type CandidateRow = typeof elecCandidates.$inferSelect;
