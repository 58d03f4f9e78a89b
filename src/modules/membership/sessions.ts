import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { randomToken, sha256Hex } from '../../lib/hash.ts';
import type { Actor } from './policy.ts';
import { isStaffRole } from './policy.ts';
import type { Role } from './schema.ts';
import { memberRoles, members, sessions } from './schema.ts';

/** Session lifetimes: members stay signed in longer than staff (SECURITY.md 4). */
export const SESSION_LIMITS = {
  member: { idleMs: 7 * 24 * 3600_000, absoluteMs: 30 * 24 * 3600_000 },
  staff: { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 },
} as const;
const TOUCH_EVERY_MS = 60_000;

/** A new session (new id at every sign-in); returns the cookie token, the table keeps only its hash. */
export async function createSession(tx: Executor, input: { tenantId: string; memberId: string; staff: boolean; secondFactor: boolean }) {
  const token = randomToken(32);
  const limits = input.staff ? SESSION_LIMITS.staff : SESSION_LIMITS.member;
  const id = sha256Hex(token);
  await tx.insert(sessions).values({
    id,
    tenantId: input.tenantId,
    memberId: input.memberId,
    expiresAt: new Date(Date.now() + limits.absoluteMs),
    secondFactorAt: input.secondFactor ? new Date() : null,
  });
  return { token, id };
}

/**
 * One round trip on every signed-in request: the session, its member's status and ward, and
 * their roles. Prepared once per handle (a named statement on PostgreSQL), since building the
 * query cost more than running it.
 */
function buildSessionLookup(db: Executor) {
  return db
    .select({
      memberId: sessions.memberId,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      secondFactorAt: sessions.secondFactorAt,
      status: members.status,
      suspendedAt: members.suspendedAt,
      wardId: members.wardId,
      // Outer columns written out: drizzle renders a column in a select's sql as a bare name, which would bind to r.
      roles: sql<Role[]>`array(SELECT r.role::text FROM ${memberRoles} r WHERE r.tenant_id = "sessions"."tenant_id" AND r.member_id = "sessions"."member_id")`,
    })
    .from(sessions)
    .innerJoin(members, and(eq(members.tenantId, sessions.tenantId), eq(members.id, sessions.memberId)))
    .where(and(eq(sessions.id, sql.placeholder('id')), eq(sessions.tenantId, sql.placeholder('tenantId')), isNull(sessions.revokedAt)))
    .limit(1)
    .prepare('pm_session_lookup');
}
const sessionLookups = new WeakMap<Executor, ReturnType<typeof buildSessionLookup>>();
function sessionLookup(db: Executor): ReturnType<typeof buildSessionLookup> {
  let q = sessionLookups.get(db);
  if (!q) sessionLookups.set(db, (q = buildSessionLookup(db)));
  return q;
}

/**
 * The actor behind a session cookie, or undefined when the session is unknown, revoked, expired,
 * idle too long, of another tenant, or its member is suspended / not active.
 */
export async function actorFromSession(db: Executor, tenantId: string, token: string | undefined): Promise<Actor | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const id = sha256Hex(token);
  const rows = await sessionLookup(db).execute({ id, tenantId });
  const row = rows[0];
  if (!row || row.suspendedAt || (row.status !== 'active' && row.status !== 'pending')) return undefined;
  const roles = row.roles;
  const staff = roles.some(isStaffRole);
  const limits = staff ? SESSION_LIMITS.staff : SESSION_LIMITS.member;
  const now = Date.now();
  if (new Date(row.expiresAt).getTime() <= now) return undefined;
  if (now - new Date(row.lastSeenAt).getTime() > limits.idleMs) return undefined;
  // A staff role granted after sign-in needs the second factor before it counts.
  if (staff && !row.secondFactorAt) return undefined;
  if (now - new Date(row.lastSeenAt).getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
  }
  return { memberId: row.memberId, tenantId, roles: new Set(roles), sessionId: id, member: { status: row.status, wardId: row.wardId } };
}

export async function revokeSession(db: Executor, sessionId: string): Promise<void> {
  await db.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(db: Executor, tenantId: string, memberId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.memberId, memberId), isNull(sessions.revokedAt)));
}
