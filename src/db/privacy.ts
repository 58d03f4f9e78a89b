import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { is } from 'drizzle-orm';

/**
 * The data catalogue (SECURITY.md 13): every column of every table is either tagged as personal
 * data (with purpose, lawful basis and retention) or listed as not personal. The privacy test
 * fails when a table or column is missing, so a new column cannot slip in untagged.
 */
export interface PersonalTag {
  purpose: string;
  lawfulBasis: 'contract' | 'consent' | 'legal obligation' | 'legitimate interests' | 'public task';
  retention: string;
  /** Special category (health, ethnicity…) or criminal-record data: minimised, reviewed. */
  special?: boolean;
}

/** One table's tags: every column is either personal (tagged) or listed as not personal. */
export interface TableTags {
  personal: Readonly<Record<string, PersonalTag>>;
  other: readonly string[];
}

/** Table name → tags. Each module keeps its own in `src/modules/<name>/privacy.ts`. */
export type Catalogue = Readonly<Record<string, TableTags>>;

/** The platform's own tables (src/db/system-schema.ts). */
export const PLATFORM_DATA = {
  instance_settings: { personal: {}, other: ['key', 'value'] },
  idempotency_keys: {
    personal: {
      response_body: { purpose: 'return the first response to a retried request', lawfulBasis: 'legitimate interests', retention: '24 hours (purged hourly)' },
    },
    other: ['tenant_id', 'scope', 'key', 'method', 'path', 'body_hash', 'status', 'content_type', 'created_at'],
  },
} satisfies Catalogue;

/**
 * The tags of every drizzle table a schema file exports, checked against it: a table without
 * tags, a column in neither list, or a tag for a column that does not exist is an error naming
 * what to fix. A module's manifest calls this, so the mistake shows at the first test run.
 */
export function dataOf(schema: Record<string, unknown>, tags: Catalogue): Record<string, TableTags> {
  const out: Record<string, TableTags> = {};
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const cfg = getTableConfig(value);
    const entry = tags[cfg.name];
    if (!entry) throw new Error(`Table ${cfg.name} has no privacy tags: add it to the module's privacy.ts`);
    const columns = new Set(cfg.columns.map((c) => c.name));
    const listed = [...Object.keys(entry.personal), ...entry.other];
    const untagged = [...columns].filter((c) => !listed.includes(c));
    const stale = listed.filter((c) => !columns.has(c));
    if (untagged.length > 0) throw new Error(`Columns of ${cfg.name} not classified in privacy.ts: ${untagged.join(', ')}`);
    if (stale.length > 0) throw new Error(`privacy.ts tags columns ${cfg.name} does not have: ${stale.join(', ')}`);
    out[cfg.name] = entry;
  }
  const extra = Object.keys(tags).filter((t) => !(t in out));
  if (extra.length > 0) throw new Error(`privacy.ts tags tables the schema does not define: ${extra.join(', ')}`);
  return out;
}
