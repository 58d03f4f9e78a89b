import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { addMonths, expiryFor } from './calendar.ts';
import { CODE_ALPHABET, newVerificationCode, normaliseCode } from './codes.ts';
import { kindsOf } from './queries.ts';
import { qualificationKindCourses, qualifications } from './schema.ts';
import { seedAccreditation } from './seed.ts';
import { awardForCourse, awardManually, createKind, missingPrerequisitesForCourse, revokeQualification, updateKind } from './service.ts';
import { expiringQualifications, listQualificationKindRefs, validQualificationKeysByMember } from './views.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

async function setup() {
  const deps = await testDeps();
  const db = deps.database.db;
  const { tenant } = await buildTenant(db);
  const coord = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const actor: Actor = { memberId: coord.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', 'coordinator']), sessionId: 's' };
  const kinds = new Map((await kindsOf(db, tenant.id)).map((k) => [k.key, k]));
  const kind = (key: string) => {
    const k = kinds.get(key);
    if (!k) throw new Error(`no kind ${key}`);
    return k;
  };
  const rows = (memberId: string) => db.select().from(qualifications).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.memberId, memberId))).orderBy(qualifications.issuedOn, qualifications.createdAt);
  const audit = (entityId: string) => deps.database.query<{ action: string; actor: string; data: Record<string, unknown> }>('SELECT action, actor, data FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 ORDER BY seq', [tenant.id, entityId]);
  const complete = (memberId: string, courseKey: string, completedOn: string, sessionId = `s-${courseKey}-${completedOn}`) =>
    db.transaction((tx) => awardForCourse(tx, { tenantId: tenant.id, memberId, courseKey, sessionId, completedOn, actor: 'system:test' }));
  return { deps, db, tenant, actor, kind, rows, audit, complete };
}

describe('verification codes and calendar (pure)', () => {
  it('codes are 10 symbols of the Crockford alphabet; typed codes are normalised, odd input refused', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = newVerificationCode();
      expect(c).toMatch(new RegExp(`^[${CODE_ALPHABET}]{10}$`));
      seen.add(c);
    }
    expect(seen.size).toBe(200);
    expect(normaliseCode('7kq2m-9xd4p')).toBe('7KQ2M9XD4P');
    expect(normaliseCode(' 7KQ2M 9XD4O ')).toBe('7KQ2M9XD40');
    expect(normaliseCode('ILLU000000')).toBeUndefined(); // U is not in the alphabet
    for (const odd of ['', '../etc', "1' OR 1=1", '\u0000', 'ABCDEFGHJK1', '%00', 'ą'.repeat(10), 'x'.repeat(1000)]) expect(normaliseCode(odd)).toBeUndefined();
  });

  it('expiry is the last valid day; month ends clamp', () => {
    expect(expiryFor('2026-01-10', 36)).toBe('2029-01-09');
    expect(expiryFor('2026-01-10', null)).toBeNull();
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', -12)).toBe('2025-12-15');
  });
});

