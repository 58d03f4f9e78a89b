import type { AccessFixture } from '../../test/access-fixture.ts';
import { kindsOf } from './queries.ts';
import { awardManually } from './service.ts';
import { qualifications } from './schema.ts';
import { and, eq } from 'drizzle-orm';

/** One award (induction: no requirements) to the matrix's member, and a kind to edit. */
export const accessTargets: AccessFixture = async ({ db, tenantId, admin, memberId }) => {
  const kinds = await kindsOf(db, tenantId);
  const induction = kinds.find((k) => k.key === 'induction') ?? kinds[0];
  if (!induction) throw new Error('accreditation seed missing');
  const id = await awardManually(db, admin, { memberId, kindId: induction.id, issuedOn: '2026-01-05', reason: 'Access fixture' }, { now: new Date('2026-06-01T12:00:00Z'), locale: 'en' });
  const [row] = await db.select({ code: qualifications.code }).from(qualifications).where(and(eq(qualifications.tenantId, tenantId), eq(qualifications.id, id)));
  return {
    'GET /certificates/:code': { code: row?.code ?? '' },
    'GET /me/qualifications/:id/certificate.pdf': { noTarget: 'only the holder (the matrix target, not an actor) and coordinators: other signed-in members get 404 like an unknown id' },
    'GET /me/qualifications/:id/badge.json': { noTarget: 'only the holder (the matrix target, not an actor) and coordinators: other signed-in members get 404 like an unknown id' },
    'GET /coordinator/accreditation/kinds/:id': { id: induction.id },
    'POST /coordinator/accreditation/kinds/:id': { id: induction.id },
    'POST /coordinator/accreditation/awards/:id/revoke': { id },
  };
};
