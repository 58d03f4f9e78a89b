import type { AccessFixture } from '../../test/access-fixture.ts';
import { derivedId } from './oruk-export.ts';
import { listCategories } from './queries.ts';
import { saveScenario } from './scenario.ts';
import { saveProvider, saveService } from './service.ts';

/**
 * The resource audit's routes with parameters: a provider and one of its services, made by the
 * fixture's admin through the services. Other helpers of the module add their entries below.
 */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin }) => {
  const providerId = await saveProvider(db, admin, { ref: 'ACCESS-P', name: 'Access matrix provider', kind: 'voluntary' });
  const [category] = await listCategories(db, tenantId);
  const serviceId = await saveService(db, admin, { providerId, ref: 'ACCESS-S', name: 'Access matrix service', categoryId: category!.id, tier: 'universal' });
  // res-core: a partner edits only providers they are staff of; the matrix's partner is staff of
  // none, so these answer 404 to partners (the record "is not there" for them) and 2xx/3xx/400 to coordinators.
  const partnerOnly = 'partners change only providers they are staff of (res_provider_staff): any other provider’s service answers 404';
  const scenarioId = await saveScenario(db, admin, { name: `Access fixture ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, period: 'fy2025' });
  return {
    'GET /resources/providers/:id': { id: providerId },
    'POST /resources/providers/:id': { id: providerId },
    'POST /resources/providers/:id/staff': { id: providerId },
    'POST /resources/providers/:id/staff/remove': { id: providerId },
    'GET /resources/services/:id': { id: serviceId },
    'GET /resources/services/:id/edit': { noTarget: partnerOnly },
    'POST /resources/services/:id': { noTarget: partnerOnly },
    'POST /resources/services/:id/spend': { noTarget: partnerOnly },
    'POST /resources/services/:id/delivery': { noTarget: partnerOnly },
    'POST /resources/services/:id/reach': { noTarget: partnerOnly },
    'POST /resources/services/:id/schedules': { noTarget: partnerOnly },
    'POST /resources/services/:id/schedules/remove': { noTarget: partnerOnly },
    'POST /resources/services/:id/lines/remove': { noTarget: partnerOnly },
    'POST /resources/categories/:id': { id: category!.id },
    'GET /resources/import/templates/:file': { file: 'reach.csv' },
    // res-answers: a saved scenario with no changes.
    'GET /resources/scenarios/:id': { id: scenarioId },
    'POST /resources/scenarios/:id': { id: scenarioId },
    'POST /resources/scenarios/:id/delete': { id: scenarioId },
    // Open Referral UK (bp-oruk): the /api/v1/openreferral/…/{id} routes.
    'GET /api/v1/openreferral/services/:id': { id: serviceId },
    'GET /api/v1/openreferral/organizations/:id': { id: providerId },
    'GET /api/v1/openreferral/taxonomies/:id': { id: derivedId(tenantId, 'taxonomy') },
    'GET /api/v1/openreferral/taxonomy_terms/:id': { id: category!.id },
  };
};
