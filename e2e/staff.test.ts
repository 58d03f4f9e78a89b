import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { open } from '../src/lib/secret-box.ts';
import { totpCode } from '../src/lib/totp.ts';
import { createAdmin } from '../src/modules/membership/staff.ts';
import { findDefaultTenant } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { checkPage, launch, startApp, TOTP_TIME } from './browser.ts';

let app: Running;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});


/** Press a button with the keyboard only: focus it by tabbing, then Enter. */
async function pressByKeyboard(page: Page, name: string) {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
    if (focused === name) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`no button "${name}" reachable by Tab`);
}

describe('the first admin on a phone, keyboard only', () => {
  it('opens the CLI invitation, sets up TOTP from the QR page, saves recovery codes and invites a coordinator', async () => {
    const tenant = (await findDefaultTenant(app.database.db))!;
    const admin = await createAdmin(app.database.db, tenant, { email: 'first.admin@example.org', name: 'First Admin' }, 'system:cli', app.url);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();

    await page.goto(`${admin.url}&lang=en`);
    await checkPage(page, 'staff-invitation-en-390', { maxWidth: 390 });
    await pressByKeyboard(page, 'Accept and set up my sign-in');
    await page.waitForURL(/second-factor/);
    const qr = page.locator('.qr svg');
    await expect(qr.count()).resolves.toBe(1);
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(150);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await checkPage(page, 'second-factor-enrol-en-390', { maxWidth: 390 });

    const [factor] = await app.database.query<{ secret_enc: string }>('SELECT secret_enc FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [tenant.id, admin.member.id]);
    await page.getByLabel('6-digit code').focus();
    await page.keyboard.type(totpCode(open(app.secret, 'totp-seed', factor!.secret_enc), TOTP_TIME));
    await page.keyboard.press('Enter');
    await page.waitForSelector('.recovery-codes li');
    await expect(page.locator('.recovery-codes li').count()).resolves.toBe(10);
    await checkPage(page, 'recovery-codes-en-390', { maxWidth: 390 });
    await pressByKeyboard(page, 'I have saved my recovery codes');
    await page.waitForURL(/\/me$/);

    await page.goto(`${app.url}/coordinator/staff?lang=pl`);
    await checkPage(page, 'coordinator-staff-pl-390', { maxWidth: 390 });
    await page.goto(`${app.url}/coordinator/staff?lang=en`);
    await page.getByLabel('Email address').focus();
    await page.keyboard.type('new.coordinator@example.org');
    await page.getByLabel('Your name').focus();
    await page.keyboard.type('New Coordinator');
    await pressByKeyboard(page, 'Send the invitation');
    await page.waitForURL(/done=invited/);
    await expect(page.getByText('The invitation was emailed.').count()).resolves.toBe(1);
    await checkPage(page, 'coordinator-staff-en-390', { maxWidth: 390 });
    await context.close();
  });
});
