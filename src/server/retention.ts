import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { idempotencyKeys } from '../db/system-schema.ts';
import { MODULES } from '../modules/index.ts';
import type { RetentionJob } from '../modules/manifest.ts';

/** Platform tables (src/db/system-schema.ts): idempotent responses are kept 24 hours. */
const PLATFORM_JOBS: readonly RetentionJob[] = [
  {
    name: 'idempotency',
    run: async (db) => (await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`)).returning({ k: idempotencyKeys.key })).length,
  },
];

/** Delete what the data catalogue (src/db/privacy.ts) says we no longer keep: every module's retention jobs. */
export async function runRetention(db: Db): Promise<{ emails: number; idempotency: number; tokens: number; counters: number } & Record<string, number>> {
  const done: Record<string, number> = {};
  for (const job of [...PLATFORM_JOBS, ...MODULES.flatMap((m) => ('retention' in m ? m.retention : []))]) done[job.name] = await job.run(db);
  return { emails: done.emails ?? 0, idempotency: done.idempotency ?? 0, tokens: done.tokens ?? 0, counters: done.counters ?? 0, ...done };
}
