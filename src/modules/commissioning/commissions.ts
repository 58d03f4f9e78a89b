import { and, asc, desc, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { addDays, isCalendarDate, isoDate } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { serviceCards } from '../resources/views.ts';
import { addLedgerEntryIn, IdempotencyKey, parsePounds } from './ledger.ts';
import { commLedger, commPots, type LedgerRow } from './schema.ts';
import {
  COMMISSION_STATUSES,
  COMMISSIONER_KINDS,
  commCommissions,
  commDeliverables,
  type CommissionRow,
  type CommissionStatus,
  type DeliverableRow,
} from './schema-commissions.ts';

type Key = MessageKey;

const FORBIDDEN = ['Only coordinators manage commissions.', 'comm.error.forbidden'] as const;

function fail(field: string, key: Key, message = 'Check the highlighted fields.'): never {
  throw new AppError('validation_failed', message, [{ field, message: key }]);
}

/** Trimmed text of min..max characters with no NUL byte (PostgreSQL refuses it in text). */
const textOf = (min: number, max: number, key: Key) =>
  z
    .string(key)
    .refine((s) => !s.includes('\u0000'), key)
    .transform((s) => s.trim())
    .pipe(z.string().min(min, key).max(max, key));

const dateOf = (key: Key) => z.string(key).trim().refine(isCalendarDate, key);

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

export const CommissionInput = z
  .object({
    title: textOf(3, 120, 'comm.commission.error.title'),
    brief: textOf(10, 4000, 'comm.commission.error.brief'),
    commissionerKind: z.enum(COMMISSIONER_KINDS, 'comm.commission.error.kind'),
    commissionerName: textOf(2, 160, 'comm.commission.error.commissioner'),
    providerId: z.union([z.literal(''), z.string().refine(isUuid, 'comm.commission.error.provider')], 'comm.commission.error.provider').default(''),
    contactName: textOf(0, 120, 'comm.commission.error.contactName').default(''),
    contactEmail: textOf(0, 254, 'comm.commission.error.contactEmail')
      .refine((s) => s === '' || EMAIL.test(s), 'comm.commission.error.contactEmail')
      .default(''),
    price: z.unknown().transform((v, ctx) => {
      const p = typeof v === 'string' && v.includes('\u0000') ? undefined : parsePounds(v);
      if (p === undefined) ctx.addIssue({ code: 'custom', message: 'comm.commission.error.price' });
      return p ?? 0;
    }),
    startsOn: dateOf('comm.commission.error.startsOn'),
    endsOn: dateOf('comm.commission.error.endsOn'),
    potId: z.string('comm.commission.error.pot').refine(isUuid, 'comm.commission.error.pot'),
  });

/** The end-before-start issue, checked on the raw form so it shows beside other mistakes too. */
function dateOrderIssue(form: Record<string, unknown>): FieldIssue[] {
  const { startsOn, endsOn } = form;
  if (typeof startsOn !== 'string' || typeof endsOn !== 'string') return [];
  const [a, b] = [startsOn.trim(), endsOn.trim()];
  return isCalendarDate(a) && isCalendarDate(b) && b < a ? [{ field: 'endsOn', message: 'comm.commission.error.endsBefore' }] : [];
}

/**
 * The status a commission may move to from each status. Income is taken from agreed on; a
 * commission is delivered only when every deliverable is.
 */
export const COMMISSION_MOVES: Record<CommissionStatus, readonly CommissionStatus[]> = {
  enquiry: ['quoted', 'declined', 'cancelled'],
  quoted: ['agreed', 'declined', 'cancelled'],
  agreed: ['in_progress', 'cancelled'],
  in_progress: ['delivered', 'cancelled'],
  delivered: ['closed'],
  closed: [],
  declined: [],
  cancelled: [],
};

const ENDED: readonly CommissionStatus[] = ['closed', 'declined', 'cancelled'];
/** Statuses in which money may be received. */
const PAYABLE: readonly CommissionStatus[] = ['agreed', 'in_progress', 'delivered'];
/** Statuses in which deliverables may be added. */
const PLANNING: readonly CommissionStatus[] = ['enquiry', 'quoted', 'agreed', 'in_progress'];
/** Statuses in which a deliverable may be marked delivered. */
const WORKING: readonly CommissionStatus[] = ['agreed', 'in_progress'];

async function checkPot(db: Executor, tenantId: string, potId: string): Promise<void> {
  const [pot] = await db.select({ id: commPots.id }).from(commPots).where(and(eq(commPots.tenantId, tenantId), eq(commPots.id, potId)));
  if (!pot) fail('potId', 'comm.commission.error.pot', 'Choose a budget pot of this mutual.');
}

async function parseCommission(db: Db, tenantId: string, form: Record<string, unknown>): Promise<z.output<typeof CommissionInput>> {
  const parsed = CommissionInput.safeParse(form);
  const issues = [...(parsed.success ? [] : fieldIssues(parsed.error)), ...dateOrderIssue(form)];
  if (!parsed.success || issues.length) throw new AppError('validation_failed', 'Check the highlighted fields.', issues);
  const v = parsed.data;
  await checkPot(db, tenantId, v.potId);
  if (v.providerId && !(await serviceCards(db, tenantId)).some((s) => s.providerId === v.providerId)) fail('providerId', 'comm.commission.error.provider');
  return v;
}

/** Statuses in which the details (price, dates, pot, brief…) may still change. */
export const EDITABLE: readonly CommissionStatus[] = ['enquiry', 'quoted'];

/** Change a commission's details while it is an enquiry or quoted (the price is agreed with it), audited. */
export async function updateCommission(db: Db, actor: Actor, id: string, form: Record<string, unknown>): Promise<void> {
  requirePermission(actor, 'commissioning.manage', ...FORBIDDEN);
  const v = await parseCommission(db, actor.tenantId, form);
  await db.transaction(async (tx) => {
    const row = await lockCommission(tx, actor.tenantId, id);
    if (!EDITABLE.includes(row.status)) throw new AppError('conflict', `The details of a commission that is ${row.status} no longer change.`, [{ field: 'title', message: 'comm.commission.error.notEditable' }], 'comm.commission.error.notEditable');
    await tx
      .update(commCommissions)
      .set({ title: v.title, brief: v.brief, commissionerKind: v.commissionerKind, commissionerName: v.commissionerName, providerId: v.providerId || null, contactName: v.contactName, contactEmail: v.contactEmail, pricePence: v.price, startsOn: v.startsOn, endsOn: v.endsOn, potId: v.potId })
      .where(and(eq(commCommissions.tenantId, actor.tenantId), eq(commCommissions.id, row.id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.commission.update', entity: 'comm_commission', entityId: row.id, data: { pricePence: v.price, potId: v.potId } });
  });
}

/** Record a commission (status enquiry) with its audit row. The contact stays out of the audit data. */
export async function createCommission(db: Db, actor: Actor, form: Record<string, unknown>, opts: { isDemo?: boolean } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.manage', ...FORBIDDEN);
  const v = await parseCommission(db, actor.tenantId, form);
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(commCommissions).values({
      tenantId: actor.tenantId,
      id,
      title: v.title,
      brief: v.brief,
      commissionerKind: v.commissionerKind,
      commissionerName: v.commissionerName,
      providerId: v.providerId || null,
      contactName: v.contactName,
      contactEmail: v.contactEmail,
      pricePence: v.price,
      startsOn: v.startsOn,
      endsOn: v.endsOn,
      potId: v.potId,
      isDemo: opts.isDemo ?? false,
    });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.commission.create', entity: 'comm_commission', entityId: id, data: { commissionerKind: v.commissionerKind, pricePence: v.price, potId: v.potId } });
  });
  return id;
}

function notFound(): AppError {
  return new AppError('not_found', 'That commission was not found.', [], 'comm.commission.error.notFound');
}

export async function getCommission(db: Executor, tenantId: string, id: string): Promise<CommissionRow> {
  if (!isUuid(id)) throw notFound();
  const [row] = await db.select().from(commCommissions).where(and(eq(commCommissions.tenantId, tenantId), eq(commCommissions.id, id)));
  if (!row) throw notFound();
  return row;
}

async function lockCommission(tx: Executor, tenantId: string, id: string): Promise<CommissionRow> {
  if (!isUuid(id)) throw notFound();
  const [row] = await tx.select().from(commCommissions).where(and(eq(commCommissions.tenantId, tenantId), eq(commCommissions.id, id))).for('update');
  if (!row) throw notFound();
  return row;
}

export async function listCommissions(db: Executor, tenantId: string, opts: { status?: CommissionStatus; publicOnly?: boolean } = {}): Promise<CommissionRow[]> {
  const where = [eq(commCommissions.tenantId, tenantId)];
  if (opts.status) where.push(eq(commCommissions.status, opts.status));
  if (opts.publicOnly) where.push(isNotNull(commCommissions.agreedAt));
  return db
    .select()
    .from(commCommissions)
    .where(and(...where))
    .orderBy(desc(commCommissions.startsOn), asc(commCommissions.title), asc(commCommissions.id));
}

export async function deliverablesOf(db: Executor, tenantId: string, commissionIds: readonly string[]): Promise<DeliverableRow[]> {
  if (!commissionIds.length) return [];
  return db
    .select()
    .from(commDeliverables)
    .where(and(eq(commDeliverables.tenantId, tenantId), inArray(commDeliverables.commissionId, [...commissionIds])))
    .orderBy(asc(commDeliverables.dueOn), asc(commDeliverables.position), asc(commDeliverables.id));
}

/** The idempotency-key prefix of a commission's income entries in the ledger. */
export function incomeKeyPrefix(commissionId: string): string {
  return `income:commission:${commissionId}:`;
}

/** The ledger's income entries of one commission (oldest first). */
export async function incomeOf(db: Executor, tenantId: string, commissionId: string): Promise<LedgerRow[]> {
  return db
    .select()
    .from(commLedger)
    .where(and(eq(commLedger.tenantId, tenantId), eq(commLedger.kind, 'income'), sql`starts_with(${commLedger.idempotencyKey}, ${incomeKeyPrefix(commissionId)})`))
    .orderBy(asc(commLedger.createdAt), asc(commLedger.id));
}

/** Σ income received per commission of a tenant (commission id → pence). */
export async function receivedByCommission(db: Executor, tenantId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ key: commLedger.idempotencyKey, amount: commLedger.amountPence })
    .from(commLedger)
    .where(and(eq(commLedger.tenantId, tenantId), eq(commLedger.kind, 'income'), sql`starts_with(${commLedger.idempotencyKey}, 'income:commission:')`));
  const out = new Map<string, number>();
  for (const r of rows) {
    const id = r.key.split(':')[2] ?? '';
    out.set(id, (out.get(id) ?? 0) + r.amount);
  }
  return out;
}

