import type { Locale } from '../../ui/i18n/locales.ts';
import { and, asc, desc, eq, gte, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { formatDate, formatDateTime, isoDate, londonToInstant } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { allows, requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { translator } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import type { Actor } from '../membership/policy.ts';
import { activeMembersWithRoles, memberCards } from '../membership/views.ts';
import { boardTermsOn, holdsOffice } from './board.ts';
import { clearDaysBetween, computeQuorum, earliestMeetingDate, type QuorumResult } from './quorum.ts';
import { ATTENDANCE_MODES, MEETING_KINDS, govAgendaItems, govAttendance, govMeetings, govPapers, type AttendanceMode, type GovMeeting, type MeetingKind } from './schema.ts';
import { governanceSettings, type GovSettings } from './settings.ts';

export type GovAgendaItem = typeof govAgendaItems.$inferSelect;
export type GovPaper = typeof govPapers.$inferSelect;
export type GovAttendance = typeof govAttendance.$inferSelect;

const notFound = () => new AppError('not_found', 'That meeting was not found.', [], 'gov.core.error.meetingNotFound');

export async function findMeeting(db: Executor, tenantId: string, id: string): Promise<GovMeeting | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(govMeetings).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.id, id)));
  return row;
}

async function lockMeeting(tx: Executor, tenantId: string, id: string): Promise<GovMeeting> {
  if (!isUuid(id)) throw notFound();
  const [row] = await tx.select().from(govMeetings).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.id, id))).for('update');
  if (!row) throw notFound();
  return row;
}

/** Meetings others may see: called or held (drafts with `governance.read`). */
export async function listMeetings(db: Executor, tenantId: string, opts: { drafts?: boolean; from?: Date; limit?: number } = {}): Promise<GovMeeting[]> {
  const conds = [eq(govMeetings.tenantId, tenantId)];
  if (!opts.drafts) conds.push(ne(govMeetings.status, 'draft'));
  if (opts.from) conds.push(gte(govMeetings.startsAt, opts.from));
  return db.select().from(govMeetings).where(and(...conds)).orderBy(desc(govMeetings.startsAt)).limit(opts.limit ?? 200);
}

export const meetingDay = (m: Pick<GovMeeting, 'startsAt'>) => isoDate(m.startsAt);

export function noticeDaysFor(settings: GovSettings, kind: MeetingKind): number {
  return kind === 'board' ? settings.boardNoticeDays : kind === 'agm' ? settings.agmNoticeDays : settings.generalNoticeDays;
}

export function quorumRuleFor(settings: GovSettings, kind: MeetingKind) {
  return kind === 'board' ? { kind: settings.boardQuorumKind, value: settings.boardQuorumValue } : { kind: settings.generalQuorumKind, value: settings.generalQuorumValue };
}

/** Those entitled to attend and vote: the board on the day (board meetings), else active members. */
export async function entitledIds(db: Executor, tenantId: string, m: Pick<GovMeeting, 'kind' | 'startsAt'>): Promise<string[]> {
  if (m.kind === 'board') return [...new Set((await boardTermsOn(db, tenantId, meetingDay(m))).map((b) => b.memberId))];
  return (await activeMembersWithRoles(db, tenantId)).map((r) => r.id);
}

export const MeetingInput = z
  .object({
    kind: z.enum(MEETING_KINDS, { message: 'gov.core.error.meetingKind' }),
    title: z.string().trim().min(1, 'gov.core.error.required').max(200, 'gov.core.error.tooLong'),
    titlePl: z
      .string()
      .trim()
      .max(200, 'gov.core.error.tooLong')
      .optional()
      .transform((v) => (v ? v : null)),
    startsAt: z.string().transform((v, ctx) => londonToInstant(v) ?? (ctx.addIssue({ code: 'custom', message: 'gov.core.error.when' }), z.NEVER)),
    endsAt: z.string().transform((v, ctx) => londonToInstant(v) ?? (ctx.addIssue({ code: 'custom', message: 'gov.core.error.when' }), z.NEVER)),
    location: z.string().trim().max(300, 'gov.core.error.tooLong').default(''),
    onlineUrl: z
      .string()
      .trim()
      .max(500, 'gov.core.error.tooLong')
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || /^https:\/\/\S+$/.test(v), 'gov.core.error.url'),
  })
  .refine((m) => m.endsAt > m.startsAt, { path: ['endsAt'], message: 'gov.core.error.endsBeforeStart' });
