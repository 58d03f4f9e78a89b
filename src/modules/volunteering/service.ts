import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit, appendAuditMany } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { memberCards } from '../membership/views.ts';
import { dbsChecks, DBS_DECISIONS, DBS_LEVELS, DBS_OUTCOMES, volunteerHours, volunteeringActivities, type ActivityRow, type DbsRow, type HoursRow } from './schema.ts';

// ---------------------------------------------------------------------------------------------
// Dates (calendar days in Europe/London, as 'YYYY-MM-DD')

/** A calendar date plus (or minus) whole months, clamped to the month's last day. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** '2026-Q4' for a calendar date. */
export function quarterOf(day: string): string {
  const month = Number(day.slice(5, 7));
  return `${day.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** First and last day of the calendar quarter holding `day`. */
export function quarterBounds(day: string): { from: string; to: string } {
  const month = Number(day.slice(5, 7));
  const startMonth = Math.floor((month - 1) / 3) * 3 + 1;
  const from = `${day.slice(0, 4)}-${String(startMonth).padStart(2, '0')}-01`;
  return { from, to: addDays(addMonths(from, 3), -1) };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
function isRealDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
const day = (key: 'volunteering.error.date' | 'volunteering.dbs.error.checkedOn' | 'volunteering.dbs.error.renewalOn' | 'volunteering.dbs.error.decisionOn') => z.string(key).trim().refine(isRealDay, key);

function refuse(fields: FieldIssue[], message = 'Check the highlighted fields.'): never {
  throw new AppError('validation_failed', message, fields);
}

// ---------------------------------------------------------------------------------------------
// Activities

export const SEED_ACTIVITIES = [
  { key: 'group_session', en: 'Running a group session', pl: 'Prowadzenie zajęć grupowych' },
  { key: 'street_champion', en: 'Street champion round', pl: 'Obchód lidera/liderki ulicy' },
  { key: 'event_help', en: 'Event help', pl: 'Pomoc przy wydarzeniu' },
  { key: 'governor_meeting', en: 'Parent governor meeting', pl: 'Spotkanie rady szkoły (przedstawiciel rodziców)' },
  { key: 'training_others', en: 'Training others', pl: 'Szkolenie innych' },
  { key: 'office_admin', en: 'Office and admin', pl: 'Biuro i administracja' },
  { key: 'other', en: 'Other', pl: 'Inne' },
] as const;

/** Per-tenant defaults: the seeded activities that are missing (idempotent). */
export async function seedActivities(tx: Executor, tenantId: string): Promise<void> {
  await tx
    .insert(volunteeringActivities)
    .values(SEED_ACTIVITIES.map((a, i) => ({ tenantId, id: newId(), key: a.key, titleEn: a.en, titlePl: a.pl, sort: (i + 1) * 10 })))
    .onConflictDoNothing();
}

export async function listActivities(db: Executor, tenantId: string, opts: { activeOnly?: boolean } = {}): Promise<ActivityRow[]> {
  return db
    .select()
    .from(volunteeringActivities)
    .where(and(eq(volunteeringActivities.tenantId, tenantId), opts.activeOnly ? eq(volunteeringActivities.active, true) : undefined))
    .orderBy(asc(volunteeringActivities.sort), asc(volunteeringActivities.titleEn));
}

export const ActivityInput = z.object({
  id: z.union([z.literal(''), z.string().refine(isUuid, 'volunteering.error.activity')]).optional(),
  titleEn: z.string('volunteering.error.titleEn').trim().min(1, 'volunteering.error.titleEn').max(80, 'volunteering.error.titleEn'),
  titlePl: z.string('volunteering.error.titlePl').trim().min(1, 'volunteering.error.titlePl').max(80, 'volunteering.error.titlePl'),
  active: z.enum(['yes', 'no']).optional(),
});

/** Add an activity (no id) or change one's titles and whether volunteers can pick it. */
export async function saveActivity(db: Db, actor: Actor, form: Record<string, unknown>): Promise<string> {
  requirePermission(actor, 'hours.approve', 'Only coordinators change activities.', 'volunteering.error.forbidden');
  const parsed = ActivityInput.safeParse(form);
  if (!parsed.success) refuse(fieldIssues(parsed.error));
  const input = parsed.data;
  return db.transaction(async (tx) => {
    let id = input.id || '';
    if (id) {
      const done = await tx
        .update(volunteeringActivities)
        .set({ titleEn: input.titleEn, titlePl: input.titlePl, active: input.active !== 'no' })
        .where(and(eq(volunteeringActivities.tenantId, actor.tenantId), eq(volunteeringActivities.id, id)))
        .returning({ id: volunteeringActivities.id });
      if (!done.length) throw new AppError('not_found', 'That activity was not found.', [], 'volunteering.error.activityNotFound');
    } else {
      id = newId();
      await tx.insert(volunteeringActivities).values({ tenantId: actor.tenantId, id, titleEn: input.titleEn, titlePl: input.titlePl, active: input.active !== 'no', sort: 500 });
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: input.id ? 'volunteering.activity.update' : 'volunteering.activity.create', entity: 'volunteering_activity', entityId: id });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Hours

/** Most one entry may hold (16 hours) and one member's day (24 hours), in minutes. */
export const MAX_ENTRY_MINUTES = 16 * 60;
export const MAX_DAY_MINUTES = 24 * 60;
export const NOTE_MAX = 500;

const wholeNumber = (key: 'volunteering.error.hours' | 'volunteering.error.minutes', max: number) =>
  z.union([z.literal('').transform(() => 0), z.coerce.number(key).int(key).min(0, key).max(max, key)], key);

export const HoursInput = z.object({
  workedOn: day('volunteering.error.date'),
  activityId: z.string('volunteering.error.activity').refine(isUuid, 'volunteering.error.activity'),
  hours: wholeNumber('volunteering.error.hours', 24),
  minutes: wholeNumber('volunteering.error.minutes', 59),
  note: z.string().trim().max(NOTE_MAX, 'volunteering.error.note').default(''),
});
export type HoursInput = z.output<typeof HoursInput>;

export const ClientKey = z.string('volunteering.error.token').regex(/^[A-Za-z0-9_-]{16,100}$/, 'volunteering.error.token');

/** The field checks of an entry, with today's date in Europe/London (injected `now`). */
export function checkHours(form: Record<string, unknown>, now: Date): HoursInput & { total: number } {
  const parsed = HoursInput.safeParse(form);
  if (!parsed.success) refuse(fieldIssues(parsed.error));
  const input = parsed.data;
  const today = isoDate(now);
  const fields: FieldIssue[] = [];
  if (input.workedOn > today) fields.push({ field: 'workedOn', message: 'volunteering.error.future' });
  else if (input.workedOn < addMonths(today, -12)) fields.push({ field: 'workedOn', message: 'volunteering.error.tooOld' });
  const total = input.hours * 60 + input.minutes;
  if (total <= 0) fields.push({ field: 'hours', message: 'volunteering.error.zero' });
  else if (total > MAX_ENTRY_MINUTES) fields.push({ field: 'hours', message: 'volunteering.error.tooLong' });
  if (fields.length) refuse(fields);
  return { ...input, total };
}

async function lockMemberDay(tx: Executor, tenantId: string, memberId: string, workedOn: string): Promise<void> {
  // Two submits for the same member and day (two tabs, a retry) are serialised, so the day's total
  // is checked against committed entries.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`volunteer_hours:${tenantId}:${memberId}:${workedOn}`}, 0))`);
}

