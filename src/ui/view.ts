import type { Context } from 'hono';
import type { Role } from '../modules/membership/schema.ts';
import type { AppEnv } from '../server/context.ts';
import type { Assets } from './assets.ts';
import type { Locale, Translate } from './i18n/index.ts';

/** What a page needs to render, taken from the request once. */
export interface View {
  t: Translate;
  locale: Locale;
  tenantName: string;
  /** Path (and query, without lang) of this page, for the language switch and nav state. */
  path: string;
  csrfToken: string;
  assets: Assets;
  /** Signed in, and whether the member manages members (for the navigation). */
  signedIn: boolean;
  manager: boolean;
  /** The signed-in member's roles (navigation entries a module shows by permission). */
  roles?: ReadonlySet<Role>;
}

export function viewOf(c: Context<AppEnv>): View {
  const url = new URL(c.req.url);
  url.searchParams.delete('lang');
  const query = url.searchParams.toString();
  return {
    t: c.get('t'),
    locale: c.get('locale'),
    tenantName: c.get('tenant')?.name ?? 'Parent Mutual',
    path: url.pathname + (query ? `?${query}` : ''),
    csrfToken: c.get('csrfToken') ?? '',
    assets: c.get('deps').assets,
    signedIn: !!c.get('actor'),
    manager: !!c.get('actor') && (c.get('actor')?.roles.has('coordinator') || c.get('actor')?.roles.has('admin') || false),
    roles: c.get('actor')?.roles ?? new Set(),
  };
}

/** A link to the same page in another language. */
export function withLang(path: string, locale: Locale): string {
  return path + (path.includes('?') ? '&' : '?') + `lang=${locale}`;
}
