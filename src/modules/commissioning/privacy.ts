import type { Catalogue } from '../../db/privacy.ts';
import { commissioningBallotsData } from './privacy-ballots.ts';
import { contractsData } from './privacy-contracts.ts';
import { commissionsData } from './privacy-commissions.ts';

/**
 * Privacy tags of commissioning's tables (SECURITY.md 22–25).
 *
 * Ballots are secret: `comm_voters` says only that a member voted in a round (no time, no ballot
 * reference); `comm_ballots` holds the choices and the hash of the voter's receipt code, with a
 * random v4 id and no member id, address or time. Nothing joins the two. While voting, ballots are
 * only sealed boxes (comm_ballot_box, privacy-ballots.ts); closing writes them into comm_ballots in
 * a random order and the register in member-id order (counting.ts#closeAndCount).
 * Proposals name their proposer (a member) so the proposer sees the eligibility decision.
 */
const VOTED = { purpose: 'one member, one vote: who has voted in a budget round (not how)', lawfulBasis: 'legitimate interests', retention: 'while the round is kept; deleted on erasure' } as const;
const PROPOSER = { purpose: 'who proposed a budget proposal, to tell them the eligibility decision', lawfulBasis: 'legitimate interests', retention: 'while a member; blanked on erasure (the proposal stays)' } as const;

export const commissioningData = {
  comm_pots: { personal: {}, other: ['tenant_id', 'id', 'name', 'name_pl', 'financial_year', 'source', 'funder', 'is_demo', 'created_at'] },
  comm_ledger: { personal: {}, other: ['tenant_id', 'id', 'pot_id', 'kind', 'amount_pence', 'round_id', 'proposal_id', 'idempotency_key', 'note', 'created_by', 'is_demo', 'created_at'] },
  comm_rounds: {
    personal: {},
    other: ['tenant_id', 'id', 'title', 'title_pl', 'pot_id', 'budget_pence', 'phase', 'ward_id', 'ballot_type', 'max_choices', 'total_points', 'rule', 'completion', 'frozen', 'result', 'ballots_pb', 'motion_id', 'is_demo', 'created_at'],
  },
  comm_proposals: {
    personal: { proposer_id: PROPOSER, decided_by: { ...PROPOSER, purpose: 'which coordinator decided eligibility' } },
    other: ['tenant_id', 'id', 'round_id', 'title', 'summary', 'ward_ids', 'cost_pence', 'service_id', 'provider_text', 'report_ids', 'finding_ids', 'indicators', 'eligibility', 'eligibility_reason', 'decided_at', 'is_demo', 'created_at'],
  },
  comm_voters: { personal: { member_id: VOTED }, other: ['tenant_id', 'round_id', 'is_demo'] },
  comm_ballots: { personal: {}, other: ['tenant_id', 'round_id', 'id', 'choices', 'receipt_hash', 'is_demo'] },
  ...commissioningBallotsData,
  ...contractsData,
  ...commissionsData,
} satisfies Catalogue;
