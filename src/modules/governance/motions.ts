import { and, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { allows, requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { memberCard } from '../membership/views.ts';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { insertDecision, referenceKindOf, registerReferenceKind, type DecisionInput, type MotionDecision } from './decisions.ts';
import { adoptVersion } from './api-documents.ts';
import { boardMembersOn, interestsRelatedTo, meetingQuorum } from './api-board.ts';
import { govAgendaItems, govAttendance, govMeetings, govMotionInterests, govPapers, govMotions, govOfficers, govSettings, type Electorate, type GovMotion, type RecordRef, type ResolutionKind, type VotingMethod } from './schema.ts';
import { decide, ruleText, type Decided } from './thresholds.ts';

/**
 * Motions (issue 12 item 4): tabled by the board (`motions.manage`), or proposed by any member for a
 * general meeting or the AGM (model society rules let members put resolutions to a general meeting;
 * the board still opens them). Proposer and seconder are two different members entitled to vote on
 * it. A motion opens only with a seconder; opening fixes its threshold (50 for ordinary, the rules'
 * `special_threshold_pct` for special) and its ballot rules. In a meeting the chair or secretary
 * records the count (refused while inquorate, the conflicted excluded); online, members vote by
 * secret ballot (ballot.ts) and a job closes it. Closing is one transaction: the motion, the
 * decisions register entry, the referred kind's `onDecided`, the audit row.
 */

export function refuse(code: 'conflict' | 'forbidden' | 'not_found' | 'validation_failed', message: string, key: MessageKey, field = 'motion', params?: Record<string, string | number>): never {
  throw new AppError(code, message, [{ field, message: key }], key, params);
}

export const TITLE_MAX = 200;
export const BODY_MAX = 5000;
export const NOTE_MAX = 500;

export interface MotionInput {
  title: string;
  titlePl?: string | null;
  body: string;
  bodyPl?: string | null;
  kind: ResolutionKind;
  electorate: Electorate;
  voting: VotingMethod;
  meetingId?: string | null;
  refersTo?: RecordRef | null;
  /** Members with a declared interest: recorded on the motion, they cannot vote. */
  conflictedMemberIds?: readonly string[];
  opensAt?: Date | null;
  closesAt?: Date | null;
  /** Only `motions.manage` may name another proposer (a motion moved in the room). Default: the actor. */
  proposerId?: string | null;
  seconderId?: string | null;
}

const text = (max: number, key: MessageKey) => z.string(key).trim().min(1, key).max(max, key);
const optionalText = (max: number, key: MessageKey) =>
  z
    .string()
    .trim()
    .max(max, key)
    .optional()
    .transform((v) => (v ? v : null));

export const MotionShape = z.object({
  title: text(TITLE_MAX, 'gov.motions.error.title'),
  titlePl: optionalText(TITLE_MAX, 'gov.motions.error.title'),
  body: text(BODY_MAX, 'gov.motions.error.body'),
  bodyPl: optionalText(BODY_MAX, 'gov.motions.error.body'),
  kind: z.enum(['ordinary', 'special'], 'gov.motions.error.kind'),
  electorate: z.enum(['board', 'members'], 'gov.motions.error.electorate'),
  voting: z.enum(['in_meeting', 'secret_online'], 'gov.motions.error.voting'),
});

/** May this member vote on a motion of this electorate on this date: on the board then, or an active member. */
export async function entitledOn(db: Executor, tenantId: string, electorate: Electorate, memberId: string, on: string): Promise<boolean> {
  if (electorate === 'board') return (await boardMembersOn(db, tenantId, on)).some((b) => b.memberId === memberId);
  const card = await memberCard(db, tenantId, memberId);
  return card?.status === 'active';
}

async function nameOf(db: Executor, tenantId: string, memberId: string): Promise<string> {
  return (await memberCard(db, tenantId, memberId))?.name ?? '';
}

export async function motionById(db: Executor, tenantId: string, id: string): Promise<GovMotion | undefined> {
  if (!isUuid(id)) return undefined;
  const [m] = await db.select().from(govMotions).where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.id, id)));
  return m;
}

