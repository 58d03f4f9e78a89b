import { createRoute, z } from '@hono/zod-openapi';
import { declareRoute } from '../../server/access.ts';
import { ErrorResponse, type ApiApp } from '../../server/api.ts';
import { AppError } from '../../server/errors.ts';
import { messageText, translator } from '../../ui/i18n/index.ts';
import { areaOverview, pickWardSet, tenantBaseUrl } from '../tenancy/views.ts';
import { checkJoin } from './join-form.ts';
import { clientKey } from '../../server/client-address.ts';
import { rateLimit } from './rate-limit.ts';
import { join } from './service.ts';

const JoinBody = z
  .object({
    name: z.string().openapi({ example: 'Maja Nowak' }),
    email: z.string().optional().openapi({ example: 'maja@example.org' }),
    phone: z.string().optional().openapi({ example: '07700 900123' }),
    ward: z.string().openapi({ description: 'Ward code of the current ward set', example: 'E05010269' }),
    relationship: z.enum(['parent', 'grandparent', 'carer', 'other']),
    childrenUnder5: z.number().int().min(0).max(20).optional(),
    preferredLocale: z.enum(['en', 'pl']).default('en'),
    consent: z.literal(true).openapi({ description: 'Agrees to the privacy notice (/privacy)' }),
  })
  .openapi('JoinRequest');

const JoinAccepted = z
  .object({ memberNumber: z.number().int(), status: z.literal('pending'), next: z.string() })
  .openapi('JoinAccepted');

const errors = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });

/** Joining through the API (apps, the offline queue): the same rules and messages as the form. */
export function registerMembershipApi(api: ApiApp): void {
  declareRoute({ method: 'POST', path: '/api/v1/join', access: 'public' });
  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/join',
      tags: ['Membership'],
      summary: 'Join the mutual (send Idempotency-Key: a retry returns the first answer and never makes two members)',
      request: { body: { content: { 'application/json': { schema: JoinBody } }, required: true } },
      responses: {
        201: { description: 'Joined; a confirmation email is on its way', content: { 'application/json': { schema: JoinAccepted } } },
        400: errors('Something to fix: every field named'),
        409: errors('The email address is already registered, or the Idempotency-Key was used for another request'),
        429: errors('Too many attempts'),
      },
    }),
    async (c) => {
      const deps = c.get('deps');
      const tenant = c.get('tenant');
      await rateLimit(deps.database.db, `join-api:ip:${tenant.id}:${clientKey(c)}`, 30, 600);
      const body = c.req.valid('json');
      const form = {
        name: body.name,
        relationship: body.relationship,
        preferredLocale: body.preferredLocale,
        ward: body.ward,
        consent: 'yes',
        ...(body.email ? { email: body.email } : {}),
        ...(body.phone ? { phone: body.phone } : {}),
        ...(body.childrenUnder5 !== undefined ? { childrenUnder5: String(body.childrenUnder5) } : {}),
      };
      const checked = checkJoin(form, 3);
      const t = translator(c.get('locale'));
      if (checked.issues.length) {
        const fields = checked.issues.map((i) => ({ field: i.field, message: messageText(t, i.message) }));
        throw new AppError('validation_failed', `Please fix: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
      }
      const set = pickWardSet(await areaOverview(deps.database.db, tenant), undefined);
      const key = c.req.header('idempotency-key');
      try {
        const { member } = await join(
          deps.database.db,
          tenant,
          set.id,
          { name: body.name.trim(), email: checked.email, phone: checked.phone, ward: body.ward, relationship: body.relationship, childrenUnder5: body.childrenUnder5, preferredLocale: body.preferredLocale, joinKey: key && /^[A-Za-z0-9_-]{16,64}$/.test(key) ? `api-${key}`.slice(0, 64) : undefined },
          await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl),
        );
        return c.json({ memberNumber: member.memberNumber, status: 'pending' as const, next: member.email ? 'confirm-email' : 'coordinator-will-contact' }, 201);
      } catch (err) {
        if (err instanceof AppError) throw new AppError(err.code, err.message, err.fields.map((f) => ({ field: f.field, message: messageText(t, f.message) })));
        throw err;
      }
    },
  );
}
