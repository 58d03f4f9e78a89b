import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildTenant } from '../../test/factories.ts';
import { wards } from '../tenancy/schema.ts';
import { govSeats, govSettings } from './schema.ts';
import { instantToLondon } from '../../lib/dates.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { clearGovernanceDemo, loadGovernanceDemo } from './demo.ts';
import { agmPackPdf } from './agm-pack.ts';
import { listMeetings } from './meetings.ts';
import { translator } from '../../ui/i18n/index.ts';
import { actorFor, govSetup } from './test-helpers.ts';

describe(`governance pages (${storeName()})`, () => {
  it('a secretary plans an AGM through the pages: too little notice is refused with the earliest date, then it is called; the public sees it and its calendar', async () => {
    const { app } = await testApp();
    const { db } = await testDatabase();
    const { tenant, host, admin } = await govSetup(db);
    const staff = new TestClient(app, host);
    staff.cookies.set('pm_session', admin.cookie);
    const soon = new Date(Date.now() + 5 * 86_400_000);
    const created = await staff.post('/governance/meetings', { kind: 'agm', title: 'AGM 2027', startsAt: instantToLondon(soon), endsAt: instantToLondon(new Date(soon.getTime() + 7_200_000)), location: 'Corby Cube' });
    expect(created.status).toBe(303);
    const path = created.headers.get('location')!;
    await staff.post(`${path}/agenda`, { title: 'Apologies' });
    await staff.post(`${path}/agenda`, { title: 'Board report' });
    const early = await staff.post(`${path}/call`, {});
    expect(early.status).toBe(409);
    const text = await early.text();
    expect(text).toContain('The rules need 21 clear days');
    expect(text).toContain('the earliest this meeting can be held is');
    // Public: a draft is not visible.
    const anon = new TestClient(app, host);
    expect((await anon.get(path)).status).toBe(404);
    const later = new Date(Date.now() + 30 * 86_400_000);
    expect((await staff.post(`${path}/edit`, { kind: 'agm', title: 'AGM 2027', location: 'Corby Cube', startsAt: instantToLondon(later), endsAt: instantToLondon(new Date(later.getTime() + 7_200_000)) })).status).toBe(303);
    expect((await staff.post(`${path}/call`, {})).status).toBe(303);
    const page = await (await staff.get(path)).text();
    expect(page).toContain('Not quorate: 0 present of 1 needed.');
    expect(await (await anon.get(path)).text()).toContain('Board report');
    const ics = await anon.get('/governance/meetings.ics');
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const icsText = await ics.text();
    expect(icsText).toContain('SUMMARY:AGM 2027');
    expect(icsText).toContain('PRODID:-//Parent Mutual//Governance//EN');
    const pdf = await anon.get(`${path}/pack.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    // Attendance through the page, as the keeper: the quorum updates.
    await staff.post(`${path}/attendance`, { memberId: admin.member.id, mode: 'in_person' });
    expect(await (await staff.get(path)).text()).toContain('Quorate: 1 present of 1 needed.');
    // Someone else's attempt is a 404 and changes nothing.
    const plain = await actorFor(db, tenant.id);
    const other = new TestClient(app, host);
    other.cookies.set('pm_session', plain.cookie);
    expect((await other.post(`${path}/attendance`, { memberId: plain.member.id, mode: 'in_person' })).status).toBe(404);
  }, 120_000);

  it('public pages render in English and Polish with the demo loaded, labelled; the S2 checklist and the board', async () => {
    const { app } = await testApp();
    const database = await testDatabase();
    const { db } = database;
    const { tenant, host } = await govSetup(db);
    for (let i = 0; i < 16; i++) await actorFor(db, tenant.id, { name: `Demo Parent ${i + 1}` });
    await database.query("UPDATE members SET is_demo = true WHERE tenant_id = $1 AND name LIKE 'Demo Parent %'", [tenant.id]);
    const today = new Date();
    const added = await loadGovernanceDemo(db, tenant.id, today);
    expect(added).toBeGreaterThan(20);
    expect(await loadGovernanceDemo(db, tenant.id, today)).toBe(0);
    const anon = new TestClient(app, host);
    for (const [path, expected] of [
      ['/governance', 'Rules of the society (constitution) adopted'],
      ['/governance/documents', 'Rules of One Corby Parent Coalition'],
      ['/governance/documents/corby-rules', 'DEMO TEXT'],
      ['/governance/board', 'Register of interests'],
      ['/governance/meetings', 'Annual general meeting (demo)'],
    ] as const) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain(expected);
      expect(html, path).toMatch(/class="(tag|notice) demo"/);
      expect((await new TestClient(app, host).get(`${path}?lang=pl`)).status).toBe(200);
    }
    const overview = await (await anon.get('/governance')).text();
    // Registration is the one item the demo leaves missing.
    expect(overview).toContain('Not yet met: 1 item(s) still missing.');
    const meetings = await listMeetings(db, tenant.id);
    const agm = meetings.find((m) => m.kind === 'agm')!;
    expect(await (await anon.get(`/governance/meetings/${agm.id}`)).text()).toContain('Approved and published.');
    const pdf = await agmPackPdf(db, tenant, agm, { t: translator('pl'), locale: 'pl', baseUrl: 'https://x', compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await clearGovernanceDemo(db, tenant.id)).toBeGreaterThan(20);
    expect((await listMeetings(db, tenant.id)).length).toBe(0);
  }, 120_000);
});

describe(`governance board seats (${storeName()})`, () => {
  it('a ward seat is chosen from the tenant’s wards by name, not typed as an id', async () => {
    const { app } = await testApp();
    const { db } = await testDatabase();
    const { tenant, host } = await buildTenant(db);
    const admin = await actorFor(db, tenant.id, { roles: ['admin'], name: 'Ada Admin' });
    await db.update(govSettings).set({ wardSeats: true }).where(eq(govSettings.tenantId, tenant.id));
    const staff = new TestClient(app, host);
    staff.cookies.set('pm_session', admin.cookie);
    const page = await (await staff.get('/governance/board/manage')).text();
    const select = /<select[^>]*name="wardId"[^>]*>([\s\S]*?)<\/select>/.exec(page)?.[1] ?? '';
    const [ward] = await db.select().from(wards).where(and(eq(wards.tenantId, tenant.id), eq(wards.name, 'Kingswood & Hazel Leys')));
    expect(ward).toBeDefined();
    expect(select).toContain(`<option value="${ward!.id}">Kingswood &amp; Hazel Leys</option>`);
    expect((await staff.post('/governance/board/seats', { kind: 'ward', label: 'Kingswood & Hazel Leys seat', labelPl: '', wardId: ward!.id })).status).toBe(303);
    const [seat] = await db.select().from(govSeats).where(and(eq(govSeats.tenantId, tenant.id), eq(govSeats.label, 'Kingswood & Hazel Leys seat')));
    expect(seat?.wardId).toBe(ward!.id);
  });
});
