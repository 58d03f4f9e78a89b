import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { newId, isUuid } from '../../lib/ids.ts';
import { isoDate } from '../../lib/dates.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import type { Actor } from '../membership/policy.ts';
import { memberCard } from '../membership/views.ts';
import { appendAudit } from '../audit/service.ts';
import { courseRef } from '../training/views.ts';
import { addMonths, expiryFor, isIsoDate } from './calendar.ts';
import { newVerificationCode } from './codes.ts';
import { kindById, kindsByIds, kindsHeldInDate, latestAward, linksOfCourse, requirementsOfKind } from './queries.ts';
import { COURSE_RELATIONS, qualificationKindCourses, qualificationKinds, qualifications, type CourseRelation, type Qualification, type QualificationKind } from './schema.ts';

/**
 * Called by training, in its own transaction, when a member is marked present at a session of a
 * course: awards (or renews) every qualification the course grants or renews whose requirements the
 * member meets on `completedOn`; a qualification whose requirements are not met is not awarded
 * (answered in `notAwarded` with the missing qualification kinds' keys). Idempotent per
 * (member, course, completedOn): marking the same attendance twice awards nothing new.
 */
export async function awardOnCompletion(
  tx: Executor,
  input: { tenantId: string; memberId: string; courseId: string; sessionId: string; completedOn: string; actor: string },
): Promise<{ awarded: Array<{ qualificationId: string; kindKey: string }>; notAwarded: Array<{ kindKey: string; missing: string[] }> }> {
  const course = await courseRef(tx, input.tenantId, input.courseId);
  if (!course) return { awarded: [], notAwarded: [] };
  return awardForCourse(tx, { tenantId: input.tenantId, memberId: input.memberId, courseKey: course.key, sessionId: input.sessionId, completedOn: input.completedOn, actor: input.actor });
}

/** Qualification kinds a course requires that the member does not hold in date on `onDate` (their titles, in the reader's language): training refuses a booking with them. */
export async function missingPrerequisites(db: Executor, input: { tenantId: string; memberId: string; courseId: string; onDate: string; locale: string }): Promise<string[]> {
  const course = await courseRef(db, input.tenantId, input.courseId);
  if (!course) return [];
  return missingPrerequisitesForCourse(db, { tenantId: input.tenantId, memberId: input.memberId, courseKey: course.key, onDate: input.onDate, locale: input.locale });
}

/** A kind's title in the reader's language. */
export function kindTitle(kind: Pick<QualificationKind, 'title' | 'titlePl'>, locale: string): string {
  return locale === 'pl' && kind.titlePl ? kind.titlePl : kind.title;
}

/** `missingPrerequisites` by the course's stable key (what this module stores). */
export async function missingPrerequisitesForCourse(db: Executor, input: { tenantId: string; memberId: string; courseKey: string; onDate: string; locale: string }): Promise<string[]> {
  const required = (await linksOfCourse(db, input.tenantId, input.courseKey)).filter((l) => l.relation === 'requires').map((l) => l.kind);
  const held = await kindsHeldInDate(db, input.tenantId, input.memberId, required.map((k) => k.id), input.onDate);
  return required.filter((k) => !held.has(k.id)).map((k) => kindTitle(k, input.locale));
}

export interface CourseCompletion {
  tenantId: string;
  memberId: string;
  courseKey: string;
  sessionId: string;
  completedOn: string;
  actor: string;
}

/**
 * `awardOnCompletion` by course key. For each kind the course renews: a renewal (a new row pointing
 * at the award it renews) when the member holds it in date, or it lapsed no more than the kind's
 * `reactivation_months` ago and the kind is reactivatable. Otherwise, for each kind the course
 * grants: an award when the course's `requires` kinds are held in date on `completedOn`. Anything
 * else is answered in `notAwarded` with what is missing. Idempotent per (member, course, session, kind).
 */
