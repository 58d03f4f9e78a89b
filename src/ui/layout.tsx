import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { LOCALES, translator } from './i18n/index.ts';
import type { MessageKey } from './i18n/index.ts';
import { MANIFESTS, MODULES } from '../modules/index.ts';
import type { NavEntry } from '../modules/manifest.ts';
import { allows } from '../server/access.ts';
import { brandColour } from './brand.ts';
import { withLang, type View } from './view.ts';

interface LayoutProps {
  view: View;
  title: string;
  children: Child;
  /** Extra scripts and styles for this page only (by asset name). */
  scripts?: Array<'wards-map.js' | 'passkeys.js' | 'family-keys.js' | 'blueprint-edit.js' | 'budget-ballot.js'>;
  styles?: Array<'wards-map.css'>;
  /** Omit the navigation (e.g. for the unknown-host page). */
  bare?: boolean;
  /**
   * A form whose typed values the language switch keeps: the switch then submits that form
   * (to its action with ?lang=) instead of following a link, so nothing typed is lost, without JS.
   */
  langForm?: { id: string; action: string };
}

/** Every module's nav entries (its manifest's `nav`) that this actor may see, in order. */
function visibleEntries(view: View): NavEntry[] {
  return MODULES.flatMap((m): readonly NavEntry[] => ('nav' in m ? m.nav : []))
    .filter((e) => {
      if (e.access === 'public') return true;
      if (e.access === 'signed-out') return !view.signedIn;
      if (!view.signedIn) return false;
      return e.access === 'signed-in' || allows(e.access, view.roles ?? new Set());
    })
    .sort((a, b) => a.order - b.order);
}

/** A staff entry: one behind a permission (not public, signed-in or signed-out). */
function isStaffEntry(e: NavEntry): boolean {
  return e.access !== 'public' && e.access !== 'signed-in' && e.access !== 'signed-out';
}

/** The hub that gathers the staff entries, so that the bar stays one or two lines on a phone. */
export const WORK_HREF = '/work';

/** The staff entries this actor may see (listed on the work hub, /work), in order. */
export function staffNavFor(view: View): Array<{ href: string; key: MessageKey }> {
  return visibleEntries(view)
    .filter(isStaffEntry)
    .map((e) => ({ href: e.href, key: e.key as MessageKey }));
}

/**
 * The bar: the public and signed-in entries, and one "Your work" link (at order 50) in place of
 * the staff entries when the actor has any.
 */
function navFor(view: View): Array<{ href: string; key: MessageKey; covers: string[] }> {
  const entries = visibleEntries(view);
  const staff = entries.filter(isStaffEntry);
  const bar: Array<{ href: string; key: MessageKey; covers: string[]; order: number }> = entries
    .filter((e) => !isStaffEntry(e))
    .map((e) => ({ href: e.href, key: e.key as MessageKey, covers: [e.href], order: e.order }));
  if (staff.length > 0) bar.push({ href: WORK_HREF, key: 'nav.work', covers: [WORK_HREF, ...staff.map((e) => e.href)], order: 50 });
  return bar.sort((a, b) => a.order - b.order).map(({ href, key, covers }) => ({ href, key, covers }));
}

/** Public links modules add to the footer (manifest `footer`), e.g. "Check a certificate". */
function footerLinks(): Array<{ href: string; key: MessageKey }> {
  return MANIFESTS.flatMap((m) => m.footer ?? [])
    .sort((a, b) => a.order - b.order)
    .map((e) => ({ href: e.href, key: e.key as MessageKey }));
}

function matches(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** The navigation item for this page: the longest one that matches. */
function currentHref(path: string, hrefs: string[]): string | undefined {
  const pathname = path.split('?')[0] ?? '/';
  return hrefs.filter((h) => matches(pathname, h)).sort((a, b) => b.length - a.length)[0];
}

/**
 * The page the installable offline app opens on (web app manifest start_url): it links the manifest
 * and loads the offline report app, which takes the server-rendered form over (intelligence module,
 * src/client/report-offline.ts; the form works without it).
 */
export const OFFLINE_APP_PATH = '/intelligence/report';

export function Layout({ view, title, children, scripts = [], styles = [], bare = false, langForm }: LayoutProps) {
  const { t, locale, path, assets, tenantName } = view;
  const offlineApp = path.split('?')[0] === OFFLINE_APP_PATH;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${tenantName}`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={assets.url('app.css')} />
        {styles.map((s) => (
          <link rel="stylesheet" href={assets.url(s)} />
        ))}
        {LOCALES.filter((l) => l !== locale).map((l) => (
          <link rel="alternate" hreflang={l} href={withLang(path, l)} />
        ))}
        {scripts.map((s) => (
          <script src={assets.url(s)} defer></script>
        ))}
        {offlineApp ? (
          <>
            <link rel="manifest" href="/manifest.webmanifest" />
            <meta name="theme-color" content={brandColour(String(assets.get(assets.url('app.css').slice('/assets/'.length))?.body ?? ''))} />
            <meta name="pm-csrf" content={view.csrfToken} />
            <script src={assets.url('report-offline.js')} defer></script>
          </>
        ) : null}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('site.skip')}
        </a>
        <header class="site-header">
          <div class="wrap">
            <a class="brand" href="/">
              {tenantName}
              <small>{t('site.tagline')}</small>
            </a>
            <nav aria-label={t('lang.switch')}>
              <ul class="lang-switch">
                {LOCALES.map((l) => {
                  const name = translator(l)('lang.name');
                  return (
                    <li>
                      {langForm && l !== locale ? (
                        <button type="submit" class="link-button" form={langForm.id} formaction={withLang(langForm.action, l)} name="switchLang" value={l} lang={l}>
                          {name}
                        </button>
                      ) : (
                        <a href={withLang(path, l)} lang={l} hreflang={l} aria-current={l === locale ? 'true' : undefined}>
                          {name}
                        </a>
                      )}
                    </li>
                  );
                })}
              </ul>
            </nav>
          </div>
        </header>
        {bare ? null : (
          <nav class="site-nav" aria-label={t('nav.label')}>
            <ul>
              {navFor(view).map((item, _i, all) => {
                const current = currentHref(path, all.flatMap((x) => x.covers));
                const here = current !== undefined && item.covers.includes(current);
                return (
                  <li>
                    <a href={item.href} aria-current={here ? (current === item.href ? 'page' : 'true') : undefined}>
                      {t(item.key)}
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
        <main id="main" tabindex={-1}>
          <div class="wrap">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <ul>
              <li>
                <a href="/privacy">{t('site.footer.privacy')}</a>
              </li>
              <li>
                <a href="/about#sources">{t('site.footer.data')}</a>
              </li>
              <li>
                <a href="/api/docs">{t('site.footer.api')}</a>
              </li>
              {footerLinks().map((item) => (
                <li>
                  <a href={item.href}>{t(item.key)}</a>
                </li>
              ))}
            </ul>
            <p class="muted">{t('site.footer.software')}</p>
          </div>
        </footer>
      </body>
      </html>
    </>
  );
}
