import { and, asc, desc, eq, gte, isNull, lte, not, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { addDays } from './calendar.ts';
import { rowsOf, superseded } from './queries.ts';
import { qualificationKinds, qualifications, type Qualification } from './schema.ts';

export interface QualificationKindRef {
  id: string;
  key: string;
  title: string;
  titlePl: string | null;
}

export async function listQualificationKindRefs(db: Executor, tenantId: string): Promise<QualificationKindRef[]> {
  return db
    .select({ id: qualificationKinds.id, key: qualificationKinds.key, title: qualificationKinds.title, titlePl: qualificationKinds.titlePl })
    .from(qualificationKinds)
    .where(eq(qualificationKinds.tenantId, tenantId))
    .orderBy(asc(qualificationKinds.title));
}

/** Qualification kind keys each member holds in date on `onDate` (YYYY-MM-DD, not revoked), for every member or the given ones. One query, aggregated per member in SQL. */
export async function validQualificationKeysByMember(db: Executor, tenantId: string, onDate: string, memberIds?: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (memberIds && memberIds.length === 0) return out;
  const rows = rowsOf<{ member_id: string; keys: string[] }>(
    await db.execute(sql`
      SELECT q.member_id, array_agg(DISTINCT k.key) AS keys
      FROM ${qualifications} q JOIN ${qualificationKinds} k ON k.tenant_id = q.tenant_id AND k.id = q.kind_id
      WHERE q.tenant_id = ${tenantId} AND q.revoked_at IS NULL AND q.issued_on <= ${onDate}::date AND (q.expires_on IS NULL OR q.expires_on >= ${onDate}::date)
        ${memberIds ? sql`AND q.member_id = ANY(${`{${memberIds.join(',')}}`}::uuid[])` : sql``}
      GROUP BY q.member_id`),
  );
  for (const r of rows) out.set(r.member_id, new Set(r.keys));
  return out;
}

/** Qualifications (not revoked, not superseded by a renewal) expiring between two dates inclusive, for the coordinator dashboard. */
export async function expiringQualifications(db: Executor, tenantId: string, from: string, to: string): Promise<Array<{ memberId: string; kindKey: string; title: string; expiresOn: string; reminded: boolean }>> {
  const rows = await db
    .select({ memberId: qualifications.memberId, kindKey: qualificationKinds.key, title: qualificationKinds.title, expiresOn: qualifications.expiresOn, remindedAt: qualifications.remindedAt })
    .from(qualifications)
    .innerJoin(qualificationKinds, and(eq(qualificationKinds.tenantId, qualifications.tenantId), eq(qualificationKinds.id, qualifications.kindId)))
    .where(and(eq(qualifications.tenantId, tenantId), isNull(qualifications.revokedAt), gte(qualifications.expiresOn, from), lte(qualifications.expiresOn, to), not(superseded)))
    .orderBy(asc(qualifications.expiresOn), asc(qualificationKinds.key));
  return rows.map((r) => ({ memberId: r.memberId, kindKey: r.kindKey, title: r.title, expiresOn: r.expiresOn ?? to, reminded: r.remindedAt !== null }));
}

export type QualificationStatus = 'valid' | 'expiring' | 'expired' | 'revoked';

/** Revoked, expired (past its last valid day), expiring (within 30 days) or valid, on `today`. */
export function statusOf(award: Pick<Qualification, 'revokedAt' | 'expiresOn'>, today: string): QualificationStatus {
  if (award.revokedAt) return 'revoked';
  if (award.expiresOn === null) return 'valid';
  if (award.expiresOn < today) return 'expired';
  return award.expiresOn <= addDays(today, 30) ? 'expiring' : 'valid';
}

export interface AwardRow {
  id: string;
  memberId: string;
  kindId: string;
  kindKey: string;
  title: string;
  titlePl: string | null;
  issuedOn: string;
  expiresOn: string | null;
  source: 'course' | 'manual';
  courseKey: string | null;
  reason: string | null;
  renewalOf: string | null;
  revokedAt: Date | null;
  isDemo: boolean;
  superseded: boolean;
}

const awardColumns = {
  id: qualifications.id,
  memberId: qualifications.memberId,
  kindId: qualifications.kindId,
  kindKey: qualificationKinds.key,
  title: qualificationKinds.title,
  titlePl: qualificationKinds.titlePl,
  issuedOn: qualifications.issuedOn,
  expiresOn: qualifications.expiresOn,
  source: qualifications.source,
  courseKey: qualifications.courseKey,
  reason: qualifications.reason,
  renewalOf: qualifications.renewalOf,
  revokedAt: qualifications.revokedAt,
  isDemo: qualifications.isDemo,
  superseded: sql<boolean>`${superseded}`,
};

/** One member's awards, newest first (the holder's own page). */
export async function qualificationsOfMember(db: Executor, tenantId: string, memberId: string): Promise<AwardRow[]> {
  return db
    .select(awardColumns)
    .from(qualifications)
    .innerJoin(qualificationKinds, and(eq(qualificationKinds.tenantId, qualifications.tenantId), eq(qualificationKinds.id, qualifications.kindId)))
    .where(and(eq(qualifications.tenantId, tenantId), eq(qualifications.memberId, memberId)))
    .orderBy(desc(qualifications.issuedOn), desc(qualifications.createdAt));
}

/** Awards of the tenant for coordinators: by kind, or only current ones expiring between today and 30 days on. */
export async function listAwards(db: Executor, tenantId: string, filter: { kindId?: string | undefined; expiringFrom?: string | undefined; limit?: number }): Promise<AwardRow[]> {
  return db
    .select(awardColumns)
    .from(qualifications)
    .innerJoin(qualificationKinds, and(eq(qualificationKinds.tenantId, qualifications.tenantId), eq(qualificationKinds.id, qualifications.kindId)))
    .where(
      and(
        eq(qualifications.tenantId, tenantId),
        filter.kindId ? eq(qualifications.kindId, filter.kindId) : undefined,
        filter.expiringFrom ? and(isNull(qualifications.revokedAt), gte(qualifications.expiresOn, filter.expiringFrom), lte(qualifications.expiresOn, addDays(filter.expiringFrom, 30)), not(superseded)) : undefined,
      ),
    )
    .orderBy(filter.expiringFrom ? asc(qualifications.expiresOn) : desc(qualifications.issuedOn), desc(qualifications.createdAt))
    .limit(filter.limit ?? 500);
}

/** What the public check page may show of an award found by its code (never the id, member number, contact or ward). */
export async function awardByCode(db: Executor, tenantId: string, code: string) {
  return (
    await db
      .select({ memberId: qualifications.memberId, title: qualificationKinds.title, titlePl: qualificationKinds.titlePl, issuedOn: qualifications.issuedOn, expiresOn: qualifications.expiresOn, revokedAt: qualifications.revokedAt, isDemo: qualifications.isDemo })
      .from(qualifications)
      .innerJoin(qualificationKinds, and(eq(qualificationKinds.tenantId, qualifications.tenantId), eq(qualificationKinds.id, qualifications.kindId)))
      .where(and(eq(qualifications.tenantId, tenantId), eq(qualifications.code, code)))
  )[0];
}

/** "Anna Kowalska-Nowak" → "Anna K." (first name and the initial of the surname only). */
export function publicName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '';
  const first = parts[0] ?? '';
  const last = parts.length > 1 ? parts[parts.length - 1] : undefined;
  return last ? `${first} ${Array.from(last)[0]?.toUpperCase() ?? ''}.` : first;
}