async function lockMotion(tx: Executor, tenantId: string, id: string): Promise<GovMotion> {
  const [m] = isUuid(id) ? await tx.select().from(govMotions).where(and(eq(govMotions.tenantId, tenantId), eq(govMotions.id, id))).for('update') : [];
  if (!m) refuse('not_found', 'That motion was not found.', 'gov.motions.error.notFound');
  return m;
}

async function meetingOf(db: Executor, tenantId: string, id: string) {
  const [m] = isUuid(id) ? await db.select().from(govMeetings).where(and(eq(govMeetings.tenantId, tenantId), eq(govMeetings.id, id))) : [];
  return m;
}

/** Table a motion (a draft). Returns its id. */
export async function createMotion(db: Db, actor: Actor, input: MotionInput, now: Date, opts: { isDemo?: boolean } = {}): Promise<string> {
  const manager = allows('motions.manage', actor.roles);
  const today = isoDate(now);
  const shape = MotionShape.safeParse(input);
  if (!shape.success) throw new AppError('validation_failed', 'Check the highlighted fields.', shape.error.issues.map((i) => ({ field: String(i.path[0] ?? 'motion'), message: i.message })));
  const v = shape.data;
  const meeting = input.meetingId ? await meetingOf(db, actor.tenantId, input.meetingId) : undefined;
  if (input.meetingId && !meeting) refuse('validation_failed', 'That meeting was not found.', 'gov.motions.error.meetingNotFound', 'meetingId');
  if (!manager && !(v.electorate === 'members' && v.voting === 'in_meeting' && meeting && (meeting.kind === 'general' || meeting.kind === 'agm'))) {
    refuse('forbidden', 'Members may propose motions for a general meeting or the AGM only; the board tables the others.', 'gov.motions.error.mayNotTable');
  }
  if (v.voting === 'in_meeting' && !meeting) refuse('validation_failed', 'A motion voted on in a meeting needs the meeting.', 'gov.motions.error.meetingNeeded', 'meetingId');
  if (meeting) {
    if (meeting.status !== 'draft' && meeting.status !== 'called') refuse('validation_failed', 'That meeting has been held or cancelled.', 'gov.motions.error.meetingPast', 'meetingId');
    if ((v.electorate === 'board') !== (meeting.kind === 'board')) refuse('validation_failed', 'Board motions go to board meetings; members’ motions to general meetings and the AGM.', 'gov.motions.error.meetingKind', 'meetingId');
  }
  if (v.voting === 'secret_online' && input.opensAt && input.closesAt && input.closesAt <= input.opensAt) refuse('validation_failed', 'The ballot must close after it opens.', 'gov.motions.error.times', 'closesAt');
  if (input.proposerId && input.proposerId !== actor.memberId && !manager) refuse('forbidden', 'You may only propose a motion yourself.', 'gov.motions.error.mayNotTable');
  const proposerId = input.proposerId || actor.memberId;
  if (!(await entitledOn(db, actor.tenantId, v.electorate, proposerId, today))) refuse('forbidden', 'The proposer must be entitled to vote on the motion.', 'gov.motions.error.proposerNotEntitled', 'proposerId');
  const seconderId = input.seconderId || null;
  if (seconderId) {
    if (!manager) refuse('forbidden', 'The seconder seconds the motion themselves.', 'gov.motions.error.mayNotTable');
    if (seconderId === proposerId) refuse('validation_failed', 'The seconder must be a different member from the proposer.', 'gov.motions.error.sameSeconder', 'seconderId');
    if (!(await entitledOn(db, actor.tenantId, v.electorate, seconderId, today))) refuse('forbidden', 'The seconder must be entitled to vote on the motion.', 'gov.motions.error.seconderNotEntitled', 'seconderId');
  }
  const id = newId();
  const [proposerName, seconderName] = await Promise.all([nameOf(db, actor.tenantId, proposerId), seconderId ? nameOf(db, actor.tenantId, seconderId) : Promise.resolve('')]);
  await db.transaction(async (tx) => {
    await tx.insert(govMotions).values({
      tenantId: actor.tenantId,
      id,
      meetingId: meeting?.id ?? null,
      title: v.title,
      titlePl: v.titlePl,
      body: v.body,
      bodyPl: v.bodyPl,
      kind: v.kind,
      thresholdPct: 50,
      voting: v.voting,
      electorate: v.electorate,
      proposerId,
      proposerName,
      seconderId,
      seconderName,
      refersKind: input.refersTo?.kind ?? null,
      refersId: input.refersTo?.id ?? null,
      refersLabel: input.refersTo?.label ?? null,
      refersHref: input.refersTo?.href ?? null,
      opensAt: input.opensAt ?? null,
      closesAt: input.closesAt ?? null,
      isDemo: opts.isDemo ?? false,
    });
    const conflicted = [...new Set(input.conflictedMemberIds ?? [])];
    if (conflicted.length) await tx.insert(govMotionInterests).values(conflicted.map((memberId) => ({ tenantId: actor.tenantId, motionId: id, memberId, note: '' }))).onConflictDoNothing();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.motion.create', entity: 'gov_motion', entityId: id, data: { kind: v.kind, voting: v.voting, electorate: v.electorate, refersKind: input.refersTo?.kind ?? null } });
  });
  return id;
}

