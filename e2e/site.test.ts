import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { axe, checkPhone, launch, screenshot, startApp } from './browser.ts';
import { LOCALES } from '../src/ui/i18n/locales.ts';

let app: Running;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

// The 2025 wards are current for Corby; the 2015–2021 set stays reachable for history.
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'about', path: '/about' },
  { name: 'privacy', path: '/privacy' },
  { name: 'wards', path: '/wards', map: 7 },
  { name: 'wards-2025', path: '/wards?set=nn-2025', map: 7 },
  { name: 'wards-2015', path: '/wards?set=corby-2015', map: 12 },
  { name: 'ward', path: '/wards/E05016220', map: 7 },
  { name: 'ward-2025', path: '/wards/E05016206?set=nn-2025', map: 7 },
  { name: 'ward-2015', path: '/wards/E05010267?set=corby-2015', map: 12 },
  { name: 'coverage', path: '/wards/coverage', map: 7 },
  { name: 'join', path: '/join' },
  { name: 'api-docs', path: '/api/docs' },
  { name: 'not-found', path: '/no-such-page', status: 404 },
];

/**
 * What a phone needs (WCAG 2.2 AA at 390 px): nothing scrolls sideways, every check box and radio
 * is at least 24 × 24 px, no table wider than the screen, axe finds nothing.
 */

