import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { AppError } from '../../server/errors.ts';
import { exportMembersCsvFor, importMembers } from './csv.ts';
import { downloadMemberData, requestDataDownload } from './data-rights.ts';
import type { Actor } from './policy.ts';
import { ROLES, type Role } from './schema.ts';
import { actorFromSession, createSession } from './sessions.ts';

/** The AppError code a call fails with, or 'ok'. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

// Issue 8 item 3: the services check the actor themselves, whatever the route in front of them did.
describe(`services own their rules (${storeName()})`, () => {
  const MAY_IMPORT = new Set<Role>(['coordinator', 'admin']);

  it.each(ROLES.map((role) => [role]))('CSV import and export check the permission for a %s', async (role) => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant } = await buildTenant(db, { wards: false });
    const { member } = await buildMember(db, tenant.id, { roles: [role] });
    const actor: Actor = { tenantId: tenant.id, memberId: member.id, roles: new Set<Role>(['member', role]), sessionId: 'test' };
    const expected = MAY_IMPORT.has(role) ? 'ok' : 'forbidden';
    const csv = 'name,email\nIda Import,ida.import@example.org\n';
    expect(await outcome(() => importMembers(db, actor, csv, { dryRun: true, wardSetId: '00000000-0000-0000-0000-000000000000', notify: { tenant, baseUrl: 'https://rules.test' } }))).toBe(expected);
    expect(await outcome(() => importMembers(db, actor, csv, { dryRun: false, wardSetId: '00000000-0000-0000-0000-000000000000', notify: { tenant, baseUrl: 'https://rules.test' } }))).toBe(expected);
    expect(await outcome(() => exportMembersCsvFor(db, actor, { sort: 'number' }, { q: 'ida' }))).toBe(expected);
    // The export is recorded by the service (with its filters), and only when it happened.
    const audit = await database.query<{ actor: string; data: { q: string | null } }>("SELECT actor, data FROM audit_log WHERE tenant_id = $1 AND action = 'member.export'", [tenant.id]);
    expect(audit).toEqual(expected === 'ok' ? [{ actor: member.id, data: { q: 'ida', ward: null, status: null, role: null } }] : []);
  });

  it('a data download link works once, only for the member and the session that asked', async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant } = await buildTenant(db, { wards: false });
    const one = await buildMember(db, tenant.id);
    const other = await buildMember(db, tenant.id);
    const asker = (await actorFromSession(db, tenant.id, one.cookie))!;
    // A second real signed-in session of the same member, and a session of another member.
    const second = await createSession(db, { tenantId: tenant.id, memberId: one.member.id, staff: false, secondFactor: false });
    const sameMemberOtherSession = (await actorFromSession(db, tenant.id, second.token))!;
    const otherMember = (await actorFromSession(db, tenant.id, other.cookie))!;
    expect(sameMemberOtherSession.sessionId).not.toBe(asker.sessionId);

    // Each refusal gets a fresh link, so it is not merely a link used up before.
    const refused: Array<[string, Actor]> = [
      ['another session of the same member', sameMemberOtherSession],
      ['another member', otherMember],
    ];
    for (const [who, actor] of refused) {
      const token = await requestDataDownload(db, asker);
      expect(await outcome(() => downloadMemberData(db, actor, token)), who).toBe('not_found');
    }
    expect(await outcome(() => downloadMemberData(db, asker, 'not-a-token'))).toBe('not_found');

    const token = await requestDataDownload(db, asker);
    const zip = await downloadMemberData(db, asker, token);
    expect(Object.keys(unzipSync(zip))).toContain('my-data.json');
    expect(await outcome(() => downloadMemberData(db, asker, token)), 'the same link a second time').toBe('not_found');
  });
});

describe(`the session lookup (${storeName()})`, () => {
  it('reads each member’s own roles, status and ward with the session, in one query', async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant } = await buildTenant(db);
    const plain = await buildMember(db, tenant.id, { wardCode: 'E05010264' });
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator', 'ward_rep'] });
    const another = await buildTenant(db, { wards: false });
    await buildMember(db, another.tenant.id, { roles: ['admin'] });
    const a = (await actorFromSession(db, tenant.id, plain.cookie))!;
    expect([...a.roles]).toEqual(['member']);
    expect(a.member).toEqual({ status: 'active', wardId: plain.member.wardId });
    expect(a.member?.wardId).not.toBeNull();
    // buildMember signs staff in with a second factor, so the coordinator's session counts.
    const c = (await actorFromSession(db, tenant.id, coordinator.cookie))!;
    expect([...c.roles].sort()).toEqual(['coordinator', 'member', 'ward_rep']);
    expect(c.member).toEqual({ status: 'active', wardId: null });
    expect(await actorFromSession(db, another.tenant.id, coordinator.cookie)).toBeUndefined();
  });
});
