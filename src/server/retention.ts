import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { idempotencyKeys } from '../db/system-schema.ts';
import { purgeSentEmail } from '../modules/email/service.ts';
import { memberTokens, phoneCodes, rateLimits, webauthnChallenges } from '../modules/membership/schema.ts';
import { purgeSms } from '../modules/sms/service.ts';

/** Delete what the data catalogue (src/db/privacy.ts) says we no longer keep. */
export async function runRetention(db: Db): Promise<{ emails: number; idempotency: number; tokens: number; counters: number }> {
  const emails = await purgeSentEmail(db, 30);
  const idem = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`)).returning({ k: idempotencyKeys.key });
  const tokens = await db.delete(memberTokens).where(lt(memberTokens.expiresAt, sql`now() - interval '1 day'`)).returning({ k: memberTokens.tokenHash });
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, sql`now()`));
  // Texts after 30 days (suppressed placeholders after a day); spent or expired sign-in codes after a day.
  await purgeSms(db, 30);
  await db.delete(phoneCodes).where(lt(phoneCodes.expiresAt, sql`now() - interval '1 day'`));
  const counters = await db.delete(rateLimits).where(lt(rateLimits.windowStart, sql`now() - interval '1 day'`)).returning({ k: rateLimits.key });
  return { emails, idempotency: idem.length, tokens: tokens.length, counters: counters.length };
}
