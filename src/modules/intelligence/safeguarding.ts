import { and, desc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { formatDateTime } from '../../lib/dates.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { translator } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import { enqueueEmail } from '../email/service.ts';
import type { Actor } from '../membership/policy.ts';
import { activeMembersWithRole } from '../membership/views.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import { ConcernRequest, contentHash, parseOrThrow, resolveWard, type Filed } from './filing.ts';
import { settingsOf } from './queries.ts';
import { safeguardingConcerns, type SafeguardingConcern } from './schema.ts';

/**
 * Safeguarding concerns (SECURITY.md 19): a child may be at risk. They live in their own table,
 * never in intelligence, counts or exports; only safeguarding leads open them (each opening is an
 * audit row); leads are alerted by email through the outbox in the filing transaction, and the
 * email carries no word of the concern, only a link.
 */

export const HANDLING_NOTE_MAX = 2000;

export interface FrontDoor {
  name: string;
  phone: string;
}

export interface FiledConcern extends Filed {
  frontDoor: FrontDoor;
}

/** The children's social care front door the champion is told to call (empty when not set yet). */
export async function frontDoorOf(db: Executor, tenantId: string): Promise<FrontDoor> {
  const s = await settingsOf(db, tenantId);
  return { name: s.frontDoorName, phone: s.frontDoorPhone };
}

/** Email every active safeguarding lead at once (in the caller's transaction): a link, no content. */
async function alertLeads(tx: Executor, tenantId: string, concernId: string, baseUrl: string, receivedAt: Date): Promise<number> {
  const leads = await activeMembersWithRole(tx, tenantId, 'safeguarding_lead');
  let sent = 0;
  for (const lead of leads) {
    if (!lead.email) continue;
    const locale = lead.preferredLocale === 'pl' ? 'pl' : 'en';
    const t = translator(locale);
    const link = `${baseUrl}/safeguarding/concerns/${concernId}`;
    await enqueueEmail(tx, {
      tenantId,
      to: lead.email,
      subject: t('intel.field.concern.email.subject'),
      text: t('intel.field.concern.email.body', { when: formatDateTime(locale, receivedAt), link }),
      template: 'intelligence.concern-alert',
      locale,
      dedupeKey: `intel-concern:${concernId}:${lead.id}`,
    });
    sent++;
  }
  return sent;
}

/**
 * Raise a concern (issue 10 item 3). The champion's text goes to `safeguarding_concerns` only;
 * a retry with the same client id and content answers the first concern again (no second alert),
 * other content under the same id is a 409.
 */
export async function fileConcern(db: Db, actor: Actor | undefined, tenant: Tenant, input: unknown, baseUrl: string, now: Date, opts: { isDemo?: boolean; alert?: boolean } = {}): Promise<FiledConcern> {
  requirePermission(actor, 'intel.file', 'Only street champions and coordinators raise concerns here.', 'intel.field.error.notChampion');
  const data = parseOrThrow(ConcernRequest, input);
  const hash = contentHash({ reporterId: actor.memberId, observedText: data.observedText, wardCode: data.wardCode || null });
  const frontDoor = await frontDoorOf(db, tenant.id);
  const replay = async (x: Executor): Promise<FiledConcern | undefined> => {
    const [row] = await x.select({ id: safeguardingConcerns.id, contentHash: safeguardingConcerns.contentHash }).from(safeguardingConcerns).where(and(eq(safeguardingConcerns.tenantId, tenant.id), eq(safeguardingConcerns.clientId, data.clientId)));
    if (!row) return undefined;
    if (row.contentHash !== hash) throw new AppError('conflict', 'This id was already used for a different concern. Send this one again with a new id.', [{ field: 'clientId', message: 'intel.field.error.conflict' }], 'intel.field.error.conflict');
    return { created: false, id: row.id, clientId: data.clientId, frontDoor };
  };
  const again = await replay(db);
  if (again) return again;
  const issues: FieldIssue[] = [];
  const wardId = data.wardCode ? await resolveWard(db, tenant, data.wardCode, undefined, issues, false) : null;
  if (issues.length) throw new AppError('validation_failed', 'Please fix: wardCode', issues);
  return db.transaction(async (tx) => {
    const id = newId();
    const inserted = await tx
      .insert(safeguardingConcerns)
      .values({ tenantId: tenant.id, id, clientId: data.clientId, contentHash: hash, reporterId: actor.memberId, wardId, observedText: data.observedText, isDemo: opts.isDemo ?? false, receivedAt: now })
      .onConflictDoNothing({ target: [safeguardingConcerns.tenantId, safeguardingConcerns.clientId] })
      .returning({ id: safeguardingConcerns.id });
    if (!inserted[0]) {
      const raced = await replay(tx);
      if (!raced) throw new AppError('conflict', 'Try again.', [], 'intel.field.error.conflict');
      return raced;
    }
    const alerted = opts.alert === false ? 0 : await alertLeads(tx, tenant.id, id, baseUrl, now);
    await appendAudit(tx, { tenantId: tenant.id, actor: actor.memberId, action: 'safeguarding.concern.raised', entity: 'safeguarding_concern', entityId: id, data: { alerted } });
    return { created: true, id, clientId: data.clientId, frontDoor };
  });
}

export interface ConcernListRow {
  id: string;
  receivedAt: Date;
  status: SafeguardingConcern['status'];
  wardName: string | null;
  isDemo: boolean;
}

/** The leads' list: when, ward, status; no text (opening one is what gets audited). */
export async function listConcerns(db: Db, actor: Actor | undefined, tenantId: string): Promise<ConcernListRow[]> {
  requirePermission(actor, 'safeguarding.read', 'Only safeguarding leads see concerns.', 'intel.field.error.notLead');
  const rows = await db
    .select({ id: safeguardingConcerns.id, receivedAt: safeguardingConcerns.receivedAt, status: safeguardingConcerns.status, wardId: safeguardingConcerns.wardId, isDemo: safeguardingConcerns.isDemo })
    .from(safeguardingConcerns)
    .where(eq(safeguardingConcerns.tenantId, tenantId))
    .orderBy(desc(safeguardingConcerns.receivedAt))
    .limit(500);
  const wards = await wardNamesByIds(db, tenantId, [...new Set(rows.map((r) => r.wardId).filter((w): w is string => !!w))]);
  return rows.map((r) => ({ id: r.id, receivedAt: r.receivedAt, status: r.status, isDemo: r.isDemo, wardName: wards.find((w) => w.id === r.wardId)?.name ?? null }));
}

async function concernRow(db: Executor, tenantId: string, id: string): Promise<SafeguardingConcern> {
  const [row] = isUuid(id) ? await db.select().from(safeguardingConcerns).where(and(eq(safeguardingConcerns.tenantId, tenantId), eq(safeguardingConcerns.id, id))) : [];
  if (!row) throw new AppError('not_found', 'That concern was not found.', [], 'intel.field.error.concernNotFound');
  return row;
}

/** Open one concern: leads only, and every opening is an audit row (SECURITY.md 18). */
export async function openConcern(db: Db, actor: Actor | undefined, tenantId: string, id: string): Promise<SafeguardingConcern & { wardName: string | null }> {
  requirePermission(actor, 'safeguarding.read', 'Only safeguarding leads see concerns.', 'intel.field.error.notLead');
  return db.transaction(async (tx) => {
    const row = await concernRow(tx, tenantId, id);
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'safeguarding.concern.opened', entity: 'safeguarding_concern', entityId: row.id });
    const [ward] = row.wardId ? await wardNamesByIds(tx, tenantId, [row.wardId]) : [];
    return { ...row, wardName: ward?.name ?? null };
  });
}

/** A lead marks a concern handled, with a note of what was done (audited; the note stays in the concern). */
export async function handleConcern(db: Db, actor: Actor | undefined, tenantId: string, id: string, note: string, now: Date): Promise<void> {
  requirePermission(actor, 'safeguarding.read', 'Only safeguarding leads handle concerns.', 'intel.field.error.notLead');
  await concernRow(db, tenantId, id);
  const body = note.replace(/\r\n?/g, '\n').trim();
  if (!body) throw new AppError('validation_failed', 'note: say what was done', [{ field: 'note', message: 'intel.field.error.noteMissing' }]);
  if (body.length > HANDLING_NOTE_MAX) throw new AppError('validation_failed', 'note: too long', [{ field: 'note', message: 'intel.field.error.noteLong' }]);
  await db.transaction(async (tx) => {
    const row = await concernRow(tx, tenantId, id);
    await tx.update(safeguardingConcerns).set({ status: 'handled', handledBy: actor.memberId, handledAt: now, handlingNote: body }).where(and(eq(safeguardingConcerns.tenantId, tenantId), eq(safeguardingConcerns.id, row.id)));
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'safeguarding.concern.handled', entity: 'safeguarding_concern', entityId: row.id });
  });
}
