import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { commLedger, commPots, POT_SOURCES, type LedgerKind, type LedgerRow, type PotRow } from './schema.ts';

/** The SQLSTATE of an error or its causes (drizzle wraps driver errors). */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const PotInput = z.object({
  name: z.string('comm.error.potName').trim().min(1, 'comm.error.potName').max(120, 'comm.error.potName'),
  namePl: z.string().trim().max(120, 'comm.error.potName').default(''),
  financialYear: z.string('comm.error.year').trim().regex(/^\d{4}-\d{2}$/, 'comm.error.year').refine((y) => Number(y.slice(5)) === (Number(y.slice(0, 4)) + 1) % 100, 'comm.error.year'),
  source: z.enum(POT_SOURCES, 'comm.error.source'),
  funder: z.string().trim().max(160, 'comm.error.funder').default(''),
});

/** Pounds as typed ("1,250.50", "£300") → pence; undefined when not a positive amount. */
export function parsePounds(raw: unknown): number | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const s = String(raw).trim().replace(/^£/, '').replace(/,/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return undefined;
  const [whole = '0', frac = ''] = s.split('.');
  const pence = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return pence > 0 ? pence : undefined;
}

export async function createPot(db: Db, actor: Actor, form: Record<string, unknown>, opts: { isDemo?: boolean } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators manage budgets.', 'comm.error.forbidden');
  const parsed = PotInput.safeParse(form);
  if (!parsed.success) throw new AppError('validation_failed', 'Check the highlighted fields.', fieldIssues(parsed.error));
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(commPots).values({ tenantId: actor.tenantId, id, ...parsed.data, isDemo: opts.isDemo ?? false });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.pot.create', entity: 'comm_pot', entityId: id, data: { financialYear: parsed.data.financialYear, source: parsed.data.source } });
  });
  return id;
}

export interface PotBalance {
  funds: number;
  allocated: number;
  committed: number;
  spent: number;
  left: number;
}

/** Totals of one pot from its ledger (in the caller's transaction, e.g. after locking the pot). */
export async function potBalance(db: Executor, tenantId: string, potId: string): Promise<PotBalance> {
  const rows = await db
    .select({ kind: commLedger.kind, total: sql<string>`coalesce(sum(${commLedger.amountPence}), 0)::text` })
    .from(commLedger)
    .where(and(eq(commLedger.tenantId, tenantId), eq(commLedger.potId, potId)))
    .groupBy(commLedger.kind);
  const of = (k: LedgerKind) => Number(rows.find((r) => r.kind === k)?.total ?? 0);
  const funds = of('income');
  const allocated = of('allocation');
  return { funds, allocated, committed: of('commitment'), spent: of('payment'), left: funds - allocated };
}

export async function listPots(db: Executor, tenantId: string): Promise<Array<PotRow & PotBalance>> {
  const pots = await db.select().from(commPots).where(eq(commPots.tenantId, tenantId)).orderBy(asc(commPots.financialYear), asc(commPots.name));
  return Promise.all(pots.map(async (p) => ({ ...p, ...(await potBalance(db, tenantId, p.id)) })));
}

export async function getPot(db: Executor, tenantId: string, potId: string): Promise<PotRow | undefined> {
  if (!isUuid(potId)) return undefined;
  const [p] = await db.select().from(commPots).where(and(eq(commPots.tenantId, tenantId), eq(commPots.id, potId)));
  return p;
}

export interface LedgerEntryInput {
  potId: string;
  kind: LedgerKind;
  amountPence: number;
  idempotencyKey: string;
  roundId?: string | null;
  proposalId?: string | null;
  note?: string;
  isDemo?: boolean;
}

/**
 * Write one ledger entry in the caller's transaction, with its audit row. The pot row is locked
 * first, so concurrent entries on a pot are serialised and the rule is checked against committed
 * totals: allocations never exceed funds, commitments never exceed allocations, payments never
 * exceed commitments. A replay with the same key and the same content returns the first entry;
 * other content under that key is a conflict.
 */
