import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { newId } from '../../lib/ids.ts';
import type { AppEnv } from '../context.ts';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Give each request an id (kept from X-Request-Id when sane) and log one line when it ends. */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : newId();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const { logger } = c.get('deps');
    // Route pattern, never the raw URL: paths and queries can carry personal data.
    logger.info(
      {
        requestId,
        method: c.req.method,
        route: routePath(c),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        tenant: c.get('tenant')?.id,
      },
      'request',
    );
  };
}
