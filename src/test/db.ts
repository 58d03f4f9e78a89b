import { openDatabase, type Database } from '../db/connection.ts';
import { runMigrations } from '../db/migrate.ts';
import { useBallotKey } from '../modules/commissioning/ballots-seal.ts';
import { useOutboxKey } from '../modules/email/sealing.ts';
import { TEST_SECRET } from './secret.ts';

/**
 * The test database of this worker: PostgreSQL when TEST_DATABASE_URL is set (CI), otherwise an
 * in-memory PGlite. Opened and migrated once per worker; tests isolate by tenant.
 */
const key = Symbol.for('parent-mutual.test-db');
type Holder = { [key]?: Promise<Database> };

export function testDatabase(): Promise<Database> {
  // The app's start-up sets the outbox key; in-process tests share the test key (src/test/app.ts).
  useOutboxKey(TEST_SECRET);
  useBallotKey(TEST_SECRET);
  const holder = globalThis as Holder;
  holder[key] ??= (async () => {
    const url = process.env.TEST_DATABASE_URL;
    const database = await openDatabase(url ? { url, poolSize: 5 } : { dataDir: 'memory://' });
    await runMigrations(database);
    return database;
  })();
  return holder[key];
}

export const storeName = () => (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
