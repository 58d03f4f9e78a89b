import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { open } from '../src/lib/secret-box.ts';
import { openBody } from '../src/modules/email/sealing.ts';
import { totpCode } from '../src/lib/totp.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { axe, checkPage, launch, startApp, TOTP_TIME } from './browser.ts';
import { LOCALES } from '../src/ui/i18n/locales.ts';

let app: Running;
let browser: Browser;
/** The tenant every journey here runs in (Corby, loaded at first start): queries are scoped to it. */
let tenantId: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  tenantId = (await findTenantBySlug(app.database.db, 'corby'))!.id;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function linkFor(email: string): Promise<string> {
  const rows = await app.database.query<{ text_body: string }>(
    'SELECT text_body FROM email_outbox WHERE tenant_id = $1 AND to_address = $2 ORDER BY created_at DESC, id DESC LIMIT 1',
    [tenantId, email],
  );
  const url = /https?:\/\/\S+/.exec(openBody(rows[0]?.text_body ?? ''))?.[0];
  if (!url) throw new Error(`no email with a link for ${email}`);
  const u = new URL(url);
  return `${app.url}${u.pathname}${u.search}`;
}

/** The fill a ward is drawn with on the map, as the browser computes it (rgb(…)). */
function fillOf(page: Page, ward: string): Promise<string> {
  return page.locator(`#wards-map path[aria-label="${ward}"]`).evaluate((p) => getComputedStyle(p).fill);
}

/** The colour of a legend swatch, as the browser computes it (rgb(…)). */
function swatchColour(page: Page, swatch: string): Promise<string> {
  return page.locator(`.legend .${swatch}`).evaluate((e) => getComputedStyle(e).backgroundColor);
}


describe('a new parent on a phone', () => {
  it('joins, confirms by email, sees their profile, downloads their data and erases themselves', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${app.url}/join?lang=en`);
    await checkPage(page, 'join-1-en-390');
    // Submitting the first step empty shows the errors, linked to the fields.
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Enter your name');
    await checkPage(page, 'join-1-errors-en-390');
    await page.getByLabel('Your name').fill('Maja Nowak');
    await page.getByLabel('Parent', { exact: true }).check();
    await page.getByLabel('Children under 5 in your family (optional)').fill('1');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('#wards-map[data-ready="7"]');
    await checkPage(page, 'join-2-en-390');
    await page.getByLabel('Email address').fill('maja@example.org');
    // Tapping a ward on the map chooses it in the list.
    // By keyboard: each ward on the map is focusable and Enter chooses it.
    await page.locator('#wards-map path[aria-label="Corby West"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#f-ward').inputValue()).toBe('E05016206');
    await page.getByRole('button', { name: 'Continue' }).click();
    await checkPage(page, 'join-3-en-390');
    await page.getByLabel('I have read the privacy notice and want to join').check();
    await page.getByRole('button', { name: 'Join the mutual' }).click();
    await page.waitForURL(/\/join\/done/);
    await checkPage(page, 'join-done-en-390');

    await page.goto(await linkFor('maja@example.org'));
    await checkPage(page, 'join-confirm-en-390');
    await page.getByRole('button', { name: 'Confirm my membership' }).click();
    await page.waitForURL(/\/me$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('My membership');
    expect(await page.locator('input#f-name').inputValue()).toBe('Maja Nowak');
    const [maja] = await app.database.query<{ id: string }>("SELECT id FROM members WHERE tenant_id = $1 AND email = 'maja@example.org'", [tenantId]);
    await checkPage(page, 'me-en-390');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('my-parent-mutual-data.zip');

    await page.getByRole('link', { name: 'Erase me' }).click();
    await checkPage(page, 'erase-en-390');
    await page.getByLabel('Yes, erase my details. I understand this cannot be undone').check();
    await page.getByRole('button', { name: 'Erase me' }).click();
    await page.waitForURL(/\/\?erased=1/);
    // This member's own row, by id (not whichever row happens to be erased).
    const rows = await app.database.query<{ status: string; name: string }>('SELECT status, name FROM members WHERE tenant_id = $1 AND id = $2', [tenantId, maja!.id]);
    expect(rows).toEqual([{ status: 'erased', name: '' }]);
    await context.close();
  });

  it('does the same journey in Polish with no accessibility problems', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${app.url}/join?lang=pl`);
    await checkPage(page, 'join-1-pl-390');
    await page.getByLabel('Imię i nazwisko').fill('Piotr Zieliński');
    await page.getByLabel('Dziadkiem lub babcią').check();
    await page.getByRole('button', { name: 'Dalej' }).click();
    await page.getByLabel('Adres e-mail').fill('piotr@example.org');
    await page.getByLabel('Twój okręg', { exact: true }).selectOption('E05016222');
    await page.getByRole('button', { name: 'Dalej' }).click();
    await checkPage(page, 'join-3-pl-390');
    await page.getByLabel('Przeczytałem(-am) informację o prywatności i chcę dołączyć').check();
    await page.getByRole('button', { name: 'Dołącz do organizacji' }).click();
    await page.waitForURL(/\/join\/done/);
    await page.goto(await linkFor('piotr@example.org'));
    await page.getByRole('button', { name: 'Potwierdzam członkostwo' }).click();
    await page.waitForURL(/\/me$/);
    await checkPage(page, 'me-pl-390');
    for (const path of ['/sign-in', '/privacy', '/wards/coverage']) {
      await page.goto(`${app.url}${path}?lang=pl`);
      await checkPage(page, `${path.replace(/\//g, '_')}-pl-390`);
    }
    await page.close();
  });
});

