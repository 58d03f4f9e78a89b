import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { formatDateTime } from '../../lib/dates.ts';
import { translator } from '../../ui/i18n/index.ts';
import { enqueueEmail } from '../email/service.ts';
import { memberCards } from '../membership/views.ts';
import { enqueueSms } from '../sms/service.ts';
import { courseTitle } from './courses.ts';
import { trainingBookings, trainingCourses, trainingSessions } from './schema.ts';

const DAY_MS = 86_400_000;

/**
 * For sessions starting within 24 hours of `now`: one reminder per booked member, by email when
 * they have an address, else by text. The dedupe key (booking, session, start time) makes a second
 * run, or a second process, queue nothing new; a moved session reminds again. Answers the number queued.
 */
export async function sendSessionReminders(db: Db, now: Date, opts: { tenantId?: string } = {}): Promise<number> {
  const due = await db
    .select({
      tenantId: trainingBookings.tenantId,
      bookingId: trainingBookings.id,
      memberId: trainingBookings.memberId,
      sessionId: trainingSessions.id,
      startsAt: trainingSessions.startsAt,
      venue: trainingSessions.venue,
      title: trainingCourses.title,
      titlePl: trainingCourses.titlePl,
    })
    .from(trainingBookings)
    .innerJoin(trainingSessions, and(eq(trainingSessions.tenantId, trainingBookings.tenantId), eq(trainingSessions.id, trainingBookings.sessionId)))
    .innerJoin(trainingCourses, and(eq(trainingCourses.tenantId, trainingSessions.tenantId), eq(trainingCourses.id, trainingSessions.courseId)))
    .where(
      and(
        opts.tenantId ? eq(trainingBookings.tenantId, opts.tenantId) : undefined,
        eq(trainingBookings.status, 'booked'),
        eq(trainingSessions.status, 'scheduled'),
        gt(trainingSessions.startsAt, now),
        lte(trainingSessions.startsAt, new Date(now.getTime() + DAY_MS)),
      ),
    );
  let queued = 0;
  const byTenant = new Map<string, typeof due>();
  for (const d of due) byTenant.set(d.tenantId, [...(byTenant.get(d.tenantId) ?? []), d]);
  for (const [tenantId, rows] of byTenant) {
    await db.transaction(async (tx) => {
      const cards = new Map((await memberCards(tx, tenantId, [...new Set(rows.map((r) => r.memberId))])).map((m) => [m.id, m]));
      for (const r of rows) {
        const m = cards.get(r.memberId);
        if (!m || m.status !== 'active') continue;
        const locale = m.preferredLocale === 'pl' ? 'pl' : 'en';
        const t = translator(locale);
        const vars = { course: courseTitle(r, locale), when: formatDateTime(locale, r.startsAt), place: r.venue };
        const dedupeKey = `training-reminder:${r.bookingId}:${r.sessionId}:${r.startsAt.toISOString()}`;
        if (m.email) {
          const res = await enqueueEmail(tx, { tenantId, to: m.email, subject: t('training.mail.reminder.subject', vars), text: t('training.mail.reminder.body', vars), template: 'training.reminder', locale, dedupeKey });
          if (!res.duplicate) queued++;
        } else if (m.phone) {
          const res = await enqueueSms(tx, { tenantId, to: m.phone, body: t('training.sms.reminder', vars).slice(0, 640), template: 'training.reminder', locale, dedupeKey });
          if (!res.duplicate) queued++;
        }
      }
    });
  }
  return queued;
}
