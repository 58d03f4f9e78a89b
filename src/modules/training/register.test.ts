import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { AppError } from '../../server/errors.ts';
import { completedCourseKeysByMember } from './views.ts';
import { bookSession, canKeepRegister, createSession, markAttendance } from './service.ts';
import { actorFor, tolerantAccreditation, trainingSetup } from './test-helpers.ts';
import { instantToLondon } from './times.ts';

const acc = tolerantAccreditation();

const NOW = new Date('2031-03-01T12:00:00Z');

describe(`the attendance register (${storeName()})`, () => {
  it("is kept by the session's trainer or a coordinator, nobody else", async () => {
    const { db } = await testDatabase();
    const { tenant, course, coordinator } = await trainingSetup(db);
    const trainer = await actorFor(db, tenant.id, { roles: ['volunteer'] });
    const other = await actorFor(db, tenant.id, { roles: ['volunteer'] });
    const start = new Date('2031-03-05T18:00:00Z');
    const session = await createSession(db, coordinator.actor, { courseId: course.id, startsAt: instantToLondon(start), endsAt: instantToLondon(new Date(start.getTime() + 3_600_000)), venue: 'Hall', capacity: 5, trainerId: trainer.member.id });
    expect(canKeepRegister(trainer.actor, session)).toBe(true);
    expect(canKeepRegister(coordinator.actor, session)).toBe(true);
    expect(canKeepRegister(other.actor, session)).toBe(false);
    const p = await actorFor(db, tenant.id);
    await bookSession(db, p.actor, session.id, NOW, acc);
    await expect(markAttendance(db, other.actor, session.id, [{ memberId: p.member.id, present: true }], acc)).rejects.toMatchObject({ code: 'forbidden', key: 'training.error.notTrainer' });
    expect(await markAttendance(db, trainer.actor, session.id, [{ memberId: p.member.id, present: true }], acc)).toEqual({ present: 1, absent: 0 });
  });

  it('refuses to mark someone not booked (waiting list included), changing nothing', async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant, session, coordinator } = await trainingSetup(db, { capacity: 1 });
    const booked = await actorFor(db, tenant.id);
    const waiting = await actorFor(db, tenant.id);
    const stranger = await actorFor(db, tenant.id);
    await bookSession(db, booked.actor, session.id, NOW, acc);
    await bookSession(db, waiting.actor, session.id, NOW, acc);
    for (const m of [waiting, stranger]) {
      const err = await markAttendance(db, coordinator.actor, session.id, [{ memberId: booked.member.id, present: true }, { memberId: m.member.id, present: true }], acc).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).key).toBe('training.error.notBooked');
    }
    expect(await database.query('SELECT 1 FROM training_attendance WHERE tenant_id = $1', [tenant.id])).toEqual([]);
  });

  it('marking present records completion and calls awardOnCompletion in the same transaction; absent does not', async () => {
    const { db } = await testDatabase();
    const { tenant, session, coordinator, course } = await trainingSetup(db, { capacity: 5 });
    const a = await actorFor(db, tenant.id);
    const b = await actorFor(db, tenant.id);
    await bookSession(db, a.actor, session.id, NOW, acc);
    await bookSession(db, b.actor, session.id, NOW, acc);
    acc.awards.length = 0;
    expect(await markAttendance(db, coordinator.actor, session.id, [{ memberId: a.member.id, present: true }, { memberId: b.member.id, present: false }], acc)).toEqual({ present: 1, absent: 1 });
    expect(acc.awards).toEqual([{ tenantId: tenant.id, memberId: a.member.id, courseId: course.id, sessionId: session.id, completedOn: '2031-03-10', actor: coordinator.member.id }]);
    const done = await completedCourseKeysByMember(db, tenant.id);
    expect([...(done.get(a.member.id) ?? [])]).toEqual(['induction']);
    expect(done.has(b.member.id)).toBe(false);
    // Saving the same register again awards nothing new.
    await markAttendance(db, coordinator.actor, session.id, [{ memberId: a.member.id, present: true }], acc);
    expect(acc.awards).toHaveLength(1);
  });
});
