// Issue 13 item 8 in Chromium: a coordinator records a commission to the mutual on a phone (390 px)
// with the keyboard alone, adds a deliverable, moves it on, records an instalment; the public
// commissions page and the pot's ledger show it. axe finds nothing on each page, in English and Polish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../src/modules/membership/policy.ts';
import { createPot } from '../src/modules/commissioning/ledger.ts';
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



/**
 * Press Enter on a form's button and wait for the page the POST leads to (waiting for "load"
 * alone returns at once, on the page still showing).
 */
async function submitByKeyboard(page: Page, button: string): Promise<void> {
  await page.getByRole('button', { name: button }).focus();
  const navigated = page.waitForNavigation();
  await page.keyboard.press('Enter');
  await navigated;
  await page.waitForLoadState('load');
}

/** Focus a field by its label and type into it with the keyboard. */
async function typeInto(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).focus();
  await page.keyboard.type(text);
}

describe('commissions to the mutual', () => {
  it('a coordinator records a commission by keyboard on a phone; the public page and the pot ledger show it', async () => {
    const db = app.database.db;
    const coordM = await buildMember(db, tenantId, { roles: ['coordinator'] });
    const coord: Actor = { memberId: coordM.member.id, tenantId, roles: new Set(['member', 'coordinator']), sessionId: 'e2e' };
    const potId = await createPot(db, coord, { name: 'E2E commission income', financialYear: '2026-27', source: 'commission_income' });

    const page = await phoneAs(browser, app.url, coordM.cookie);
    await page.goto(`${app.url}/coordinator/budget/commissions?lang=en`);
    await checkPage(page, 'commissions-list-en-390');
    await page.goto(`${app.url}/coordinator/budget/commissions/new?lang=en`);
    await checkPage(page, 'commission-new-en-390');
    // Keyboard only: the kind by arrow keys, then the text fields, then Enter on the button.
    await page.getByLabel('Kind of organisation').focus();
    await page.keyboard.press('ArrowDown');
    await typeInto(page, 'Commissioner', 'North Northamptonshire Council');
    await typeInto(page, 'Contact name (optional)', 'Robin Commissioner');
    await typeInto(page, 'Title', 'Parent-led stay and play');
    await typeInto(page, 'The brief', 'Trained parent volunteers run a weekly stay-and-play session.');
    await typeInto(page, 'Price in pounds', '3600');
    await page.getByLabel('Starts on').fill('2026-09-01');
    await page.getByLabel('Ends on').fill('2026-08-01');
    await page.getByRole('button', { name: 'Record the commission' }).focus();
    await page.keyboard.press('Enter');
    // Ends before it starts: said in words, the answers kept.
    await page.waitForSelector('#error-summary');
    await expect(page.locator('#error-summary').textContent()).resolves.toContain('The end date is before the start date');
    await checkPage(page, 'commission-new-error-en-390');
    await page.getByLabel('Ends on').fill('2027-03-31');
    await page.getByRole('button', { name: 'Record the commission' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/coordinator\/budget\/commissions\/[0-9a-f-]{36}/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Parent-led stay and play');
    await expect(page.locator('main').textContent()).resolves.toContain('council');

    await typeInto(page, 'Deliverable', 'Twelve weekly sessions');
    await page.getByLabel('Due', { exact: true }).fill('2026-12-15');
    await submitByKeyboard(page, 'Add the deliverable');
    for (const to of ['quoted', 'agreed']) {
      await page.getByLabel('New status').selectOption(to);
      await submitByKeyboard(page, 'Save the status');
    }
    await typeInto(page, 'Amount in pounds', '1800');
    await submitByKeyboard(page, 'Record the payment');
    await expect(page.locator('main').textContent()).resolves.toContain('£1,800 of £3,600');
    await checkPage(page, 'commission-en-390');
    // Too much: refused in words.
    await typeInto(page, 'Amount in pounds', '2000');
    await page.getByRole('button', { name: 'Record the payment' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#error-summary');
    await expect(page.locator('#error-summary').textContent()).resolves.toContain('more than the agreed price');
    await page.goto(`${page.url().split('?')[0]}?lang=pl`);
    await checkPage(page, 'commission-pl-390');

    await page.goto(`${app.url}/coordinator/budget/pots/${potId}?lang=en`);
    await expect(page.locator('main').textContent()).resolves.toContain('Parent-led stay and play');
    await checkPage(page, 'commission-pot-en-390');

    const visitor = await phoneAs(browser, app.url);
    await visitor.goto(`${app.url}/budget?lang=en`);
    await visitor.getByRole('link', { name: 'Work the mutual is commissioned to do' }).click();
    await expect(visitor.locator('main').textContent()).resolves.toContain('Parent-led stay and play');
    await expect(visitor.locator('main').textContent()).resolves.not.toContain('Robin');
    await checkPage(visitor, 'commissions-public-en-390');
    await visitor.goto(`${app.url}/budget/commissions?lang=pl`);
    await checkPage(visitor, 'commissions-public-pl-390');
    // Nothing is wider than the phone.
    const wide = await visitor.evaluate(() => document.documentElement.scrollWidth);
    expect(wide).toBeLessThanOrEqual(390);
  }, 180_000);
});
