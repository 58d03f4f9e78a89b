import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../audit/schema.ts';
import { corbyWardBestFit, NN_2025 } from '../tenancy/seed.ts';
import { getWardSetByKey, listWardSummaries } from '../tenancy/queries.ts';
import { loadWardSet } from '../tenancy/service.ts';
import { buildTenant } from '../../test/factories.ts';
import { testDatabase, storeName } from '../../test/db.ts';
import { buildMember } from '../../test/members.ts';
import { members, wardRepresentatives } from './schema.ts';
import { remapMemberWards } from './ward-remap.ts';

describe(`moving members onto a new ward set (${storeName()})`, () => {
  it('moves members and current representatives to the best-fit ward, audited, and only once', async () => {
    const { db } = await testDatabase();
    const { tenant } = await buildTenant(db);
    const inCentral = await buildMember(db, tenant.id, { wardCode: 'E05010265' }); // Central → Lloyds & Corby Village
    const inRural = await buildMember(db, tenant.id, { wardCode: 'E05010273' }); // Rural West → Desborough
    const rep = await buildMember(db, tenant.id, { wardCode: 'E05010264', roles: ['ward_rep'] }); // Beanfield → Kingswood
    await loadWardSet(db, { tenantId: tenant.id, ...NN_2025, makeCurrent: true }, 'system:test');
    const oldSet = await getWardSetByKey(db, tenant.id, 'corby-2015');
    const newSet = await getWardSetByKey(db, tenant.id, 'nn-2025');
    if (!oldSet || !newSet) throw new Error('ward sets missing');
    const oldWards = new Map((await listWardSummaries(db, tenant.id, oldSet.id)).map((w) => [w.code, w.id]));
    const newWards = new Map((await listWardSummaries(db, tenant.id, newSet.id)).map((w) => [w.code, w.id]));
    const beanfield = oldWards.get('E05010264') ?? '';
    const kettle = oldWards.get('E05010267') ?? ''; // Kingswood & Hazel Leys → Kingswood too
    await db.insert(wardRepresentatives).values([
      { tenantId: tenant.id, id: crypto.randomUUID(), memberId: rep.member.id, wardId: beanfield, startsOn: '2024-01-01', appointedBy: 'system:test' },
      { tenantId: tenant.id, id: crypto.randomUUID(), memberId: rep.member.id, wardId: kettle, startsOn: '2024-06-01', appointedBy: 'system:test' },
      // Already over: stays as history on the old ward.
      { tenantId: tenant.id, id: crypto.randomUUID(), memberId: rep.member.id, wardId: oldWards.get('E05010265') ?? '', startsOn: '2020-01-01', endsOn: '2021-01-01', appointedBy: 'system:test' },
      // Not started yet: simply moves.
      { tenantId: tenant.id, id: crypto.randomUUID(), memberId: rep.member.id, wardId: oldWards.get('E05010271') ?? '', startsOn: '2027-01-01', appointedBy: 'system:test' },
    ]);

    const input = { tenantId: tenant.id, fromWardSetId: oldSet.id, toWardSetId: newSet.id, mapping: corbyWardBestFit(), actor: 'system:test', today: '2026-12-01' };
    const moved = await db.transaction((tx) => remapMemberWards(tx, input));
    expect(moved).toEqual({ members: 3, representatives: 3 });

    const wardOf = async (id: string) => (await db.select({ wardId: members.wardId }).from(members).where(and(eq(members.tenantId, tenant.id), eq(members.id, id))))[0]?.wardId;
    expect(await wardOf(inCentral.member.id)).toBe(newWards.get('E05016221'));
    expect(await wardOf(inRural.member.id)).toBe(newWards.get('E05016208'));
    expect(await wardOf(rep.member.id)).toBe(newWards.get('E05016220'));

    const appointments = await db.select().from(wardRepresentatives).where(eq(wardRepresentatives.tenantId, tenant.id));
    const summary = appointments.map((a) => `${a.wardId === beanfield ? 'beanfield' : a.wardId === kettle ? 'kingswood-hazel-leys' : [...newWards.entries()].find(([, id]) => id === a.wardId)?.[0] ?? [...oldWards.entries()].find(([, id]) => id === a.wardId)?.[0]} ${a.startsOn}–${a.endsOn ?? ''}`).sort();
    expect(summary).toEqual([
      'E05010265 2020-01-01–2021-01-01',
      'E05016220 2026-12-01–', // one new appointment for two old wards that both fit Kingswood
      'E05016222 2027-01-01–', // Oakley South → Oakley, not started yet: moved in place
      'beanfield 2024-01-01–2026-11-30',
      'kingswood-hazel-leys 2024-06-01–2026-11-30',
    ]);

    const rows = await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'member.ward_remap')));
    expect(rows.map((r) => r.data as { from: string; to: string }).sort((a, b) => a.from.localeCompare(b.from))).toEqual([
      { from: 'E05010264', to: 'E05016220' },
      { from: 'E05010265', to: 'E05016221' },
      { from: 'E05010273', to: 'E05016208' },
    ]);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'ward_rep.remap')))).toHaveLength(3);

    // A second run finds nothing left on the old wards.
    expect(await db.transaction((tx) => remapMemberWards(tx, input))).toEqual({ members: 0, representatives: 0 });
    expect(await db.select().from(wardRepresentatives).where(eq(wardRepresentatives.tenantId, tenant.id))).toHaveLength(5);
  });
});
