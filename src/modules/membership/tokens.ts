import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { randomToken, sha256Hex } from '../../lib/hash.ts';
import { memberTokens, type TokenPurpose } from './schema.ts';

/** Lifetimes of single-use tokens. Sign-in links last at most 10 minutes (SECURITY.md 1). */
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  sign_in: 10 * 60_000,
  confirm_email: 24 * 60 * 60_000,
  data_export: 5 * 60_000,
  second_factor: 10 * 60_000,
  confirm_email_change: 24 * 60 * 60_000,
  staff_invitation: 72 * 60 * 60_000,
};

export async function issueToken(
  tx: Executor,
  input: { tenantId: string; memberId: string; purpose: TokenPurpose; sessionId?: string; mayEnrol?: boolean },
): Promise<string> {
  const token = randomToken(32);
  await tx.insert(memberTokens).values({
    tokenHash: sha256Hex(token),
    tenantId: input.tenantId,
    memberId: input.memberId,
    purpose: input.purpose,
    sessionId: input.sessionId ?? null,
    mayEnrol: input.mayEnrol ?? false,
    expiresAt: new Date(Date.now() + TOKEN_TTL_MS[input.purpose]),
  });
  return token;
}

/** A token that is known, of this tenant and purpose, unused and unexpired. */
function liveToken(tenantId: string, token: string, purpose: TokenPurpose) {
  return and(
    eq(memberTokens.tokenHash, sha256Hex(token)),
    eq(memberTokens.tenantId, tenantId),
    eq(memberTokens.purpose, purpose),
    isNull(memberTokens.usedAt),
    gt(memberTokens.expiresAt, sql`now()`),
  );
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Use a token once: marks it used and returns it, or undefined when it is unknown, expired,
 * already used, of another purpose or another tenant. The UPDATE … WHERE used_at IS NULL makes
 * two concurrent uses impossible.
 */
export async function consumeToken(tx: Executor, tenantId: string, token: string, purpose: TokenPurpose) {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const rows = await tx.update(memberTokens).set({ usedAt: sql`now()` }).where(liveToken(tenantId, token, purpose)).returning();
  return rows[0];
}

/** Look at a token without using it (to show the confirm page for a still-valid link). */
export async function peekToken(tx: Executor, tenantId: string, token: string, purpose: TokenPurpose) {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const rows = await tx.select().from(memberTokens).where(liveToken(tenantId, token, purpose)).limit(1);
  return rows[0];
}

/** Read a live token and lock its row for this transaction (to count attempts against it). */
export async function lockLiveToken(tx: Executor, tenantId: string, token: string, purpose: TokenPurpose) {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const rows = await tx.select().from(memberTokens).where(liveToken(tenantId, token, purpose)).limit(1).for('update');
  return rows[0];
}

/** Spend every live token of a purpose for a member (a newer invitation replaces older ones; a reset stops pending sign-ins). */
export async function spendTokens(tx: Executor, tenantId: string, memberId: string, purposes: readonly TokenPurpose[]): Promise<void> {
  await tx
    .update(memberTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(memberTokens.tenantId, tenantId), eq(memberTokens.memberId, memberId), inArray(memberTokens.purpose, [...purposes]), isNull(memberTokens.usedAt)));
}
