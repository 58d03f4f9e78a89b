// Issue 11 (resource audit item 5, "Bad input"): import with a dry run, row-level problems,
// refusals, idempotent re-import, nothing half-imported, partners their own providers only.
import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../lib/csv.ts';
import { familyKey } from './family-keys.ts';
import { RES_IMPORT_MAX_BYTES, writeXlsx } from './import-files.ts';
import { templateSheets } from './import-templates.ts';
import { importResources, type ImportReport } from './import.ts';
import { getSettings } from './queries.ts';
import { resFamilyContacts, resImports, resReach, resServices, resSpend } from './schema.ts';
import { enc, resSetup } from './test-setup.ts';

const servicesCsv = (ward: string) =>
  toCsv([
    ['provider_ref', 'service_ref', 'service_name', 'category_key', 'tier', 'ward_codes', 'schedule', 'evidence'],
    ['PROV-A', 'SP-1', 'Stay and play', 'stay-and-play', 'universal', ward, 'Tue 09:30-11:30', 'some'],
    ['PROV-A', 'BF-1', 'Breastfeeding café', 'breastfeeding', 'targeted', ward, '', 'good'],
  ]);

const spendCsv = toCsv([
  ['provider_ref', 'service_ref', 'period_start', 'period_end', 'kind', 'amount', 'funding_source'],
  ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'staff', '£1,250.50', 'Council'],
  ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'venue', '300', 'Council'],
]);

const problemsOf = (r: ImportReport) => r.problems.map((p) => `${p.row}:${p.column}:${p.key}`);