export type MeetingInput = z.input<typeof MeetingInput>;

export async function createMeeting(db: Db, actor: Actor, input: MeetingInput, opts: { isDemo?: boolean } = {}): Promise<GovMeeting> {
  requirePermission(actor, 'governance.manage');
  const parsed = MeetingInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the meeting.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(govMeetings).values({ tenantId: actor.tenantId, id: newId(), ...parsed.data, createdBy: actor.memberId, isDemo: opts.isDemo ?? false }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.meeting.create', entity: 'gov_meeting', entityId: row!.id, data: { kind: row!.kind } });
    return row!;
  });
}

/** Edit a draft meeting (a called one keeps its date: the notice went out). */
export async function updateMeeting(db: Db, actor: Actor, id: string, input: MeetingInput): Promise<GovMeeting> {
  requirePermission(actor, 'governance.manage');
  const parsed = MeetingInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the meeting.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, id);
    if (m.status !== 'draft') throw new AppError('conflict', 'Only a draft meeting can be changed.', [], 'gov.core.error.notDraftMeeting');
    const [row] = await tx.update(govMeetings).set(parsed.data).where(and(eq(govMeetings.tenantId, actor.tenantId), eq(govMeetings.id, id))).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.meeting.update', entity: 'gov_meeting', entityId: id, data: {} });
    return row!;
  });
}

// Agenda and papers.

export async function agendaOf(db: Executor, tenantId: string, meetingId: string): Promise<GovAgendaItem[]> {
  return db.select().from(govAgendaItems).where(and(eq(govAgendaItems.tenantId, tenantId), eq(govAgendaItems.meetingId, meetingId))).orderBy(asc(govAgendaItems.position), asc(govAgendaItems.id));
}

export async function papersOf(db: Executor, tenantId: string, meetingId: string): Promise<GovPaper[]> {
  return db.select().from(govPapers).where(and(eq(govPapers.tenantId, tenantId), eq(govPapers.meetingId, meetingId))).orderBy(asc(govPapers.createdAt), asc(govPapers.id));
}

export const AgendaInput = z.object({
  title: z.string().trim().min(1, 'gov.core.error.required').max(300, 'gov.core.error.tooLong'),
  titlePl: z
    .string()
    .trim()
    .max(300, 'gov.core.error.tooLong')
    .optional()
    .transform((v) => (v ? v : null)),
  body: z.string().trim().max(5000, 'gov.core.error.tooLong').default(''),
});
export type AgendaInput = z.input<typeof AgendaInput>;

function openForAgenda(m: GovMeeting) {
  if (m.status === 'held' || m.status === 'cancelled') throw new AppError('conflict', 'The agenda of a held or cancelled meeting is closed.', [], 'gov.core.error.agendaClosed');
}

export async function addAgendaItem(db: Db, actor: Actor, meetingId: string, input: AgendaInput): Promise<GovAgendaItem> {
  requirePermission(actor, 'governance.manage');
  const parsed = AgendaInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the item.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    openForAgenda(m);
    const [{ n }] = (await tx.select({ n: sql<number>`coalesce(max(${govAgendaItems.position}), 0)::int` }).from(govAgendaItems).where(and(eq(govAgendaItems.tenantId, actor.tenantId), eq(govAgendaItems.meetingId, meetingId)))) as [{ n: number }];
    const [row] = await tx.insert(govAgendaItems).values({ tenantId: actor.tenantId, id: newId(), meetingId, position: n + 1, ...parsed.data }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.agenda.add', entity: 'gov_meeting', entityId: meetingId, data: { itemId: row!.id } });
    return row!;
  });
}