async function checkDayTotal(tx: Executor, tenantId: string, memberId: string, workedOn: string, minutes: number, exceptId?: string): Promise<void> {
  const [row] = await tx
    .select({ total: sql<number>`coalesce(sum(${volunteerHours.minutes}), 0)::int` })
    .from(volunteerHours)
    .where(and(eq(volunteerHours.tenantId, tenantId), eq(volunteerHours.memberId, memberId), eq(volunteerHours.workedOn, workedOn), exceptId ? sql`${volunteerHours.id} <> ${exceptId}` : undefined));
  if ((row?.total ?? 0) + minutes > MAX_DAY_MINUTES) refuse([{ field: 'hours', message: 'volunteering.error.dayTotal' }]);
}

async function activeActivity(tx: Executor, tenantId: string, id: string): Promise<void> {
  const [row] = await tx
    .select({ id: volunteeringActivities.id })
    .from(volunteeringActivities)
    .where(and(eq(volunteeringActivities.tenantId, tenantId), eq(volunteeringActivities.id, id), eq(volunteeringActivities.active, true)));
  if (!row) refuse([{ field: 'activityId', message: 'volunteering.error.activity' }]);
}

/**
 * A volunteer logs their own hours. The form token (or the API's Idempotency-Key) is stored with
 * the entry: the same token again answers the first entry (duplicate: true) and stores nothing.
 */
