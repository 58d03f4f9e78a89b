import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from './policy.ts';
import { hmacHex } from '../../lib/hash.ts';
import { base32Encode } from '../../lib/totp.ts';
import { recoveryCodes } from './schema.ts';

/** Recovery codes stand in for a TOTP code once each; 10 are made when TOTP is first confirmed. */
export const RECOVERY_CODE_COUNT = 10;

/** 12 base32 characters (60 bits), written as three groups: "abcd-efgh-ijkl". */
const SHAPE = /^[a-z2-7]{12}$/;

export function normaliseRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function looksLikeRecoveryCode(typed: string): boolean {
  return SHAPE.test(normaliseRecoveryCode(typed));
}

// Keyed with the instance secret (kept out of the database), so a backup alone cannot test guesses.
function codeHash(secretKey: string, tenantId: string, memberId: string, code: string): string {
  return hmacHex(secretKey, `recovery-code:${tenantId}:${memberId}:${normaliseRecoveryCode(code)}`);
}

/** Replace a member's recovery codes with 10 new ones; returns them (shown once, stored hashed). */
export async function issueRecoveryCodes(tx: Executor, secretKey: string, tenantId: string, memberId: string): Promise<string[]> {
  await tx.delete(recoveryCodes).where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId)));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = base32Encode(randomBytes(8)).slice(0, 12).toLowerCase();
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
  });
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ tenantId, memberId, codeHash: codeHash(secretKey, tenantId, memberId, code) })));
  return codes;
}

/** Use a recovery code once; returns how many unused codes are left, or undefined when it is wrong or used. */
export async function useRecoveryCode(tx: Executor, secretKey: string, tenantId: string, memberId: string, typed: string): Promise<number | undefined> {
  if (!looksLikeRecoveryCode(typed)) return undefined;
  const used = await tx
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId), eq(recoveryCodes.codeHash, codeHash(secretKey, tenantId, memberId, typed)), isNull(recoveryCodes.usedAt)))
    .returning();
  if (!used.length) return undefined;
  return unusedRecoveryCodes(tx, tenantId, memberId);
}

export async function unusedRecoveryCodes(db: Executor, tenantId: string, memberId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.memberId, memberId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** The member says they have saved the codes shown once (the audit row shows the step was taken). */
export async function acknowledgeRecoveryCodes(db: Db, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'second_factor.recovery_codes_saved', entity: 'member', entityId: actor.memberId });
  });
}