describe('public site in Chromium', () => {
  for (const lang of LOCALES) {
    for (const p of PAGES) {
      it(`${p.name} (${lang}): renders, passes axe, screenshots at 390 and 1280 px`, async () => {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        const url = `${app.url}${p.path}${p.path.includes('?') ? '&' : '?'}lang=${lang}`;
        const res = await page.goto(url);
        expect(res?.status()).toBe(p.status ?? 200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        if (p.map) {
          await page.waitForSelector(`#wards-map[data-ready="${p.map}"]`);
          expect(await page.locator('#wards-map path.leaflet-interactive').count()).toBe(p.map);
        }
        expect(await axe(page)).toEqual([]);
        await page.setViewportSize({ width: 1280, height: 844 });
        await screenshot(page, `${p.name}-${lang}-1280`);
        await checkPhone(page, `${p.name}-${lang}`);
        // Nothing overflows sideways on a phone.
        await page.setViewportSize({ width: 360, height: 740 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  it('switches language from any page and keeps the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/wards?lang=en`);
    await page.getByRole('link', { name: 'Polski' }).click();
    await page.waitForURL(/lang=pl/);
    expect(new URL(page.url()).pathname).toBe('/wards');
    await expect(page.locator('h1').textContent()).resolves.toBe('Okręgi');
    // The choice sticks on the next page without ?lang.
    await page.goto(`${app.url}/about`);
    expect(await page.getAttribute('html', 'lang')).toBe('pl');
    await page.close();
  });

  it('opens a ward by clicking it on the map', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/wards?set=corby-2015&lang=en`);
    await page.waitForSelector('#wards-map[data-ready="12"]');
    await page.locator('#wards-map path[aria-label="Central"]').dispatchEvent('click');
    await page.waitForURL(/\/wards\/E05010265\?set=corby-2015/);
    expect(await page.locator('h1').textContent()).toBe('Central ward');
    await page.close();
  });

  it('works by keyboard alone: skip link, then a ward from the table', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/wards?lang=en`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Tab until the first ward link in the table has focus, then open it.
    for (let i = 0; i < 60; i += 1) {
      await page.keyboard.press('Tab');
      const text = await page.evaluate(() => (document.activeElement?.closest('table') ? document.activeElement.textContent : null));
      if (text) break;
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/wards\/E050162/);
    expect(await page.locator('h1').textContent()).toMatch(/ ward$/);
    await page.close();
  });
});

describe('on a phone (390 px)', () => {
  it('shows wide tables as labelled cards, and a big map whose wards are easy to tap', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${app.url}/wards?lang=en`);
    await page.waitForSelector('#wards-map[data-ready="7"]');
    const layout = await page.evaluate(() => {
      const row = document.querySelector('table.stack tbody tr');
      const cells = [...document.querySelectorAll('table.stack tbody td')];
      const map = document.getElementById('wards-map')?.getBoundingClientRect();
      const wards = [...document.querySelectorAll('#wards-map path.leaflet-interactive')].map((p) => {
        const b = p.getBoundingClientRect();
        return { name: p.getAttribute('aria-label'), w: b.width, h: b.height };
      });
      return {
        rowDisplay: row ? getComputedStyle(row).display : '',
        unlabelled: cells.filter((td) => !td.getAttribute('data-label')).length,
        label: cells[0] ? getComputedStyle(cells[0], '::before').content : '',
        mapHeight: map?.height ?? 0,
        smallWards: wards.filter((w) => w.w < 44 || w.h < 44),
      };
    });
    expect(layout.rowDisplay).toBe('flex');
    expect(layout.unlabelled).toBe(0);
    expect(layout.label).toBe('"Code"');
    expect(layout.mapHeight).toBeGreaterThanOrEqual(500);
    expect(layout.smallWards).toEqual([]);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'wards-phone-map-en-390');
    // A wide screen keeps the ordinary table.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('table.stack tbody tr')!).display)).toBe('table-row');
    await page.close();
  });

  for (const lang of LOCALES) {
    it(`join steps fit a phone and pass axe (${lang})`, async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(`${app.url}/join?lang=${lang}`);
      await checkPhone(page, `site-join-1-${lang}`);
      await page.locator('#f-name').fill('Ada Phone');
      await page.locator('#rel-parent').check();
      await page.locator('form button[type=submit]:not([name=back])').click();
      await page.waitForSelector('#wards-map[data-ready="7"]');
      await checkPhone(page, `site-join-2-${lang}`);
      await page.locator('#f-email').fill(`ada-${lang}@example.org`);
      await page.locator('#f-ward').selectOption('E05016221');
      await page.locator('form button[type=submit]:not([name=back])').click();
      await page.waitForSelector('#f-consent');
      await checkPhone(page, `site-join-3-${lang}`);
      await page.close();
    });

    it(`the coordinator's members list and coverage fit a phone (${lang})`, async () => {
      const tenant = await findTenantBySlug(app.database.db, 'corby');
      const { cookie } = await buildMember(app.database.db, tenant!.id, { roles: ['coordinator'], wardCode: 'E05016222', name: 'Cora Ordinator' });
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await context.addCookies([{ name: 'pm_session', value: cookie, url: app.url }]);
      const page = await context.newPage();
      await page.goto(`${app.url}/coordinator/members?lang=${lang}`);
      expect(await page.locator('table.stack tbody tr').count()).toBeGreaterThan(0);
      await checkPhone(page, `site-coordinator-members-${lang}`);
      await page.goto(`${app.url}/coordinator/coverage?lang=${lang}`);
      await page.waitForSelector('#wards-map[data-ready="7"]');
      await checkPhone(page, `site-coordinator-coverage-${lang}`);
      await context.close();
    });
  }
});

describe('the privacy notice', () => {
  it('is linked from the footer of every page and says how to complain to the ICO', async () => {
    const page = await browser.newPage();
    for (const path of ['/', '/wards', '/about', '/join', '/sign-in', '/api/docs', '/no-such-page']) {
      await page.goto(`${app.url}${path}?lang=en`);
      expect(await page.locator('footer a[href="/privacy"]').textContent(), path).toBe('Privacy notice');
    }
    await page.locator('footer a[href="/privacy"]').click();
    await page.waitForURL(/\/privacy$/);
    const text = await page.locator('main').textContent();
    expect(text).toContain('0303 123 1113');
    expect(await page.locator('main a[href^="https://ico.org.uk/"]').count()).toBe(1);
    expect(text).toContain('To be filled in by the mutual'); // Corby has not given its contact details yet
    await page.close();
  });
});

describe('map tooltips', () => {
  it('show a ward name from a loaded file as text, never as markup', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const evil = '<img src=x onerror="window.__pwned=1">';
    await page.route('**/api/v1/ward-sets/*/geojson', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { features: Array<{ properties: { name: string } }> };
      for (const f of body.features) f.properties.name = `${evil} ${f.properties.name}`;
      await route.fulfill({ response: res, json: body });
    });
    await page.goto(`${app.url}/wards?lang=en`);
    await page.waitForSelector('#wards-map[data-ready="7"]');
    const ward = page.locator('#wards-map path[aria-label$="Kingswood"]');
    const box = await ward.boundingBox();
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const tooltip = page.locator('.leaflet-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toBe(`${evil} Kingswood`);
    expect(await page.locator('.leaflet-tooltip img, #wards-map img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });
});