export async function editAgendaItem(db: Db, actor: Actor, meetingId: string, itemId: string, input: AgendaInput): Promise<void> {
  requirePermission(actor, 'governance.manage');
  const parsed = AgendaInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the item.', fieldIssues(parsed.error), 'gov.core.error.fix');
  await db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    openForAgenda(m);
    const done = isUuid(itemId) ? await tx.update(govAgendaItems).set(parsed.data).where(and(eq(govAgendaItems.tenantId, actor.tenantId), eq(govAgendaItems.meetingId, meetingId), eq(govAgendaItems.id, itemId))).returning() : [];
    if (!done.length) throw new AppError('not_found', 'That item was not found.', [], 'gov.core.error.itemNotFound');
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.agenda.edit', entity: 'gov_meeting', entityId: meetingId, data: { itemId } });
  });
}

/** Move an item one place up or down. */
export async function moveAgendaItem(db: Db, actor: Actor, meetingId: string, itemId: string, direction: 'up' | 'down'): Promise<void> {
  requirePermission(actor, 'governance.manage');
  await db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    openForAgenda(m);
    const items = await agendaOf(tx, actor.tenantId, meetingId);
    const i = items.findIndex((x) => x.id === itemId);
    if (i < 0) throw new AppError('not_found', 'That item was not found.', [], 'gov.core.error.itemNotFound');
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= items.length) return;
    [items[i], items[j]] = [items[j]!, items[i]!];
    for (const [k, it] of items.entries()) await tx.update(govAgendaItems).set({ position: k + 1 }).where(and(eq(govAgendaItems.tenantId, actor.tenantId), eq(govAgendaItems.id, it.id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.agenda.move', entity: 'gov_meeting', entityId: meetingId, data: { itemId, direction } });
  });
}

export const PaperInput = z
  .object({
    kind: z.enum(['board_report', 'accounts_summary', 'other'], { message: 'gov.core.error.paperKind' }),
    title: z.string().trim().min(1, 'gov.core.error.required').max(300, 'gov.core.error.tooLong'),
    body: z.string().trim().max(50_000, 'gov.core.error.tooLong').default(''),
    url: z
      .string()
      .trim()
      .max(500, 'gov.core.error.tooLong')
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || /^(https:\/\/\S+|\/\S*)$/.test(v), 'gov.core.error.url'),
  })
  .refine((p) => p.body !== '' || p.url !== null, { path: ['body'], message: 'gov.core.error.paperEmpty' });
export type PaperInput = z.input<typeof PaperInput>;

export async function addPaper(db: Db, actor: Actor, meetingId: string, input: PaperInput): Promise<GovPaper> {
  requirePermission(actor, 'governance.manage');
  const parsed = PaperInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the paper.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    if (m.status === 'cancelled') throw new AppError('conflict', 'The meeting is cancelled.', [], 'gov.core.error.agendaClosed');
    const [row] = await tx.insert(govPapers).values({ tenantId: actor.tenantId, id: newId(), meetingId, ...parsed.data }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.paper.add', entity: 'gov_meeting', entityId: meetingId, data: { paperId: row!.id, kind: row!.kind } });
    return row!;
  });
}

// Calling the meeting: the notice.