export async function logHours(db: Db, actor: Actor, form: Record<string, unknown>, now: Date): Promise<{ id: string; duplicate: boolean }> {
  const key = ClientKey.safeParse(form.clientKey);
  if (!key.success) refuse(fieldIssues(key.error).map((f) => ({ ...f, field: 'clientKey' })));
  const input = checkHours(form, now);
  return db.transaction(async (tx) => {
    await lockMemberDay(tx, actor.tenantId, actor.memberId, input.workedOn);
    const [existing] = await tx
      .select({ id: volunteerHours.id })
      .from(volunteerHours)
      .where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.memberId, actor.memberId), eq(volunteerHours.clientKey, key.data)));
    if (existing) return { id: existing.id, duplicate: true };
    await activeActivity(tx, actor.tenantId, input.activityId);
    await checkDayTotal(tx, actor.tenantId, actor.memberId, input.workedOn, input.total);
    const id = newId();
    const inserted = await tx
      .insert(volunteerHours)
      .values({ tenantId: actor.tenantId, id, memberId: actor.memberId, activityId: input.activityId, workedOn: input.workedOn, minutes: input.total, note: input.note, clientKey: key.data })
      .onConflictDoNothing()
      .returning({ id: volunteerHours.id });
    if (!inserted.length) {
      // The same token on another day's lock: the first entry won.
      const [first] = await tx.select({ id: volunteerHours.id }).from(volunteerHours).where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.memberId, actor.memberId), eq(volunteerHours.clientKey, key.data)));
      return { id: first?.id ?? '', duplicate: true };
    }
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'volunteering.hours.log', entity: 'volunteer_hours', entityId: id });
    return { id, duplicate: false };
  });
}

/** One of the actor's own entries (404 for anyone else's: the id says nothing). */
export async function ownEntry(db: Executor, actor: Actor, id: string): Promise<HoursRow> {
  const [row] = isUuid(id) ? await db.select().from(volunteerHours).where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.id, id), eq(volunteerHours.memberId, actor.memberId))) : [];
  if (!row) throw new AppError('not_found', 'That entry was not found.', [], 'volunteering.error.entryNotFound');
  return row;
}

/** The volunteer changes a submitted or queried entry (which goes back to submitted); approved entries are locked. */
export async function editHours(db: Db, actor: Actor, id: string, form: Record<string, unknown>, now: Date): Promise<void> {
  await ownEntry(db, actor, id);
  const input = checkHours(form, now);
  await db.transaction(async (tx) => {
    await lockMemberDay(tx, actor.tenantId, actor.memberId, input.workedOn);
    const [row] = await tx
      .select()
      .from(volunteerHours)
      .where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.id, id), eq(volunteerHours.memberId, actor.memberId)))
      .for('update');
    if (!row) throw new AppError('not_found', 'That entry was not found.', [], 'volunteering.error.entryNotFound');
    if (row.status === 'approved') throw new AppError('conflict', 'Approved hours are locked and cannot be changed.', [], 'volunteering.error.locked');
    if (input.activityId !== row.activityId) await activeActivity(tx, actor.tenantId, input.activityId);
    await checkDayTotal(tx, actor.tenantId, actor.memberId, input.workedOn, input.total, id);
    await tx
      .update(volunteerHours)
      .set({ workedOn: input.workedOn, activityId: input.activityId, minutes: input.total, note: input.note, status: 'submitted', question: '', decidedBy: null, decidedAt: null, updatedAt: sql`now()` })
      .where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.id, id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'volunteering.hours.resubmit', entity: 'volunteer_hours', entityId: id, data: { from: row.status } });
  });
}

