import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { instanceSettings } from '../db/system-schema.ts';
import { randomToken } from '../lib/hash.ts';

/**
 * The instance signing secret: SECRET_KEY from the environment, or one generated on first start
 * and kept in the database so every app process (and a restart) signs alike.
 */
export async function loadSecret(db: Db, fromEnv: string | undefined): Promise<string> {
  if (fromEnv && fromEnv.length >= 32) return fromEnv;
  await db.insert(instanceSettings).values({ key: 'secret_key', value: randomToken(48) }).onConflictDoNothing();
  const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, 'secret_key'));
  if (!row) throw new Error('secret_key missing after insert');
  return row.value;
}
