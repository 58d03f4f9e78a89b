import type { Executor } from '../../db/connection.ts';
import { seedSeats } from './board.ts';
import { seedDocuments } from './documents.ts';
import { govSettings } from './schema.ts';

/** Per-tenant defaults (idempotent): the settings row, the standard documents (empty), 9 elected parent seats. */
export async function seedGovernance(tx: Executor, tenantId: string): Promise<void> {
  await tx.insert(govSettings).values({ tenantId }).onConflictDoNothing();
  await seedDocuments(tx, tenantId);
  await seedSeats(tx, tenantId, 9);
}
