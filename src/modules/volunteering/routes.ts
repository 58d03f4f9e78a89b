import { createRoute, z } from '@hono/zod-openapi';
import { requireActor, secured } from '../../server/access.ts';
import { ErrorResponse, type ApiApp } from '../../server/api.ts';
import { AppError } from '../../server/errors.ts';
import { messageText, translator } from '../../ui/i18n/index.ts';
import { logHours } from './service.ts';

const HoursBody = z
  .object({
    workedOn: z.string().openapi({ description: 'The day (YYYY-MM-DD, Europe/London): not in the future, at most 12 months back' }),
    activityId: z.string().openapi({ description: 'An active activity of the tenant' }),
    hours: z.number().int().openapi({ description: '0–16; with minutes more than zero and at most 16 hours in all' }),
    minutes: z.number().int().openapi({ description: '0–59' }),
    note: z.string().optional().openapi({ description: 'At most 500 characters; never the names of families' }),
  })
  .openapi('HoursEntry', { example: { workedOn: '2026-11-19', activityId: '01936f0e-0000-7000-8000-000000000000', hours: 2, minutes: 30, note: '' } });

const HoursLogged = z.object({ id: z.string(), status: z.literal('submitted'), duplicate: z.boolean() }).openapi('HoursLogged');

const errors = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });

/** Logging hours from an app or an offline queue: the Idempotency-Key is the entry's client key, so a retry never makes two. */
export function registerVolunteeringApi(api: ApiApp): void {
  api.openapi(
    secured(
      'signed-in',
      createRoute({
        method: 'post',
        path: '/api/v1/volunteering/hours',
        tags: ['Volunteering'],
        summary: 'Log my volunteering hours (send Idempotency-Key: a retry answers the first entry)',
        request: { body: { content: { 'application/json': { schema: HoursBody } }, required: true } },
        responses: {
          201: { description: 'Logged, waiting for a coordinator', content: { 'application/json': { schema: HoursLogged } } },
          200: { description: 'The same Idempotency-Key was already used: the first entry', content: { 'application/json': { schema: HoursLogged } } },
          400: errors('Something to fix: every field named (negative, zero, over 16 hours, a future date…)'),
          409: errors('The Idempotency-Key was used for another request'),
        },
      }),
    ),
    async (c) => {
      const actor = requireActor(c);
      const key = c.req.header('idempotency-key') ?? '';
      if (!/^[A-Za-z0-9_-]{16,96}$/.test(key)) throw new AppError('bad_request', 'Send an Idempotency-Key header (16–96 letters, digits, dashes or underscores; a UUID is ideal).');
      const body = c.req.valid('json');
      const t = translator(c.get('locale'));
      const clock = c.get('deps').clock;
      try {
        const res = await logHours(c.get('deps').database.db, actor, { ...body, clientKey: `api-${key}` }, new Date(clock ? clock() : Date.now()));
        return c.json({ id: res.id, status: 'submitted' as const, duplicate: res.duplicate }, res.duplicate ? 200 : 201);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed') throw new AppError(err.code, `Please fix: ${err.fields.map((f) => `${f.field}: ${messageText(t, f.message)}`).join('; ')}`, err.fields.map((f) => ({ field: f.field, message: messageText(t, f.message) })));
        throw err;
      }
    },
  );
}
