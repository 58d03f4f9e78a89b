// Issue 11, item 4: scenarios (maths, validation, saved by name, compared) and the audit report PDF.
import { describe, expect, it } from 'vitest';
import { TestClient } from '../../test/client.ts';
import { storeName } from '../../test/db.ts';
import { AppError } from '../../server/errors.ts';
import { translator } from '../../ui/i18n/index.ts';
import { periodOf } from './answers-period.ts';
import { answersWorld } from './answers.test-helpers.ts';
import { buildReportInput, reportPdf } from './report.ts';
import { baselineOf, changesOf, compareScenarios, project, saveScenario } from './scenario.ts';
import { displayValue, loadAnswer } from './answers.ts';

const t = translator('en');
const FY = periodOf('fy2025')!;
const NOW = new Date('2026-12-01T12:00:00Z');

/** The text pdfkit drew (compress: false): every TJ string decoded with each embedded font's ToUnicode map. */
export function pdfText(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  const maps: Array<Map<number, string>> = [];
  for (const m of s.matchAll(/beginbfrange\n([\s\S]*?)endbfrange/g)) {
    const map = new Map<number, string>();
    for (const r of m[1]!.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/g)) {
      const start = parseInt(r[1]!, 16);
      // An entry may be several UTF-16 units (a ligature: <0066 0069>).
      [...r[3]!.matchAll(/<([0-9a-f ]+)>/g)].forEach((u, i) => map.set(start + i, String.fromCharCode(...u[1]!.replace(/ /g, '').match(/.{4}/g)!.map((h) => parseInt(h, 16)))));
    }
    maps.push(map);
  }
  const runs = [...s.matchAll(/\[([^\]]*)\] TJ/g)].map((m) => [...m[1]!.matchAll(/<([0-9a-f]+)>/g)].map((h) => h[1]!).join(''));
  return maps.map((map) => runs.map((hex) => hex.match(/.{4}/g)!.map((g) => map.get(parseInt(g, 16)) ?? '\u0000').join('')).join('\n')).join('\n');
}