export async function awardForCourse(tx: Executor, input: CourseCompletion): Promise<{ awarded: Array<{ qualificationId: string; kindKey: string }>; notAwarded: Array<{ kindKey: string; missing: string[] }> }> {
  if (!isIsoDate(input.completedOn)) throw new AppError('validation_failed', 'completedOn must be a date (YYYY-MM-DD).', [{ field: 'completedOn', message: 'accreditation.error.date' }], 'accreditation.error.date');
  const links = await linksOfCourse(tx, input.tenantId, input.courseKey);
  const by = (r: CourseRelation) => links.filter((l) => l.relation === r).map((l) => l.kind);
  const requires = by('requires');
  const renews = new Set(by('renews').map((k) => k.id));
  const grants = new Set(by('grants').map((k) => k.id));
  const held = await kindsHeldInDate(tx, input.tenantId, input.memberId, requires.map((k) => k.id), input.completedOn);
  const missingRequired = requires.filter((k) => !held.has(k.id)).map((k) => k.key);
  const kinds = [...new Map(links.filter((l) => l.relation !== 'requires').map((l) => [l.kind.id, l.kind])).values()];
  const awarded: Array<{ qualificationId: string; kindKey: string }> = [];
  const notAwarded: Array<{ kindKey: string; missing: string[] }> = [];
  for (const kind of kinds) {
    const [existing] = await tx
      .select({ id: qualifications.id })
      .from(qualifications)
      .where(and(eq(qualifications.tenantId, input.tenantId), eq(qualifications.memberId, input.memberId), eq(qualifications.kindId, kind.id), eq(qualifications.courseKey, input.courseKey), eq(qualifications.sessionId, input.sessionId)));
    if (existing) {
      awarded.push({ qualificationId: existing.id, kindKey: kind.key });
      continue;
    }
    const source = { source: 'course' as const, courseKey: input.courseKey, sessionId: input.sessionId, reason: null };
    if (renews.has(kind.id)) {
      const previous = await latestAward(tx, input.tenantId, input.memberId, kind.id, input.completedOn);
      if (previous && renewable(kind, previous, input.completedOn)) {
        const id = await insertAward(tx, { tenantId: input.tenantId, memberId: input.memberId, kind, issuedOn: input.completedOn, renewalOf: previous.id, actor: input.actor, ...source });
        awarded.push({ qualificationId: id, kindKey: kind.key });
        continue;
      }
    }
    if (grants.has(kind.id)) {
      if (missingRequired.length) {
        notAwarded.push({ kindKey: kind.key, missing: missingRequired });
        continue;
      }
      const previous = await latestAward(tx, input.tenantId, input.memberId, kind.id, input.completedOn);
      const renewalOf = previous && renewable(kind, previous, input.completedOn) ? previous.id : null;
      const id = await insertAward(tx, { tenantId: input.tenantId, memberId: input.memberId, kind, issuedOn: input.completedOn, renewalOf, actor: input.actor, ...source });
      awarded.push({ qualificationId: id, kindKey: kind.key });
      continue;
    }
    notAwarded.push({ kindKey: kind.key, missing: [kind.key] });
  }
  return { awarded, notAwarded };
}

/** Whether a renewal course on `onDate` renews this award: in date, or lapsed within the kind's reactivation period. */
export function renewable(kind: Pick<QualificationKind, 'reactivatable' | 'reactivationMonths'>, award: Pick<Qualification, 'expiresOn' | 'revokedAt'>, onDate: string): boolean {
  if (award.revokedAt) return false;
  if (award.expiresOn === null || award.expiresOn >= onDate) return true;
  return kind.reactivatable && addMonths(award.expiresOn, kind.reactivationMonths ?? 0) >= onDate;
}

interface NewAward {
  tenantId: string;
  memberId: string;
  kind: QualificationKind;
  issuedOn: string;
  source: 'course' | 'manual';
  courseKey: string | null;
  sessionId: string | null;
  reason: string | null;
  renewalOf: string | null;
  actor: string;
  isDemo?: boolean;
}

