import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../server/access.ts';
import { ErrorResponse, type ApiApp } from '../../server/api.ts';
import { AppError } from '../../server/errors.ts';
import { messageText, translator } from '../../ui/i18n/index.ts';
import { areaOverview, pickWardSet, tenantBaseUrl } from '../tenancy/views.ts';
import { checkContact } from './join-form.ts';
import { JoinRequest } from './service.ts';
import { clientKey } from '../../server/client-address.ts';
import { smsDeliverable } from '../sms/transport.ts';
import { join, limitJoin } from './join-service.ts';

// The join form's contract (service.ts), described for the API docs; the API's retry key is the
// Idempotency-Key header, so the form's hidden joinKey is not part of the body.
const JoinBody = JoinRequest.omit({ joinKey: true }).openapi('JoinRequest', {
  example: { name: 'Maja Nowak', email: 'maja@example.org', ward: 'E05010269', relationship: 'parent', preferredLocale: 'en', consent: true },
});

// The same body whether or not the address already had a membership (issue 7 item 9): no member
// number, no status of a record. "next" depends only on what was sent and on this server.
const JoinAccepted = z
  .object({
    status: z.literal('received'),
    next: z.enum(['check-email', 'sign-in-by-text', 'coordinator-will-contact']).openapi({
      description: 'check-email: an email is on its way (a confirmation link, or a note that the address is already a member); sign-in-by-text: sign in with a code texted to the number; coordinator-will-contact: this server cannot send texts yet',
    }),
  })
  .openapi('JoinAccepted');

const errors = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });

/** Joining through the API (apps, the offline queue): the same rules and messages as the form. */
export function registerMembershipApi(api: ApiApp): void {
  api.openapi(
    secured('public', createRoute({
      method: 'post',
      path: '/api/v1/join',
      tags: ['Membership'],
      summary: 'Join the mutual (send Idempotency-Key: a retry returns the first answer and never makes two members)',
      request: { body: { content: { 'application/json': { schema: JoinBody } }, required: true } },
      responses: {
        202: { description: 'Received. The same answer for a new and an existing address, so it never tells who is a member', content: { 'application/json': { schema: JoinAccepted } } },
        400: errors('Something to fix: every field named'),
        409: errors('The Idempotency-Key was used for another request'),
        429: errors('Too many attempts'),
      },
    })),
    async (c) => {
      const deps = c.get('deps');
      const tenant = c.get('tenant');
      const body = c.req.valid('json');
      const checked = checkContact(body);
      const t = translator(c.get('locale'));
      if (checked.issues.length) {
        const fields = checked.issues.map((i) => ({ field: i.field, message: messageText(t, i.message) }));
        throw new AppError('validation_failed', `Please fix: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
      }
      await limitJoin(deps.database.db, tenant.id, clientKey(c), checked.email ?? checked.phone);
      const set = pickWardSet(await areaOverview(deps.database.db, tenant), undefined);
      const key = c.req.header('idempotency-key');
      try {
        await join(
          deps.database.db,
          tenant,
          set.id,
          { name: body.name.trim(), email: checked.email, phone: checked.phone, ward: body.ward, relationship: body.relationship, childrenUnder5: body.childrenUnder5, preferredLocale: body.preferredLocale, joinKey: key && /^[A-Za-z0-9_-]{16,64}$/.test(key) ? `api-${key}`.slice(0, 64) : undefined },
          await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl),
        );
        const next: z.infer<typeof JoinAccepted>['next'] = checked.email ? 'check-email' : smsDeliverable(deps.config) ? 'sign-in-by-text' : 'coordinator-will-contact';
        return c.json({ status: 'received' as const, next }, 202);
      } catch (err) {
        if (err instanceof AppError) throw new AppError(err.code, err.message, err.fields.map((f) => ({ field: f.field, message: messageText(t, f.message) })));
        throw err;
      }
    },
  );
}
