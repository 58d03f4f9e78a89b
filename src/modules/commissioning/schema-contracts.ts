import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { commPots, commProposals, commRounds } from './schema.ts';

/** draft → signed → completed | terminated (a draft may also be terminated, i.e. abandoned). */
export const CONTRACT_STATUSES = ['draft', 'signed', 'completed', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/**
 * A contract for one funded proposal of a published round (one per proposal). Signing writes the
 * ledger commitment `commitment:<id>` of its value in the same transaction. Provider: a resource
 * audit provider (no foreign key: another module's record) or a name in words.
 */
export const commContracts = pgTable(
  'comm_contracts',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    roundId: uuid('round_id').notNull(),
    proposalId: uuid('proposal_id').notNull(),
    potId: uuid('pot_id').notNull(),
    providerId: uuid('provider_id'),
    providerName: text('provider_name').notNull(),
    valuePence: bigint('value_pence', { mode: 'number' }).notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    /** METRICS.md indicator ids the provider reports on. */
    indicators: jsonb('indicators').$type<string[]>().notNull().default([]),
    status: text('status').$type<ContractStatus>().notNull().default('draft'),
    /** The form token of the request that created it (a retried POST finds this contract). */
    createKey: text('create_key').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closeReason: text('close_reason').notNull().default(''),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.proposalId], foreignColumns: [commProposals.tenantId, commProposals.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.roundId], foreignColumns: [commRounds.tenantId, commRounds.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.potId], foreignColumns: [commPots.tenantId, commPots.id] }).onDelete('cascade'),
    uniqueIndex('comm_contracts_proposal').on(t.tenantId, t.proposalId),
    uniqueIndex('comm_contracts_create_key').on(t.tenantId, t.createKey),
    check('comm_contracts_value', sql`${t.valuePence} > 0`),
    check('comm_contracts_dates', sql`${t.endsOn} >= ${t.startsOn}`),
    check('comm_contracts_status', sql`${t.status} in ('draft', 'signed', 'completed', 'terminated')`),
    check('comm_contracts_signed', sql`${t.status} = 'draft' OR ${t.status} = 'terminated' OR ${t.signedAt} IS NOT NULL`),
  ],
);

/** A milestone of a contract: what is delivered by when, for how much, and the report expected. */
export const commMilestones = pgTable(
  'comm_milestones',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    contractId: uuid('contract_id').notNull(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    /** The evidence or indicator report expected before payment. */
    evidence: text('evidence').notNull().default(''),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.contractId], foreignColumns: [commContracts.tenantId, commContracts.id] }).onDelete('cascade'),
    uniqueIndex('comm_milestones_position').on(t.tenantId, t.contractId, t.position),
    check('comm_milestones_amount', sql`${t.amountPence} > 0`),
  ],
);

export const PAYMENT_STATUSES = ['requested', 'approved', 'declined'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A payment against a milestone: requested by one person, approved by a different one (the check
 * `comm_payments_two_people` holds it at the database too); approval writes the ledger payment
 * `payment:<id>` in the same transaction. Requester and approver are member ids as text (like the
 * ledger's `created_by`): a financial record kept after a member leaves.
 */
export const commPayments = pgTable(
  'comm_payments',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    contractId: uuid('contract_id').notNull(),
    milestoneId: uuid('milestone_id').notNull(),
    amountPence: bigint('amount_pence', { mode: 'number' }).notNull(),
    note: text('note').notNull().default(''),
    status: text('status').$type<PaymentStatus>().notNull().default('requested'),
    requestedBy: text('requested_by').notNull(),
    /** The requester's role as shown publicly ('coordinator', 'admin'): people appear as roles, not names. */
    requestedRole: text('requested_role').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    /** The request form's token: a retried POST returns this payment. */
    requestKey: text('request_key').notNull(),
    decidedBy: text('decided_by'),
    decidedRole: text('decided_role'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The approval form's token: a retried approval returns the first result. */
    decideKey: text('decide_key'),
    ledgerEntryId: uuid('ledger_entry_id'),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.contractId], foreignColumns: [commContracts.tenantId, commContracts.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.milestoneId], foreignColumns: [commMilestones.tenantId, commMilestones.id] }).onDelete('cascade'),
    uniqueIndex('comm_payments_request_key').on(t.tenantId, t.requestKey),
    uniqueIndex('comm_payments_decide_key').on(t.tenantId, t.decideKey),
    index('comm_payments_contract').on(t.tenantId, t.contractId),
    check('comm_payments_amount', sql`${t.amountPence} > 0`),
    check('comm_payments_status', sql`${t.status} in ('requested', 'approved', 'declined')`),
    check('comm_payments_two_people', sql`${t.status} <> 'approved' OR (${t.decidedBy} IS NOT NULL AND ${t.decidedBy} <> ${t.requestedBy} AND ${t.ledgerEntryId} IS NOT NULL)`),
  ],
);

export type ContractRow = typeof commContracts.$inferSelect;
export type MilestoneRow = typeof commMilestones.$inferSelect;
export type PaymentRow = typeof commPayments.$inferSelect;
