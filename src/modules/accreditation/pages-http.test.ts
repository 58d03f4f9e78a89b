// Pages that do not call training's views (those are in pages.test.ts).
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { kindsOf } from './queries.ts';
import { qualifications } from './schema.ts';
import { awardForCourse } from './service.ts';
import { CHECK_LIMIT } from './pages-public.tsx';

async function setup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const client = async (cookie?: string) => {
    const c = new TestClient(app, host);
    await c.get('/about');
    if (cookie) c.cookies.set('pm_session', cookie);
    return c;
  };
  const complete = (memberId: string, courseKey: string, completedOn: string) =>
    db.transaction((tx) => awardForCourse(tx, { tenantId: tenant.id, memberId, courseKey, sessionId: `s-${courseKey}-${completedOn}`, completedOn, actor: 'system:test' }));
  const codeOf = async (id: string) => (await db.select({ code: qualifications.code }).from(qualifications).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.id, id))))[0]!.code;
  return { app, deps, db, tenant, host, client, complete, codeOf };
}

describe(`public certificate check (${storeName()})`, () => {
  it('shows only the first name and surname initial, the qualification, dates and status; nothing else', async () => {
    const { db, tenant, client, complete, codeOf } = await setup();
    const { member } = await buildMember(db, tenant.id, { name: 'Annabel Zebedee-Quartermain', email: 'annabel.zq@example.org', phone: '+447700900654', wardCode: 'E05010264' });
    const id = (await complete(member.id, 'safeguarding-awareness', '2026-01-15')).awarded[0]!.qualificationId;
    const code = await codeOf(id);
    const c = await client();
    const about = await (await c.get('/about')).text();
    expect(about).toContain('href="/certificates/check"');
    expect(about).toContain('Check a certificate');
    const form = await c.get('/certificates/check');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<label for="f-code">Verification code</label>');
    const typed = await c.get(`/certificates/check?code=${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`);
    expect(typed.status).toBe(303);
    expect(typed.headers.get('location')).toBe(`/certificates/${code}`);
    const res = await c.get(`/certificates/${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('Annabel Z.');
    expect(html).toContain('Safeguarding awareness');
    expect(html).toContain('15 January 2026');
    expect(html).toContain('14 January 2029');
    expect(html).toContain('<strong>Valid</strong>');
    for (const secret of ['Zebedee', 'Quartermain', 'annabel.zq', 'example.org', '7700900654', 'Member number', member.id, id, 'E05010264', 'Kingswood', 'Lloyds']) expect(html, secret).not.toContain(secret);
    const pl = await (await c.get(`/certificates/${code}?lang=pl`)).text();
    expect(pl).toContain('Ochrona dzieci – podstawy');
    expect(pl).toContain('Ważne');
  });

  it('revoked says so; a demo certificate says it is one; unknown or odd codes are a 404 that says not known', async () => {
    const { db, deps, tenant, client, complete, codeOf } = await setup();
    const { member } = await buildMember(db, tenant.id, { name: 'Rita Revoked' });
    const id = (await complete(member.id, 'induction', '2026-01-15')).awarded[0]!.qualificationId;
    await deps.database.query("UPDATE qualifications SET revoked_at = now(), revoke_reason = 'Secret reason here' WHERE tenant_id = $1 AND id = $2", [tenant.id, id]);
    const c = await client();
    const revoked = await (await c.get(`/certificates/${await codeOf(id)}`)).text();
    expect(revoked).toContain('<strong>Revoked</strong>');
    expect(revoked).toContain('This certificate was revoked and is no longer valid.');
    expect(revoked).not.toContain('Secret reason');
    const demoId = (await complete(member.id, 'parent-governor', '2026-02-01')).awarded[0]!.qualificationId;
    await deps.database.query('UPDATE qualifications SET is_demo = true WHERE tenant_id = $1 AND id = $2', [tenant.id, demoId]);
    const demo = await (await c.get(`/certificates/${await codeOf(demoId)}`)).text();
    expect(demo).toContain('Demo certificate');
    for (const odd of ['0000000000', 'ZZZZZZZZZZ', '..%2F..%2Fetc', '%27%20OR%201%3D1', '%C4%85%C4%85', 'x'.repeat(300), '%E2%80%AE', '%FF%FE', id]) {
      const res = await c.get(`/certificates/${odd}`);
      expect(res.status, odd).toBe(404);
      expect(await res.text(), odd).toContain('This code is not known.');
    }
    // Another tenant's code is not known here.
    const other = await setup();
    const stranger = (await buildMember(other.db, other.tenant.id)).member;
    const foreign = await other.codeOf((await other.complete(stranger.id, 'induction', '2026-01-01')).awarded[0]!.qualificationId);
    expect((await c.get(`/certificates/${foreign}`)).status).toBe(404);
  });

  it('limits guesses per client: after the limit the page answers 429', async () => {
    const { client } = await setup();
    const c = await client();
    for (let i = 0; i < CHECK_LIMIT.limit; i++) expect((await c.get('/certificates/AAAAAAAAAA')).status).toBe(404);
    expect((await c.get('/certificates/AAAAAAAAAA')).status).toBe(429);
  });
});

describe(`holder and coordinator pages (${storeName()})`, () => {
  it('/me lists my qualifications with certificate links; the PDF is for the holder and coordinators only (audited when not the holder)', async () => {
    const { db, deps, tenant, client, complete } = await setup();
    const holder = await buildMember(db, tenant.id, { name: 'Hana Holder' });
    const stranger = await buildMember(db, tenant.id);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const id = (await complete(holder.member.id, 'induction', '2026-01-15')).awarded[0]!.qualificationId;
    const me = await client(holder.cookie);
    const page = await (await me.get('/me')).text();
    expect(page).toContain('My qualifications');
    expect(page).toContain(`/me/qualifications/${id}/certificate.pdf`);
    const pdf = await me.get(`/me/qualifications/${id}/certificate.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const badge = await me.get(`/me/qualifications/${id}/badge.json`);
    expect((await badge.json()).type).toContain('OpenBadgeCredential');
    expect((await (await client(stranger.cookie)).get(`/me/qualifications/${id}/certificate.pdf`)).status).toBe(404);
    expect((await (await client()).get(`/me/qualifications/${id}/certificate.pdf`)).status).not.toBe(200);
    expect((await (await client(coordinator.cookie)).get(`/me/qualifications/${id}/certificate.pdf`)).status).toBe(200);
    const audit = await deps.database.query<{ action: string; actor: string }>('SELECT action, actor FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 ORDER BY seq', [tenant.id, id]);
    expect(audit.map((a) => a.action)).toEqual(['qualification.awarded', 'qualification.certificate_viewed']);
    expect(audit[1]?.actor).toBe(coordinator.member.id);
  });

  it('coordinators award by hand (refused with what is missing, in words), filter and revoke; members may not', async () => {
    const { db, tenant, client, complete } = await setup();
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const volunteer = await buildMember(db, tenant.id, { roles: ['volunteer'], name: 'Vera Volunteer' });
    const kinds = new Map((await kindsOf(db, tenant.id)).map((k) => [k.key, k]));
    expect((await (await client(volunteer.cookie)).get('/coordinator/accreditation')).status).toBe(403);
    const c = await client(coordinator.cookie);
    const overview = await c.get('/coordinator/accreditation');
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toContain('<h1>Accreditation</h1>');
    expect(html).toContain('Street champion');
    const form = { memberNumber: String(volunteer.member.memberNumber), kindId: kinds.get('street-champion')!.id, issuedOn: '2026-01-10', reason: 'Done with the county council' };
    const refused = await c.post('/coordinator/accreditation/award', form);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Needs: Safeguarding awareness (in date)');
    const badNumber = await c.post('/coordinator/accreditation/award', { ...form, memberNumber: '999999' });
    expect(badNumber.status).toBe(400);
    expect(await badNumber.text()).toContain('Enter the member number of an active member.');
    await complete(volunteer.member.id, 'safeguarding-awareness', '2025-12-01');
    const ok = await c.post('/coordinator/accreditation/award', form);
    expect(ok.status).toBe(303);
    const rows = await db.select().from(qualifications).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.memberId, volunteer.member.id)));
    const manual = rows.find((r) => r.source === 'manual')!;
    expect(manual.reason).toBe('Done with the county council');
    const filtered = await (await c.get(`/coordinator/accreditation?kind=${kinds.get('street-champion')!.id}`)).text();
    expect(filtered).toContain('Vera Volunteer');
    expect(filtered).toContain(`/coordinator/accreditation/awards/${manual.id}/revoke`);
    expect(await (await c.get('/coordinator/accreditation?expiring=30')).text()).toContain('No awards match.');
    const noReason = await c.post(`/coordinator/accreditation/awards/${manual.id}/revoke`, { reason: '' });
    expect(noReason.status).toBe(400);
    expect((await c.post(`/coordinator/accreditation/awards/${manual.id}/revoke`, { reason: 'Entered by mistake' })).status).toBe(303);
    expect((await c.post(`/coordinator/accreditation/awards/${manual.id}/revoke`, { reason: 'Entered by mistake' })).status).toBe(409);
    expect((await c.post('/coordinator/accreditation/awards/not-an-id/revoke', { reason: 'Entered by mistake' })).status).toBe(404);
    expect((await (await client(volunteer.cookie)).post(`/coordinator/accreditation/awards/${manual.id}/revoke`, { reason: 'Entered by mistake' })).status).toBe(403);
    const pl = await c.post('/coordinator/accreditation/award?lang=pl', { ...form, kindId: kinds.get('group-leader')!.id, memberNumber: String(coordinator.member.memberNumber) });
    expect(pl.status).toBe(409);
    expect(await pl.text()).toContain('Wymagane: Ochrona dzieci – podstawy (ważne)');
  });
});
