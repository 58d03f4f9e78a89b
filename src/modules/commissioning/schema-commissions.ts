import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenancy/schema.ts';
import { commPots } from './schema.ts';

/**
 * Commissioning the other way (issue 13 item 8): a children's centre, the council, a school or
 * another body commissions the mutual (intelligence gathering, parent-led provision, consultation).
 * The money it pays is ledger `income` into a pot (key `income:commission:<id>:<token>`), so the
 * ledger stays the one record of money; nothing here holds amounts received.
 */
export const COMMISSIONER_KINDS = ['childrens_centre', 'council', 'school', 'health', 'voluntary', 'other'] as const;
export type CommissionerKind = (typeof COMMISSIONER_KINDS)[number];

export const COMMISSION_STATUSES = ['enquiry', 'quoted', 'agreed', 'in_progress', 'delivered', 'closed', 'declined', 'cancelled'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

export const commCommissions = pgTable(
  'comm_commissions',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    title: text('title').notNull(),
    /** What the commissioner asks for, in their words (public once agreed). */
    brief: text('brief').notNull(),
    commissionerKind: text('commissioner_kind').$type<CommissionerKind>().notNull(),
    /** The organisation's name (public once agreed). */
    commissionerName: text('commissioner_name').notNull(),
    /** A provider of the resource audit (no foreign key: another module's record). */
    providerId: uuid('provider_id'),
    /** The commissioner's contact person: personal data, coordinators only, blanked by retention. */
    contactName: text('contact_name').notNull().default(''),
    contactEmail: text('contact_email').notNull().default(''),
    pricePence: bigint('price_pence', { mode: 'number' }).notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    potId: uuid('pot_id').notNull(),
    status: text('status').$type<CommissionStatus>().notNull().default('enquiry'),
    /** Why it was declined or cancelled (coordinators). */
    statusNote: text('status_note').notNull().default(''),
    /** Set when agreed: from then on it is on the public page (also if cancelled later). */
    agreedAt: timestamp('agreed_at', { withTimezone: true }),
    /** Set when it reaches closed, declined or cancelled (retention counts from here). */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.potId], foreignColumns: [commPots.tenantId, commPots.id] }),
    index('comm_commissions_status').on(t.tenantId, t.status),
    check('comm_commissions_price', sql`${t.pricePence} > 0`),
    check('comm_commissions_dates', sql`${t.endsOn} >= ${t.startsOn}`),
    check('comm_commissions_status', sql`${t.status} in ('enquiry', 'quoted', 'agreed', 'in_progress', 'delivered', 'closed', 'declined', 'cancelled')`),
    check('comm_commissions_kind', sql`${t.commissionerKind} in ('childrens_centre', 'council', 'school', 'health', 'voluntary', 'other')`),
  ],
);

export const DELIVERABLE_STATUSES = ['pending', 'delivered'] as const;
export type DeliverableStatus = (typeof DELIVERABLE_STATUSES)[number];

export const commDeliverables = pgTable(
  'comm_deliverables',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    commissionId: uuid('commission_id').notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    status: text('status').$type<DeliverableStatus>().notNull().default('pending'),
    /** What was delivered, in a line (public once the commission is agreed). */
    note: text('note').notNull().default(''),
    /** A link to it: a page of the site (an intelligence summary) or an https address. */
    link: text('link').notNull().default(''),
    deliveredOn: date('delivered_on', { mode: 'string' }),
    position: integer('position').notNull().default(0),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.commissionId], foreignColumns: [commCommissions.tenantId, commCommissions.id] }).onDelete('cascade'),
    index('comm_deliverables_commission').on(t.tenantId, t.commissionId),
    check('comm_deliverables_status', sql`${t.status} in ('pending', 'delivered') AND (${t.status} = 'delivered') = (${t.deliveredOn} IS NOT NULL)`),
  ],
);

export type CommissionRow = typeof commCommissions.$inferSelect;
export type DeliverableRow = typeof commDeliverables.$inferSelect;
