import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Running } from '../src/server/start.ts';
import { axe, launch, screenshot, startApp } from './browser.ts';

let app: Running;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'about', path: '/about' },
  { name: 'wards', path: '/wards', map: 12 },
  { name: 'wards-2025', path: '/wards?set=nn-2025', map: 7 },
  { name: 'ward', path: '/wards/E05010267', map: 12 },
  { name: 'ward-2025', path: '/wards/E05016206?set=nn-2025', map: 7 },
  { name: 'api-docs', path: '/api/docs' },
  { name: 'not-found', path: '/no-such-page', status: 404 },
];

describe('public site in Chromium', () => {
  for (const lang of ['en', 'pl'] as const) {
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
        for (const width of [390, 1280]) {
          await page.setViewportSize({ width, height: 844 });
          await screenshot(page, `${p.name}-${lang}-${width}`);
        }
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
    await page.goto(`${app.url}/wards?lang=en`);
    await page.waitForSelector('#wards-map[data-ready="12"]');
    await page.locator('#wards-map path[aria-label="Central"]').dispatchEvent('click');
    await page.waitForURL(/\/wards\/E05010265/);
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
    await page.waitForURL(/\/wards\/E0501/);
    expect(await page.locator('h1').textContent()).toMatch(/ ward$/);
    await page.close();
  });
});