export const Decision = z.object({
  action: z.enum(['approve', 'query'], 'volunteering.error.action'),
  ids: z.array(z.string().refine(isUuid, 'volunteering.error.entryNotFound'), 'volunteering.error.noneSelected').min(1, 'volunteering.error.noneSelected').max(500, 'volunteering.error.tooMany'),
  question: z.string().trim().max(NOTE_MAX, 'volunteering.error.question').default(''),
});

/**
 * A coordinator approves or queries entries, one or many at once. All or nothing: an entry of the
 * coordinator's own (nobody approves their own hours), an unknown id, or an entry already approved
 * refuses the whole batch with a message and changes nothing.
 */
export async function decideHours(db: Db, actor: Actor, form: { action?: unknown; ids?: unknown; question?: unknown }): Promise<number> {
  requirePermission(actor, 'hours.approve', 'Only coordinators approve hours.', 'volunteering.error.forbidden');
  const parsed = Decision.safeParse(form);
  if (!parsed.success) refuse(fieldIssues(parsed.error).map((f) => ({ ...f, field: f.field.startsWith('ids') ? 'ids' : f.field })));
  const { action, question } = parsed.data;
  const ids = [...new Set(parsed.data.ids)];
  if (action === 'query' && !question) refuse([{ field: 'question', message: 'volunteering.error.questionNeeded' }]);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: volunteerHours.id, memberId: volunteerHours.memberId, status: volunteerHours.status })
      .from(volunteerHours)
      .where(and(eq(volunteerHours.tenantId, actor.tenantId), inArray(volunteerHours.id, ids)))
      .orderBy(asc(volunteerHours.id))
      .for('update');
    if (rows.length !== ids.length) throw new AppError('not_found', 'One of those entries was not found.', [], 'volunteering.error.entryNotFound');
    if (rows.some((r) => r.memberId === actor.memberId)) throw new AppError('forbidden', 'Nobody approves or queries their own hours: ask another coordinator.', [], 'volunteering.error.ownHours');
    if (rows.some((r) => r.status === 'approved')) throw new AppError('conflict', 'One of those entries is already approved.', [], 'volunteering.error.alreadyApproved');
    if (action === 'query' && rows.some((r) => r.status === 'queried')) throw new AppError('conflict', 'One of those entries is already waiting for an answer.', [], 'volunteering.error.alreadyQueried');
    await tx
      .update(volunteerHours)
      .set({ status: action === 'approve' ? 'approved' : 'queried', question: action === 'query' ? question : '', decidedBy: actor.memberId, decidedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(volunteerHours.tenantId, actor.tenantId), inArray(volunteerHours.id, ids)));
    await appendAuditMany(
      tx,
      actor.tenantId,
      ids.map((id) => ({ actor: actor.memberId, action: action === 'approve' ? 'volunteering.hours.approve' : 'volunteering.hours.query', entity: 'volunteer_hours', entityId: id })),
    );
    return ids.length;
  });
}

export interface EntryView extends HoursRow {
  activityEn: string;
  activityPl: string;
}

const entryColumns = {
  tenantId: volunteerHours.tenantId,
  id: volunteerHours.id,
  memberId: volunteerHours.memberId,
  activityId: volunteerHours.activityId,
  workedOn: volunteerHours.workedOn,
  minutes: volunteerHours.minutes,
  note: volunteerHours.note,
  status: volunteerHours.status,
  question: volunteerHours.question,
  clientKey: volunteerHours.clientKey,
  decidedBy: volunteerHours.decidedBy,
  decidedAt: volunteerHours.decidedAt,
  isDemo: volunteerHours.isDemo,
  createdAt: volunteerHours.createdAt,
  updatedAt: volunteerHours.updatedAt,
  activityEn: volunteeringActivities.titleEn,
  activityPl: volunteeringActivities.titlePl,
};

