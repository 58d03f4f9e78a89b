// Issue 11 (resource audit) in Chromium at 390 px: a coordinator downloads and imports the demo
// spreadsheet (dry run → apply), finds a service, adds a cost line with the keyboard alone, and a
// partner hashes a file in the browser with the same keys as the CLI; axe finds nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { familyKey } from '../src/modules/resources/family-keys.ts';
import { addProviderStaff, saveProvider, viewFamilyKeySecret } from '../src/modules/resources/service.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { checkPage, launch, phoneAs, startApp } from './browser.ts';

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



describe('resource audit', () => {
  it('a coordinator imports the demo spreadsheet on a phone: check first, then import', async () => {
    const coord = await buildMember(app.database.db, tenantId, { roles: ['coordinator'] });
    const page = await phoneAs(browser, app.url, coord.cookie, { locale: 'en-GB', acceptDownloads: true });
    await page.goto(`${app.url}/resources/import?lang=en`);
    await checkPage(page, 'resources-import-en-390');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the demo spreadsheet' }).click()]);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'resources-demo.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(file) });
    await page.getByRole('button', { name: 'Check the file (nothing is written)' }).click();
    await expect(page.locator('#import-report').textContent()).resolves.toContain('The file is right');
    await checkPage(page, 'resources-import-checked-en-390');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'resources-demo.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(file) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.locator('#import-report').textContent()).resolves.toContain('Imported');
    await checkPage(page, 'resources-import-applied-en-390');

    await page.goto(`${app.url}/resources?lang=en&category=stay-and-play`);
    await checkPage(page, 'resources-directory-en-390');
    await page.getByRole('link', { name: 'Stay and play (Tuesday)' }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain('Stay and play (Tuesday)');
    await checkPage(page, 'resources-service-en-390');

    // The cost-line form with the keyboard alone (the disclosure, the fields, the submit).
    await page.locator('summary', { hasText: 'Add a cost line' }).focus();
    await page.keyboard.press('Enter');
    // Chromium's date field takes typed digits in the order of the machine's locale, so the two
    // dates are set with fill (no mouse either); every other step is the keyboard's.
    await page.locator('#f-spend-periodStart').fill('2026-04-01');
    await page.locator('#f-spend-periodEnd').fill('2026-06-30');
    // (Tab inside a date field walks its day, month and year parts, so start from the next field.)
    await page.locator('#f-spend-kind').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type('1,234.56');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Lottery');
    await Promise.all([page.waitForURL(/done=1/), page.keyboard.press('Enter')]);
    await expect(page.locator('p.success').textContent()).resolves.toContain('Saved');
    await expect(page.locator('#spend ~ div table').first().textContent()).resolves.toContain('£1,234.56');
    await page.goto(page.url().replace(/\?.*$/, '?lang=pl'));
    await checkPage(page, 'resources-service-pl-390');
  }, 180_000);

  it('a partner hashes a file in the browser (never sent) with the same keys as the CLI', async () => {
    const db = app.database.db;
    const coord = await buildMember(db, tenantId, { roles: ['coordinator'] });
    const partner = await buildMember(db, tenantId, { roles: ['partner'] });
    const coordinator = { memberId: coord.member.id, tenantId, roles: new Set(['coordinator'] as const), sessionId: 'e2e' };
    const provider = await saveProvider(db, coordinator, { ref: `E2E-${Date.now()}`, name: 'E2E provider', kind: 'voluntary' });
    await addProviderStaff(db, coordinator, provider, partner.member.id);
    const secret = (await viewFamilyKeySecret(db, coordinator))!.secret;
    const page = await phoneAs(browser, app.url, partner.cookie, { locale: 'en-GB', acceptDownloads: true });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    await page.goto(`${app.url}/resources/family-keys?lang=en`);
    await expect(page.locator('#family-hasher').isVisible()).resolves.toBe(true);
    await checkPage(page, 'resources-family-keys-en-390');
    const before = requests.length;
    await page.getByLabel('Your CSV file').setInputFiles({ name: 'families.csv', mimeType: 'text/csv', buffer: Buffer.from('family_ref,date,provider_ref,service_ref,ward_code\nHS-0042,2026-04-08,P,S,E05010264\n') });
    await page.getByRole('button', { name: 'Make the hashed file' }).click();
    // The hash is made asynchronously (Web Crypto): wait for the result before reading it.
    await page.locator('#family-hasher-result td').first().waitFor();
    await expect(page.locator('#family-hasher-result').textContent()).resolves.toContain('1 rows hashed');
    const shown = await page.locator('#family-hasher-result td').first().textContent();
    expect(shown).toBe(await familyKey(secret, 'HS-0042'));
    expect(requests.slice(before).filter((r) => !r.startsWith('GET blob:'))).toEqual([]);
    await checkPage(page, 'resources-family-keys-hashed-en-390');
  }, 120_000);
});
