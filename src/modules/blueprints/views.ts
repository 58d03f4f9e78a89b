import type { Db } from '../../db/connection.ts';

/**
 * What other modules may read of the blueprints (the audit's service page lists them).
 * CONTRACT STUB (issue 11 base): the blueprints helper replaces the body, keeping the signature.
 */
export interface BlueprintCard {
  id: string;
  title: string;
  /** A blueprint of the service as it is, or as it could be. */
  kind: 'current' | 'future';
  href: string;
  isDemo: boolean;
}

export async function blueprintsForService(_db: Db, _tenantId: string, _serviceId: string): Promise<BlueprintCard[]> {
  return [];
}
