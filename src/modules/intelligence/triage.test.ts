import { describe, expect, it } from 'vitest';
import type { Role } from '../membership/schema.ts';
import { collectMemberData, erase } from '../membership/data-rights.ts';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { fileReport } from './filing.ts';
import { fileConcern } from './safeguarding.ts';
import { recordSync, stripOldText } from './triage.ts';
import { linkReport, reportLinksFor } from './views.ts';
import { clearIntelDemo, loadIntelDemo } from './demo.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { loadMembershipDemo } from '../membership/demo.ts';
import type { Actor } from '../membership/policy.ts';

const NOW = new Date('2026-11-30T12:00:00Z');

async function setup() {
  const { app, deps } = await testApp();
  deps.clock = () => NOW.getTime();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const as = async (roles: Role[]) => {
    const m = await buildMember(db, tenant.id, { roles });
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', m.cookie);
    const actor: Actor = { memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' };
    return { c, member: m.member, actor };
  };
  let n = 0;
  const file = async (actor: Actor, over: Record<string, unknown> = {}, now = NOW) =>
    (await fileReport(db, actor, tenant, { clientId: `t-${++n}-${Math.random().toString(36).slice(2, 8)}`, categoryKey: 'play-spaces', wardCode: 'E05010264', observedOn: '2026-11-20', observedText: `Broken swings ${n}`, familiesEstimate: 5, since: 'few_months', source: 'seen', ...over }, now)).id;
  const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => deps.database.query<T>(sql, params);
  const audits = async (action: string) => (await q<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = $2', [tenant.id, action]))[0]?.n ?? 0;
  return { app, deps, db, tenant, host, as, file, q, audits };
}

describe(`triage (${storeName()})`, () => {
  it('the inbox filters by status, category, ward and period, pages, and is for coordinators and admins only', async () => {
    const { as, file } = await setup();
    const champ = await as(['street_champion']);
    for (let i = 0; i < 27; i++) await file(champ.actor, { observedOn: i < 3 ? '2026-06-01' : '2026-11-20', categoryKey: i % 2 ? 'housing' : 'play-spaces', wardCode: i === 0 ? 'E05010265' : 'E05010264' });
    const coord = await as(['coordinator']);
    const all = await (await coord.c.get('/coordinator/intelligence')).text();
    expect(all).toContain('27 reports');
    expect(all).toContain('Page 1 of 2');
    expect(await (await coord.c.get('/coordinator/intelligence?page=2')).text()).toContain('Page 2 of 2');
    expect(await (await coord.c.get('/coordinator/intelligence?category=housing')).text()).toContain('13 reports');
    expect(await (await coord.c.get('/coordinator/intelligence?ward=E05010265')).text()).toContain('1 reports');
    expect(await (await coord.c.get('/coordinator/intelligence?from=2026-05-01&to=2026-07-01')).text()).toContain('3 reports');
    expect(await (await coord.c.get('/coordinator/intelligence?status=closed')).text()).toContain('0 reports');
    expect((await coord.c.get('/coordinator/intelligence?status=bogus')).status).toBe(400);
    expect((await coord.c.get('/coordinator/intelligence?ward=E05009999')).status).toBe(400);
    const admin = await as(['admin']);
    expect((await admin.c.get('/coordinator/intelligence')).status).toBe(200);
    for (const role of ['street_champion', 'safeguarding_lead', 'board', 'member'] as Role[]) {
      const { c } = await as([role]);
      expect((await c.get('/coordinator/intelligence')).status, role).toBe(403);
    }
  });

  it('status changes, notes and action links are saved with audit rows, and the report says what it is behind', async () => {
    const { as, file, q, audits, tenant } = await setup();
    const champ = await as(['street_champion']);
    const id = await file(champ.actor);
    const coord = await as(['coordinator']);
    const base = `/coordinator/intelligence/reports/${id}`;
    expect((await coord.c.post(`${base}/status`, { status: 'reviewed' })).status).toBe(303);
    expect((await coord.c.post(`${base}/status`, { status: 'nonsense' })).status).toBe(400);
    expect((await coord.c.post(`${base}/notes`, { body: 'Asked the parks team.' })).status).toBe(303);
    expect((await coord.c.post(`${base}/notes`, { body: '' })).status).toBe(400);
    expect((await coord.c.post(`${base}/links`, { label: 'Asked the council to repair the swings', url: 'https://example.org/letter' })).status).toBe(303);
    expect((await coord.c.post(`${base}/links`, { label: 'Raised at the ward forum', url: '' })).status).toBe(303);
    expect((await coord.c.post(`${base}/links`, { label: 'Bad', url: 'javascript:alert(1)' })).status).toBe(400);
    const [row] = await q<{ status: string }>('SELECT status FROM intel_reports WHERE tenant_id = $1 AND id = $2', [tenant.id, id]);
    expect(row?.status).toBe('reviewed');
    expect(await audits('intel.report.status')).toBe(1);
    expect(await audits('intel.report.note')).toBe(1);
    expect(await audits('intel.report.linked')).toBe(2);
    const page = await (await coord.c.get(base)).text();
    expect(page).toContain('This report is behind 2 actions.');
    expect(page).toContain('Asked the parks team.');
    expect(page).toContain('href="https://example.org/letter"');
    // Another tenant's coordinator and a malformed id: 404.
    expect((await coord.c.get('/coordinator/intelligence/reports/not-a-uuid')).status).toBe(404);
  });

  it('merging points a duplicate (and what was merged into it) at the survivor, counted once; refuses self and merged targets', async () => {
    const { as, file, q, audits, tenant } = await setup();
    const champ = await as(['street_champion']);
    const a = await file(champ.actor);
    const b = await file(champ.actor);
    const c = await file(champ.actor);
    const coord = await as(['coordinator']);
    // The report page offers the similar ones.
    expect(await (await coord.c.get(`/coordinator/intelligence/reports/${a}`)).text()).toContain(`value="${b}"`);
    expect((await coord.c.post(`/coordinator/intelligence/reports/${a}/merge`, { survivor: b })).status).toBe(303);
    expect((await coord.c.post(`/coordinator/intelligence/reports/${b}/merge`, { survivor: c })).status).toBe(303);
    const rows = await q<{ id: string; merged_into: string | null }>('SELECT id, merged_into FROM intel_reports WHERE tenant_id = $1', [tenant.id]);
    expect(rows.find((r) => r.id === a)?.merged_into).toBe(c);
    expect(rows.find((r) => r.id === b)?.merged_into).toBe(c);
    expect(rows.filter((r) => r.merged_into === null).map((r) => r.id)).toEqual([c]);
    expect(await audits('intel.report.merged')).toBe(2);
    expect((await coord.c.post(`/coordinator/intelligence/reports/${c}/merge`, { survivor: c })).status).toBe(400);
    expect((await coord.c.post(`/coordinator/intelligence/reports/${c}/merge`, { survivor: a })).status).toBe(400);
    expect((await coord.c.post(`/coordinator/intelligence/reports/${c}/merge`, {})).status).toBe(400);
    // The inbox counts the observation once; merged ones show on request.
    expect(await (await coord.c.get('/coordinator/intelligence')).text()).toContain('1 reports');
    expect(await (await coord.c.get('/coordinator/intelligence?merged=1')).text()).toContain('3 reports');
    expect(await (await coord.c.get(`/coordinator/intelligence/reports/${c}`)).text()).toContain('2 duplicate reports were merged into this one.');
  });

  it('other modules link reports through views.ts (generic kind and target) and read them back', async () => {
    const { as, file, db, tenant } = await setup();
    const champ = await as(['street_champion']);
    const id = await file(champ.actor);
    await db.transaction((tx) => linkReport(tx, { tenantId: tenant.id, reportId: id, kind: 'proposal', targetId: 'p-1', label: 'Budget proposal: new swings', url: null, createdBy: null }));
    const links = await reportLinksFor(db, tenant.id, 'proposal', 'p-1');
    expect(links.map((l) => l.reportId)).toEqual([id]);
    expect(await reportLinksFor(db, tenant.id, 'proposal', 'p-2')).toEqual([]);
    const other = await buildTenant(db);
    await expect(db.transaction((tx) => linkReport(tx, { tenantId: other.tenant.id, reportId: id, kind: 'proposal', targetId: 'p-1', label: 'x', url: null, createdBy: null }))).rejects.toThrow();
  });

  it('retention strips text and notes of reports older than the tenant’s months, keeps the counts, and is idempotent', async () => {
    const { as, file, q, tenant, db } = await setup();
    const champ = await as(['street_champion']);
    const coord = await as(['coordinator']);
    const old = await file(champ.actor, { observedOn: '2024-06-01' }, new Date('2024-06-02T10:00:00Z'));
    const recent = await file(champ.actor);
    await coord.c.post(`/coordinator/intelligence/reports/${old}/notes`, { body: 'An old note' });
    // 24 months after 2024-06-02 is 2026-06-02: before it nothing goes, after it the old one does.
    expect(await stripOldText(db, new Date('2026-06-01T00:00:00Z'), { tenantId: tenant.id })).toBe(0);
    expect(await stripOldText(db, NOW, { tenantId: tenant.id })).toBe(1);
    expect(await stripOldText(db, NOW, { tenantId: tenant.id })).toBe(0);
    const rows = await q<{ id: string; observed_text: string | null; text_stripped_at: Date | null; families_estimate: number }>('SELECT id, observed_text, text_stripped_at, families_estimate FROM intel_reports WHERE tenant_id = $1', [tenant.id]);
    const o = rows.find((r) => r.id === old)!;
    expect(o.observed_text).toBeNull();
    expect(new Date(o.text_stripped_at!).toISOString()).toBe(NOW.toISOString());
    expect(o.families_estimate).toBe(5);
    expect(rows.find((r) => r.id === recent)?.observed_text).toMatch(/Broken swings/);
    const notes = await q<{ body: string }>('SELECT body FROM intel_report_notes WHERE tenant_id = $1', [tenant.id]);
    expect(notes.map((x) => x.body)).toEqual(['']);
    // A shorter retention setting strips sooner.
    await coord.c.post('/coordinator/intelligence/settings', { frontDoorName: '', frontDoorPhone: '', textRetentionMonths: '1' });
    expect(await stripOldText(db, new Date('2027-01-01T00:00:00Z'), { tenantId: tenant.id })).toBe(1);
    // No new note on a stripped report.
    expect((await coord.c.post(`/coordinator/intelligence/reports/${old}/notes`, { body: 'again' })).status).toBe(400);
  });

  it('coordinators edit, add and deactivate categories; an inactive one leaves the form and is refused', async () => {
    const { as, file, q, tenant, app, host } = await setup();
    const coord = await as(['coordinator']);
    const [housing] = await q<{ id: string }>("SELECT id FROM intel_categories WHERE tenant_id = $1 AND key = 'housing'", [tenant.id]);
    expect((await coord.c.post(`/coordinator/intelligence/categories/${housing!.id}`, { title: 'Housing', titlePl: 'Mieszkania', description: 'Homes', descriptionPl: 'Domy' })).status).toBe(303);
    expect((await coord.c.post('/coordinator/intelligence/categories', { key: 'school-places', title: 'School places', titlePl: 'Miejsca w szkołach', description: '', descriptionPl: '' })).status).toBe(303);
    expect((await coord.c.post('/coordinator/intelligence/categories', { key: 'school-places', title: 'Again' })).status).toBe(400);
    expect((await coord.c.post('/coordinator/intelligence/categories', { key: 'Bad Key', title: 'x' })).status).toBe(400);
    expect((await coord.c.post(`/coordinator/intelligence/categories/${housing!.id}`, { title: '' })).status).toBe(400);
    const rows = await q<{ key: string; title: string; active: boolean }>('SELECT key, title, active FROM intel_categories WHERE tenant_id = $1', [tenant.id]);
    expect(rows.find((r) => r.key === 'housing')).toMatchObject({ title: 'Housing', active: false });
    expect(rows.find((r) => r.key === 'school-places')?.active).toBe(true);
    const champ = await as(['street_champion']);
    const res = await app.request('/api/v1/intelligence/form-data', { headers: { host, cookie: `pm_session=${champ.c.cookies.get('pm_session')}` } });
    const keys = ((await res.json()) as { categories: Array<{ key: string }> }).categories.map((k) => k.key);
    expect(keys).toContain('school-places');
    expect(keys).not.toContain('housing');
    await expect(file(champ.actor, { categoryKey: 'housing' })).rejects.toThrow(/categoryKey/);
    expect((await champ.c.get('/coordinator/intelligence/categories')).status).toBe(403);
  });
});

describe(`personal data and demo (${storeName()})`, () => {
  it('a champion’s download holds their reports (with text) and sync; erasure leaves reports unattributed and keeps concerns', async () => {
    const { as, file, q, tenant, db } = await setup();
    const champ = await as(['street_champion']);
    await file(champ.actor, { observedText: 'Damp flats' });
    await recordSync(db, champ.actor, { waiting: 2, refused: 0 }, NOW);
    await fileConcern(db, champ.actor, tenant, { clientId: 'concern-pd-1', observedText: 'A worry' }, 'https://x.invalid', NOW);
    const data = await collectMemberData(db, tenant.id, champ.member.id);
    const json = JSON.stringify(data);
    expect(json).toContain('Damp flats');
    expect(json).toContain('play-spaces');
    expect(json).toContain('intelligenceSync');
    expect(json).not.toContain('A worry');
    expect(json).toContain('Safeguarding concerns you raised (1) are kept');
    const admin = await as(['admin']);
    await erase(db, tenant.id, champ.member.id, admin.actor.memberId);
    const reports = await q<{ reporter_id: string | null }>('SELECT reporter_id FROM intel_reports WHERE tenant_id = $1', [tenant.id]);
    expect(reports).toEqual([{ reporter_id: null }]);
    expect(await q('SELECT * FROM intel_sync_status WHERE tenant_id = $1', [tenant.id])).toEqual([]);
    const concerns = await q<{ reporter_id: string | null; observed_text: string }>('SELECT reporter_id, observed_text FROM safeguarding_concerns WHERE tenant_id = $1', [tenant.id]);
    expect(concerns).toEqual([{ reporter_id: null, observed_text: 'A worry' }]);
  });

  it('demo data: a year of labelled reports across wards and categories with small cells, two concerns; clear removes them', async () => {
    const { q, tenant, db } = await setup();
    const wards = await wardsOf(db, tenant, pickWardSet(await areaOverview(db, tenant), undefined));
    await loadMembershipDemo(db, tenant.id, wards, NOW);
    const added = await loadIntelDemo(db, tenant.id, wards, NOW);
    expect(added).toBeGreaterThan(100);
    expect(await loadIntelDemo(db, tenant.id, wards, NOW)).toBe(0);
    const cells = await q<{ ward_id: string; n: number }>('SELECT ward_id, count(*)::int AS n FROM intel_reports WHERE tenant_id = $1 AND is_demo GROUP BY ward_id', [tenant.id]);
    expect(cells.length).toBe(wards.length);
    expect(cells.some((c) => c.n >= 1 && c.n <= 5)).toBe(true);
    const span = await q<{ first: string; last: string; cats: number }>('SELECT min(observed_on)::text AS first, max(observed_on)::text AS last, count(DISTINCT category_id)::int AS cats FROM intel_reports WHERE tenant_id = $1', [tenant.id]);
    expect(span[0]!.first < '2026-01-01').toBe(true);
    expect(span[0]!.cats).toBeGreaterThanOrEqual(8);
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM safeguarding_concerns WHERE tenant_id = $1 AND is_demo', [tenant.id]))[0]?.n).toBe(2);
    expect(await clearIntelDemo(db, tenant.id)).toBe(added);
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM intel_reports WHERE tenant_id = $1', [tenant.id]))[0]?.n).toBe(0);
  });
});