/** What differs between moving and seconding a draft motion: the column, the words, the audit action. */
const SUPPORT = {
  second: {
    words: { mayNot: 'Only the board records another member as seconder.', verb: 'seconded', already: 'This motion already has a seconder.', notEntitled: 'The seconder must be entitled to vote on the motion.' },
    keys: { already: 'gov.motions.error.alreadySeconded', notEntitled: 'gov.motions.error.seconderNotEntitled' },
    audit: 'governance.motion.second',
  },
  move: {
    words: { mayNot: 'Only the board records another member as proposer.', verb: 'moved', already: 'This motion already has a proposer.', notEntitled: 'The proposer must be entitled to vote on the motion.' },
    keys: { already: 'gov.motions.error.alreadyMoved', notEntitled: 'gov.motions.error.proposerNotEntitled' },
    audit: 'governance.motion.move',
  },
} as const;

/**
 * Second a draft motion, or move one referred by a module (it has no proposer yet): the actor
 * themselves, or (motions.manage) a member doing so in the room. They must be entitled to vote on
 * it, and the proposer and the seconder must be different members.
 */
async function supportMotion(db: Db, actor: Actor, as: keyof typeof SUPPORT, motionId: string, now: Date, memberId: string | undefined): Promise<void> {
  const { words, keys, audit } = SUPPORT[as];
  const who = memberId || actor.memberId;
  if (who !== actor.memberId) requirePermission(actor, 'motions.manage', words.mayNot, 'gov.motions.error.mayNotTable');
  await db.transaction(async (tx) => {
    const m = await lockMotion(tx, actor.tenantId, motionId);
    if (m.status !== 'draft') refuse('conflict', `Only a draft motion can be ${words.verb}.`, 'gov.motions.error.notDraft');
    if (as === 'second' ? m.seconderId : m.proposerId) refuse('conflict', words.already, keys.already);
    if (who === (as === 'second' ? m.proposerId : m.seconderId)) refuse('validation_failed', 'The seconder must be a different member from the proposer.', 'gov.motions.error.sameSeconder');
    if (!(await entitledOn(tx, actor.tenantId, m.electorate, who, isoDate(now)))) refuse('forbidden', words.notEntitled, keys.notEntitled);
    const name = await nameOf(tx, actor.tenantId, who);
    await tx
      .update(govMotions)
      .set(as === 'second' ? { seconderId: who, seconderName: name } : { proposerId: who, proposerName: name })
      .where(and(eq(govMotions.tenantId, actor.tenantId), eq(govMotions.id, m.id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: audit, entity: 'gov_motion', entityId: m.id });
  });
}

/** Second a draft motion: the actor themselves, or (motions.manage) a member seconding in the room. */
export function secondMotion(db: Db, actor: Actor, motionId: string, now: Date, opts: { memberId?: string } = {}): Promise<void> {
  return supportMotion(db, actor, 'second', motionId, now, opts.memberId);
}

/**
 * Move a motion referred by a module (it has no proposer yet): the actor themselves, or
 * (motions.manage) a member moving it in the room. The mover must be entitled and not its seconder.
 */
export function moveMotion(db: Db, actor: Actor, motionId: string, now: Date, opts: { memberId?: string } = {}): Promise<void> {
  return supportMotion(db, actor, 'move', motionId, now, opts.memberId);
}

export interface ReferralInput extends Omit<MotionInput, 'proposerId' | 'seconderId' | 'refersTo'> {
  refersTo: RecordRef;
  /** The paper put before the meeting with the motion (e.g. the result summary). */
  paper?: { title: string; body: string; url?: string | null };
}

/**
 * A module refers one of its records to the board (or the members) as a draft motion with no
 * proposer: in the meeting a board member moves it (`moveMotion`) and another seconds it, then it
 * opens and is voted on under the usual rules. The caller has checked its own permission. On a
 * meeting it adds an agenda item and the paper. Idempotent per record: while a draft or open motion
 * refers to it, that one is returned (a per-record lock serialises two referrals).
 */
export async function referMotion(db: Db, actor: Actor, input: ReferralInput, now: Date, opts: { isDemo?: boolean } = {}): Promise<{ motionId: string; created: boolean }> {
  const shape = MotionShape.safeParse(input);
  if (!shape.success) throw new AppError('validation_failed', 'Check the highlighted fields.', shape.error.issues.map((i) => ({ field: String(i.path[0] ?? 'motion'), message: i.message })));
  const v = shape.data;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${actor.tenantId}:${input.refersTo.kind}:${input.refersTo.id}`}))`);
    const [existing] = await tx
      .select({ id: govMotions.id })
      .from(govMotions)
      .where(and(eq(govMotions.tenantId, actor.tenantId), eq(govMotions.refersKind, input.refersTo.kind), eq(govMotions.refersId, input.refersTo.id), inArray(govMotions.status, ['draft', 'open'])))
      .limit(1);
    if (existing) return { motionId: existing.id, created: false };
    const meeting = input.meetingId ? await meetingOf(tx, actor.tenantId, input.meetingId) : undefined;
    if (input.meetingId && !meeting) refuse('validation_failed', 'That meeting was not found.', 'gov.motions.error.meetingNotFound', 'meetingId');
    if (v.voting === 'in_meeting' && !meeting) refuse('validation_failed', 'A motion voted on in a meeting needs the meeting.', 'gov.motions.error.meetingNeeded', 'meetingId');
    if (meeting) {
      if (meeting.status !== 'draft' && meeting.status !== 'called') refuse('validation_failed', 'That meeting has been held or cancelled.', 'gov.motions.error.meetingPast', 'meetingId');
      if ((v.electorate === 'board') !== (meeting.kind === 'board')) refuse('validation_failed', 'Board motions go to board meetings; members’ motions to general meetings and the AGM.', 'gov.motions.error.meetingKind', 'meetingId');
    }
    if (v.voting === 'secret_online') {
      if (!input.opensAt || !input.closesAt || input.closesAt <= input.opensAt) refuse('validation_failed', 'Set when the ballot opens and closes (closing after opening).', 'gov.motions.error.times', 'closesAt');
      if (input.closesAt <= now) refuse('validation_failed', 'The closing time has passed: set a later one.', 'gov.motions.error.closesPast', 'closesAt');
    }
    const id = newId();
    let itemId: string | null = null;
    if (meeting) {
      const [{ n }] = (await tx.select({ n: sql<number>`coalesce(max(${govAgendaItems.position}), 0)::int` }).from(govAgendaItems).where(and(eq(govAgendaItems.tenantId, actor.tenantId), eq(govAgendaItems.meetingId, meeting.id)))) as [{ n: number }];
      itemId = newId();
      await tx.insert(govAgendaItems).values({ tenantId: actor.tenantId, id: itemId, meetingId: meeting.id, position: n + 1, title: v.title.slice(0, 300), titlePl: v.titlePl?.slice(0, 300) ?? null, body: v.body.slice(0, 5000) });
      if (input.paper) await tx.insert(govPapers).values({ tenantId: actor.tenantId, id: newId(), meetingId: meeting.id, itemId, kind: 'other', title: input.paper.title.slice(0, 300), body: input.paper.body.slice(0, 50_000), url: input.paper.url ?? null });
    }
    await tx.insert(govMotions).values({
      tenantId: actor.tenantId,
      id,
      meetingId: meeting?.id ?? null,
      itemId,
      title: v.title,
      titlePl: v.titlePl,
      body: v.body,
      bodyPl: v.bodyPl,
      kind: v.kind,
      thresholdPct: 50,
      voting: v.voting,
      electorate: v.electorate,
      proposerId: null,
      proposerName: '',
      refersKind: input.refersTo.kind,
      refersId: input.refersTo.id,
      refersLabel: input.refersTo.label ?? null,
      refersHref: input.refersTo.href ?? null,
      opensAt: input.opensAt ?? null,
      closesAt: input.closesAt ?? null,
      isDemo: opts.isDemo ?? false,
    });
    const conflicted = [...new Set(input.conflictedMemberIds ?? [])];
    if (conflicted.length) await tx.insert(govMotionInterests).values(conflicted.map((memberId) => ({ tenantId: actor.tenantId, motionId: id, memberId, note: '' }))).onConflictDoNothing();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.motion.refer', entity: 'gov_motion', entityId: id, data: { kind: v.kind, voting: v.voting, electorate: v.electorate, refersKind: input.refersTo.kind, meetingId: meeting?.id ?? null } });
    return { motionId: id, created: true };
  });
}

