import { describe, expect, it } from 'vitest';
import { buildTenant } from '../../test/factories.ts';
import { testApp, testDeps } from '../../test/app.ts';
import { translator } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import type { View } from '../../ui/view.ts';
import { shortNameOf } from './pages-offline.tsx';

async function get(path: string) {
  const { app, deps } = await testApp();
  const { host, tenant } = await buildTenant(deps.database.db, { name: 'One Corby Parent Coalition' });
  return { res: await app.request(path, { headers: { host } }), app, host, tenant };
}

describe('the installable offline app (server side)', () => {
  it('serves the service worker at the root scope, with what it must cache for the form to open offline', async () => {
    const { res } = await get('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('service-worker-allowed')).toBe('/');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const body = await res.text();
    const config = JSON.parse(/^self\.PM_SW=(\{.*?\});\n/.exec(body)?.[1] ?? '{}') as { version: string; precache: string[] };
    expect(config.version).toMatch(/^[0-9a-f]{12}$/);
    expect(config.precache).toEqual(expect.arrayContaining(['/intelligence/report', '/api/v1/intelligence/form-data', '/manifest.webmanifest']));
    expect(config.precache.some((u) => /^\/assets\/app\.[0-9a-f]{10}\.css$/.test(u))).toBe(true);
    expect(config.precache.some((u) => /^\/assets\/report-offline\.[0-9a-f]{10}\.js$/.test(u))).toBe(true);
  });

  it('serves a web app manifest: tenant name and short name, start URL, standalone, theme colour of the CSS, 192 and 512 px icons', async () => {
    const { res, app, host } = await get('/manifest.webmanifest?lang=pl');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/manifest+json; charset=utf-8');
    const m = (await res.json()) as Record<string, unknown> & { icons: Array<{ src: string; sizes: string; type: string }> };
    expect(m).toMatchObject({ name: 'One Corby Parent Coalition: Zgłoszenia z ulicy', short_name: 'OCPC', start_url: '/intelligence/report', display: 'standalone', theme_color: '#0b5394', lang: 'pl' });
    for (const size of [192, 512]) {
      const icon = m.icons.find((i) => i.sizes === `${size}x${size}`);
      expect(icon?.type).toBe('image/png');
      const png = new Uint8Array(await (await app.request(icon!.src, { headers: { host } })).arrayBuffer());
      expect([...png.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
      const view = new DataView(png.buffer);
      expect([view.getUint32(16), view.getUint32(20)]).toEqual([size, size]);
    }
    const svg = m.icons.find((i) => i.type === 'image/svg+xml');
    expect(await (await app.request(svg!.src, { headers: { host } })).text()).toContain('<svg');
  });

  it('the CSP allows the worker and the manifest from our own origin only, and still no inline script', async () => {
    const { res } = await get('/about');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('the layout links the manifest and the offline app on the report page only', async () => {
    const deps = await testDeps();
    const view = (path: string): View => ({ t: translator('en'), locale: 'en', tenantName: 'T', path, csrfToken: 'tok', assets: deps.assets, signedIn: true, manager: false });
    const report = String(await (<Layout view={view('/intelligence/report?x=1')} title="R">x</Layout>));
    expect(report).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
    expect(report).toMatch(/<script src="\/assets\/report-offline\.[0-9a-f]{10}\.js" defer="">/);
    expect(report).toContain('<meta name="theme-color" content="#0b5394"/>');
    const other = String(await (<Layout view={view('/wards')} title="W">x</Layout>));
    expect(other).not.toContain('manifest');
    expect(other).not.toContain('report-offline');
  });

  it('short names: the tenant name when short, else its initials', () => {
    expect(shortNameOf('Corby Mutual')).toBe('Corby Mutual');
    expect(shortNameOf('One Corby Parent Coalition')).toBe('OCPC');
    expect(shortNameOf('wspólnota rodziców z miasta')).toBe('wspólnota ro');
  });
});