export async function addLedgerEntryIn(tx: Executor, tenantId: string, actorId: string, input: LedgerEntryInput): Promise<{ id: string; replayed: boolean }> {
  if (!Number.isSafeInteger(input.amountPence) || input.amountPence <= 0) throw new AppError('validation_failed', 'The amount must be more than £0.', [{ field: 'amount', message: 'comm.error.amount' }]);
  if (!isUuid(input.potId)) throw new AppError('validation_failed', 'Choose a budget pot.', [{ field: 'potId', message: 'comm.error.potNotFound' }]);
  const [pot] = await tx.select({ id: commPots.id }).from(commPots).where(and(eq(commPots.tenantId, tenantId), eq(commPots.id, input.potId))).for('update');
  if (!pot) throw new AppError('not_found', 'That budget pot was not found.', [], 'comm.error.potNotFound');
  const [existing] = await tx.select().from(commLedger).where(and(eq(commLedger.tenantId, tenantId), eq(commLedger.idempotencyKey, input.idempotencyKey)));
  if (existing) {
    const same = existing.potId === input.potId && existing.kind === input.kind && existing.amountPence === input.amountPence && (existing.proposalId ?? null) === (input.proposalId ?? null) && (existing.roundId ?? null) === (input.roundId ?? null);
    if (!same) throw new AppError('idempotency_conflict', 'That key was already used for a different entry.', [], 'comm.error.idempotency');
    return { id: existing.id, replayed: true };
  }
  const b = await potBalance(tx, tenantId, input.potId);
  const over =
    (input.kind === 'allocation' && b.allocated + input.amountPence > b.funds) ||
    (input.kind === 'commitment' && b.committed + input.amountPence > b.allocated) ||
    (input.kind === 'payment' && b.spent + input.amountPence > b.committed);
  if (over) throw new AppError('conflict', 'The pot does not hold enough for this entry.', [{ field: 'amount', message: `comm.error.over.${input.kind as Exclude<LedgerKind, 'income'>}` }], `comm.error.over.${input.kind as Exclude<LedgerKind, 'income'>}`);
  const id = newId();
  await tx.insert(commLedger).values({
    tenantId,
    id,
    potId: input.potId,
    kind: input.kind,
    amountPence: input.amountPence,
    roundId: input.roundId ?? null,
    proposalId: input.proposalId ?? null,
    idempotencyKey: input.idempotencyKey,
    note: input.note ?? '',
    createdBy: actorId,
    isDemo: input.isDemo ?? false,
  });
  await appendAudit(tx, { tenantId, actor: actorId, action: `comm.ledger.${input.kind}`, entity: 'comm_ledger', entityId: id, data: { potId: input.potId, amountPence: input.amountPence, proposalId: input.proposalId ?? null, roundId: input.roundId ?? null } });
  return { id, replayed: false };
}

export const IdempotencyKey = z.string('comm.error.token').regex(/^[A-Za-z0-9_:.-]{8,120}$/, 'comm.error.token');

/** Record income to a pot (a coordinator; idempotent by the form's key). */
export async function recordIncome(db: Db, actor: Actor, form: Record<string, unknown>): Promise<string> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators manage budgets.', 'comm.error.forbidden');
  const amount = parsePounds(form.amount);
  const key = IdempotencyKey.safeParse(form.idempotencyKey);
  const note = typeof form.note === 'string' ? form.note.trim().slice(0, 200) : '';
  const issues = [...(amount === undefined ? [{ field: 'amount', message: 'comm.error.amount' }] : []), ...(key.success ? [] : [{ field: 'amount', message: 'comm.error.token' }])];
  if (issues.length || amount === undefined || !key.success) throw new AppError('validation_failed', 'Check the highlighted fields.', issues);
  const potId = typeof form.potId === 'string' ? form.potId : '';
  return db.transaction(async (tx) => (await addLedgerEntryIn(tx, actor.tenantId, actor.memberId, { potId, kind: 'income', amountPence: amount, idempotencyKey: `income:${key.data}`, note })).id);
}

export async function ledgerOf(db: Executor, tenantId: string, potId: string): Promise<LedgerRow[]> {
  return db.select().from(commLedger).where(and(eq(commLedger.tenantId, tenantId), eq(commLedger.potId, potId))).orderBy(asc(commLedger.createdAt), asc(commLedger.id));
}

/**
 * The ledger check: pots (of a tenant, or all) whose totals break the rule spent ≤ committed ≤
 * allocated ≤ funds. Empty when everything adds up.
 */
export async function ledgerProblems(db: Executor, tenantId?: string): Promise<Array<{ tenantId: string; potId: string; funds: number; allocated: number; committed: number; spent: number }>> {
  const rows = await db.execute<{ tenant_id: string; pot_id: string; funds: string; allocated: string; committed: string; spent: string }>(sql`
    SELECT p.tenant_id, p.id AS pot_id,
      coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'income'), 0)::text AS funds,
      coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'allocation'), 0)::text AS allocated,
      coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'commitment'), 0)::text AS committed,
      coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'payment'), 0)::text AS spent
    FROM comm_pots p LEFT JOIN comm_ledger l ON l.tenant_id = p.tenant_id AND l.pot_id = p.id
    WHERE ${tenantId ? sql`p.tenant_id = ${tenantId}` : sql`true`}
    GROUP BY p.tenant_id, p.id
    HAVING NOT (coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'payment'), 0) <= coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'commitment'), 0)
      AND coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'commitment'), 0) <= coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'allocation'), 0)
      AND coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'allocation'), 0) <= coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'income'), 0))`);
  // node-postgres answers { rows }, PGlite's drizzle driver too.
  const list = (rows as unknown as { rows: Array<{ tenant_id: string; pot_id: string; funds: string; allocated: string; committed: string; spent: string }> }).rows;
  return list.map((r) => ({ tenantId: r.tenant_id, potId: r.pot_id, funds: Number(r.funds), allocated: Number(r.allocated), committed: Number(r.committed), spent: Number(r.spent) }));
}
