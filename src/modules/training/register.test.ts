import type * as Accreditation from '../accreditation/service.ts';
import { describe, expect, it, vi } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { AppError } from '../../server/errors.ts';
import { completedCourseKeysByMember } from './views.ts';
import { bookSession, canKeepRegister, createSession, markAttendance } from './service.ts';
import { actorFor, trainingSetup } from './test-helpers.ts';
import { instantToLondon } from './times.ts';

// The register calls accreditation's awardOnCompletion in its transaction. The wrapper records each
// call and passes it to the real function; only while the branch still has the contract stub
// (before the lead merges accreditation) does it answer "nothing awarded" instead of the stub's throw.
const awards = vi.hoisted(() => [] as unknown[]);
vi.mock('../accreditation/service.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Accreditation>();
  const orStub = <A extends unknown[], R>(fn: (...a: A) => Promise<R>, fallback: R) => async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (err) {
      if (String(err).includes('contract stub')) return fallback;
      throw err;
    }
  };
  return {
    ...real,
    missingPrerequisites: orStub(real.missingPrerequisites, []),
    awardOnCompletion: async (...a: Parameters<typeof real.awardOnCompletion>) => {
      awards.push(a[1]);
      return orStub(real.awardOnCompletion, { awarded: [], notAwarded: [] })(...a);
    },
  };
});

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
    await bookSession(db, p.actor, session.id, NOW);
    await expect(markAttendance(db, other.actor, session.id, [{ memberId: p.member.id, present: true }])).rejects.toMatchObject({ code: 'forbidden', key: 'training.error.notTrainer' });
    expect(await markAttendance(db, trainer.actor, session.id, [{ memberId: p.member.id, present: true }])).toEqual({ present: 1, absent: 0 });
  });

  it('refuses to mark someone not booked (waiting list included), changing nothing', async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant, session, coordinator } = await trainingSetup(db, { capacity: 1 });
    const booked = await actorFor(db, tenant.id);
    const waiting = await actorFor(db, tenant.id);
    const stranger = await actorFor(db, tenant.id);
    await bookSession(db, booked.actor, session.id, NOW);
    await bookSession(db, waiting.actor, session.id, NOW);
    for (const m of [waiting, stranger]) {
      const err = await markAttendance(db, coordinator.actor, session.id, [{ memberId: booked.member.id, present: true }, { memberId: m.member.id, present: true }]).catch((e: unknown) => e);
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
    await bookSession(db, a.actor, session.id, NOW);
    await bookSession(db, b.actor, session.id, NOW);
    awards.length = 0;
    expect(await markAttendance(db, coordinator.actor, session.id, [{ memberId: a.member.id, present: true }, { memberId: b.member.id, present: false }])).toEqual({ present: 1, absent: 1 });
    expect(awards).toEqual([{ tenantId: tenant.id, memberId: a.member.id, courseId: course.id, sessionId: session.id, completedOn: '2031-03-10', actor: coordinator.member.id }]);
    const done = await completedCourseKeysByMember(db, tenant.id);
    expect([...(done.get(a.member.id) ?? [])]).toEqual(['induction']);
    expect(done.has(b.member.id)).toBe(false);
    // Saving the same register again awards nothing new.
    await markAttendance(db, coordinator.actor, session.id, [{ memberId: a.member.id, present: true }]);
    expect(awards).toHaveLength(1);
  });
});
