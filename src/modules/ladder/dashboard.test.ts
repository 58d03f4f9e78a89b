import { LOCALES } from '../../ui/i18n/locales.ts';
import { describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { translator } from '../../ui/i18n/index.ts';
import { accessible } from './chart.ts';
import { addDays, dashboardCharts, dashboardModel, lastQuarters, quarterOf } from './dashboard.ts';
import type { DashboardInputs } from './inputs.ts';
import { listLevels } from './levels.ts';
import { ladderMemberLevels } from './schema.ts';
import { recomputeEligibility } from './service.ts';
import { FakeInputs } from './test-inputs.ts';

const NOW = new Date('2026-11-20T10:00:00Z');

describe('quarters', () => {
  it('names quarters and lists the last four, oldest first, across a year end', () => {
    expect(quarterOf('2026-03-31')).toBe('2026-Q1');
    expect(quarterOf('2026-04-01')).toBe('2026-Q2');
    expect(lastQuarters('2026-02-10')).toEqual([
      { quarter: '2025-Q2', from: '2025-04-01', to: '2025-06-30' },
      { quarter: '2025-Q3', from: '2025-07-01', to: '2025-09-30' },
      { quarter: '2025-Q4', from: '2025-10-01', to: '2025-12-31' },
      { quarter: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
    ]);
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
  });
});

describe('charts', () => {
  it('are images with a title, scale by their viewBox, and escape the title', () => {
    const svg = accessible('<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="382" height="293" viewBox="0 0 382 293"><rect width="382"/></svg>', 'A <svg onload=alert(1)> chart', 'c1');
    expect(svg).toBe('<svg xmlns="http://www.w3.org/2000/svg" class="marks" viewBox="0 0 382 293" role="img" aria-labelledby="c1" focusable="false"><title id="c1">A &lt;svg onload=alert(1)&gt; chart</title><rect width="382"/></svg>');
  });
});

describe(`dashboard figures (${storeName()})`, () => {
  it('volunteers per level per ward, step-ups per quarter, attendance and M1 by quarter, ward and level', async () => {
    const database = await testDatabase();
    const db = database.db;
    const { tenant } = await buildTenant(db);
    const levels = await listLevels(db, tenant.id);
    const a = (await buildMember(db, tenant.id, { roles: ['volunteer'], wardCode: 'E05010264' })).member;
    const b = (await buildMember(db, tenant.id, { roles: ['volunteer'], wardCode: 'E05010264' })).member;
    const c = (await buildMember(db, tenant.id, { roles: ['street_champion'], wardCode: 'E05010270' })).member;
    const d = (await buildMember(db, tenant.id, { roles: ['volunteer'] })).member;
    const row = (memberId: string, level: number, fromDate: string, toDate: string | null = null) => ({ tenantId: tenant.id, id: newId(), memberId, levelId: levels[level - 1]!.id, fromDate, toDate, approvedBy: 'system:test' });
    await db.insert(ladderMemberLevels).values([
      // a: level 1 in 2026-Q1, level 2 in 2026-Q3.
      row(a.id, 1, '2026-02-01', '2026-08-01'),
      row(a.id, 2, '2026-08-01'),
      // b: level 1 in 2026-Q4.
      row(b.id, 1, '2026-10-05'),
      // c: level 1 long ago (outside the four quarters).
      row(c.id, 1, '2024-05-01'),
    ]);
    const fake = new FakeInputs().grant(b.id, { courses: ['running-a-group'], qualifications: ['safeguarding'], minutes: 2000, dbs: true });
    await recomputeEligibility(db, tenant.id, { now: NOW, inputs: fake });
    const inputs: DashboardInputs = {
      attendanceByQuarter: async (_db, _t, from, to) => {
        expect([from, to]).toEqual(['2026-01-01', '2026-12-31']);
        return [
          { quarter: '2026-Q1', attendances: 3, sessions: 2, memberIds: [a.id, a.id, d.id] },
          { quarter: '2026-Q4', attendances: 2, sessions: 1, memberIds: [b.id, c.id] },
        ];
      },
      expiringQualifications: async (_db, _t, from, to) => {
        expect([from, to]).toEqual(['2026-11-20', '2026-12-20']);
        return [{ memberId: c.id, kindKey: 'safeguarding', title: 'Safeguarding', expiresOn: '2026-12-01', reminded: true }];
      },
      dbsRenewalsDue: async () => 3,
    };
    const model = await dashboardModel(db, tenant.id, NOW, inputs);
    const ward = (name: string) => model.perWard.find((w) => w.name === name);
    const w264 = model.perWard.find((w) => w.counts.reduce((x, y) => x + y, 0) === 2 && w.wardId);
    expect(w264?.counts).toEqual([0, 1, 1, 0, 0]);
    expect(model.perWard.find((w) => w.wardId === null)?.counts).toEqual([1, 0, 0, 0, 0]);
    expect(model.perWardTotal).toEqual([1, 2, 1, 0, 0]);
    expect(ward('')).toBeDefined();
    // b meets level 2 except the sign-off: not eligible; nobody else is either (a: nothing for level 3; d: no induction).
    expect(model.eligibleNow).toBe(0);
    expect(model.quarters).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(model.stepUps.map((q) => q.byLevel)).toEqual([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ]);
    expect(model.attendance).toEqual([
      { quarter: '2026-Q1', attendances: 3, sessions: 2, people: 2 },
      { quarter: '2026-Q2', attendances: 0, sessions: 0, people: 0 },
      { quarter: '2026-Q3', attendances: 0, sessions: 0, people: 0 },
      { quarter: '2026-Q4', attendances: 2, sessions: 1, people: 2 },
    ]);
    expect(model.m1.map((q) => q.inTraining)).toEqual([2, 0, 0, 2]);
    // By level (held at the end of the quarter they trained in): a level 1 (end of Q1), d none, b level 1, c level 1.
    expect(model.m1ByLevel).toEqual([
      { level: 0, inTraining: 1, stepUps: 0 },
      { level: 1, inTraining: 3, stepUps: 2 },
      { level: 2, inTraining: 0, stepUps: 1 },
      { level: 3, inTraining: 0, stepUps: 0 },
      { level: 4, inTraining: 0, stepUps: 0 },
    ]);
    expect(model.m1ByWard.reduce((s, w) => s + w.inTraining, 0)).toBe(4);
    expect(model.m1ByWard.reduce((s, w) => s + w.stepUps, 0)).toBe(3);
    expect(model.expiring).toEqual([{ memberId: c.id, name: c.name, isDemo: false, kindKey: 'safeguarding', title: 'Safeguarding', expiresOn: '2026-12-01', reminded: true }]);
    expect(model.dbsDue).toBe(3);

    for (const locale of LOCALES) {
      const charts = await dashboardCharts(model, translator(locale), locale);
      for (const svg of [charts.perWard, charts.m1]) {
        expect(svg).toMatch(/^<svg[^>]* role="img" aria-labelledby="chart-[a-z0-9-]+" focusable="false"><title id="chart-/);
        expect(svg).not.toMatch(/^<svg[^>]* width="/);
        // Strict CSP: no inline style attributes or scripts.
        expect(svg).not.toMatch(/\sstyle=|<script|\son[a-z]+=/i);
        // One image: no roles or labels on the marks inside.
        expect(svg.match(/\srole=/g)).toHaveLength(1);
      }
      expect(charts.m1).toContain(locale === 'pl' ? 'Osoby na szkoleniach' : 'Volunteers in training');
    }
  });
});