/** The commission an income entry's idempotency key belongs to, if any. */
export function commissionOfKey(key: string): string | undefined {
  const m = /^income:commission:([0-9a-f-]{36}):/.exec(key);
  return m?.[1];
}

/** Why a move is refused, as a field issue in words; undefined when it is allowed. */
function moveRefusal(row: CommissionRow, to: CommissionStatus, deliverables: DeliverableRow[]): { key: Key; message: string } | undefined {
  if (!COMMISSION_MOVES[row.status].includes(to)) {
    if (ENDED.includes(row.status)) return { key: 'comm.commission.error.ended', message: `The commission is ${row.status}: its status cannot change any more.` };
    return { key: 'comm.commission.error.move', message: `A commission in ${row.status} cannot move to ${to}.` };
  }
  if (to === 'delivered') {
    if (!deliverables.length) return { key: 'comm.commission.error.noDeliverables', message: 'Add the deliverables and mark them delivered first.' };
    if (deliverables.some((d) => d.status !== 'delivered')) return { key: 'comm.commission.error.notAllDelivered', message: 'Every deliverable must be delivered before the commission is.' };
  }
  return undefined;
}

/** The moves a coordinator may offer now (the service checks again). */
export function movesFrom(row: CommissionRow): readonly CommissionStatus[] {
  return COMMISSION_MOVES[row.status];
}

