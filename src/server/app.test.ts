import { describe, expect, it } from 'vitest';
import { buildTenant } from '../test/factories.ts';
import { csrfPair, testApp, testDeps } from '../test/app.ts';
import { openDatabase } from '../db/connection.ts';
import { runMigrations } from '../db/migrate.ts';
import { createTenant } from '../modules/tenancy/service.ts';
import { createApp } from './app.ts';
import { storeName } from '../test/db.ts';

describe(`web foundation (${storeName()})`, () => {
  it('serves a tenant by its host name', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db, { name: 'Kettering Parents' });
    const own = await app.request('/', { headers: { host } });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('Kettering Parents');
  });

  // There is one default tenant per store, and other tests (the Corby seed) rely on theirs, so this
  // test makes its own store: it knows whether a default tenant exists, and which.
  it('serves the default tenant for unknown hosts, and a 404 page while there is none', async () => {
    const store = await openDatabase({ dataDir: 'memory://' });
    try {
      await runMigrations(store);
      const deps = { ...(await testDeps()), database: store };
      const app = createApp(deps);
      const before = await app.request('/', { headers: { host: 'nobody-claims-this.example' } });
      expect(before.status).toBe(404);
      expect(await before.text()).toContain('No mutual here');
      await createTenant(store.db, { slug: 'fallback', name: 'Fallback Parents', areaName: 'Test area', isDefault: true, hosts: [] }, 'system:test');
      await createTenant(store.db, { slug: 'hosted', name: 'Hosted Parents', areaName: 'Test area', hosts: ['hosted.test.local'] }, 'system:test');
      // A host not seen before (the tenant cache is per host name).
      const other = await app.request('/', { headers: { host: 'nobody-else-claims-this.example' } });
      expect(other.status).toBe(200);
      const html = await other.text();
      expect(html).toContain('Fallback Parents');
      expect(html).not.toContain('Hosted Parents');
      expect(await (await app.request('/', { headers: { host: 'hosted.test.local' } })).text()).toContain('Hosted Parents');
    } finally {
      await store.close();
    }
  });

  it('answers unknown hosts with a 404 page when the default tenant is switched off', async () => {
    const { app } = await testApp({ defaultTenantEnabled: false });
    const res = await app.request('/', { headers: { host: 'unknown.example' } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('No mutual here');
    expect(html).toMatch(/^<!DOCTYPE html>/);
  });

  it('sets a strict CSP and security headers on pages', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const res = await app.request('/about', { headers: { host } });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('renders every page in English and Polish with a language switch', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    for (const path of ['/', '/about', '/wards', '/wards/E05010264', '/wards?set=corby-2015', '/api/docs']) {
      const en = await app.request(`${path}${path.includes('?') ? '&' : '?'}lang=en`, { headers: { host } });
      expect(en.status, path).toBe(200);
      const enHtml = await en.text();
      expect(enHtml).toContain('<html lang="en">');
      expect(enHtml).toContain('hreflang="pl"');
      const pl = await app.request(`${path}${path.includes('?') ? '&' : '?'}lang=pl`, { headers: { host } });
      const plHtml = await pl.text();
      expect(pl.status, path).toBe(200);
      expect(plHtml).toContain('<html lang="pl">');
      expect(plHtml).toContain('Przejdź do treści głównej');
    }
  });

  it('remembers the language chosen and follows Accept-Language otherwise', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const chosen = await app.request('/?lang=pl', { headers: { host } });
    expect(chosen.headers.get('set-cookie')).toContain('lang=pl');
    const byCookie = await app.request('/', { headers: { host, cookie: 'lang=pl' } });
    expect(await byCookie.text()).toContain('<html lang="pl">');
    const byHeader = await app.request('/', { headers: { host, 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.5' } });
    expect(byHeader.headers.get('content-language')).toBe('pl');
  });

  it('shows a ward page with its facts and 404s for a ward that does not exist', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const res = await app.request('/wards/E05010267', { headers: { host } });
    const html = await res.text();
    expect(html).toContain('Kingswood &amp; Hazel Leys');
    expect(html).toContain('7,991'); // population, mid-2020
    expect(html).toContain('579'); // children under 5
    const missing = await app.request('/wards/E99999999', { headers: { host } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Page not found');
  });

  it('returns a 404 page for unknown paths and JSON 404 for unknown API paths', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const page = await app.request('/no-such-page', { headers: { host } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await app.request('/api/v1/nothing', { headers: { host } });
    expect(api.status).toBe(404);
    expect((await api.json()) as unknown).toMatchObject({ error: { code: 'not_found' } });
  });

  it('reports health and readiness without a tenant', async () => {
    const { app } = await testApp({ defaultTenantEnabled: false });
    expect((await app.request('/healthz', { headers: { host: 'x.example' } })).status).toBe(200);
    const ready = await app.request('/readyz', { headers: { host: 'x.example' } });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('refuses a form post without a valid CSRF token and lets a valid one through', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const { cookie, token } = csrfPair();
    const form = (t: string) => new URLSearchParams({ _csrf: t, name: 'x' }).toString();
    const headers = { host, cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const forged = await app.request('/about', { method: 'POST', headers, body: form('forged') });
    expect(forged.status).toBe(403);
    const missing = await app.request('/about', { method: 'POST', headers, body: 'name=x' });
    expect(missing.status).toBe(403);
    const crossSite = await app.request('/about', { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body: form(token) });
    expect(crossSite.status).toBe(403);
    // A valid token passes CSRF; there is no POST /about, so the router answers 404.
    const ok = await app.request('/about', { method: 'POST', headers, body: form(token) });
    expect(ok.status).toBe(404);
    // Pages served with Referrer-Policy: no-referrer (token links) make browsers send "Origin: null"
    // on their own forms: allowed only when the browser says the request is same-origin, and still
    // only with a valid token. A sandboxed frame elsewhere sends null with Sec-Fetch-Site: cross-site.
    const nullSameOrigin = await app.request('/about', { method: 'POST', headers: { ...headers, origin: 'null', 'sec-fetch-site': 'same-origin' }, body: form(token) });
    expect(nullSameOrigin.status).toBe(404);
    const nullSameOriginForged = await app.request('/about', { method: 'POST', headers: { ...headers, origin: 'null', 'sec-fetch-site': 'same-origin' }, body: form('forged') });
    expect(nullSameOriginForged.status).toBe(403);
    for (const site of ['cross-site', 'same-site', 'none', undefined]) {
      const res = await app.request('/about', { method: 'POST', headers: { ...headers, origin: 'null', ...(site ? { 'sec-fetch-site': site } : {}) }, body: form(token) });
      expect(res.status, `Origin: null with Sec-Fetch-Site ${site ?? '(absent)'}`).toBe(403);
    }
  });

  it('answers malformed JSON with 400 invalid_json and oversized bodies with 413', async () => {
    const { app, deps } = await testApp({ bodyLimit: 1000 });
    const { host } = await buildTenant(deps.database.db);
    const bad = await app.request('/api/v1/tenant', { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: '{"a": ' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_json');
    expect(body.error.message).toMatch(/not valid JSON/);
    const big = await app.request('/api/v1/tenant', {
      method: 'POST',
      headers: { host, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(5000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('validates API input with a message naming the field', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const res = await app.request('/api/v1/wards?set=NOT%20A%20KEY', { headers: { host } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: Array<{ field: string }> } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields[0]?.field).toBe('set');
  });

  it('publishes an OpenAPI document listing the v1 routes', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const doc = (await (await app.request('/api/openapi.json', { headers: { host } })).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/tenant', '/api/v1/wards', '/api/v1/wards/{code}', '/api/v1/ward-sets/{key}/geojson']));
  });

  it('serves ward boundaries as GeoJSON for the map', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const res = await app.request('/api/v1/ward-sets/corby-2015/geojson', { headers: { host } });
    const fc = (await res.json()) as { features: Array<{ properties: { code: string; url: string }; geometry: { type: string } }> };
    expect(fc.features).toHaveLength(12);
    expect(fc.features.map((f) => f.properties.code)).toContain('E05010275');
    expect(fc.features[0]?.properties.url).toMatch(/^\/wards\/E0501/);
  });

  it('keeps tenants apart: a ward set of one tenant is not visible on another host', async () => {
    const { app, deps } = await testApp();
    const a = await buildTenant(deps.database.db);
    const b = await buildTenant(deps.database.db, { wards: false });
    expect((await app.request('/api/v1/wards', { headers: { host: a.host } })).status).toBe(200);
    const other = await app.request('/api/v1/wards?set=corby-2015', { headers: { host: b.host } });
    expect(other.status).toBe(404);
  });
});
