import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Role } from '../src/modules/membership/schema.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { LOCALES } from '../src/ui/i18n/locales.ts';
import { axe, checkPhone, launch, startApp } from './browser.ts';

let app: Running;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A phone without JavaScript, signed in with these roles. */
async function phone(roles: Role[], javaScriptEnabled = false): Promise<BrowserContext> {
  const tenant = await findTenantBySlug(app.database.db, 'corby');
  const { cookie } = await buildMember(app.database.db, tenant!.id, { roles });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
  await context.addCookies([{ name: 'pm_session', value: cookie, url: app.url }]);
  return context;
}

/** WCAG 2.2 AA at 390 px: nothing sideways, choices ≥ 24 px, no table wider than the screen, axe clean. */

async function axeClean(context: BrowserContext, url: string, name: string): Promise<void> {
  const js = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
  const page = await js.newPage();
  await page.goto(url);
  expect(await axe(page), name).toEqual([]);
  await js.close();
}

describe('street champions in Chromium (no JavaScript, 390 px)', () => {
  for (const lang of LOCALES) {
    it(`files a report, warned about personal details first (${lang})`, async () => {
      const context = await phone(['street_champion']);
      const page = await context.newPage();
      await page.goto(`${app.url}/intelligence/report?lang=${lang}`);
      await checkPhone(page, `intel-question-${lang}`, { axe: false, resize: false });
      await axeClean(context, `${app.url}/intelligence/report?lang=${lang}`, `intel-question-${lang}`);
      await page.locator('#f-risk-no').check();
      await page.locator('form button[type=submit]').click();
      await page.waitForSelector('#intel-report-form');
      await checkPhone(page, `intel-report-${lang}`, { axe: false, resize: false });
      await axeClean(context, `${app.url}/intelligence/report?risk=no&lang=${lang}`, `intel-report-${lang}`);
      await page.locator('#f-cat-play-spaces').check();
      await page.locator('#f-wardCode').selectOption({ index: 1 });
      await page.locator('#f-observedText').fill('The swings on the green are broken; ring 07700 900123.');
      await page.locator('#f-familiesEstimate').fill('20');
      await page.locator('#f-source-seen').check();
      await page.locator('#intel-report-form button[type=submit]').click();
      await page.waitForSelector('#personal-details');
      await checkPhone(page, `intel-report-personal-${lang}`, { axe: false, resize: false });
      await page.locator('#f-confirm').check();
      await page.locator('#intel-report-form button[type=submit]').click();
      await page.waitForSelector('p.success');
      await context.close();
    });

    it(`raises a concern and is told what to do now (${lang})`, async () => {
      const context = await phone(['street_champion']);
      const page = await context.newPage();
      await page.goto(`${app.url}/intelligence/report?risk=yes&lang=${lang}`);
      await checkPhone(page, `intel-concern-${lang}`, { axe: false, resize: false });
      await axeClean(context, `${app.url}/intelligence/report?risk=yes&lang=${lang}`, `intel-concern-${lang}`);
      await page.locator('#f-observedText').fill('What I saw.');
      await page.locator('#intel-concern-form button[type=submit]').click();
      await page.waitForSelector('p.success');
      expect(await page.locator('main').textContent()).toContain('999');
      await checkPhone(page, `intel-concern-sent-${lang}`, { axe: false, resize: false });
      await context.close();
    });

    it(`the coordinator's inbox, a report and the phones page fit a phone (${lang})`, async () => {
      const context = await phone(['coordinator']);
      const page = await context.newPage();
      await page.goto(`${app.url}/coordinator/intelligence?lang=${lang}`);
      await checkPhone(page, `intel-inbox-${lang}`, { axe: false, resize: false });
      await axeClean(context, `${app.url}/coordinator/intelligence?lang=${lang}`, `intel-inbox-${lang}`);
      const first = page.locator('table.stack tbody tr th a').first();
      if ((await first.count()) > 0) {
        await first.click();
        await page.waitForSelector('h1');
        await checkPhone(page, `intel-report-page-${lang}`, { axe: false, resize: false });
        await axeClean(context, page.url(), `intel-report-page-${lang}`);
      }
      for (const path of ['/coordinator/intelligence/phones', '/coordinator/intelligence/settings', '/coordinator/intelligence/categories']) {
        await page.goto(`${app.url}${path}?lang=${lang}`);
        await checkPhone(page, `intel-${path.split('/').pop()}-${lang}`, { axe: false, resize: false });
        await axeClean(context, `${app.url}${path}?lang=${lang}`, `intel-${path.split('/').pop()}-${lang}`);
      }
      await context.close();
    });

    it(`the safeguarding lead's list and a concern fit a phone (${lang})`, async () => {
      const context = await phone(['safeguarding_lead']);
      const page = await context.newPage();
      await page.goto(`${app.url}/safeguarding/concerns?lang=${lang}`);
      await checkPhone(page, `intel-concerns-${lang}`, { axe: false, resize: false });
      await axeClean(context, `${app.url}/safeguarding/concerns?lang=${lang}`, `intel-concerns-${lang}`);
      await page.locator('table.stack tbody tr th a').first().click();
      await page.waitForSelector('h1');
      await checkPhone(page, `intel-concern-page-${lang}`, { axe: false, resize: false });
      await axeClean(context, page.url(), `intel-concern-page-${lang}`);
      await context.close();
    });
  }
});
