import type { Database } from '../db/connection.ts';
import { sha256Hex } from '../lib/hash.ts';

/**
 * Move the windows of these rate-limit keys (as the app names them, e.g.
 * `signin:email:<tenant id>:<address>`) back by `seconds`, as if that much time had passed.
 * Only the given keys: other tests' counters, in this or another tenant, stay as they are.
 * Returns how many counters were moved.
 */
export async function ageRateLimits(database: Database, keys: readonly string[], seconds: number): Promise<number> {
  const rows = await database.query<{ key: string }>(
    'UPDATE rate_limits SET window_start = window_start - make_interval(secs => $2) WHERE key = ANY($1::text[]) RETURNING key',
    [keys.map((k) => sha256Hex(k)), seconds],
  );
  return rows.length;
}

/** The current count of a rate-limit key (as the app names it), or undefined when it has none. */
export async function rateLimitCount(database: Database, key: string): Promise<number | undefined> {
  const [row] = await database.query<{ count: number }>('SELECT count FROM rate_limits WHERE key = $1', [sha256Hex(key)]);
  return row?.count;
}
