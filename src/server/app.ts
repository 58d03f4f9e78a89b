import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MODULES } from '../modules/index.ts';
import { Pages, route } from './access.ts';
import { createApi, OPENAPI_INFO, parseJsonBody } from './api.ts';
import { renderApiDocs } from './api-docs.tsx';
import type { AppEnv, Deps } from './context.ts';
import { AppError } from './errors.ts';
import { onError, onNotFound } from './error-pages.tsx';
import { compression } from './middleware/compression.ts';
import { csrf } from './middleware/csrf.ts';
import { idempotency } from './middleware/idempotency.ts';
import { inputGuard } from './middleware/input.ts';
import { locale } from './middleware/locale.ts';
import { requestContext } from './middleware/request.ts';
import { securityHeaders } from './middleware/security.ts';
import { tenancy } from './middleware/tenancy.ts';
import { session } from './middleware/session.ts';

export interface AppOptions {
  /** Extra routes mounted after the standard middleware (used by tests). */
  extend?: (app: Hono<AppEnv>) => void;
}

/** Assemble the whole web app: middleware once, then every module's pages and API (src/modules/index.ts). */
export function createApp(deps: Deps, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('actorScope', 'anon');
    await next();
  });
  app.use(requestContext());
  app.use(compression());
  app.use(securityHeaders(deps.config.env === 'production'));

  // Process and database health and the browser assets: no tenant, no session.
  route(app, 'GET', '/healthz', 'public', (c) => c.json({ status: 'ok' }));
  route(app, 'GET', '/readyz', 'public', async (c) => {
    try {
      await deps.database.query('SELECT 1');
      return c.json({ status: 'ready', store: deps.database.kind });
    } catch {
      throw new AppError('database_unavailable', 'The database cannot be reached.');
    }
  });
  route(app, 'GET', '/assets/:file', 'public', (c) => {
    const file = c.req.param('file') ?? '';
    const asset = deps.assets.get(file);
    if (!asset) throw new AppError('not_found', 'No such asset.');
    c.header('Cache-Control', file === 'favicon.svg' ? 'public, max-age=86400' : 'public, max-age=31536000, immutable');
    c.header('Content-Type', asset.contentType);
    return c.body(typeof asset.body === 'string' ? asset.body : new Uint8Array(asset.body));
  });

  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError('payload_too_large', `The request body is larger than ${maxSize} bytes.`);
      },
    });
  const normalLimit = limit(deps.config.bodyLimit);
  // Uploads a module declares may be larger; everything else keeps the small limit.
  const uploadLimits = new Map(MODULES.flatMap((m) => ('uploads' in m ? m.uploads : [])).map((u) => [u.path, limit(Math.max(deps.config.bodyLimit, u.maxBytes))]));
  app.use((c, next) => (uploadLimits.get(c.req.path) ?? normalLimit)(c, next));
  app.use(tenancy());
  app.use(locale());
  app.use(inputGuard());
  app.use(csrf());
  app.use(session());
  app.use('/api/*', parseJsonBody());
  app.use('/api/*', idempotency());

  // Every module's pages, mounted static-before-parameter whatever the list order.
  const pages = new Pages();
  for (const m of MODULES) if ('pages' in m) m.pages(pages, deps);
  pages.mount(app);

  const api = createApi();
  for (const m of MODULES) if ('api' in m) m.api(api);
  app.route('/', api);
  route(app, 'GET', '/api/openapi.json', 'public', (c) => c.json(api.getOpenAPIDocument(OPENAPI_INFO)));
  route(app, 'GET', '/api/docs', 'public', (c) => renderApiDocs(c, api.getOpenAPIDocument(OPENAPI_INFO) as unknown as Parameters<typeof renderApiDocs>[1]));
  options.extend?.(app);

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}
