import { and, asc, eq, sql } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../../lib/hash.ts';
import type { Executor } from '../../db/connection.ts';
import { auditHeads, auditLog, type AuditRow } from './schema.ts';

export const GENESIS_HASH = 'genesis';

export interface AuditEntry {
  tenantId: string;
  /** A user id or a system actor ("system:cli", "system:seed"); never a name or email. */
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  data?: Record<string, unknown>;
}

/** The hash of one row, from its content and the previous row's hash. */
export function auditHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prevHash'>): string {
  return sha256Hex(
    prevHash +
      canonicalJson({
        tenantId: row.tenantId,
        seq: row.seq,
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action,
        entity: row.entity,
        entityId: row.entityId,
        data: row.data,
      }),
  );
}

/**
 * Append one audit row in the caller's transaction. Locking the tenant's head row serialises
 * appends, so concurrent writers cannot fork the chain.
 */
export async function appendAudit(tx: Executor, entry: AuditEntry): Promise<AuditRow> {
  await tx.insert(auditHeads).values({ tenantId: entry.tenantId, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
  const [head] = await tx
    .select()
    .from(auditHeads)
    .where(eq(auditHeads.tenantId, entry.tenantId))
    .for('update');
  if (!head) throw new Error('audit head missing after upsert');
  const content = {
    tenantId: entry.tenantId,
    seq: head.seq + 1,
    at: new Date().toISOString(),
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    data: entry.data ?? {},
  };
  const hash = auditHash(head.hash, content);
  const row: AuditRow = { ...content, prevHash: head.hash, hash };
  await tx.insert(auditLog).values(row);
  await tx.update(auditHeads).set({ seq: row.seq, hash }).where(eq(auditHeads.tenantId, entry.tenantId));
  return row;
}

/** Append many audit rows of one tenant in one go (bulk imports), chained exactly as appendAudit would. */
export async function appendAuditMany(tx: Executor, tenantId: string, entries: Array<Omit<AuditEntry, 'tenantId'>>): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(auditHeads).values({ tenantId, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId)).for('update');
  if (!head) throw new Error('audit head missing after upsert');
  let prevHash = head.hash;
  let seq = head.seq;
  const at = new Date().toISOString();
  const rows: AuditRow[] = entries.map((e) => {
    seq += 1;
    const content = { tenantId, seq, at, actor: e.actor, action: e.action, entity: e.entity, entityId: e.entityId, data: e.data ?? {} };
    const hash = auditHash(prevHash, content);
    const row = { ...content, prevHash, hash };
    prevHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 2000) await tx.insert(auditLog).values(rows.slice(i, i + 2000));
  await tx.update(auditHeads).set({ seq, hash: prevHash }).where(eq(auditHeads.tenantId, tenantId));
}

export interface AuditProblem {
  tenantId: string;
  seq: number;
  problem: 'hash_mismatch' | 'broken_link' | 'missing_row' | 'head_mismatch';
}

export interface AuditReport {
  tenants: number;
  rows: number;
  problems: AuditProblem[];
}

/** Recompute every tenant's chain; report edited, removed or re-ordered rows. */
export async function verifyAudit(db: Executor, tenantId?: string): Promise<AuditReport> {
  const heads = await db
    .select()
    .from(auditHeads)
    .where(tenantId ? eq(auditHeads.tenantId, tenantId) : sql`true`);
  const report: AuditReport = { tenants: heads.length, rows: 0, problems: [] };
  for (const head of heads) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    const pageSize = 5000;
    for (let from = 0; ; from += pageSize) {
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, head.tenantId), sql`${auditLog.seq} > ${from}`, sql`${auditLog.seq} <= ${from + pageSize}`))
        .orderBy(asc(auditLog.seq));
      for (const row of rows) {
        report.rows += 1;
        if (row.seq !== expectedSeq) {
          report.problems.push({ tenantId: head.tenantId, seq: expectedSeq, problem: 'missing_row' });
        } else if (row.prevHash !== prevHash) {
          report.problems.push({ tenantId: head.tenantId, seq: row.seq, problem: 'broken_link' });
        }
        if (auditHash(row.prevHash, row) !== row.hash) {
          report.problems.push({ tenantId: head.tenantId, seq: row.seq, problem: 'hash_mismatch' });
        }
        prevHash = row.hash;
        expectedSeq = row.seq + 1;
      }
      if (from + pageSize >= head.seq) break;
    }
    if (expectedSeq - 1 !== head.seq || prevHash !== head.hash) {
      report.problems.push({ tenantId: head.tenantId, seq: head.seq, problem: 'head_mismatch' });
    }
  }
  return report;
}
