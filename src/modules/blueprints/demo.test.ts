import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/connection.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type * as Views from '../resources/views.ts';
import { bpBlueprints, bpComments } from './schema.ts';
import { insertTestService } from './test-services.ts';

// res-core's serviceCards is a stub on this branch: here it answers the service the test inserts, as a demo one.
const cards = vi.hoisted(() => ({ list: [] as Array<Record<string, unknown>> }));
vi.mock('../resources/views.ts', async (orig) => ({ ...(await orig<typeof Views>()), serviceCards: async () => cards.list }));

const { loadBlueprintsDemo, clearBlueprintsDemo } = await import('./demo.ts');

describe(`blueprints demo (${storeName()})`, () => {
  let db: Db;
  // Opening (and migrating) the store can be slow on a busy machine.
  beforeAll(async () => {
    db = (await testDatabase()).db;
  }, 120_000);

  it('skips with no error when the audit has no demo service', async () => {
    const { tenant } = await buildTenant(db);
    cards.list = [];
    expect(await loadBlueprintsDemo({ db, tenant, today: new Date('2026-11-01') })).toBe(0);
  });

  it('loads a current and a future blueprint with marks and two comments, once; clear removes them', async () => {
    const { tenant } = await buildTenant(db);
    const { serviceId, providerId } = await insertTestService(db, tenant.id, { name: 'Stay and play (demo)' });
    cards.list = [{ id: serviceId, name: 'Stay and play (demo)', namePl: null, providerId, providerName: 'Centre', categoryTitle: 'Play', tier: 'universal', status: 'active', isDemo: true, href: '/x' }];
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const parents = [await buildMember(db, tenant.id), await buildMember(db, tenant.id)];
    const { sql } = await import('drizzle-orm');
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