function withActivity() {
  return and(eq(volunteeringActivities.tenantId, volunteerHours.tenantId), eq(volunteeringActivities.id, volunteerHours.activityId));
}

/** A member's own entries, newest first. */
export async function myEntries(db: Executor, actor: Actor, limit = 100): Promise<EntryView[]> {
  return db
    .select(entryColumns)
    .from(volunteerHours)
    .innerJoin(volunteeringActivities, withActivity())
    .where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.memberId, actor.memberId)))
    .orderBy(desc(volunteerHours.workedOn), desc(volunteerHours.createdAt))
    .limit(limit);
}

export interface MyTotals {
  quarterMinutes: number;
  allMinutes: number;
  waiting: number;
  queried: number;
}

/** The member's own approved minutes this quarter and all time, and what waits (for them or a coordinator). */
export async function myTotals(db: Executor, tenantId: string, memberId: string, now: Date): Promise<MyTotals> {
  const q = quarterBounds(isoDate(now));
  const [row] = await db
    .select({
      quarterMinutes: sql<number>`coalesce(sum(${volunteerHours.minutes}) FILTER (WHERE ${volunteerHours.status} = 'approved' AND ${volunteerHours.workedOn} BETWEEN ${q.from} AND ${q.to}), 0)::int`,
      allMinutes: sql<number>`coalesce(sum(${volunteerHours.minutes}) FILTER (WHERE ${volunteerHours.status} = 'approved'), 0)::int`,
      waiting: sql<number>`count(*) FILTER (WHERE ${volunteerHours.status} = 'submitted')::int`,
      queried: sql<number>`count(*) FILTER (WHERE ${volunteerHours.status} = 'queried')::int`,
    })
    .from(volunteerHours)
    .where(and(eq(volunteerHours.tenantId, tenantId), eq(volunteerHours.memberId, memberId)));
  return row ?? { quarterMinutes: 0, allMinutes: 0, waiting: 0, queried: 0 };
}

export interface QueueEntry extends EntryView {
  memberName: string;
  memberNumber: number;
  memberIsDemo: boolean;
}

/** Entries waiting for a coordinator (submitted), oldest first, with who logged them. */
export async function approvalQueue(db: Executor, actor: Actor, limit = 200): Promise<QueueEntry[]> {
  requirePermission(actor, 'hours.approve', 'Only coordinators approve hours.', 'volunteering.error.forbidden');
  const rows = await db
    .select(entryColumns)
    .from(volunteerHours)
    .innerJoin(volunteeringActivities, withActivity())
    .where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.status, 'submitted')))
    .orderBy(asc(volunteerHours.workedOn), asc(volunteerHours.createdAt))
    .limit(limit);
  const cards = new Map((await memberCards(db, actor.tenantId, [...new Set(rows.map((r) => r.memberId))])).map((c) => [c.id, c]));
  return rows.map((r) => ({ ...r, memberName: cards.get(r.memberId)?.name ?? '', memberNumber: cards.get(r.memberId)?.memberNumber ?? 0, memberIsDemo: cards.get(r.memberId)?.isDemo ?? false }));
}

export type Period = 'month' | 'quarter';

export interface HoursTotals {
  people: Array<{ memberId: string; name: string; memberNumber: number; isDemo: boolean; minutes: number }>;
  wards: Array<{ wardId: string | null; minutes: number; volunteers: number }>;
  periods: Array<{ period: string; minutes: number; volunteers: number }>;
  minutes: number;
  anyDemo: boolean;
}

