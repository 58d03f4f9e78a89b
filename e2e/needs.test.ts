import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { insertTestReports, needsTestCategories, needsTestWards } from '../src/modules/intelligence/needs.test-helpers.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { LOCALES } from '../src/ui/i18n/locales.ts';
import { axe, launch, screenshot, startApp } from './browser.ts';

let app: Running;
let browser: Browser;

// The app's clock is fixed at 26 November 2026 (browser.ts): the default period is Dec 2025 – Nov 2026.
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  const db = app.database.db;
  const tenant = await findTenantBySlug(db, 'corby');
  const cats = await needsTestCategories(db, tenant!.id, ['e2e-food', 'e2e-housing', 'e2e-play']);
  const wards = Object.values(await needsTestWards(app.database, tenant!.id));
  const keys = Object.values(cats);
  const reports = [];
  // Mostly large cells, and a few from 1 to 5 so that suppression shows.
  for (let i = 0; i < 40; i += 1) {
    reports.push({ ward: wards[i % wards.length]!, category: keys[i % keys.length]!, observedOn: `2026-${String(1 + (i % 10)).padStart(2, '0')}-12`, families: i % 6, n: i % 7 === 0 ? 2 : 6 + (i % 5) });
  }
  await insertTestReports(db, tenant!.id, reports);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('needs picture in Chromium', () => {
  for (const lang of LOCALES) {
    it(`/needs (${lang}): the map draws every ward, no count from 1 to 5 is shown, fits a phone, passes axe`, async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const res = await page.goto(`${app.url}/needs?lang=${lang}&from=2026-01&to=2026-11`);
      expect(res?.status()).toBe(200);
      await page.waitForSelector('#wards-map[data-ready]');
      const wards = await page.$eval('#wards-map', (el) => Number((el as HTMLElement).dataset.ready));
      expect(wards).toBeGreaterThan(0);
      const shown = await page.$$eval('td.num', (cells) => cells.map((c) => (c.textContent ?? '').trim()));
      expect(shown.length).toBeGreaterThan(20);
      const small = shown.filter((s) => /^\d+$/.test(s.replace(/[\s\u00a0,]/g, '')) && Number(s.replace(/[\s\u00a0,]/g, '')) >= 1 && Number(s.replace(/[\s\u00a0,]/g, '')) <= 5);
      expect(small).toEqual([]);
      expect(shown).toContain('c');
      const sizes = await page.evaluate(() => ({
        scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
        innerWidth: window.innerWidth,
        wideTables: [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().width > window.innerWidth).length,
        chart: document.querySelector('figure.chart svg[role="img"] title')?.textContent ?? '',
      }));
      expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.innerWidth);
      expect(sizes.wideTables).toBe(0);
      expect(sizes.chart.length).toBeGreaterThan(10);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, `needs-${lang}-390`);
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await axe(page)).toEqual([]);
      await screenshot(page, `needs-${lang}-1280`);
      await page.close();
    });
  }

  it('a ward page fits a phone and passes axe', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${app.url}/needs`);
    const href = await page.$eval('table.needs-table tbody a', (a) => (a as HTMLAnchorElement).getAttribute('href'));
    const res = await page.goto(`${app.url}${href}`);
    expect(res?.status()).toBe(200);
    expect(await page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) <= window.innerWidth)).toBe(true);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'needs-ward-390');
    await page.close();
  });
});