describe(`accreditation service (${storeName()})`, () => {
  it('seeds the default kinds with their course links once, and never undoes a coordinator’s edit', async () => {
    const { db, tenant, actor, kind } = await setup();
    const refs = await listQualificationKindRefs(db, tenant.id);
    expect(refs.map((r) => r.key).sort()).toEqual(['advocate', 'commissioning', 'group-leader', 'induction', 'parent-governor', 'safeguarding', 'street-champion']);
    expect(refs.every((r) => r.titlePl)).toBe(true);
    const sg = kind('safeguarding');
    expect([sg.validityMonths, sg.reactivatable, sg.reactivationMonths]).toEqual([36, true, 12]);
    expect(kind('induction').validityMonths).toBeNull();
    await updateKind(db, actor, sg.id, { title: 'Safeguarding (edited)', validityMonths: 24, reactivatable: true, reactivationMonths: 6, courses: { grants: ['safeguarding-awareness'], requires: [], renews: [] } });
    await db.transaction((tx) => seedAccreditation(tx, tenant.id));
    const again = (await kindsOf(db, tenant.id)).find((k) => k.key === 'safeguarding');
    expect(again?.title).toBe('Safeguarding (edited)');
    const links = await db.select().from(qualificationKindCourses).where(and(eq(qualificationKindCourses.tenantId, tenant.id), eq(qualificationKindCourses.kindId, sg.id)));
    expect(links.map((l) => `${l.relation}:${l.courseKey}`)).toEqual(['grants:safeguarding-awareness']);
  });

  it('a course grants a kind only when what it requires is held in date; idempotent per session', async () => {
    const { db, tenant, rows, complete } = await setup();
    const { member } = await buildMember(db, tenant.id);
    const first = await complete(member.id, 'street-champion-induction', '2026-02-01');
    expect(first).toEqual({ awarded: [], notAwarded: [{ kindKey: 'street-champion', missing: ['safeguarding'] }] });
    expect(await missingPrerequisitesForCourse(db, { tenantId: tenant.id, memberId: member.id, courseKey: 'street-champion-induction', onDate: '2026-02-01', locale: 'pl' })).toEqual(['Ochrona dzieci – podstawy']);
    const sg = await complete(member.id, 'safeguarding-awareness', '2026-02-10');
    expect(sg.awarded.map((a) => a.kindKey)).toEqual(['safeguarding']);
    expect(await missingPrerequisitesForCourse(db, { tenantId: tenant.id, memberId: member.id, courseKey: 'street-champion-induction', onDate: '2026-03-01', locale: 'en' })).toEqual([]);
    // Before the safeguarding award it does not count.
    expect((await complete(member.id, 'street-champion-induction', '2026-02-05')).notAwarded).toHaveLength(1);
    const sc = await complete(member.id, 'street-champion-induction', '2026-03-01', 'session-1');
    expect(sc.awarded.map((a) => a.kindKey)).toEqual(['street-champion']);
    const replay = await complete(member.id, 'street-champion-induction', '2026-03-01', 'session-1');
    expect(replay.awarded).toEqual(sc.awarded);
    const all = await rows(member.id);
    expect(all).toHaveLength(2);
    const champion = all.find((r) => r.courseKey === 'street-champion-induction');
    expect(champion?.expiresOn).toBe('2028-02-29');
    expect(champion?.code).toMatch(/^[0-9A-Z]{10}$/);
    expect(champion?.code).not.toContain(champion?.id.slice(0, 4));
  });

  it('renewals: in date or lapsed within the reactivation months renew (new row, history kept); later it is granted afresh', async () => {
    const { db, tenant, rows, audit, complete } = await setup();
    const { member } = await buildMember(db, tenant.id);
    const a = (await complete(member.id, 'safeguarding-awareness', '2020-01-10')).awarded[0]!;
    // Expired 2023-01-09; 11 months later a renewal course still renews it.
    const b = (await complete(member.id, 'safeguarding-awareness', '2023-12-01')).awarded[0]!;
    let all = await rows(member.id);
    expect(all.map((r) => [r.id, r.renewalOf, r.expiresOn])).toEqual([
      [a.qualificationId, null, '2023-01-09'],
      [b.qualificationId, a.qualificationId, '2026-11-30'],
    ]);
    expect((await audit(b.qualificationId)).map((x) => x.action)).toEqual(['qualification.renewed']);
    // Lapsed more than 12 months: the course grants it again (no renewal link).
    const c = (await complete(member.id, 'safeguarding-awareness', '2028-06-01')).awarded[0]!;
    all = await rows(member.id);
    expect(all.find((r) => r.id === c.qualificationId)?.renewalOf).toBeNull();
  });

  it('a renew-only course cannot renew what lapsed too long ago or was never held', async () => {
    const { db, tenant, actor, complete } = await setup();
    const { member } = await buildMember(db, tenant.id);
    await createKind(db, actor, { key: 'first-aid', title: 'First aid', validityMonths: 12, reactivatable: false, reactivationMonths: null, courses: { grants: ['first-aid-full'], requires: [], renews: ['first-aid-refresher'] } });
    expect((await complete(member.id, 'first-aid-refresher', '2026-01-01')).notAwarded).toEqual([{ kindKey: 'first-aid', missing: ['first-aid'] }]);
    await complete(member.id, 'first-aid-full', '2024-01-01');
    // Expired 2024-12-31 and not reactivatable.
    expect((await complete(member.id, 'first-aid-refresher', '2025-01-02')).notAwarded).toEqual([{ kindKey: 'first-aid', missing: ['first-aid'] }]);
    expect((await complete(member.id, 'first-aid-refresher', '2024-12-31')).awarded).toHaveLength(1);
  });

  it('a manual award is refused with what is missing, in the reader’s language; coordinators only; audited', async () => {
    const { db, tenant, actor, kind, audit, complete } = await setup();
    const { member } = await buildMember(db, tenant.id);
    const input = { memberId: member.id, kindId: kind('street-champion').id, issuedOn: '2026-05-01', reason: 'Accredited by the county council' };
    await expect(awardManually(db, actor, input, { now: NOW, locale: 'en' })).rejects.toMatchObject({ code: 'conflict', message: 'Needs: Safeguarding awareness (in date)', key: 'accreditation.error.needs', params: { list: 'Safeguarding awareness (in date)' } });
    await expect(awardManually(db, actor, input, { now: NOW, locale: 'pl' })).rejects.toMatchObject({ params: { list: 'Ochrona dzieci – podstawy (in date)' } });
    const plain: Actor = { memberId: member.id, tenantId: tenant.id, roles: new Set<Role>(['member', 'volunteer']), sessionId: 's' };
    await expect(awardManually(db, plain, input, { now: NOW, locale: 'en' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(awardManually(db, actor, { ...input, issuedOn: '2026-07-01', reason: 'x' }, { now: NOW, locale: 'en' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ field: 'issuedOn' }, { field: 'reason' }] });
    await complete(member.id, 'safeguarding-awareness', '2026-04-01');
    const id = await awardManually(db, actor, input, { now: NOW, locale: 'en' });
    const log = await audit(id);
    expect(log).toEqual([{ action: 'qualification.awarded', actor: actor.memberId, data: { kind: 'street-champion', source: 'manual' } }]);
    expect(JSON.stringify(log)).not.toContain('county');
  });

  it('revoking needs a reason, is audited, and the award stops counting', async () => {
    const { db, tenant, actor, audit, complete } = await setup();
    const { member } = await buildMember(db, tenant.id);
    const id = (await complete(member.id, 'induction', '2026-01-01')).awarded[0]!.qualificationId;
    expect((await validQualificationKeysByMember(db, tenant.id, '2026-05-01', [member.id])).get(member.id)).toEqual(new Set(['induction']));
    await expect(revokeQualification(db, actor, { id, reason: '' }, NOW)).rejects.toMatchObject({ code: 'validation_failed', fields: [{ field: 'reason', message: 'accreditation.error.revokeReason' }] });
    await revokeQualification(db, actor, { id, reason: 'Awarded to the wrong person' }, NOW);
    await expect(revokeQualification(db, actor, { id, reason: 'Again and again' }, NOW)).rejects.toMatchObject({ code: 'conflict' });
    await expect(revokeQualification(db, actor, { id: 'not-a-uuid', reason: 'Whatever it is' }, NOW)).rejects.toMatchObject({ code: 'not_found' });
    expect((await audit(id)).map((x) => [x.action, x.data])).toEqual([
      ['qualification.awarded', { kind: 'induction', source: 'course', course: 'induction' }],
      ['qualification.revoked', { kind: 'induction' }],
    ]);
    expect((await validQualificationKeysByMember(db, tenant.id, '2026-05-01', [member.id])).get(member.id)).toBeUndefined();
  });

  it('kinds: keys checked, duplicates refused, nothing stored on bad input', async () => {
    const { db, tenant, actor } = await setup();
    await expect(createKind(db, actor, { key: 'Bad Key', title: 'X', reactivatable: false })).rejects.toMatchObject({ fields: [{ field: 'key', message: 'accreditation.error.key' }] });
    await expect(createKind(db, actor, { key: 'ok-key', title: '', validityMonths: 0, reactivatable: false })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createKind(db, actor, { key: 'ok-key', title: 'Fine', reactivatable: true, reactivationMonths: null })).rejects.toMatchObject({ fields: [{ field: 'reactivationMonths' }] });
    await expect(createKind(db, actor, { key: 'safeguarding', title: 'Again', reactivatable: false })).rejects.toMatchObject({ code: 'conflict', key: 'accreditation.error.keyTaken' });
    expect((await kindsOf(db, tenant.id)).length).toBe(7);
  });
});

describe(`accreditation views (${storeName()})`, () => {
  it('valid keys per member in one query, for all or some; expiring ones leave out revoked and renewed awards', async () => {
    const { db, tenant, actor, complete } = await setup();
    const other = await setup();
    const a = (await buildMember(db, tenant.id)).member;
    const b = (await buildMember(db, tenant.id)).member;
    const c = (await buildMember(db, tenant.id)).member;
    await complete(a.id, 'safeguarding-awareness', '2023-06-10'); // last day 2026-06-09
    await complete(a.id, 'induction', '2026-01-01');
    const renewed = (await complete(b.id, 'safeguarding-awareness', '2023-06-15')).awarded[0]!; // last day 2026-06-14
    await complete(b.id, 'safeguarding-awareness', '2026-05-20'); // renews it
    const revoked = (await complete(c.id, 'safeguarding-awareness', '2023-06-20')).awarded[0]!;
    await revokeQualification(db, actor, { id: revoked.qualificationId, reason: 'Test revocation' }, NOW);
    await other.complete((await buildMember(other.db, other.tenant.id)).member.id, 'induction', '2026-01-01');

    const all = await validQualificationKeysByMember(db, tenant.id, '2026-06-01');
    expect(all.get(a.id)).toEqual(new Set(['safeguarding', 'induction']));
    expect(all.get(b.id)).toEqual(new Set(['safeguarding']));
    expect(all.has(c.id)).toBe(false);
    expect(all.size).toBe(2);
    expect([...(await validQualificationKeysByMember(db, tenant.id, '2026-06-10', [a.id])).keys()]).toEqual([a.id]);
    expect((await validQualificationKeysByMember(db, tenant.id, '2026-06-10', [a.id])).get(a.id)).toEqual(new Set(['induction']));
    expect((await validQualificationKeysByMember(db, tenant.id, '2026-06-01', [])).size).toBe(0);

    const soon = await expiringQualifications(db, tenant.id, '2026-06-01', '2026-07-01');
    expect(soon).toEqual([{ memberId: a.id, kindKey: 'safeguarding', title: 'Safeguarding awareness', expiresOn: '2026-06-09', reminded: false }]);
    expect(renewed.kindKey).toBe('safeguarding');
  });
});
