// Issue 11, item 4 in Chromium at 390 px: a coordinator opens the answers, builds two scenarios
// (the first with the keyboard alone), compares them, and downloads the audit report; axe finds
// nothing on each page.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import { answersFixture, threeWards } from '../src/modules/resources/answers.test-helpers.ts';
import { defaultPeriod } from '../src/modules/resources/answers-period.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { checkPage, launch, startApp } from './browser.ts';

let app: Running;
let browser: Browser;
let tenantId: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  tenantId = (await findTenantBySlug(app.database.db, 'corby'))!.id;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});


describe('resource audit answers, scenarios and report', () => {
  it('answers at 390 px, two scenarios built and compared, the report downloaded', async () => {
    const db = app.database.db;
    const suffix = Math.random().toString(36).slice(2, 8);
    const f = answersFixture(db, tenantId);
    const [w1, w2] = await threeWards(db, tenantId);
    const p = defaultPeriod(new Date());
    const cat = await f.category(`e2e-stay-${suffix}`, 'Stay and play');
    const cc = await f.provider(`e2e-cc-${suffix}`, 'Lodge Park CC');
    const hs = await f.provider(`e2e-hs-${suffix}`, 'Home-Start');
    const a = await f.service({ providerId: cc, categoryId: cat, name: 'Baby group', wards: [w1!.id, w2!.id], slots: [[1, '10:00', '11:30']] });
    const b = await f.service({ providerId: hs, categoryId: cat, name: 'Toddler time', tier: 'targeted', wards: [w2!.id], slots: [[1, '11:00', '12:00']] });
    const c = await f.service({ providerId: hs, categoryId: cat, name: 'Family intensive support', tier: 'specialist', wards: [w1!.id], slots: [[3, '09:00', '10:00']] });
    await f.spend(a, p.start, p.end, 10_000);
    await f.spend(b, p.start, p.end, 5000);
    await f.spend(c, p.start, p.end, 20_000);
    await f.reach(a, p.start, p.end, w1!.id, 30, 100);
    await f.reach(b, p.start, p.end, w2!.id, 20, 50);
    await f.reach(c, p.start, p.end, w1!.id, 4, 20);
    const coord = await buildMember(db, tenantId, { roles: ['coordinator'] });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    await context.addCookies([{ name: 'pm_session', value: coord.cookie, url: app.url }]);
    const page = await context.newPage();

    await page.goto(`${app.url}/resources/answers?lang=en`);
    await checkPage(page, 'res-answers-en-390');
    await page.getByRole('link', { name: 'Spend by ward' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Spend by ward');
    await expect(page.locator('figure.chart svg[role=img] title').count()).resolves.toBe(1);
    await checkPage(page, 'res-answers-ward-en-390');
    await page.goto(`${app.url}/resources/answers/duplication?lang=en`);
    await expect(page.locator('table').textContent()).resolves.toContain('Toddler time (Home-Start)');
    await checkPage(page, 'res-answers-duplication-en-390');
    await page.goto(`${app.url}/resources/answers/marginal?lang=pl`);
    await checkPage(page, 'res-answers-marginal-pl-390');

    // The first scenario with the keyboard alone.
    await page.goto(`${app.url}/resources/scenarios?lang=en`);
    await checkPage(page, 'res-scenarios-en-390');
    await page.getByLabel('Name', { exact: true }).focus();
    await page.keyboard.type(`Early help ${suffix}`);
    await page.keyboard.press('Tab'); // description
    await page.keyboard.press('Tab'); // period (the default: the last full year)
    await page.keyboard.press('Tab'); // change 1: service
    await page.keyboard.type('Family');
    await page.keyboard.press('Tab'); // percent
    await page.keyboard.type('-100');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/resources\/scenarios\/[0-9a-f-]{36}/);
    await expect(page.locator('table').textContent()).resolves.toContain('£15,000.00');
    await checkPage(page, 'res-scenario-en-390');

    await page.goto(`${app.url}/resources/scenarios?lang=en`);
    await page.getByLabel('Name', { exact: true }).fill(`Grow toddlers ${suffix}`);
    await page.locator('#f-service\\.0').selectOption({ value: b });
    await page.locator('#f-percent\\.0').fill('50');
    await page.getByRole('button', { name: 'Save new scenario' }).click();
    await page.waitForURL(/\/resources\/scenarios\/[0-9a-f-]{36}/);

    await page.goto(`${app.url}/resources/scenarios?lang=en`);
    await page.getByRole('checkbox', { name: `Early help ${suffix}` }).check();
    await page.getByRole('checkbox', { name: `Grow toddlers ${suffix}` }).check();
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Scenarios compared');
    const table = (await page.locator('table').textContent()) ?? '';
    expect(table).toContain(`Early help ${suffix}`);
    expect(table).toContain(`Grow toddlers ${suffix}`);
    expect(table).toContain('Baseline');
    await checkPage(page, 'res-scenarios-compare-en-390');

    await page.goto(`${app.url}/resources/answers?lang=en`);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'The audit report (PDF)' }).click();
    const file = await download;
    const bytes = await readFile((await file.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  }, 180_000);
});
