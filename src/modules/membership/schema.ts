import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
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

export const TOKEN_PURPOSES = ['sign_in', 'confirm_email', 'data_export', 'second_factor'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Single-use tokens (email sign-in links, email confirmation, data download, 2FA step). */
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
