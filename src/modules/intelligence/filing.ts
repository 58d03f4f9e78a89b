import { z } from '@hono/zod-openapi';
import { isCalendarDate } from '../../lib/dates.ts';
import { and, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { findContaining, roundToAbout100m, type PolygonGeometry } from '../../lib/geo.ts';
import { canonicalJson, sha256Hex } from '../../lib/hash.ts';
import { newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { areaOverview, pickWardSet, wardsOf, wardsWithBoundaries } from '../tenancy/views.ts';
import { personalDetailKinds, type PersonalDetailKind } from './pii.ts';
import { categoryByKey } from './queries.ts';
import { intelReports, REPORT_SINCE, REPORT_SOURCES } from './schema.ts';

/** Longest free text a champion may send (a report or a concern). */
export const TEXT_MAX = 2000;
export const FAMILIES_MAX = 10_000;

/** The id the phone (or the no-JS form) made: the idempotency key of a submission. */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'intel.field.error.clientId');

const Text = z
  .string('intel.field.error.textMissing')
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().min(1, 'intel.field.error.textMissing').max(TEXT_MAX, 'intel.field.error.textLong'));

/** The report contract: the phone's JSON body and the no-JS form (after its strings are read). */
export const ReportRequest = z
  .object({
    clientId: ClientId,
    categoryKey: z.string('intel.field.error.category').trim().min(1, 'intel.field.error.category').max(60, 'intel.field.error.category'),
    wardCode: z.string().trim().max(40, 'intel.field.error.ward').optional(),
    observedOn: z.string('intel.field.error.date').regex(/^\d{4}-\d{2}-\d{2}$/, 'intel.field.error.date'),
    observedText: Text,
    familiesEstimate: z.coerce.number('intel.field.error.families').int('intel.field.error.families').min(0, 'intel.field.error.families').max(FAMILIES_MAX, 'intel.field.error.families'),
    since: z.enum(REPORT_SINCE, 'intel.field.error.since'),
    source: z.enum(REPORT_SOURCES, 'intel.field.error.source'),
    point: z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }, 'intel.field.error.point').optional(),
    confirmNoPersonalDetails: z.boolean().optional(),
  })
  .openapi('IntelReportRequest', {
    example: { clientId: 'r-01J9Z3X8K2M4', categoryKey: 'play-spaces', wardCode: 'E05010264', observedOn: '2026-11-20', observedText: 'The swings on the green have been broken since the summer.', familiesEstimate: 30, since: 'few_months', source: 'seen' },
  });
export type ReportRequest = z.input<typeof ReportRequest>;

export const ConcernRequest = z
  .object({
    clientId: ClientId,
    observedText: Text,
    wardCode: z.string().trim().max(40, 'intel.field.error.ward').optional(),
  })
  .openapi('SafeguardingConcernRequest', { example: { clientId: 'c-01J9Z3X8K2M4', observedText: 'What I saw or was told, in my own words.', wardCode: 'E05010264' } });
export type ConcernRequest = z.input<typeof ConcernRequest>;

/** Thrown when the text holds likely personal details and the champion has not confirmed. */
export class PersonalDetailsFound extends Error {
  constructor(readonly kinds: PersonalDetailKind[]) {
    super('The text seems to hold personal details.');
    this.name = 'PersonalDetailsFound';
  }
}

export interface Filed {
  /** false: a retry of a submission already stored (the first answer again). */
  created: boolean;
  id: string;
  clientId: string;
}

