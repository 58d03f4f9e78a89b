import type { Catalogue } from '../../db/privacy.ts';

/**
 * Privacy tags of the elections module (SECURITY.md 22–24).
 *
 * - The register (`elec_voters`) says only that a member voted in an election: no time, no ranking.
 * - The ballots (`elec_ballots`) are anonymous by construction: a random UUID v4, the ranking, the
 *   hash of a receipt code the voter alone saw; no member, no time, no address, and no key shared
 *   with the register (they are written in one transaction, in no particular order of rows).
 * - Nominations are personal (who stood, who nominated, the statement); a candidate's name on the
 *   ballot paper and in a published result is part of a public record of the mutual's governance.
 * Erasure removes the member's register rows and nominations that have not reached a ballot paper;
 * a published result keeps the names (the decisions register is a public record).
 */
const li = 'legitimate interests';
const NOM = { purpose: 'stand for election to the board: the nomination and statement', lawfulBasis: li, retention: 'as the election; deleted on erasure unless on a counted ballot paper' } as const;

export const electionsData = {
  elec_elections: {
    personal: {},
    other: ['tenant_id', 'id', 'title', 'title_pl', 'agm_on', 'seats', 'term_starts_on', 'term_ends_on', 'status', 'opens_at', 'closes_at', 'lot_seed', 'result', 'counted_at', 'published_at', 'is_demo', 'created_at', 'updated_at'],
  },
  elec_candidates: {
    personal: {
      member_id: NOM,
      nominated_by: { ...NOM, purpose: 'who nominated the candidate' },
      statement_en: NOM,
      statement_pl: NOM,
      ballot_name: { ...NOM, purpose: 'the name on the ballot paper and in the published result (public record)' },
      checked_by: { ...NOM, purpose: 'who checked the nomination' },
    },
    other: ['tenant_id', 'election_id', 'id', 'status', 'checked_at', 'is_demo', 'created_at'],
  },
  elec_voters: {
    personal: { member_id: { purpose: 'one member, one vote (SECURITY.md 22)', lawfulBasis: li, retention: 'as the election; deleted on erasure' } },
    other: ['tenant_id', 'election_id'],
  },
  // Anonymous by construction (SECURITY.md 23).
  elec_ballots: { personal: {}, other: ['tenant_id', 'election_id', 'id', 'ranking', 'receipt_hash'] },
} satisfies Catalogue;
