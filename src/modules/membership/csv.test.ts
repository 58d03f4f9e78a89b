import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../lib/csv.ts';
import { verifyAudit } from '../audit/service.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount, lastEmail } from '../../test/mail.ts';
import { exportMembersCsv, formatImportError, importMembers, type ImportReport } from './csv.ts';
import type { Actor } from './policy.ts';
import type { Role } from './schema.ts';
import { changeStatus, insertMember, PRIVACY_NOTICE_VERSION } from './service.ts';

async function setup() {
  const database = await testDatabase();
  const { db } = database;
  const { tenant } = await buildTenant(db);
  const [set] = await database.query<{ id: string }>("SELECT id FROM ward_sets WHERE tenant_id = $1 AND key = 'corby-2015'", [tenant.id]);
  const wardSetId = set!.id;
  const [ward] = await database.query<{ id: string }>("SELECT id FROM wards WHERE tenant_id = $1 AND code = 'E05010264'", [tenant.id]);
  const coordinator = await db.transaction((tx) =>
    insertMember(
      tx,
      tenant.id,
      { name: 'Cora Ordinator', email: 'cora@example.com', wardId: ward!.id, relationship: 'other', preferredLocale: 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'active' },
      'system:test',
    ),
  );
  const actor: Actor = { tenantId: tenant.id, memberId: coordinator.id, roles: new Set<Role>(['coordinator']), sessionId: 'test' };
  const notify = { tenant, baseUrl: 'https://import.test' };
  const count = async (table = 'members') =>
    (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenant.id]))[0]!.n;
  const run = (csv: string, dryRun = false) => importMembers(db, actor, csv, { dryRun, wardSetId, notify });
  return { database, db, tenant, wardSetId, wardId: ward!.id, coordinator, actor, notify, count, run };
}

const GOOD = [
  'name,email,phone,ward_code,relationship,children_under_5,preferred_locale,external_ref,status',
  'Ania Kowalska,Ania@Example.com,07700 900123,E05010265,parent,2,pl,REG-1,',
  'Ben Smith,ben@example.com,,e05010266,grandparent,,,REG-2,active',
  'Cat Jones,,+44 7700 900124,E05010267,carer,0,en,,lapsed',
  '"Dee, the carer",dee@example.com,,E05010268,,,,,',
].join('\r\n');

const errorsOf = (r: ImportReport) => r.errors.map(formatImportError);

