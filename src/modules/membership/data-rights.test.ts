import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../lib/csv.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { passkeys, totpFactors } from './schema.ts';
import { createSession } from './sessions.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A CSV cell as the JSON had it: our writer puts ' before = + - @ so spreadsheets do not run it. */
function unescapeCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

function asCell(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

describe(`download my data (${storeName()})`, () => {
  it('is complete: every JSON section is in its CSV row for row, wards by name, passkeys and second factors listed, no other member’s id', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const { member } = await buildMember(db, tenant.id, { name: 'Ola =Nowak', phone: '+48600100200', wardCode: 'E05010268' });
    const coordinator = await buildMember(db, tenant.id, { roles: ['admin'] });
    // A passkey and a second factor (public key and secret must never appear).
    await db.insert(passkeys).values({ tenantId: tenant.id, id: 'cred-id-secret-AAAA', memberId: member.id, publicKey: 'pk-secret-BBBB', counter: 3, lastUsedAt: new Date('2026-05-01T10:00:00Z') });
    await db.insert(totpFactors).values({ tenantId: tenant.id, memberId: member.id, secretEnc: 'sealed-secret-CCCC', confirmedAt: new Date('2026-04-01T09:00:00Z') });

    const coord = new TestClient(app, host);
    await coord.get('/about');
    coord.cookies.set('pm_session', coordinator.cookie);
    expect((await coord.post(`/coordinator/members/${member.id}/roles/grant`, { role: 'volunteer' })).status).toBe(303);
    expect((await coord.post(`/coordinator/members/${member.id}/reps/appoint`, { ward: 'E05010268', startsOn: '2026-01-01' })).status).toBe(303);
    expect((await coord.post(`/coordinator/members/${member.id}/status`, { status: 'lapsed' })).status).toBe(303);
    expect((await coord.post(`/coordinator/members/${member.id}/status`, { status: 'active' })).status).toBe(303);

    // Lapsing signed them out everywhere: a new session.
    const { token } = await createSession(db, { tenantId: tenant.id, memberId: member.id, staff: false, secondFactor: false });
    const self = new TestClient(app, host);
    await self.get('/about');
    self.cookies.set('pm_session', token);
    const link = (await self.post('/me/data', {})).headers.get('location')!;
    const res = await self.get(link);
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const data = JSON.parse(strFromU8(files['my-data.json']!)) as Record<string, unknown>;

    // Row for row: each CSV holds exactly the JSON section's rows, in the same order.
    const sections = Object.keys(data).filter((k) => k !== 'exportedAt');
    // Membership's, the outboxes' and the audit's sections are all there (later modules add their own).
    expect(sections).toEqual(expect.arrayContaining(['activity', 'emails', 'passkeys', 'profile', 'recoveryCodes', 'roles', 'secondFactorResets', 'secondFactors', 'sessions', 'statusHistory', 'texts', 'wardRepresentation']));
    // …and every section comes from a provider's export (no stray keys).
    const { personalDataProviders } = await import('./data-rights.ts');
    expect(personalDataProviders().length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(files).sort()).toEqual(['my-data.json', ...sections.map((s) => `${s}.csv`)].sort());
    for (const section of sections) {
      const value = data[section];
      const rows = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
      const csv = parseCsvRecords(strFromU8(files[`${section}.csv`]!));
      expect(csv.records.length, section).toBe(rows.length);
      rows.forEach((row, i) => {
        expect(Object.keys(row).sort(), section).toEqual([...csv.header].sort());
        for (const [key, v] of Object.entries(row)) expect(unescapeCell(csv.records[i]![key] ?? ''), `${section}[${i}].${key}`).toBe(asCell(v));
      });
    }

    const roles = data.roles as Array<{ role: string; grantedBy: string | null }>;
    expect(roles.map((r) => r.role).sort()).toEqual(['member', 'volunteer', 'ward_rep']);
    expect(roles.find((r) => r.role === 'volunteer')?.grantedBy).toBe('a member of the mutual’s staff');
    expect(data.profile).toMatchObject({ name: 'Ola =Nowak', phone: '+48600100200', wardCode: 'E05010268', wardName: 'Lloyds' });
    expect(data.wardRepresentation).toEqual([expect.objectContaining({ wardCode: 'E05010268', wardName: 'Lloyds', startsOn: '2026-01-01', endsOn: null, appointedBy: 'a member of the mutual’s staff' })]);
    expect((data.statusHistory as Array<{ status: string; changedBy: string }>).map((h) => [h.status, h.changedBy])).toEqual([
      ['active', 'the system'],
      ['lapsed', 'a member of the mutual’s staff'],
      ['active', 'a member of the mutual’s staff'],
    ]);
    expect(data.passkeys).toEqual([{ name: 'Passkey 1', createdAt: expect.any(String), lastUsedAt: '2026-05-01T10:00:00.000Z' }]);
    expect(data.secondFactors).toEqual([{ kind: 'Authenticator app code (TOTP)', setUp: true, setUpAt: '2026-04-01T09:00:00.000Z' }]);
    expect(data.activity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'role.grant', by: 'a member of the mutual’s staff', aboutYou: true }),
        expect.objectContaining({ action: 'ward_rep.appoint', by: 'a member of the mutual’s staff', aboutYou: true }),
      ]),
    );

    // No id but the member's own, no key material, anywhere in the download.
    const everything = Object.values(files).map((f) => strFromU8(f)).join('\n');
    const ids = new Set(everything.match(UUID) ?? []);
    expect([...ids]).toEqual([member.id]);
    expect(everything).not.toContain(coordinator.member.id);
    for (const secret of ['cred-id-secret-AAAA', 'pk-secret-BBBB', 'sealed-secret-CCCC', tenant.id]) expect(everything).not.toContain(secret);
  });

  it('speaks the member’s language', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const { member, cookie } = await buildMember(db, tenant.id, { wardCode: 'E05010268' });
    await deps.database.query("UPDATE members SET preferred_locale = 'pl' WHERE tenant_id = $1 AND id = $2", [tenant.id, member.id]);
    const self = new TestClient(app, host);
    await self.get('/about');
    self.cookies.set('pm_session', cookie);
    const link = (await self.post('/me/data', {})).headers.get('location')!;
    const files = unzipSync(new Uint8Array(await (await self.get(link)).arrayBuffer()));
    const data = JSON.parse(strFromU8(files['my-data.json']!)) as { statusHistory: Array<{ changedBy: string }> };
    expect(data.statusHistory[0]?.changedBy).toBe('system');
  });
});
