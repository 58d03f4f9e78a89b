import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { translator, type Locale } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { activeMembersWithRole, memberCard, memberCards, memberRolesOf } from '../membership/views.ts';
import { describeMissing, eligibility, type Eligibility, type MemberProgress, type Missing, type Titles } from './eligibility.ts';
import { ladderInputs, type LadderInputs, type TitleRef } from './inputs.ts';
import { listLevels, requirementsOf, roleRequirements, type Level } from './levels.ts';
import { ladderEligibility, ladderLevels, ladderMemberLevels, ladderSignOffs, ladderStepUpRequests, type StepUpRequest } from './schema.ts';

/** Roles that make an active member a volunteer on the ladder (besides holding a level). */
export const VOLUNTEER_ROLES = ['volunteer', 'street_champion', 'ward_rep'] as const satisfies readonly Role[];

export interface Options {
  now?: Date;
  inputs?: LadderInputs;
}

/** Where a member stands: current level, the next one, and whether they meet it. */
export interface Standing {
  current: Level | undefined;
  currentSince: string | undefined;
  next: Level | undefined;
  eligibility: Eligibility;
}

/** The next level above the current one (the first level for someone with none). */
export function nextLevelOf(levels: readonly Level[], currentId: string | undefined): Level | undefined {
  if (!currentId) return levels[0];
  const i = levels.findIndex((l) => l.id === currentId);
  return i < 0 ? levels[0] : levels[i + 1];
}

export function standingOf(levels: readonly Level[], currentId: string | undefined, progress: MemberProgress): Omit<Standing, 'currentSince'> {
  const current = levels.find((l) => l.id === currentId);
  const next = nextLevelOf(levels, current?.id);
  return { current, next, eligibility: next ? eligibility(requirementsOf(next), progress) : { met: false, missing: [] } };
}

/** Open levels (member → level id, since) for every member or the given ones: one query. */
async function openLevels(db: Executor, tenantId: string, memberIds?: readonly string[]): Promise<Map<string, { levelId: string; fromDate: string }>> {
  const rows = await db
    .select({ memberId: ladderMemberLevels.memberId, levelId: ladderMemberLevels.levelId, fromDate: ladderMemberLevels.fromDate })
    .from(ladderMemberLevels)
    .where(and(eq(ladderMemberLevels.tenantId, tenantId), isNull(ladderMemberLevels.toDate), memberIds ? inArray(ladderMemberLevels.memberId, [...memberIds]) : undefined));
  return new Map(rows.map((r) => [r.memberId, { levelId: r.levelId, fromDate: r.fromDate }]));
}

async function signOffsOf(db: Executor, tenantId: string, memberIds?: readonly string[]): Promise<Map<string, Set<string>>> {
  const rows = await db
    .select({ memberId: ladderSignOffs.memberId, levelId: ladderSignOffs.levelId })
    .from(ladderSignOffs)
    .where(and(eq(ladderSignOffs.tenantId, tenantId), memberIds ? inArray(ladderSignOffs.memberId, [...memberIds]) : undefined));
  const out = new Map<string, Set<string>>();
  for (const r of rows) (out.get(r.memberId) ?? out.set(r.memberId, new Set()).get(r.memberId)!).add(r.levelId);
  return out;
}

/** Everything the eligibility function needs about these members (or all), one query per source. */
export async function progressOf(db: Executor, tenantId: string, onDate: string, inputs: LadderInputs, memberIds?: readonly string[]): Promise<(memberId: string) => MemberProgress> {
  const [courses, quals, minutes, dbs, signOffs] = await Promise.all([
    inputs.completedCourses(db, tenantId, memberIds),
    inputs.validQualifications(db, tenantId, onDate, memberIds),
    inputs.approvedMinutes(db, tenantId, memberIds),
    inputs.dbsInDate(db, tenantId, onDate),
    signOffsOf(db, tenantId, memberIds),
  ]);
  const none = new Set<string>();
  return (id) => ({
    completedCourses: courses.get(id) ?? none,
    validQualifications: quals.get(id) ?? none,
    approvedMinutes: minutes.get(id) ?? 0,
    dbsInDate: dbs.has(id),
    signedOffLevels: signOffs.get(id) ?? none,
  });
}

