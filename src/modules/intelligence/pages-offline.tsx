// What makes the street champions' report form an installable offline app (issue 10 item 4): the
// service worker at the root scope (/sw.js) and the web app manifest. The browser code is
// src/client/report-offline.ts and src/client/sw.ts (bundled by src/ui/assets.ts); the page that
// links both is /intelligence/report (src/ui/layout.tsx#OFFLINE_APP_PATH).
import { createHash } from 'node:crypto';
import type { Pages } from '../../server/access.ts';
import { route } from '../../server/access.ts';
import type { Deps } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { brandColour } from '../../ui/brand.ts';
import { OFFLINE_APP_PATH } from '../../ui/layout.tsx';
import { translator } from '../../ui/i18n/index.ts';

const FORM_DATA = '/api/v1/intelligence/form-data';

/** A short name for the home screen (the tenant has none of its own): the name if short, else its initials. */
export function shortNameOf(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= 12) return trimmed;
  const initials = trimmed
    .split(/\s+/)
    .filter((w) => /^\p{Lu}/u.test(w))
    .map((w) => w[0])
    .join('');
  return initials.length >= 2 ? initials : trimmed.slice(0, 12);
}

function fileOf(url: string): string {
  return url.slice('/assets/'.length);
}

export function registerOfflinePages(pages: Pages, deps: Deps): void {
  const { assets } = deps;
  const icons = [
    { src: assets.url('icon-192.png'), sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
    { src: assets.url('icon-512.png'), sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
    { src: assets.url('app-icon.svg'), sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ];
  const theme = brandColour(String(assets.get(fileOf(assets.url('app.css')))?.body ?? ''));
  // Everything the form needs to open offline. The page and the form data need the champion's
  // session: the worker fetches them with its cookies, and skips them when it gets a redirect.
  const precache = [
    OFFLINE_APP_PATH,
    assets.url('app.css'),
    assets.url('report-offline.js'),
    '/assets/favicon.svg',
    ...icons.map((i) => i.src),
    '/manifest.webmanifest',
    FORM_DATA,
    '/api/v1/wards',
  ];
  const swBody = String(assets.get(fileOf(assets.url('sw.js')))?.body ?? '');
  // The worker's bytes change whenever an asset does, so browsers install the new one.
  const version = createHash('sha256').update(JSON.stringify(precache)).update(swBody).digest('hex').slice(0, 12);
  const worker = `self.PM_SW=${JSON.stringify({ version, precache })};\n${swBody}`;

  route(pages, 'GET', '/sw.js', 'public', (c) => {
    if (!swBody) throw new AppError('not_found', 'No service worker was built.');
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    // Checked on every visit (browsers cap it at 24 hours anyway); scope: the whole site.
    c.header('Cache-Control', 'no-cache');
    c.header('Service-Worker-Allowed', '/');
    return c.body(worker);
  });

  route(pages, 'GET', '/manifest.webmanifest', 'public', (c) => {
    const t = translator(c.get('locale'));
    const name = c.get('tenant')?.name ?? 'Parent Mutual';
    c.header('Content-Type', 'application/manifest+json; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(
      JSON.stringify({
        id: OFFLINE_APP_PATH,
        name: `${name}: ${t('intel.offline.app.name')}`,
        short_name: shortNameOf(name),
        description: t('intel.offline.app.description'),
        lang: c.get('locale'),
        start_url: OFFLINE_APP_PATH,
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: theme,
        icons,
      }),
    );
  });
}
