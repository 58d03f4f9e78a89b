import { describe, expect, it } from 'vitest';
import type { RawQuery } from '../db/connection.ts';
import { testDeps } from '../test/app.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { DATA_CATALOGUE, MODULES } from './index.ts';
import type { PersonalDataProvider } from './manifest.ts';
import { collectMemberData, eraseIn, erasureTables, personalDataProviders } from './membership/data-rights.ts';

/** Contact columns that point at a person as surely as a member_id does (outboxes are keyed by them). */
const CONTACT_COLUMN = /^(to_address|to_number|to_email|to_phone|email|phone)$/;

/**
 * Tables of the live schema holding a member reference: a member_id column, or a contact column
 * that privacy.ts tags as personal. Read from information_schema, not from our own lists.
 */
async function memberReferencingTables(query: RawQuery): Promise<string[]> {
  const rows = await query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns c
     WHERE c.table_schema = 'public'
       AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')`,
  );
  const tables = new Set<string>();
  for (const { table_name, column_name } of rows) {
    if (column_name === 'member_id') tables.add(table_name);
    else if (CONTACT_COLUMN.test(column_name) && DATA_CATALOGUE[table_name]?.personal[column_name]) tables.add(table_name);
  }
  return [...tables].sort();
}

/** The tables no provider claims. */
function unclaimed(tables: readonly string[], providers: readonly PersonalDataProvider[]): string[] {
  const claimed = new Set(providers.flatMap((p) => p.covers));
  return tables.filter((t) => !claimed.has(t));
}

describe(`personal-data providers (${storeName()})`, () => {
  it('every table holding a member reference is claimed by some module provider', async () => {
    const deps = await testDeps();
    const tables = await memberReferencingTables((text, params) => deps.database.query(text, params));
    // The scan sees the tables it must (member ids and the two outboxes keyed by address and number).
    expect(tables).toEqual(expect.arrayContaining(['members', 'sessions', 'member_roles', 'email_outbox', 'sms_outbox']));
    expect(unclaimed(tables, personalDataProviders())).toEqual([]);
    // …and no provider claims a table that does not exist (a stale claim would hide a rename).
    const existing = await deps.database.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    const names = new Set(existing.map((r) => r.table_name));
    expect(personalDataProviders().flatMap((p) => p.covers).filter((t) => !names.has(t))).toEqual([]);
  });

  it('fails for a table with a member reference that no provider claims, and for a module without its provider', async () => {
    const deps = await testDeps();
    const rollback = new Error('rollback');
    // A toy table inside a transaction that is rolled back: the shared database is left as it was.
    await expect(
      deps.database.rawTransaction(async (query) => {
        await query('CREATE TABLE toy_member_notes (tenant_id uuid NOT NULL, member_id uuid NOT NULL, note text)');
        expect(unclaimed(await memberReferencingTables(query), personalDataProviders())).toEqual(['toy_member_notes']);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    // Without the sms module's provider, its outbox (keyed by the phone number, no member_id) is unclaimed.
    const tables = await memberReferencingTables((text, params) => deps.database.query(text, params));
    const withoutSms = MODULES.filter((m) => m.name !== 'sms').flatMap((m) => ('personalData' in m && m.personalData ? [m.personalData] : []));
    expect(unclaimed(tables, withoutSms)).toEqual(['sms_outbox']);
  });

  it('each provider erases only tables it covers, and together exactly the tables vacuumed after erasure', async () => {
    const deps = await testDeps();
    const db = deps.database.db;
    const { tenant } = await buildTenant(db, { wards: false });
    const { member } = await buildMember(db, tenant.id, { phone: '+447700900418' });
    const rollback = new Error('rollback');
    const subject = { tenantId: tenant.id, id: member.id, email: member.email, phone: member.phone };
    const perProvider: string[][] = [];
    await expect(
      db.transaction(async (tx) => {
        for (const p of personalDataProviders()) {
          const changed = p.eraseFor ? [...(await p.eraseFor(tx, subject))] : [];
          expect(changed.filter((t) => !p.covers.includes(t)), `provider ${p.order}`).toEqual([]);
          expect([...changed].sort(), `provider ${p.order} erases what it declares`).toEqual([...(p.erases ?? [])].sort());
          perProvider.push(changed);
        }
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(perProvider.flat().sort()).toEqual(erasureTables().sort());
    // The platform and membership tables known to hold erasable data are among them.
    expect(erasureTables()).toEqual(expect.arrayContaining(['members', 'sessions', 'email_outbox', 'sms_outbox', 'idempotency_keys']));
    // The orchestration answers the same union (the caller vacuums exactly these).
    const changed = await db.transaction((tx) => eraseIn(tx, tenant.id, member.id, member.id));
    expect([...(changed ?? [])].sort()).toEqual(erasureTables().sort());
    // A second erasure is a no-op: nothing to vacuum.
    expect(await db.transaction((tx) => eraseIn(tx, tenant.id, member.id, member.id))).toBeNull();
  });

  it('assembles the download in the same section order as before the providers', async () => {
    const deps = await testDeps();
    const { tenant } = await buildTenant(deps.database.db, { wards: false });
    const { member } = await buildMember(deps.database.db, tenant.id);
    const data = await collectMemberData(deps.database.db, tenant.id, member.id);
    // These sections keep their order; a later module's sections may come anywhere among them.
    const known = ['exportedAt', 'profile', 'roles', 'statusHistory', 'wardRepresentation', 'sessions', 'passkeys', 'secondFactors', 'recoveryCodes', 'secondFactorResets', 'texts', 'emails', 'activity'];
    expect(Object.keys(data).filter((k) => known.includes(k))).toEqual(known);
    // Each section comes from exactly one provider, in provider order.
    expect(Object.keys(data).length).toBe(new Set(Object.keys(data)).size);
  });

  it('the audit provider is export-only: activity rows are kept after erasure', () => {
    const audit = MODULES.find((m) => m.name === 'audit');
    expect(audit && 'personalData' in audit ? audit.personalData.covers : []).toEqual(['audit_log']);
    expect(audit && 'personalData' in audit ? 'eraseFor' in audit.personalData : true).toBe(false);
  });
});
