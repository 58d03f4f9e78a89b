// Issue 9 items 4, 5 and 9 in Chromium: a volunteer logs hours on a phone (390 px), a coordinator
// approves them and opens the DBS pages; axe finds nothing, in English and Polish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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



describe('volunteering hours and DBS checks', () => {
  it('a volunteer logs hours on a phone; a coordinator approves them and records a DBS check', async () => {
    const vol = await buildMember(app.database.db, tenantId, { roles: ['volunteer'], wardCode: 'E05010264' });
    const coord = await buildMember(app.database.db, tenantId, { roles: ['coordinator'] });
    const page = await phoneAs(browser, app.url, vol.cookie);
    await page.goto(`${app.url}/volunteering/hours?lang=en`);
    await checkPage(page, 'hours-en-390');
    // Zero time: the error summary, nothing stored.
    await page.getByRole('button', { name: 'Send for approval' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Enter the time you spent');
    await checkPage(page, 'hours-errors-en-390');
    await page.getByLabel('Hours', { exact: true }).fill('2');
    await page.getByLabel('Minutes', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Send for approval' }).click();
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('sent to a coordinator');
    await expect(page.locator('table').textContent()).resolves.toContain('2 h 30 min');
    await page.goto(`${app.url}/volunteering/hours?lang=pl`);
    await checkPage(page, 'hours-pl-390');

    const staff = await phoneAs(browser, app.url, coord.cookie);
    await staff.goto(`${app.url}/coordinator/hours?lang=en`);
    await checkPage(staff, 'coordinator-hours-en-390');
    await staff.getByRole('button', { name: 'Approve', exact: true }).first().click();
    await expect(staff.locator('[role=status]').textContent()).resolves.toContain('approved');
    await staff.goto(`${app.url}/coordinator/hours/activities?lang=en`);
    await checkPage(staff, 'coordinator-activities-en-390');
    await staff.goto(`${app.url}/coordinator/dbs/new?lang=en`);
    await checkPage(staff, 'dbs-new-en-390');
    await staff.getByLabel('Volunteer').selectOption({ value: vol.member.id });
    await staff.getByLabel('Date of the check (certificate date)').fill('2026-01-10');
    await staff.getByLabel('Certificate number').fill('001234567890');
    await staff.getByRole('button', { name: 'Save' }).click();
    await expect(staff.locator('[role=status]').textContent()).resolves.toContain('The DBS check was saved.');
    await checkPage(staff, 'dbs-record-en-390');
    await staff.goto(`${app.url}/coordinator/dbs?lang=pl`);
    await checkPage(staff, 'dbs-list-pl-390');
  }, 120_000);
});
