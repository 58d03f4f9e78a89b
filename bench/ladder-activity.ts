import type { Database } from '../src/db/connection.ts';
import { isoDate } from '../src/lib/dates.ts';
import { newId } from '../src/lib/ids.ts';
import { awardForCourse } from '../src/modules/accreditation/service.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import { insertAttendanceForBench } from '../src/modules/training/views.ts';
import { createDbsCheck, decideHours, listActivities, logHours } from '../src/modules/volunteering/service.ts';

const DAY = 86_400_000;

/**
 * The other modules' records for the benchmark, through their own exported functions:
 * `attendances` present-attendance rows over the last year (training's bulk loader: every member at
 * most once per session date), safeguarding awarded to one in five volunteers (accreditation's
 * award on course completion), approved hours for one in five (volunteering's log and approve) and
 * a DBS check for one in ten. Answers the tables written, for ANALYZE.
 */
export async function loadActivity(database: Database, tenantId: string, memberIds: readonly string[], attendances: number, now: Date, coordinator: Actor): Promise<{ attendances: number; tables: string[] }> {
  const db = database.db;
  const dates = Math.ceil(attendances / memberIds.length);
  const rows: Array<{ memberId: string; sessionDate: string }> = [];
  for (let d = 0; d < dates && rows.length < attendances; d++) {
    const sessionDate = isoDate(new Date(now.getTime() - (7 + Math.floor((d * 350) / dates)) * DAY));
    for (const memberId of memberIds) {
      if (rows.length >= attendances) break;
      rows.push({ memberId, sessionDate });
    }
  }
  const written = await insertAttendanceForBench(db, tenantId, rows, { courseKey: 'induction', isDemo: false });
  const today = isoDate(now);
  const some = (every: number) => memberIds.filter((_, i) => i % every === 0);
  await db.transaction(async (tx) => {
    for (const memberId of some(5)) await awardForCourse(tx, { tenantId, memberId, courseKey: 'safeguarding-awareness', sessionId: newId(), completedOn: today, actor: 'system:bench' });
  });
  const activity = (await listActivities(db, tenantId, { activeOnly: true }))[0]!;
  const hourIds: string[] = [];
  let n = 0;
  for (const memberId of some(5)) {
    const actor: Actor = { tenantId, memberId, roles: new Set(['member', 'volunteer']), sessionId: 'bench' };
    const day = isoDate(new Date(now.getTime() - ((n++ % 60) + 1) * DAY));
    hourIds.push((await logHours(db, actor, { workedOn: day, activityId: activity.id, hours: String(1 + (n % 12)), minutes: '0', note: '', clientKey: `bench-hours-${String(n).padStart(10, '0')}` }, now)).id);
  }
  for (let i = 0; i < hourIds.length; i += 500) await decideHours(db, coordinator, { action: 'approve', ids: hourIds.slice(i, i + 500) });
  for (const memberId of some(10)) {
    await createDbsCheck(db, coordinator, memberId, { checkedOn: isoDate(new Date(now.getTime() - 400 * DAY)), certificateNumber: '0012 3456 7890', level: 'enhanced_barred', outcome: 'clear', updateService: 'no', renewalOn: '', decisionOn: isoDate(new Date(now.getTime() - 390 * DAY)), decision: 'appointed', reference: '' }, now);
  }
  return { attendances: written, tables: ['training_attendance', 'training_sessions', 'qualifications', 'volunteer_hours', 'dbs_checks'] };
}
