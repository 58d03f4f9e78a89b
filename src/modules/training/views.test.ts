import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { translator } from '../../ui/i18n/index.ts';
import { loadMembershipDemo } from '../membership/demo.ts';
import { wardSummariesOf } from '../tenancy/views.ts';
import { SEEDED_COURSES, seedCourses, updateCourse } from './courses.ts';
import { clearTrainingDemo, loadTrainingDemo } from './demo.ts';
import { trainingPersonalData } from './personal-data.ts';
import { sendSessionReminders } from './reminders.ts';
import { bookSession, markAttendance } from './service.ts';
import { actorFor, tolerantAccreditation, trainingSetup } from './test-helpers.ts';
import { completedCourseKeysByMember, courseRef, insertAttendanceForBench, listCourseRefs, trainingAttendanceByQuarter } from './views.ts';

const acc = tolerantAccreditation();

const NOW = new Date('2031-03-01T12:00:00Z');

describe(`training views, seeds, reminders and personal data (${storeName()})`, () => {
  it('seeds the catalogue once per tenant with stable keys, leaving edits alone', async () => {
    const { db } = await testDatabase();
    const { tenant } = await buildTenant(db, { wards: false });
    const coordinator = await actorFor(db, tenant.id, { roles: ['coordinator'] });
    const refs = await listCourseRefs(db, tenant.id);
    expect(refs.map((r) => r.key).sort()).toEqual(SEEDED_COURSES.map((c) => c.key).sort());
    expect(refs.every((r) => r.titlePl)).toBe(true);
    const induction = refs.find((r) => r.key === 'induction')!;
    await updateCourse(db, coordinator.actor, induction.id, { key: 'induction', title: 'Welcome evening', durationMinutes: 90 });
    await db.transaction((tx) => seedCourses(tx, tenant.id));
    expect(await listCourseRefs(db, tenant.id)).toHaveLength(SEEDED_COURSES.length);
    expect((await courseRef(db, tenant.id, induction.id))?.title).toBe('Welcome evening');
    expect(await courseRef(db, tenant.id, 'not-a-uuid')).toBeUndefined();
    // A seeded key never changes (other modules name the course by it).
    await expect(updateCourse(db, coordinator.actor, induction.id, { key: 'intro', title: 'x', durationMinutes: 90 })).rejects.toMatchObject({ key: 'training.error.keySeeded' });
  });

  it('counts attendance per quarter (London dates) and completed course keys per member', async () => {
    const { db } = await testDatabase();
    const { tenant } = await buildTenant(db, { wards: false });
    const a = await actorFor(db, tenant.id);
    const b = await actorFor(db, tenant.id);
    const n = await insertAttendanceForBench(db, tenant.id, [
      { memberId: a.member.id, sessionDate: '2026-03-31' },
      { memberId: b.member.id, sessionDate: '2026-03-31' },
      { memberId: a.member.id, sessionDate: '2026-04-01' },
      { memberId: a.member.id, sessionDate: '2026-05-01' },
      { memberId: b.member.id, sessionDate: '2027-01-01' },
    ]);
    expect(n).toBe(5);
    const q = await trainingAttendanceByQuarter(db, tenant.id, '2026-01-01', '2026-12-31');
    expect(q.map((r) => ({ ...r, memberIds: [...r.memberIds].sort() }))).toEqual([
      { quarter: '2026-Q1', attendances: 2, sessions: 1, memberIds: [a.member.id, b.member.id].sort() },
      { quarter: '2026-Q2', attendances: 2, sessions: 2, memberIds: [a.member.id] },
    ]);
    const done = await completedCourseKeysByMember(db, tenant.id, [a.member.id]);
    expect([...done.keys()]).toEqual([a.member.id]);
    expect([...done.get(a.member.id)!]).toEqual(['induction']);
    expect((await completedCourseKeysByMember(db, tenant.id, [])).size).toBe(0);
  });

  it('reminds each booked member once in the 24 hours before, by email or else by text, in their language', async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant, session } = await trainingSetup(db, { startsAt: new Date('2031-03-10T18:00:00Z') });
    const byEmail = await actorFor(db, tenant.id);
    const byText = await actorFor(db, tenant.id, { phone: '+447700900123' });
    await database.query("UPDATE members SET email = NULL, preferred_locale = 'pl' WHERE tenant_id = $1 AND id = $2", [tenant.id, byText.member.id]);
    await bookSession(db, byEmail.actor, session.id, NOW, acc);
    await bookSession(db, byText.actor, session.id, NOW, acc);
    expect(await sendSessionReminders(db, new Date('2031-03-09T17:00:00Z'), { tenantId: tenant.id })).toBe(0); // 25 hours before
    expect(await sendSessionReminders(db, new Date('2031-03-09T19:00:00Z'), { tenantId: tenant.id })).toBe(2);
    expect(await sendSessionReminders(db, new Date('2031-03-10T09:00:00Z'), { tenantId: tenant.id })).toBe(0); // already sent
    const mails = await database.query<{ to_address: string; subject: string }>("SELECT to_address, subject FROM email_outbox WHERE tenant_id = $1 AND template = 'training.reminder'", [tenant.id]);
    expect(mails).toEqual([{ to_address: byEmail.member.email, subject: translator('en')('training.mail.reminder.subject', { course: 'Induction', when: '10 March 2031 at 18:00' }) }]);
    const texts = await database.query<{ to_number: string; locale: string }>("SELECT to_number, locale FROM sms_outbox WHERE tenant_id = $1 AND template = 'training.reminder'", [tenant.id]);
    expect(texts).toEqual([{ to_number: '+447700900123', locale: 'pl' }]);
  });

  it("exports the member's bookings and attendance, and erasure deletes them and clears them as trainer", async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant, session, coordinator } = await trainingSetup(db);
    const p = await actorFor(db, tenant.id);
    await bookSession(db, p.actor, session.id, NOW, acc);
    await markAttendance(db, coordinator.actor, session.id, [{ memberId: p.member.id, present: true }], acc);
    await database.query('UPDATE training_sessions SET trainer_id = $2 WHERE tenant_id = $1', [tenant.id, p.member.id]);
    const subject = { tenantId: tenant.id, id: p.member.id, email: p.member.email, phone: null };
    const t = translator('en');
    const sections = await trainingPersonalData.exportFor(db, { subject, t, who: () => 'x' });
    expect(sections.map((s) => [s.name, Array.isArray(s.rows) ? s.rows.length : 1])).toEqual([
      ['training-bookings', 1],
      ['training-attendance', 1],
      ['training-sessions-run', 1],
    ]);
    await db.transaction((tx) => trainingPersonalData.eraseFor(tx, subject));
    expect(await database.query('SELECT 1 FROM training_bookings WHERE tenant_id = $1 AND member_id = $2', [tenant.id, p.member.id])).toEqual([]);
    expect(await database.query('SELECT 1 FROM training_attendance WHERE tenant_id = $1 AND member_id = $2', [tenant.id, p.member.id])).toEqual([]);
    expect(await database.query('SELECT trainer_id FROM training_sessions WHERE tenant_id = $1', [tenant.id])).toEqual([{ trainer_id: null }]);
  });

  it('demo sessions load once for demo members across wards, labelled, and clear removes exactly them', async () => {
    const database = await testDatabase();
    const { db } = database;
    const { tenant, session } = await trainingSetup(db, { wards: true });
    const areaRows = await database.query<{ ward_set_id: string }>('SELECT current_ward_set_id AS ward_set_id FROM areas WHERE tenant_id = $1', [tenant.id]);
    await loadMembershipDemo(db, tenant.id, await wardSummariesOf(db, tenant.id, areaRows[0]!.ward_set_id), NOW);
    const added = await loadTrainingDemo(db, tenant.id, NOW);
    expect(added).toBeGreaterThan(9);
    expect(await loadTrainingDemo(db, tenant.id, NOW)).toBe(0);
    const [s] = await database.query<{ past: number; future: number; waiting: number; present: number; wards: number }>(
      `SELECT count(*) FILTER (WHERE starts_at < $2)::int AS past, count(*) FILTER (WHERE starts_at > $2)::int AS future,
              (SELECT count(*)::int FROM training_bookings b WHERE b.tenant_id = $1 AND b.status = 'waitlisted' AND b.is_demo) AS waiting,
              (SELECT count(*)::int FROM training_attendance a WHERE a.tenant_id = $1 AND a.present AND a.is_demo) AS present,
              count(DISTINCT ward_id)::int AS wards
         FROM training_sessions WHERE tenant_id = $1 AND is_demo`,
      [tenant.id, NOW],
    );
    expect(s!.past).toBeGreaterThan(0);
    expect(s!.future).toBeGreaterThan(0);
    expect(s!.waiting).toBeGreaterThan(0);
    expect(s!.present).toBeGreaterThan(0);
    expect(s!.wards).toBeGreaterThan(1);
    expect(await clearTrainingDemo(db, tenant.id)).toBeGreaterThan(0);
    expect(await database.query('SELECT id FROM training_sessions WHERE tenant_id = $1', [tenant.id])).toEqual([{ id: session.id }]);
    expect(await database.query('SELECT 1 FROM training_bookings WHERE tenant_id = $1 AND is_demo', [tenant.id])).toEqual([]);
  });
});
