import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { appendAudit, verifyAudit } from './service.ts';

describe(`audit log (${storeName()})`, () => {
  it('chains rows per tenant and verifies an untouched chain', async () => {
    const database = await testDatabase();
    const { tenant } = await buildTenant(database.db);
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 5; i += 1) {
        await appendAudit(tx, { tenantId: tenant.id, actor: 'system:test', action: 'thing.change', entity: 'thing', entityId: String(i), data: { i } });
      }
    });
    const report = await verifyAudit(database.db, tenant.id);
    expect(report.problems).toEqual([]);
    expect(report.rows).toBe(7); // tenant.create + ward_set.create + 5
  });

  it('refuses UPDATE and DELETE of audit rows', async () => {
    const database = await testDatabase();
    const { tenant } = await buildTenant(database.db);
    await expect(database.query('UPDATE audit_log SET actor = $1 WHERE tenant_id = $2', ['x', tenant.id])).rejects.toThrow(/append-only/);
    await expect(database.query('DELETE FROM audit_log WHERE tenant_id = $1', [tenant.id])).rejects.toThrow(/append-only/);
  });

  it('detects an edited row and a removed row when the trigger is bypassed', async () => {
    const database = await testDatabase();
    const { tenant } = await buildTenant(database.db);
    // The rows this test tampers with, put back at the end: on PostgreSQL the suites share one
    // database, and other tests (the CLI's `audit verify`) check every tenant's chain.
    const saved: string[] = [];
    const save = async (tenantId: string, seq: string) => {
      const [row] = await database.query<{ row: unknown }>(`SELECT row_to_json(a) AS row FROM audit_log a WHERE tenant_id = $1 AND seq = ${seq}`, [tenantId]);
      saved.push(JSON.stringify(row!.row));
    };
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 4; i += 1) {
        await appendAudit(tx, { tenantId: tenant.id, actor: 'system:test', action: 'x', entity: 'x', entityId: String(i) });
      }
    });
    await save(tenant.id, '3');
    await database.rawTransaction(async (q) => {
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q(`UPDATE audit_log SET data = '{"forged":true}' WHERE tenant_id = $1 AND seq = 3`, [tenant.id]);
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const edited = await verifyAudit(database.db, tenant.id);
    expect(edited.problems).toContainEqual({ tenantId: tenant.id, seq: 3, problem: 'hash_mismatch' });

    const other = await buildTenant(database.db);
    await save(other.tenant.id, '1');
    await database.rawTransaction(async (q) => {
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 1', [other.tenant.id]);
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const removed = await verifyAudit(database.db, other.tenant.id);
    expect(removed.problems.map((p) => p.problem)).toContain('missing_row');

    const third = await buildTenant(database.db);
    await save(third.tenant.id, '(SELECT max(seq) FROM audit_log WHERE tenant_id = $1)');
    await database.rawTransaction(async (q) => {
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = (SELECT max(seq) FROM audit_log WHERE tenant_id = $1)', [third.tenant.id]);
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const lastRemoved = await verifyAudit(database.db, third.tenant.id);
    expect(lastRemoved.problems.map((p) => p.problem)).toContain('head_mismatch');

    // Put the tampered rows back as they were: every chain verifies again.
    await database.rawTransaction(async (q) => {
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      for (const row of saved) {
        const { tenant_id: tenantId, seq } = JSON.parse(row) as { tenant_id: string; seq: number };
        await q('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = $2', [tenantId, seq]);
        await q('INSERT INTO audit_log SELECT * FROM json_populate_record(NULL::audit_log, $1::json)', [row]);
      }
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    for (const t of [tenant.id, other.tenant.id, third.tenant.id]) expect((await verifyAudit(database.db, t)).problems).toEqual([]);
  });
});