describe('a coordinator', () => {
  it('signs in with the email link and an authenticator code, appoints a ward representative and sees the map change', async () => {
    // A parent to appoint, and a coordinator (set up as an admin would).
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/join?lang=en`);
    await page.getByLabel('Your name').fill('Rita Rowlett');
    await page.getByLabel('Carer').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Email address').fill('rita@example.org');
    await page.getByLabel('Your ward', { exact: true }).selectOption('E05016206');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('I have read the privacy notice and want to join').check();
    await page.getByRole('button', { name: 'Join the mutual' }).click();
    // The email is queued once the join is answered: wait for that, not for the click.
    await page.waitForURL(/\/join\/done/);
    await page.goto(await linkFor('rita@example.org'));
    await page.getByRole('button', { name: 'Confirm my membership' }).click();
    await page.waitForURL(/\/me$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    const [rita] = await app.database.query<{ id: string }>("SELECT id FROM members WHERE tenant_id = $1 AND email = 'rita@example.org'", [tenantId]);
    await app.database.query("INSERT INTO member_roles (tenant_id, member_id, role, granted_by) VALUES ($1, $2, 'coordinator', 'system:e2e')", [tenantId, rita!.id]);

    await page.goto(`${app.url}/sign-in?lang=en`);
    await checkPage(page, 'sign-in-en-1280');
    await page.getByLabel('Email address').fill('rita@example.org');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    // Otherwise the newest email could still be the (used) confirmation link.
    await page.getByText('If that address belongs to a member').first().waitFor();
    await page.goto(await linkFor('rita@example.org'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/second-factor/);
    await checkPage(page, 'second-factor-en-1280');
    const [factor] = await app.database.query<{ secret_enc: string }>('SELECT secret_enc FROM totp_factors WHERE tenant_id = $1 AND member_id = $2', [tenantId, rita!.id]);
    await page.getByLabel('6-digit code').fill(totpCode(open(app.secret, 'totp-seed', factor!.secret_enc), TOTP_TIME));
    await page.getByRole('button', { name: 'Continue' }).click();
    // The first confirmed code shows the recovery codes once, then "saved" goes on to the profile.
    await page.waitForSelector('.recovery-codes li');
    await expect(page.locator('.recovery-codes li').count()).resolves.toBe(10);
    await checkPage(page, 'recovery-codes-en-1280');
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await page.waitForURL(/\/me$/);

    // Before the appointment, Rita's ward is coloured as having no representative.
    await page.goto(`${app.url}/coordinator/coverage?lang=en`);
    await page.waitForSelector('#wards-map[data-ready="7"]');
    const before = await fillOf(page, 'Corby West');
    expect(before).toBe(await swatchColour(page, 'swatch-none'));

    await page.goto(`${app.url}/me?lang=en`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your work', exact: true }).click();
    await page.getByRole('main').getByRole('link', { name: 'Members', exact: true }).click();
    await checkPage(page, 'coordinator-members-en-1280');
    await page.getByLabel('Name, email, phone or member number').fill('rita');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Rita Rowlett' }).click();
    await checkPage(page, 'coordinator-member-en-1280');
    await page.getByRole('button', { name: 'Appoint as ward representative' }).click();
    await page.waitForURL(/done=1/);

    await page.goto(`${app.url}/coordinator/coverage?lang=en`);
    await page.waitForSelector('#wards-map[data-ready="7"]');
    // The covered ward takes the legend's "has a representative" colour, an uncovered one the
    // legend's "none" colour; the two differ, and the covered one differs from the plain ward map's
    // fill, so an uncoloured map could not pass.
    const covered = await fillOf(page, 'Corby West');
    const uncovered = await fillOf(page, 'Lloyds & Corby Village');
    expect(covered).toBe(await swatchColour(page, 'swatch-some'));
    expect(uncovered).toBe(await swatchColour(page, 'swatch-none'));
    expect(covered).not.toBe(uncovered);
    expect(covered).not.toBe(before);
    await checkPage(page, 'coordinator-coverage-en-1280');
    await page.goto(`${app.url}/wards?lang=en`);
    await page.waitForSelector('#wards-map[data-ready="7"]');
    const base = await fillOf(page, 'Corby West');
    expect(base).toMatch(/^rgb/);
    expect(covered).not.toBe(base);
    expect(uncovered).not.toBe(base);

    // Every other page a coordinator reaches, in both languages, on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const lang of LOCALES) {
      for (const path of ['/coordinator/members', `/coordinator/members/${rita!.id}`, '/coordinator/members/import', '/coordinator/coverage', '/me', '/dev/mailbox', '/sign-in/link?token=expired-or-unknown-000000000', '/privacy', '/join/done']) {
        await page.goto(`${app.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(await axe(page), `${path} (${lang})`).toEqual([]);
      }
    }
    await page.close();
  });
});
