import { createHmac, hkdfSync, timingSafeEqual, type Hmac } from 'node:crypto';
import { createGunzip, createGzip } from 'node:zlib';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sha256Hex } from '../lib/hash.ts';
import type { Database } from './connection.ts';

/**
 * Logical backups that work the same on PGlite and PostgreSQL (and move data between them):
 * a gzip'd JSON-lines file: a header line, then one line per row ({"t": table, "r": row}), then
 * a trailer with a checksum over every row and a signature (HMAC-SHA256 under a key derived from
 * the instance key) over the header and every row. Restore checks the whole file before touching
 * data, then replaces everything in one transaction. The checksum tells a damaged file; the
 * signature an edited one whose checksum was recomputed. The instance key itself is never in
 * the file (it is not in the database: src/server/secret.ts), so a backup alone opens nothing.
 */
export const BACKUP_FORMAT = 'parent-mutual-backup';
/** 2: signed. Version 1 files (unsigned, from before the key left the database) are refused. */
export const BACKUP_VERSION = 2;
const SIGNATURE_PREFIX = 'hmac-sha256:';

export class BackupError extends Error {}

interface TableInfo {
  name: string;
  primaryKey: string[];
  dependsOn: string[];
}

/**
 * Every table of the database's public schema, parents before children (foreign keys). Read from
 * the catalogue, not from a list of modules, so a module's new table is backed up without any
 * file here knowing of it (and nothing the migrations made can be left out).
 */
