import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';

/**
 * The drizzle handle, whichever store is behind it. Queries name their tables (each module's
 * schema.ts), so the handle needs no schema index: a module's tables are known to no file here.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<PgQueryResultHKT>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export type RawQuery = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export type StoreKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: StoreKind;
  /** Run raw SQL with parameters and get rows back (used by backup, health checks, tests). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Run fn in one raw SQL transaction on a single connection (committed if fn resolves). */
  rawTransaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
  /** Run fn while holding a cluster-wide advisory lock (a no-op lock on the single-process embedded store). */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';
}

export interface OpenOptions {
  /** postgres://… ; when absent the embedded PGlite store is used. */
  url?: string | undefined;
  /** Directory of the embedded store; "memory://" for an in-memory one. */
  dataDir?: string | undefined;
  poolSize?: number | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 20);
  return openPglite(options.dataDir ?? path.resolve('data/db'));
}

async function openPostgres(url: string, max: number): Promise<Database> {
  // At least two: migrations hold one connection for the advisory lock and run on another.
  // Idle connections stay a minute (pg's default is 10 s): a burst of voters after a quiet spell
  // would otherwise pay for new backends (fork, authentication, catalogue caches) mid-burst.
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, max), connectionTimeoutMillis: 5000, idleTimeoutMillis: 60_000 });
  // Idle clients that fail (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseUnavailableError(
      `cannot reach PostgreSQL at DATABASE_URL (${redactUrl(url)}): ${reason}. ` +
        'Start the server or fix DATABASE_URL; unset DATABASE_URL to use the embedded store.',
    );
  }
  const db = drizzlePg(pool) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async query<T>(text: string, params: unknown[] = []) {
      const res = await pool.query(text, params);
      return res.rows as T[];
    },
    async rawTransaction<T>(fn: (query: RawQuery) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[]);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    async withAdvisoryLock<T>(key: number, fn: () => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * The embedded store is for one process: two processes writing one folder would corrupt it. A lock
 * file holds the owner's pid; a lock left by a process that died (kill -9) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lock = `${dataDir}.lock`;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new DatabaseUnavailableError(
          `the embedded database in ${dataDir} is in use by another Parent Mutual process (pid ${pid}). ` +
            'Stop it first (backups of the embedded store are taken while the app is stopped), or set DATA_DIR to another folder.',
        );
      }
      rmSync(lock, { force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(dataDir: string): Promise<Database> {
  let client: PGlite;
  let unlock = () => undefined as void;
  try {
    if (!dataDir.startsWith('memory://')) {
      mkdirSync(dataDir, { recursive: true });
      unlock = lockDataDir(dataDir);
    }
    // The extensions the migrations create (PostgreSQL ships them in contrib; PGlite loads them here).
    client = await PGlite.create(dataDir, { extensions: { pg_trgm, unaccent } });
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) throw err;
    unlock();
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseUnavailableError(
      `cannot open the embedded database in ${dataDir}: ${reason}. ` +
        'Check the folder is writable and not used by another process, or set DATABASE_URL.',
    );
  }
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async query<T>(text: string, params: unknown[] = []) {
      const res = await client.query<T>(text, params);
      return res.rows;
    },
    rawTransaction: (fn) => client.transaction((tx) => fn(async <R>(text: string, params: unknown[] = []) => (await tx.query<R>(text, params)).rows)),
    withAdvisoryLock: (_key, fn) => fn(),
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
