import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { actorFor } from '../training/test-helpers.ts';
import { listCourses } from '../training/courses.ts';
import { bookSession, createSession, markAttendance } from '../training/service.ts';
import { instantToLondon } from '../training/times.ts';
import { createDbsCheck, decideHours, listActivities, logHours } from '../volunteering/service.ts';
import { dashboardModel } from './dashboard.ts';
import { listLevels } from './levels.ts';
import { decideStepUp, memberStanding, missingText, recomputeEligibility, requestStepUp, signOff, titlesFor } from './service.ts';

// The ladder through the real training, accreditation and volunteering modules (no injected inputs).
const BOOKED_AT = new Date('2026-11-20T12:00:00Z');
const LATER = new Date('2026-11-25T12:00:00Z');

describe(`the ladder with the real modules (${storeName()})`, () => {
  it('training attended, accreditation awarded, hours approved and a DBS check recorded move a volunteer up two levels; the dashboard counts them', async () => {
    const db = (await testDatabase()).db;
    const { tenant } = await buildTenant(db);
    const coordinator = await actorFor(db, tenant.id, { roles: ['coordinator'] });
    const vol = await actorFor(db, tenant.id, { roles: ['volunteer'] });
    const courses = await listCourses(db, tenant.id);
    let day = 21;
    const attend = async (courseKey: string) => {
      const course = courses.find((c) => c.key === courseKey)!;
      const start = new Date(`2026-11-${day++}T18:00:00Z`);
      const session = await createSession(db, coordinator.actor, { courseId: course.id, startsAt: instantToLondon(start), endsAt: instantToLondon(new Date(start.getTime() + 7_200_000)), venue: 'Corby Cube', capacity: 10 });
      await bookSession(db, vol.actor, session.id, BOOKED_AT);
      await markAttendance(db, coordinator.actor, session.id, [{ memberId: vol.member.id, present: true }]);
    };

    // Level 1: induction.
    expect((await memberStanding(db, tenant.id, vol.member.id, { now: LATER })).eligibility.missing).toEqual([{ kind: 'course', anyOf: ['induction'] }]);
    await attend('induction');
    expect((await memberStanding(db, tenant.id, vol.member.id, { now: LATER })).eligibility.met).toBe(true);
    const r1 = await requestStepUp(db, vol.actor, { now: LATER });
    await decideStepUp(db, coordinator.actor, r1.id, { approve: true }, { now: LATER });

    // Level 2: everything missing, worded with the real titles.
    const s2 = await memberStanding(db, tenant.id, vol.member.id, { now: LATER });
    expect(s2.current?.number).toBe(1);
    expect(s2.eligibility.missing.map((m) => m.kind)).toEqual(['course', 'qualification', 'minutes', 'dbs', 'signOff']);
    const en = missingText('en', await titlesFor(db, tenant.id, 'en'), s2.eligibility.missing);
    expect(en).toContain('20 more hours');
    expect(en).toMatch(/^complete .+ or .+; hold .+ in date; 20 more hours; a DBS check in date; a coordinator’s sign-off$/);

    await attend('safeguarding-awareness');
    await attend('running-a-group');
    const activity = (await listActivities(db, tenant.id, { activeOnly: true }))[0]!;
    const logged = [
      await logHours(db, vol.actor, { workedOn: '2026-11-23', activityId: activity.id, hours: '12', minutes: '0', note: '', clientKey: 'ladder-int-key-0000000001' }, LATER),
      await logHours(db, vol.actor, { workedOn: '2026-11-24', activityId: activity.id, hours: '5', minutes: '0', note: '', clientKey: 'ladder-int-key-0000000002' }, LATER),
    ];
    await decideHours(db, coordinator.actor, { action: 'approve', ids: logged.map((l) => l.id) });
    const s2b = await memberStanding(db, tenant.id, vol.member.id, { now: LATER });
    expect(s2b.eligibility.missing).toEqual([{ kind: 'minutes', minutes: 180 }, { kind: 'dbs' }, { kind: 'signOff' }]);
    expect(missingText('en', await titlesFor(db, tenant.id, 'en'), s2b.eligibility.missing)).toBe('3 more hours; a DBS check in date; a coordinator’s sign-off');
    expect(missingText('pl', await titlesFor(db, tenant.id, 'pl'), s2b.eligibility.missing)).toBe('jeszcze 3 godziny; aktualne zaświadczenie DBS; zatwierdzenie przez koordynatora lub koordynatorkę');

    const more = await logHours(db, vol.actor, { workedOn: '2026-11-25', activityId: activity.id, hours: '3', minutes: '0', note: '', clientKey: 'ladder-int-key-0000000003' }, LATER);
    await decideHours(db, coordinator.actor, { action: 'approve', ids: [more.id] });
    await createDbsCheck(db, coordinator.actor, vol.member.id, { checkedOn: '2026-11-01', certificateNumber: '0012 3456 7890', level: 'enhanced_barred', outcome: 'clear', updateService: 'yes', renewalOn: '', decisionOn: '2026-11-10', decision: 'appointed', reference: 'R-1' }, LATER);
    const levels = await listLevels(db, tenant.id);
    await signOff(db, coordinator.actor, vol.member.id, levels[1]!.id, { now: LATER });
    expect((await memberStanding(db, tenant.id, vol.member.id, { now: LATER })).eligibility).toEqual({ met: true, missing: [] });
    const r2 = await requestStepUp(db, vol.actor, { now: LATER });
    await decideStepUp(db, coordinator.actor, r2.id, { approve: true }, { now: LATER });
    expect((await memberStanding(db, tenant.id, vol.member.id, { now: LATER })).current?.number).toBe(2);

    // The snapshot and the dashboard, from the real views.
    await recomputeEligibility(db, tenant.id, { now: LATER });
    const model = await dashboardModel(db, tenant.id, LATER);
    expect(model.perWardTotal[2]).toBe(1);
    const q4 = model.m1.find((q) => q.quarter === '2026-Q4')!;
    expect(q4.inTraining).toBe(1);
    expect(q4.stepUps.slice(0, 2)).toEqual([1, 1]);
    expect(model.attendance.find((q) => q.quarter === '2026-Q4')).toMatchObject({ attendances: 3, sessions: 3, people: 1 });
  });
});
