import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { bpBlueprints, bpComments } from './schema.ts';
import { insertTestService } from './test-services.ts';

import { clearBlueprintsDemo, loadBlueprintsDemo } from './demo.ts';

describe(`blueprints demo (${storeName()})`, () => {
  let db: Db;
  // Opening (and migrating) the store can be slow on a busy machine.
  beforeAll(async () => {
    db = (await testDatabase()).db;
  }, 120_000);

  it('skips with no error when the audit has no demo service', async () => {
    const { tenant } = await buildTenant(db);
    expect(await loadBlueprintsDemo({ db, tenant, today: new Date('2026-11-01') })).toBe(0);
  });

  it('loads a current and a future blueprint with marks and two comments, once; clear removes them', async () => {
    const { tenant } = await buildTenant(db);
    const { serviceId, providerId } = await insertTestService(db, tenant.id, { name: 'Stay and play (demo)' });
    await db.execute(sql`update res_services set is_demo = true where tenant_id = ${tenant.id} and id = ${serviceId} and provider_id = ${providerId}`);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const parents = [await buildMember(db, tenant.id), await buildMember(db, tenant.id)];
    for (const m of [coordinator, ...parents]) await db.execute(sql`update members set is_demo = true where tenant_id = ${tenant.id} and id = ${m.member.id}`);
    const ctx = { db, tenant, today: new Date('2026-11-01') };
    expect(await loadBlueprintsDemo(ctx)).toBe(4);
    expect(await loadBlueprintsDemo(ctx)).toBe(0);
    const bps = await db.select().from(bpBlueprints).where(eq(bpBlueprints.tenantId, tenant.id));
    expect(bps.map((b) => [b.kind, b.isDemo]).sort()).toEqual([['current', true], ['future', true]]);
    const future = bps.find((b) => b.kind === 'future')!;
    expect(future.pairsWith).toBe(bps.find((b) => b.kind === 'current')!.id);
    expect(bps.find((b) => b.kind === 'current')!.content.cells.flatMap((c) => c.marks).map((m) => m.kind).sort()).toEqual(['idea', 'pain', 'pain']);
    expect(await db.select().from(bpComments).where(and(eq(bpComments.tenantId, tenant.id), eq(bpComments.isDemo, true)))).toHaveLength(2);
    expect(await clearBlueprintsDemo(ctx)).toBe(2);
    expect(await db.select().from(bpBlueprints).where(eq(bpBlueprints.tenantId, tenant.id))).toHaveLength(0);
  });
});