/** Approved hours between two dates, per person, per ward (the member's ward now) and per month or quarter. */
export async function hoursTotals(db: Executor, actor: Actor, range: { from: string; to: string; period: Period }): Promise<HoursTotals> {
  requirePermission(actor, 'hours.approve', 'Only coordinators see everyone’s hours.', 'volunteering.error.forbidden');
  const periodSql = range.period === 'month' ? sql<string>`to_char(${volunteerHours.workedOn}, 'YYYY-MM')` : sql<string>`to_char(${volunteerHours.workedOn}, 'YYYY-"Q"Q')`;
  const rows = await db
    .select({ memberId: volunteerHours.memberId, period: periodSql, minutes: sql<number>`sum(${volunteerHours.minutes})::int`, demo: sql<boolean>`bool_or(${volunteerHours.isDemo})` })
    .from(volunteerHours)
    .where(and(eq(volunteerHours.tenantId, actor.tenantId), eq(volunteerHours.status, 'approved'), gte(volunteerHours.workedOn, range.from), lte(volunteerHours.workedOn, range.to)))
    .groupBy(volunteerHours.memberId, periodSql);
  const cards = new Map((await memberCards(db, actor.tenantId, [...new Set(rows.map((r) => r.memberId))])).map((c) => [c.id, c]));
  const people = new Map<string, HoursTotals['people'][number]>();
  const wards = new Map<string | null, { minutes: number; members: Set<string> }>();
  const periods = new Map<string, { minutes: number; members: Set<string> }>();
  let anyDemo = false;
  for (const r of rows) {
    const card = cards.get(r.memberId);
    anyDemo ||= r.demo || !!card?.isDemo;
    const p = people.get(r.memberId) ?? { memberId: r.memberId, name: card?.name ?? '', memberNumber: card?.memberNumber ?? 0, isDemo: !!card?.isDemo, minutes: 0 };
    p.minutes += r.minutes;
    people.set(r.memberId, p);
    const wardId = card?.wardId ?? null;
    const w = wards.get(wardId) ?? { minutes: 0, members: new Set<string>() };
    w.minutes += r.minutes;
    w.members.add(r.memberId);
    wards.set(wardId, w);
    const q = periods.get(r.period) ?? { minutes: 0, members: new Set<string>() };
    q.minutes += r.minutes;
    q.members.add(r.memberId);
    periods.set(r.period, q);
  }
  return {
    people: [...people.values()].sort((a, b) => b.minutes - a.minutes || a.memberNumber - b.memberNumber),
    wards: [...wards].map(([wardId, w]) => ({ wardId, minutes: w.minutes, volunteers: w.members.size })).sort((a, b) => b.minutes - a.minutes),
    periods: [...periods].map(([period, q]) => ({ period, minutes: q.minutes, volunteers: q.members.size })).sort((a, b) => (a.period < b.period ? -1 : 1)),
    minutes: rows.reduce((s, r) => s + r.minutes, 0),
    anyDemo,
  };
}

// ---------------------------------------------------------------------------------------------
// DBS checks (SECURITY.md 14): coordinators and the safeguarding lead only, every view audited

/** DBS certificate numbers are 12 digits. */
const CERTIFICATE = /^\d{12}$/;
export const REFERENCE_MAX = 40;

const optionalDay = (key: 'volunteering.dbs.error.renewalOn' | 'volunteering.dbs.error.decisionOn') => z.union([z.literal(''), day(key)]).default('');

export const DbsInput = z.object({
  checkedOn: day('volunteering.dbs.error.checkedOn'),
  certificateNumber: z.string('volunteering.dbs.error.certificate').trim().transform((s) => s.replaceAll(/[\s-]/g, '')).refine((s) => CERTIFICATE.test(s), 'volunteering.dbs.error.certificate'),
  level: z.enum(DBS_LEVELS, 'volunteering.dbs.error.level'),
  outcome: z.enum(DBS_OUTCOMES, 'volunteering.dbs.error.outcome'),
  updateService: z.enum(['yes', 'no'], 'volunteering.dbs.error.updateService'),
  renewalOn: optionalDay('volunteering.dbs.error.renewalOn'),
  decisionOn: optionalDay('volunteering.dbs.error.decisionOn'),
  decision: z.union([z.literal(''), z.enum(DBS_DECISIONS)], 'volunteering.dbs.error.decision').default(''),
  reference: z.string().trim().max(REFERENCE_MAX, 'volunteering.dbs.error.reference').default(''),
});
export type DbsInput = z.output<typeof DbsInput>;

