import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../context.ts';

const DEFAULT_REFERRER = 'strict-origin-when-cross-origin';
/** Policies that send less than the default; a handler that sets one of these keeps it. */
const STRICTER_REFERRER = new Set(['no-referrer', 'same-origin', 'strict-origin']);

/** Security headers with a strict CSP: no inline script or style, nothing from other origins. */
export function securityHeaders(production: boolean): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      // The offline report app (issue 10): its service worker (/sw.js) and web app manifest. Both
      // would fall back to 'self' anyway (script-src, default-src); said outright so it stays so.
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      ...(production ? { upgradeInsecureRequests: [] } : {}),
    },
    strictTransportSecurity: production ? 'max-age=31536000; includeSubDomains' : false,
    referrerPolicy: DEFAULT_REFERRER,
    crossOriginEmbedderPolicy: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: ['self'] },
  });
  return async (c, next) => {
    let chosen: string | undefined;
    await headers(c, async () => {
      await next();
      chosen = c.res.headers.get('referrer-policy')?.trim().toLowerCase();
    });
    // A page reached by a link carrying a token (sign-in, confirm, download) must not pass that
    // URL on in Referer, even when it is an error page the handler never got to mark.
    const carriesToken = new URL(c.req.url).searchParams.has('token');
    if (carriesToken) c.res.headers.set('Referrer-Policy', 'no-referrer');
    else if (chosen && STRICTER_REFERRER.has(chosen)) c.res.headers.set('Referrer-Policy', chosen);
  };
}