/** Refuses too little notice (clear days, Europe/London), saying the earliest date it can be held. Pure. */
export function checkNotice(input: { kind: MeetingKind; startsAt: Date; now: Date; settings: GovSettings; locale?: Locale }): void {
  const days = noticeDaysFor(input.settings, input.kind);
  const noticeOn = isoDate(input.now);
  const meetingOn = isoDate(input.startsAt);
  if (clearDaysBetween(noticeOn, meetingOn) < days) {
    const earliest = earliestMeetingDate(noticeOn, days);
    throw new AppError('conflict', `The rules need ${days} clear days' notice: the earliest this meeting can be held is ${formatDate('en', earliest)}.`, [{ field: 'startsAt', message: 'gov.core.error.notice' }], 'gov.core.error.notice', { days, date: formatDate(input.locale ?? 'en', earliest) });
  }
}

/**
 * Call a draft meeting: checks the notice period, fixes the quorum rule and the entitled count,
 * and queues the notice to everyone entitled (one email per meeting × member, in their language).
 */
export async function callMeeting(db: Db, actor: Actor, meetingId: string, opts: { now: Date; baseUrl: string; locale?: Locale }): Promise<{ notified: number; entitled: number }> {
  requirePermission(actor, 'governance.manage');
  return db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    if (m.status !== 'draft') throw new AppError('conflict', 'This meeting has already been called.', [], 'gov.core.error.alreadyCalled');
    if (m.startsAt <= opts.now) throw new AppError('conflict', 'The meeting is in the past.', [], 'gov.core.error.pastMeeting');
    const settings = await governanceSettings(tx, actor.tenantId);
    checkNotice({ kind: m.kind, startsAt: m.startsAt, now: opts.now, settings, ...(opts.locale ? { locale: opts.locale } : {}) });
    const ids = await entitledIds(tx, actor.tenantId, m);
    const rule = quorumRuleFor(settings, m.kind);
    await tx
      .update(govMeetings)
      .set({ status: 'called', calledAt: opts.now, quorumKind: rule.kind, quorumValue: rule.value, entitledCount: ids.length })
      .where(and(eq(govMeetings.tenantId, actor.tenantId), eq(govMeetings.id, meetingId)));
    const agenda = await agendaOf(tx, actor.tenantId, meetingId);
    let notified = 0;
    for (let i = 0; i < ids.length; i += 500) {
      for (const card of await memberCards(tx, actor.tenantId, ids.slice(i, i + 500))) {
        if (!card.email || card.status !== 'active') continue;
        const locale = card.preferredLocale === 'pl' ? 'pl' : 'en';
        const t = translator(locale);
        const title = locale === 'pl' && m.titlePl ? m.titlePl : m.title;
        const items = agenda.map((a, k) => `${k + 1}. ${locale === 'pl' && a.titlePl ? a.titlePl : a.title}`).join('\n');
        const vars = { title, when: formatDateTime(locale, m.startsAt), place: m.location || t('gov.core.meeting.online'), agenda: items || t('gov.core.meeting.noAgenda'), link: `${opts.baseUrl}/governance/meetings/${m.id}` };
        await enqueueEmail(tx, { tenantId: actor.tenantId, to: card.email, subject: t('gov.core.mail.notice.subject', vars), text: t('gov.core.mail.notice.body', vars), template: 'governance.notice', locale, dedupeKey: `gov-notice:${m.id}:${card.id}` });
        notified++;
      }
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.meeting.call', entity: 'gov_meeting', entityId: meetingId, data: { entitled: ids.length, notified } });
    return { notified, entitled: ids.length };
  });
}

