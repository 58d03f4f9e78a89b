import { describe, expect, it } from 'vitest';
import { clearDemo, loadDemo } from '../../server/demo.ts';
import { testDeps } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { isoDate } from '../../lib/dates.ts';
import { listAwards, statusOf } from './views.ts';

const TODAY = new Date('2026-06-01T10:00:00Z');

describe(`accreditation demo part (${storeName()})`, () => {
  it('awards demo members some valid, some expiring within 30 days and one revoked, all flagged; loads once; clear removes them', async () => {
    const { database } = await testDeps();
    const db = database.db;
    const { tenant } = await buildTenant(db);
    const report = await loadDemo({ db, tenant, today: TODAY });
    const added = report.find((r) => r.name === 'qualifications')?.added ?? 0;
    expect(added).toBeGreaterThan(30);
    const awards = await listAwards(db, tenant.id, {});
    expect(awards).toHaveLength(added);
    expect(awards.every((a) => a.isDemo)).toBe(true);
    const statuses = awards.map((a) => statusOf(a, isoDate(TODAY)));
    expect(statuses.filter((s) => s === 'expiring')).toHaveLength(4);
    expect(statuses.filter((s) => s === 'revoked')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'valid').length).toBeGreaterThan(20);
    expect((await loadDemo({ db, tenant, today: TODAY })).find((r) => r.name === 'qualifications')?.added).toBe(0);
    const cleared = await clearDemo({ db, tenant, today: TODAY });
    expect(cleared.find((r) => r.name === 'qualifications')?.removed).toBe(added);
    expect(await listAwards(db, tenant.id, {})).toEqual([]);
  });
});
