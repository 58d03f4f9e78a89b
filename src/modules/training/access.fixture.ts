import type { AccessFixture } from '../../test/access-fixture.ts';
import { listCourses } from './courses.ts';
import { createSession } from './service.ts';
import { instantToLondon } from './times.ts';

/** A future session of the seeded induction course (the fixture's admin is its trainer). */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin }) => {
  const course = (await listCourses(db, tenantId)).find((c) => c.key === 'induction')!;
  const start = new Date(Date.now() + 30 * 86_400_000);
  const session = await createSession(db, admin, { courseId: course.id, startsAt: instantToLondon(start), endsAt: instantToLondon(new Date(start.getTime() + 7_200_000)), venue: 'Fixture hall', capacity: 20, trainerId: admin.memberId });
  const register = { noTarget: 'record-level rule: only the session\u2019s trainer or a coordinator keeps the register; any other member gets 404' };
  return {
    'GET /training/sessions/:id': { id: session.id },
    'POST /training/sessions/:id/book': { id: session.id },
    'POST /training/sessions/:id/cancel-booking': { id: session.id },
    'GET /training/sessions/:id/register': register,
    'POST /training/sessions/:id/register': register,
    'GET /coordinator/training/courses/:id': { id: course.id },
    'POST /coordinator/training/courses/:id': { id: course.id },
    'GET /coordinator/training/sessions/:id': { id: session.id },
    'POST /coordinator/training/sessions/:id': { id: session.id },
    'POST /coordinator/training/sessions/:id/cancel': { id: session.id },
  };
};
