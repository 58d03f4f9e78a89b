import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';

const GOOD = 'name,email,ward_code,relationship\r\nOla Import,ola@example.org,E05010264,parent\r\nTom Import,tom@example.org,E05010265,carer\r\n';

describe(`member CSV pages (${storeName()})`, () => {
  it('checks, imports once, re-imports without duplicates, refuses formulas and non-text files, exports escaped CSV', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const c = new TestClient(app, host);
    await c.get('/about');
    c.cookies.set('pm_session', coordinator.cookie);
    const count = async () => ((await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE tenant_id = $1', [tenant.id]))[0]?.n ?? 0);
    expect(await count()).toBe(1);

    const check = await c.postMultipart('/coordinator/members/import', { mode: 'check' }, { field: 'file', name: 'members.csv', content: GOOD });
    expect(check.status).toBe(200);
    expect(await check.text()).toContain('New members: 2');
    expect(await count()).toBe(1);

    const apply = await c.postMultipart('/coordinator/members/import', { mode: 'apply' }, { field: 'file', name: 'members.csv', content: GOOD });
    expect(await apply.text()).toContain('The import is done.');
    expect(await count()).toBe(3);
    const again = await c.postMultipart('/coordinator/members/import', { mode: 'apply' }, { field: 'file', name: 'members.csv', content: GOOD });
    expect(await again.text()).toContain('New members: 0');
    expect(await count()).toBe(3);

    // The check shows per row what would change (issue 7 item 19), in English and Polish.
    const moved = GOOD.replace('Tom Import,tom@example.org,E05010265', 'Tom Import,tom@example.org,E05010266');
    const rowsEn = await (await c.postMultipart('/coordinator/members/import', { mode: 'check' }, { field: 'file', name: 'members.csv', content: moved })).text();
    expect(rowsEn).toContain('What each row does');
    expect(rowsEn).toMatch(/Line 3: member \d+/);
    expect(rowsEn).toContain('Ward: Central → Danesholme');
    const rowsPl = await (await c.postMultipart('/coordinator/members/import?lang=pl', { mode: 'check' }, { field: 'file', name: 'members.csv', content: moved })).text();
    expect(rowsPl).toContain('Co robi każdy wiersz');
    expect(rowsPl).toContain('Okręg: Central → Danesholme');
    await c.get('/about?lang=en');
    expect(await count()).toBe(3);

    const formula = await c.postMultipart('/coordinator/members/import', { mode: 'apply' }, {
      field: 'file', name: 'members.csv', content: 'name,email,ward_code\r\n=HYPERLINK("http://evil"),x@example.org,E05010264\r\n',
    });
    expect(formula.status).toBe(400);
    expect(await formula.text()).toMatch(/line 2: name:/);
    expect(await count()).toBe(3);

    const binary = await c.postMultipart('/coordinator/members/import', { mode: 'apply' }, { field: 'file', name: 'members.csv', content: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]) });
    expect(binary.status).toBe(400);
    expect(await binary.text()).toContain('not a CSV text file');

    await deps.database.query("UPDATE members SET name = '=cmd|calc' WHERE tenant_id = $1 AND email = 'tom@example.org'", [tenant.id]);
    const csv = await c.get('/coordinator/members.csv?sort=name');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('member_number,name,email');
    expect(text).toContain("'=cmd|calc");
    const audit = await deps.database.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND action = 'member.export'", [tenant.id]);
    expect(audit).toHaveLength(1);
  });
});
