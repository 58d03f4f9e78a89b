import type { AccessFixture } from '../../test/access-fixture.ts';
import { newId } from '../../lib/ids.ts';
import { derivedId } from './oruk-export.ts';
import { resCategories, resProviders, resServices } from './schema.ts';

/** Open Referral UK (bp-oruk): one provider, category and service for the /api/v1/openreferral/…/{id} routes. */
export const accessTargets: AccessFixture = async ({ db, tenantId }) => {
  const providerId = newId();
  const categoryId = newId();
  const serviceId = newId();
  await db.insert(resCategories).values({ tenantId, id: categoryId, key: `oruk-fixture-${categoryId.slice(-6)}`, title: 'Fixture category' });
  await db.insert(resProviders).values({ tenantId, id: providerId, ref: `oruk-fixture-${providerId.slice(-6)}`, name: 'Fixture provider', kind: 'other' });
  await db.insert(resServices).values({ tenantId, id: serviceId, providerId, ref: 'oruk-fixture', name: 'Fixture service', categoryId, tier: 'universal' });
  return {
    'GET /api/v1/openreferral/services/:id': { id: serviceId },
    'GET /api/v1/openreferral/organizations/:id': { id: providerId },
    'GET /api/v1/openreferral/taxonomies/:id': { id: derivedId(tenantId, 'taxonomy') },
    'GET /api/v1/openreferral/taxonomy_terms/:id': { id: categoryId },
  };
};
