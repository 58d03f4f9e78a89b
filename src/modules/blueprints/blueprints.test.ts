import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { translator } from '../../ui/i18n/index.ts';
import { auditLog } from '../audit/schema.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { applyOp, compareContents, emptyContent, OpError } from './model.ts';
import { laneTitles } from './pages.tsx';
import { blueprintPdf } from './pdf.ts';
import { blueprintsPersonalData } from './personal-data.ts';
import { bpComments, bpVersions } from './schema.ts';
import { addComment, blueprintById, commentsOf, createBlueprint, editBlueprint, hideComment, versionsOf } from './service.ts';
import { insertTestService } from './test-services.ts';
import { blueprintsForService } from './views.ts';

const t = translator('en');
const lanes = laneTitles(t);

async function setup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const { serviceId } = await insertTestService(db, tenant.id);
  const person = async (roles: Role[]) => {
    const { member, cookie } = await buildMember(db, tenant.id, { roles, wardCode: 'E05010264' });
    const actor: Actor = { memberId: member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 'test' };
    const client = new TestClient(app, host);
    await client.get('/about');
    client.cookies.set('pm_session', cookie);
    return { member, actor, client };
  };
  const coordinator = await person(['coordinator']);
  const parent = await person([]);
  const id = await createBlueprint(db, coordinator.actor, { serviceId, kind: 'current', title: 'Stay and play', stages: ['Hearing about it', 'First visit', 'Regular sessions'], laneTitles: lanes });
  const bp = (await blueprintById(db, tenant.id, id))!;
  return { app, db, tenant, host, serviceId, person, coordinator, parent, id, bp };
}

describe('blueprint model (pure)', () => {
  it('seeds the five standard lanes and applies stage, lane, cell and mark changes', () => {
    let c = emptyContent(lanes, ['A', 'B']);
    expect(c.lanes.map((l) => l.key)).toEqual(['evidence', 'family', 'front', 'back', 'support']);
    c = applyOp(c, { op: 'stage.add', title: 'C' }).content;
    const [a, , cc] = c.stages;
    c = applyOp(c, { op: 'stage.move', stageId: cc!.id, to: 0 }).content;
    expect(c.stages.map((s) => s.title)).toEqual(['C', 'A', 'B']);
    c = applyOp(c, { op: 'lane.rename', laneId: c.lanes[0]!.id, title: 'What parents see' }).content;
    expect(c.lanes[0]).toMatchObject({ key: 'evidence', title: 'What parents see' });
    c = applyOp(c, { op: 'cell.edit', stageId: a!.id, laneId: c.lanes[1]!.id, text: 'Knocks on the door' }).content;
    c = applyOp(c, { op: 'mark.add', stageId: a!.id, laneId: c.lanes[1]!.id, kind: 'pain', note: 'Nobody answers' }).content;
    expect(c.cells).toHaveLength(1);
    expect(c.cells[0]!.marks[0]).toMatchObject({ kind: 'pain', note: 'Nobody answers' });
    c = applyOp(c, { op: 'stage.delete', stageId: a!.id }).content;
    expect(c.cells).toHaveLength(0);
    expect(() => applyOp(c, { op: 'stage.add', title: '   ' })).toThrow(OpError);
    expect(() => applyOp(c, { op: 'mark.add', stageId: c.stages[0]!.id, laneId: c.lanes[0]!.id, kind: 'bogus' as never, note: 'x' })).toThrow(OpError);
  });

  it('compares cell by cell: added, removed and changed, stages matched by id then title', () => {
    let a = emptyContent(lanes, ['One', 'Two']);
    const [s1, s2] = a.stages;
    const l = a.lanes[1]!;
    a = applyOp(a, { op: 'cell.edit', stageId: s1!.id, laneId: l.id, text: 'same' }).content;
    a = applyOp(a, { op: 'cell.edit', stageId: s2!.id, laneId: l.id, text: 'old' }).content;
    a = applyOp(a, { op: 'cell.edit', stageId: s2!.id, laneId: a.lanes[2]!.id, text: 'gone' }).content;
    let b = structuredClone(a);
    b = applyOp(b, { op: 'cell.edit', stageId: s2!.id, laneId: l.id, text: 'new' }).content;
    b = applyOp(b, { op: 'cell.edit', stageId: s2!.id, laneId: b.lanes[2]!.id, text: '' }).content;
    b = applyOp(b, { op: 'cell.edit', stageId: s1!.id, laneId: b.lanes[4]!.id, text: 'fresh' }).content;
    b = applyOp(b, { op: 'stage.add', title: 'Three' }).content;
    const cmp = compareContents(a, b);
    expect(cmp.counts).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(cmp.stages.map((s) => [s.title, s.change])).toEqual([['One', 'same'], ['Two', 'same'], ['Three', 'added']]);
    // A blueprint made separately with the same stage names still pairs by title.
    const separate = emptyContent(lanes, ['one', 'Two']);
    expect(compareContents(a, separate).stages.map((s) => s.change)).toEqual(['changed', 'same']);
  });
});

