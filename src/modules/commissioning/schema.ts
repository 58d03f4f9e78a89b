import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from '../membership/schema.ts';
import { tenants } from '../tenancy/schema.ts';

/** Where a pot's money comes from. */
export const POT_SOURCES = ['devolved_budget', 'grant', 'commission_income', 'other'] as const;
export type PotSource = (typeof POT_SOURCES)[number];

/** A budget pot: one financial year ('2026-27') and one source. Its money lives in the ledger. */
export const commPots = pgTable(
  'comm_pots',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    namePl: text('name_pl').notNull().default(''),
    financialYear: text('financial_year').notNull(),
    source: text('source').$type<PotSource>().notNull(),
    /** The funder, for the 360Giving export (e.g. "North Northamptonshire Council"). */
    funder: text('funder').notNull().default(''),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('comm_pots_year', sql`${t.financialYear} ~ '^[0-9]{4}-[0-9]{2}$'`),
    check('comm_pots_source', sql`${t.source} in ('devolved_budget', 'grant', 'commission_income', 'other')`),
  ],
);

/**
 * Ledger entry kinds. Per pot: funds = Σ income; allocated = Σ allocation; committed = Σ
 * commitment; spent = Σ payment; left = funds − allocated; always spent ≤ committed ≤ allocated ≤ funds.
 */
export const LEDGER_KINDS = ['income', 'allocation', 'commitment', 'payment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const commLedger = pgTable(
  'comm_ledger',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    potId: uuid('pot_id').notNull(),
    kind: text('kind').$type<LedgerKind>().notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    roundId: uuid('round_id'),
    proposalId: uuid('proposal_id'),
    /** One entry per key and tenant: a retried request finds the first entry. */
    idempotencyKey: text('idempotency_key').notNull(),
    note: text('note').notNull().default(''),
    /** Member id or system actor who made the entry (text, like the audit log). */
    createdBy: text('created_by').notNull(),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.potId], foreignColumns: [commPots.tenantId, commPots.id] }).onDelete('cascade'),
    uniqueIndex('comm_ledger_idempotency').on(t.tenantId, t.idempotencyKey),
    index('comm_ledger_pot').on(t.tenantId, t.potId, t.kind),
    check('comm_ledger_amount', sql`${t.amountPence} > 0`),
    check('comm_ledger_kind', sql`${t.kind} in ('income', 'allocation', 'commitment', 'payment')`),
  ],
);

export const ROUND_PHASES = ['proposals', 'review', 'voting', 'counting', 'ratification', 'published'] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];
export const BALLOT_TYPES = ['approval', 'points'] as const;
export type BallotType = (typeof BALLOT_TYPES)[number];
export const COUNT_RULES = ['greedy', 'mes'] as const;
export type CountRule = (typeof COUNT_RULES)[number];
export const COMPLETIONS = ['none', 'add1', 'add1_utilitarian', 'utilitarian'] as const;
export type CompletionName = (typeof COMPLETIONS)[number];

/**
 * A participatory-budgeting round. The ballot rules (type, maximum, points, rule, completion,
 * budget, ward) are frozen when voting opens: `frozen` is set then and a trigger
 * (migration comm_frozen_rules) refuses any change to them, or unfreezing, afterwards.
 */
export const commRounds = pgTable(
  'comm_rounds',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    title: text('title').notNull(),
    titlePl: text('title_pl').notNull().default(''),
    potId: uuid('pot_id').notNull(),
    budgetPence: bigint('budget_pence', { mode: 'number' }).notNull(),
    phase: text('phase').$type<RoundPhase>().notNull().default('proposals'),
    /** Only members of this ward may vote (null: every active member). */
    wardId: uuid('ward_id'),
    ballotType: text('ballot_type').$type<BallotType>().notNull().default('approval'),
    /** Approval: most proposals one may choose (null: no limit but the budget). */
    maxChoices: integer('max_choices'),
    /** Points: the total a voter spreads. */
    totalPoints: integer('total_points'),
    rule: text('rule').$type<CountRule>().notNull().default('mes'),
    completion: text('completion').$type<CompletionName>().notNull().default('add1_utilitarian'),
    frozen: boolean('frozen').notNull().default(false),
    /** Counting output: { winners, totalCost, greedyWinners, … } (set at counting). */
    result: jsonb('result').$type<Record<string, unknown>>(),
    /** The published anonymous ballots (.pb text, ballots shuffled), fixed at counting. */
    ballotsPb: text('ballots_pb'),
    motionId: uuid('motion_id'),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.potId], foreignColumns: [commPots.tenantId, commPots.id] }),
    check('comm_rounds_phase', sql`${t.phase} in ('proposals', 'review', 'voting', 'counting', 'ratification', 'published')`),
    check('comm_rounds_ballot', sql`(${t.ballotType} = 'approval' AND ${t.totalPoints} IS NULL AND (${t.maxChoices} IS NULL OR ${t.maxChoices} > 0)) OR (${t.ballotType} = 'points' AND ${t.totalPoints} > 0 AND ${t.maxChoices} IS NULL)`),
    check('comm_rounds_rule', sql`${t.rule} in ('greedy', 'mes') AND ${t.completion} in ('none', 'add1', 'add1_utilitarian', 'utilitarian') AND (${t.rule} = 'mes' OR ${t.completion} = 'none')`),
    check('comm_rounds_budget', sql`${t.budgetPence} > 0`),
    check('comm_rounds_frozen', sql`${t.frozen} OR ${t.phase} in ('proposals', 'review')`),
  ],
);

