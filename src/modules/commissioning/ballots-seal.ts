import { open, seal } from '../../lib/secret-box.ts';
import { AppError } from '../../server/errors.ts';
import type { Choices } from './ballots.ts';

/**
 * Ballots are sealed while a round is open (SECURITY.md 23, issue 13 "a database dump inspected
 * for any link between a member and a ballot"). PostgreSQL keeps rows in the order they were
 * written, so the register (comm_voters) and anything written with it in the same transaction
 * come out of a dump in the same, voting, order: the i-th voter is the i-th ballot. So while
 * voting, a ballot is kept only as an AES-256-GCM box (comm_ballot_box) of its choices and receipt
 * hash, under a key derived from the instance key (never in the database: src/server/secret.ts)
 * for this tenant and round. A dump, or a backup, taken mid-vote holds register rows and
 * same-length ciphertexts, nothing else. Closing the round opens the boxes, writes the ballots
 * as fresh rows of comm_ballots in a random order and deletes the boxes (counting.ts).
 *
 * The key is process-wide and set once at start (start.ts, the CLI, the test database helper),
 * like the outbox's (email/sealing.ts): castBallot runs from the ballot page, the demo and tests.
 */
let instanceKey: string | undefined;

export function useBallotKey(key: string): void {
  instanceKey = key;
}

function currentKey(): string {
  if (!instanceKey) throw new Error('the ballot key is not set: call useBallotKey(secret) at start');
  return instanceKey;
}

/** One key per tenant and round: a box copied into another round does not open there. */
const purpose = (tenantId: string, roundId: string) => `comm-ballot:${tenantId}:${roundId}`;

export interface BallotContent {
  choices: Choices;
  receiptHash: string;
}

/** Points are at most four digits (checkChoices): the longest a ballot's JSON can be for a round. */
function paddedLength(proposalIds: readonly string[]): number {
  const longest: BallotContent = { choices: proposalIds.map((p) => ({ p, pts: 9999 })), receiptHash: 'f'.repeat(64) };
  return JSON.stringify(longest).length;
}

/**
 * Seal a ballot for a round. The plaintext is padded to the length of the longest ballot the
 * round allows (every eligible proposal, at the most points), so every box of a round has the
 * same length and the ciphertext does not tell how many proposals a voter chose.
 */
export function sealBallot(tenantId: string, roundId: string, proposalIds: readonly string[], content: BallotContent): string {
  const text = JSON.stringify({ choices: content.choices, receiptHash: content.receiptHash });
  return seal(currentKey(), purpose(tenantId, roundId), text.padEnd(Math.max(text.length, paddedLength(proposalIds)), ' '));
}

/** Open a box: refuses clearly when it was sealed under another instance key (or altered). */
export function openBallot(tenantId: string, roundId: string, sealed: string): BallotContent {
  let text: string;
  try {
    text = open(currentKey(), purpose(tenantId, roundId), sealed);
  } catch {
    throw new AppError(
      'conflict',
      'The ballots of this round were sealed with another instance key: count it on the instance that took the votes (the same SECRET_KEY or secret.key).',
      [],
      'comm.ballots.error.sealedElsewhere',
    );
  }
  const parsed = JSON.parse(text) as BallotContent;
  return { choices: parsed.choices, receiptHash: parsed.receiptHash };
}