describe(`blueprints service (${storeName()})`, () => {
  it('versions every change and refuses a stale edit with nothing changed', async () => {
    const { db, tenant, coordinator, id, bp } = await setup();
    const stageId = bp.content.stages[1]!.id;
    const laneId = bp.content.lanes[1]!.id;
    expect((await editBlueprint(db, coordinator.actor, id, 1, { op: 'cell.edit', stageId, laneId, text: 'Finds the door locked' })).version).toBe(2);
    await expect(editBlueprint(db, coordinator.actor, id, 1, { op: 'cell.edit', stageId, laneId, text: 'Other text' })).rejects.toMatchObject({ code: 'conflict', key: 'bp.error.stale' });
    const after = (await blueprintById(db, tenant.id, id))!;
    expect(after.version).toBe(2);
    expect(after.content.cells[0]!.text).toBe('Finds the door locked');
    const versions = await versionsOf(db, tenant.id, id);
    expect(versions.map((v) => [v.version, v.change])).toEqual([[2, 'cell.edit'], [1, 'create']]);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.entityId, id)));
    expect(audit.map((a) => a.action)).toEqual(['blueprint.created', 'blueprint.changed']);
    expect(JSON.stringify(audit.map((a) => a.data))).not.toContain('door');
  });

  it('lets partners edit only their own providers’ services, and plain members not at all', async () => {
    const { db, person, parent, id } = await setup();
    const partner = await person(['partner']);
    await expect(editBlueprint(db, partner.actor, id, 1, { op: 'stage.add', title: 'X' })).rejects.toMatchObject({ code: 'forbidden', key: 'bp.error.notYourProvider' });
    // The pages answer 404, like an unknown id.
    expect((await partner.client.get(`/blueprints/${id}/edit`)).status).toBe(404);
    expect((await partner.client.post(`/blueprints/${id}/edit`, { op: 'stage.add', version: '1', title: 'X' })).status).toBe(404);
    expect((await partner.client.get(`/blueprints/${id}`)).status).toBe(200);
    await expect(editBlueprint(db, parent.actor, id, 1, { op: 'stage.add', title: 'X' })).rejects.toMatchObject({ code: 'forbidden' });
    const board = await person(['board']);
    expect((await editBlueprint(db, board.actor, id, 1, { op: 'stage.add', title: 'X' })).version).toBe(2);
  });

  it('refuses a service that is not this tenant’s', async () => {
    const { db, coordinator } = await setup();
    const other = await buildTenant(db);
    const { serviceId } = await insertTestService(db, other.tenant.id);
    await expect(createBlueprint(db, coordinator.actor, { serviceId, kind: 'current', title: 'X', laneTitles: lanes })).rejects.toMatchObject({ code: 'validation_failed', key: 'bp.error.service' });
  });

  it('a future blueprint copies the current one, pairs with it, and compares cell by cell', async () => {
    const { db, tenant, serviceId, coordinator, id, bp } = await setup();
    await editBlueprint(db, coordinator.actor, id, 1, { op: 'cell.edit', stageId: bp.content.stages[0]!.id, laneId: bp.content.lanes[0]!.id, text: 'A leaflet' });
    const fid = await createBlueprint(db, coordinator.actor, { serviceId, kind: 'future', title: 'As it could be', fromId: id, laneTitles: lanes });
    const future = (await blueprintById(db, tenant.id, fid))!;
    expect(future.pairsWith).toBe(id);
    expect(future.content.cells[0]!.text).toBe('A leaflet');
    const cards = await blueprintsForService(db, tenant.id, serviceId);
    expect(cards.map((c) => c.kind)).toEqual(['current', 'future']);
    expect(cards[0]!.href).toBe(`/blueprints/${id}`);
    expect(await blueprintsForService(db, tenant.id, 'not-a-uuid')).toEqual([]);
  });

  it('warns about personal details in a comment, hides comments (audited), exports and erases them', async () => {
    const { db, tenant, coordinator, parent, id, bp } = await setup();
    const at = { blueprintId: id, stageId: bp.content.stages[1]!.id, laneId: bp.content.lanes[1]!.id };
    await expect(addComment(db, parent.actor, { ...at, body: 'Mrs Campbell at 12 Elizabeth Street was rude' })).rejects.toMatchObject({ key: 'bp.comment.pii', kinds: ['address', 'name'] });
    const cid = await addComment(db, parent.actor, { ...at, body: 'We waited outside in the rain.' });
    await expect(hideComment(db, parent.actor, cid)).rejects.toMatchObject({ code: 'forbidden' });
    await hideComment(db, coordinator.actor, cid);
    expect(await commentsOf(db, tenant.id, id, { withHidden: false })).toHaveLength(0);
    expect(await commentsOf(db, tenant.id, id, { withHidden: true })).toHaveLength(1);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.entityId, cid)));
    expect(audit.map((a) => a.action)).toEqual(['blueprint.comment.added', 'blueprint.comment.hidden']);
    const subject = { tenantId: tenant.id, id: parent.member.id, email: null, phone: null };
    const sections = await blueprintsPersonalData.exportFor(db, { subject, t, who: () => '' });
    expect(sections[0]!.rows).toEqual([expect.objectContaining({ blueprint: 'Stay and play', stage: 'First visit', comment: 'We waited outside in the rain.' })]);
    const coordSections = await blueprintsPersonalData.exportFor(db, { subject: { ...subject, id: coordinator.member.id }, t, who: () => '' });
    expect((coordSections[1]!.rows as unknown[]).length).toBe(1);
    await db.transaction((tx) => blueprintsPersonalData.eraseFor(tx, subject));
    expect(await db.select().from(bpComments).where(and(eq(bpComments.tenantId, tenant.id), eq(bpComments.memberId, parent.member.id)))).toHaveLength(0);
    await db.transaction((tx) => blueprintsPersonalData.eraseFor(tx, { ...subject, id: coordinator.member.id }));
    const v = await db.select().from(bpVersions).where(eq(bpVersions.blueprintId, id));
    expect(v.every((x) => x.authorId === null)).toBe(true);
  });

  it('prints a PDF with many stages split across pages and long text wrapped', async () => {
    const { db, tenant, coordinator, id } = await setup();
    for (let i = 0; i < 9; i++) {
      const cur = (await blueprintById(db, tenant.id, id))!;
      await editBlueprint(db, coordinator.actor, id, cur.version, { op: 'stage.add', title: `Stage ${i + 4} with a long name ąęłńśźż` });
    }
    const cur = (await blueprintById(db, tenant.id, id))!;
    await editBlueprint(db, coordinator.actor, id, cur.version, { op: 'cell.edit', stageId: cur.content.stages[0]!.id, laneId: cur.content.lanes[0]!.id, text: 'word '.repeat(300) });
    const final = (await blueprintById(db, tenant.id, id))!;
    const pdf = await blueprintPdf({ bp: final, serviceName: 'Stay and play', counts: new Map([[`${final.content.stages[0]!.id}|${final.content.lanes[0]!.id}`, 3]]), t, locale: 'en' }, { compress: false });
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF')).toBe(true);
    // 12 stages at 5 a page: 3 parts; the first part's long cell fills a page, its other lanes go on the next.
    expect((text.match(/\/Type \/Page\b/g) ?? []).length).toBe(4);
    expect(text).toContain('DejaVuSans');
  });
});