async function specialThreshold(db: Executor, tenantId: string): Promise<number> {
  const [s] = await db.select({ pct: govSettings.specialThresholdPct }).from(govSettings).where(eq(govSettings.tenantId, tenantId));
  return s?.pct ?? 75;
}

/** Open a seconded draft for voting: fixes the threshold and the ballot rules; finds standing conflicts. */
export async function openMotion(db: Db, actor: Actor, motionId: string, now: Date): Promise<void> {
  requirePermission(actor, 'motions.manage', 'Only the board opens motions.', 'gov.motions.error.forbidden');
  await db.transaction(async (tx) => {
    const m = await lockMotion(tx, actor.tenantId, motionId);
    if (m.status !== 'draft') refuse('conflict', 'Only a draft motion can be opened.', 'gov.motions.error.notDraft');
    if (!m.proposerId) refuse('conflict', 'A motion referred to the board needs a board member to move it first.', 'gov.motions.error.noProposer');
    if (!m.seconderId) refuse('conflict', 'A motion without a seconder cannot be opened: ask another entitled member to second it.', 'gov.motions.error.noSeconder');
    if (m.voting === 'in_meeting') {
      const meeting = m.meetingId ? await meetingOf(tx, actor.tenantId, m.meetingId) : undefined;
      if (!meeting || (meeting.status !== 'called' && meeting.status !== 'held')) refuse('conflict', 'The meeting has not been called yet: call it (with notice) first.', 'gov.motions.error.meetingNotCalled');
    } else {
      if (!m.opensAt || !m.closesAt || m.closesAt <= m.opensAt) refuse('validation_failed', 'Set when the ballot opens and closes (closing after opening).', 'gov.motions.error.times', 'closesAt');
      if (m.closesAt <= now) refuse('conflict', 'The closing time has passed: set a later one.', 'gov.motions.error.closesPast', 'closesAt');
    }
    const thresholdPct = m.kind === 'special' ? await specialThreshold(tx, actor.tenantId) : 50;
    if (m.refersKind && m.refersId) {
      const found = (await interestsRelatedTo(tx, actor.tenantId, m.refersKind, m.refersId, isoDate(now))).map((f) => ({ memberId: f.memberId, note: f.description }));
      // The owner of the referred record names the members interested in it (e.g. a funded proposal's provider).
      const owner = referenceKindOf(m.refersKind)?.interestedMembers;
      if (owner) found.push(...(await owner(tx, actor.tenantId, m.refersId, isoDate(now))));
      if (found.length) await tx.insert(govMotionInterests).values(found.map((f) => ({ tenantId: actor.tenantId, motionId: m.id, memberId: f.memberId, note: f.note.slice(0, NOTE_MAX), declaredAt: now }))).onConflictDoNothing();
    }
    await tx.update(govMotions).set({ status: 'open', thresholdPct }).where(and(eq(govMotions.tenantId, actor.tenantId), eq(govMotions.id, m.id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.motion.open', entity: 'gov_motion', entityId: m.id, data: { thresholdPct } });
  });
}

/** Declare an interest in a motion (the member, or the board for them): they cannot vote on it. */
export async function declareInterest(db: Db, actor: Actor, motionId: string, input: { note?: string; memberId?: string }, now: Date): Promise<void> {
  const memberId = input.memberId || actor.memberId;
  if (memberId !== actor.memberId) requirePermission(actor, 'motions.manage', 'Only the board records another member’s interest.', 'gov.motions.error.forbidden');
  const note = (input.note ?? '').trim();
  if (note.length > NOTE_MAX) refuse('validation_failed', `Keep the note to ${NOTE_MAX} characters.`, 'gov.motions.error.note', 'note', { max: NOTE_MAX });
  await db.transaction(async (tx) => {
    const m = await lockMotion(tx, actor.tenantId, motionId);
    if (m.status !== 'draft' && m.status !== 'open') refuse('conflict', 'This motion is closed.', 'gov.motions.error.closed');
    await tx.insert(govMotionInterests).values({ tenantId: actor.tenantId, motionId: m.id, memberId, note, declaredAt: now }).onConflictDoNothing();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.motion.interest', entity: 'gov_motion', entityId: m.id });
  });
}

export async function conflictedIds(db: Executor, tenantId: string, motionId: string): Promise<string[]> {
  const rows = await db.select({ id: govMotionInterests.memberId }).from(govMotionInterests).where(and(eq(govMotionInterests.tenantId, tenantId), eq(govMotionInterests.motionId, motionId)));
  return rows.map((r) => r.id);
}

/** The chair of the meeting, or its secretary (a current secretary officer; a current chair officer when the meeting names none). */
async function mayRecordCount(db: Executor, actor: Actor, meetingChairId: string | null, on: string): Promise<boolean> {
  if (meetingChairId && meetingChairId === actor.memberId) return true;
  const offices = await db
    .select({ office: govOfficers.office })
    .from(govOfficers)
    .where(and(eq(govOfficers.tenantId, actor.tenantId), eq(govOfficers.memberId, actor.memberId), lte(govOfficers.startsOn, on), or(isNull(govOfficers.endsOn), sql`${govOfficers.endsOn} >= ${on}`)));
  return offices.some((o) => o.office === 'secretary' || (o.office === 'chair' && !meetingChairId));
}

export interface CountInput {
  for: number;
  against: number;
  abstain: number;
}

const CountShape = z.object({
  for: z.coerce.number('gov.motions.error.count').int('gov.motions.error.count').min(0, 'gov.motions.error.count').max(1_000_000, 'gov.motions.error.count'),
  against: z.coerce.number('gov.motions.error.count').int('gov.motions.error.count').min(0, 'gov.motions.error.count').max(1_000_000, 'gov.motions.error.count'),
  abstain: z.coerce.number('gov.motions.error.count').int('gov.motions.error.count').min(0, 'gov.motions.error.count').max(1_000_000, 'gov.motions.error.count'),
});

/** The chair's (or secretary's) count of an in-meeting vote: decides and closes the motion. */
export async function recordCount(db: Db, actor: Actor, motionId: string, input: Record<string, unknown>, now: Date): Promise<Decided & { decisionNumber: number }> {
  requirePermission(actor, 'motions.manage', 'Only the chair or secretary records the count.', 'gov.motions.error.notChair');
  const parsed = CountShape.safeParse({ for: input.for === '' ? undefined : input.for, against: input.against === '' ? undefined : input.against, abstain: input.abstain === '' ? 0 : input.abstain });
  if (!parsed.success) throw new AppError('validation_failed', 'Enter each count as a whole number, 0 or more.', parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message })));
  const count = parsed.data;
  return db.transaction(async (tx) => {
    const m = await lockMotion(tx, actor.tenantId, motionId);
    if (m.status !== 'open') refuse('conflict', 'This motion is not open for voting.', 'gov.motions.error.notOpen');
    if (m.voting !== 'in_meeting' || !m.meetingId) refuse('conflict', 'This motion is decided by secret online ballot, not a count in the room.', 'gov.motions.error.onlineOnly');
    const meeting = (await meetingOf(tx, actor.tenantId, m.meetingId))!;
    if (!(await mayRecordCount(tx, actor, meeting.chairId, isoDate(now)))) refuse('forbidden', 'Only the chair or the secretary of the meeting records the count.', 'gov.motions.error.notChair');
    const conflicted = await conflictedIds(tx, actor.tenantId, m.id);
    const q = await meetingQuorum(tx, actor.tenantId, m.meetingId, { excluding: conflicted });
    if (!q.quorate) refuse('conflict', `The meeting is inquorate for this motion (${q.present} present and entitled, ${q.required} needed): no vote can be taken.`, 'gov.motions.error.inquorate', 'motion', { present: q.present, required: q.required });
    const total = count.for + count.against + count.abstain;
    if (total > q.present) refuse('validation_failed', `The count (${total}) is more than the ${q.present} entitled members present.`, 'gov.motions.error.tooMany', 'for', { total, present: q.present });
    const present = conflicted.length
      ? await tx
          .select({ id: govAttendance.memberId })
          .from(govAttendance)
          .where(and(eq(govAttendance.tenantId, actor.tenantId), eq(govAttendance.meetingId, m.meetingId), inArray(govAttendance.mode, ['in_person', 'online', 'proxy']), inArray(govAttendance.memberId, conflicted)))
      : [];
    const decided = decide({ kind: m.kind, thresholdPct: m.thresholdPct, ...count });
    const number = await closeMotionIn(tx, m, decided, present.length, actor.memberId, now);
    return { ...decided, decisionNumber: number };
  });
}

