import { describe, expect, it } from 'vitest';
import { testDeps } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { activeMembersWithRole, activeMembersWithRoles, demoMembers, memberCard, memberCards, memberRolesOf } from './views.ts';

describe(`membership views for other modules (${storeName()})`, () => {
  it('answers cards, roles and active members of this tenant only', async () => {
    const { database } = await testDeps();
    const db = database.db;
    const { tenant } = await buildTenant(db);
    const other = await buildTenant(db);
    const lead = await buildMember(db, tenant.id, { roles: ['safeguarding_lead'] });
    const plain = await buildMember(db, tenant.id);
    const foreign = await buildMember(db, other.tenant.id, { roles: ['safeguarding_lead'] });
    expect((await memberCards(db, tenant.id, [lead.member.id, plain.member.id, foreign.member.id])).map((m) => m.id).sort()).toEqual([lead.member.id, plain.member.id].sort());
    expect((await memberCard(db, tenant.id, foreign.member.id))).toBeUndefined();
    expect((await memberCard(db, tenant.id, plain.member.id))?.email).toBe(plain.member.email);
    expect(await memberRolesOf(db, tenant.id, lead.member.id)).toEqual(['member', 'safeguarding_lead']);
    expect((await activeMembersWithRole(db, tenant.id, 'safeguarding_lead')).map((m) => m.id)).toEqual([lead.member.id]);
    const all = await activeMembersWithRoles(db, tenant.id);
    expect(all.find((m) => m.id === lead.member.id)?.roles).toEqual(['member', 'safeguarding_lead']);
    expect(all.find((m) => m.id === plain.member.id)?.roles).toEqual(['member']);
    expect(all.some((m) => m.id === foreign.member.id)).toBe(false);
    expect(await demoMembers(db, tenant.id)).toEqual([]);
  });
});
