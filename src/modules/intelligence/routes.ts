import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireActor, secured } from '../../server/access.ts';
import { ErrorResponse, type ApiApp } from '../../server/api.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { messageText } from '../../ui/i18n/index.ts';
import { areaOverview, pickWardSet, tenantBaseUrl, wardsOf } from '../tenancy/views.ts';
import { ConcernRequest, fileReport, PersonalDetailsFound, ReportRequest } from './filing.ts';
import { PERSONAL_DETAIL_KINDS } from './pii.ts';
import { listCategories } from './queries.ts';
import { fileConcern } from './safeguarding.ts';
import { recordSync } from './triage.ts';
import { nowOf } from './service.ts';

const ReportAccepted = z.object({ id: z.string().uuid(), clientId: z.string(), status: z.literal('received') }).openapi('IntelReportAccepted');
const ConcernAccepted = z
  .object({
    id: z.string().uuid(),
    clientId: z.string(),
    frontDoor: z.object({ name: z.string(), phone: z.string() }).openapi({ description: "The tenant's children's social care front door (empty strings when a coordinator has not set it yet)" }),
  })
  .openapi('SafeguardingConcernAccepted');
const PersonalDetailsError = z
  .object({
    error: z.object({
      code: z.literal('personal_details'),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })),
      kinds: z.array(z.enum(PERSONAL_DETAIL_KINDS)),
      requestId: z.string(),
    }),
  })
  .openapi('PersonalDetailsError');
const SyncReport = z.object({ waiting: z.number().int().min(0).max(1_000_000), refused: z.number().int().min(0).max(1_000_000) }).openapi('IntelSyncReport');
const FormData = z
  .object({
    categories: z.array(z.object({ key: z.string(), title: z.string(), titlePl: z.string().nullable(), description: z.string(), descriptionPl: z.string().nullable() })),
    wards: z.array(z.object({ code: z.string(), name: z.string() })),
  })
  .openapi('IntelFormData');

const errors = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

/** Field messages are catalogue keys: answer them in the caller's language. */
function translated(c: Context<AppEnv>, err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  const t = c.get('t');
  return new AppError(err.code, err.key ? t(err.key, err.params) : err.message, err.fields.map((f) => ({ field: f.field, message: messageText(t, f.message) })), err.key, err.params);
}

/**
 * The phone's API (issue 10 item 4): the offline queue sends here with the session cookie and the
 * X-CSRF-Token header. `clientId` is the idempotency key (same id + same content → the first
 * answer with 200; other content → 409), so a queue may resend as often as the network needs.
 */
export function registerIntelFieldApi(api: ApiApp): void {
  api.openapi(
    secured('intel.file', createRoute({
      method: 'post',
      path: '/api/v1/intelligence/reports',
      tags: ['Intelligence'],
      summary: 'File a street champion’s report (clientId is the idempotency key)',
      description: 'A point is rounded to about 100 m on the server; without wardCode the ward holding the point is used. Likely personal details in observedText answer 422 unless confirmNoPersonalDetails is true.',
      request: { body: json(ReportRequest) },
      responses: {
        201: { description: 'Stored', content: { 'application/json': { schema: ReportAccepted } } },
        200: { description: 'A retry of a report already stored: the first answer again', content: { 'application/json': { schema: ReportAccepted } } },
        400: errors('Something to fix: every field named'),
        403: errors('Not a street champion or coordinator'),
        409: errors('This clientId was used for different content'),
        422: { description: 'The text seems to hold personal details: remove them, or resend with confirmNoPersonalDetails', content: { 'application/json': { schema: PersonalDetailsError } } },
      },
    })),
    async (c) => {
      const deps = c.get('deps');
      try {
        const filed = await fileReport(deps.database.db, requireActor(c), c.get('tenant'), c.req.valid('json'), nowOf(deps));
        return c.json({ id: filed.id, clientId: filed.clientId, status: 'received' as const }, filed.created ? 201 : 200);
      } catch (err) {
        if (err instanceof PersonalDetailsFound) {
          const t = c.get('t');
          const kinds = err.kinds.map((k) => t(`intel.field.pii.${k}`)).join(', ');
          const message = t('intel.field.pii.api', { kinds });
          return c.json({ error: { code: 'personal_details' as const, message, fields: [{ field: 'observedText', message }], kinds: err.kinds, requestId: c.get('requestId') ?? '' } }, 422);
        }
        throw translated(c, err);
      }
    },
  );

  api.openapi(
    secured('intel.file', createRoute({
      method: 'post',
      path: '/api/v1/intelligence/concerns',
      tags: ['Intelligence'],
      summary: 'Raise a safeguarding concern (a child may be at risk): kept apart, seen by safeguarding leads only',
      description: 'Safeguarding leads are alerted by email at once. The answer carries the front door to call; call 999 in an emergency.',
      request: { body: json(ConcernRequest) },
      responses: {
        201: { description: 'Stored and the leads alerted', content: { 'application/json': { schema: ConcernAccepted } } },
        200: { description: 'A retry: the first answer again (no second alert)', content: { 'application/json': { schema: ConcernAccepted } } },
        400: errors('Something to fix: every field named'),
        403: errors('Not a street champion or coordinator'),
        409: errors('This clientId was used for different content'),
      },
    })),
    async (c) => {
      const deps = c.get('deps');
      const tenant = c.get('tenant');
      try {
        const baseUrl = await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl);
        const filed = await fileConcern(deps.database.db, requireActor(c), tenant, c.req.valid('json'), baseUrl, nowOf(deps));
        return c.json({ id: filed.id, clientId: filed.clientId, frontDoor: filed.frontDoor }, filed.created ? 201 : 200);
      } catch (err) {
        throw translated(c, err);
      }
    },
  );

  api.openapi(
    secured('intel.file', createRoute({
      method: 'post',
      path: '/api/v1/intelligence/sync',
      tags: ['Intelligence'],
      summary: 'What the phone’s queue holds after a sync (for coordinators to notice a stuck phone)',
      request: { body: json(SyncReport) },
      responses: { 204: { description: 'Recorded with the server’s clock' }, 400: errors('Counts must be whole numbers from 0'), 403: errors('Not a street champion or coordinator') },
    })),
    async (c) => {
      const deps = c.get('deps');
      await recordSync(deps.database.db, requireActor(c), c.req.valid('json'), nowOf(deps));
      return c.body(null, 204);
    },
  );

  api.openapi(
    secured('intel.file', createRoute({
      method: 'get',
      path: '/api/v1/intelligence/form-data',
      tags: ['Intelligence'],
      summary: 'The active categories and current wards, for the offline form to cache',
      responses: { 200: { description: 'Categories and wards', content: { 'application/json': { schema: FormData } } }, 403: errors('Not a street champion or coordinator') },
    })),
    async (c) => {
      const db = c.get('deps').database.db;
      const tenant = c.get('tenant');
      const overview = await areaOverview(db, tenant);
      const wards = overview.currentSet ? await wardsOf(db, tenant, pickWardSet(overview, undefined)) : [];
      const categories = await listCategories(db, tenant.id, { activeOnly: true });
      c.header('Cache-Control', 'private, no-cache');
      return c.json(
        {
          categories: categories.map((k) => ({ key: k.key, title: k.title, titlePl: k.titlePl, description: k.description, descriptionPl: k.descriptionPl })),
          wards: wards.map((w) => ({ code: w.code, name: w.name })),
        },
        200,
      );
    },
  );
}
