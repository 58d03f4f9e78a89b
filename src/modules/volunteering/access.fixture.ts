import type { AccessFixture } from '../../test/access-fixture.ts';
import { dbsChecks } from './schema.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/service.ts';

/**
 * Volunteering's routes with parameters. A DBS check of the fixture's member (written directly: the
 * fixture's admin may not record DBS checks, SECURITY.md 14). Hours entries are the member's own, so
 * the edit routes answer 404 to everyone else by design.
 */
export const accessTargets: AccessFixture = async ({ db, tenantId, memberId }) => {
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(dbsChecks).values({ tenantId, id, memberId, checkedOn: '2025-06-01', certificateNumber: '001234567890', level: 'enhanced', outcome: 'clear', updateService: true, renewalOn: '2028-06-01' });
    await appendAudit(tx, { tenantId, actor: 'system:test', action: 'dbs.create', entity: 'dbs_check', entityId: id, data: { memberId } });
  });
  const own = 'an hours entry is its owner’s only: every other member gets 404 (the id reveals nothing)';
  return {
    'GET /coordinator/dbs/:id': { id },
    'POST /coordinator/dbs/:id': { id },
    'GET /volunteering/hours/:id/edit': { noTarget: own },
    'POST /volunteering/hours/:id/edit': { noTarget: own },
  };
};
