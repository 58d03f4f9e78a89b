import type { AccessFixture } from '../../test/access-fixture.ts';
import { saveScenario } from './scenario.ts';

/** Resources' routes with parameters (res-answers' entries): a saved scenario with no changes. */
export const accessTargets: AccessFixture = async ({ db, admin }) => {
  const id = await saveScenario(db, admin, { name: `Access fixture ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, period: 'fy2025' });
  return {
    'GET /resources/scenarios/:id': { id },
    'POST /resources/scenarios/:id': { id },
    'POST /resources/scenarios/:id/delete': { id },
  };
};
