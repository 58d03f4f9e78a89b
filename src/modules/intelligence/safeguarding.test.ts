import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount, lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import type { Role } from '../membership/schema.ts';

const NOW = new Date('2026-11-30T12:00:00Z');
const SECRET_WORDS = 'bruises on the arm of the small boy at number nine';

async function setup() {
  const { app, deps } = await testApp();
  deps.clock = () => NOW.getTime();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const as = async (roles: Role[], opts: { email?: string } = {}) => {
    const m = await buildMember(db, tenant.id, { roles, ...opts });
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', m.cookie);
    return { c, member: m.member };
  };
  const api = async (c: TestClient, path: string, body: unknown) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { host, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': c.csrf() },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { id: string; clientId: string; frontDoor: { name: string; phone: string }; error?: { code: string } } };
  };
  const audits = async (action: string) => (await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = $2', [tenant.id, action]))[0]?.n ?? 0;
  return { app, deps, db, tenant, host, as, api, audits };
}

describe(`safeguarding concerns (${storeName()})`, () => {
  it('a concern is stored apart (never in intel_reports), alerts every active lead at once with no content, and answers the front door', async () => {
    const { as, api, deps, tenant } = await setup();
    const lead1 = await as(['safeguarding_lead']);
    const lead2 = await as(['safeguarding_lead']);
    const champ = await as(['street_champion']);
    const res = await api(champ.c, '/api/v1/intelligence/concerns', { clientId: 'concern-0001', observedText: SECRET_WORDS, wardCode: 'E05010264' });
    expect(res.status).toBe(201);
    expect(res.body.frontDoor).toEqual({ name: '', phone: '' });
    const reports = await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM intel_reports WHERE tenant_id = $1', [tenant.id]);
    expect(reports[0]?.n).toBe(0);
    for (const lead of [lead1, lead2]) {
      const mail = await lastEmail(deps.database, tenant.id, lead.member.email!);
      expect(mail?.template).toBe('intelligence.concern-alert');
      expect(mail?.subject).toBe('A safeguarding concern was raised');
      expect(mail?.link).toBe(`/safeguarding/concerns/${res.body.id}`);
      // Nothing of what the champion wrote, nor the ward, goes by email.
      expect(mail?.text_body).not.toContain('bruises');
      expect(mail?.text_body).not.toContain('Beanfield');
      expect(mail?.subject).not.toContain('bruises');
    }
    // A retry answers the first concern again and alerts nobody twice.
    const retry = await api(champ.c, '/api/v1/intelligence/concerns', { clientId: 'concern-0001', observedText: SECRET_WORDS, wardCode: 'E05010264' });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(res.body.id);
    expect(await emailCount(deps.database, tenant.id, lead1.member.email!)).toBe(1);
    const other = await api(champ.c, '/api/v1/intelligence/concerns', { clientId: 'concern-0001', observedText: 'something else' });
    expect(other.status).toBe(409);
  });

  it('only safeguarding leads open concerns: coordinators, admins, board, the champion who sent it and others get 403; each opening is audited', async () => {
    const { as, api, audits } = await setup();
    const champ = await as(['street_champion']);
    const { body } = await api(champ.c, '/api/v1/intelligence/concerns', { clientId: 'concern-0002', observedText: SECRET_WORDS });
    const denied: Role[][] = [['coordinator'], ['admin'], ['board'], ['volunteer'], ['member'], ['ward_rep'], ['partner'], ['coordinator', 'street_champion']];
    for (const roles of denied) {
      const { c } = await as(roles);
      for (const path of ['/safeguarding/concerns', `/safeguarding/concerns/${body.id}`]) {
        const res = await c.get(path);
        expect(res.status, `${roles.join('+')} ${path}`).toBe(403);
        expect(await res.text()).not.toContain('bruises');
      }
      expect((await c.post(`/safeguarding/concerns/${body.id}/handle`, { note: 'x' })).status, roles.join('+')).toBe(403);
    }
    for (const path of ['/safeguarding/concerns', `/safeguarding/concerns/${body.id}`]) {
      const res = await champ.c.get(path);
      expect(res.status, `the champion after sending: ${path}`).toBe(403);
    }
    expect(await audits('safeguarding.concern.opened')).toBe(0);

    const lead = await as(['safeguarding_lead']);
    const list = await lead.c.get('/safeguarding/concerns');
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain(`/safeguarding/concerns/${body.id}`);
    expect(listHtml).not.toContain('bruises');
    const open = await lead.c.get(`/safeguarding/concerns/${body.id}`);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain(SECRET_WORDS);
    expect(await audits('safeguarding.concern.opened')).toBe(1);
    await lead.c.get(`/safeguarding/concerns/${body.id}`);
    expect(await audits('safeguarding.concern.opened')).toBe(2);
  });

  it('a lead marks a concern handled with a note (a note is required); another tenant’s id is a 404', async () => {
    const { as, api, deps, tenant, db, app, audits } = await setup();
    const champ = await as(['street_champion']);
    const { body } = await api(champ.c, '/api/v1/intelligence/concerns', { clientId: 'concern-0003', observedText: SECRET_WORDS });
    const lead = await as(['safeguarding_lead']);
    expect((await lead.c.post(`/safeguarding/concerns/${body.id}/handle`, { note: '  ' })).status).toBe(400);
    const done = await lead.c.post(`/safeguarding/concerns/${body.id}/handle`, { note: 'Referred to the front door.' });
    expect(done.status).toBe(303);
    const [row] = await deps.database.query<{ status: string; handled_by: string; handling_note: string }>('SELECT status, handled_by, handling_note FROM safeguarding_concerns WHERE tenant_id = $1', [tenant.id]);
    expect(row).toMatchObject({ status: 'handled', handled_by: lead.member.id, handling_note: 'Referred to the front door.' });
    expect(await audits('safeguarding.concern.handled')).toBe(1);
    // A lead of another tenant cannot reach this one.
    const other = await buildTenant(db);
    const foreign = await buildMember(db, other.tenant.id, { roles: ['safeguarding_lead'] });
    const fc = new TestClient(app, other.host);
    await fc.get('/about');
    fc.cookies.set('pm_session', foreign.cookie);
    expect((await fc.get(`/safeguarding/concerns/${body.id}`)).status).toBe(404);
  });

  it('the champion is told what to do now: 999, and the front door when set (or to ask a coordinator)', async () => {
    const { as, api } = await setup();
    const champ = await as(['street_champion']);
    const form = await (await champ.c.get('/intelligence/report?risk=yes')).text();
    expect(form).toContain('call 999');
    const clientId = /name="clientId" value="([^"]+)"/.exec(form)?.[1];
    const unset = await champ.c.post('/intelligence/concern', { clientId: clientId!, observedText: SECRET_WORDS, wardCode: '' });
    expect(unset.status).toBe(200);
    const unsetHtml = await unset.text();
    expect(unsetHtml).toContain('call 999');
    expect(unsetHtml).toContain('ask a coordinator');
    expect(unsetHtml).not.toContain('bruises');

    const coord = await as(['coordinator']);
    expect((await coord.c.post('/coordinator/intelligence/settings', { frontDoorName: 'North Northamptonshire Children’s Trust', frontDoorPhone: '0300 126 1000', textRetentionMonths: '24' })).status).toBe(303);
    expect((await coord.c.post('/coordinator/intelligence/settings', { frontDoorName: '', frontDoorPhone: 'call me', textRetentionMonths: '0' })).status).toBe(400);
    const set = await champ.c.post('/intelligence/concern', { clientId: 'form-concern-second', observedText: 'another', wardCode: '' });
    const setHtml = await set.text();
    expect(setHtml).toContain('North Northamptonshire Children’s Trust');
    expect(setHtml).toContain('href="tel:03001261000"');
    const viaApi = await api(champ.c, '/api/v1/intelligence/concerns', { clientId: 'concern-api-3', observedText: 'x' });
    expect(viaApi.body.frontDoor).toEqual({ name: 'North Northamptonshire Children’s Trust', phone: '0300 126 1000' });
  });

  it('bad concern input gets clear messages and stores nothing', async () => {
    const { as, api, deps, tenant } = await setup();
    const champ = await as(['street_champion']);
    for (const body of [{ clientId: 'concern-bad-1', observedText: '' }, { clientId: 'concern-bad-2', observedText: 'a'.repeat(2001) }, { clientId: 'x', observedText: 'ok' }, { clientId: 'concern-bad-3', observedText: 'ok', wardCode: 'E05009999' }]) {
      expect((await api(champ.c, '/api/v1/intelligence/concerns', body)).status).toBe(400);
    }
    const member = await as(['member']);
    expect((await api(member.c, '/api/v1/intelligence/concerns', { clientId: 'concern-bad-4', observedText: 'ok' })).status).toBe(403);
    const rows = await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM safeguarding_concerns WHERE tenant_id = $1', [tenant.id]);
    expect(rows[0]?.n).toBe(0);
  });
});
