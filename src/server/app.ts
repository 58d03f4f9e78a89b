import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { registerTenancyApi } from '../modules/tenancy/routes.ts';
import { registerMembershipApi } from '../modules/membership/routes.ts';
import { registerTenancyPages } from '../modules/tenancy/pages.tsx';
import { declareRoute } from './access.ts';
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
import { registerDevMailbox } from '../modules/email/pages.tsx';
import { registerJoinPages } from '../modules/membership/pages-join.tsx';
import { registerMePages } from '../modules/membership/pages-me.tsx';
import { registerContactChangePages } from '../modules/membership/pages-contact-change.tsx';
import { registerMemberEditPages } from '../modules/membership/pages-member-edit.tsx';
import { registerPasskeyRoutes } from '../modules/membership/pages-passkeys.tsx';
import { registerCoveragePages } from '../modules/membership/pages-coverage.tsx';
import { registerCoordinatorPages } from '../modules/membership/pages-coordinator.tsx';
import { IMPORT_MAX_BYTES, registerImportPages } from '../modules/membership/pages-import.tsx';
import { registerSignInPages } from '../modules/membership/pages-signin.tsx';
import { registerPhoneSignInPages } from '../modules/membership/pages-signin-phone.tsx';
import { registerInPersonConfirm } from '../modules/membership/pages-confirm-in-person.tsx';
import { registerDevSms } from '../modules/sms/pages.tsx';
import { isLocalRequest } from './client-address.ts';

export interface AppOptions {
  /** Extra routes mounted after the standard middleware (used by tests). */
  extend?: (app: Hono<AppEnv>) => void;
}

/** Assemble the whole web app: middleware once, then each module's pages and API. */
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

  // Process and database health: no tenant, no session.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await deps.database.query('SELECT 1');
      return c.json({ status: 'ready', store: deps.database.kind });
    } catch {
      throw new AppError('database_unavailable', 'The database cannot be reached.');
    }
  });
  app.get('/assets/:file', (c) => {
    const asset = deps.assets.get(c.req.param('file'));
    if (!asset) throw new AppError('not_found', 'No such asset.');
    c.header('Cache-Control', c.req.param('file') === 'favicon.svg' ? 'public, max-age=86400' : 'public, max-age=31536000, immutable');
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
  const importLimit = limit(Math.max(deps.config.bodyLimit, IMPORT_MAX_BYTES));
  // Member CSV uploads may be large; everything else keeps the small limit.
  app.use((c, next) => (c.req.path === '/coordinator/members/import' ? importLimit(c, next) : normalLimit(c, next)));
  app.use(tenancy());
  app.use(locale());
  app.use(inputGuard());
  app.use(csrf());
  app.use(session());
  app.use('/api/*', parseJsonBody());
  app.use('/api/*', idempotency());

  registerJoinPages(app);
  registerSignInPages(app);
  registerPhoneSignInPages(app);
  registerMePages(app);
  registerContactChangePages(app);
  registerPasskeyRoutes(app);
  registerCoveragePages(app);
  registerImportPages(app); // before /coordinator/members/:id
  registerMemberEditPages(app);
  registerInPersonConfirm(app);
  registerCoordinatorPages(app);
  // After /wards/coverage, so that it is not taken for a ward code.
  registerTenancyPages(app);
  if (deps.config.env !== 'production' && !deps.config.smtpUrl) {
    // The development mailbox shows sign-in links: only to this machine, never in production.
    app.use('/dev/*', async (c, next) => {
      if (!isLocalRequest(c)) throw new AppError('not_found', 'Not found.');
      await next();
    });
    registerDevMailbox(app);
  }
  if (deps.config.env !== 'production') {
    // Texts hold sign-in codes: the development inbox is for this machine only, never in production.
    app.use('/dev/sms', async (c, next) => {
      if (!isLocalRequest(c)) throw new AppError('not_found', 'Not found.');
      await next();
    });
    registerDevSms(app);
  }

  const api = createApi();
  registerTenancyApi(api);
  registerMembershipApi(api);
  api.doc('/api/openapi.json', OPENAPI_INFO);
  app.route('/', api);
  declareRoute({ method: 'GET', path: '/api/openapi.json', access: 'public' });
  declareRoute({ method: 'GET', path: '/api/docs', access: 'public' });
  app.get('/api/docs', (c) => renderApiDocs(c, api.getOpenAPIDocument(OPENAPI_INFO) as unknown as Parameters<typeof renderApiDocs>[1]));
  options.extend?.(app);

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}