/** One member's standing, computed now (not from the snapshot). */
export async function memberStanding(db: Executor, tenantId: string, memberId: string, opts: Options = {}): Promise<Standing & { progress: MemberProgress; levels: Level[] }> {
  const inputs = opts.inputs ?? ladderInputs();
  const onDate = isoDate(opts.now ?? new Date());
  const [levels, open, progress] = await Promise.all([listLevels(db, tenantId), openLevels(db, tenantId, [memberId]), progressOf(db, tenantId, onDate, inputs, [memberId])]);
  const mine = open.get(memberId);
  const p = progress(memberId);
  return { ...standingOf(levels, mine?.levelId, p), currentSince: mine?.fromDate, progress: p, levels };
}

/** Titles by key in the reader's language; a key the other modules do not know shows as itself. */
export function titlesFrom(courses: readonly TitleRef[], kinds: readonly TitleRef[], locale: Locale): Titles {
  const pick = (list: readonly TitleRef[]) => new Map(list.map((r) => [r.key, (locale === 'pl' && r.titlePl) || r.title]));
  const c = pick(courses);
  const q = pick(kinds);
  return { course: (k) => c.get(k) ?? k, qualification: (k) => q.get(k) ?? k };
}

export async function titlesFor(db: Executor, tenantId: string, locale: Locale, inputs: LadderInputs = ladderInputs()): Promise<Titles> {
  const [courses, kinds] = await Promise.all([inputs.courses(db, tenantId), inputs.qualificationKinds(db, tenantId)]);
  return titlesFrom(courses, kinds, locale);
}

/** The missing list in words, in a language (emails, the API's English message). */
export function missingText(locale: Locale, titles: Titles, missing: readonly Missing[]): string {
  const t = translator(locale);
  return describeMissing((k, p) => t(k, p), locale, titles, missing);
}

/** What each role a member holds still needs ("Street champion: needs Safeguarding awareness"). */
export async function roleGaps(db: Executor, tenantId: string, roles: readonly Role[], progress: MemberProgress): Promise<Array<{ role: Role; missing: Missing[] }>> {
  const needs = await roleRequirements(db, tenantId);
  const out: Array<{ role: Role; missing: Missing[] }> = [];
  for (const role of roles) {
    const need = needs.get(role);
    if (!need) continue;
    const missing: Missing[] = [
      ...need.courses.filter((k) => !progress.completedCourses.has(k)).map((k) => ({ kind: 'course' as const, anyOf: [k] })),
      ...need.qualifications.filter((k) => !progress.validQualifications.has(k)).map((k) => ({ kind: 'qualification' as const, anyOf: [k] })),
    ];
    out.push({ role, missing });
  }
  return out;
}

export async function memberRoleGaps(db: Executor, tenantId: string, memberId: string, progress: MemberProgress) {
  return roleGaps(db, tenantId, await memberRolesOf(db, tenantId, memberId), progress);
}

/**
 * Active members holding a volunteer role, by id (one query per role: membership's
 * `activeMembersWithRole`; its `activeMembersWithRoles` scans member_roles once per member).
 */
async function activeVolunteers(db: Executor, tenantId: string, memberIds?: readonly string[]): Promise<Map<string, { id: string; wardId: string | null; isDemo: boolean }>> {
  const only = memberIds ? new Set(memberIds) : undefined;
  const lists = await Promise.all(VOLUNTEER_ROLES.map((role) => activeMembersWithRole(db, tenantId, role)));
  const out = new Map<string, { id: string; wardId: string | null; isDemo: boolean }>();
  for (const m of lists.flat()) if (!only || only.has(m.id)) out.set(m.id, m);
  return out;
}

/**
 * Eligibility of every active volunteer of the tenant (an active member with a volunteer role or a
 * level), in bulk: one query per input source, the pure function in memory, the snapshot replaced
 * in one statement. `memberIds` limits it to some members (after a change in this module). Safe
 * from two processes: a transaction-level advisory lock per tenant serialises the writers.
 */