function checkDbs(form: Record<string, unknown>, now: Date) {
  const parsed = DbsInput.safeParse(form);
  if (!parsed.success) refuse(fieldIssues(parsed.error));
  const input = parsed.data;
  const today = isoDate(now);
  const fields: FieldIssue[] = [];
  if (input.checkedOn > today) fields.push({ field: 'checkedOn', message: 'volunteering.dbs.error.checkedFuture' });
  const renewalOn = input.renewalOn || addMonths(input.checkedOn, 36);
  if (renewalOn <= input.checkedOn) fields.push({ field: 'renewalOn', message: 'volunteering.dbs.error.renewalBefore' });
  if (!!input.decision !== !!input.decisionOn) fields.push({ field: input.decision ? 'decisionOn' : 'decision', message: 'volunteering.dbs.error.decisionPair' });
  if (input.decisionOn && input.decisionOn < input.checkedOn) fields.push({ field: 'decisionOn', message: 'volunteering.dbs.error.decisionBefore' });
  if (input.decisionOn && input.decisionOn > today) fields.push({ field: 'decisionOn', message: 'volunteering.dbs.error.decisionFuture' });
  if (fields.length) refuse(fields);
  return {
    checkedOn: input.checkedOn,
    certificateNumber: input.certificateNumber,
    level: input.level,
    outcome: input.outcome,
    updateService: input.updateService === 'yes',
    renewalOn,
    decisionOn: input.decisionOn || null,
    decision: input.decision || null,
    reference: input.reference,
  };
}

const DBS_READERS = 'Only coordinators and the safeguarding lead see DBS checks.';

/** Record a DBS check for a member (found by member number on the form). */
export async function createDbsCheck(db: Db, actor: Actor, memberId: string, form: Record<string, unknown>, now: Date): Promise<string> {
  requirePermission(actor, 'dbs.manage', DBS_READERS, 'volunteering.dbs.error.forbidden');
  let values: ReturnType<typeof checkDbs> | undefined;
  let fields: FieldIssue[] = [];
  try {
    values = checkDbs(form, now);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    fields = err.fields;
  }
  const [card] = isUuid(memberId) ? await memberCards(db, actor.tenantId, [memberId]) : [];
  if (!card || card.status === 'erased') fields.unshift({ field: 'memberId', message: 'volunteering.dbs.error.member' });
  if (fields.length || !values) refuse(fields);
  return db.transaction(async (tx) => {
    const id = newId();
    await tx.insert(dbsChecks).values({ tenantId: actor.tenantId, id, memberId, ...values });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'dbs.create', entity: 'dbs_check', entityId: id, data: { memberId } });
    return id;
  });
}

