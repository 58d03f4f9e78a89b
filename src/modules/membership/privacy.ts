import type { Catalogue } from '../../db/privacy.ts';

const membership = 'run the membership: register of members, contact, representation';
// "Blanked/deleted on erasure" includes the copies in the table files: erase() vacuums the tables it
// changed and rebuilds the members indexes afterwards (see data-rights.ts#vacuumAfterErasure). WAL
// already written and earlier backups keep the old values until they are recycled or expire.
const whileMember = 'while a member; blanked on erasure; register entry kept as the law requires';

/** Privacy tags of the membership module's tables (SECURITY.md 13). The register of members, their roles, sessions, sign-in factors and representation. */
export const membershipData = {
  members: {
    personal: {
      name: { purpose: membership, lawfulBasis: 'contract', retention: whileMember },
      email: { purpose: `${membership}; sign-in`, lawfulBasis: 'contract', retention: whileMember },
      email_verified_at: { purpose: 'sign-in', lawfulBasis: 'contract', retention: whileMember },
      phone: { purpose: membership, lawfulBasis: 'contract', retention: whileMember },
      ward_id: { purpose: 'ward representation and counts', lawfulBasis: 'contract', retention: whileMember },
      relationship: { purpose: 'know who the mutual reaches', lawfulBasis: 'contract', retention: whileMember },
      children_under_5: { purpose: 'know which families the mutual reaches', lawfulBasis: 'consent', retention: 'until consent is withdrawn or erasure' },
      preferred_locale: { purpose: 'write to the member in their language', lawfulBasis: 'contract', retention: whileMember },
      external_ref: { purpose: 'match imports from the previous register', lawfulBasis: 'legitimate interests', retention: whileMember },
      consent_version: { purpose: 'prove consent to the privacy notice', lawfulBasis: 'legal obligation', retention: 'as the register entry' },
      consented_at: { purpose: 'prove consent to the privacy notice', lawfulBasis: 'legal obligation', retention: 'as the register entry' },
      suspended_at: { purpose: 'protect members and the mutual', lawfulBasis: 'legitimate interests', retention: whileMember },
      pending_email: { purpose: 'confirm a new email address with the member before it is used', lawfulBasis: 'contract', retention: 'until confirmed or declined; blanked on erasure' },
      pending_email_requested_at: { purpose: 'confirm a new email address with the member before it is used', lawfulBasis: 'contract', retention: 'until confirmed or declined; blanked on erasure' },
      pending_email_accepted_at: { purpose: 'confirm a new email address with the member before it is used', lawfulBasis: 'contract', retention: 'until confirmed or declined; blanked on erasure' },
      pending_phone: { purpose: 'confirm a new phone number with the member before it is used', lawfulBasis: 'contract', retention: 'until accepted or declined; blanked on erasure' },
      pending_phone_requested_at: { purpose: 'confirm a new phone number with the member before it is used', lawfulBasis: 'contract', retention: 'until accepted or declined; blanked on erasure' },
      import_snapshot: { purpose: 'keep a member’s own edits when the register is imported again', lawfulBasis: 'legitimate interests', retention: whileMember },
      imported_at: { purpose: 'keep a member’s own edits when the register is imported again', lawfulBasis: 'legitimate interests', retention: whileMember },
    },
    other: ['tenant_id', 'id', 'member_number', 'status', 'join_key', 'is_demo', 'created_at', 'updated_at'],
  },
  member_counters: { personal: {}, other: ['tenant_id', 'last'] },
  member_status_history: { personal: {}, other: ['tenant_id', 'id', 'member_id', 'status', 'changed_at', 'changed_by', 'reason'] },
  member_roles: { personal: {}, other: ['tenant_id', 'member_id', 'role', 'granted_at', 'granted_by'] },
  ward_representatives: { personal: {}, other: ['tenant_id', 'id', 'member_id', 'ward_id', 'starts_on', 'ends_on', 'appointed_by', 'created_at'] },
  sessions: {
    personal: {
      last_seen_at: { purpose: 'session idle timeout', lawfulBasis: 'legitimate interests', retention: 'until the session ends; deleted on erasure' },
    },
    other: ['id', 'tenant_id', 'member_id', 'created_at', 'expires_at', 'second_factor_at', 'revoked_at'],
  },
  member_tokens: { personal: {}, other: ['token_hash', 'tenant_id', 'member_id', 'purpose', 'session_id', 'expires_at', 'used_at', 'created_at', 'attempts', 'may_enrol'] },
  totp_factors: {
    personal: { secret_enc: { purpose: 'second factor for staff sign-in', lawfulBasis: 'legitimate interests', retention: 'while the member holds a staff role; deleted on erasure' } },
    other: ['tenant_id', 'member_id', 'confirmed_at', 'last_used_step', 'failed_count', 'failed_since'],
  },
  passkeys: {
    personal: { public_key: { purpose: 'passkey sign-in', lawfulBasis: 'contract', retention: 'until the member removes it; deleted on erasure' } },
    other: ['tenant_id', 'id', 'member_id', 'counter', 'transports', 'created_at', 'last_used_at', 'second_factor'],
  },
  // Staff second factor: keyed hashes of recovery codes, and reset requests (who asked, who approved).
  recovery_codes: { personal: {}, other: ['tenant_id', 'member_id', 'code_hash', 'created_at', 'used_at'] },
  second_factor_resets: { personal: {}, other: ['tenant_id', 'id', 'member_id', 'requested_by', 'requested_at', 'approved_by', 'completed_at', 'cancelled_at'] },
  webauthn_challenges: { personal: {}, other: ['id', 'tenant_id', 'member_id', 'purpose', 'challenge', 'expires_at'] },
  rate_limits: { personal: {}, other: ['key', 'window_start', 'count'] },
  // Sign-in by text message (issue 7 item 13).
  phone_codes: { personal: {}, other: ['id', 'tenant_id', 'member_id', 'code_hash', 'attempts', 'expires_at', 'used_at', 'created_at'] },
} satisfies Catalogue;