describe('resource import', () => {
  it('checks first (nothing written), then applies; the same file again adds and changes nothing', async () => {
    const { db, coordinator, tenant, wards } = await resSetup();
    const file = { fileName: 'services.csv', bytes: enc(servicesCsv(wards[0]!.code)), kind: 'services' as const };
    const check = await importResources(db, coordinator, { ...file, dryRun: true });
    expect(check.problems).toEqual([]);
    expect(check.applied).toBe(false);
    expect(check.kinds).toEqual([{ kind: 'services', read: 2, added: 2, changed: 0, unchanged: 0 }]);
    expect(await db.select().from(resServices).where(eq(resServices.tenantId, tenant.id))).toHaveLength(0);

    const applied = await importResources(db, coordinator, { ...file, dryRun: false });
    expect(applied.applied).toBe(true);
    expect(applied.kinds[0]).toMatchObject({ added: 2, changed: 0 });
    const spend = await importResources(db, coordinator, { fileName: 'spend.csv', bytes: enc(spendCsv), kind: 'spend', dryRun: false });
    expect(spend.kinds[0]).toMatchObject({ read: 2, added: 2 });
    const amounts = (await db.select().from(resSpend).where(eq(resSpend.tenantId, tenant.id))).map((r) => r.amountPence).sort((a, b) => a - b);
    expect(amounts).toEqual([30000, 125050]);

    const again = await importResources(db, coordinator, { ...file, dryRun: false });
    expect(again.kinds[0]).toMatchObject({ read: 2, added: 0, changed: 0, unchanged: 2 });
    const spendAgain = await importResources(db, coordinator, { fileName: 'spend.csv', bytes: enc(spendCsv), kind: 'spend', dryRun: false });
    expect(spendAgain.kinds[0]).toMatchObject({ added: 0, changed: 0, unchanged: 2 });
    const imports = await db.select().from(resImports).where(eq(resImports.tenantId, tenant.id));
    expect(imports.map((i) => i.kind).sort()).toEqual(['services', 'services', 'spend', 'spend']);
    expect(imports.every((i) => i.importedBy === coordinator.memberId && /^[0-9a-f]{64}$/.test(i.fileSha256))).toBe(true);

    // A changed amount is one changed row.
    const changed = spendCsv.replace('300', '350.75');
    expect((await importResources(db, coordinator, { fileName: 'spend.csv', bytes: enc(changed), kind: 'spend', dryRun: false })).kinds[0]).toMatchObject({ added: 0, changed: 1, unchanged: 1 });
  });

  it('lists every bad row with its row number, column and reason, and writes nothing', async () => {
    const { db, coordinator, tenant, wards } = await resSetup();
    await importResources(db, coordinator, { fileName: 's.csv', bytes: enc(servicesCsv(wards[0]!.code)), kind: 'services', dryRun: false });
    const reach = toCsv([
      ['provider_ref', 'service_ref', 'period_start', 'period_end', 'ward_code', 'attendances', 'families'],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', wards[0]!.code, '40', '12'],
      ['PROV-A', 'SP-1', '2025-07-01', '2025-06-30', wards[0]!.code, '40', '12'],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'E99999999', '40', '12'],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', wards[1]!.name, '10', '12'],
      ['PROV-A', 'NOPE', '2025-04-01', '2025-06-30', wards[0]!.code, '1', '1'],
      ['PROV-A', 'SP-1', '2025-13-01', '2025-06-30', wards[2]!.code, 'x', '1'],
    ]);
    const r = await importResources(db, coordinator, { fileName: 'reach.csv', bytes: enc(reach), kind: 'reach', dryRun: false });
    expect(r.applied).toBe(false);
    expect(problemsOf(r)).toEqual([
      '3:period_end:res.core.err.periodOrder',
      '4:ward_code:res.core.err.wardCode',
      '5:families:res.core.err.familiesOver',
      '6:service_ref:res.core.err.unknownService',
      '7:period_start:res.core.err.date',
    ]);
    expect(await db.select().from(resReach).where(eq(resReach.tenantId, tenant.id))).toHaveLength(0);

    const money = toCsv([
      ['provider_ref', 'service_ref', 'period_start', 'period_end', 'kind', 'amount', 'funding_source'],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'staff', '-5', ''],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'venue', '£1,2,3', ''],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'other', 'ten', ''],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'materials', '1.234', ''],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'rent', '12', ''],
      ['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'overheads', '12', ''],
    ]);
    const m = await importResources(db, coordinator, { fileName: 'spend.csv', bytes: enc(money), kind: 'spend', dryRun: false });
    expect(problemsOf(m)).toEqual(['2:amount:res.core.err.money', '3:amount:res.core.err.money', '4:amount:res.core.err.money', '5:amount:res.core.err.money', '6:kind:res.core.err.choice']);
    expect(await db.select().from(resSpend).where(eq(resSpend.tenantId, tenant.id))).toHaveLength(0);

    const cats = toCsv([
      ['provider_ref', 'service_ref', 'service_name', 'category_key', 'tier'],
      ['PROV-A', 'X-1', 'Something', 'astrology', 'universal'],
    ]);
    expect(problemsOf(await importResources(db, coordinator, { fileName: 'c.csv', bytes: enc(cats), kind: 'services', dryRun: true }))).toEqual(['2:category_key:res.core.err.categoryKey']);
  });

  it('refuses missing or unknown columns, non-UTF-8 CSV (a BOM is fine), NUL bytes and files over the limit', async () => {
    const { db, coordinator, wards } = await resSetup();
    const missing = await importResources(db, coordinator, { fileName: 'x.csv', bytes: enc('provider_ref,service_ref,amount\nPROV-A,SP-1,1\n'), kind: 'spend', dryRun: true });
    expect(missing.problems.map((p) => p.key)).toEqual(['res.core.file.missingColumns']);
    expect(missing.problems[0]!.params!.columns).toBe('period_start, period_end, kind');
    const unknown = await importResources(db, coordinator, { fileName: 'x.csv', bytes: enc(`${servicesCsv(wards[0]!.code).replace('evidence', 'evidence,colour').replace(/some/, 'some,red').replace(/good/, 'good,blue')}`), kind: 'services', dryRun: true });
    expect(unknown.problems.map((p) => p.key)).toEqual(['res.core.file.unknownColumns']);

    const latin1 = new Uint8Array([...enc('provider_ref,service_ref,service_name,category_key,tier\nPROV-A,S,Caf'), 0xe9, ...enc(',stay-and-play,universal\n')]);
    expect((await importResources(db, coordinator, { fileName: 'x.csv', bytes: latin1, kind: 'services', dryRun: true })).problems[0]!.key).toBe('res.core.file.notUtf8');
    const bom = enc(`\uFEFF${servicesCsv(wards[0]!.code)}`);
    expect((await importResources(db, coordinator, { fileName: 'x.csv', bytes: bom, kind: 'services', dryRun: true })).problems).toEqual([]);
    const nul = new Uint8Array([...enc('provider_ref,service_ref\n'), 0, ...enc('x\n')]);
    expect((await importResources(db, coordinator, { fileName: 'x.csv', bytes: nul, kind: 'services', dryRun: true })).problems[0]!.key).toBe('res.core.file.nul');
    const big = new Uint8Array(RES_IMPORT_MAX_BYTES + 1).fill(0x41);
    expect((await importResources(db, coordinator, { fileName: 'x.csv', bytes: big, kind: 'services', dryRun: true })).problems[0]!.key).toBe('res.core.file.tooBig');
  });

  it('refuses an XLSX with a formula (naming the cell) and macro-enabled workbooks; reads a clean one', async () => {
    const { db, coordinator, tenant, wards } = await resSetup();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('spend');
    ws.addRow(['provider_ref', 'service_ref', 'period_start', 'period_end', 'kind', 'amount', 'funding_source']);
    ws.addRow(['PROV-A', 'SP-1', '2025-04-01', '2025-06-30', 'staff', 100, '']);
    ws.getCell('F3').value = { formula: 'F2*2', result: 200 };
    ws.getCell('A3').value = 'PROV-A';
    const withFormula = new Uint8Array(await wb.xlsx.writeBuffer());
    const f = await importResources(db, coordinator, { fileName: 'spend.xlsx', bytes: withFormula, dryRun: true });
    expect(f.problems.map((p) => [p.key, p.params?.cell])).toEqual([['res.core.file.formula', 'spend!F3']]);

    expect((await importResources(db, coordinator, { fileName: 'spend.xlsm', bytes: withFormula, dryRun: true })).problems[0]!.key).toBe('res.core.file.macro');
    const clean = await writeXlsx([{ name: 'services', rows: [['provider_ref', 'service_ref', 'service_name', 'category_key', 'tier', 'ward_codes'], ['PROV-A', 'SP-1', 'Stay and play', 'stay-and-play', 'universal', wards[0]!.code]] }]);
    const entries = unzipSync(clean);
    const withVba = zipSync({ ...entries, 'xl/vbaProject.bin': strToU8('macro') });
    expect((await importResources(db, coordinator, { fileName: 'book.xlsx', bytes: withVba, dryRun: true })).problems[0]!.key).toBe('res.core.file.macro');
    const types = new TextDecoder().decode(entries['[Content_Types].xml']!).replace('sheet.main+xml', 'sheet.macroEnabled.main+xml');
    const macroType = zipSync({ ...entries, '[Content_Types].xml': strToU8(types) });
    expect((await importResources(db, coordinator, { fileName: 'book.xlsx', bytes: macroType, dryRun: true })).problems[0]!.key).toBe('res.core.file.macro');

    const ok = await importResources(db, coordinator, { fileName: 'book.xlsx', bytes: clean, dryRun: false });
    expect(ok.problems).toEqual([]);
    expect(ok.kinds[0]).toMatchObject({ kind: 'services', added: 1 });
    expect(await db.select().from(resServices).where(eq(resServices.tenantId, tenant.id))).toHaveLength(1);
  });

  it('the templates (CSV and XLSX) name the columns, and the XLSX lists ward codes and category keys', async () => {
    const { db, tenant, wards } = await resSetup();
    const sheets = await templateSheets(db, tenant.id, 'reach');
    expect(sheets[0]!.rows[0]).toEqual(['provider_ref', 'service_ref', 'period_start', 'period_end', 'ward_code', 'attendances', 'families']);
    expect(sheets[1]!.rows.slice(1).map((r) => r[0])).toEqual(wards.map((w) => w.code));
    expect(sheets[2]!.rows.some((r) => r[0] === 'stay-and-play')).toBe(true);
  });

  it('a partner imports only rows of providers they are staff of (nothing written otherwise)', async () => {
    const { db, coordinator, partner, tenant, wards } = await resSetup();
    await importResources(db, coordinator, { fileName: 's.csv', bytes: enc(servicesCsv(wards[0]!.code)), kind: 'services', dryRun: false });
    const csv = toCsv([
      ['provider_ref', 'service_ref', 'service_name', 'category_key', 'tier'],
      ['PROV-A', 'NEW-1', 'Mine', 'stay-and-play', 'universal'],
      ['PROV-B', 'NEW-2', 'Theirs', 'stay-and-play', 'universal'],
    ]);
    const r = await importResources(db, partner, { fileName: 'x.csv', bytes: enc(csv), kind: 'services', dryRun: false });
    expect(problemsOf(r)).toEqual(['3:provider_ref:res.core.err.notYoursRow']);
    const spend = spendCsv.replaceAll('PROV-A', 'PROV-B');
    expect(problemsOf(await importResources(db, partner, { fileName: 'x.csv', bytes: enc(spend), kind: 'spend', dryRun: false }))).toEqual(['2:provider_ref:res.core.err.notYoursRow', '3:provider_ref:res.core.err.notYoursRow']);
    const newProvider = toCsv([
      ['provider_ref', 'service_ref', 'service_name', 'category_key', 'tier', 'provider_name', 'provider_kind'],
      ['PROV-NEW', 'X', 'X', 'stay-and-play', 'universal', 'New org', 'voluntary'],
    ]);
    expect(problemsOf(await importResources(db, partner, { fileName: 'x.csv', bytes: enc(newProvider), kind: 'services', dryRun: false }))).toEqual(['2:provider_ref:res.core.err.notYoursRow']);
    expect((await db.select().from(resServices).where(eq(resServices.tenantId, tenant.id))).map((s) => s.ref).sort()).toEqual(['BF-1', 'SP-1']);
    // Their own rows go in.
    const mine = toCsv([csv.split('\r\n')[0]!.split(','), ['PROV-A', 'NEW-1', 'Mine', 'stay-and-play', 'universal']]);
    expect((await importResources(db, partner, { fileName: 'x.csv', bytes: enc(mine), kind: 'services', dryRun: false })).applied).toBe(true);
  });

  it('imports hashed contacts idempotently (service × key × day) and refuses unhashed references', async () => {
    const { db, coordinator, tenant, wards } = await resSetup();
    await importResources(db, coordinator, { fileName: 's.csv', bytes: enc(servicesCsv(wards[0]!.code)), kind: 'services', dryRun: false });
    const secret = (await getSettings(db, tenant.id))!.familyKeySecret;
    const k1 = await familyKey(secret, 'HS-1');
    const k2 = await familyKey(secret, 'HS-2');
    const csv = toCsv([
      ['provider_ref', 'service_ref', 'family_key', 'date', 'ward_code'],
      ['PROV-A', 'SP-1', k1, '2025-04-08', wards[0]!.code],
      ['PROV-A', 'SP-1', k1, '2025-04-15', wards[0]!.code],
      ['PROV-A', 'SP-1', k2, '2025-04-08', ''],
    ]);
    const first = await importResources(db, coordinator, { fileName: 'c.csv', bytes: enc(csv), kind: 'contacts', dryRun: false });
    expect(first.kinds[0]).toMatchObject({ kind: 'contacts', added: 3 });
    const again = await importResources(db, coordinator, { fileName: 'c.csv', bytes: enc(csv), kind: 'contacts', dryRun: false });
    expect(again.kinds[0]).toMatchObject({ added: 0, changed: 0, unchanged: 3 });
    expect(await db.select().from(resFamilyContacts).where(and(eq(resFamilyContacts.tenantId, tenant.id)))).toHaveLength(3);
    const raw = toCsv([
      ['provider_ref', 'service_ref', 'family_key', 'date'],
      ['PROV-A', 'SP-1', 'Anna Nowak', '2025-04-08'],
    ]);
    expect(problemsOf(await importResources(db, coordinator, { fileName: 'c.csv', bytes: enc(raw), kind: 'contacts', dryRun: false }))).toEqual(['2:family_key:res.core.err.unhashed']);
  });
});
