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
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 4; i += 1) {
        await appendAudit(tx, { tenantId: tenant.id, actor: 'system:test', action: 'x', entity: 'x', entityId: String(i) });
      }
    });
    await database.rawTransaction(async (q) => {
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q(`UPDATE audit_log SET data = '{"forged":true}' WHERE tenant_id = $1 AND seq = 3`, [tenant.id]);
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const edited = await verifyAudit(database.db, tenant.id);
    expect(edited.problems).toContainEqual({ tenantId: tenant.id, seq: 3, problem: 'hash_mismatch' });

    const other = await buildTenant(database.db);
    await database.rawTransaction(async (q) => {
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 1', [other.tenant.id]);
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const removed = await verifyAudit(database.db, other.tenant.id);
    expect(removed.problems.map((p) => p.problem)).toContain('missing_row');

    const third = await buildTenant(database.db);
    await database.rawTransaction(async (q) => {
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = (SELECT max(seq) FROM audit_log WHERE tenant_id = $1)', [third.tenant.id]);
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const lastRemoved = await verifyAudit(database.db, third.tenant.id);
    expect(lastRemoved.problems.map((p) => p.problem)).toContain('head_mismatch');
  });
});
