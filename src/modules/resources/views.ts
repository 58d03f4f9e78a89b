import type { Db } from '../../db/connection.ts';
import type { ServiceStatus, ServiceTier } from './schema.ts';

/**
 * What other modules may read of the resource audit (a module owns its tables: others use these).
 * CONTRACT STUBS (issue 11 base): res-core replaces the bodies, keeping the signatures.
 */
export interface ServiceCard {
  id: string;
  name: string;
  namePl: string | null;
  providerId: string;
  providerName: string;
  categoryTitle: string;
  tier: ServiceTier;
  status: ServiceStatus;
  isDemo: boolean;
  /** The service's page in the audit (coordinators, partners). */
  href: string;
}

/** Every service of a tenant, for pickers (blueprints, proposals), by provider then name. */
export async function serviceCards(_db: Db, _tenantId: string): Promise<ServiceCard[]> {
  return [];
}

/** One service, or null when it is not this tenant's. */
export async function serviceCard(_db: Db, _tenantId: string, _serviceId: string): Promise<ServiceCard | null> {
  return null;
}

/** The provider ids a member is staff of (partners edit only these). */
export async function providersOfMember(_db: Db, _tenantId: string, _memberId: string): Promise<string[]> {
  return [];
}