export async function markHeld(db: Db, actor: Actor, meetingId: string, now: Date): Promise<void> {
  requirePermission(actor, 'governance.manage');
  await db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    if (m.status !== 'called') throw new AppError('conflict', 'Only a called meeting can be marked held.', [], 'gov.core.error.notCalled');
    if (m.startsAt > now) throw new AppError('conflict', 'The meeting has not started yet.', [], 'gov.core.error.notStarted');
    await tx.update(govMeetings).set({ status: 'held' }).where(and(eq(govMeetings.tenantId, actor.tenantId), eq(govMeetings.id, meetingId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.meeting.held', entity: 'gov_meeting', entityId: meetingId, data: {} });
  });
}

export async function cancelMeeting(db: Db, actor: Actor, meetingId: string): Promise<void> {
  requirePermission(actor, 'governance.manage');
  await db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    if (m.status === 'held' || m.status === 'cancelled') throw new AppError('conflict', 'A held or cancelled meeting cannot be cancelled.', [], 'gov.core.error.cannotCancel');
    await tx.update(govMeetings).set({ status: 'cancelled' }).where(and(eq(govMeetings.tenantId, actor.tenantId), eq(govMeetings.id, meetingId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.meeting.cancel', entity: 'gov_meeting', entityId: meetingId, data: {} });
  });
}

// Attendance and live quorum.

/** Chair (of the meeting, or the board's chair) or secretary on the day, or `governance.manage`. */
export async function canKeepAttendance(db: Executor, actor: Actor | undefined, m: GovMeeting): Promise<boolean> {
  if (!actor || actor.tenantId !== m.tenantId) return false;
  if (allows('governance.manage', actor.roles)) return true;
  if (m.chairId === actor.memberId) return true;
  return holdsOffice(db, m.tenantId, actor.memberId, ['chair', 'secretary'], meetingDay(m));
}

export const AttendanceInput = z.object({
  memberId: z.string().refine(isUuid, 'gov.core.error.member'),
  mode: z.enum(ATTENDANCE_MODES, { message: 'gov.core.error.mode' }),
  proxyHolderId: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isUuid(v), 'gov.core.error.proxyHolder'),
});
export type AttendanceInput = z.input<typeof AttendanceInput>;

export async function attendanceOf(db: Executor, tenantId: string, meetingId: string): Promise<GovAttendance[]> {
  return db.select().from(govAttendance).where(and(eq(govAttendance.tenantId, tenantId), eq(govAttendance.meetingId, meetingId)));
}

/** Record (or change) how a member attends. Proxies only where the rules allow; the holder is present and entitled; no chains. */
export async function recordAttendance(db: Db, actor: Actor, meetingId: string, input: AttendanceInput): Promise<void> {
  const parsed = AttendanceInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the attendance.', fieldIssues(parsed.error), 'gov.core.error.fix');
  const a = parsed.data;
  await db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    if (!(await canKeepAttendance(tx, actor, m))) throw new AppError('not_found', 'That meeting was not found.', [], 'gov.core.error.meetingNotFound');
    if (m.status !== 'called' && m.status !== 'held') throw new AppError('conflict', 'Attendance is kept once the meeting is called.', [], 'gov.core.error.notCalled');
    const entitled = new Set(await entitledIds(tx, actor.tenantId, m));
    if (!entitled.has(a.memberId)) throw new AppError('validation_failed', 'That member is not entitled to attend.', [{ field: 'memberId', message: 'gov.core.error.notEntitled' }], 'gov.core.error.fix');
    const current = await attendanceOf(tx, actor.tenantId, meetingId);
    if (a.mode === 'proxy') {
      const settings = await governanceSettings(tx, actor.tenantId);
      if (!settings.proxiesAllowed) throw new AppError('validation_failed', 'The rules do not allow proxies.', [{ field: 'mode', message: 'gov.core.error.noProxies' }], 'gov.core.error.fix');
      if (!a.proxyHolderId) throw new AppError('validation_failed', 'Choose who holds the proxy.', [{ field: 'proxyHolderId', message: 'gov.core.error.proxyHolder' }], 'gov.core.error.fix');
      if (a.proxyHolderId === a.memberId || !entitled.has(a.proxyHolderId)) throw new AppError('validation_failed', 'The proxy holder must be another member entitled to attend.', [{ field: 'proxyHolderId', message: 'gov.core.error.proxyHolder' }], 'gov.core.error.fix');
      const holder = current.find((x) => x.memberId === a.proxyHolderId);
      if (!holder || (holder.mode !== 'in_person' && holder.mode !== 'online')) throw new AppError('validation_failed', 'The proxy holder must be present.', [{ field: 'proxyHolderId', message: 'gov.core.error.proxyAbsent' }], 'gov.core.error.fix');
    } else if (a.proxyHolderId) {
      throw new AppError('validation_failed', 'Only a proxy has a holder.', [{ field: 'proxyHolderId', message: 'gov.core.error.proxyOnly' }], 'gov.core.error.fix');
    }
    // A member who holds proxies must stay present; nobody present can also be represented (no chains).
    if (a.mode !== 'in_person' && a.mode !== 'online' && current.some((x) => x.mode === 'proxy' && x.proxyHolderId === a.memberId)) {
      throw new AppError('validation_failed', 'This member holds a proxy for someone: record that proxy first.', [{ field: 'mode', message: 'gov.core.error.holdsProxy' }], 'gov.core.error.fix');
    }
    await tx
      .insert(govAttendance)
      .values({ tenantId: actor.tenantId, meetingId, memberId: a.memberId, mode: a.mode, proxyHolderId: a.mode === 'proxy' ? a.proxyHolderId : null, recordedBy: actor.memberId })
      .onConflictDoUpdate({ target: [govAttendance.tenantId, govAttendance.meetingId, govAttendance.memberId], set: { mode: a.mode, proxyHolderId: a.mode === 'proxy' ? a.proxyHolderId : null, recordedBy: actor.memberId, recordedAt: sql`now()` } });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.attendance.record', entity: 'gov_meeting', entityId: meetingId, data: { mode: a.mode } });
  });
}