describe(`resource audit scenarios and report (${storeName()})`, { timeout: 120_000 }, () => {
  it('projects spend, families and the early/acute split (decommission, grow, money at a stated rate)', async () => {
    const w = await answersWorld();
    const base = await baselineOf(w.db, w.tenant.id, FY);
    expect(project(base, [])).toEqual({ pence: 3_800_000, families: 67, early: { pence: 1_800_000, families: 63 }, acute: { pence: 2_000_000, families: 4 } });
    const p = project(base, [
      { serviceId: w.s5, changePercent: -100, addPence: 0, familiesPer1000: null, note: '' },
      { serviceId: w.s1, changePercent: 50, addPence: 0, familiesPer1000: null, note: '' },
      { serviceId: w.s6, changePercent: 0, addPence: 500_000, familiesPer1000: 10, note: '' },
      // Money into a service with reach, at its own rate: £1,000 into S2 (4 families per £1,000).
      { serviceId: w.s2, changePercent: 0, addPence: 100_000, familiesPer1000: null, note: '' },
    ]);
    expect(p.pence).toBe(1_500_000 + 600_000 + 200_000 + 0 + 600_000);
    expect(p.families).toBeCloseTo(60 + 24 + 3 + 0 + 50, 9);
    expect(p.acute).toEqual({ pence: 0, families: 0 });
    expect(p.early.pence).toBe(p.pence);
  });

  it('refuses an unknown service, a percent out of range, negative money, a missing rate and a name already used; stores nothing', async () => {
    const w = await answersWorld();
    const count = async () => (await w.deps.database.query('SELECT 1 FROM res_scenarios WHERE tenant_id = $1', [w.tenant.id])).length;
    await saveScenario(w.db, w.coordinator, { name: 'Shift to early help', period: 'fy2025', 'service.0': w.s5, 'percent.0': '-100' });
    const fields = async (form: Record<string, string>) => {
      const err = await saveScenario(w.db, w.coordinator, { period: 'fy2025', ...form }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      return (err as AppError).fields.map((f) => `${f.field}:${f.message}`);
    };
    expect(await fields({ name: 'X', 'service.0': '0190f7e4-0000-7000-8000-000000000000' })).toEqual(['service.0:res.answers.scenario.error.service']);
    expect(await fields({ name: 'X', 'service.0': w.s1, 'percent.0': '1001' })).toEqual(['percent.0:res.answers.scenario.error.percent']);
    expect(await fields({ name: 'X', 'service.0': w.s1, 'percent.0': '-101' })).toEqual(['percent.0:res.answers.scenario.error.percent']);
    expect(await fields({ name: 'X', 'service.0': w.s1, 'add.0': '-5' })).toEqual(['add.0:res.answers.scenario.error.moneyNegative']);
    expect(await fields({ name: 'X', 'service.0': w.s6, 'add.0': '5000' })).toEqual(['rate.0:res.answers.scenario.error.rateNeeded']);
    expect(await fields({ name: 'shift to EARLY help' })).toEqual(['name:res.answers.scenario.error.nameUsed']);
    expect(await fields({ name: 'Y', period: 'fy2025q7' })).toEqual(['period:res.answers.error.period']);
    expect(await count()).toBe(1);
    const viewer = await (await import('../../test/members.ts')).buildMember(w.db, w.tenant.id, { roles: ['viewer'] });
    await expect(saveScenario(w.db, w.actorOf(viewer, ['viewer']), { name: 'Z', period: 'fy2025' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('pages: build two scenarios, edit one, compare them side by side with the baseline', async () => {
    const w = await answersWorld();
    const client = new TestClient(w.app, w.host);
    client.cookies.set('pm_session', w.coord.cookie);
    expect((await client.get('/resources/scenarios')).status).toBe(200);
    const bad = await client.post('/resources/scenarios', { name: '', period: 'fy2025', 'service.0': w.s1, 'percent.0': 'x' });
    expect(bad.status).toBe(400);
    const a = await client.post('/resources/scenarios', { name: 'Decommission intensive', period: 'fy2025', 'service.0': w.s5, 'percent.0': '-100', 'service.1': w.s6, 'add.1': '5000', 'rate.1': '10' });
    expect(a.status).toBe(303);
    const aId = a.headers.get('location')!.split('/').pop()!.split('?')[0]!;
    const b = await client.post('/resources/scenarios', { name: 'Shrink A', period: 'fy2025', 'service.0': w.s1, 'percent.0': '-50' });
    const bId = b.headers.get('location')!.split('/').pop()!.split('?')[0]!;
    const edit = await client.post(`/resources/scenarios/${bId}`, { name: 'Shrink A by 30%', period: 'fy2025', 'service.0': w.s1, 'percent.0': '-30' });
    expect(edit.status).toBe(303);
    expect((await changesOf(w.db, w.tenant.id, bId))[0]!.changePercent).toBe(-30);
    const cmp = await client.get(`/resources/scenarios/compare?s=${aId}&s=${bId}`);
    expect(cmp.status).toBe(200);
    const html = await cmp.text();
    expect(html).toContain('Baseline, 2025/26');
    expect(html).toContain('£38,000.00'); // baseline
    expect(html).toContain('£23,000.00'); // A: 38,000 − 20,000 + 5,000
    expect(html).toContain('£35,000.00'); // B: 38,000 − 3,000
    expect(html.match(/role="img"/g)?.length).toBe(2);
    expect((await client.get(`/resources/scenarios/compare?s=${aId}`)).status).toBe(400);
    const rows = await compareScenarios(w.db, w.tenant.id, [aId, bId], () => 'Baseline');
    expect(rows.map((r) => [r.label, Math.round(r.projection.families)])).toEqual([
      ['Baseline', 67],
      ['Decommission intensive', 113],
      ['Shrink A by 30%', 55],
    ]);
    // Deleting needs the confirmation.
    expect((await client.post(`/resources/scenarios/${bId}/delete`, {})).status).toBe(400);
    expect((await client.post(`/resources/scenarios/${bId}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect((await client.get(`/resources/scenarios/${bId}`)).status).toBe(404);
  });

  it('the report PDF carries the same figures as the pages', async () => {
    const w = await answersWorld();
    await saveScenario(w.db, w.coordinator, { name: 'Decommission intensive', period: 'fy2025', 'service.0': w.s5, 'percent.0': '-100' });
    const input = await buildReportInput(w.db, w.tenant.id, 'Test mutual', FY, { t, locale: 'en', exact: true, scenarios: true, now: NOW });
    const text = pdfText(await reportPdf(input, { compress: false }));
    expect(text).toContain('Resource audit report');
    expect(text).toContain('2025/26 (April 2025 – March 2026)');
    const money = { label: '', kind: 'money' as const };
    const ward = await loadAnswer(w.db, w.tenant.id, 'spend-by-ward', FY, { t, locale: 'en', exact: true });
    const w3 = ward.rows.find((r) => r.values[0] === w.w3.name)!;
    expect(text).toContain(displayValue(money, w3.values[1]!, 'en')); // £21,000.00
    expect(text).toContain('£250.00'); // cost per family of Stay and play A
    expect(text).toContain('Monday 11:00–'); // the duplication pair's overlap (the cell wraps)
    expect(text).toContain('Decommission intensive');
    expect(text).toContain('£18,000.00'); // the scenario's projected spend
    const client = new TestClient(w.app, w.host);
    client.cookies.set('pm_session', w.coord.cookie);
    const res = await client.get('/resources/report.pdf?period=fy2025');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