export function conflictSentence(n: number): { en: string; pl: string } | null {
  if (!n) return null;
  return {
    en: n === 1 ? '1 member did not vote because of a declared interest.' : `${n} members did not vote because of a declared interest.`,
    pl: `Liczba osób, które nie głosowały z powodu zgłoszonego konfliktu interesów: ${n}.`,
  };
}

function decisionKindOf(refersKind: string | null): DecisionInput['kind'] {
  if (refersKind === 'policy_version') return 'policy_adoption';
  if (refersKind === 'budget_round') return 'budget_ratification';
  return 'resolution';
}

/**
 * Close an open motion inside the caller's transaction: status, outcome and figures, the register
 * entry, the referred kind's `onDecided` (throwing rolls all back), the audit row. Answers the
 * register number. Refuses (conflict) a motion that is no longer open, so a second closer changes nothing.
 */
export async function closeMotionIn(tx: Executor, m: GovMotion, d: Decided, conflicted: number, actor: string | null, now: Date): Promise<number> {
  const done = await tx
    .update(govMotions)
    .set({ status: 'closed', outcome: d.outcome, votesFor: d.for, votesAgainst: d.against, abstentions: d.abstain, conflictedCount: conflicted, decidedAt: now, recordedBy: actor && !actor.startsWith('system:') ? actor : null })
    .where(and(eq(govMotions.tenantId, m.tenantId), eq(govMotions.id, m.id), eq(govMotions.status, 'open')))
    .returning({ id: govMotions.id });
  if (!done.length) refuse('conflict', 'This motion is not open for voting.', 'gov.motions.error.notOpen');
  const sentence = conflictSentence(conflicted);
  const refs: RecordRef[] = [{ kind: 'motion', id: m.id, label: m.title, href: `/governance/motions/${m.id}` }];
  if (m.refersKind && m.refersId) refs.unshift({ kind: m.refersKind, id: m.refersId, label: m.refersLabel ?? m.refersKind, href: m.refersHref ?? '' });
  const { number } = await insertDecision(tx, m.tenantId, {
    decidedOn: isoDate(now),
    kind: decisionKindOf(m.refersKind),
    title: m.title,
    titlePl: m.titlePl,
    summary: [m.body, sentence?.en].filter(Boolean).join('\n\n'),
    summaryPl: m.bodyPl ? [m.bodyPl, sentence?.pl].filter(Boolean).join('\n\n') : null,
    meetingId: m.meetingId,
    motionId: m.id,
    outcome: d.outcome,
    votesFor: d.for,
    votesAgainst: d.against,
    abstentions: d.abstain,
    rule: ruleText(m.kind, m.thresholdPct),
    refs,
    isDemo: m.isDemo,
  });
  if (m.refersKind && m.refersId) {
    const kind = referenceKindOf(m.refersKind);
    const decision: MotionDecision = { motionId: m.id, outcome: d.outcome, votesFor: d.for, votesAgainst: d.against, abstentions: d.abstain, conflicted, decisionNumber: number, decidedOn: isoDate(now) };
    // The contract's Tx is what db.transaction hands out, less its schema generics.
    if (kind?.onDecided) await kind.onDecided(tx as unknown as Tx, m.tenantId, m.refersId, decision);
  }
  await appendAudit(tx, { tenantId: m.tenantId, actor: actor ?? 'system:motions', action: 'governance.motion.close', entity: 'gov_motion', entityId: m.id, data: { outcome: d.outcome, for: d.for, against: d.against, abstain: d.abstain, conflicted, decisionNumber: number } });
  return number;
}

