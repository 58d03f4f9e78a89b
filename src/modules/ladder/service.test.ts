import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.ts';
import { testDatabase, storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount, lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { AppError } from '../../server/errors.ts';
import { listLevels, seedLadder, setRoleRequirements, updateLevel, addLevel, roleRequirements, parseKeyLines } from './levels.ts';
import { ladderPersonalData } from './personal-data.ts';
import { ladderEligibility, ladderMemberLevels, ladderStepUpRequests } from './schema.ts';
import { decideStepUp, memberRoleGaps, memberStanding, missingText, NotEligibleError, recomputeEligibility, requestStepUp, signOff, titlesFor } from './service.ts';
import { FakeInputs } from './test-inputs.ts';

const NOW = new Date('2026-11-20T10:00:00Z');

function actorOf(tenantId: string, memberId: string, roles: Role[]): Actor {
  return { tenantId, memberId, roles: new Set<Role>(['member', ...roles]), sessionId: 'test' };
}

async function setup() {
  const database = await testDatabase();
  const db = database.db;
  const { tenant } = await buildTenant(db);
  const vol = await buildMember(db, tenant.id, { roles: ['volunteer'], wardCode: 'E05010264' });
  const coord = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const coord2 = await buildMember(db, tenant.id, { roles: ['coordinator', 'volunteer'] });
  const inputs = new FakeInputs();
  return {
    database,
    db,
    tenant,
    vol: { ...vol.member, actor: actorOf(tenant.id, vol.member.id, ['volunteer']) },
    coord: { ...coord.member, actor: actorOf(tenant.id, coord.member.id, ['coordinator']) },
    coord2: { ...coord2.member, actor: actorOf(tenant.id, coord2.member.id, ['coordinator', 'volunteer']) },
    inputs,
  };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

async function counts(database: Database, tenantId: string) {
  const [row] = await database.query<{ requests: number; levels: number; audit: number; email: number }>(
    `SELECT (SELECT count(*)::int FROM ladder_step_up_requests WHERE tenant_id = $1) AS requests,
            (SELECT count(*)::int FROM ladder_member_levels WHERE tenant_id = $1) AS levels,
            (SELECT count(*)::int FROM audit_log WHERE tenant_id = $1) AS audit,
            (SELECT count(*)::int FROM email_outbox WHERE tenant_id = $1) AS email`,
    [tenantId],
  );
  return row!;
}

/** Walk a member up to level 1 through the service (induction done, asked, approved). */
async function toLevel1(s: Awaited<ReturnType<typeof setup>>, who = s.vol) {
  s.inputs.grant(who.id, { courses: ['induction'] });
  const req = await requestStepUp(s.db, who.actor, { now: NOW, inputs: s.inputs });
  await decideStepUp(s.db, s.coord.actor, req.id, { approve: true }, { now: NOW, inputs: s.inputs });
}

const L2_ALL = { courses: ['running-a-group'], qualifications: ['safeguarding'], minutes: 1200, dbs: true };

describe(`ladder service (${storeName()})`, () => {
  it('seeds the four levels of the case study and the role requirements, once', async () => {
    const { db, tenant } = await setup();
    await db.transaction((tx) => seedLadder(tx, tenant.id));
    const levels = await listLevels(db, tenant.id);
    expect(levels.map((l) => l.number)).toEqual([1, 2, 3, 4]);
    expect(levels[0]!.courses).toEqual([['induction']]);
    expect(levels[1]).toMatchObject({ courses: [['running-a-group', 'parent-governor']], qualifications: [['safeguarding']], minutesRequired: 1200, dbsRequired: true, signOffRequired: true });
    expect(levels.every((l) => l.titlePl && l.descriptionPl)).toBe(true);
    expect((await roleRequirements(db, tenant.id)).get('street_champion')).toEqual({ courses: ['street-champion-induction'], qualifications: ['safeguarding'] });
  });

  it('refuses to ask when not eligible, saying what is missing, and stores nothing', async () => {
    const s = await setup();
    const before = await counts(s.database, s.tenant.id);
    const err = await refusal(requestStepUp(s.db, s.vol.actor, { now: NOW, inputs: s.inputs }));
    expect(err).toBeInstanceOf(NotEligibleError);
    expect(err.status).toBe(409);
    expect((err as NotEligibleError).missing).toEqual([{ kind: 'course', anyOf: ['induction'] }]);
    expect(err.message).toBe('Not eligible to step up yet: complete Induction.');
    expect(await counts(s.database, s.tenant.id)).toEqual(before);
  });

  it('asks once when eligible; a second ask is refused while one is pending', async () => {
    const s = await setup();
    s.inputs.grant(s.vol.id, { courses: ['induction'] });
    const req = await requestStepUp(s.db, s.vol.actor, { now: NOW, inputs: s.inputs });
    expect(req.status).toBe('pending');
    const err = await refusal(requestStepUp(s.db, s.vol.actor, { now: NOW, inputs: s.inputs }));
    expect(err.key).toBe('ladder.error.alreadyPending');
    const [audit] = await s.database.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'ladder.stepup.request'", [s.tenant.id]);
    expect(audit!.n).toBe(1);
  });

  it('nobody approves or declines their own step-up', async () => {
    const s = await setup();
    s.inputs.grant(s.coord2.id, { courses: ['induction'] });
    const req = await requestStepUp(s.db, s.coord2.actor, { now: NOW, inputs: s.inputs });
    const before = await counts(s.database, s.tenant.id);
    for (const approve of [true, false]) {
      const err = await refusal(decideStepUp(s.db, s.coord2.actor, req.id, { approve, reason: 'x' }, { now: NOW, inputs: s.inputs }));
      expect(err.status).toBe(403);
      expect(err.key).toBe('ladder.error.ownRequest');
    }
    expect(await counts(s.database, s.tenant.id)).toEqual(before);
    // Another coordinator may.
    await decideStepUp(s.db, s.coord.actor, req.id, { approve: true }, { now: NOW, inputs: s.inputs });
  });

  it('a volunteer cannot decide anyone’s request', async () => {
    const s = await setup();
    s.inputs.grant(s.coord2.id, { courses: ['induction'] });
    const req = await requestStepUp(s.db, s.coord2.actor, { now: NOW, inputs: s.inputs });
    const err = await refusal(decideStepUp(s.db, s.vol.actor, req.id, { approve: true }, { now: NOW, inputs: s.inputs }));
    expect(err.status).toBe(403);
  });

  it('declining needs a reason; with one, the volunteer is told by email (once) and the request is closed', async () => {
    const s = await setup();
    s.inputs.grant(s.vol.id, { courses: ['induction'] });
    const req = await requestStepUp(s.db, s.vol.actor, { now: NOW, inputs: s.inputs });
    const before = await counts(s.database, s.tenant.id);
    const err = await refusal(decideStepUp(s.db, s.coord.actor, req.id, { approve: false, reason: '   ' }, { now: NOW, inputs: s.inputs }));
    expect(err.status).toBe(400);
    expect(err.fields).toEqual([{ field: 'reason', message: 'ladder.field.reason' }]);
    expect(await counts(s.database, s.tenant.id)).toEqual(before);
    await decideStepUp(s.db, s.coord.actor, req.id, { approve: false, reason: 'Come to the next group meeting first.' }, { now: NOW, inputs: s.inputs });
    const mail = await lastEmail(s.database, s.tenant.id, s.vol.email!);
    expect(mail?.template).toBe('ladder.stepup.declined');
    expect(mail?.text_body).toContain('Come to the next group meeting first.');
    expect(await emailCount(s.database, s.tenant.id, s.vol.email!)).toBe(1);
    // Decided requests cannot be decided again.
    const again = await refusal(decideStepUp(s.db, s.coord.actor, req.id, { approve: true }, { now: NOW, inputs: s.inputs }));
    expect(again.key).toBe('ladder.error.decided');
    expect((await memberStanding(s.db, s.tenant.id, s.vol.id, { now: NOW, inputs: s.inputs })).current).toBeUndefined();
  });

  it('approval re-checks eligibility: a request whose member no longer qualifies is refused, nothing changes', async () => {
    const s = await setup();
    await toLevel1(s);
    s.inputs.grant(s.vol.id, L2_ALL);
    const levels = await listLevels(s.db, s.tenant.id);
    await signOff(s.db, s.coord.actor, s.vol.id, levels[1]!.id, { now: NOW, inputs: s.inputs });
    const req = await requestStepUp(s.db, s.vol.actor, { now: NOW, inputs: s.inputs });
    s.inputs.revoke(s.vol.id, 'safeguarding');
    const before = await counts(s.database, s.tenant.id);
    const err = await refusal(decideStepUp(s.db, s.coord.actor, req.id, { approve: true }, { now: NOW, inputs: s.inputs }));
    expect(err).toBeInstanceOf(NotEligibleError);
    expect((err as NotEligibleError).missing).toEqual([{ kind: 'qualification', anyOf: ['safeguarding'] }]);
    expect(await counts(s.database, s.tenant.id)).toEqual(before);
    const [row] = await s.db.select().from(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, s.tenant.id), eq(ladderStepUpRequests.id, req.id)));
    expect(row!.status).toBe('pending');
  });

  it('approval keeps the history of levels (from/to, approved by) and emails the volunteer once', async () => {
    const s = await setup();
    await toLevel1(s);
    const levels = await listLevels(s.db, s.tenant.id);
    s.inputs.grant(s.vol.id, L2_ALL);
    await signOff(s.db, s.coord.actor, s.vol.id, levels[1]!.id, { now: NOW, inputs: s.inputs });
    const later = new Date('2027-01-10T12:00:00Z');
    const req = await requestStepUp(s.db, s.vol.actor, { now: later, inputs: s.inputs });
    await decideStepUp(s.db, s.coord.actor, req.id, { approve: true }, { now: later, inputs: s.inputs });
    const history = await s.db.select().from(ladderMemberLevels).where(and(eq(ladderMemberLevels.tenantId, s.tenant.id), eq(ladderMemberLevels.memberId, s.vol.id))).orderBy(ladderMemberLevels.fromDate);
    expect(history.map((h) => [levels.find((l) => l.id === h.levelId)!.number, h.fromDate, h.toDate, h.approvedBy])).toEqual([
      [1, '2026-11-20', '2027-01-10', s.coord.id],
      [2, '2027-01-10', null, s.coord.id],
    ]);
    const mail = await lastEmail(s.database, s.tenant.id, s.vol.email!);
    expect(mail?.template).toBe('ladder.stepup.approved');
    expect(mail?.subject).toBe('You have stepped up to level 2');
    expect(await emailCount(s.database, s.tenant.id, s.vol.email!)).toBe(2);
    const actions = await s.database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'ladder.%' ORDER BY seq", [s.tenant.id]);
    expect(actions.map((a) => a.action)).toEqual(['ladder.stepup.request', 'ladder.stepup.approve', 'ladder.signoff', 'ladder.stepup.request', 'ladder.stepup.approve']);
  });

  it('approval is refused when the volunteer has moved level since asking', async () => {
    const s = await setup();
    s.inputs.grant(s.vol.id, { courses: ['induction'] });
    const req = await requestStepUp(s.db, s.vol.actor, { now: NOW, inputs: s.inputs });
    // Placed on level 1 some other way (here: directly) before the decision.
    const levels = await listLevels(s.db, s.tenant.id);
    await s.db.insert(ladderMemberLevels).values({ tenantId: s.tenant.id, id: '01900000-0000-7000-8000-000000000001', memberId: s.vol.id, levelId: levels[0]!.id, fromDate: '2026-11-01', approvedBy: 'system:test' });
    const err = await refusal(decideStepUp(s.db, s.coord.actor, req.id, { approve: true }, { now: NOW, inputs: s.inputs }));
    expect(err.key).toBe('ladder.error.levelChanged');
  });

  it('sign-off: never one’s own; by a coordinator it counts for that level', async () => {
    const s = await setup();
    const levels = await listLevels(s.db, s.tenant.id);
    const own = await refusal(signOff(s.db, s.coord2.actor, s.coord2.id, levels[1]!.id, { now: NOW, inputs: s.inputs }));
    expect(own.status).toBe(403);
    const vol = await refusal(signOff(s.db, s.vol.actor, s.coord2.id, levels[1]!.id, { now: NOW, inputs: s.inputs }));
    expect(vol.status).toBe(403);
    await toLevel1(s);
    s.inputs.grant(s.vol.id, L2_ALL);
    expect((await memberStanding(s.db, s.tenant.id, s.vol.id, { now: NOW, inputs: s.inputs })).eligibility.missing).toEqual([{ kind: 'signOff' }]);
    await signOff(s.db, s.coord.actor, s.vol.id, levels[1]!.id, { now: NOW, inputs: s.inputs });
    expect((await memberStanding(s.db, s.tenant.id, s.vol.id, { now: NOW, inputs: s.inputs })).eligibility.met).toBe(true);
  });

  it('the top level cannot be asked beyond', async () => {
    const s = await setup();
    const levels = await listLevels(s.db, s.tenant.id);
    await s.db.insert(ladderMemberLevels).values({ tenantId: s.tenant.id, id: '01900000-0000-7000-8000-000000000002', memberId: s.vol.id, levelId: levels[3]!.id, fromDate: '2026-01-01', approvedBy: 'system:test' });
    const err = await refusal(requestStepUp(s.db, s.vol.actor, { now: NOW, inputs: s.inputs }));
    expect(err.key).toBe('ladder.error.topLevel');
  });

  it('recomputes every volunteer in bulk with one read per input source, and replaces the snapshot', async () => {
    const s = await setup();
    const plain = await buildMember(s.db, s.tenant.id, {});
    s.inputs.grant(s.vol.id, { courses: ['induction'] });
    s.inputs.calls = 0;
    const n = await recomputeEligibility(s.db, s.tenant.id, { now: NOW, inputs: s.inputs });
    expect(s.inputs.calls).toBe(4);
    // Volunteers (the volunteer, and the coordinator who is also one) — not the plain member or the coordinator alone.
    expect(n).toBe(2);
    const rows = await s.db.select().from(ladderEligibility).where(eq(ladderEligibility.tenantId, s.tenant.id));
    const mine = rows.find((r) => r.memberId === s.vol.id)!;
    expect(mine).toMatchObject({ eligible: true, missing: [], currentLevelId: null });
    expect(mine.wardId).not.toBeNull();
    expect(rows.find((r) => r.memberId === s.coord2.id)).toMatchObject({ eligible: false, missing: [{ kind: 'course', anyOf: ['induction'] }] });
    expect(rows.some((r) => r.memberId === plain.member.id || r.memberId === s.coord.id)).toBe(false);
    // Run again: same rows, no duplicates (idempotent).
    expect(await recomputeEligibility(s.db, s.tenant.id, { now: NOW, inputs: s.inputs })).toBe(2);
    expect((await s.db.select().from(ladderEligibility).where(eq(ladderEligibility.tenantId, s.tenant.id))).length).toBe(2);
  });

  it('role requirements: "Street champion: needs …", and editing them is for coordinators only', async () => {
    const s = await setup();
    const champ = await buildMember(s.db, s.tenant.id, { roles: ['street_champion'] });
    const standing = await memberStanding(s.db, s.tenant.id, champ.member.id, { now: NOW, inputs: s.inputs });
    const gaps = await memberRoleGaps(s.db, s.tenant.id, champ.member.id, standing.progress);
    expect(gaps).toEqual([{ role: 'street_champion', missing: [{ kind: 'course', anyOf: ['street-champion-induction'] }, { kind: 'qualification', anyOf: ['safeguarding'] }] }]);
    const titles = await titlesFor(s.db, s.tenant.id, 'en', s.inputs);
    expect(missingText('en', titles, gaps[0]!.missing)).toBe('complete Street champion induction; hold Safeguarding in date');
    expect((await refusal(setRoleRequirements(s.db, s.vol.actor, 'street_champion', { courses: '', qualifications: '' }))).status).toBe(403);
    const bad = await refusal(setRoleRequirements(s.db, s.coord.actor, 'street_champion', { courses: 'DROP TABLE', qualifications: '' }));
    expect(bad.fields).toEqual([{ field: 'courses', message: 'ladder.field.keys' }]);
    await setRoleRequirements(s.db, s.coord.actor, 'street_champion', { courses: 'street-champion-induction, safeguarding-awareness', qualifications: 'safeguarding' });
    expect((await roleRequirements(s.db, s.tenant.id)).get('street_champion')?.courses).toEqual(['safeguarding-awareness', 'street-champion-induction']);
  });

  it('levels are edited by coordinators, with their requirements; bad input changes nothing', async () => {
    const s = await setup();
    const levels = await listLevels(s.db, s.tenant.id);
    const l1 = levels[0]!;
    const input = { title: 'Volunteer', titlePl: 'Wolontariat', description: '', descriptionPl: '', courses: 'induction\nsafeguarding-awareness', qualifications: '', hours: 5, dbs: false, signOff: false };
    expect((await refusal(updateLevel(s.db, s.vol.actor, l1.id, input))).status).toBe(403);
    const bad = await refusal(updateLevel(s.db, s.coord.actor, l1.id, { ...input, title: '', hours: -3, courses: 'Not a key!' }));
    expect(bad.fields.map((f) => f.field).sort()).toEqual(['courses', 'hours', 'title']);
    expect((await listLevels(s.db, s.tenant.id))[0]).toEqual(l1);
    await updateLevel(s.db, s.coord.actor, l1.id, input);
    expect((await listLevels(s.db, s.tenant.id))[0]).toMatchObject({ title: 'Volunteer', courses: [['induction'], ['safeguarding-awareness']], minutesRequired: 300 });
    const id = await addLevel(s.db, s.coord.actor, { ...input, title: 'Level five' });
    expect((await listLevels(s.db, s.tenant.id)).find((l) => l.id === id)?.number).toBe(5);
  });

  it('parses requirement lines: alternatives by comma or "or"', () => {
    expect(parseKeyLines('running-a-group, parent-governor\n\nsafeguarding-awareness')).toEqual([['running-a-group', 'parent-governor'], ['safeguarding-awareness']]);
    expect(parseKeyLines('a or b | c')).toEqual([['a', 'b', 'c']]);
    expect(parseKeyLines('<svg onload=x>')).toBeUndefined();
  });

  it('personal data: export lists levels, requests, sign-offs, snapshot; erasure deletes them and keeps acts on others without the person', async () => {
    const s = await setup();
    await toLevel1(s);
    await recomputeEligibility(s.db, s.tenant.id, { now: NOW, inputs: s.inputs });
    const who = (a: string) => (a === s.coord.id ? 'staff' : a);
    const sections = await ladderPersonalData.exportFor(s.db, { subject: { tenantId: s.tenant.id, id: s.vol.id, email: s.vol.email, phone: null }, t: (k) => k, who });
    expect(Object.fromEntries(sections.map((x) => [x.name, Array.isArray(x.rows) ? x.rows.length : 1]))).toEqual({ ladderLevels: 1, ladderRequests: 1, ladderSignOffs: 0, ladderEligibility: 1 });
    expect(JSON.stringify(sections)).not.toContain(s.coord.id);
    // The coordinator is erased: the volunteer's level stays, approved by nobody in particular.
    await s.db.transaction((tx) => ladderPersonalData.eraseFor(tx, { tenantId: s.tenant.id, id: s.coord.id, email: null, phone: null }));
    const [kept] = await s.db.select().from(ladderMemberLevels).where(and(eq(ladderMemberLevels.tenantId, s.tenant.id), eq(ladderMemberLevels.memberId, s.vol.id)));
    expect(kept!.approvedBy).toBe('system:erased');
    await s.db.transaction((tx) => ladderPersonalData.eraseFor(tx, { tenantId: s.tenant.id, id: s.vol.id, email: null, phone: null }));
    const left = await s.database.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM ladder_member_levels WHERE member_id = $1) + (SELECT count(*) FROM ladder_step_up_requests WHERE member_id = $1)
        + (SELECT count(*) FROM ladder_sign_offs WHERE member_id = $1) + (SELECT count(*) FROM ladder_eligibility WHERE member_id = $1))::int AS n`,
      [s.vol.id],
    );
    expect(left[0]!.n).toBe(0);
  });
});