/** Insert an award with a fresh verification code (a new code on the rare collision), and its audit row. */
export async function insertAward(tx: Executor, a: NewAward): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newId();
    const rows = await tx
      .insert(qualifications)
      .values({
        tenantId: a.tenantId,
        id,
        memberId: a.memberId,
        kindId: a.kind.id,
        issuedOn: a.issuedOn,
        expiresOn: expiryFor(a.issuedOn, a.kind.validityMonths),
        source: a.source,
        courseKey: a.courseKey,
        sessionId: a.sessionId,
        reason: a.reason,
        renewalOf: a.renewalOf,
        code: newVerificationCode(),
        awardedBy: a.actor,
        isDemo: a.isDemo ?? false,
      })
      .onConflictDoNothing()
      .returning({ id: qualifications.id });
    if (rows[0]) {
      await appendAudit(tx, { tenantId: a.tenantId, actor: a.actor, action: a.renewalOf ? 'qualification.renewed' : 'qualification.awarded', entity: 'qualification', entityId: id, data: { kind: a.kind.key, source: a.source, ...(a.courseKey ? { course: a.courseKey } : {}) } });
      return id;
    }
    if (a.sessionId !== null) {
      // Another transaction awarded this attendance first (the unique course-session index).
      const [other] = await tx
        .select({ id: qualifications.id })
        .from(qualifications)
        .where(and(eq(qualifications.tenantId, a.tenantId), eq(qualifications.memberId, a.memberId), eq(qualifications.kindId, a.kind.id), eq(qualifications.courseKey, a.courseKey ?? ''), eq(qualifications.sessionId, a.sessionId)));
      if (other) return other.id;
    }
  }
  throw new Error('could not make a unique verification code');
}

// ---------------------------------------------------------------------------------------------
// Coordinators: kinds, manual awards, revocation

const KEY = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/;
const optionalMonths = (max: number, min: number, key: string) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? null : v), z.coerce.number(key).int(key).min(min, key).max(max, key).nullable());

export const KindSchema = z.object({
  title: z.string('accreditation.error.title').trim().min(1, 'accreditation.error.title').max(120, 'accreditation.error.title'),
  titlePl: z.string().trim().max(120, 'accreditation.error.titlePl').optional().transform((v) => v || null),
  description: z.string().trim().max(2000, 'accreditation.error.description').optional().transform((v) => v ?? ''),
  descriptionPl: z.string().trim().max(2000, 'accreditation.error.description').optional().transform((v) => v || null),
  validityMonths: optionalMonths(600, 1, 'accreditation.error.validity'),
  reactivatable: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()),
  reactivationMonths: optionalMonths(600, 0, 'accreditation.error.reactivation'),
  courses: z
    .object({ grants: z.array(z.string()).default([]), requires: z.array(z.string()).default([]), renews: z.array(z.string()).default([]) })
    .default({ grants: [], requires: [], renews: [] }),
});
/** A kind as a form or caller gives it (numbers may come as form text; empty = none). */
export interface KindInput {
  title: string;
  titlePl?: string | null | undefined;
  description?: string | undefined;
  descriptionPl?: string | null | undefined;
  validityMonths?: number | string | null | undefined;
  reactivatable?: boolean | string | undefined;
  reactivationMonths?: number | string | null | undefined;
  courses?: Partial<Record<CourseRelation, string[]>> | undefined;
}

function validation(issues: FieldIssue[]): AppError {
  return new AppError('validation_failed', `Please correct: ${issues.map((i) => i.field).join(', ')}.`, issues);
}

function parseKind(input: KindInput): z.output<typeof KindSchema> {
  const parsed = KindSchema.safeParse({ ...input, titlePl: input.titlePl ?? undefined, descriptionPl: input.descriptionPl ?? undefined });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message.startsWith('accreditation.') ? i.message : 'accreditation.error.course' }));
    throw validation(issues);
  }
  const v = parsed.data;
  for (const r of COURSE_RELATIONS) if (v.courses[r].some((k) => !KEY.test(k))) throw validation([{ field: r, message: 'accreditation.error.course' }]);
  if (v.reactivatable && v.reactivationMonths === null) throw validation([{ field: 'reactivationMonths', message: 'accreditation.error.reactivation' }]);
  return v;
}