describe(`member CSV export and import (${storeName()})`, () => {
  it('exports a header row and escapes cells a spreadsheet would run as formulas', async () => {
    const { db, tenant, count, run, coordinator, wardId } = await setup();
    await db.transaction((tx) =>
      insertMember(tx, tenant.id, { name: '=HYPERLINK("http://evil.example","x")', email: 'evil@example.com', wardId, relationship: 'parent', preferredLocale: 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'active' }, 'system:test'),
    );
    const gone = await db.transaction((tx) =>
      insertMember(tx, tenant.id, { name: 'Gone Person', email: 'gone@example.com', relationship: 'parent', preferredLocale: 'en', consentVersion: PRIVACY_NOTICE_VERSION, status: 'active' }, 'system:test'),
    );
    await db.transaction((tx) => changeStatus(tx, tenant.id, gone.id, 'erased', 'system:test'));
    expect(await count()).toBe(3);

    const csv = await exportMembersCsv(db, tenant.id, { sort: 'number' });
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('member_number,name,email,phone,ward_code,ward_name,relationship,children_under_5,preferred_locale,status,external_ref,joined_at');
    expect(lines[1]).toMatch(/^1,Cora Ordinator,cora@example.com,,E05010264,[^,]+,other,,en,active,,\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(lines[2]).toMatch(/^2,/);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    // Erased members are not exported unless asked for.
    expect(csv).not.toContain('erased');
    expect(lines).toHaveLength(4); // header, two members, trailing empty string

    const { records } = parseCsvRecords(csv);
    expect(records.map((r) => r.member_number)).toEqual(['1', '2']);
    const filtered = await exportMembersCsv(db, tenant.id, { sort: 'name', q: 'cora' });
    expect(parseCsvRecords(filtered).records.map((r) => r.name)).toEqual([coordinator.name]);

    // The export imports again (its extra columns are ignored): the escaped '= cell is data, as
    // exported, so nothing changes (issue 7 item 19: our own unedited export always re-imports).
    const report = await run(csv, true);
    expect(errorsOf(report)).toEqual([]);
    expect(report).toMatchObject({ rows: 2, toCreate: 0, toUpdate: 0, unchanged: 2 });
    const safe = csv.split('\r\n').filter((l) => !l.includes('HYPERLINK')).join('\r\n');
    expect(await run(safe, true)).toMatchObject({ rows: 1, toCreate: 0, toUpdate: 0, unchanged: 1, errors: [] });
  });

  it('dry run lists row-level errors with line and field, and writes nothing', async () => {
    const { count, run } = await setup();
    const csv = [
      'Name,Email,Phone,Ward code,Relationship,Children under 5,Preferred locale,External ref,Status',
      'Ok Row,ok@example.com,,E05010265,parent,,,,',
      'Bad Email,not-an-email,,E05010265,parent,,,,',
      'Bad Phone,,12345,E05010265,parent,,,,',
      ',nameless@example.com,,E05010265,,,,,',
      'No Contact,,,E05010265,,,,,',
      'Bad Ward,w@example.com,,E0500000,,,,,',
      'Bad Values,v@example.com,,E05010265,aunt,21,de,,erased',
      'Negative,n@example.com,,E05010265,,-1,,,',
    ].join('\n');
    const before = { members: await count(), audit: await count('audit_log') };
    const report = await run(csv, true);
    expect(report).toMatchObject({ rows: 8, toCreate: 1, toUpdate: 0, unchanged: 0, applied: false });
    expect(errorsOf(report)).toEqual([
      'line 3: email: enter an email address in the correct format, like name@example.com',
      'line 4: phone: enter a UK phone number, like 07700 900123, or a number from another country starting with + and the country code, like +48 600 100 200',
      "line 5: name: enter the member's name",
      'line 6: email: give an email address or a phone number, so the member can be contacted',
      'line 7: ward_code: "E0500000" is not a ward of Corby wards 2015; use a ward code like E05010264 (see the Wards page for the codes)',
      'line 8: relationship: enter one of parent, grandparent, carer, other (or leave it blank for other)',
      'line 8: children_under_5: enter a whole number from 0 to 20, or leave it blank',
      'line 8: preferred_locale: enter en (English) or pl (Polish), or leave it blank for English',
      'line 8: status: enter one of pending, active, lapsed, left (or leave it blank for active)',
      'line 9: children_under_5: enter a whole number from 0 to 20, or leave it blank',
    ]);
    expect({ members: await count(), audit: await count('audit_log') }).toEqual(before);
  });

  it('applies nothing when any row is bad, even without a dry run', async () => {
    const { database, tenant, count, run } = await setup();
    const before = await count();
    const report = await run(`${GOOD}\r\nBroken,broken@,,E05010265,,,,,`, false);
    expect(report.applied).toBe(false);
    expect(errorsOf(report)).toEqual(['line 6: email: enter an email address in the correct format, like name@example.com']);
    expect(await count()).toBe(before);
    expect(await count('member_status_history')).toBe(1);
    const [counter] = await database.query<{ last: number }>('SELECT last FROM member_counters WHERE tenant_id = $1', [tenant.id]);
    expect(counter?.last).toBe(1);
  });

  it('applies a good file in one go, and re-importing it creates nothing', async () => {
    const { database, tenant, coordinator, count, run } = await setup();
    const dry = await run(GOOD, true);
    expect(dry).toMatchObject({ rows: 4, toCreate: 4, toUpdate: 0, unchanged: 0, errors: [], applied: false });
    expect(await count()).toBe(1);

    const applied = await run(GOOD);
    expect(applied).toMatchObject({ rows: 4, toCreate: 4, toUpdate: 0, unchanged: 0, errors: [], applied: true });
    const rows = await database.query<Record<string, unknown>>(
      `SELECT m.member_number, m.name, m.email, m.phone, w.code, m.relationship, m.children_under_5, m.preferred_locale, m.status, m.external_ref, m.consent_version
       FROM members m LEFT JOIN wards w ON w.tenant_id = m.tenant_id AND w.id = m.ward_id WHERE m.tenant_id = $1 ORDER BY m.member_number`,
      [tenant.id],
    );
    expect(rows.slice(1)).toEqual([
      { member_number: 2, name: 'Ania Kowalska', email: 'ania@example.com', phone: '+447700900123', code: 'E05010265', relationship: 'parent', children_under_5: 2, preferred_locale: 'pl', status: 'active', external_ref: 'REG-1', consent_version: 'import' },
      { member_number: 3, name: 'Ben Smith', email: 'ben@example.com', phone: null, code: 'E05010266', relationship: 'grandparent', children_under_5: null, preferred_locale: 'en', status: 'active', external_ref: 'REG-2', consent_version: 'import' },
      { member_number: 4, name: 'Cat Jones', email: null, phone: '+447700900124', code: 'E05010267', relationship: 'carer', children_under_5: 0, preferred_locale: 'en', status: 'lapsed', external_ref: null, consent_version: 'import' },
      { member_number: 5, name: 'Dee, the carer', email: 'dee@example.com', phone: null, code: 'E05010268', relationship: 'other', children_under_5: null, preferred_locale: 'en', status: 'active', external_ref: null, consent_version: 'import' },
    ]);
    expect((await database.query<{ last: number }>('SELECT last FROM member_counters WHERE tenant_id = $1', [tenant.id]))[0]?.last).toBe(5);
    expect(await count('member_roles')).toBe(5);
    expect(await count('member_status_history')).toBe(5);
    const audit = await database.query<{ actor: string; action: string; data: Record<string, unknown> }>(
      "SELECT actor, action, data FROM audit_log WHERE tenant_id = $1 AND action LIKE 'member.import.%' ORDER BY seq",
      [tenant.id],
    );
    expect(audit).toHaveLength(4);
    expect(audit.every((a) => a.actor === coordinator.id && a.action === 'member.import.create')).toBe(true);
    expect(JSON.stringify(audit)).not.toMatch(/Ania|example\.com|7700/);
    expect((await verifyAudit(database.db, tenant.id)).problems).toEqual([]);

    const auditBefore = await count('audit_log');
    const again = await run(GOOD);
    expect(again).toMatchObject({ rows: 4, toCreate: 0, toUpdate: 0, unchanged: 4, errors: [], applied: true });
    expect(await count()).toBe(5);
    expect(await count('audit_log')).toBe(auditBefore);
  });

  it('matches by external_ref first, then by email, and updates only what differs', async () => {
    const { database, tenant, coordinator, count, run } = await setup();
    await run(GOOD);
    const csv = [
      'external_ref,email,name,ward_code,status,phone',
      // REG-1: new email, new ward; blank phone keeps the stored number.
      'REG-1,ania.k@example.com,Ania Kowalska,E05010270,,',
      // Matched by email; gains an external reference.
      'REG-4,dee@example.com,"Dee, the carer",E05010268,,',
      // Matched by email; status changes.
      ',ben@example.com,Ben Smith,E05010266,left,',
      // Matched by email, nothing differs (blank cells keep stored values).
      ',cora@example.com,Cora Ordinator,E05010264,,',
      // Not matched: created.
      'REG-9,new@example.com,New Person,E05010275,,',
    ].join('\n');
    const report = await run(csv);
    expect(report).toMatchObject({ rows: 5, toCreate: 1, toUpdate: 3, unchanged: 1, pending: 1, errors: [], applied: true });
    // The new email is not set by the import (issue 7 item 1): it waits for a link to the new address.
    const byRef = await database.query<{ email: string; phone: string; code: string; email_verified_at: unknown; pending_email: string }>(
      "SELECT m.email, m.phone, w.code, m.email_verified_at, m.pending_email FROM members m JOIN wards w ON w.tenant_id = m.tenant_id AND w.id = m.ward_id WHERE m.tenant_id = $1 AND m.external_ref = 'REG-1'",
      [tenant.id],
    );
    expect(byRef).toEqual([{ email: 'ania@example.com', phone: '+447700900123', code: 'E05010270', email_verified_at: null, pending_email: 'ania.k@example.com' }]);
    expect((await lastEmail(database, tenant.id, 'ania.k@example.com'))?.link).toMatch(/^\/email-change\/confirm\?token=/);
    const dee = await database.query<{ external_ref: string }>("SELECT external_ref FROM members WHERE tenant_id = $1 AND email = 'dee@example.com'", [tenant.id]);
    expect(dee).toEqual([{ external_ref: 'REG-4' }]);
    const history = await database.query<{ status: string; changed_by: string; reason: string }>(
      "SELECT h.status, h.changed_by, h.reason FROM member_status_history h JOIN members m ON m.tenant_id = h.tenant_id AND m.id = h.member_id WHERE h.tenant_id = $1 AND m.email = 'ben@example.com' ORDER BY h.changed_at, h.id",
      [tenant.id],
    );
    expect(history.map((h) => h.status)).toEqual(['active', 'left']);
    expect(history[1]).toMatchObject({ changed_by: coordinator.id, reason: 'import' });
    const updates = await database.query<{ data: { fields: string[] } }>(
      "SELECT data FROM audit_log WHERE tenant_id = $1 AND action = 'member.import.update' ORDER BY seq",
      [tenant.id],
    );
    expect(updates.map((u) => u.data.fields)).toEqual([['ward'], ['externalRef'], ['status']]);
    expect(await count()).toBe(6);
    // The same file again changes nothing (the new email is still waiting, and no second link is sent).
    const mails = await emailCount(database, tenant.id, 'ania.k@example.com');
    expect(await run(csv)).toMatchObject({ toCreate: 0, toUpdate: 0, unchanged: 4, pending: 1, applied: true });
    expect(await emailCount(database, tenant.id, 'ania.k@example.com')).toBe(mails);
    expect(await count()).toBe(6);
  });

  it('refuses a conflicting match: an email of one member with the reference of another', async () => {
    const { run } = await setup();
    await run(GOOD);
    const report = await run('name,email,external_ref,ward_code\nAnia Kowalska,ben@example.com,REG-1,E05010265\nX,dee@example.com,REG-7,E05010265\n', true);
    expect(errorsOf(report)).toEqual([
      'line 2: email: this email address belongs to member 3, but the external reference belongs to member 2; correct one of them',
    ]);
    // Dee has no reference yet, so REG-7 is added; Dee's reference once set must match.
    await run('name,email,external_ref,ward_code\n"Dee, the carer",dee@example.com,REG-7,E05010268\n');
    expect(errorsOf(await run('name,email,external_ref,ward_code\n"Dee, the carer",dee@example.com,REG-8,E05010268\n', true))).toEqual([
      'line 2: external_ref: member 5 has this email address and the external reference "REG-7"; use that reference or correct the email',
    ]);
  });

  it('refuses spreadsheet formulas in any cell, but accepts +44 phone numbers', async () => {
    const { count, run } = await setup();
    const csv = [
      'name,email,phone,ward_code,external_ref',
      '=1+2,a@example.com,,E05010265,',
      'Bob,@SUM(A1),,E05010265,',
      'Cy,c@example.com,+44 7700 900125,E05010265,-2+3',
      'Di,d@example.com,+cmd|calc,E05010265,',
    ].join('\n');
    const report = await run(csv);
    expect(report.applied).toBe(false);
    expect(errorsOf(report)).toEqual([
      'line 2: name: this cell starts with "=", which a spreadsheet runs as a formula; type the value without a formula',
      'line 3: email: this cell starts with "@", which a spreadsheet runs as a formula; type the value without a formula',
      'line 4: external_ref: this cell starts with "-", which a spreadsheet runs as a formula; type the value without a formula',
      'line 5: phone: this cell starts with "+", which a spreadsheet runs as a formula; type the value without a formula',
    ]);
    expect(await count()).toBe(1);
  });

  it('refuses unknown or missing columns, naming them', async () => {
    const { run } = await setup();
    expect(errorsOf(await run('name,email,ward_code,nickname,Shoe Size\nA,a@example.com,E05010265,x,9\n', true))).toEqual([
      'line 1: header: unknown columns "nickname", "Shoe Size"; the columns are name, email, phone, ward_code, relationship, children_under_5, preferred_locale, external_ref, status',
    ]);
    expect(errorsOf(await run('email\na@example.com\n', true))).toEqual(['line 1: header: add a name column', 'line 1: header: add a ward_code column']);
    expect(errorsOf(await run('name,email,ward_code,email\nA,a@example.com,E05010265,b@example.com\n', true))).toEqual([
      'line 1: email: this column appears twice; keep one of them',
    ]);
    expect(errorsOf(await run('', true))).toEqual(['file: the file is empty; the first line must name the columns, like name,email,phone,ward_code']);
    expect(errorsOf(await run('PK\u0003\u0004\u0000\u0000binary', true))[0]).toMatch(/^file: this is not a CSV text file/);
  });

  it('refuses the same person twice in the file', async () => {
    const { count, run } = await setup();
    await run(GOOD);
    const csv = [
      'name,email,external_ref,ward_code',
      'One,same@example.com,R1,E05010265',
      'Two,SAME@example.com,R2,E05010265',
      'Three,three@example.com,R1,E05010265',
      // Both rows match the existing Ben: by reference and by email.
      'Ben Smith,ben.smith@example.com,REG-2,E05010266',
      'Ben Smith,ben@example.com,,E05010266',
    ].join('\n');
    const report = await run(csv);
    expect(report.applied).toBe(false);
    expect(errorsOf(report)).toEqual([
      'line 3: email: the same email address is on line 2; each member must appear once',
      'line 4: external_ref: the same external reference is on line 2; each member must appear once',
      'line 6: email: this row is the same member (3) as line 5; each member must appear once',
    ]);
    expect(await count()).toBe(5);
    expect(errorsOf(await run('name,phone,ward_code\nPat Lee,07700 900200,E05010265\npat lee,+447700900200,E05010265\n', true))).toEqual([
      'line 3: phone: the same name and phone number are on line 2; each member must appear once',
    ]);
  });

  it('counts lines as the file shows them (quoted line breaks, blank lines) and checks cell counts', async () => {
    const { run } = await setup();
    const csv = 'name,email,ward_code\n"Multi\nLine",m@example.com,E05010265\n\nShort,s@example.com\nBad,bad@,E05010265\n"open,x@example.com,E05010265\n';
    expect(errorsOf(await run(csv, true))).toEqual(['line 7: file: a cell opens a quote (") that is never closed; close the quote or remove it']);
    const fixed = csv.replace('"open', 'open');
    expect(errorsOf(await run(fixed, true))).toEqual([
      'line 5: row: this row has 2 cells but the header has 3; check for a missing or extra comma',
      'line 6: email: enter an email address in the correct format, like name@example.com',
    ]);
  });
});
