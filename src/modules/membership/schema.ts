import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  jsonb,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from '../tenancy/schema.ts';

export const MEMBER_STATUSES = ['pending', 'active', 'lapsed', 'left', 'erased'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const RELATIONSHIPS = ['parent', 'grandparent', 'carer', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
export const ROLES = [
  'member',
  'volunteer',
  'street_champion',
  'ward_rep',
  'coordinator',
  'board',
  'safeguarding_lead',
  'partner',
  'viewer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Values a CSV import set on a member (ward as its id); absent keys were left blank by the import. */
export interface ImportSnapshot {
  name?: string;
  email?: string;
  phone?: string;
  wardId?: string;
  relationship?: Relationship;
  childrenUnder5?: number;
  preferredLocale?: string;
  status?: MemberStatus;
  externalRef?: string;
}

/** Personal-data columns are tagged in ./privacy.ts (purpose, lawful basis, retention). */
export const members = pgTable('members', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  memberNumber: integer('member_number').notNull(),
  name: text('name').notNull(),
  /** Lower-cased; unique per tenant among members who have not been erased. */
  email: text('email'),
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
  /** E.164. */
  phone: text('phone'),
  wardId: uuid('ward_id'),
  relationship: text('relationship').$type<Relationship>().notNull(),
  childrenUnder5: integer('children_under_5'),
  preferredLocale: text('preferred_locale').notNull().default('en'),
  consentVersion: text('consent_version').notNull(),
  consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
  status: text('status').$type<MemberStatus>().notNull(),
  /** Reference in another system (CSV import matching). */
  externalRef: text('external_ref'),
  /** Client key of the join request, so a retried join never makes two members. */
  joinKey: text('join_key'),
  suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  /** Loaded by `parent-mutual demo load`: shown as demo wherever it appears, removed by `demo clear`. */
  isDemo: boolean('is_demo').notNull().default(false),
  /**
   * A new email address someone other than the member asked for (import, coordinator). It takes
   * effect only when confirmed from the new address; a member with a verified email must first
   * accept it, signed in (pending_email_accepted_at).
   */
  pendingEmail: text('pending_email'),
  pendingEmailRequestedAt: timestamp('pending_email_requested_at', { withTimezone: true }),
  pendingEmailAcceptedAt: timestamp('pending_email_accepted_at', { withTimezone: true }),
  /** A new phone number someone else asked for; it takes effect when the member accepts it, signed in. */
  pendingPhone: text('pending_phone'),
  pendingPhoneRequestedAt: timestamp('pending_phone_requested_at', { withTimezone: true }),
  /** What the last CSV import set, per field, to tell a later edit in the app from an old import value. */
  importSnapshot: jsonb('import_snapshot').$type<ImportSnapshot>(),
  importedAt: timestamp('imported_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  uniqueIndex('members_number').on(t.tenantId, t.memberNumber),
  uniqueIndex('members_email').on(t.tenantId, t.email).where(sql`${t.email} IS NOT NULL`),
  uniqueIndex('members_external_ref').on(t.tenantId, t.externalRef).where(sql`${t.externalRef} IS NOT NULL`),
  uniqueIndex('members_join_key').on(t.tenantId, t.joinKey).where(sql`${t.joinKey} IS NOT NULL`),
  index('members_ward').on(t.tenantId, t.wardId),
  index('members_status').on(t.tenantId, t.status),
  index('members_name_lower').on(t.tenantId, sql`lower(${t.name})`),
  // Search compares names without accents and case (migration 0006 defines f_unaccent).
  index('members_name_unaccent_trgm').using('gin', sql`f_unaccent(lower(${t.name})) gin_trgm_ops`),
  index('members_phone').on(t.tenantId, t.phone).where(sql`${t.phone} IS NOT NULL`),
  index('members_email_trgm').using('gin', sql`${t.email} gin_trgm_ops`),
  index('members_status_created').on(t.tenantId, t.status, t.createdAt),
]);

/** Next member number per tenant (a counter row locked by UPDATE … RETURNING). */
export const memberCounters = pgTable('member_counters', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  last: integer('last').notNull(),
});

export const memberStatusHistory = pgTable('member_status_history', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  memberId: uuid('member_id').notNull(),
  status: text('status').$type<MemberStatus>().notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  /** A member id or a system actor. */
  changedBy: text('changed_by').notNull(),
  reason: text('reason').notNull().default(''),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('member_status_history_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

export const memberRoles = pgTable('member_roles', {
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  role: text('role').$type<Role>().notNull(),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  grantedBy: text('granted_by').notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.memberId, t.role] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

export const wardRepresentatives = pgTable('ward_representatives', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  memberId: uuid('member_id').notNull(),
  wardId: uuid('ward_id').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on'),
  appointedBy: text('appointed_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('ward_representatives_ward').on(t.tenantId, t.wardId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/** Server-side sessions; the cookie holds a random token, the table only its hash. */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  secondFactorAt: timestamp('second_factor_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [
  index('sessions_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

export const TOKEN_PURPOSES = ['sign_in', 'confirm_email', 'data_export', 'second_factor', 'confirm_email_change', 'staff_invitation'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Single-use tokens (email sign-in links, email confirmation, data download, 2FA step, staff invitations). */
export const memberTokens = pgTable('member_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  purpose: text('purpose').$type<TokenPurpose>().notNull(),
  /** For data_export: the session the link is bound to. */
  sessionId: text('session_id'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** second_factor: wrong codes tried with this pending sign-in (burnt at the cap). */
  attempts: integer('attempts').notNull().default(0),
  /** second_factor: the sign-in proved an address verified beforehand (or came by invitation), so TOTP may be set up. */
  mayEnrol: boolean('may_enrol').notNull().default(false),
}, (t) => [
  index('member_tokens_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/** TOTP second factor for staff roles; the secret is encrypted with the instance key. */
export const totpFactors = pgTable('totp_factors', {
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  secretEnc: text('secret_enc').notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  /** Wrong second-factor codes for this member since failedSince (a window, never a permanent lock). */
  failedCount: integer('failed_count').notNull().default(0),
  failedSince: timestamp('failed_since', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.memberId] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/** Fixed-window rate-limit counters shared by every app process. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

export type Member = typeof members.$inferSelect;
export type Session = typeof sessions.$inferSelect;

/** Passkeys (WebAuthn credentials) members use to sign in; public keys only. */
export const passkeys = pgTable('passkeys', {
  tenantId: uuid('tenant_id').notNull(),
  /** Credential id (base64url). */
  id: text('id').notNull(),
  memberId: uuid('member_id').notNull(),
  /** COSE public key (base64url). */
  publicKey: text('public_key').notNull(),
  counter: bigint('counter', { mode: 'number' }).notNull(),
  transports: text('transports').notNull().default('[]'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  /** Registered from a session that had a staff second factor: only then does it count as one. */
  secondFactor: boolean('second_factor').notNull().default(false),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('passkeys_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/** WebAuthn challenges, single-use and short-lived, kept server-side so any instance can check them. */
export const webauthnChallenges = pgTable('webauthn_challenges', {
  id: text('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id'),
  purpose: text('purpose').$type<'register' | 'authenticate'>().notNull(),
  challenge: text('challenge').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * Pending sign-ins by a code sent in a text message. The id is the hash of the random token kept
 * in the person's cookie; the 6-digit code is stored only as an HMAC under the instance key, is
 * single-use, lives 10 minutes and is burnt after 5 wrong tries. member_id is null when the number
 * belonged to nobody: that row does the same work and no code ever matches it.
 */
export const phoneCodes = pgTable('phone_codes', {
  id: text('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id'),
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('phone_codes_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/** Single-use recovery codes for the staff second factor (10 at enrolment), stored as keyed hashes. */
export const recoveryCodes = pgTable('recovery_codes', {
  tenantId: uuid('tenant_id').notNull(),
  memberId: uuid('member_id').notNull(),
  codeHash: text('code_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  usedAt: timestamp('used_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.memberId, t.codeHash] }),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);

/** Requests to reset a staff member's lost second factor; with two or more other admins a second admin approves. */
export const secondFactorResets = pgTable('second_factor_resets', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  memberId: uuid('member_id').notNull(),
  requestedBy: text('requested_by').notNull(),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  approvedBy: text('approved_by'),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('second_factor_resets_member').on(t.tenantId, t.memberId),
  foreignKey({ columns: [t.tenantId, t.memberId], foreignColumns: [members.tenantId, members.id] }).onDelete('cascade'),
]);
