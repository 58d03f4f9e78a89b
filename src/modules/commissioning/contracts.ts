import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../../db/connection.ts';
import { isCalendarDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { allows, requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { serviceCards } from '../resources/views.ts';
import { addLedgerEntryIn, IdempotencyKey, parsePounds, sqlState } from './ledger.ts';
import { INDICATORS, listOf } from './proposals.ts';
import { commContracts, commLedger, commMilestones, commPayments, commProposals, commRounds, type ContractRow, type MilestoneRow, type PaymentRow } from './schema.ts';

/** Rows of milestones on the new-contract form (no JavaScript: a fixed number of rows, blank ones ignored). */
export const MILESTONE_ROWS = 6;

type Form = Record<string, unknown>;
const text = (f: Form, k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');

/** The role a person acted in, as shown publicly (never their name). */
export function actingRole(actor: Actor, kind: 'request' | 'approve'): string {
  if (kind === 'approve' && actor.roles.has('board') && !actor.roles.has('coordinator')) return 'board';
  if (actor.roles.has('coordinator')) return 'coordinator';
  if (actor.roles.has('admin')) return 'admin';
  return actor.roles.has('board') ? 'board' : 'coordinator';
}

function invalid(issues: FieldIssue[]): never {
  throw new AppError('validation_failed', 'Check the highlighted fields.', issues);
}

// ---------------------------------------------------------------------------------------------
// Funded proposals (the ledger's allocations of published rounds)

export interface FundedProposal {
  proposalId: string;
  roundId: string;
  potId: string;
  title: string;
  roundTitle: string;
  allocatedPence: number;
  serviceId: string | null;
  providerText: string;
  indicators: string[];
  contractId: string | null;
  isDemo: boolean;
}

/** Proposals with an allocation in the ledger (funded by a ratified round), with their contract if any. */
export async function fundedProposals(db: Executor, tenantId: string, proposalId?: string): Promise<FundedProposal[]> {
  const rows = await db
    .select({
      proposalId: commLedger.proposalId,
      roundId: commLedger.roundId,
      potId: commLedger.potId,
      allocated: sql<string>`sum(${commLedger.amountPence})::text`,
    })
    .from(commLedger)
    .where(and(eq(commLedger.tenantId, tenantId), eq(commLedger.kind, 'allocation'), isNotNull(commLedger.proposalId), isNotNull(commLedger.roundId), proposalId ? eq(commLedger.proposalId, proposalId) : sql`true`))
    .groupBy(commLedger.proposalId, commLedger.roundId, commLedger.potId);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.proposalId as string);
  const [proposals, rounds, contracts] = await Promise.all([
    db.select().from(commProposals).where(and(eq(commProposals.tenantId, tenantId), inArray(commProposals.id, ids))),
    db.select({ id: commRounds.id, title: commRounds.title, phase: commRounds.phase }).from(commRounds).where(and(eq(commRounds.tenantId, tenantId), inArray(commRounds.id, rows.map((r) => r.roundId as string)))),
    db.select({ id: commContracts.id, proposalId: commContracts.proposalId }).from(commContracts).where(and(eq(commContracts.tenantId, tenantId), inArray(commContracts.proposalId, ids))),
  ]);
  const out: FundedProposal[] = [];
  for (const r of rows) {
    const p = proposals.find((x) => x.id === r.proposalId);
    const round = rounds.find((x) => x.id === r.roundId);
    if (!p || !round || round.phase !== 'published') continue;
    out.push({
      proposalId: p.id,
      roundId: round.id,
      potId: r.potId,
      title: p.title,
      roundTitle: round.title,
      allocatedPence: Number(r.allocated),
      serviceId: p.serviceId,
      providerText: p.providerText,
      indicators: p.indicators,
      contractId: contracts.find((c) => c.proposalId === p.id)?.id ?? null,
      isDemo: p.isDemo,
    });
  }
  return out.sort((a, b) => a.roundTitle.localeCompare(b.roundTitle) || a.title.localeCompare(b.title));
}

/** Providers of the resource audit (from its service cards), for the contract form. */
export async function auditProviders(db: Db, tenantId: string): Promise<Array<{ id: string; name: string }>> {
  const seen = new Map<string, string>();
  for (const s of await serviceCards(db, tenantId)) if (!seen.has(s.providerId)) seen.set(s.providerId, s.providerName);
  return [...seen].map(([id, name]) => ({ id, name }));
}

// ---------------------------------------------------------------------------------------------
// Contracts

export interface MilestoneInput {
  title: string;
  dueOn: string;
  amountPence: number;
  evidence: string;
}

/** Read the milestone rows of a form (m.0.title, m.0.due, m.0.amount, m.0.evidence …). */
function milestonesOf(form: Form, issues: FieldIssue[]): MilestoneInput[] {
  const out: MilestoneInput[] = [];
  for (let i = 0; i < MILESTONE_ROWS; i++) {
    const title = text(form, `m.${i}.title`);
    const due = text(form, `m.${i}.due`);
    const amountRaw = text(form, `m.${i}.amount`);
    const evidence = text(form, `m.${i}.evidence`);
    if (!title && !due && !amountRaw && !evidence) continue;
    const amount = parsePounds(amountRaw);
    if (title.length < 3 || title.length > 160) issues.push({ field: `m.${i}.title`, message: 'comm.contract.error.milestoneTitle' });
    if (!isCalendarDate(due)) issues.push({ field: `m.${i}.due`, message: 'comm.contract.error.milestoneDue' });
    if (amount === undefined) issues.push({ field: `m.${i}.amount`, message: 'comm.contract.error.milestoneAmount' });
    if (evidence.length > 500) issues.push({ field: `m.${i}.evidence`, message: 'comm.contract.error.evidence' });
    out.push({ title, dueOn: due, amountPence: amount ?? 0, evidence });
  }
  return out;
}

/**
 * Draw up a contract (draft) for a funded proposal: provider, value (≤ its allocation), dates,
 * indicators and milestones adding up to the value. Idempotent by the form's token: a retried
 * POST returns the contract it made. Nothing is committed until it is signed.
 */
export async function createContract(db: Db, actor: Actor, form: Form, opts: { isDemo?: boolean } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators draw up contracts.', 'comm.error.forbidden');
  const issues: FieldIssue[] = [];
  const token = IdempotencyKey.safeParse(form.idempotencyKey);
  if (!token.success) issues.push({ field: 'proposalId', message: 'comm.error.token' });
  const proposalId = text(form, 'proposalId');
  const providerId = text(form, 'providerId');
  let providerName = text(form, 'providerName');
  const value = parsePounds(text(form, 'value'));
  const startsOn = text(form, 'startsOn');
  const endsOn = text(form, 'endsOn');
  const indicators = listOf(form.indicators);
  if (!isUuid(proposalId)) issues.push({ field: 'proposalId', message: 'comm.contract.error.proposal' });
  if (providerId && !isUuid(providerId)) issues.push({ field: 'providerId', message: 'comm.contract.error.provider' });
  if (providerName.length > 160) issues.push({ field: 'providerName', message: 'comm.error.provider' });
  if (value === undefined) issues.push({ field: 'value', message: 'comm.contract.error.value' });
  if (!isCalendarDate(startsOn)) issues.push({ field: 'startsOn', message: 'comm.contract.error.date' });
  if (!isCalendarDate(endsOn)) issues.push({ field: 'endsOn', message: 'comm.contract.error.date' });
  else if (isCalendarDate(startsOn) && endsOn < startsOn) issues.push({ field: 'endsOn', message: 'comm.contract.error.endsBeforeStart' });
  if (indicators.some((k) => !(INDICATORS as readonly string[]).includes(k))) issues.push({ field: 'indicators', message: 'comm.error.indicators' });
  const milestones = milestonesOf(form, issues);
  if (milestones.length === 0) issues.push({ field: 'm.0.title', message: 'comm.contract.error.noMilestones' });
  const inPeriod = (d: string) => !isCalendarDate(startsOn) || !isCalendarDate(endsOn) || (d >= startsOn && d <= endsOn);
  milestones.forEach((m, i) => {
    if (isCalendarDate(m.dueOn) && !inPeriod(m.dueOn)) issues.push({ field: `m.${i}.due`, message: 'comm.contract.error.milestoneOutside' });
  });
  const sum = milestones.reduce((a, m) => a + m.amountPence, 0);
  if (value !== undefined && milestones.length && milestones.every((m) => m.amountPence > 0) && sum !== value) issues.push({ field: 'm.0.amount', message: 'comm.contract.error.milestoneSum' });
  if (issues.length || !token.success || value === undefined) invalid(issues);
  const createKey = `contract:${token.data}`;

  const [replay] = await db.select({ id: commContracts.id, proposalId: commContracts.proposalId }).from(commContracts).where(and(eq(commContracts.tenantId, actor.tenantId), eq(commContracts.createKey, createKey)));
  if (replay) {
    if (replay.proposalId !== proposalId) throw new AppError('idempotency_conflict', 'That form was already used for another contract.', [], 'comm.error.idempotency');
    return replay.id;
  }
  const [funded] = await fundedProposals(db, actor.tenantId, proposalId);
  if (!funded) {
    const [p] = await db.select({ id: commProposals.id }).from(commProposals).where(and(eq(commProposals.tenantId, actor.tenantId), eq(commProposals.id, proposalId)));
    if (!p) invalid([{ field: 'proposalId', message: 'comm.contract.error.proposal' }]);
    invalid([{ field: 'proposalId', message: 'comm.contract.error.unfunded' }]);
  }
  if (funded.contractId) throw new AppError('conflict', 'That proposal already has a contract.', [{ field: 'proposalId', message: 'comm.contract.error.exists' }], 'comm.contract.error.exists');
  if (value > funded.allocatedPence) invalid([{ field: 'value', message: 'comm.contract.error.overAllocation' }]);
  if (providerId) {
    const provider = (await auditProviders(db, actor.tenantId)).find((p) => p.id === providerId);
    if (!provider) invalid([{ field: 'providerId', message: 'comm.contract.error.provider' }]);
    providerName = provider.name;
  }
  if (providerName.length < 2) invalid([{ field: 'providerName', message: 'comm.contract.error.providerName' }]);
  const id = newId();
  try {
    await db.transaction(async (tx) => {
      await tx.insert(commContracts).values({
        tenantId: actor.tenantId,
        id,
        roundId: funded.roundId,
        proposalId,
        potId: funded.potId,
        providerId: providerId || null,
        providerName,
        valuePence: value,
        startsOn,
        endsOn,
        indicators,
        createKey,
        isDemo: opts.isDemo ?? false,
      });
      await tx.insert(commMilestones).values(milestones.map((m, position) => ({ tenantId: actor.tenantId, id: newId(), contractId: id, position, ...m, isDemo: opts.isDemo ?? false })));
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.contract.create', entity: 'comm_contract', entityId: id, data: { proposalId, valuePence: value, milestones: milestones.length } });
    });
  } catch (err) {
    // Two submissions at once: the unique indexes decide; the loser finds the winner's contract.
    if (sqlState(err) !== '23505') throw err;
    const [again] = await db.select({ id: commContracts.id, createKey: commContracts.createKey }).from(commContracts).where(and(eq(commContracts.tenantId, actor.tenantId), eq(commContracts.proposalId, proposalId)));
    if (again?.createKey === createKey) return again.id;
    throw new AppError('conflict', 'That proposal already has a contract.', [{ field: 'proposalId', message: 'comm.contract.error.exists' }], 'comm.contract.error.exists');
  }
  return id;
}

async function lockContract(tx: Executor, tenantId: string, id: string): Promise<ContractRow> {
  if (!isUuid(id)) throw new AppError('not_found', 'That contract was not found.', [], 'comm.contract.error.notFound');
  const [c] = await tx.select().from(commContracts).where(and(eq(commContracts.tenantId, tenantId), eq(commContracts.id, id))).for('update');
  if (!c) throw new AppError('not_found', 'That contract was not found.', [], 'comm.contract.error.notFound');
  return c;
}

export async function getContract(db: Executor, tenantId: string, id: string): Promise<ContractRow> {
  if (!isUuid(id)) throw new AppError('not_found', 'That contract was not found.', [], 'comm.contract.error.notFound');
  const [c] = await db.select().from(commContracts).where(and(eq(commContracts.tenantId, tenantId), eq(commContracts.id, id)));
  if (!c) throw new AppError('not_found', 'That contract was not found.', [], 'comm.contract.error.notFound');
  return c;
}

/**
 * Sign a draft: the ledger commitment of its value (`commitment:<id>`, refused beyond what is
 * allocated), the status and the audit row in one transaction. Signing a signed contract again
 * changes nothing.
 */
export async function signContract(db: Db, actor: Actor, id: string, now = new Date()): Promise<void> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators sign contracts.', 'comm.error.forbidden');
  await db.transaction(async (tx) => {
    const c = await lockContract(tx, actor.tenantId, id);
    if (c.status === 'signed') return;
    if (c.status !== 'draft') throw new AppError('conflict', 'Only a draft contract can be signed.', [], 'comm.contract.error.notDraft');
    const [m] = await tx.select({ total: sql<string>`coalesce(sum(${commMilestones.amountPence}), 0)::text` }).from(commMilestones).where(and(eq(commMilestones.tenantId, actor.tenantId), eq(commMilestones.contractId, id)));
    if (Number(m?.total ?? 0) !== c.valuePence) throw new AppError('conflict', 'The milestones do not add up to the contract value.', [], 'comm.contract.error.milestoneSum');
    const [alloc] = await tx
      .select({ total: sql<string>`coalesce(sum(${commLedger.amountPence}), 0)::text` })
      .from(commLedger)
      .where(and(eq(commLedger.tenantId, actor.tenantId), eq(commLedger.kind, 'allocation'), eq(commLedger.proposalId, c.proposalId)));
    if (c.valuePence > Number(alloc?.total ?? 0)) throw new AppError('conflict', 'The contract is worth more than the proposal’s allocation.', [], 'comm.contract.error.overAllocation');
    await addLedgerEntryIn(tx, actor.tenantId, actor.memberId, { potId: c.potId, kind: 'commitment', amountPence: c.valuePence, idempotencyKey: `commitment:${c.id}`, roundId: c.roundId, proposalId: c.proposalId, note: `Contract with ${c.providerName}`, isDemo: c.isDemo });
    await tx.update(commContracts).set({ status: 'signed', signedAt: now }).where(and(eq(commContracts.tenantId, actor.tenantId), eq(commContracts.id, id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.contract.sign', entity: 'comm_contract', entityId: id, data: { valuePence: c.valuePence } });
  });
}

async function paidOf(tx: Executor, tenantId: string, contractId: string): Promise<{ paid: number; pending: number }> {
  const rows = await tx
    .select({ status: commPayments.status, total: sql<string>`coalesce(sum(${commPayments.amountPence}), 0)::text` })
    .from(commPayments)
    .where(and(eq(commPayments.tenantId, tenantId), eq(commPayments.contractId, contractId)))
    .groupBy(commPayments.status);
  const of = (s: string) => Number(rows.find((r) => r.status === s)?.total ?? 0);
  return { paid: of('approved'), pending: of('requested') };
}

/** Completed: every milestone paid in full. */
export async function completeContract(db: Db, actor: Actor, id: string, now = new Date()): Promise<void> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators manage contracts.', 'comm.error.forbidden');
  await db.transaction(async (tx) => {
    const c = await lockContract(tx, actor.tenantId, id);
    if (c.status === 'completed') return;
    if (c.status !== 'signed') throw new AppError('conflict', 'Only a signed contract can be completed.', [], 'comm.contract.error.notSigned');
    const { paid } = await paidOf(tx, actor.tenantId, id);
    if (paid !== c.valuePence) throw new AppError('conflict', 'Pay every milestone before completing the contract.', [], 'comm.contract.error.unpaid');
    await tx.update(commContracts).set({ status: 'completed', closedAt: now }).where(and(eq(commContracts.tenantId, actor.tenantId), eq(commContracts.id, id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.contract.complete', entity: 'comm_contract', entityId: id, data: { paidPence: paid } });
  });
}

/**
 * Terminate a draft or signed contract, with a reason (public). Payment requests not yet
 * approved are declined in the same transaction. The unpaid part of a signed contract stays
 * committed in the ledger: the ledger has no negative entries and no `release` kind yet (out of
 * scope), so spent ≤ committed ≤ allocated ≤ funds stays true and the money is not re-used.
 */
export async function terminateContract(db: Db, actor: Actor, id: string, form: Form, now = new Date()): Promise<void> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators manage contracts.', 'comm.error.forbidden');
  const reason = text(form, 'reason');
  if (reason.length < 5 || reason.length > 500) invalid([{ field: 'reason', message: 'comm.contract.error.reason' }]);
  await db.transaction(async (tx) => {
    const c = await lockContract(tx, actor.tenantId, id);
    if (c.status === 'terminated') return;
    if (c.status === 'completed') throw new AppError('conflict', 'A completed contract cannot be terminated.', [], 'comm.contract.error.closed');
    const declined = await tx
      .update(commPayments)
      .set({ status: 'declined', decidedBy: actor.memberId, decidedRole: actingRole(actor, 'request'), decidedAt: now })
      .where(and(eq(commPayments.tenantId, actor.tenantId), eq(commPayments.contractId, id), eq(commPayments.status, 'requested')))
      .returning({ id: commPayments.id });
    await tx.update(commContracts).set({ status: 'terminated', closedAt: now, closeReason: reason }).where(and(eq(commContracts.tenantId, actor.tenantId), eq(commContracts.id, id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.contract.terminate', entity: 'comm_contract', entityId: id, data: { from: c.status, declined: declined.length } });
  });
}

// ---------------------------------------------------------------------------------------------
// Payments

/**
 * Request a payment against a milestone of a signed contract: at most the milestone's unpaid
 * amount (approved and pending requests count) and never above what is committed. Idempotent by
 * the form's token.
 */
export async function requestPayment(db: Db, actor: Actor, contractId: string, form: Form, opts: { isDemo?: boolean; now?: Date } = {}): Promise<{ id: string; replayed: boolean }> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators request payments.', 'comm.error.forbidden');
  const token = IdempotencyKey.safeParse(form.idempotencyKey);
  const milestoneId = text(form, 'milestoneId');
  const amount = parsePounds(text(form, 'amount'));
  const note = text(form, 'note');
  const issues: FieldIssue[] = [];
  if (!token.success) issues.push({ field: 'amount', message: 'comm.error.token' });
  if (!isUuid(milestoneId)) issues.push({ field: 'milestoneId', message: 'comm.contract.error.milestone' });
  if (amount === undefined) issues.push({ field: 'amount', message: 'comm.error.amount' });
  if (note.length > 500) issues.push({ field: 'note', message: 'comm.contract.error.note' });
  if (issues.length || !token.success || amount === undefined) invalid(issues);
  const requestKey = `payment-request:${token.data}`;
  return db.transaction(async (tx) => {
    const c = await lockContract(tx, actor.tenantId, contractId);
    const [replay] = await tx.select().from(commPayments).where(and(eq(commPayments.tenantId, actor.tenantId), eq(commPayments.requestKey, requestKey)));
    if (replay) {
      if (replay.contractId !== c.id || replay.milestoneId !== milestoneId || replay.amountPence !== amount) throw new AppError('idempotency_conflict', 'That form was already sent with other values.', [], 'comm.error.idempotency');
      return { id: replay.id, replayed: true };
    }
    if (c.status !== 'signed') throw new AppError('conflict', 'Payments are made only on a signed contract.', [{ field: 'amount', message: 'comm.contract.error.notSigned' }], 'comm.contract.error.notSigned');
    const [m] = await tx.select().from(commMilestones).where(and(eq(commMilestones.tenantId, actor.tenantId), eq(commMilestones.contractId, c.id), eq(commMilestones.id, milestoneId)));
    if (!m) invalid([{ field: 'milestoneId', message: 'comm.contract.error.milestone' }]);
    const [used] = await tx
      .select({ total: sql<string>`coalesce(sum(${commPayments.amountPence}), 0)::text` })
      .from(commPayments)
      .where(and(eq(commPayments.tenantId, actor.tenantId), eq(commPayments.milestoneId, m.id), inArray(commPayments.status, ['requested', 'approved'])));
    if (amount > m.amountPence - Number(used?.total ?? 0)) invalid([{ field: 'amount', message: 'comm.contract.error.overMilestone' }]);
    const [committed] = await tx.select({ total: sql<string>`coalesce(sum(${commLedger.amountPence}), 0)::text` }).from(commLedger).where(and(eq(commLedger.tenantId, actor.tenantId), eq(commLedger.idempotencyKey, `commitment:${c.id}`)));
    const { paid, pending } = await paidOf(tx, actor.tenantId, c.id);
    if (paid + pending + amount > Number(committed?.total ?? 0)) invalid([{ field: 'amount', message: 'comm.contract.error.overCommitted' }]);
    const id = newId();
    await tx.insert(commPayments).values({ tenantId: actor.tenantId, id, contractId: c.id, milestoneId: m.id, amountPence: amount, note, requestedBy: actor.memberId, requestedRole: actingRole(actor, 'request'), requestedAt: opts.now ?? new Date(), requestKey, isDemo: opts.isDemo ?? c.isDemo });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.payment.request', entity: 'comm_payment', entityId: id, data: { contractId: c.id, milestoneId: m.id, amountPence: amount } });
    return { id, replayed: false };
  });
}

export interface ApproveOptions {
  now?: Date;
  /** Test seam: runs inside the approval's transaction after every write, before it commits (the crash test kills the process here). */
  beforeCommit?: () => Promise<void>;
}

/**
 * Approve a requested payment: a different person from the requester, with
 * `commissioning.approve`. The ledger payment (`payment:<id>`), the payment's status and the
 * audit row are written in one transaction. A retried approval with the same form token returns
 * the first result; any other second approval is refused.
 */
export async function approvePayment(db: Db, actor: Actor, contractId: string, paymentId: string, form: Form, opts: ApproveOptions = {}): Promise<{ ledgerEntryId: string; replayed: boolean }> {
  requirePermission(actor, 'commissioning.approve', 'Your role cannot approve payments.', 'comm.error.forbidden');
  const token = IdempotencyKey.safeParse(form.idempotencyKey);
  if (!token.success) invalid([{ field: 'approve', message: 'comm.error.token' }]);
  const decideKey = `payment-decision:${token.data}`;
  try {
    return await db.transaction(async (tx) => {
      const c = await lockContract(tx, actor.tenantId, contractId);
      const p = await lockPayment(tx, actor.tenantId, c.id, paymentId);
      if (p.status === 'approved' && p.decideKey === decideKey && p.ledgerEntryId) return { ledgerEntryId: p.ledgerEntryId, replayed: true };
      if (p.requestedBy === actor.memberId) throw new AppError('forbidden', 'You cannot approve a payment you requested.', [{ field: 'approve', message: 'comm.contract.error.ownPayment' }], 'comm.contract.error.ownPayment');
      if (p.status === 'approved') throw new AppError('conflict', 'This payment is already approved.', [{ field: 'approve', message: 'comm.contract.error.alreadyApproved' }], 'comm.contract.error.alreadyApproved');
      if (p.status === 'declined') throw new AppError('conflict', 'This payment request was declined.', [{ field: 'approve', message: 'comm.contract.error.declined' }], 'comm.contract.error.declined');
      if (c.status !== 'signed') throw new AppError('conflict', 'Payments are made only on a signed contract.', [{ field: 'approve', message: 'comm.contract.error.notSigned' }], 'comm.contract.error.notSigned');
      const entry = await addLedgerEntryIn(tx, actor.tenantId, actor.memberId, { potId: c.potId, kind: 'payment', amountPence: p.amountPence, idempotencyKey: `payment:${p.id}`, roundId: c.roundId, proposalId: c.proposalId, note: `Milestone payment to ${c.providerName}`, isDemo: p.isDemo });
      await tx
        .update(commPayments)
        .set({ status: 'approved', decidedBy: actor.memberId, decidedRole: actingRole(actor, 'approve'), decidedAt: opts.now ?? new Date(), decideKey, ledgerEntryId: entry.id })
        .where(and(eq(commPayments.tenantId, actor.tenantId), eq(commPayments.id, p.id)));
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.payment.approve', entity: 'comm_payment', entityId: p.id, data: { contractId: c.id, amountPence: p.amountPence, ledgerEntryId: entry.id } });
      await opts.beforeCommit?.();
      return { ledgerEntryId: entry.id, replayed: false };
    });
  } catch (err) {
    if (sqlState(err) === '23505') throw new AppError('idempotency_conflict', 'That form was already used.', [{ field: 'approve', message: 'comm.error.idempotency' }], 'comm.error.idempotency');
    throw err;
  }
}

async function lockPayment(tx: Tx | Executor, tenantId: string, contractId: string, paymentId: string): Promise<PaymentRow> {
  const missing = () => new AppError('not_found', 'That payment was not found.', [], 'comm.contract.error.paymentNotFound');
  if (!isUuid(paymentId)) throw missing();
  const [p] = await tx.select().from(commPayments).where(and(eq(commPayments.tenantId, tenantId), eq(commPayments.contractId, contractId), eq(commPayments.id, paymentId))).for('update');
  if (!p) throw missing();
  return p;
}

/** Decline (or, for the requester, withdraw) a payment request that is not yet approved. */
export async function declinePayment(db: Db, actor: Actor, contractId: string, paymentId: string, now = new Date()): Promise<void> {
  if (!allows('commissioning.approve', actor.roles) && !allows('commissioning.manage', actor.roles)) throw new AppError('forbidden', 'Your role cannot decline payments.', [], 'comm.error.forbidden');
  await db.transaction(async (tx) => {
    const c = await lockContract(tx, actor.tenantId, contractId);
    const p = await lockPayment(tx, actor.tenantId, c.id, paymentId);
    if (p.status === 'declined') return;
    if (p.status === 'approved') throw new AppError('conflict', 'This payment is already approved.', [{ field: 'approve', message: 'comm.contract.error.alreadyApproved' }], 'comm.contract.error.alreadyApproved');
    await tx.update(commPayments).set({ status: 'declined', decidedBy: actor.memberId, decidedRole: actingRole(actor, 'approve'), decidedAt: now }).where(and(eq(commPayments.tenantId, actor.tenantId), eq(commPayments.id, p.id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.payment.decline', entity: 'comm_payment', entityId: p.id, data: { contractId: c.id, amountPence: p.amountPence } });
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface MilestoneView extends MilestoneRow {
  paidPence: number;
  pendingPence: number;
}

export interface ContractView {
  contract: ContractRow;
  proposalTitle: string;
  roundTitle: string;
  roundTitlePl: string;
  milestones: MilestoneView[];
  payments: PaymentRow[];
  paidPence: number;
  pendingPence: number;
}

/** The contracts the public sees: signed, completed or terminated after signing (drafts are internal). */
const PUBLIC = (c: Pick<ContractRow, 'status' | 'signedAt'>) => c.status === 'signed' || c.status === 'completed' || (c.status === 'terminated' && c.signedAt !== null);
export const isPublicContract = PUBLIC;

export async function contractViews(db: Executor, tenantId: string, opts: { publicOnly?: boolean; ids?: string[] } = {}): Promise<ContractView[]> {
  if (opts.ids && opts.ids.length === 0) return [];
  const contracts = (await db.select().from(commContracts).where(and(eq(commContracts.tenantId, tenantId), opts.ids ? inArray(commContracts.id, opts.ids) : sql`true`)).orderBy(desc(commContracts.createdAt), asc(commContracts.id))).filter(
    (c) => !opts.publicOnly || PUBLIC(c),
  );
  if (contracts.length === 0) return [];
  const ids = contracts.map((c) => c.id);
  const [milestones, payments, proposals, rounds] = await Promise.all([
    db.select().from(commMilestones).where(and(eq(commMilestones.tenantId, tenantId), inArray(commMilestones.contractId, ids))).orderBy(asc(commMilestones.position)),
    db.select().from(commPayments).where(and(eq(commPayments.tenantId, tenantId), inArray(commPayments.contractId, ids))).orderBy(asc(commPayments.requestedAt), asc(commPayments.id)),
    db.select({ id: commProposals.id, title: commProposals.title }).from(commProposals).where(and(eq(commProposals.tenantId, tenantId), inArray(commProposals.id, contracts.map((c) => c.proposalId)))),
    db.select({ id: commRounds.id, title: commRounds.title, titlePl: commRounds.titlePl }).from(commRounds).where(and(eq(commRounds.tenantId, tenantId), inArray(commRounds.id, contracts.map((c) => c.roundId)))),
  ]);
  return contracts.map((contract) => {
    const mine = payments.filter((p) => p.contractId === contract.id);
    const sum = (list: PaymentRow[], status: PaymentRow['status']) => list.filter((p) => p.status === status).reduce((a, p) => a + p.amountPence, 0);
    const round = rounds.find((r) => r.id === contract.roundId);
    return {
      contract,
      proposalTitle: proposals.find((p) => p.id === contract.proposalId)?.title ?? '',
      roundTitle: round?.title ?? '',
      roundTitlePl: round?.titlePl ?? '',
      milestones: milestones
        .filter((m) => m.contractId === contract.id)
        .map((m) => {
          const of = mine.filter((p) => p.milestoneId === m.id);
          return { ...m, paidPence: sum(of, 'approved'), pendingPence: sum(of, 'requested') };
        }),
      payments: mine,
      paidPence: sum(mine, 'approved'),
      pendingPence: sum(mine, 'requested'),
    };
  });
}

export async function contractView(db: Executor, tenantId: string, id: string, opts: { publicOnly?: boolean } = {}): Promise<ContractView> {
  if (!isUuid(id)) throw new AppError('not_found', 'That contract was not found.', [], 'comm.contract.error.notFound');
  const [v] = await contractViews(db, tenantId, { ...opts, ids: [id] });
  if (!v) throw new AppError('not_found', 'That contract was not found.', [], 'comm.contract.error.notFound');
  return v;
}

/** Per funded proposal of a contract the public sees: paid so far and the contract's dates (for 360Giving). */
export interface ContractFigures {
  contractId: string;
  paidPence: number;
  startsOn: string;
  endsOn: string;
  providerId: string | null;
  providerName: string;
}

export async function contractFigures(db: Executor, tenantId: string): Promise<Map<string, ContractFigures>> {
  const out = new Map<string, ContractFigures>();
  for (const v of await contractViews(db, tenantId, { publicOnly: true })) out.set(v.contract.proposalId, { contractId: v.contract.id, paidPence: v.paidPence, startsOn: v.contract.startsOn, endsOn: v.contract.endsOn, providerId: v.contract.providerId, providerName: v.contract.providerName });
  return out;
}

/** The published rounds' contracts by round id (for the round's result page). */
export async function contractsOfRound(db: Executor, tenantId: string, roundId: string): Promise<ContractView[]> {
  return (await contractViews(db, tenantId, { publicOnly: true })).filter((v) => v.contract.roundId === roundId);
}
