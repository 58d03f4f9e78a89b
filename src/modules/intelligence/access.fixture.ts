import type { AccessFixture } from '../../test/access-fixture.ts';

/** Intelligence's routes with parameters (each helper adds its own lines). */
export const accessTargets: AccessFixture = async () => ({
  // The needs picture of one ward: the Corby wards every test tenant is built with.
  'GET /needs/wards/:code': { code: 'E05010264' },
});
