import { describe, expect, it } from 'vitest';
import { dataOf } from '../db/privacy.ts';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { storeName, testDatabase } from '../test/db.ts';
import { DATA_CATALOGUE } from './index.ts';

/** Every column of every table the migrations made, read from the database itself (not from our lists). */
async function liveColumns(): Promise<Map<string, Set<string>>> {
  const database = await testDatabase();
  const rows = await database.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
  );
  const out = new Map<string, Set<string>>();
  for (const r of rows) out.set(r.table_name, (out.get(r.table_name) ?? new Set()).add(r.column_name));
  return out;
}

describe(`data catalogue (privacy tags, ${storeName()})`, () => {
  it('classifies every column of every table in the database as personal (tagged) or not personal', async () => {
    const unclassified: string[] = [];
    for (const [table, columns] of await liveColumns()) {
      const entry = DATA_CATALOGUE[table];
      for (const column of columns) {
        if (!entry || !(column in entry.personal || entry.other.includes(column))) unclassified.push(`${table}.${column}`);
      }
    }
    expect(unclassified, "tag these columns in the owning module's privacy.ts (and list it in the manifest's data)").toEqual([]);
  });

  it('has no stale entries for tables or columns the database does not have', async () => {
    const live = await liveColumns();
    const stale: string[] = [];
    for (const [table, entry] of Object.entries(DATA_CATALOGUE)) {
      const cols = live.get(table);
      if (!cols) stale.push(table);
      else for (const c of [...Object.keys(entry.personal), ...entry.other]) if (!cols.has(c)) stale.push(`${table}.${c}`);
    }
    expect(stale).toEqual([]);
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

  it('tags the columns that obviously hold personal data', () => {
    for (const [table, column] of [['members', 'name'], ['members', 'email'], ['members', 'phone'], ['members', 'children_under_5'], ['email_outbox', 'to_address'], ['sms_outbox', 'to_number']] as const) {
      expect(DATA_CATALOGUE[table]?.personal[column], `${table}.${column}`).toBeDefined();
    }
  });

  it("dataOf refuses a module's schema with an untagged table, an unclassified column or a stale tag", () => {
    const toy = { toyThings: pgTable('toy_things', { id: text('id').primaryKey(), note: text('note') }) };
    expect(() => dataOf(toy, {})).toThrow('Table toy_things has no privacy tags');
    expect(() => dataOf(toy, { toy_things: { personal: {}, other: ['id'] } })).toThrow('not classified in privacy.ts: note');
    expect(() => dataOf(toy, { toy_things: { personal: {}, other: ['id', 'note', 'gone'] } })).toThrow('does not have: gone');
    expect(() => dataOf(toy, { toy_things: { personal: {}, other: ['id', 'note'] }, other_table: { personal: {}, other: [] } })).toThrow('does not define: other_table');
    expect(Object.keys(dataOf(toy, { toy_things: { personal: {}, other: ['id', 'note'] } }))).toEqual(['toy_things']);
  });
});
