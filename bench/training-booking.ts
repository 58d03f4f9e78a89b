// 50 concurrent bookings (Promise.all through the service) on a session with 10 places, in a fresh
// tenant: exactly 10 booked, 40 wait-listed, no error. Baseline in the same run: 50 sequential
// bookings on another 10-place session. PGlite by default; PostgreSQL with DATABASE_URL.
// Prints JSON; exits non-zero when the counts are wrong or any booking failed.
import { missingPrerequisites } from '../src/modules/accreditation/service.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import { listCourses } from '../src/modules/training/courses.ts';
import { bookSession, createSession } from '../src/modules/training/service.ts';
import { instantToLondon } from '../src/modules/training/times.ts';
import { buildTenant } from '../src/test/factories.ts';
import { buildMember } from '../src/test/members.ts';
import { useOutboxKey } from '../src/modules/email/sealing.ts';
import { openStore } from './member-import.ts';

const PEOPLE = 50;
const PLACES = 10;

// Before the accreditation module is merged its contract stub throws; the seeded induction course
// has no prerequisites, so only the stub's throw is read as "nothing missing".
const prerequisites: typeof missingPrerequisites = async (db, input) => {
  try {
    return await missingPrerequisites(db, input);
  } catch (err) {
    if (String(err).includes('contract stub')) return [];
    throw err;
  }
};

useOutboxKey('bench-outbox-key-0123456789abcdef0123456789abcdef');
const url = process.env.DATABASE_URL;
const database = await openStore(url);
try {
  const { db } = database;
  const { tenant } = await buildTenant(db, { wards: false });
  const coord = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const admin: Actor = { tenantId: tenant.id, memberId: coord.member.id, roles: new Set(['member', 'coordinator']), sessionId: 'bench' };
  const course = (await listCourses(db, tenant.id)).find((c) => c.key === 'induction')!;
  const start = new Date(Date.now() + 7 * 86_400_000);
  const session = () => createSession(db, admin, { courseId: course.id, startsAt: instantToLondon(start), endsAt: instantToLondon(new Date(start.getTime() + 7_200_000)), venue: 'Bench hall', capacity: PLACES });
  const people: Actor[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const { member } = await buildMember(db, tenant.id);
    people.push({ tenantId: tenant.id, memberId: member.id, roles: new Set(['member']), sessionId: 'bench' });
  }
  const now = new Date();

  const sequential = await session();
  const s0 = performance.now();
  for (const p of people) await bookSession(db, p, sequential.id, now, { prerequisites });
  const baselineMs = Math.round(performance.now() - s0);

  const concurrent = await session();
  const t0 = performance.now();
  const outcomes = await Promise.allSettled(people.map((p) => bookSession(db, p, concurrent.id, now, { prerequisites })));
  const ms = Math.round(performance.now() - t0);
  const ok = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason).slice(0, 200)] : []));
  const [row] = await database.query<{ booked: number; waitlisted: number }>(
    "SELECT count(*) FILTER (WHERE status = 'booked')::int AS booked, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted FROM training_bookings WHERE tenant_id = $1 AND session_id = $2",
    [tenant.id, concurrent.id],
  );
  const result = {
    benchmark: 'training-booking',
    store: url ? 'postgres' : 'pglite',
    booked: row?.booked ?? 0,
    waitlisted: row?.waitlisted ?? 0,
    errors: failures.length,
    answeredBooked: ok.filter((r) => r.status === 'booked').length,
    ms,
    baselineMs,
    target: { booked: PLACES, waitlisted: PEOPLE - PLACES, errors: 0 },
    ...(failures.length ? { firstErrors: failures.slice(0, 3) } : {}),
  };
  console.log(JSON.stringify(result, null, 2));
  if (result.booked !== PLACES || result.waitlisted !== PEOPLE - PLACES || result.errors > 0) process.exitCode = 1;
} finally {
  await database.close();
}