export const ELIGIBILITY = ['pending', 'eligible', 'ineligible'] as const;
export type Eligibility = (typeof ELIGIBILITY)[number];

/** A proposal for the budget, from a member, ward rep, coordinator or partner. */
export const commProposals = pgTable(
  'comm_proposals',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    roundId: uuid('round_id'),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    wardIds: jsonb('ward_ids').$type<string[]>().notNull().default([]),
    costPence: bigint('cost_pence', { mode: 'number' }).notNull(),
    /** A service of the resource audit (no foreign key: another module's record) … */
    serviceId: uuid('service_id'),
    /** … or the provider in words. */
    providerText: text('provider_text').notNull().default(''),
    reportIds: jsonb('report_ids').$type<string[]>().notNull().default([]),
    findingIds: jsonb('finding_ids').$type<string[]>().notNull().default([]),
    /** METRICS.md indicator ids (S1…L7). */
    indicators: jsonb('indicators').$type<string[]>().notNull().default([]),
    proposerId: uuid('proposer_id'),
    eligibility: text('eligibility').$type<Eligibility>().notNull().default('pending'),
    eligibilityReason: text('eligibility_reason').notNull().default(''),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.roundId], foreignColumns: [commRounds.tenantId, commRounds.id] }),
    foreignKey({ columns: [t.tenantId, t.proposerId], foreignColumns: [members.tenantId, members.id] }).onDelete('set null'),
    index('comm_proposals_round').on(t.tenantId, t.roundId),
    check('comm_proposals_cost', sql`${t.costPence} > 0`),
    check('comm_proposals_eligibility', sql`${t.eligibility} in ('pending', 'eligible', 'ineligible')`),
  ],
);

/**
 * The register of who voted in a round (SECURITY.md 22–23): member and round only, no time, no
 * ballot reference. The primary key is the one-member-one-vote constraint.
 */
export const commVoters = pgTable(
  'comm_voters',
  {
    tenantId: uuid('tenant_id').notNull(),
    roundId: uuid('round_id').notNull(),
    memberId: uuid('member_id').notNull(),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.roundId, t.memberId] }),
    foreignKey({ columns: [t.tenantId, t.roundId], foreignColumns: [commRounds.tenantId, commRounds.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
  ],
);

/**
 * The anonymous ballots: a random (v4) id, the choices and the hash of the voter's receipt code.
 * No member id, address or time; nothing joins it to comm_voters.
 */
export const commBallots = pgTable(
  'comm_ballots',
  {
    tenantId: uuid('tenant_id').notNull(),
    roundId: uuid('round_id').notNull(),
    id: uuid('id').notNull(),
    /** [{ p: proposal id, pts: points (1 for approval) }]. */
    choices: jsonb('choices').$type<Array<{ p: string; pts: number }>>().notNull(),
    receiptHash: text('receipt_hash').notNull(),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.roundId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.roundId], foreignColumns: [commRounds.tenantId, commRounds.id] }).onDelete('cascade'),
    uniqueIndex('comm_ballots_receipt').on(t.tenantId, t.roundId, t.receiptHash),
  ],
);

export type PotRow = typeof commPots.$inferSelect;
export type LedgerRow = typeof commLedger.$inferSelect;
export type RoundRow = typeof commRounds.$inferSelect;
export type ProposalRow = typeof commProposals.$inferSelect;
export type BallotRow = typeof commBallots.$inferSelect;
export * from './schema-ballots.ts';
export * from './schema-contracts.ts';
export * from './schema-commissions.ts';
