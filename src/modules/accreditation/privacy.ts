import type { Catalogue } from '../../db/privacy.ts';

/**
 * Privacy tags of the accreditation tables (SECURITY.md 13). Awards are personal (who holds what);
 * on erasure they are deleted, not blanked (personal-data.ts), so a certificate check for an erased
 * person's code answers "not known": a certificate cannot outlive the person's right to be forgotten.
 */
const AWARD = { purpose: 'record and let others check the qualifications a volunteer holds', lawfulBasis: 'legitimate interests', retention: 'while a member; deleted on erasure' } as const;

export const accreditationData = {
  qualification_kinds: {
    personal: {},
    other: ['tenant_id', 'id', 'key', 'title', 'title_pl', 'description', 'description_pl', 'validity_months', 'reactivatable', 'reactivation_months', 'created_at', 'updated_at'],
  },
  qualification_kind_courses: { personal: {}, other: ['tenant_id', 'kind_id', 'course_key', 'relation'] },
  qualifications: {
    personal: {
      member_id: AWARD,
      issued_on: AWARD,
      expires_on: AWARD,
      reason: { ...AWARD, purpose: 'say where an accreditation done elsewhere was achieved' },
      code: { ...AWARD, purpose: 'let someone the holder shows the certificate to check it' },
      revoke_reason: { ...AWARD, purpose: 'record why a qualification was revoked' },
      reminded_at: { ...AWARD, purpose: 'send one expiry notice per award' },
    },
    other: ['tenant_id', 'id', 'kind_id', 'source', 'course_key', 'session_id', 'renewal_of', 'awarded_by', 'revoked_at', 'revoked_by', 'is_demo', 'created_at'],
  },
} satisfies Catalogue;
