import { and, asc, desc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Executor } from '../../db/connection.ts';
import { wardLabels } from '../tenancy/views.ts';
import { memberRoles, members, memberStatusHistory, wardRepresentatives, type Member, type MemberStatus, type Role } from './schema.ts';

export async function findMemberById(db: Executor, tenantId: string, id: string): Promise<Member | undefined> {
  const rows = await db.select().from(members).where(and(eq(members.tenantId, tenantId), eq(members.id, id))).limit(1);
  return rows[0];
}

export async function findMemberByEmail(db: Executor, tenantId: string, email: string): Promise<Member | undefined> {
  const rows = await db.select().from(members).where(and(eq(members.tenantId, tenantId), eq(members.email, email))).limit(1);
  return rows[0];
}

export async function rolesOf(db: Executor, tenantId: string, memberId: string): Promise<Role[]> {
  const rows = await db
    .select({ role: memberRoles.role })
    .from(memberRoles)
    .where(and(eq(memberRoles.tenantId, tenantId), eq(memberRoles.memberId, memberId)));
  return rows.map((r) => r.role);
}

export async function statusHistory(db: Executor, tenantId: string, memberId: string) {
  return db
    .select()
    .from(memberStatusHistory)
    .where(and(eq(memberStatusHistory.tenantId, tenantId), eq(memberStatusHistory.memberId, memberId)))
    .orderBy(asc(memberStatusHistory.changedAt));
}

export const MEMBER_SORTS = {
  number: [asc(members.memberNumber)],
  name: [asc(sql`lower(${members.name})`), asc(members.memberNumber)],
  newest: [desc(members.createdAt), desc(members.memberNumber)],
} as const;
export type MemberSort = keyof typeof MEMBER_SORTS;

export interface MemberSearch {
  q?: string | undefined;
  wardId?: string | undefined;
  status?: MemberStatus | undefined;
  role?: Role | undefined;
  sort: MemberSort;
  limit: number;
  offset: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

export const COUNT_CAP = 1000;

/**
 * The stored (E.164) forms a phone-like query could mean: "07700 900123" and "+447700900123" are the
 * same UK number, "+48 600 100 200" a Polish one, "0048…" the same with the international prefix.
 * Undefined when the query is not a phone number.
 */
export function phoneCandidates(q: string): string[] | undefined {
  if (!/^\+?[\d\s().\-\u2010-\u2015]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return undefined;
  const candidates = new Set<string>();
  const parsed = parsePhoneNumberFromString(q, 'GB');
  if (parsed?.isPossible()) candidates.add(parsed.number);
  // With a country code, with or without the "+" (447700900123, 48600100200).
  if (!digits.startsWith('0')) candidates.add(`+${digits}`);
  return candidates.size ? [...candidates] : undefined;
}

/** The filters of a member search; erased members are left out unless asked for by status. */
export function memberSearchWhere(tenantId: string, search: Pick<MemberSearch, 'q' | 'wardId' | 'status' | 'role'>): SQL | undefined {
  const conditions: SQL[] = [eq(members.tenantId, tenantId)];
  const q = search.q?.trim();
  if (q) {
    const phones = /^\d{1,9}$/.test(q) ? undefined : phoneCandidates(q);
    if (/^\d{1,9}$/.test(q)) conditions.push(eq(members.memberNumber, Number(q)));
    else if (phones) conditions.push(inArray(members.phone, phones));
    else {
      const pattern = `%${escapeLike(q.toLowerCase())}%`;
      // Names compare without accents or case (the members_name_unaccent_trgm index): "klos" finds Kłos.
      const match = or(sql`f_unaccent(lower(${members.name})) LIKE f_unaccent(${pattern})`, ilike(members.email, pattern));
      if (match) conditions.push(match);
    }
  }
  if (search.wardId) conditions.push(eq(members.wardId, search.wardId));
  conditions.push(search.status ? eq(members.status, search.status) : ne(members.status, 'erased'));
  if (search.role) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM ${memberRoles} r WHERE r.tenant_id = ${members.tenantId} AND r.member_id = ${members.id} AND r.role = ${search.role})`,
    );
  }
  return and(...conditions);
}

/** Member search for coordinators: name/email/number, filters, sort from an allow-list. */
export async function searchMembers(db: Executor, tenantId: string, search: MemberSearch) {
  const where = memberSearchWhere(tenantId, search);
  const wards = wardLabels(db);
  const [rows, total] = await Promise.all([
    db
      .select({
        id: members.id,
        memberNumber: members.memberNumber,
        name: members.name,
        email: members.email,
        phone: members.phone,
        status: members.status,
        wardId: members.wardId,
        wardName: wards.name,
        createdAt: members.createdAt,
        isDemo: members.isDemo,
      })
      .from(members)
      .leftJoin(wards, and(eq(wards.tenantId, members.tenantId), eq(wards.id, members.wardId)))
      .where(where)
      .orderBy(...MEMBER_SORTS[search.sort])
      .limit(search.limit)
      .offset(search.offset),
    // Counting every match of a common fragment costs more than the page itself: count up to
    // COUNT_CAP and say "more than" beyond it.
    db.select({ n: sql<number>`count(*)::int` }).from(db.select({ one: sql`1` }).from(members).where(where).limit(COUNT_CAP + 1).as('capped')),
  ]);
  const n = total[0]?.n ?? 0;
  return { rows, total: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
}

/** Active ward representatives on a date (ends_on null or later). */
export async function activeRepresentatives(db: Executor, tenantId: string, onDate: string) {
  return db
    .select({ id: wardRepresentatives.id, wardId: wardRepresentatives.wardId, memberId: wardRepresentatives.memberId, name: members.name, isDemo: members.isDemo, startsOn: wardRepresentatives.startsOn, endsOn: wardRepresentatives.endsOn })
    .from(wardRepresentatives)
    .innerJoin(members, and(eq(members.tenantId, wardRepresentatives.tenantId), eq(members.id, wardRepresentatives.memberId)))
    .where(
      and(
        eq(wardRepresentatives.tenantId, tenantId),
        sql`${wardRepresentatives.startsOn} <= ${onDate}`,
        or(isNull(wardRepresentatives.endsOn), sql`${wardRepresentatives.endsOn} >= ${onDate}`),
      ),
    );
}

export async function representativesOfMember(db: Executor, tenantId: string, memberId: string) {
  return db
    .select()
    .from(wardRepresentatives)
    .where(and(eq(wardRepresentatives.tenantId, tenantId), eq(wardRepresentatives.memberId, memberId)))
    .orderBy(desc(wardRepresentatives.startsOn));
}

/** Members per ward by status (for coverage). */
export async function memberCountsByWard(db: Executor, tenantId: string) {
  return db
    .select({ wardId: members.wardId, n: sql<number>`count(*)::int` })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.status, 'active')))
    .groupBy(members.wardId);
}
