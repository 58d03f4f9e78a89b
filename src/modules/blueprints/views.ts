import type { Db } from '../../db/connection.ts';
import { isUuid } from '../../lib/ids.ts';
import { listBlueprints } from './service.ts';

/** What other modules may read of the blueprints (the audit's service page lists them). */
export interface BlueprintCard {
  id: string;
  title: string;
  /** A blueprint of the service as it is, or as it could be. */
  kind: 'current' | 'future';
  href: string;
  isDemo: boolean;
}

/** The blueprints of one service (current first, then future; by title). */
export async function blueprintsForService(db: Db, tenantId: string, serviceId: string): Promise<BlueprintCard[]> {
  if (!isUuid(serviceId)) return [];
  const rows = await listBlueprints(db, tenantId, serviceId);
  return rows
    .map((b) => ({ id: b.id, title: b.title, kind: b.kind, href: `/blueprints/${b.id}`, isDemo: b.isDemo }))
    .sort((a, b) => (a.kind === b.kind ? a.title.localeCompare(b.title) : a.kind === 'current' ? -1 : 1));
}
