// Issue 7 item 19: the import reads what people actually have (our own export, semicolon and tab
// files, ward names), refuses rows it cannot contact, says per row what it does, and never
// overwrites what a member changed after the last import.
import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { exportMembersCsv, formatImportError, importMembers, type ImportReport } from './csv.ts';
import type { Actor } from './policy.ts';
import type { Role } from './schema.ts';
import { insertMember, PRIVACY_NOTICE_VERSION, updateProfile } from './service.ts';

async function setup() {
  const database = await testDatabase();
  const { db } = database;
  const { tenant } = await buildTenant(db);
  const [set] = await database.query<{ id: string }>("SELECT id FROM ward_sets WHERE tenant_id = $1 AND key = 'corby-2015'", [tenant.id]);
  const wardSetId = set!.id;
  const actor: Actor = { tenantId: tenant.id, memberId: '00000000-0000-7000-8000-000000000001', roles: new Set<Role>(['coordinator']), sessionId: 'test' };
  const run = (csv: string, dryRun = false) => importMembers(db, actor, csv, { dryRun, wardSetId, notify: { tenant, baseUrl: 'https://import.test' } });
  const member = async (sql: string) => (await database.query<Record<string, unknown>>(`SELECT name, email, phone, external_ref, relationship, status, ward_id, updated_at FROM members WHERE tenant_id = $1 AND ${sql}`, [tenant.id]))[0];
  const wardOf = async (code: string) => (await database.query<{ id: string }>('SELECT id FROM wards WHERE tenant_id = $1 AND ward_set_id = $2 AND code = $3', [tenant.id, wardSetId, code]))[0]!.id;
  return { database, db, tenant, wardSetId, run, member, wardOf };
}

const errorsOf = (r: ImportReport) => r.errors.map(formatImportError);

const GOOD = [
  'name,email,phone,ward_code,relationship,children_under_5,preferred_locale,external_ref,status',
  'Ania Kowalska,ania@example.com,07700 900123,E05010265,parent,2,pl,REG-1,',
  'Ben Smith,ben@example.com,,E05010266,grandparent,,,REG-2,active',
];

