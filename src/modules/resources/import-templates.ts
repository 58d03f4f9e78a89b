import type { Executor } from '../../db/connection.ts';
import type { Cell } from './import-files.ts';
import { IMPORT_COLUMNS, type ImportKind } from './import.ts';
import { listCategories, tenantWards } from './queries.ts';

/** One example row per kind, in the template's column order (the provider replaces it with theirs). */
function example(kind: ImportKind, ward: string, category: string): Record<string, Cell> {
  const base = { provider_ref: 'MY-ORG', service_ref: 'STAY-PLAY-1' };
  switch (kind) {
    case 'services':
      return { ...base, provider_name: 'My organisation', provider_kind: 'voluntary', service_name: 'Stay and play', category_key: category, tier: 'universal', target_group: 'Families with children under 5', ward_codes: ward, venue_name: 'Community hall', schedule: 'Tue 09:30-11:30', capacity: 20, evidence: 'some', status: 'active' };
    case 'spend':
      return { ...base, period_start: '2025-04-01', period_end: '2025-06-30', kind: 'staff', amount: '1250.50', funding_source: 'Council early-years grant' };
    case 'delivery':
      return { ...base, period_start: '2025-04-01', period_end: '2025-06-30', sessions: 12 };
    case 'reach':
      return { ...base, period_start: '2025-04-01', period_end: '2025-06-30', ward_code: ward, attendances: 48, families: 15 };
    case 'contacts':
      return { ...base, family_key: '(made by the local hasher: 64 characters 0-9 a-f)', date: '2025-04-08', ward_code: ward };
  }
}

/** A kind's template: its header and one example row, plus (for XLSX) the tenant's ward codes and category keys. */
export async function templateSheets(db: Executor, tenantId: string, kind: ImportKind): Promise<Array<{ name: string; rows: Cell[][] }>> {
  const [wards, categories] = await Promise.all([tenantWards(db, tenantId), listCategories(db, tenantId, { activeOnly: true })]);
  const header = [...IMPORT_COLUMNS[kind].required, ...IMPORT_COLUMNS[kind].optional];
  const ex = example(kind, wards[0]?.code ?? 'E05000000', categories[0]?.key ?? 'stay-and-play');
  return [
    { name: kind, rows: [header, header.map((h) => ex[h] ?? '')] },
    { name: 'ward codes', rows: [['ward_code', 'ward_name'], ...wards.map((w) => [w.code, w.name])] },
    { name: 'category keys', rows: [['category_key', 'title'], ...categories.map((c) => [c.key, c.title])] },
  ];
}
