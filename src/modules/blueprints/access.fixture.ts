import type { AccessFixture } from '../../test/access-fixture.ts';
import { translator } from '../../ui/i18n/index.ts';
import { laneTitles } from './pages.tsx';
import { addComment, blueprintById, createBlueprint, editBlueprint } from './service.ts';
import { insertTestService } from './test-services.ts';

/** A service (inserted into the audit's tables), a blueprint with one stage, and a comment to hide. */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin }) => {
  const { serviceId } = await insertTestService(db, tenantId);
  const id = await createBlueprint(db, admin, { serviceId, kind: 'current', title: 'Access fixture', stages: ['Arriving'], laneTitles: laneTitles(translator('en')) });
  const bp = await blueprintById(db, tenantId, id);
  const stageId = bp!.content.stages[0]!.id;
  const laneId = bp!.content.lanes[0]!.id;
  await editBlueprint(db, admin, id, 1, { op: 'cell.edit', stageId, laneId, text: 'A sign on the door' });
  const commentId = await addComment(db, admin, { blueprintId: id, stageId, laneId, body: 'The door was hard to find.' });
  return {
    'GET /blueprints/:id': { id },
    'GET /blueprints/:id/edit': { noTarget: 'record-level: a partner who is not staff of the service’s provider gets 404 like an unknown id (the matrix’s partner is nobody’s staff)' },
    'POST /blueprints/:id/edit': { noTarget: 'record-level: a partner who is not staff of the service’s provider gets 404 like an unknown id (the matrix’s partner is nobody’s staff)' },
    'GET /blueprints/:id/cells/:stageId/:laneId': { id, stageId, laneId },
    'POST /blueprints/:id/cells/:stageId/:laneId/comments': { id, stageId, laneId },
    'POST /blueprints/:id/comments/:commentId/hide': { id, commentId },
    'GET /blueprints/:id/versions': { id },
    'GET /blueprints/:id/versions/:version': { id, version: '2' },
    'GET /blueprints/:id/compare': { id },
    'GET /blueprints/:id/blueprint.pdf': { id },
  };
};
