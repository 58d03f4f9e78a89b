// Issue 11 (resource audit items 1, 2, 7): providers and services, spend, delivery, reach; partners
// change only their own providers' rows (by form, by id in the URL, or through an import row).
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../audit/schema.ts';
import { resDelivery, resProviderStaff, resReach, resServices, resServiceWards, resSpend } from './schema.ts';
import { addProviderStaff, addSchedule, removeProviderStaff, rotateFamilyKeySecret, saveCategory, saveDelivery, saveProvider, saveReach, saveService, saveSpend, viewFamilyKeySecret } from './service.ts';
import { providersOfMember, serviceCard, serviceCards } from './views.ts';
import { refusal, resSetup } from './test-setup.ts';

async function withService(s: Awaited<ReturnType<typeof resSetup>>, providerId = s.providerA, ref = 'SP-1') {
  return saveService(s.db, s.coordinator, { providerId, ref, name: 'Stay and play', categoryId: s.categories[0]!.id, tier: 'universal', wardIds: [s.wards[0]!.id, s.wards[1]!.id], evidence: 'some' });
}

describe('providers and services', () => {
  it('coordinators create and change providers and services; the views show them', async () => {
    const s = await resSetup();
    const id = await withService(s);
    await saveService(s.db, s.coordinator, { ref: 'SP-1', name: 'Stay and play (Tuesday)', categoryId: s.categories[1]!.id, tier: 'targeted', wardIds: [s.wards[2]!.id], capacity: '15' }, id);
    const [row] = await s.db.select().from(resServices).where(and(eq(resServices.tenantId, s.tenant.id), eq(resServices.id, id)));
    expect(row).toMatchObject({ name: 'Stay and play (Tuesday)', tier: 'targeted', capacity: 15, providerId: s.providerA });
    expect((await s.db.select().from(resServiceWards).where(eq(resServiceWards.serviceId, id))).map((w) => w.wardId)).toEqual([s.wards[2]!.id]);
    const cards = await serviceCards(s.db, s.tenant.id);
    expect(cards).toEqual([expect.objectContaining({ id, providerName: 'Provider A', categoryTitle: s.categories[1]!.title, href: `/resources/services/${id}` })]);
    expect(await serviceCard(s.db, s.tenant.id, id)).toMatchObject({ id });
    expect(await serviceCard(s.db, s.tenant.id, 'not-a-uuid')).toBeNull();
    const other = await resSetup();
    expect(await serviceCard(other.db, other.tenant.id, id)).toBeNull();
    expect(await providersOfMember(s.db, s.tenant.id, s.partnerA.member.id)).toEqual([s.providerA]);
    const dup = await refusal(saveService(s.db, s.coordinator, { providerId: s.providerA, ref: 'SP-1', name: 'x', categoryId: s.categories[0]!.id, tier: 'universal' }));
    expect(dup.fields).toEqual([{ field: 'ref', message: 'res.core.err.refTaken' }]);
  });

  it('a partner edits their own provider’s services but not another’s: by form, by id, or by line', async () => {
    const s = await resSetup();
    const mine = await withService(s, s.providerA, 'MINE');
    const theirs = await withService(s, s.providerB, 'THEIRS');
    // Their own: create and change.
    const created = await saveService(s.db, s.partner, { providerId: s.providerA, ref: 'NEW', name: 'New group', categoryId: s.categories[0]!.id, tier: 'universal' });
    await saveSpend(s.db, s.partner, mine, { periodStart: '2025-04-01', periodEnd: '2025-06-30', kind: 'staff', amount: '100' });
    expect(created).toBeTruthy();
    // By form: naming another provider when creating.
    const byForm = await refusal(saveService(s.db, s.partner, { providerId: s.providerB, ref: 'SNEAK', name: 'x', categoryId: s.categories[0]!.id, tier: 'universal' }));
    expect(byForm.fields).toEqual([{ field: 'providerId', message: 'res.core.err.notYours' }]);
    // By id in the URL: another provider's service.
    expect((await refusal(saveService(s.db, s.partner, { ref: 'THEIRS', name: 'Hijacked', categoryId: s.categories[0]!.id, tier: 'universal' }, theirs))).code).toBe('not_found');
    expect((await refusal(saveSpend(s.db, s.partner, theirs, { periodStart: '2025-04-01', periodEnd: '2025-06-30', kind: 'staff', amount: '100' }))).code).toBe('not_found');
    expect((await refusal(saveReach(s.db, s.partner, theirs, { periodStart: '2025-04-01', periodEnd: '2025-06-30', wardId: s.wards[0]!.id, attendances: '5', families: '2' }))).code).toBe('not_found');
    expect((await refusal(saveDelivery(s.db, s.partner, theirs, { periodStart: '2025-04-01', periodEnd: '2025-06-30', sessions: '3' }))).code).toBe('not_found');
    expect((await refusal(addSchedule(s.db, s.partner, theirs, { weekday: '2', opensAt: '09:00', closesAt: '10:00' }))).code).toBe('not_found');
    const [t] = await s.db.select().from(resServices).where(eq(resServices.id, theirs));
    expect(t!.name).toBe('Stay and play');
    expect(await s.db.select().from(resSpend).where(eq(resSpend.serviceId, theirs))).toHaveLength(0);
    // Partners cannot manage providers or staff links.
    expect((await refusal(saveProvider(s.db, s.partner, { ref: 'X', name: 'X', kind: 'other' }))).code).toBe('forbidden');
    expect((await refusal(addProviderStaff(s.db, s.partner, s.providerB, s.partnerA.member.id))).code).toBe('forbidden');
  });

  it('validates spend, delivery and reach: money, periods, families ≤ attendances, known ward; the same line replaces', async () => {
    const s = await resSetup();
    const id = await withService(s);
    const spend = (amount: string, periodEnd = '2025-06-30') => saveSpend(s.db, s.coordinator, id, { periodStart: '2025-04-01', periodEnd, kind: 'staff', amount, fundingSource: 'Council' });
    for (const bad of ['-1', '£1,2,3', '12.345', 'ten', '']) expect((await refusal(spend(bad))).fields).toEqual([{ field: 'amount', message: 'res.core.err.money' }]);
    expect((await refusal(spend('10', '2025-03-31'))).fields).toEqual([{ field: 'periodEnd', message: 'res.core.err.periodOrder' }]);
    await spend('£1,250.50');
    await spend('99.9');
    expect((await s.db.select().from(resSpend).where(eq(resSpend.serviceId, id))).map((r) => r.amountPence)).toEqual([9990]);
    const reach = (f: Record<string, string>) => saveReach(s.db, s.coordinator, id, { periodStart: '2025-04-01', periodEnd: '2025-06-30', wardId: s.wards[0]!.id, attendances: '10', families: '4', ...f });
    expect((await refusal(reach({ families: '11' }))).fields).toEqual([{ field: 'families', message: 'res.core.err.familiesOver' }]);
    expect((await refusal(reach({ wardId: '00000000-0000-7000-8000-000000000000' }))).fields).toEqual([{ field: 'wardId', message: 'res.core.err.ward' }]);
    expect((await refusal(reach({ attendances: '-3' }))).fields[0]).toEqual({ field: 'attendances', message: 'res.core.err.count' });
    await reach({});
    await reach({ attendances: '12' });
    expect((await s.db.select().from(resReach).where(eq(resReach.serviceId, id))).map((r) => [r.attendances, r.families])).toEqual([[12, 4]]);
    expect((await refusal(saveDelivery(s.db, s.coordinator, id, { periodStart: '2025-04-01', periodEnd: '2025-06-30', sessions: '1.5' }))).fields[0]!.field).toBe('sessions');
    await saveDelivery(s.db, s.coordinator, id, { periodStart: '2025-04-01', periodEnd: '2025-06-30', sessions: '12' });
    expect((await s.db.select().from(resDelivery).where(eq(resDelivery.serviceId, id))).map((r) => r.sessions)).toEqual([12]);
    expect((await refusal(addSchedule(s.db, s.coordinator, id, { weekday: '2', opensAt: '11:00', closesAt: '10:00' }))).fields).toEqual([{ field: 'closesAt', message: 'res.core.err.time' }]);
  });

  it('staff links: only partners, audited without names; removal audited; categories editable', async () => {
    const s = await resSetup();
    const audits = async (action: string) => s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, action)));
    expect((await refusal(addProviderStaff(s.db, s.coordinator, s.providerA, s.coord.member.id))).fields).toEqual([{ field: 'memberId', message: 'res.core.err.notPartner' }]);
    expect(await audits('resources.staff.add')).toHaveLength(2);
    await removeProviderStaff(s.db, s.coordinator, s.providerA, s.partnerA.member.id);
    expect(await s.db.select().from(resProviderStaff).where(and(eq(resProviderStaff.tenantId, s.tenant.id), eq(resProviderStaff.providerId, s.providerA)))).toHaveLength(0);
    const [removed] = await audits('resources.staff.remove');
    expect(removed!.data).toEqual({ memberId: s.partnerA.member.id });
    // Now partner A may not edit provider A any more.
    const id = await withService(s);
    expect((await refusal(saveSpend(s.db, s.partner, id, { periodStart: '2025-04-01', periodEnd: '2025-06-30', kind: 'staff', amount: '1' }))).code).toBe('not_found');
    await saveCategory(s.db, s.coordinator, { key: 'baby-yoga', title: 'Baby yoga', titlePl: 'Joga z niemowlętami' });
    await saveCategory(s.db, s.coordinator, { title: 'Stay & play', active: 'yes' }, s.categories[0]!.id);
    expect((await refusal(saveCategory(s.db, s.coordinator, { key: 'baby-yoga', title: 'Again' }))).fields[0]!.message).toBe('res.core.err.refTaken');
    expect((await refusal(saveCategory(s.db, s.partner, { key: 'x', title: 'x' }))).code).toBe('forbidden');
  });

  it('the family-key secret: coordinators and provider staff see it (audited); rotation starts a new version', async () => {
    const s = await resSetup();
    const first = (await viewFamilyKeySecret(s.db, s.coordinator))!;
    expect(first.version).toBe(1);
    expect((await viewFamilyKeySecret(s.db, s.partner))!.secret).toBe(first.secret);
    const lonely = await resSetup();
    const stranger = lonely.actorOf(await (await import('../../test/members.ts')).buildMember(lonely.db, lonely.tenant.id, { roles: ['partner'] }), ['partner']);
    expect(await viewFamilyKeySecret(lonely.db, stranger)).toBeNull();
    const views = await s.db.select().from(auditLog).where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'resources.family_key.view')));
    expect(views).toHaveLength(2);
    expect(JSON.stringify(views.map((v) => v.data))).not.toContain(first.secret);
    expect(await rotateFamilyKeySecret(s.db, s.coordinator)).toBe(2);
    const next = (await viewFamilyKeySecret(s.db, s.coordinator))!;
    expect(next.version).toBe(2);
    expect(next.secret).not.toBe(first.secret);
    expect((await refusal(rotateFamilyKeySecret(s.db, s.partner))).code).toBe('forbidden');
  });
});
