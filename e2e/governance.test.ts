import { LOCALES } from '../src/ui/i18n/locales.ts';
// Issue 12 (gov-core) in Chromium: a secretary at 390 px plans an AGM, is refused a date with too
// little notice (the earliest date is given), calls it, and records attendance with the keyboard
// alone while the quorum updates; axe finds nothing on the governance pages, in English and Polish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { instantToLondon } from '../src/lib/dates.ts';
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



describe('governance: meetings, notice and quorum', () => {
  it('a secretary calls an AGM (too early refused first) and records attendance with the keyboard; the quorum updates', async () => {
    const secretary = await buildMember(app.database.db, tenantId, { roles: ['board'], name: 'Shona Secretary' });
    const page = await phoneAs(browser, app.url, secretary.cookie);
    await page.goto(`${app.url}/governance/meetings?lang=en`);
    await checkPage(page, 'gov-meetings-en-390');
    const soon = new Date(Date.now() + 5 * 86_400_000);
    await page.getByLabel('Kind').selectOption('agm');
    await page.getByLabel('Title (English)').fill('Annual general meeting 2027');
    await page.getByLabel('Starts').fill(instantToLondon(soon));
    await page.getByLabel('Ends').fill(instantToLondon(new Date(soon.getTime() + 2 * 3_600_000)));
    await page.getByLabel('Place').fill('Corby Cube, George Street');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await page.getByLabel('Item (English)').last().fill('Apologies');
    await page.getByRole('button', { name: 'Add an item' }).click();
    await page.getByRole('button', { name: 'Call the meeting and send the notice' }).click();
    const refusal = await page.locator('#problem').textContent();
    expect(refusal).toContain('The rules need 21 clear days');
    expect(refusal).toContain('the earliest this meeting can be held is');
    await checkPage(page, 'gov-meeting-refused-en-390');

    const later = new Date(Date.now() + 30 * 86_400_000);
    const reschedule = page.locator('form[action$="/edit"]');
    await reschedule.getByLabel('Starts').fill(instantToLondon(later));
    await reschedule.getByLabel('Ends').fill(instantToLondon(new Date(later.getTime() + 2 * 3_600_000)));
    await reschedule.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Call the meeting and send the notice' }).click();
    await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('The meeting is called');
    const before = (await page.locator('#quorum').textContent()) ?? '';
    expect(before).toMatch(/Not quorate: 0 present of \d+ needed\./);
    await checkPage(page, 'gov-meeting-called-en-390');

    // Keyboard only: focus the member list, pick the first member, Tab to the mode (in person), Tab to the button, Enter.
    await page.getByLabel('Member', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=attendance/);
    await expect(page.locator('#quorum').textContent()).resolves.toMatch(/quorate: 1 present of \d+ needed\./i);
    await checkPage(page, 'gov-meeting-attendance-en-390');
    await page.goto(`${page.url().split('?')[0]}?lang=pl`);
    await checkPage(page, 'gov-meeting-pl-390');
  }, 180_000);

  it('the public governance pages and the member pages are axe clean at 390 px', async () => {
    const page = await phoneAs(browser, app.url);
    for (const path of ['/governance', '/governance/documents', '/governance/documents/rules', '/governance/board', '/governance/meetings']) {
      for (const lang of LOCALES) {
        await page.goto(`${app.url}${path}?lang=${lang}`);
        await checkPage(page, `gov-public${path.replace(/\//g, '-')}-${lang}-390`);
      }
    }
    const admin = await buildMember(app.database.db, tenantId, { roles: ['admin'] });
    const staff = await phoneAs(browser, app.url, admin.cookie);
    for (const path of ['/governance/settings', '/governance/board/manage', '/me/interests', '/governance/documents/rules']) {
      await staff.goto(`${app.url}${path}?lang=en`);
      await checkPage(staff, `gov-staff${path.replace(/\//g, '-')}-en-390`);
    }
  }, 180_000);
});
