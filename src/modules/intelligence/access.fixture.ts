import { isoDate } from '../../lib/dates.ts';
import type { AccessFixture } from '../../test/access-fixture.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { fileReport } from './filing.ts';
import { listCategories } from './queries.ts';
import { fileConcern } from './safeguarding.ts';

/** Intelligence's routes with parameters: a report, a concern and a category made by the module's services. */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin }) => {
  // A coordinator files (admins do not); the fixture's tenant has the Corby wards.
  const filer = { ...admin, roles: new Set([...admin.roles, 'coordinator' as const]) };
  const tenant = { id: tenantId, name: 'Access fixture' } as Tenant;
  const now = new Date();
  const report = await fileReport(db, filer, tenant, { clientId: 'fixture-report-1', categoryKey: 'play-spaces', wardCode: 'E05010264', observedOn: isoDate(now), observedText: 'The swings on the green are broken.', familiesEstimate: 10, since: 'few_months', source: 'seen' }, now);
  const concern = await fileConcern(db, filer, tenant, { clientId: 'fixture-concern-1', observedText: 'A fixture concern.' }, 'https://example.invalid', now, { alert: false });
  const [category] = await listCategories(db, tenantId);
  if (!category) throw new Error('intelligence fixture: the tenant has no categories (seedTenant did not run)');
  const r = { id: report.id };
  return {
    'GET /coordinator/intelligence/reports/:id': r,
    'POST /coordinator/intelligence/reports/:id/status': r,
    'POST /coordinator/intelligence/reports/:id/notes': r,
    'POST /coordinator/intelligence/reports/:id/links': r,
    'POST /coordinator/intelligence/reports/:id/merge': r,
    'GET /safeguarding/concerns/:id': { id: concern.id },
    'POST /safeguarding/concerns/:id/handle': { id: concern.id },
    'POST /coordinator/intelligence/categories/:id': { id: category.id },
    // The needs picture of one ward: the Corby wards every test tenant is built with.
    'GET /needs/wards/:code': { code: 'E05010264' },
  };
};