/**
 * Move a commission to another status, audited; refused moves say why. Declining and cancelling
 * take an optional note (coordinators only). The commission row is locked for the check.
 */
export async function changeCommissionStatus(db: Db, actor: Actor, id: string, form: Record<string, unknown>, now: Date = new Date()): Promise<void> {
  requirePermission(actor, 'commissioning.manage', ...FORBIDDEN);
  const to = form.to;
  if (typeof to !== 'string' || !(COMMISSION_STATUSES as readonly string[]).includes(to)) fail('to', 'comm.commission.error.status', 'Choose a status from the list.');
  const note = textOf(0, 500, 'comm.commission.error.note').default('').safeParse(form.statusNote ?? '');
  if (!note.success) fail('statusNote', 'comm.commission.error.note');
  await db.transaction(async (tx) => {
    const row = await lockCommission(tx, actor.tenantId, id);
    const target = to as CommissionStatus;
    const deliverables = target === 'delivered' ? await deliverablesOf(tx, actor.tenantId, [row.id]) : [];
    const refused = moveRefusal(row, target, deliverables);
    if (refused) throw new AppError('conflict', refused.message, [{ field: 'to', message: refused.key }], refused.key);
    await tx
      .update(commCommissions)
      .set({
        status: target,
        ...(target === 'agreed' ? { agreedAt: now } : {}),
        ...(ENDED.includes(target) ? { endedAt: now } : {}),
        ...(target === 'declined' || target === 'cancelled' ? { statusNote: note.data } : {}),
      })
      .where(and(eq(commCommissions.tenantId, actor.tenantId), eq(commCommissions.id, row.id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.commission.status', entity: 'comm_commission', entityId: row.id, data: { from: row.status, to: target } });
  });
}

/** A page of this site ('/…', never '//' or a backslash, which browsers read as another host) or an https address. */
const LINK = /^(\/(?![/\\])[^\s\\]*|https:\/\/[^\s\\]+)$/;

export const DeliverableInput = z.object({
  deliverableTitle: textOf(3, 160, 'comm.commission.error.deliverableTitle'),
  dueOn: dateOf('comm.commission.error.dueOn'),
});

/** Add a deliverable while the commission is being planned or worked on. */
export async function addDeliverable(db: Db, actor: Actor, commissionId: string, form: Record<string, unknown>, opts: { isDemo?: boolean } = {}): Promise<string> {
  requirePermission(actor, 'commissioning.manage', ...FORBIDDEN);
  const parsed = DeliverableInput.safeParse(form);
  if (!parsed.success) throw new AppError('validation_failed', 'Check the highlighted fields.', fieldIssues(parsed.error));
  const id = newId();
  await db.transaction(async (tx) => {
    const row = await lockCommission(tx, actor.tenantId, commissionId);
    if (!PLANNING.includes(row.status)) throw new AppError('conflict', `Deliverables cannot be added to a commission that is ${row.status}.`, [{ field: 'deliverableTitle', message: 'comm.commission.error.noMoreDeliverables' }], 'comm.commission.error.noMoreDeliverables');
    const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(commDeliverables).where(and(eq(commDeliverables.tenantId, actor.tenantId), eq(commDeliverables.commissionId, row.id)));
    if ((n?.n ?? 0) >= 50) fail('deliverableTitle', 'comm.commission.error.tooManyDeliverables');
    await tx.insert(commDeliverables).values({ tenantId: actor.tenantId, id, commissionId: row.id, title: parsed.data.deliverableTitle, dueOn: parsed.data.dueOn, position: n?.n ?? 0, isDemo: opts.isDemo ?? row.isDemo });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.commission.deliverable.add', entity: 'comm_commission', entityId: row.id, data: { deliverableId: id, dueOn: parsed.data.dueOn } });
  });
  return id;
}

export const DeliveredInput = z.object({
  deliveredNote: textOf(0, 300, 'comm.commission.error.deliveredNote').default(''),
  link: textOf(0, 500, 'comm.commission.error.link')
    .refine((s) => s === '' || LINK.test(s), 'comm.commission.error.link')
    .default(''),
  deliveredOn: z.union([z.literal(''), dateOf('comm.commission.error.deliveredOn')], 'comm.commission.error.deliveredOn').default(''),
});

/** Mark one deliverable delivered (with a short note and/or a link), audited. */
export async function markDelivered(db: Db, actor: Actor, commissionId: string, form: Record<string, unknown>, now: Date = new Date()): Promise<void> {
  requirePermission(actor, 'commissioning.manage', ...FORBIDDEN);
  const deliverableId = typeof form.deliverableId === 'string' ? form.deliverableId : '';
  const parsed = DeliveredInput.safeParse(form);
  if (!parsed.success) throw new AppError('validation_failed', 'Check the highlighted fields.', fieldIssues(parsed.error));
  if (!isUuid(deliverableId)) fail('deliverableId', 'comm.commission.error.deliverableNotFound', 'Choose a deliverable from the list.');
  await db.transaction(async (tx) => {
    const row = await lockCommission(tx, actor.tenantId, commissionId);
    const [d] = await tx
      .select()
      .from(commDeliverables)
      .where(and(eq(commDeliverables.tenantId, actor.tenantId), eq(commDeliverables.commissionId, row.id), eq(commDeliverables.id, deliverableId)));
    if (!d) fail('deliverableId', 'comm.commission.error.deliverableNotFound', 'Choose a deliverable from the list.');
    if (!WORKING.includes(row.status)) throw new AppError('conflict', 'Deliverables are marked delivered once the commission is agreed and before it is delivered.', [{ field: 'deliverableId', message: 'comm.commission.error.notWorking' }], 'comm.commission.error.notWorking');
    if (d.status === 'delivered') throw new AppError('conflict', 'That deliverable is already delivered.', [{ field: 'deliverableId', message: 'comm.commission.error.alreadyDelivered' }], 'comm.commission.error.alreadyDelivered');
    const deliveredOn = parsed.data.deliveredOn || isoDate(now);
    await tx
      .update(commDeliverables)
      .set({ status: 'delivered', note: parsed.data.deliveredNote, link: parsed.data.link, deliveredOn })
      .where(and(eq(commDeliverables.tenantId, actor.tenantId), eq(commDeliverables.id, d.id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.commission.deliverable.delivered', entity: 'comm_commission', entityId: row.id, data: { deliverableId: d.id, deliveredOn } });
  });
}

/**
 * Record money the commissioner paid: a ledger `income` entry into the commission's pot with the
 * key `income:commission:<id>:<token>`, in one transaction with the audit rows. The commission row
 * is locked, so the total received never passes the agreed price; a retry with the same token
 * returns the first entry and writes nothing.
 */
export async function recordCommissionIncome(db: Db, actor: Actor, commissionId: string, form: Record<string, unknown>, opts: { isDemo?: boolean } = {}): Promise<{ id: string; replayed: boolean }> {
  requirePermission(actor, 'commissioning.manage', ...FORBIDDEN);
  const amount = typeof form.amount === 'string' && form.amount.includes('\u0000') ? undefined : parsePounds(form.amount);
  const token = IdempotencyKey.safeParse(form.idempotencyKey);
  const note = textOf(0, 200, 'comm.commission.error.incomeNote').default('').safeParse(form.incomeNote ?? '');
  const issues: FieldIssue[] = [
    ...(amount === undefined ? [{ field: 'amount', message: 'comm.commission.error.amount' }] : []),
    ...(token.success ? [] : [{ field: 'amount', message: 'comm.error.token' }]),
    ...(note.success ? [] : [{ field: 'incomeNote', message: 'comm.commission.error.incomeNote' }]),
  ];
  if (issues.length || amount === undefined || !token.success || !note.success) throw new AppError('validation_failed', 'Check the highlighted fields.', issues);
  return db.transaction(async (tx) => {
    const row = await lockCommission(tx, actor.tenantId, commissionId);
    const key = `${incomeKeyPrefix(row.id)}${token.data}`;
    const entry = { potId: row.potId, kind: 'income' as const, amountPence: amount, idempotencyKey: key, note: note.data, isDemo: opts.isDemo ?? row.isDemo };
    const [seen] = await tx.select({ id: commLedger.id }).from(commLedger).where(and(eq(commLedger.tenantId, actor.tenantId), eq(commLedger.idempotencyKey, key)));
    // A retry: the ledger answers the first entry (or refuses other content under the same key).
    if (seen) return addLedgerEntryIn(tx, actor.tenantId, actor.memberId, entry);
    if (!PAYABLE.includes(row.status)) throw new AppError('conflict', `Money is recorded once the commission is agreed (it is ${row.status}).`, [{ field: 'amount', message: 'comm.commission.error.notPayable' }], 'comm.commission.error.notPayable');
    const received = (await incomeOf(tx, actor.tenantId, row.id)).reduce((s, e) => s + e.amountPence, 0);
    if (received + amount > row.pricePence)
      throw new AppError('conflict', `That is more than the agreed price: ${row.pricePence - received} pence are still to come.`, [{ field: 'amount', message: 'comm.commission.error.overPrice' }], 'comm.commission.error.overPrice');
    const done = await addLedgerEntryIn(tx, actor.tenantId, actor.memberId, entry);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'comm.commission.income', entity: 'comm_commission', entityId: row.id, data: { ledgerId: done.id, potId: row.potId, amountPence: amount } });
    return done;
  });
}

/**
 * Retention (SECURITY.md 15): blank the contact person of commissions that ended (closed,
 * declined, cancelled) more than a year before `today` (of one tenant, or all). Answers how many were blanked.
 */
export async function retainCommissionContacts(db: Executor, today: string, opts: { tenantId?: string } = {}): Promise<number> {
  const cutoff = addDays(today, -365);
  const done = await db
    .update(commCommissions)
    .set({ contactName: '', contactEmail: '' })
    .where(and(opts.tenantId ? eq(commCommissions.tenantId, opts.tenantId) : undefined, isNotNull(commCommissions.endedAt), lt(commCommissions.endedAt, new Date(`${cutoff}T00:00:00Z`)), or(sql`${commCommissions.contactName} <> ''`, sql`${commCommissions.contactEmail} <> ''`)))
    .returning({ id: commCommissions.id });
  return done.length;
}

/**
 * A commissioner's contact is not a member's data, but the contact may be a member: a member's
 * download lists the commissions whose contact email is theirs (compared without case), and their
 * erasure blanks the contact name and email of those commissions (the commission itself stays).
 */
export async function contactExportFor(db: Executor, tenantId: string, email: string | null): Promise<Array<Record<string, string>>> {
  if (!email) return [];
  const rows = await db
    .select({ commissioner: commCommissions.commissionerName, title: commCommissions.title, contactName: commCommissions.contactName, contactEmail: commCommissions.contactEmail, status: commCommissions.status })
    .from(commCommissions)
    .where(and(eq(commCommissions.tenantId, tenantId), sql`lower(${commCommissions.contactEmail}) = lower(${email})`))
    .orderBy(asc(commCommissions.createdAt));
  return rows;
}

export async function eraseContactFor(tx: Executor, tenantId: string, email: string | null): Promise<void> {
  if (!email) return;
  await tx
    .update(commCommissions)
    .set({ contactName: '', contactEmail: '' })
    .where(and(eq(commCommissions.tenantId, tenantId), sql`lower(${commCommissions.contactEmail}) = lower(${email})`));
}
