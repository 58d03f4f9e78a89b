import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { AppError } from '../../server/errors.ts';

/**
 * Fixed-window rate limit kept in the database, so every app process shares it. Exceeding it
 * gives 429 until the window ends: nobody is locked out for good (SECURITY.md 2).
 * Keys are hashed so no email or address is stored.
 */
export async function rateLimit(db: Executor, key: string, limit: number, windowSeconds: number): Promise<void> {
  const hashed = sha256Hex(key);
  const result = await db.execute<{ count: number }>(sql`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${hashed}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE rate_limits.count + 1 END,
      window_start = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE rate_limits.window_start END
    RETURNING count`);
  const rows = (Array.isArray(result) ? result : (result as { rows: Array<{ count: number }> }).rows) as Array<{ count: number }>;
  if ((rows[0]?.count ?? 0) > limit) {
    throw new AppError('rate_limited', 'Too many attempts. Please wait a few minutes and try again.', [], 'error.rateLimited');
  }
}