describe(`member CSV import usability (${storeName()})`, () => {
  it("re-imports its own unedited export: a value starting like a formula comes back as data, in every column", async () => {
    const { db, tenant, run, member, wardOf } = await setup();
    const wardId = await wardOf('E05010264');
    const tricky = [
      { name: '=SUM(1,2)', email: '=eq@example.org', externalRef: '=REF' },
      { name: '+Plus Name', email: '+plus@example.org', externalRef: '+44' },
      { name: '-Minus Name', email: '-dash@example.org', externalRef: '-7' },
      { name: '@At Name', email: 'at@example.org', externalRef: '@ref' },
      { name: "'=Already quoted", email: 'quoted@example.org', externalRef: "''=x" },
    ];
    for (const m of tricky) {
      await db.transaction((tx) =>
        insertMember(tx, tenant.id, { ...m, phone: '+447700900123', wardId, relationship: 'parent', preferredLocale: 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'active' }, 'system:test'),
      );
    }
    const csv = await exportMembersCsv(db, tenant.id, { sort: 'number' });
    expect(csv).toContain("'=SUM(1,2)");
    expect(csv).toContain("''=Already quoted");
    const check = await run(csv, true);
    expect(errorsOf(check)).toEqual([]);
    expect(check).toMatchObject({ rows: 5, toCreate: 0, toUpdate: 0, pending: 0, conflicts: 0, unchanged: 5 });
    const applied = await run(csv);
    expect(applied).toMatchObject({ toCreate: 0, toUpdate: 0, unchanged: 5, applied: true });
    for (const m of tricky) expect(await member(`external_ref = '${m.externalRef.replace(/'/g, "''")}'`)).toMatchObject({ name: m.name, email: m.email, phone: '+447700900123' });
  });

  it('accepts phone numbers from any country, as the join form does', async () => {
    const { run, member } = await setup();
    const report = await run(['name,phone,ward_code,external_ref', 'Zofia Wójcik,+48 600 100 200,E05010265,PL-1', 'Rūta Kazlauskienė,+370 612 34567,E05010265,LT-1'].join('\n'));
    expect(errorsOf(report)).toEqual([]);
    expect(await member("external_ref = 'PL-1'")).toMatchObject({ phone: '+48600100200' });
    expect(await member("external_ref = 'LT-1'")).toMatchObject({ phone: '+37061234567' });
  });

  it('reads semicolon- and tab-separated files', async () => {
    const { run } = await setup();
    const semicolon = GOOD.map((l) => l.replace(/,/g, ';')).join('\r\n');
    expect(await run(semicolon, true)).toMatchObject({ rows: 2, toCreate: 2, errors: [] });
    const tab = GOOD.map((l) => l.replace(/,/g, '\t')).join('\n');
    expect(await run(tab, true)).toMatchObject({ rows: 2, toCreate: 2, errors: [] });
    // A name with a comma in a semicolon file is one cell.
    expect(await run('name;email;ward_code\r\nDee, the carer;dee@example.com;E05010268\r\n', true)).toMatchObject({ toCreate: 1, errors: [] });
    expect(errorsOf(await run('name;email;ward_code\r\nShort;s@example.com\r\n', true))).toEqual([
      'line 2: row: this row has 2 cells but the header has 3; check for a missing or extra semicolon',
    ]);
  });

  it('accepts ward names as well as codes, ignoring case, accents, spacing and "&"', async () => {
    const { run, member, wardOf } = await setup();
    const csv = [
      'name,email,ward_code',
      'One,one@example.com,kingswood and hazel leys',
      'Two,two@example.com,LODGE PARK',
      'Three,three@example.com,Dänesholme',
      'Four,four@example.com,  weldon   &  gretton ',
    ].join('\n');
    expect(await run(csv)).toMatchObject({ toCreate: 4, errors: [], applied: true });
    expect((await member("email = 'one@example.com'"))?.ward_id).toBe(await wardOf('E05010267'));
    expect((await member("email = 'two@example.com'"))?.ward_id).toBe(await wardOf('E05010269'));
    expect((await member("email = 'three@example.com'"))?.ward_id).toBe(await wardOf('E05010266'));
    expect((await member("email = 'four@example.com'"))?.ward_id).toBe(await wardOf('E05010275'));
    // A file with only ward names (a ward_name column) works too; a name not in the ward set is an error.
    expect(await run('name,email,ward_name\nFive,five@example.com,Rowlett\n', true)).toMatchObject({ toCreate: 1, errors: [] });
    expect(errorsOf(await run('name,email,ward_name\nSix,six@example.com,Atlantis\n', true))).toEqual([
      'line 2: ward_name: "Atlantis" is not a ward of Corby wards 2015; use a ward code like E05010264 (see the Wards page for the codes)',
    ]);
  });

  it('refuses a row with neither email nor phone, even when its external reference matches', async () => {
    const { run } = await setup();
    await run(GOOD.join('\n'));
    const report = await run('name,email,phone,ward_code,external_ref\nAnia Kowalska,,,E05010265,REG-1\n', true);
    expect(errorsOf(report)).toEqual(['line 2: email: give an email address or a phone number, so the member can be contacted']);
    expect(errorsOf(await run('name,ward_code,external_ref\nX,E05010265,REG-1\n', true))).toEqual(['line 1: header: add an email or phone column']);
  });

  it('the check shows per row what would change (old → new), what is new and what is pending', async () => {
    const { run } = await setup();
    await run(GOOD.join('\n'));
    const csv = [
      'name,email,phone,ward_code,external_ref',
      'Ania Kowalska,ania@example.com,07700 900999,E05010270,REG-1',
      'Ben Smith,ben@example.com,,E05010266,REG-2',
      'Cat New,cat@example.com,,E05010264,',
    ].join('\n');
    const check = await run(csv, true);
    expect(check).toMatchObject({ rows: 3, toCreate: 1, toUpdate: 1, pending: 1, unchanged: 1, applied: false });
    expect(check.details).toEqual([
      {
        line: 2,
        kind: 'matched',
        memberNumber: 1,
        changes: [{ field: 'wardId', from: 'Central', to: 'Oakley North' }],
        pending: [{ field: 'phone', from: '+447700900123', to: '+447700900999' }],
        conflicts: [],
      },
      { line: 4, kind: 'new', changes: [], pending: [], conflicts: [] },
    ]);
  });

  it("never silently overwrites a field the member changed after the last import: a conflict, the member's value kept", async () => {
    const { database, db, tenant, wardSetId, run, member } = await setup();
    await run(GOOD.join('\n'));
    const ania = await member("external_ref = 'REG-1'");
    const [row] = await database.query<{ id: string }>("SELECT id FROM members WHERE tenant_id = $1 AND external_ref = 'REG-1'", [tenant.id]);
    // Ania edits her own name and ward on /me.
    await updateProfile(db, tenant.id, row!.id, wardSetId, { name: 'Anna Kowalska-Nowak', phone: '+447700900123', ward: 'E05010269', relationship: 'parent', childrenUnder5: 2, preferredLocale: 'pl' });
    expect(ania).toBeDefined();

    // The same old register again, with one field changed in the register (relationship): that one applies.
    const again = [GOOD[0], 'Ania Kowalska,ania@example.com,07700 900123,E05010265,carer,2,pl,REG-1,', GOOD[2]].join('\n');
    const report = await run(again);
    expect(report).toMatchObject({ toUpdate: 1, conflicts: 1, unchanged: 1, errors: [], applied: true });
    expect(report.details).toEqual([
      {
        line: 2,
        kind: 'matched',
        memberNumber: 1,
        changes: [{ field: 'relationship', from: 'parent', to: 'carer' }],
        pending: [],
        conflicts: [
          { field: 'name', from: 'Anna Kowalska-Nowak', to: 'Ania Kowalska' },
          { field: 'wardId', from: 'Lodge Park', to: 'Central' },
        ],
      },
    ]);
    expect(await member("external_ref = 'REG-1'")).toMatchObject({ name: 'Anna Kowalska-Nowak', relationship: 'carer' });

    // Idempotent: the same file once more writes nothing and reports the same conflict.
    const before = await member("external_ref = 'REG-1'");
    const audit = (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1', [tenant.id]))[0]!.n;
    expect(await run(again)).toMatchObject({ toUpdate: 0, conflicts: 1, unchanged: 1, applied: true });
    expect(await member("external_ref = 'REG-1'")).toEqual(before);
    expect((await database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1', [tenant.id]))[0]!.n).toBe(audit);

    // When the register catches up with the member, the conflict is gone.
    const caughtUp = [GOOD[0], 'Anna Kowalska-Nowak,ania@example.com,07700 900123,Lodge Park,carer,2,pl,REG-1,', GOOD[2]].join('\n');
    expect(await run(caughtUp)).toMatchObject({ toUpdate: 0, conflicts: 0, unchanged: 2, applied: true });
  });
});
