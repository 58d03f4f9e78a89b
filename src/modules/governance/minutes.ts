import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { isUuid } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { findMeeting } from './meetings.ts';
import { govMinutes } from './schema.ts';

/** Minutes: drafted after the meeting is held, approved at a later meeting, then published. */
export type GovMinutes = typeof govMinutes.$inferSelect;

export async function minutesOf(db: Executor, tenantId: string, meetingId: string): Promise<GovMinutes | undefined> {
  if (!isUuid(meetingId)) return undefined;
  const [row] = await db.select().from(govMinutes).where(and(eq(govMinutes.tenantId, tenantId), eq(govMinutes.meetingId, meetingId)));
  return row;
}

const Body = z.object({ body: z.string().trim().min(1, 'gov.core.error.body').max(200_000, 'gov.core.error.tooLong') });

export async function saveMinutesDraft(db: Db, actor: Actor, meetingId: string, input: { body: string }): Promise<void> {
  requirePermission(actor, 'governance.manage');
  const parsed = Body.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please write the minutes.', fieldIssues(parsed.error), 'gov.core.error.fix');
  await db.transaction(async (tx) => {
    const m = await findMeeting(tx, actor.tenantId, meetingId);
    if (!m) throw new AppError('not_found', 'That meeting was not found.', [], 'gov.core.error.meetingNotFound');
    if (m.status !== 'held') throw new AppError('conflict', 'Minutes are written after the meeting is held.', [], 'gov.core.error.minutesNotHeld');
    const [existing] = await tx.select().from(govMinutes).where(and(eq(govMinutes.tenantId, actor.tenantId), eq(govMinutes.meetingId, meetingId))).for('update');
    if (existing && existing.status !== 'draft') throw new AppError('conflict', 'Approved minutes cannot be changed.', [], 'gov.core.error.minutesLocked');
    if (existing) await tx.update(govMinutes).set({ body: parsed.data.body, draftedBy: actor.memberId, draftedAt: sql`now()` }).where(and(eq(govMinutes.tenantId, actor.tenantId), eq(govMinutes.meetingId, meetingId)));
    else await tx.insert(govMinutes).values({ tenantId: actor.tenantId, meetingId, body: parsed.data.body, draftedBy: actor.memberId });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.minutes.draft', entity: 'gov_meeting', entityId: meetingId, data: {} });
  });
}

/** Approve the minutes at a later meeting (called or held; not this one nor an earlier one). */
export async function approveMinutes(db: Db, actor: Actor, meetingId: string, atMeetingId: string, now: Date): Promise<void> {
  requirePermission(actor, 'governance.manage');
  await db.transaction(async (tx) => {
    const m = await findMeeting(tx, actor.tenantId, meetingId);
    if (!m) throw new AppError('not_found', 'That meeting was not found.', [], 'gov.core.error.meetingNotFound');
    const [minutes] = await tx.select().from(govMinutes).where(and(eq(govMinutes.tenantId, actor.tenantId), eq(govMinutes.meetingId, meetingId))).for('update');
    if (!minutes) throw new AppError('conflict', 'There are no minutes to approve yet.', [], 'gov.core.error.noMinutes');
    if (minutes.status !== 'draft') throw new AppError('conflict', 'These minutes are already approved.', [], 'gov.core.error.minutesApproved');
    const at = await findMeeting(tx, actor.tenantId, atMeetingId);
    if (!at) throw new AppError('validation_failed', 'Choose the meeting that approved them.', [{ field: 'atMeetingId', message: 'gov.core.error.approvingMeeting' }], 'gov.core.error.fix');
    if (at.id === m.id) throw new AppError('validation_failed', 'Minutes are approved at a later meeting, not the same one.', [{ field: 'atMeetingId', message: 'gov.core.error.sameMeeting' }], 'gov.core.error.fix');
    if (at.startsAt <= m.startsAt) throw new AppError('validation_failed', 'Minutes are approved at a later meeting, not an earlier one.', [{ field: 'atMeetingId', message: 'gov.core.error.earlierMeeting' }], 'gov.core.error.fix');
    if (at.status !== 'called' && at.status !== 'held') throw new AppError('validation_failed', 'The approving meeting must be called or held.', [{ field: 'atMeetingId', message: 'gov.core.error.approvingMeeting' }], 'gov.core.error.fix');
    if (at.startsAt > now) throw new AppError('validation_failed', 'The approving meeting has not taken place yet.', [{ field: 'atMeetingId', message: 'gov.core.error.approvingFuture' }], 'gov.core.error.fix');
    await tx.update(govMinutes).set({ status: 'approved', approvedAtMeetingId: at.id, approvedAt: now }).where(and(eq(govMinutes.tenantId, actor.tenantId), eq(govMinutes.meetingId, meetingId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.minutes.approve', entity: 'gov_meeting', entityId: meetingId, data: { atMeetingId: at.id } });
  });
}

export async function publishMinutes(db: Db, actor: Actor, meetingId: string, now: Date): Promise<void> {
  requirePermission(actor, 'governance.manage');
  await db.transaction(async (tx) => {
    const [minutes] = isUuid(meetingId) ? await tx.select().from(govMinutes).where(and(eq(govMinutes.tenantId, actor.tenantId), eq(govMinutes.meetingId, meetingId))).for('update') : [];
    if (!minutes) throw new AppError('conflict', 'There are no minutes to publish yet.', [], 'gov.core.error.noMinutes');
    if (minutes.status === 'published') return;
    if (minutes.status !== 'approved') throw new AppError('conflict', 'Minutes are published only after a later meeting has approved them.', [], 'gov.core.error.publishBeforeApproval');
    await tx.update(govMinutes).set({ status: 'published', publishedAt: now }).where(and(eq(govMinutes.tenantId, actor.tenantId), eq(govMinutes.meetingId, meetingId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.minutes.publish', entity: 'gov_meeting', entityId: meetingId, data: {} });
  });
}