export interface MotionListRow {
  id: string;
  title: string;
  titlePl: string | null;
  status: GovMotion['status'];
  outcome: GovMotion['outcome'];
  kind: ResolutionKind;
  voting: VotingMethod;
  electorate: Electorate;
  closesAt: Date | null;
  votesFor: number | null;
  votesAgainst: number | null;
  abstentions: number | null;
  isDemo: boolean;
  createdAt: Date;
}

/** Motions newest first: the public sees open and closed ones; drafts only with `governance.read`/`motions.manage`, or one's own. */
export async function listMotions(db: Executor, tenantId: string, actor: Actor | undefined): Promise<MotionListRow[]> {
  const staff = !!actor && (allows('motions.manage', actor.roles) || allows('governance.read', actor.roles));
  return db
    .select({
      id: govMotions.id,
      title: govMotions.title,
      titlePl: govMotions.titlePl,
      status: govMotions.status,
      outcome: govMotions.outcome,
      kind: govMotions.kind,
      voting: govMotions.voting,
      electorate: govMotions.electorate,
      closesAt: govMotions.closesAt,
      votesFor: govMotions.votesFor,
      votesAgainst: govMotions.votesAgainst,
      abstentions: govMotions.abstentions,
      isDemo: govMotions.isDemo,
      createdAt: govMotions.createdAt,
    })
    .from(govMotions)
    .where(and(eq(govMotions.tenantId, tenantId), staff ? undefined : or(inArray(govMotions.status, ['open', 'closed']), actor ? eq(govMotions.proposerId, actor.memberId) : sql`false`)))
    .orderBy(desc(govMotions.createdAt));
}

/** Whether the actor may see this motion (drafts: staff and the proposer only). */
export function maySee(m: GovMotion, actor: Actor | undefined): boolean {
  if (m.status === 'open' || m.status === 'closed') return true;
  if (!actor) return false;
  return m.proposerId === actor.memberId || allows('motions.manage', actor.roles) || allows('governance.read', actor.roles);
}

/** Online motions past their closing time, still open (for the closing job). */
export async function dueOnlineMotions(db: Executor, now: Date): Promise<Array<{ tenantId: string; id: string }>> {
  return db
    .select({ tenantId: govMotions.tenantId, id: govMotions.id })
    .from(govMotions)
    .where(and(eq(govMotions.status, 'open'), eq(govMotions.voting, 'secret_online'), lte(govMotions.closesAt, now)));
}


/** A policy version a motion adopts: when carried, the version becomes the adopted one (gov-core's adoptVersion, in the closing transaction). */
registerReferenceKind({
  kind: 'policy_version',
  async onDecided(tx, tenantId, versionId, decision) {
    if (decision.outcome === 'carried') await adoptVersion(tx, tenantId, versionId, { motionId: decision.motionId, adoptedOn: decision.decidedOn });
  },
});
