import type { Catalogue } from '../../db/privacy.ts';

const LEVELS = 'the member’s record of volunteering on the ladder of participation';
const KEPT = 'while the person is a member; deleted on erasure (the level history is the member’s own record, not kept for anyone else)';

/**
 * Privacy tags of the ladder's tables (SECURITY.md 13). Levels, requirements and role requirements
 * are the tenant's configuration (no personal data). Level history, step-up requests, sign-offs and
 * the eligibility snapshot are about a member: all deleted on erasure (personal-data.ts). The level
 * history is the member's own record; nothing the law requires us to keep, so it goes too.
 */
export const ladderData = {
  ladder_levels: {
    personal: {},
    other: ['tenant_id', 'id', 'number', 'title', 'title_pl', 'description', 'description_pl', 'minutes_required', 'dbs_required', 'sign_off_required', 'created_at', 'updated_at'],
  },
  ladder_requirements: { personal: {}, other: ['tenant_id', 'id', 'level_id', 'kind', 'any_of', 'position'] },
  ladder_role_requirements: { personal: {}, other: ['tenant_id', 'role', 'kind', 'key'] },
  ladder_member_levels: {
    personal: {
      member_id: { purpose: LEVELS, lawfulBasis: 'legitimate interests', retention: KEPT },
      from_date: { purpose: LEVELS, lawfulBasis: 'legitimate interests', retention: KEPT },
      to_date: { purpose: LEVELS, lawfulBasis: 'legitimate interests', retention: KEPT },
      approved_by: { purpose: 'who approved the step (accountability)', lawfulBasis: 'legitimate interests', retention: KEPT },
    },
    other: ['tenant_id', 'id', 'level_id', 'request_id', 'is_demo', 'created_at'],
  },
  ladder_step_up_requests: {
    personal: {
      member_id: { purpose: 'decide a volunteer’s request to step up', lawfulBasis: 'legitimate interests', retention: KEPT },
      reason: { purpose: 'tell the volunteer why a request was declined', lawfulBasis: 'legitimate interests', retention: KEPT },
      decided_by: { purpose: 'who decided the request (accountability)', lawfulBasis: 'legitimate interests', retention: KEPT },
      requested_at: { purpose: 'decide a volunteer’s request to step up', lawfulBasis: 'legitimate interests', retention: KEPT },
      decided_at: { purpose: 'decide a volunteer’s request to step up', lawfulBasis: 'legitimate interests', retention: KEPT },
    },
    other: ['tenant_id', 'id', 'from_level_id', 'to_level_id', 'status', 'is_demo'],
  },
  ladder_sign_offs: {
    personal: {
      member_id: { purpose: 'a coordinator’s sign-off, a requirement of some levels', lawfulBasis: 'legitimate interests', retention: KEPT },
      signed_by: { purpose: 'who signed the member off (accountability)', lawfulBasis: 'legitimate interests', retention: KEPT },
      signed_at: { purpose: 'a coordinator’s sign-off, a requirement of some levels', lawfulBasis: 'legitimate interests', retention: KEPT },
    },
    other: ['tenant_id', 'level_id', 'is_demo'],
  },
  ladder_eligibility: {
    personal: {
      member_id: { purpose: 'show volunteers and coordinators what the next level still needs', lawfulBasis: 'legitimate interests', retention: 'recomputed every few minutes; deleted on erasure or when no longer a volunteer' },
      missing: { purpose: 'show volunteers and coordinators what the next level still needs', lawfulBasis: 'legitimate interests', retention: 'recomputed every few minutes; deleted on erasure or when no longer a volunteer' },
      ward_id: { purpose: 'volunteers per level per ward on the dashboard', lawfulBasis: 'legitimate interests', retention: 'recomputed every few minutes; deleted on erasure or when no longer a volunteer' },
    },
    other: ['tenant_id', 'current_level_id', 'next_level_id', 'eligible', 'is_demo', 'computed_at'],
  },
} satisfies Catalogue;