function invalid(fields: FieldIssue[]): AppError {
  return new AppError('validation_failed', `Please fix: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
}

/** Parse with the contract; every field to fix named at once. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(fieldIssues(parsed.error));
  return parsed.data;
}

/** SHA-256 of the canonical content: same client id + same hash = a retry (ODK Central's rule). */
export function contentHash(content: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(content));
}

/** Today in Europe/London and the same day a year ago, as ISO dates (the observed-on bounds). */
export function observedBounds(now: Date): { today: string; earliest: string } {
  const today = isoDate(now);
  const [y, m, d] = today.split('-');
  const earliest = m === '02' && d === '29' ? `${Number(y) - 1}-02-28` : `${Number(y) - 1}-${m}-${d}`;
  return { today, earliest };
}

const realDate = isCalendarDate;

/** The ward of the current set by code, or the one holding the point; issues when neither works. */
export async function resolveWard(db: Executor, tenant: Tenant, wardCode: string | undefined, point: { lon: number; lat: number } | undefined, issues: FieldIssue[], required: boolean): Promise<string | null> {
  const overview = await areaOverview(db, tenant);
  if (!overview.currentSet) {
    if (required) issues.push({ field: 'wardCode', message: 'intel.field.error.noWards' });
    return null;
  }
  const set = pickWardSet(overview, undefined);
  if (wardCode) {
    const ward = (await wardsOf(db, tenant, set)).find((w) => w.code === wardCode);
    if (!ward) issues.push({ field: 'wardCode', message: 'intel.field.error.wardOther' });
    return ward?.id ?? null;
  }
  if (point) {
    const ward = findContaining((await wardsWithBoundaries(db, tenant, set)).map((w) => ({ ...w, geometry: w.geometry as PolygonGeometry | null })), point.lon, point.lat);
    if (!ward) issues.push({ field: 'point', message: 'intel.field.error.pointOutside' });
    return ward?.id ?? null;
  }
  if (required) issues.push({ field: 'wardCode', message: 'intel.field.error.ward' });
  return null;
}

function conflict(): AppError {
  return new AppError('conflict', 'This id was already used for a different submission. Keep both and send this one again with a new id.', [{ field: 'clientId', message: 'intel.field.error.conflict' }], 'intel.field.error.conflict');
}

/** The stored submission with this client id: a retry (same hash) answers it again, else 409. */
async function replay(db: Executor, tenantId: string, clientId: string, hash: string): Promise<Filed | undefined> {
  const [row] = await db.select({ id: intelReports.id, contentHash: intelReports.contentHash }).from(intelReports).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.clientId, clientId)));
  if (!row) return undefined;
  if (row.contentHash !== hash) throw conflict();
  return { created: false, id: row.id, clientId };
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.field) ? false : (seen.add(i.field), true)));
}

/** The rules beyond the contract: an active category, the date's bounds, a ward of this area. `wardCode: null` skips the ward. */
async function checkReport(db: Executor, tenant: Tenant, f: { categoryKey: string | undefined; observedOn: string | undefined; wardCode: string | undefined | null; point: { lon: number; lat: number } | undefined }, now: Date, issues: FieldIssue[]) {
  const category = f.categoryKey === undefined ? undefined : await categoryByKey(db, tenant.id, f.categoryKey);
  if (f.categoryKey !== undefined && (!category || !category.active)) issues.push({ field: 'categoryKey', message: 'intel.field.error.category' });
  if (f.observedOn !== undefined) {
    const { today, earliest } = observedBounds(now);
    if (!realDate(f.observedOn)) issues.push({ field: 'observedOn', message: 'intel.field.error.date' });
    else if (f.observedOn > today) issues.push({ field: 'observedOn', message: 'intel.field.error.dateFuture' });
    else if (f.observedOn < earliest) issues.push({ field: 'observedOn', message: 'intel.field.error.dateOld' });
  }
  const wardId = f.wardCode === null ? null : await resolveWard(db, tenant, f.wardCode, f.point, issues, true);
  return { category: category?.active ? category : undefined, wardId };
}

/**
 * File a report (issue 10 item 2): the champion (or a coordinator) only; a retry returns the first
 * answer, the same id with other content is a 409; bad fields are all named; likely personal
 * details in the text stop it unless the champion confirmed they checked. `now` is the clock.
 */
export async function fileReport(db: Db, actor: Actor | undefined, tenant: Tenant, input: unknown, now: Date, opts: { isDemo?: boolean } = {}): Promise<Filed> {
  requirePermission(actor, 'intel.file', 'Only street champions and coordinators file reports.', 'intel.field.error.notChampion');
  const parsed = ReportRequest.safeParse(input);
  if (!parsed.success) {
    // Name every problem at once: the rules below also run on the fields the contract accepted.
    const issues = fieldIssues(parsed.error);
    const bad = new Set(issues.map((i) => i.field));
    const raw = (input ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof raw[k] === 'string' && !bad.has(k) ? (raw[k] as string).trim() : undefined);
    await checkReport(db, tenant, { categoryKey: text('categoryKey'), observedOn: text('observedOn'), wardCode: bad.has('wardCode') || bad.has('point') ? null : text('wardCode') || undefined, point: undefined }, now, issues);
    throw invalid(dedupe(issues));
  }
  const data = parsed.data;
  const point = data.point ? roundToAbout100m(data.point.lon, data.point.lat) : null;
  const hash = contentHash({
    reporterId: actor.memberId,
    categoryKey: data.categoryKey,
    wardCode: data.wardCode || null,
    observedOn: data.observedOn,
    observedText: data.observedText,
    familiesEstimate: data.familiesEstimate,
    since: data.since,
    source: data.source,
    point,
  });
  const again = await replay(db, tenant.id, data.clientId, hash);
  if (again) return again;

  const issues: FieldIssue[] = [];
  const { category, wardId } = await checkReport(db, tenant, { categoryKey: data.categoryKey, observedOn: data.observedOn, wardCode: data.wardCode || undefined, point: point ?? undefined }, now, issues);
  if (issues.length || !category || !wardId) throw invalid(issues);

  if (!data.confirmNoPersonalDetails) {
    const kinds = personalDetailKinds(data.observedText);
    if (kinds.length) throw new PersonalDetailsFound(kinds);
  }

  return db.transaction(async (tx) => {
    const id = newId();
    const inserted = await tx
      .insert(intelReports)
      .values({
        tenantId: tenant.id,
        id,
        clientId: data.clientId,
        contentHash: hash,
        reporterId: actor.memberId,
        categoryId: category.id,
        wardId,
        observedOn: data.observedOn,
        observedText: data.observedText,
        familiesEstimate: data.familiesEstimate,
        since: data.since,
        source: data.source,
        pointLon: point?.lon ?? null,
        pointLat: point?.lat ?? null,
        isDemo: opts.isDemo ?? false,
        receivedAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [intelReports.tenantId, intelReports.clientId] })
      .returning({ id: intelReports.id });
    if (!inserted[0]) {
      // Another request with this id won the race: answer as its retry (or 409).
      const raced = await replay(tx, tenant.id, data.clientId, hash);
      if (!raced) throw conflict();
      return raced;
    }
    await appendAudit(tx, { tenantId: tenant.id, actor: actor.memberId, action: 'intel.report.filed', entity: 'intel_report', entityId: id, data: { category: category.key, located: point !== null } });
    return { created: true, id, clientId: data.clientId };
  });
}
