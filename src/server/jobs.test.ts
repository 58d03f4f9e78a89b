import { describe, expect, it } from 'vitest';
import type { ModuleManifest } from '../modules/manifest.ts';
import { testDeps } from '../test/app.ts';
import { storeName } from '../test/db.ts';
import { runJobs, seedTenantDefaults } from './jobs.ts';

describe(`module jobs and tenant seeds (${storeName()})`, () => {
  it('runs every job with the injected time, and one failing job does not stop the next', async () => {
    const deps = await testDeps();
    const seen: string[] = [];
    const toy: ModuleManifest = {
      name: 'toy',
      jobs: [
        { name: 'broken', run: async () => { throw new Error('boom'); } },
        { name: 'reminders', run: async (_d, now) => { seen.push(now.toISOString()); return 3; } },
      ],
    };
    const done = await runJobs(deps, new Date('2026-12-01T09:00:00Z'), [toy]);
    expect(done).toEqual({ reminders: 3 });
    expect(seen).toEqual(['2026-12-01T09:00:00.000Z']);
  });

  it("seeds each tenant through each module's seedTenant, inside a transaction", async () => {
    const deps = await testDeps();
    const calls: string[] = [];
    const toy: ModuleManifest = {
      name: 'toy',
      async seedTenant(tx, tenantId) {
        // A transaction handle (not the database) can roll back.
        calls.push(`${tenantId}:${'rollback' in tx ? 'tx' : 'db'}`);
      },
    };
    await seedTenantDefaults(deps, ['t1', 't2'], [toy, { name: 'none' }]);
    expect(calls).toEqual(['t1:tx', 't2:tx']);
  });
});