describe(`blueprints pages (${storeName()})`, () => {
  it('a parent opens the grid, comments on a cell; the count shows; a coordinator hides it', async () => {
    const { parent, coordinator, id, bp } = await setup();
    const grid = await parent.client.get(`/blueprints/${id}`);
    expect(grid.status).toBe(200);
    const html = await grid.text();
    expect(html).toMatch(/<th scope="col"[^>]*>First visit<\/th>/);
    expect(html).toContain('Family actions');
    expect(html).not.toContain('Edit stages and lanes');
    const cell = `/blueprints/${id}/cells/${bp.content.stages[1]!.id}/${bp.content.lanes[1]!.id}`;
    const page = await (await parent.client.get(cell)).text();
    expect(page).toContain('Please do not name anyone');
    const warned = await parent.client.post(`${cell}/comments`, { body: 'Call me on 07700 900123' });
    expect(warned.status).toBe(400);
    expect(await warned.text()).toContain('a phone number');
    const sent = await parent.client.post(`${cell}/comments`, { body: 'We waited outside in the rain.' });
    expect(sent.status).toBe(303);
    expect(await (await parent.client.get(`/blueprints/${id}`)).text()).toContain('Comments (1)');
    const view = await (await coordinator.client.get(cell)).text();
    const commentId = /comments\/([0-9a-f-]{36})\/hide/.exec(view)?.[1];
    expect(commentId).toBeTruthy();
    expect((await parent.client.post(`/blueprints/${id}/comments/${commentId}/hide`, { back: cell })).status).toBe(403);
    expect((await coordinator.client.post(`/blueprints/${id}/comments/${commentId}/hide`, { back: cell })).status).toBe(303);
    expect(await (await parent.client.get(cell)).text()).not.toContain('We waited outside');
  });

  it('an editor reorders a stage with the plain form; a stale form is refused with the message and the typed text kept', async () => {
    const { coordinator, parent, id, bp } = await setup();
    const edit = await coordinator.client.get(`/blueprints/${id}/edit`);
    expect(edit.status).toBe(200);
    expect(await edit.text()).toContain('Move First visit right');
    expect((await parent.client.get(`/blueprints/${id}/edit`)).status).toBe(403);
    const moved = await coordinator.client.post(`/blueprints/${id}/edit`, { op: 'stage.move', version: '1', stageId: bp.content.stages[1]!.id, to: '2', back: `/blueprints/${id}/edit` });
    expect(moved.status).toBe(303);
    const grid = await (await coordinator.client.get(`/blueprints/${id}`)).text();
    expect(grid.indexOf('>Regular sessions</th>')).toBeLessThan(grid.indexOf('>First visit</th>'));
    const cell = `/blueprints/${id}/cells/${bp.content.stages[0]!.id}/${bp.content.lanes[0]!.id}`;
    const stale = await coordinator.client.post(`/blueprints/${id}/edit`, { op: 'cell.edit', version: '1', stageId: bp.content.stages[0]!.id, laneId: bp.content.lanes[0]!.id, text: 'My careful words', back: cell });
    expect(stale.status).toBe(409);
    const body = await stale.text();
    expect(body).toContain('Someone saved a newer version (2)');
    expect(body).toContain('My careful words');
    const json = await coordinator.client.post(`/blueprints/${id}/edit`, { op: 'stage.add', version: '2', title: 'Moving on' });
    expect(json.status).toBe(303);
  });

  it('versions, version view, compare and PDF pages answer; compare labels differences in words', async () => {
    const { coordinator, parent, id, bp } = await setup();
    await coordinator.client.post(`/blueprints/${id}/edit`, { op: 'cell.edit', version: '1', stageId: bp.content.stages[0]!.id, laneId: bp.content.lanes[0]!.id, text: 'A leaflet' });
    expect(await (await parent.client.get(`/blueprints/${id}/versions`)).text()).toContain('Cell edited');
    expect((await parent.client.get(`/blueprints/${id}/versions/1`)).status).toBe(200);
    expect((await parent.client.get(`/blueprints/${id}/versions/9`)).status).toBe(404);
    const cmp = await (await parent.client.get(`/blueprints/${id}/compare?a=1&b=2`)).text();
    expect(cmp).toContain('Cells added: 1, removed: 0, changed: 0.');
    expect(cmp).toContain('>Added</span>');
    const pdf = await parent.client.get(`/blueprints/${id}/blueprint.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });
});