export async function tablesInDependencyOrder(database: Database): Promise<TableInfo[]> {
  const rows = await database.query<{ name: string; pk: string[] | null; deps: string[] | null }>(
    `SELECT c.relname::text AS name,
       (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_constraint p
          CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.attnum
         WHERE p.conrelid = c.oid AND p.contype = 'p') AS pk,
       (SELECT array_agg(DISTINCT r.relname::text) FROM pg_constraint f JOIN pg_class r ON r.oid = f.confrelid
         WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid) AS deps
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
  );
  const infos: TableInfo[] = rows.map((r) => ({ name: r.name, primaryKey: r.pk ?? [], dependsOn: r.deps ?? [] }));
  const ordered: TableInfo[] = [];
  const done = new Set<string>();
  const byName = new Map(infos.map((i) => [i.name, i]));
  const visit = (info: TableInfo, path: Set<string>) => {
    if (done.has(info.name)) return;
    if (path.has(info.name)) throw new Error(`foreign-key cycle at ${info.name}`);
    path.add(info.name);
    for (const dep of info.dependsOn) {
      const d = byName.get(dep);
      if (d) visit(d, path);
    }
    done.add(info.name);
    ordered.push(info);
  };
  for (const info of [...infos].sort((a, b) => a.name.localeCompare(b.name))) visit(info, new Set());
  return ordered;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The signing key: the instance key through HKDF with its own purpose, so it opens nothing else. */
function signer(instanceKey: string): Hmac {
  return createHmac('sha256', Buffer.from(hkdfSync('sha256', instanceKey, 'parent-mutual', 'backup', 32)));
}

function sameSignature(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

async function lastMigration(database: Database): Promise<string> {
  const rows = await database.query<{ hash: string }>(
    'SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1',
  );
  return rows[0]?.hash ?? '';
}

async function* tableRows(database: Database, table: TableInfo): AsyncGenerator<string> {
  // A table without a primary key is still read in a stable order: by its whole row.
  const order = table.primaryKey.length > 0 ? table.primaryKey.map(quoteIdent).join(', ') : 't::text';
  const pageSize = 2000;
  for (let offset = 0; ; offset += pageSize) {
    const rows = await database.query<{ j: string }>(
      `SELECT row_to_json(t)::text AS j FROM ${quoteIdent(table.name)} t ORDER BY ${order} LIMIT ${pageSize} OFFSET ${offset}`,
    );
    for (const row of rows) yield row.j;
    if (rows.length < pageSize) return;
  }
}

/** A checksum of all data, table by table (equal data ⇒ equal checksum, on either store). */
export async function dataChecksum(database: Database): Promise<string> {
  const hashes: string[] = [];
  for (const table of await tablesInDependencyOrder(database)) {
    const lines: string[] = [];
    for await (const line of tableRows(database, table)) lines.push(sha256Hex(canonicalRow(line)));
    hashes.push(`${table.name}:${sha256Hex(lines.join('\n'))}`);
  }
  return sha256Hex(hashes.join('\n'));
}

/** Row JSON with keys sorted, so the checksum does not depend on column order. */
function canonicalRow(json: string): string {
  const row = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));
}

/** Write a signed backup of all data to file (mode 0600 from creation: it holds personal data). */
export async function backup(database: Database, file: string, instanceKey: string): Promise<{ rows: number; checksum: string }> {
  const legacy = await database.query("SELECT 1 FROM instance_settings WHERE key = 'secret_key'");
  if (legacy.length > 0) throw new BackupError('the instance key is still in the database: start the app once (it moves the key out) before taking a backup');
  const tables = await tablesInDependencyOrder(database);
  const migration = await lastMigration(database);
  let rows = 0;
  const rowHashes: string[] = [];
  const mac = signer(instanceKey);
  const tmp = `${file}.partial`;
  async function* lines(): AsyncGenerator<string> {
    const header = JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, migration, tables: tables.map((t) => t.name), createdAt: new Date().toISOString() });
    mac.update(`${header}\n`);
    yield `${header}\n`;
    for (const table of tables) {
      for await (const json of tableRows(database, table)) {
        rows += 1;
        const normalised = JSON.stringify(JSON.parse(json));
        const rowHash = sha256Hex(`${table.name}\n${normalised}`);
        rowHashes.push(rowHash);
        mac.update(`${rowHash}\n`);
        yield `{"t":${JSON.stringify(table.name)},"r":${normalised}}\n`;
      }
    }
    const signature = SIGNATURE_PREFIX + mac.update(`rows:${rows}`).digest('hex');
    yield JSON.stringify({ end: true, rows, checksum: sha256Hex(rowHashes.join('\n')), signature }) + '\n';
  }
  // A leftover partial file may have other permissions; 'wx' creates a fresh one with 0600.
  rmSync(tmp, { force: true });
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, file);
  return { rows, checksum: await dataChecksum(database) };
}

interface ParsedBackup {
  migration: string;
  tables: Map<string, unknown[]>;
  rows: number;
}

async function readBackup(file: string, knownTables: Set<string>, instanceKey: string): Promise<ParsedBackup> {
  const input = createReadStream(file).pipe(createGunzip());
  const reader = createInterface({ input, crlfDelay: Infinity });
  type Header = { format?: unknown; version?: unknown; migration?: unknown };
  type Trailer = { end?: unknown; rows?: unknown; checksum?: unknown; signature?: unknown };
  const mac = signer(instanceKey);
  let header: Header | undefined;
  let trailer: Trailer | undefined;
  const tables = new Map<string, unknown[]>();
  const rowHashes: string[] = [];
  let lineNo = 0;
  try {
    for await (const line of reader) {
      lineNo += 1;
      if (trailer) throw new BackupError(`line ${lineNo}: data after the end marker`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new BackupError(`line ${lineNo} is not valid JSON`);
      }
      if (!header) {
        header = parsed as Header;
        if (header?.format !== BACKUP_FORMAT) throw new BackupError('this is not a Parent Mutual backup file');
        if (header.version === 1) {
          throw new BackupError('this backup was made by an older release (format 1, unsigned): restore it with that release, then upgrade');
        }
        if (header.version !== BACKUP_VERSION) throw new BackupError(`backup format version ${String(header.version)} is not supported`);
        mac.update(`${line}\n`);
        continue;
      }
      const obj = parsed as { t?: unknown; r?: unknown; end?: unknown };
      if (obj.end === true) {
        trailer = obj as Trailer;
        continue;
      }
      if (typeof obj.t !== 'string' || !knownTables.has(obj.t) || typeof obj.r !== 'object' || obj.r === null) {
        throw new BackupError(`line ${lineNo}: unknown table or malformed row`);
      }
      const rowHash = sha256Hex(`${obj.t}\n${JSON.stringify(obj.r)}`);
      rowHashes.push(rowHash);
      mac.update(`${rowHash}\n`);
      const list = tables.get(obj.t) ?? [];
      list.push(obj.r);
      tables.set(obj.t, list);
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`the file is not a readable gzip backup (${(err as Error).message})`);
  }
  if (!header) throw new BackupError('the file is empty');
  if (!trailer) throw new BackupError('the file is incomplete: no end marker (was the backup cut short?)');
  if (trailer.rows !== rowHashes.length || trailer.checksum !== sha256Hex(rowHashes.join('\n'))) {
    throw new BackupError('the checksum does not match: the file is corrupt or was edited');
  }
  const expected = SIGNATURE_PREFIX + mac.update(`rows:${rowHashes.length}`).digest('hex');
  if (typeof trailer.signature !== 'string' || !sameSignature(trailer.signature, expected)) {
    throw new BackupError(
      "the backup was signed with another key or edited after it was made: if it comes from another install, give that install's key with --key-file",
    );
  }
  return { migration: String(header.migration ?? ''), tables, rows: rowHashes.length };
}

/**
 * Replace all data with the backup's, or refuse and leave the current data untouched.
 * instanceKey is the key of the install that made the backup (this one's, unless moving data).
 */
export async function restore(database: Database, file: string, instanceKey: string): Promise<{ rows: number; checksum: string }> {
  const tables = await tablesInDependencyOrder(database);
  const parsed = await readBackup(file, new Set(tables.map((t) => t.name)), instanceKey);
  const current = await lastMigration(database);
  if (parsed.migration !== current) {
    throw new BackupError('the backup was made at a different schema version: run the same release (or migrate) before restoring');
  }
  await database.rawTransaction(async (query) => {
    // The rows go back exactly as they were, so the tables' own triggers (the audit log's
    // append-only rule, which also refuses TRUNCATE; modules' rules such as "ballots only while
    // voting") are lifted for this transaction only: they held when the rows were first written.
    for (const table of tables) await query(`ALTER TABLE ${quoteIdent(table.name)} DISABLE TRIGGER USER`);
    await query(`TRUNCATE ${tables.map((t) => quoteIdent(t.name)).join(', ')}`);
    for (const table of tables) {
      const rows = parsed.tables.get(table.name) ?? [];
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        await query(
          `INSERT INTO ${quoteIdent(table.name)} SELECT * FROM json_populate_recordset(NULL::${quoteIdent(table.name)}, $1::json)`,
          [JSON.stringify(chunk)],
        );
      }
    }
    for (const table of tables) await query(`ALTER TABLE ${quoteIdent(table.name)} ENABLE TRIGGER USER`);
  });
  return { rows: parsed.rows, checksum: await dataChecksum(database) };
}