/** Change a DBS check's details (a reduced record cannot be filled in again: record a new check). */
export async function updateDbsCheck(db: Db, actor: Actor, id: string, form: Record<string, unknown>, now: Date): Promise<void> {
  requirePermission(actor, 'dbs.manage', DBS_READERS, 'volunteering.dbs.error.forbidden');
  // An unknown id (another tenant's, malformed) is a 404 before any field is checked.
  const [known] = isUuid(id) ? await db.select({ id: dbsChecks.id }).from(dbsChecks).where(and(eq(dbsChecks.tenantId, actor.tenantId), eq(dbsChecks.id, id))) : [];
  if (!known) throw new AppError('not_found', 'That DBS check was not found.', [], 'volunteering.dbs.error.notFound');
  const values = checkDbs(form, now);
  await db.transaction(async (tx) => {
    const [row] = isUuid(id) ? await tx.select().from(dbsChecks).where(and(eq(dbsChecks.tenantId, actor.tenantId), eq(dbsChecks.id, id))).for('update') : [];
    if (!row) throw new AppError('not_found', 'That DBS check was not found.', [], 'volunteering.dbs.error.notFound');
    if (row.reducedAt) throw new AppError('conflict', 'This record was reduced by the retention rule; record a new check instead.', [], 'volunteering.dbs.error.reduced');
    await tx.update(dbsChecks).set({ ...values, updatedAt: sql`now()` }).where(and(eq(dbsChecks.tenantId, actor.tenantId), eq(dbsChecks.id, id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'dbs.update', entity: 'dbs_check', entityId: id, data: { memberId: row.memberId } });
  });
}

export interface DbsView extends DbsRow {
  memberName: string;
  memberNumber: number;
  memberIsDemo: boolean;
}

async function withMembers(db: Executor, tenantId: string, rows: DbsRow[]): Promise<DbsView[]> {
  const cards = new Map((await memberCards(db, tenantId, [...new Set(rows.map((r) => r.memberId))])).map((c) => [c.id, c]));
  return rows.map((r) => ({ ...r, memberName: cards.get(r.memberId)?.name ?? '', memberNumber: cards.get(r.memberId)?.memberNumber ?? 0, memberIsDemo: cards.get(r.memberId)?.isDemo ?? false }));
}

/** Every DBS check of the tenant (renewal soonest first); the view is audited, naming the records shown (ids only). */
export async function listDbsChecks(db: Db, actor: Actor): Promise<DbsView[]> {
  requirePermission(actor, 'dbs.read', DBS_READERS, 'volunteering.dbs.error.forbidden');
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(dbsChecks).where(eq(dbsChecks.tenantId, actor.tenantId)).orderBy(sql`${dbsChecks.renewalOn} ASC NULLS LAST`, asc(dbsChecks.id));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'dbs.list_view', entity: 'dbs_check', entityId: 'list', data: { ids: rows.map((r) => r.id) } });
    return withMembers(tx, actor.tenantId, rows);
  });
}

/** One DBS check; the view is audited (who saw which member's record, when). */
export async function viewDbsCheck(db: Db, actor: Actor, id: string): Promise<DbsView> {
  requirePermission(actor, 'dbs.read', DBS_READERS, 'volunteering.dbs.error.forbidden');
  return db.transaction(async (tx) => {
    const [row] = isUuid(id) ? await tx.select().from(dbsChecks).where(and(eq(dbsChecks.tenantId, actor.tenantId), eq(dbsChecks.id, id))) : [];
    if (!row) throw new AppError('not_found', 'That DBS check was not found.', [], 'volunteering.dbs.error.notFound');
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'dbs.view', entity: 'dbs_check', entityId: id, data: { memberId: row.memberId } });
    const [view] = await withMembers(tx, actor.tenantId, [row]);
    return view!;
  });
}

/**
 * The retention rule (privacy.ts): once the recruitment decision is six months old (on `today`),
 * keep only the member, certificate number, reference, decision and renewal date. Store-wide, or one
 * tenant (tests). Idempotent: reduced records are skipped. Audited per record.
 */
export async function retainDbsChecks(db: Db, today: string, opts: { tenantId?: string } = {}): Promise<number> {
  const cutoff = addMonths(today, -6);
  return db.transaction(async (tx) => {
    const reduced = await tx
      .update(dbsChecks)
      .set({ checkedOn: null, level: null, outcome: null, updateService: null, decisionOn: null, reducedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(isNull(dbsChecks.reducedAt), lte(dbsChecks.decisionOn, cutoff), opts.tenantId ? eq(dbsChecks.tenantId, opts.tenantId) : undefined))
      .returning({ tenantId: dbsChecks.tenantId, id: dbsChecks.id });
    const byTenant = new Map<string, string[]>();
    for (const r of reduced) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.id]);
    for (const [tenantId, ids] of byTenant) {
      await appendAuditMany(tx, tenantId, ids.map((id) => ({ actor: 'system:retention', action: 'dbs.reduce', entity: 'dbs_check', entityId: id })));
    }
    return reduced.length;
  });
}