export async function removeAttendance(db: Db, actor: Actor, meetingId: string, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const m = await lockMeeting(tx, actor.tenantId, meetingId);
    if (!(await canKeepAttendance(tx, actor, m))) throw notFound();
    const current = await attendanceOf(tx, actor.tenantId, meetingId);
    if (current.some((x) => x.mode === 'proxy' && x.proxyHolderId === memberId)) throw new AppError('validation_failed', 'This member holds a proxy for someone: record that proxy first.', [{ field: 'mode', message: 'gov.core.error.holdsProxy' }], 'gov.core.error.fix');
    if (!isUuid(memberId)) throw notFound();
    await tx.delete(govAttendance).where(and(eq(govAttendance.tenantId, actor.tenantId), eq(govAttendance.meetingId, meetingId), eq(govAttendance.memberId, memberId)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.attendance.remove', entity: 'gov_meeting', entityId: meetingId, data: {} });
  });
}

/** The live quorum: the rule and entitled count fixed when called (the current rules before that). */
export async function quorumOf(db: Executor, m: GovMeeting, opts: { excluding?: readonly string[] } = {}): Promise<QuorumResult> {
  const ids = await entitledIds(db, m.tenantId, m);
  const settings = m.quorumKind && m.quorumValue !== null ? null : await governanceSettings(db, m.tenantId);
  const rule = settings ? quorumRuleFor(settings, m.kind) : { kind: m.quorumKind!, value: m.quorumValue! };
  return computeQuorum({ rule, entitled: m.entitledCount ?? ids.length, entitledIds: ids, attendance: await attendanceOf(db, m.tenantId, m.id), excluding: opts.excluding ?? [] });
}

/** Present voters: present members, plus those represented by a present proxy holder (one entry per vote). */
export async function presentVoterIds(db: Executor, tenantId: string, meetingId: string): Promise<string[]> {
  const rows = await attendanceOf(db, tenantId, meetingId);
  const here = new Set(rows.filter((r) => r.mode === 'in_person' || r.mode === 'online').map((r) => r.memberId));
  const proxies = rows.filter((r) => r.mode === 'proxy' && r.proxyHolderId && here.has(r.proxyHolderId)).map((r) => r.memberId);
  return [...here, ...proxies];
}

export type { AttendanceMode };
