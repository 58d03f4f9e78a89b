// Issue 12 item 6: the public decisions register (numbering, filters, pages, Atom, CSV) and the motion pages over HTTP.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { recordDecision } from './api-decisions.ts';
import type { DecisionInput } from './decisions.ts';
import { listDecisions } from './decisions.ts';
import { clearMotionsDemo, loadMotionsDemo } from './motions-demo.ts';
import { createMotion, openMotion, secondMotion } from './motions.ts';
import { govSetup, NOW } from './motions.test-helpers.ts';
import { govDecisions } from './schema.ts';
import { testApp } from '../../test/app.ts';
import { buildMember } from '../../test/members.ts';

const entry = (extra: Partial<DecisionInput> = {}): DecisionInput => ({ decidedOn: '2026-06-01', kind: 'resolution', title: 'A resolution', summary: 'That it is so.', outcome: 'carried', votesFor: 10, votesAgainst: 2, abstentions: 1, rule: 'ordinary resolution: more votes for than against (abstentions not counted)', refs: [], ...extra });

const record = (db: Db, tenantId: string, input: DecisionInput) => db.transaction((tx) => recordDecision(tx, tenantId, input));

describe(`decisions register (${storeName()})`, { timeout: 180_000 }, () => {
  it('numbers entries 1, 2, 3… per tenant, under concurrency, and never reuses a number (demo cleared)', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db, { wards: false });
    const { tenant: other } = await buildTenant(db, { wards: false });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => record(db, tenant.id, entry({ title: `R${i}`, isDemo: i < 5 }))));
    expect(results.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await record(db, other.id, entry())).number).toBe(1);
    await db.delete(govDecisions).where(eq(govDecisions.isDemo, true));
    await db.delete(govDecisions).where(eq(govDecisions.number, 20));
    expect((await record(db, tenant.id, entry())).number).toBe(21);
  });

  it('filters by kind, year, outcome and text', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db, { wards: false });
    await record(db, tenant.id, entry({ title: 'Adopt the safeguarding policy', kind: 'policy_adoption', decidedOn: '2025-05-01' }));
    await record(db, tenant.id, entry({ title: 'Ratify the 2026 budget round', kind: 'budget_ratification', outcome: 'not_carried' }));
    await record(db, tenant.id, entry({ title: 'Board election 2026', kind: 'election', outcome: 'elected', rule: 'STV, 3 seats, quota 101', votesFor: null, votesAgainst: null, abstentions: null }));
    const titles = async (f: Parameters<typeof listDecisions>[2]) => (await listDecisions(db, tenant.id, f)).map((d) => d.title);
    expect(await titles({ kind: 'policy_adoption' })).toEqual(['Adopt the safeguarding policy']);
    expect(await titles({ year: 2025 })).toEqual(['Adopt the safeguarding policy']);
    expect(await titles({ outcome: 'not_carried' })).toEqual(['Ratify the 2026 budget round']);
    expect(await titles({ q: 'BUDGET' })).toEqual(['Ratify the 2026 budget round']);
    expect(await titles({ q: '100%_' })).toEqual([]);
    expect(await titles({})).toEqual(['Board election 2026', 'Ratify the 2026 budget round', 'Adopt the safeguarding policy']);
  });

  it('the public reads the register, an entry, a valid Atom feed and a formula-escaped CSV', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db, { wards: false });
    await record(db, tenant.id, entry({ title: '=HYPERLINK("http://evil")', summary: 'Line & <b>bold</b>', refs: [{ kind: 'policy_version', id: 'v1', label: 'Safeguarding v2', href: '/governance/documents/safeguarding' }] }));
    await record(db, tenant.id, entry({ title: 'Second', kind: 'election', outcome: 'elected', rule: 'STV, 3 seats, quota 101' }));
    const c = new TestClient(app, host);
    const page = await c.get('/governance/decisions');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Decisions register</h1>');
    expect(html).toContain('href="/governance/decisions/1"');
    expect(html).toContain('Election result');
    const one = await c.get('/governance/decisions/1');
    expect(one.status).toBe(200);
    const oneHtml = await one.text();
    expect(oneHtml).toContain('Ordinary resolution: carried when more votes are for than against');
    expect(oneHtml).toContain('href="/governance/documents/safeguarding"');
    expect((await c.get('/governance/decisions/99')).status).toBe(404);
    expect((await c.get('/governance/decisions/abc')).status).toBe(404);
    expect((await c.get('/governance/decisions?kind=nope')).status).toBe(400);
    expect((await c.get('/governance/decisions?lang=pl')).status).toBe(200);

    const atom = await c.get('/governance/decisions.atom');
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await atom.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    for (const tag of ['id', 'title', 'updated']) expect(xml).toMatch(new RegExp(`<feed[^>]*>\\s*(?:<[^>]+>[^<]*</[^>]+>\\s*)*<${tag}>`));
    const entries = xml.split('<entry>').slice(1);
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      expect(e).toMatch(/<id>https?:\/\/[^<]+\/governance\/decisions\/\d+<\/id>/);
      expect(e).toMatch(/<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z<\/updated>/);
      expect(e).toMatch(/<link rel="alternate" type="text\/html" href="[^"]+"\/>/);
      expect(e).toMatch(/<title>[^<]+<\/title>/);
    }
    expect(xml).toContain('Line &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(xml).not.toContain('<b>');
    // Well-formed: every opened element is closed, in order.
    const stack: string[] = [];
    for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]!);
    }
    expect(stack).toEqual([]);

    const csv = await c.get('/governance/decisions.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('number,decided_on,kind,title,outcome,votes_for,votes_against,abstentions,rule,meeting,summary,refs,demo');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[1]!.startsWith('1,2026-06-01,resolution,')).toBe(true);
    expect((await c.get('/governance/decisions.csv?kind=election')).status).toBe(200);
    expect((await (await c.get('/governance/decisions.csv?kind=election')).text()).split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('a member votes through the pages, sees a receipt once, and checks it in the published list after closing', async () => {
    const s = await govSetup({ board: 3, members: 2 });
    const [chair, b1] = s.board as [(typeof s.board)[0], (typeof s.board)[0]];
    const opensAt = new Date(Date.now() - 3600_000);
    const closesAt = new Date(Date.now() + 3600_000);
    const id = await createMotion(s.db, chair.actor, { title: 'Forum', body: 'That we hold a forum.', kind: 'ordinary', electorate: 'members', voting: 'secret_online', opensAt, closesAt }, new Date());
    const c = new TestClient(s.app, s.host);
    c.cookies.set('pm_session', s.members[0]!.cookie);
    // A draft is not shown to a plain member.
    expect((await c.get(`/governance/motions/${id}`)).status).toBe(404);
    expect((await c.get(`/governance/motions/${id}/ballot`)).status).toBe(404);
    await secondMotion(s.db, b1.actor, id, new Date());
    await openMotion(s.db, chair.actor, id, new Date());
    const ballot = await c.get(`/governance/motions/${id}/ballot`);
    expect(ballot.status).toBe(200);
    expect(await ballot.text()).toContain('name="choice" value="abstain"');
    const none = await c.post(`/governance/motions/${id}/ballot`, {});
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Choose for, against or abstain.');
    const cast = await c.post(`/governance/motions/${id}/ballot`, { choice: 'for' });
    expect(cast.status).toBe(200);
    const receipt = /<code id="receipt-code">([^<]+)<\/code>/.exec(await cast.text())?.[1];
    expect(receipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const again = await c.post(`/governance/motions/${id}/ballot`, { choice: 'against' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already voted');
    // Before closing the list is not published.
    const anon = new TestClient(s.app, s.host);
    expect(await (await anon.get(`/governance/motions/${id}/ballots`)).text()).toContain('published when voting closes');
    const { closeDueMotions } = await import('./ballot.ts');
    expect(await closeDueMotions(s.db, new Date(closesAt.getTime() + 1), { tenantId: s.tenant.id })).toBe(1);
    const detail = await (await anon.get(`/governance/motions/${id}`)).text();
    expect(detail).toContain('Result: Carried');
    expect(detail).toContain('For 1, against 0 (1 votes cast); 0 abstained');
    const check = await (await anon.get(`/governance/motions/${id}/ballots?receipt=${encodeURIComponent(receipt!)}`)).text();
    expect(check).toContain('Your ballot is in the list');
    expect(await (await anon.get('/governance/decisions')).text()).toContain('Forum');
  });

  it('the chair’s count and a refused open show the reason on the motion page; nothing changes', async () => {
    const s = await govSetup({ board: 3, members: 0 });
    const chair = s.board[0]!;
    const { meeting, attend } = await import('./motions.test-helpers.ts');
    const meetingId = await meeting(s.db, s.tenant.id, { kind: 'board', entitledCount: 3, quorumValue: 3, chairId: chair.member.id });
    await attend(s.db, s.tenant.id, meetingId, [chair.member.id, s.board[1]!.member.id]);
    const id = await createMotion(s.db, chair.actor, { title: 'Plan', body: 'That we adopt the plan.', kind: 'ordinary', electorate: 'board', voting: 'in_meeting', meetingId }, NOW);
    const c = new TestClient(s.app, s.host);
    c.cookies.set('pm_session', chair.cookie);
    const open = await c.post(`/governance/motions/${id}/open`, {});
    expect(open.status).toBe(409);
    expect(await open.text()).toContain('A motion without a seconder cannot be opened');
    await secondMotion(s.db, s.board[1]!.actor, id, NOW);
    expect((await c.post(`/governance/motions/${id}/open`, {})).status).toBe(303);
    const count = await c.post(`/governance/motions/${id}/count`, { for: '2', against: '0', abstain: '0' });
    expect(count.status).toBe(409);
    expect(await count.text()).toContain('inquorate');
    await attend(s.db, s.tenant.id, meetingId, [s.board[2]!.member.id]);
    expect((await c.post(`/governance/motions/${id}/count`, { for: '2', against: '1', abstain: '0' })).status).toBe(303);
    const page = await (await c.get(`/governance/motions/${id}`)).text();
    expect(page).toContain('Result: Carried');
    // A plain member may not record a count (403 from the route).
    const m = await buildMember(s.db, s.tenant.id);
    const mc = new TestClient(s.app, s.host);
    mc.cookies.set('pm_session', m.cookie);
    expect((await mc.post(`/governance/motions/${id}/count`, { for: '1', against: '0', abstain: '0' })).status).toBe(403);
  });

  it('the demo loads labelled decided motions with register entries, idempotently, and clears them', async () => {
    const { deps } = await testApp();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db, { wards: false });
    for (let i = 0; i < 3; i++) await buildMember(db, tenant.id).then(async (m) => db.execute(sqlDemo(m.member.id)));
    const ctx = { db, tenant, today: NOW };
    expect(await loadMotionsDemo(ctx)).toBeGreaterThan(0);
    expect(await loadMotionsDemo(ctx)).toBe(0);
    const entries = await listDecisions(db, tenant.id);
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries.every((e) => e.isDemo)).toBe(true);
    expect(await clearMotionsDemo(ctx)).toBeGreaterThan(0);
    expect(await listDecisions(db, tenant.id)).toEqual([]);
  });
});

function sqlDemo(memberId: string) {
  return sql`UPDATE members SET is_demo = true WHERE id = ${memberId}`;
}
