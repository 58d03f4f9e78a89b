import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { randomToken } from '../lib/hash.ts';
import { memberRoles, type Role } from '../modules/membership/schema.ts';
import { insertMember, PRIVACY_NOTICE_VERSION } from '../modules/membership/service.ts';
import { createSession } from '../modules/membership/sessions.ts';
import { areas, wards } from '../modules/tenancy/schema.ts';
import { isStaffRole } from '../modules/membership/policy.ts';

/** An active member with the given roles, and a signed-in session cookie value for them. */
export async function buildMember(db: Db, tenantId: string, opts: { roles?: Role[]; name?: string; email?: string; phone?: string; wardCode?: string } = {}) {
  const suffix = randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  const email = opts.email ?? `m-${suffix}@example.org`;
  let wardId: string | null = null;
  if (opts.wardCode) {
    const [row] = await db
      .select({ id: wards.id })
      .from(wards)
      .innerJoin(areas, and(eq(areas.tenantId, wards.tenantId), eq(areas.currentWardSetId, wards.wardSetId)))
      .where(and(eq(wards.tenantId, tenantId), eq(wards.code, opts.wardCode)));
    wardId = row?.id ?? null;
  }
  const member = await db.transaction(async (tx) => {
    const m = await insertMember(
      tx,
      tenantId,
      { name: opts.name ?? `Test Person ${suffix}`, email, phone: opts.phone, relationship: 'parent', preferredLocale: 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'active', wardId },
      'system:test',
    );
    const extra = (opts.roles ?? []).filter((r) => r !== 'member');
    if (extra.length) await tx.insert(memberRoles).values(extra.map((role) => ({ tenantId, memberId: m.id, role, grantedBy: 'system:test' })));
    return m;
  });
  const staff = (opts.roles ?? []).some((r) => isStaffRole(r));
  const { token } = await createSession(db, { tenantId, memberId: member.id, staff, secondFactor: staff });
  return { member, cookie: token };
}