async function writeLinks(tx: Executor, tenantId: string, kindId: string, courses: Record<CourseRelation, string[]>): Promise<void> {
  await tx.delete(qualificationKindCourses).where(and(eq(qualificationKindCourses.tenantId, tenantId), eq(qualificationKindCourses.kindId, kindId)));
  const rows = COURSE_RELATIONS.flatMap((relation) => [...new Set(courses[relation])].map((courseKey) => ({ tenantId, kindId, courseKey, relation })));
  if (rows.length) await tx.insert(qualificationKindCourses).values(rows);
}

export async function createKind(db: Db, actor: Actor | undefined, input: KindInput & { key: string }): Promise<QualificationKind> {
  requirePermission(actor, 'accreditation.manage');
  const key = String(input.key ?? '').trim();
  if (!KEY.test(key)) throw validation([{ field: 'key', message: 'accreditation.error.key' }]);
  const v = parseKind(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(qualificationKinds)
      .values({ tenantId: actor.tenantId, id: newId(), key, title: v.title, titlePl: v.titlePl, description: v.description, descriptionPl: v.descriptionPl, validityMonths: v.validityMonths, reactivatable: v.reactivatable, reactivationMonths: v.reactivatable ? v.reactivationMonths : null })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('conflict', 'A qualification with this key already exists.', [{ field: 'key', message: 'accreditation.error.keyTaken' }], 'accreditation.error.keyTaken');
    await writeLinks(tx, actor.tenantId, row.id, v.courses);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'qualification_kind.created', entity: 'qualification_kind', entityId: row.id, data: { key } });
    return row;
  });
}

export async function updateKind(db: Db, actor: Actor | undefined, id: string, input: KindInput): Promise<QualificationKind> {
  requirePermission(actor, 'accreditation.manage');
  if (!isUuid(id)) throw new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
  const v = parseKind(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(qualificationKinds)
      .set({ title: v.title, titlePl: v.titlePl, description: v.description, descriptionPl: v.descriptionPl, validityMonths: v.validityMonths, reactivatable: v.reactivatable, reactivationMonths: v.reactivatable ? v.reactivationMonths : null, updatedAt: new Date() })
      .where(and(eq(qualificationKinds.tenantId, actor.tenantId), eq(qualificationKinds.id, id)))
      .returning();
    if (!row) throw new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
    await writeLinks(tx, actor.tenantId, id, v.courses);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'qualification_kind.updated', entity: 'qualification_kind', entityId: id, data: { key: row.key } });
    return row;
  });
}

/** The reason a kind cannot be awarded to the member on `onDate` (titles of what is missing), or [] when it can. */
export async function missingForKind(db: Executor, tenantId: string, memberId: string, kindId: string, onDate: string): Promise<QualificationKind[]> {
  const required = await requirementsOfKind(db, tenantId, kindId);
  const held = await kindsHeldInDate(db, tenantId, memberId, required, onDate);
  return (await kindsByIds(db, tenantId, required.filter((k) => !held.has(k)))).sort((a, b) => a.key.localeCompare(b.key));
}

/** "Needs: Safeguarding awareness (in date)" in English (logs, API) and the list for the catalogue's words. */
function needsError(missing: QualificationKind[], locale: string, t?: (key: 'accreditation.error.inDate', p: Record<string, string>) => string): AppError {
  const en = missing.map((k) => `${k.title} (in date)`).join(', ');
  const list = missing.map((k) => (t ? t('accreditation.error.inDate', { title: kindTitle(k, locale) }) : `${kindTitle(k, locale)} (in date)`)).join(', ');
  return new AppError('conflict', `Needs: ${en}`, [{ field: 'kindId', message: `Needs: ${en}` }], 'accreditation.error.needs', { list });
}

export interface ManualAward {
  memberId: string;
  kindId: string;
  issuedOn: string;
  reason: string;
}

/**
 * A coordinator records an accreditation done elsewhere. Refused (409, "Needs: …") when the kind's
 * requirements (what the courses granting it require) are not held in date on `issuedOn`; a member
 * who held the kind before gets a renewal row (history kept).
 */
