import type { Catalogue } from '../../db/privacy.ts';

// BASE (issue 12): the helpers refine purposes and retention; every column is classified here.
const board = 'run the society: who holds which seat and office (the rules and the Co-operative and Community Benefit Societies Act 2014)';
const record = 'keep the society’s record of its meetings and decisions';
const interests = 'manage conflicts of interest (the conflicts policy)';
const li = 'legitimate interests' as const;
const lo = 'legal obligation' as const;

export const governanceData = {
  gov_settings: { personal: {}, other: ['tenant_id', 'society_name', 'registration_number', 'registered_on', 'register_name', 'board_quorum_kind', 'board_quorum_value', 'general_quorum_kind', 'general_quorum_value', 'board_notice_days', 'general_notice_days', 'agm_notice_days', 'special_threshold_pct', 'proxies_allowed', 'rotation_denominator', 'ward_seats', 'term_years', 'updated_at'] },
  gov_documents: { personal: {}, other: ['tenant_id', 'id', 'kind', 'slug', 'title', 'title_pl', 'is_demo', 'created_at'] },
  gov_document_versions: {
    personal: { created_by: { purpose: record, lawfulBasis: li, retention: 'as the version; cleared on the author’s erasure' } },
    other: ['tenant_id', 'id', 'document_id', 'version', 'body', 'body_pl', 'status', 'adopted_on', 'adopted_by_motion_id', 'created_at'],
  },
  gov_seats: { personal: {}, other: ['tenant_id', 'id', 'kind', 'label', 'label_pl', 'ward_id', 'active', 'sort_order'] },
  gov_terms: {
    personal: {
      member_id: { purpose: board, lawfulBasis: lo, retention: 'cleared on erasure; the published name stays in the society’s register' },
      holder_name: { purpose: board, lawfulBasis: lo, retention: 'permanent: the society’s register of officers and board members' },
    },
    other: ['tenant_id', 'id', 'seat_id', 'starts_on', 'ends_on', 'source', 'election_id', 'ended_early_on', 'role_granted_at', 'role_removed_at', 'is_demo', 'created_at'],
  },
  gov_officers: {
    personal: {
      member_id: { purpose: board, lawfulBasis: lo, retention: 'cleared on erasure; the published name stays' },
      holder_name: { purpose: board, lawfulBasis: lo, retention: 'permanent: the society’s register of officers' },
    },
    other: ['tenant_id', 'id', 'office', 'starts_on', 'ends_on', 'is_demo'],
  },
  gov_interests: {
    personal: {
      member_id: { purpose: interests, lawfulBasis: lo, retention: 'while the member serves and 6 years after; deleted on erasure' },
      description: { purpose: interests, lawfulBasis: lo, retention: 'as member_id' },
    },
    other: ['tenant_id', 'id', 'related_kind', 'related_id', 'declared_on', 'ended_on', 'is_demo', 'updated_at'],
  },
  gov_meetings: {
    personal: {
      chair_id: { purpose: record, lawfulBasis: li, retention: 'as the meeting; cleared on erasure' },
      created_by: { purpose: record, lawfulBasis: li, retention: 'as the meeting; cleared on erasure' },
    },
    other: ['tenant_id', 'id', 'kind', 'title', 'title_pl', 'starts_at', 'ends_at', 'location', 'online_url', 'status', 'called_at', 'quorum_kind', 'quorum_value', 'entitled_count', 'is_demo', 'created_at'],
  },
  gov_agenda_items: { personal: {}, other: ['tenant_id', 'id', 'meeting_id', 'position', 'title', 'title_pl', 'body'] },
  gov_papers: { personal: {}, other: ['tenant_id', 'id', 'meeting_id', 'item_id', 'kind', 'title', 'body', 'url', 'created_at'] },
  gov_attendance: {
    personal: {
      member_id: { purpose: record, lawfulBasis: lo, retention: 'as the minutes; deleted on erasure (the counts stay in the minutes)' },
      mode: { purpose: record, lawfulBasis: lo, retention: 'as member_id' },
      proxy_holder_id: { purpose: record, lawfulBasis: lo, retention: 'as member_id' },
      recorded_by: { purpose: record, lawfulBasis: li, retention: 'as the row' },
    },
    other: ['tenant_id', 'meeting_id', 'recorded_at'],
  },
  gov_minutes: {
    personal: { drafted_by: { purpose: record, lawfulBasis: li, retention: 'as the minutes; cleared on erasure' } },
    other: ['tenant_id', 'meeting_id', 'body', 'status', 'drafted_at', 'approved_at_meeting_id', 'approved_at', 'published_at'],
  },
  gov_motions: {
    personal: {
      proposer_id: { purpose: record, lawfulBasis: li, retention: 'cleared on erasure; the published name stays in the minutes' },
      proposer_name: { purpose: record, lawfulBasis: li, retention: 'permanent: part of the society’s record' },
      seconder_id: { purpose: record, lawfulBasis: li, retention: 'cleared on erasure; the published name stays in the minutes' },
      seconder_name: { purpose: record, lawfulBasis: li, retention: 'permanent: part of the society’s record' },
      recorded_by: { purpose: record, lawfulBasis: li, retention: 'as the motion' },
    },
    other: ['tenant_id', 'id', 'meeting_id', 'item_id', 'title', 'title_pl', 'body', 'body_pl', 'kind', 'threshold_pct', 'voting', 'electorate', 'refers_kind', 'refers_id', 'refers_label', 'refers_href', 'opens_at', 'closes_at', 'status', 'votes_for', 'votes_against', 'abstentions', 'conflicted_count', 'outcome', 'decided_at', 'is_demo', 'created_at'],
  },
  gov_motion_interests: {
    personal: {
      member_id: { purpose: interests, lawfulBasis: lo, retention: 'as the minutes; deleted on erasure' },
      note: { purpose: interests, lawfulBasis: lo, retention: 'as member_id' },
    },
    other: ['tenant_id', 'motion_id', 'declared_at'],
  },
  gov_motion_voters: {
    personal: { member_id: { purpose: 'one member, one vote (SECURITY.md 22)', lawfulBasis: li, retention: 'as the motion; deleted on erasure' } },
    other: ['tenant_id', 'motion_id'],
  },
  // Anonymous by construction (SECURITY.md 23): no member, no time.
  gov_motion_ballots: { personal: {}, other: ['tenant_id', 'motion_id', 'id', 'choice', 'receipt_hash'] },
  gov_decisions: { personal: {}, other: ['tenant_id', 'id', 'number', 'decided_on', 'kind', 'title', 'title_pl', 'summary', 'summary_pl', 'meeting_id', 'motion_id', 'election_id', 'outcome', 'votes_for', 'votes_against', 'abstentions', 'rule', 'refs', 'is_demo', 'created_at'] },
  gov_decision_counters: { personal: {}, other: ['tenant_id', 'last_number'] },
} satisfies Catalogue;
