import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Running } from '../src/server/start.ts';
import { axe, launch, startApp } from './browser.ts';
import { openBody } from '../src/modules/email/sealing.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';

let app: Running;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('passkeys (Chromium virtual authenticator)', () => {
  it('a member adds a passkey, signs out, and signs back in with it without an email', async () => {
    // WebAuthn needs a domain, not an IP address: use localhost.
    const base = app.url.replace('127.0.0.1', 'localhost');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto(`${base}/join?lang=en`);
    await page.getByLabel('Your name').fill('Kim Passkey');
    await page.getByLabel('Parent', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Email address').fill('kim@example.org');
    await page.getByLabel('Your ward', { exact: true }).selectOption('E05016222');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('I have read the privacy notice and want to join').check();
    await page.getByRole('button', { name: 'Join the mutual' }).click();
    // The email is queued when the join has been answered, not when the button was pressed.
    await page.waitForURL(/\/join\/done/);
    const tenantId = (await findTenantBySlug(app.database.db, 'corby'))!.id;
    const mails = await app.database.query<{ text_body: string }>("SELECT text_body FROM email_outbox WHERE tenant_id = $1 AND to_address = 'kim@example.org'", [tenantId]);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    const link = new URL(/https?:\/\/\S+/.exec(openBody(mail!.text_body))![0]);
    await page.goto(`${base}${link.pathname}${link.search}`);
    await page.getByRole('button', { name: 'Confirm my membership' }).click();
    await page.waitForURL(/\/me$/);

    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(/\/me\?saved=1/);
    await expect(page.getByText('Passkey 1, added').count()).resolves.toBe(1);
    expect(await axe(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${base}/sign-in?lang=en`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(/\/me$/);
    expect(await page.locator('input#f-name').inputValue()).toBe('Kim Passkey');
    const emails = await app.database.query<{ n: number }>("SELECT count(*)::int AS n FROM email_outbox WHERE tenant_id = $1 AND to_address = 'kim@example.org'", [tenantId]);
    expect(emails[0]?.n).toBe(1); // only the confirmation: no sign-in email was needed
    await context.close();
  });
});