export async function awardManually(db: Db, actor: Actor | undefined, input: ManualAward, opts: { now: Date; locale: string; t?: (key: 'accreditation.error.inDate', p: Record<string, string>) => string }): Promise<string> {
  requirePermission(actor, 'accreditation.manage');
  const issues: FieldIssue[] = [];
  const reason = String(input.reason ?? '').trim();
  if (!isIsoDate(String(input.issuedOn)) || input.issuedOn > isoDate(opts.now)) issues.push({ field: 'issuedOn', message: 'accreditation.error.date' });
  if (reason.length < 3 || reason.length > 500) issues.push({ field: 'reason', message: 'accreditation.error.reason' });
  const kind = isUuid(String(input.kindId)) ? await kindById(db, actor.tenantId, input.kindId) : undefined;
  if (!kind) issues.push({ field: 'kindId', message: 'accreditation.error.kind' });
  const member = isUuid(String(input.memberId)) ? await memberCard(db, actor.tenantId, input.memberId) : undefined;
  if (!member || member.status !== 'active') issues.push({ field: 'memberNumber', message: 'accreditation.error.member' });
  if (issues.length || !kind || !member) throw validation(issues);
  return db.transaction(async (tx) => {
    const missing = await missingForKind(tx, actor.tenantId, member.id, kind.id, input.issuedOn);
    if (missing.length) throw needsError(missing, opts.locale, opts.t);
    const previous = await latestAward(tx, actor.tenantId, member.id, kind.id, input.issuedOn);
    return insertAward(tx, { tenantId: actor.tenantId, memberId: member.id, kind, issuedOn: input.issuedOn, source: 'manual', courseKey: null, sessionId: null, reason, renewalOf: previous?.id ?? null, actor: actor.memberId });
  });
}

/** Revoke an award with a reason (kept on the row, never in the audit data: it may name people). */
export async function revokeQualification(db: Db, actor: Actor | undefined, input: { id: string; reason: string }, now: Date): Promise<void> {
  requirePermission(actor, 'accreditation.manage');
  if (!isUuid(String(input.id))) throw new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
  const [exists] = await db.select({ id: qualifications.id }).from(qualifications).where(and(eq(qualifications.tenantId, actor.tenantId), eq(qualifications.id, input.id)));
  if (!exists) throw new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
  const reason = String(input.reason ?? '').trim();
  if (reason.length < 3 || reason.length > 500) throw validation([{ field: 'reason', message: 'accreditation.error.revokeReason' }]);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(qualifications)
      .set({ revokedAt: now, revokedBy: actor.memberId, revokeReason: reason })
      .where(and(eq(qualifications.tenantId, actor.tenantId), eq(qualifications.id, input.id), isNull(qualifications.revokedAt)))
      .returning({ id: qualifications.id, kindId: qualifications.kindId });
    if (!row) throw new AppError('conflict', 'This qualification is already revoked.', [], 'accreditation.error.revoked');
    const kind = await kindById(tx, actor.tenantId, row.kindId);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'qualification.revoked', entity: 'qualification', entityId: row.id, data: { kind: kind?.key ?? '' } });
  });
}

/**
 * An award for its certificate or badge: the holder's own, or any for coordinators (audited as a
 * view of the record when it is not the holder's). Anything else answers 404, like an unknown id.
 */
export async function qualificationForDocument(db: Db, actor: Actor | undefined, id: string, document: 'certificate' | 'badge'): Promise<{ award: Qualification; kind: QualificationKind }> {
  const notFound = new AppError('not_found', 'That qualification was not found.', [], 'accreditation.error.notFound');
  if (!actor || !isUuid(id)) throw notFound;
  const [award] = await db.select().from(qualifications).where(and(eq(qualifications.tenantId, actor.tenantId), eq(qualifications.id, id)));
  if (!award) throw notFound;
  const own = award.memberId === actor.memberId;
  if (!own) {
    try {
      requirePermission(actor, 'accreditation.manage');
    } catch {
      throw notFound;
    }
  }
  const kind = await kindById(db, actor.tenantId, award.kindId);
  if (!kind) throw notFound;
  if (!own) await db.transaction((tx) => appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: `qualification.${document}_viewed`, entity: 'qualification', entityId: award.id }));
  return { award, kind };
}
