import { foreignKey, boolean, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { commRounds } from './schema.ts';

/**
 * The ballot box of a round open for voting (ballots-seal.ts): one sealed ballot per voter, a
 * random (v4) id and the AES-GCM box of its choices and receipt hash, all of one length in a
 * round. No member id, no time, nothing in clear. Closing the round empties it into comm_ballots
 * in a random order. A trigger (migration comm_ballot_box_voting_only) refuses a box outside voting.
 */
export const commBallotBox = pgTable(
  'comm_ballot_box',
  {
    tenantId: uuid('tenant_id').notNull(),
    roundId: uuid('round_id').notNull(),
    id: uuid('id').notNull(),
    sealed: text('sealed').notNull(),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.roundId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.roundId], foreignColumns: [commRounds.tenantId, commRounds.id] }).onDelete('cascade'),
  ],
);

export type BallotBoxRow = typeof commBallotBox.$inferSelect;
