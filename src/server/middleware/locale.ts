import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isLocale, localeFromAcceptLanguage, translator, type Locale } from '../../ui/i18n/index.ts';
import type { AppEnv } from '../context.ts';

/** Language: ?lang= (remembered in a cookie), then the cookie, then Accept-Language, then the tenant's default. */
export function locale(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const fromQuery = c.req.query('lang');
    let chosen: Locale | undefined;
    if (isLocale(fromQuery)) {
      chosen = fromQuery;
      setCookie(c, 'lang', fromQuery, { path: '/', sameSite: 'Lax', maxAge: 60 * 60 * 24 * 365, httpOnly: true });
    }
    const fromCookie = getCookie(c, 'lang');
    chosen ??= isLocale(fromCookie) ? fromCookie : undefined;
    chosen ??= localeFromAcceptLanguage(c.req.header('accept-language'));
    const tenantDefault = c.get('tenant')?.defaultLocale;
    chosen ??= isLocale(tenantDefault) ? tenantDefault : 'en';
    c.set('locale', chosen);
    c.set('t', translator(chosen));
    c.header('Content-Language', chosen);
    c.header('Vary', 'Accept-Language, Cookie', { append: true });
    await next();
  };
}
