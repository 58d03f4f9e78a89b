import { and, asc, eq, or } from 'drizzle-orm';
import type { DataSection, ExportContext, PersonalDataProvider } from '../manifest.ts';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import { auditLog } from './schema.ts';

/**
 * What the member did and what was done about them. Export only: audit rows carry the pseudonymous
 * id, never a name or contact detail, and are kept after erasure (KEPT_AFTER_ERASURE).
 */
export const auditPersonalData = {
  order: 40,
  covers: ['audit_log'],
  async exportFor(db: Executor, { subject, who }: ExportContext): Promise<DataSection[]> {
    const rows = await db
      .select({ at: auditLog.at, actor: auditLog.actor, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, subject.tenantId), or(eq(auditLog.actor, subject.id), eq(auditLog.entityId, subject.id))))
      .orderBy(asc(auditLog.at));
    return [{ name: 'activity', columns: ['at', 'action', 'entity', 'by', 'aboutYou'], rows: rows.map((a) => ({ at: iso(a.at), action: a.action, entity: a.entity, by: who(a.actor), aboutYou: a.entityId === subject.id })) }];
  },
} satisfies PersonalDataProvider;
