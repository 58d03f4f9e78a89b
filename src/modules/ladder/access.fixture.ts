import type { AccessFixture } from '../../test/access-fixture.ts';
import { newId } from '../../lib/ids.ts';
import { listLevels } from './levels.ts';
import { ladderStepUpRequests } from './schema.ts';

/**
 * The ladder's routes with parameters: a pending step-up request of the fixture's member (written
 * straight into this module's table: asking needs the member to be eligible through the training,
 * accreditation and volunteering modules, which the access matrix does not set up), the member
 * themself, the first level, and a role.
 */
export const accessTargets: AccessFixture = async ({ db, tenantId, memberId }) => {
  const levels = await listLevels(db, tenantId);
  const id = newId();
  await db.insert(ladderStepUpRequests).values({ tenantId, id, memberId, fromLevelId: null, toLevelId: levels[0]!.id });
  return {
    'POST /coordinator/ladder/requests/:id/approve': { id },
    'POST /coordinator/ladder/requests/:id/decline': { id },
    'GET /coordinator/ladder/members/:id': { id: memberId },
    'POST /coordinator/ladder/members/:id/sign-off': { id: memberId },
    'GET /coordinator/ladder/levels/:id': { id: levels[0]!.id },
    'POST /coordinator/ladder/levels/:id': { id: levels[0]!.id },
    'POST /coordinator/ladder/roles/:role': { role: 'volunteer' },
  };
};
