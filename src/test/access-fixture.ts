import type { Db } from '../db/connection.ts';
import type { Actor } from '../modules/membership/policy.ts';

/**
 * What a module gives the access-matrix test (src/server/access-matrix.test.ts) so that its
 * routes with parameters reach a real record: `src/modules/<name>/access.fixture.ts` exporting
 * `accessTargets` is found by a glob, so no central test is edited for a new module.
 */
export interface AccessFixtureContext {
  db: Db;
  tenantId: string;
  /** An admin of the tenant, as an actor for the module's services. */
  admin: Actor;
  /** A plain member of the tenant (in ward E05010264) that routes may act on. */
  memberId: string;
}

/**
 * Route key ("GET /path/:id") → the values of its parameters, or `{ noTarget }` saying why an
 * allowed request may still answer 404. Build the records with the module's own services.
 */
export type AccessTargets = Record<string, Record<string, string> | { noTarget: string }>;

export type AccessFixture = (ctx: AccessFixtureContext) => Promise<AccessTargets>;
