import type { AccessFixture } from '../../test/access-fixture.ts';

/** Tenancy's routes with parameters, on the Corby wards every test tenant is built with. */
export const accessTargets: AccessFixture = async () => ({
  'GET /wards/:code': { code: 'E05010264' },
  'GET /api/v1/wards/:code': { code: 'E05010264' },
  'GET /api/v1/ward-sets/:key/geojson': { key: 'corby-2015' },
});
