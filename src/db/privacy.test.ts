import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { DATA_CATALOGUE } from './privacy.ts';
import * as schema from './schema.ts';

const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable)).map((t) => getTableConfig(t));

describe('data catalogue (privacy tags)', () => {
  it('classifies every column of every table as personal (tagged) or not personal', () => {
    const unclassified: string[] = [];
    for (const table of tables) {
      const entry = DATA_CATALOGUE[table.name];
      for (const column of table.columns) {
        const known = entry && (column.name in entry.personal || entry.other.includes(column.name));
        if (!known) unclassified.push(`${table.name}.${column.name}`);
      }
    }
    expect(unclassified, 'tag these columns in src/db/privacy.ts').toEqual([]);
  });

  it('gives every personal column a purpose, a lawful basis and a retention', () => {
    for (const [table, entry] of Object.entries(DATA_CATALOGUE)) {
      for (const [column, tag] of Object.entries(entry.personal)) {
        expect(tag.purpose, `${table}.${column}`).toBeTruthy();
        expect(tag.lawfulBasis, `${table}.${column}`).toBeTruthy();
        expect(tag.retention, `${table}.${column}`).toBeTruthy();
      }
    }
  });

  it('has no stale entries for tables or columns that no longer exist', () => {
    const real = new Map(tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
    const stale: string[] = [];
    for (const [table, entry] of Object.entries(DATA_CATALOGUE)) {
      const cols = real.get(table);
      if (!cols) stale.push(table);
      else for (const c of [...Object.keys(entry.personal), ...entry.other]) if (!cols.has(c)) stale.push(`${table}.${c}`);
    }
    expect(stale).toEqual([]);
  });

  it('tags the columns that obviously hold personal data', () => {
    for (const [table, column] of [['members', 'name'], ['members', 'email'], ['members', 'phone'], ['members', 'children_under_5'], ['email_outbox', 'to_address']] as const) {
      expect(DATA_CATALOGUE[table]?.personal[column], `${table}.${column}`).toBeDefined();
    }
  });
});
