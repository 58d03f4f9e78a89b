import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { allows, requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { parsePounds, sqlState } from './ledger.ts';
import { commProposals, commRounds, type ProposalRow } from './schema.ts';

/** The METRICS.md indicators a proposal may say it should move. */
export const INDICATORS = ['S1', 'S2', 'S3', 'S4', 'S5', 'M1', 'M2', 'M3', 'M4', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'] as const;

const ids = (key: 'comm.error.wards' | 'comm.error.reports' | 'comm.error.findings') => z.array(z.string().max(200, key)).max(40, key).default([]);

export const ProposalInput = z.object({
  title: z.string('comm.error.title').trim().min(3, 'comm.error.title').max(120, 'comm.error.title'),
  summary: z.string('comm.error.summary').trim().min(10, 'comm.error.summary').max(2000, 'comm.error.summary'),
  wardIds: z.array(z.string().refine(isUuid, 'comm.error.wards')).max(40, 'comm.error.wards').default([]),
  cost: z.unknown().transform((v, ctx) => {
    const p = parsePounds(v);
    if (p === undefined) ctx.addIssue({ code: 'custom', message: 'comm.error.cost' });
    return p ?? 0;
  }),
  serviceId: z.union([z.literal(''), z.string().refine(isUuid, 'comm.error.service')]).default(''),
  providerText: z.string().trim().max(160, 'comm.error.provider').default(''),
  reportIds: ids('comm.error.reports'),
  findingIds: ids('comm.error.findings'),
  indicators: z.array(z.enum(INDICATORS, 'comm.error.indicators')).max(INDICATORS.length, 'comm.error.indicators').default([]),
});
export type ProposalInput = z.output<typeof ProposalInput>;

/** A form's repeated fields as arrays (one value → [value]). */
export function listOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

/** Propose something for the budget (members, ward reps, coordinators, partners). */
export async function createProposal(db: Db, actor: Actor, form: Record<string, unknown>, opts: { isDemo?: boolean; roundId?: string | null } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.propose', 'Your role cannot make budget proposals.', 'comm.error.forbidden');
  const parsed = ProposalInput.safeParse({ ...form, wardIds: listOf(form.wardIds), reportIds: listOf(form.reportIds), findingIds: listOf(form.findingIds), indicators: listOf(form.indicators) });
  if (!parsed.success) throw new AppError('validation_failed', 'Check the highlighted fields.', fieldIssues(parsed.error));
  const p = parsed.data;
  const roundId = opts.roundId ?? (typeof form.roundId === 'string' && isUuid(form.roundId) ? form.roundId : null);
  const id = newId();
  await db.transaction(async (tx) => {
    if (roundId) {
      const [r] = await tx.select({ phase: commRounds.phase }).from(commRounds).where(and(eq(commRounds.tenantId, actor.tenantId), eq(commRounds.id, roundId)));
      if (!r || r.phase !== 'proposals') throw new AppError('conflict', 'That round is not taking proposals.', [{ field: 'roundId', message: 'comm.error.roundClosed' }], 'comm.error.roundClosed');
    }
    await tx.insert(commProposals).values({
      tenantId: actor.tenantId,
      id,
      roundId,
      title: p.title,
      summary: p.summary,
      wardIds: p.wardIds,
      costPence: p.cost,
      serviceId: p.serviceId || null,
      providerText: p.providerText,
      reportIds: p.reportIds,
      findingIds: p.findingIds,
      indicators: p.indicators,
      proposerId: actor.memberId,
      isDemo: opts.isDemo ?? false,
    });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.proposal.create', entity: 'comm_proposal', entityId: id, data: { roundId, costPence: p.cost } });
  });
  return id;
}

export const EligibilityInput = z.object({
  decision: z.enum(['eligible', 'ineligible'], 'comm.error.decision'),
  reason: z.string('comm.error.reason').trim().min(5, 'comm.error.reason').max(500, 'comm.error.reason'),
});

/** A coordinator marks a proposal eligible or not, always with a reason the proposer sees (audited). */
export async function decideEligibility(db: Db, actor: Actor, proposalId: string, form: Record<string, unknown>, now = new Date()): Promise<void> {
  requirePermission(actor, 'commissioning.manage', 'Only coordinators decide eligibility.', 'comm.error.forbidden');
  if (!isUuid(proposalId)) throw new AppError('not_found', 'That proposal was not found.', [], 'comm.error.proposalNotFound');
  const parsed = EligibilityInput.safeParse(form);
  if (!parsed.success) throw new AppError('validation_failed', 'Check the highlighted fields.', fieldIssues(parsed.error));
  try {
    await db.transaction(async (tx) => {
      const done = await tx
        .update(commProposals)
        .set({ eligibility: parsed.data.decision, eligibilityReason: parsed.data.reason, decidedBy: actor.memberId, decidedAt: now })
        .where(and(eq(commProposals.tenantId, actor.tenantId), eq(commProposals.id, proposalId)))
        .returning({ id: commProposals.id });
      if (!done.length) throw new AppError('not_found', 'That proposal was not found.', [], 'comm.error.proposalNotFound');
      await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.proposal.eligibility', entity: 'comm_proposal', entityId: proposalId, data: { decision: parsed.data.decision } });
    });
  } catch (err) {
    throw frozenRefusal(err);
  }
}

/** The database's frozen-rules trigger (check_violation) as the refusal people see. */
export function frozenRefusal(err: unknown): unknown {
  if (sqlState(err) === '23514') return new AppError('conflict', 'Voting has opened: the round’s rules and proposals are frozen.', [{ field: 'round', message: 'comm.error.frozen' }], 'comm.error.frozen');
  return err;
}

export async function getProposal(db: Executor, tenantId: string, id: string): Promise<ProposalRow> {
  if (!isUuid(id)) throw new AppError('not_found', 'That proposal was not found.', [], 'comm.error.proposalNotFound');
  const [p] = await db.select().from(commProposals).where(and(eq(commProposals.tenantId, tenantId), eq(commProposals.id, id)));
  if (!p) throw new AppError('not_found', 'That proposal was not found.', [], 'comm.error.proposalNotFound');
  return p;
}

/** A proposal as its proposer or a coordinator may see it (anyone else: 404). */
export async function visibleProposal(db: Executor, actor: Actor, id: string): Promise<ProposalRow> {
  const p = await getProposal(db, actor.tenantId, id);
  if (p.proposerId !== actor.memberId && !allows('commissioning.manage', actor.roles) && p.eligibility !== 'eligible') throw new AppError('not_found', 'That proposal was not found.', [], 'comm.error.proposalNotFound');
  return p;
}

export async function proposalsOfRound(db: Executor, tenantId: string, roundId: string, opts: { eligibleOnly?: boolean } = {}): Promise<ProposalRow[]> {
  return db
    .select()
    .from(commProposals)
    .where(and(eq(commProposals.tenantId, tenantId), eq(commProposals.roundId, roundId), opts.eligibleOnly ? eq(commProposals.eligibility, 'eligible') : undefined))
    .orderBy(asc(commProposals.createdAt), asc(commProposals.id));
}

/** Proposals a member sees on /budget/proposals: all of them for coordinators, else their own and the eligible. */
export async function proposalsFor(db: Executor, actor: Actor): Promise<ProposalRow[]> {
  const all = await db.select().from(commProposals).where(eq(commProposals.tenantId, actor.tenantId)).orderBy(desc(commProposals.createdAt));
  if (allows('commissioning.manage', actor.roles)) return all;
  return all.filter((p) => p.proposerId === actor.memberId || p.eligibility === 'eligible');
}

export function issue(field: string, message: FieldIssue['message']): FieldIssue {
  return { field, message };
}
