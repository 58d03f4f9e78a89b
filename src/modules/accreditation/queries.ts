import { and, desc, eq, inArray, isNull, lte, or, gte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { qualificationKindCourses, qualificationKinds, qualifications, type CourseRelation, type QualificationKind } from './schema.ts';

/** Tenant-scoped reads of the accreditation tables. */

export async function kindsOf(db: Executor, tenantId: string): Promise<QualificationKind[]> {
  return db.select().from(qualificationKinds).where(eq(qualificationKinds.tenantId, tenantId)).orderBy(qualificationKinds.title);
}

export async function kindById(db: Executor, tenantId: string, id: string): Promise<QualificationKind | undefined> {
  return (await db.select().from(qualificationKinds).where(and(eq(qualificationKinds.tenantId, tenantId), eq(qualificationKinds.id, id))))[0];
}

export async function kindsByIds(db: Executor, tenantId: string, ids: readonly string[]): Promise<QualificationKind[]> {
  if (!ids.length) return [];
  return db.select().from(qualificationKinds).where(and(eq(qualificationKinds.tenantId, tenantId), inArray(qualificationKinds.id, [...ids])));
}

/** The kinds a course grants, requires or renews, with the kind. */
export async function linksOfCourse(db: Executor, tenantId: string, courseKey: string): Promise<Array<{ relation: CourseRelation; kind: QualificationKind }>> {
  const rows = await db
    .select({ relation: qualificationKindCourses.relation, kind: qualificationKinds })
    .from(qualificationKindCourses)
    .innerJoin(qualificationKinds, and(eq(qualificationKinds.tenantId, qualificationKindCourses.tenantId), eq(qualificationKinds.id, qualificationKindCourses.kindId)))
    .where(and(eq(qualificationKindCourses.tenantId, tenantId), eq(qualificationKindCourses.courseKey, courseKey)))
    .orderBy(qualificationKinds.key);
  return rows;
}

/** Course links of every kind of the tenant. */
export async function linksOfTenant(db: Executor, tenantId: string): Promise<Array<{ kindId: string; courseKey: string; relation: CourseRelation }>> {
  return db
    .select({ kindId: qualificationKindCourses.kindId, courseKey: qualificationKindCourses.courseKey, relation: qualificationKindCourses.relation })
    .from(qualificationKindCourses)
    .where(eq(qualificationKindCourses.tenantId, tenantId))
    .orderBy(qualificationKindCourses.courseKey);
}

/** Kinds a kind needs before it is granted: what the courses granting it require (other than itself). */
export async function requirementsOfKind(db: Executor, tenantId: string, kindId: string): Promise<string[]> {
  const g = qualificationKindCourses;
  const rows = await db.execute<{ kind_id: string }>(sql`
    SELECT DISTINCT r.kind_id FROM ${g} gr
    JOIN ${g} r ON r.tenant_id = gr.tenant_id AND r.course_key = gr.course_key AND r.relation = 'requires'
    WHERE gr.tenant_id = ${tenantId} AND gr.kind_id = ${kindId} AND gr.relation = 'grants' AND r.kind_id <> ${kindId}`);
  return rowsOf<{ kind_id: string }>(rows).map((r) => r.kind_id);
}

/** Of these kinds, the ids the member holds in date on `onDate` (issued by then, not expired, not revoked). */
export async function kindsHeldInDate(db: Executor, tenantId: string, memberId: string, kindIds: readonly string[], onDate: string): Promise<Set<string>> {
  if (!kindIds.length) return new Set();
  const rows = await db
    .selectDistinct({ kindId: qualifications.kindId })
    .from(qualifications)
    .where(
      and(
        eq(qualifications.tenantId, tenantId),
        eq(qualifications.memberId, memberId),
        inArray(qualifications.kindId, [...kindIds]),
        isNull(qualifications.revokedAt),
        lte(qualifications.issuedOn, onDate),
        or(isNull(qualifications.expiresOn), gte(qualifications.expiresOn, onDate)),
      ),
    );
  return new Set(rows.map((r) => r.kindId));
}

/** The member's latest award of a kind that is not revoked (issued on or before `onDate`). */
export async function latestAward(db: Executor, tenantId: string, memberId: string, kindId: string, onDate: string) {
  return (
    await db
      .select()
      .from(qualifications)
      .where(and(eq(qualifications.tenantId, tenantId), eq(qualifications.memberId, memberId), eq(qualifications.kindId, kindId), isNull(qualifications.revokedAt), lte(qualifications.issuedOn, onDate)))
      .orderBy(desc(qualifications.issuedOn), desc(qualifications.createdAt), desc(qualifications.id))
      .limit(1)
  )[0];
}

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** SQL: the award has a renewal that is not revoked (it is superseded). */
export const superseded = sql`EXISTS (SELECT 1 FROM ${qualifications} r WHERE r.tenant_id = ${qualifications.tenantId} AND r.renewal_of = ${qualifications.id} AND r.revoked_at IS NULL)`;