export async function recomputeEligibility(db: Db, tenantId: string, opts: Options & { memberIds?: readonly string[] } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const inputs = opts.inputs ?? ladderInputs();
  const onDate = isoDate(now);
  const only = opts.memberIds ? new Set(opts.memberIds) : undefined;
  const [volunteers, levels, open, progress] = await Promise.all([
    activeVolunteers(db, tenantId, opts.memberIds),
    listLevels(db, tenantId),
    openLevels(db, tenantId, opts.memberIds),
    progressOf(db, tenantId, onDate, inputs, opts.memberIds),
  ]);
  const rows: Array<{ member_id: string; ward_id: string | null; current_level_id: string | null; next_level_id: string | null; eligible: boolean; missing: Missing[]; is_demo: boolean }> = [];
  // Members on a level who hold no volunteer role are volunteers too (while active).
  const onLevel = [...open.keys()].filter((id) => !volunteers.has(id));
  for (const m of await memberCards(db, tenantId, onLevel)) if (m.status === 'active') volunteers.set(m.id, m);
  for (const m of volunteers.values()) {
    if (only && !only.has(m.id)) continue;
    const held = open.get(m.id);
    const s = standingOf(levels, held?.levelId, progress(m.id));
    rows.push({ member_id: m.id, ward_id: m.wardId, current_level_id: s.current?.id ?? null, next_level_id: s.next?.id ?? null, eligible: s.eligibility.met, missing: s.eligibility.missing, is_demo: m.isDemo });
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`ladder-eligibility:${tenantId}`}))`);
    // Write only what changed since the last run (the steady state of the five-minute job is a few rows).
    const before = await tx
      .select({ memberId: ladderEligibility.memberId, wardId: ladderEligibility.wardId, currentLevelId: ladderEligibility.currentLevelId, nextLevelId: ladderEligibility.nextLevelId, eligible: ladderEligibility.eligible, missing: ladderEligibility.missing, isDemo: ladderEligibility.isDemo })
      .from(ladderEligibility)
      .where(and(eq(ladderEligibility.tenantId, tenantId), only ? inArray(ladderEligibility.memberId, [...only]) : undefined));
    const old = new Map(before.map((b) => [b.memberId, `${b.wardId}|${b.currentLevelId}|${b.nextLevelId}|${b.eligible}|${b.isDemo}|${JSON.stringify(b.missing)}`]));
    const keep = new Set(rows.map((r) => r.member_id));
    const changed = rows.filter((r) => old.get(r.member_id) !== `${r.ward_id}|${r.current_level_id}|${r.next_level_id}|${r.eligible}|${r.is_demo}|${JSON.stringify(r.missing)}`);
    const gone = before.filter((b) => !keep.has(b.memberId)).map((b) => b.memberId);
    const remove = [...gone, ...changed.filter((r) => old.has(r.member_id)).map((r) => r.member_id)];
    for (let i = 0; i < remove.length; i += 5000) await tx.delete(ladderEligibility).where(and(eq(ladderEligibility.tenantId, tenantId), inArray(ladderEligibility.memberId, remove.slice(i, i + 5000))));
    if (changed.length) {
      // One statement for the set: the rows travel as one JSON parameter.
      await tx.execute(sql`
        INSERT INTO ladder_eligibility (tenant_id, member_id, ward_id, current_level_id, next_level_id, eligible, missing, is_demo, computed_at)
        SELECT ${tenantId}::uuid, x.member_id, x.ward_id, x.current_level_id, x.next_level_id, x.eligible, x.missing, x.is_demo, ${now.toISOString()}::timestamptz
        FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) AS x(member_id uuid, ward_id uuid, current_level_id uuid, next_level_id uuid, eligible boolean, missing jsonb, is_demo boolean)`);
    }
    // Unchanged rows were computed again now too.
    if (changed.length < rows.length) await tx.update(ladderEligibility).set({ computedAt: now }).where(and(eq(ladderEligibility.tenantId, tenantId), only ? inArray(ladderEligibility.memberId, [...only]) : undefined));
  });
  return rows.length;
}

/** Refused because the member does not meet the next level (the page words `missing` in the reader's language). */
export class NotEligibleError extends AppError {
  constructor(
    readonly missing: Missing[],
    english: string,
  ) {
    super('conflict', `Not eligible to step up yet: ${english}.`, [], 'ladder.error.notEligible', { missing: english });
  }
}

async function notEligible(db: Executor, tenantId: string, missing: Missing[], inputs: LadderInputs): Promise<NotEligibleError> {
  return new NotEligibleError(missing, missingText('en', await titlesFor(db, tenantId, 'en', inputs), missing));
}

/** The member's pending request, if any. */
export async function pendingRequestOf(db: Executor, tenantId: string, memberId: string): Promise<StepUpRequest | undefined> {
  const [row] = await db.select().from(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.memberId, memberId), eq(ladderStepUpRequests.status, 'pending')));
  return row;
}

/** The member's requests, newest first. */
export async function requestsOf(db: Executor, tenantId: string, memberId: string): Promise<StepUpRequest[]> {
  return db.select().from(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.memberId, memberId))).orderBy(desc(ladderStepUpRequests.requestedAt));
}

/** The member's levels, oldest first. */
export async function levelHistoryOf(db: Executor, tenantId: string, memberId: string) {
  return db.select().from(ladderMemberLevels).where(and(eq(ladderMemberLevels.tenantId, tenantId), eq(ladderMemberLevels.memberId, memberId))).orderBy(asc(ladderMemberLevels.fromDate), asc(ladderMemberLevels.createdAt));
}

/**
 * A signed-in member asks to step up to their next level: refused (409, with what is missing) unless
 * they meet it now; one pending request at a time; audited.
 */
export async function requestStepUp(db: Db, actor: Actor | undefined, opts: Options = {}): Promise<StepUpRequest> {
  if (!actor) throw new AppError('unauthenticated', 'Please sign in to see this page.');
  const inputs = opts.inputs ?? ladderInputs();
  const now = opts.now ?? new Date();
  const s = await memberStanding(db, actor.tenantId, actor.memberId, { now, inputs });
  if (!s.next) throw new AppError('conflict', 'You are on the top level of the ladder already.', [], 'ladder.error.topLevel');
  if (!s.eligibility.met) throw await notEligible(db, actor.tenantId, s.eligibility.missing, inputs);
  const request = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(ladderStepUpRequests)
      .values({ tenantId: actor.tenantId, id: newId(), memberId: actor.memberId, fromLevelId: s.current?.id ?? null, toLevelId: s.next!.id, requestedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('conflict', 'You have already asked to step up; a coordinator will decide.', [], 'ladder.error.alreadyPending');
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'ladder.stepup.request', entity: 'ladder_step_up_request', entityId: row.id, data: { toLevel: s.next!.number } });
    return row;
  });
  await recomputeEligibility(db, actor.tenantId, { now, inputs, memberIds: [actor.memberId] });
  return request;
}

export const REASON_MAX = 1000;

/**
 * A coordinator approves or declines a pending request (`ladder.approve`). Nobody decides their own;
 * a decline needs a reason; an approval re-checks eligibility and that the member is still on the
 * level they asked from, closes their current level and opens the new one. The member gets an email
 * (deduplicated per request). Audited.
 */
export async function decideStepUp(
  db: Db,
  actor: Actor | undefined,
  requestId: string,
  decision: { approve: boolean; reason?: string | undefined },
  opts: Options = {},
): Promise<StepUpRequest> {
  requirePermission(actor, 'ladder.approve');
  const inputs = opts.inputs ?? ladderInputs();
  const now = opts.now ?? new Date();
  const today = isoDate(now);
  if (!isUuid(requestId)) throw new AppError('not_found', 'That request was not found.', [], 'ladder.error.requestNotFound');
  const [found] = await db.select().from(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, actor.tenantId), eq(ladderStepUpRequests.id, requestId)));
  if (!found) throw new AppError('not_found', 'That request was not found.', [], 'ladder.error.requestNotFound');
  if (found.memberId === actor.memberId) throw new AppError('forbidden', 'Nobody approves or declines their own step-up.', [], 'ladder.error.ownRequest');
  if (found.status !== 'pending') throw new AppError('conflict', 'That request has already been decided.', [], 'ladder.error.decided');
  const reason = (decision.reason ?? '').trim();
  if (!decision.approve && !reason) throw new AppError('validation_failed', 'Give the volunteer a reason for declining.', [{ field: 'reason', message: 'ladder.field.reason' }], 'ladder.error.reasonNeeded');
  if (reason.length > REASON_MAX) throw new AppError('validation_failed', 'The reason is too long.', [{ field: 'reason', message: 'ladder.field.reasonLong' }], 'ladder.error.reasonLong');
  if (decision.approve) {
    const s = await memberStanding(db, actor.tenantId, found.memberId, { now, inputs });
    if ((s.current?.id ?? null) !== found.fromLevelId || s.next?.id !== found.toLevelId) throw new AppError('conflict', 'The volunteer is no longer on the level they asked from.', [], 'ladder.error.levelChanged');
    if (!s.eligibility.met) throw await notEligible(db, actor.tenantId, s.eligibility.missing, inputs);
  }
  const card = await memberCard(db, actor.tenantId, found.memberId);
  const levels = await listLevels(db, actor.tenantId);
  const to = levels.find((l) => l.id === found.toLevelId)!;
  const decided = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(ladderStepUpRequests)
      .set({ status: decision.approve ? 'approved' : 'declined', decidedAt: now, decidedBy: actor.memberId, reason })
      .where(and(eq(ladderStepUpRequests.tenantId, actor.tenantId), eq(ladderStepUpRequests.id, requestId), eq(ladderStepUpRequests.status, 'pending')))
      .returning();
    if (!row) throw new AppError('conflict', 'That request has already been decided.', [], 'ladder.error.decided');
    if (decision.approve) {
      await tx
        .update(ladderMemberLevels)
        .set({ toDate: today })
        .where(and(eq(ladderMemberLevels.tenantId, actor.tenantId), eq(ladderMemberLevels.memberId, row.memberId), isNull(ladderMemberLevels.toDate)));
      await tx.insert(ladderMemberLevels).values({ tenantId: actor.tenantId, id: newId(), memberId: row.memberId, levelId: row.toLevelId, fromDate: today, approvedBy: actor.memberId, requestId: row.id, isDemo: row.isDemo });
    }
    await appendAudit(tx, {
      tenantId: actor.tenantId,
      actor: actor.memberId,
      action: decision.approve ? 'ladder.stepup.approve' : 'ladder.stepup.decline',
      entity: 'ladder_step_up_request',
      entityId: row.id,
      data: { toLevel: to.number },
    });
    if (card?.email) {
      const locale: Locale = card.preferredLocale === 'pl' ? 'pl' : 'en';
      const t = translator(locale);
      const title = (locale === 'pl' && to.titlePl) || to.title;
      await enqueueEmail(tx, {
        tenantId: actor.tenantId,
        to: card.email,
        subject: t(decision.approve ? 'ladder.email.approved.subject' : 'ladder.email.declined.subject', { level: to.number }),
        text: decision.approve ? t('ladder.email.approved.body', { level: to.number, title }) : t('ladder.email.declined.body', { level: to.number, title, reason }),
        template: decision.approve ? 'ladder.stepup.approved' : 'ladder.stepup.declined',
        locale,
        dedupeKey: `ladder.stepup:${row.id}`,
      });
    }
    return row;
  });
  await recomputeEligibility(db, actor.tenantId, { now, inputs, memberIds: [found.memberId] });
  return decided;
}

/** A coordinator signs a member off for a level (their next one when `levelId` is ''; `ladder.approve`, never themself); audited. Idempotent. */
export async function signOff(db: Db, actor: Actor | undefined, memberId: string, levelId: string, opts: Options = {}): Promise<void> {
  requirePermission(actor, 'ladder.approve');
  const now = opts.now ?? new Date();
  if (!isUuid(memberId) || !(await memberCard(db, actor.tenantId, memberId))) throw new AppError('not_found', 'That member was not found.', [], 'ladder.error.memberNotFound');
  if (memberId === actor.memberId) throw new AppError('forbidden', 'Nobody signs themself off.', [], 'ladder.error.ownSignOff');
  const levels = await listLevels(db, actor.tenantId);
  // No level given: the member's next level (the one the coordinator's page offers).
  const level = levelId === '' ? (await memberStanding(db, actor.tenantId, memberId, opts)).next : isUuid(levelId) ? levels.find((l) => l.id === levelId) : undefined;
  if (!level) throw new AppError('not_found', 'That level was not found.', [], 'ladder.error.levelNotFound');
  await db.transaction(async (tx) => {
    const [row] = await tx.insert(ladderSignOffs).values({ tenantId: actor.tenantId, memberId, levelId: level.id, signedBy: actor.memberId, signedAt: now }).onConflictDoNothing().returning({ m: ladderSignOffs.memberId });
    if (row) await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'ladder.signoff', entity: 'member', entityId: memberId, data: { level: level.number } });
  });
  await recomputeEligibility(db, actor.tenantId, { now, ...(opts.inputs ? { inputs: opts.inputs } : {}), memberIds: [memberId] });
}

/** Level ids the member has been signed off for. */
export async function signOffsFor(db: Executor, tenantId: string, memberId: string): Promise<Set<string>> {
  return (await signOffsOf(db, tenantId, [memberId])).get(memberId) ?? new Set();
}

/** Pending requests of the tenant, oldest first, for the coordinators' queue. */
export async function pendingRequests(db: Executor, tenantId: string): Promise<StepUpRequest[]> {
  return db.select().from(ladderStepUpRequests).where(and(eq(ladderStepUpRequests.tenantId, tenantId), eq(ladderStepUpRequests.status, 'pending'))).orderBy(asc(ladderStepUpRequests.requestedAt));
}

/** Every tenant that has a ladder (for the scheduled recompute). */
export async function ladderTenants(db: Executor): Promise<string[]> {
  const rows = await db.selectDistinct({ tenantId: ladderLevels.tenantId }).from(ladderLevels);
  return rows.map((r) => r.tenantId);
}
