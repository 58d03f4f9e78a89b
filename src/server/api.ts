import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';
import { AppError } from './errors.ts';
import { validationError } from './validation.ts';

export type ApiApp = OpenAPIHono<AppEnv>;

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string().openapi({ example: 'email: enter an email address like name@example.com' }),
      fields: z.array(z.object({ field: z.string(), message: z.string() })),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

export function createApi(): ApiApp {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });
}

/** Parse JSON bodies up front so malformed JSON is a clear 400 (invalid_json), not a generic one. */
export function parseJsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && type.toLowerCase().startsWith('application/json')) {
      try {
        await c.req.json();
      } catch {
        throw new AppError('invalid_json', 'The request body is not valid JSON. Check quotes, commas and brackets.');
      }
    }
    await next();
  };
}

export const OPENAPI_INFO = {
  openapi: '3.0.3',
  info: {
    title: 'Parent Mutual API',
    version: '1.0.0',
    description:
      'JSON API of Parent Mutual. Errors are JSON `{ error: { code, message, fields, requestId } }`. ' +
      'POSTs accept an `Idempotency-Key` header: a retry returns the first response; the same key with a different body gets 409.',
  },
};
