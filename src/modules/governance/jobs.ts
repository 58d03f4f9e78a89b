import { and, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { grantRoleIn, removeRole } from '../membership/service.ts';
import { memberRolesOf } from '../membership/views.ts';
import { isTermCurrent } from './board.ts';
import { govTerms } from './schema.ts';

const JOB_ACTOR = 'system:governance';

/**
 * The board role follows the terms (manifest job, every five minutes): granted when a term starts,
 * removed when it ends or ends early, unless another current term holds. Each term is claimed with
 * `FOR UPDATE SKIP LOCKED`, so two processes never work on the same term; `role_granted_at` /
 * `role_removed_at` make a second run a no-op. Uses membership's `grantRoleIn` (in the transaction)
 * and `removeRole` (with a system actor holding admin, inside a savepoint of the same transaction).
 */
export async function syncBoardRoles(db: Db, now: Date, opts: { tenantId?: string } = {}): Promise<number> {
  const today = isoDate(now);
  const scope = opts.tenantId ? eq(govTerms.tenantId, opts.tenantId) : undefined;
  const due = await db
    .select({ tenantId: govTerms.tenantId, id: govTerms.id })
    .from(govTerms)
    .where(
      and(
        scope,
        isNotNull(govTerms.memberId),
        or(
          // Started, not yet granted.
          and(isNull(govTerms.roleGrantedAt), lte(govTerms.startsOn, today)),
          // Granted and now over (ended, or ended early), not yet removed.
          and(isNotNull(govTerms.roleGrantedAt), isNull(govTerms.roleRemovedAt), or(sql`${govTerms.endsOn} < ${today}::date`, lte(govTerms.endedEarlyOn, today))),
        ),
      ),
    )
    .limit(1000);
  let changed = 0;
  for (const d of due) {
    changed += await db.transaction(async (tx) => {
      const [t] = await tx.select().from(govTerms).where(and(eq(govTerms.tenantId, d.tenantId), eq(govTerms.id, d.id))).for('update', { skipLocked: true });
      if (!t || !t.memberId) return 0;
      const current = isTermCurrent(t, today);
      if (current && !t.roleGrantedAt) {
        await grantRoleIn(tx, t.tenantId, t.memberId, 'board', JOB_ACTOR);
        await tx.update(govTerms).set({ roleGrantedAt: now }).where(and(eq(govTerms.tenantId, t.tenantId), eq(govTerms.id, t.id)));
        await appendAudit(tx, { tenantId: t.tenantId, actor: JOB_ACTOR, action: 'governance.term.role_granted', entity: 'gov_term', entityId: t.id, data: {} });
        return 1;
      }
      if (current) return 0;
      if (!t.roleGrantedAt) {
        // A term that ended before the job ever saw it started: nothing was granted, nothing to remove.
        await tx.update(govTerms).set({ roleGrantedAt: now, roleRemovedAt: now }).where(and(eq(govTerms.tenantId, t.tenantId), eq(govTerms.id, t.id)));
        return 0;
      }
      if (t.roleRemovedAt) return 0;
      // Another current term of the same member keeps the role.
      const others = await tx.select().from(govTerms).where(and(eq(govTerms.tenantId, t.tenantId), eq(govTerms.memberId, t.memberId)));
      const held = others.some((o) => o.id !== t.id && isTermCurrent(o, today));
      if (!held && (await memberRolesOf(tx, t.tenantId, t.memberId)).includes('board')) {
        const system: Actor = { tenantId: t.tenantId, memberId: JOB_ACTOR, roles: new Set(['admin']), sessionId: '' };
        await removeRole(tx as unknown as Db, system, t.memberId, 'board');
      }
      await tx.update(govTerms).set({ roleRemovedAt: now }).where(and(eq(govTerms.tenantId, t.tenantId), eq(govTerms.id, t.id)));
      await appendAudit(tx, { tenantId: t.tenantId, actor: JOB_ACTOR, action: held ? 'governance.term.role_kept' : 'governance.term.role_removed', entity: 'gov_term', entityId: t.id, data: {} });
      return 1;
    });
  }
  return changed;
}
