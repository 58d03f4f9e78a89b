import type { Catalogue } from '../../db/privacy.ts';

/**
 * comm_ballot_box: sealed ballots of a round open for voting (ballots-seal.ts). The box is
 * ciphertext under a key that is not in the database; it holds no member id or time, and is
 * deleted when the round is closed (its ballots move to comm_ballots in a random order).
 */
export const commissioningBallotsData = {
  comm_ballot_box: { personal: {}, other: ['tenant_id', 'round_id', 'id', 'sealed', 'is_demo'] },
} satisfies Catalogue;
