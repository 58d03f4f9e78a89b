// The offline-first report form in Chromium at 390 px (issue 10 item 4): a street champion opens the
// form, the network goes off, the form still opens (service worker) and files three reports and a
// concern with the keyboard ("3 reports waiting to send", a "Not yet sent" badge each, 999 and the
// front door at once for the concern); the network comes back and each arrives exactly once.
//
// Two runs of the same journey:
// - against the REAL server side (intel-field's routes): skipped, with the reason, while the app
//   answers 404 to GET /api/v1/intelligence/form-data (this branch before the merge);
// - against the STAND-IN (e2e/intelligence-offline-stand-in.tsx, mounted through createApp's extend):
//   only while the real routes are missing, so the browser side is proven before the merge.
import { serve, type ServerType } from '@hono/node-server';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findContaining, roundToAbout100m, type PolygonGeometry } from '../src/lib/geo.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import { createApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Deps } from '../src/server/context.ts';
import { prepare } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { checkPage, launch } from './browser.ts';
import { standInRoutes, type StandInRows } from './intelligence-offline-stand-in.tsx';

interface Started {
  url: string;
  deps: Deps;
  tenantId: string;
  stop(): Promise<void>;
}

async function start(rows?: StandInRows): Promise<Started> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-e2e-offline-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, EMAIL_WORKER: 'off' });
  const deps = await prepare(config);
  const app = createApp(deps, rows ? { extend: standInRoutes(rows) } : {});
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const tenantId = (await findTenantBySlug(deps.database.db, 'corby'))!.id;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deps,
    tenantId,
    stop: () => new Promise<void>((r) => server.close(() => r())).then(() => deps.database.close()),
  };
}

let browser: Browser;
let real: Started;
/** Why the real run is skipped (empty: it runs). */
let realSkip = '';

beforeAll(async () => {
  [real, browser] = await Promise.all([start(), launch()]);
  const { cookie } = await buildMember(real.deps.database.db, real.tenantId, { roles: ['street_champion'] });
  const res = await fetch(`${real.url}/api/v1/intelligence/form-data`, { headers: { cookie: `pm_session=${cookie}` } });
  if (res.status === 404) realSkip = 'GET /api/v1/intelligence/form-data answers 404: the server side (intel-field) is not merged yet';
});
afterAll(async () => {
  await browser?.close();
  await real?.stop();
});

async function championPage(app: Started, extra: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; memberId: string }> {
  const { member, cookie } = await buildMember(app.deps.database.db, app.tenantId, { roles: ['street_champion'] });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'allow', ...extra });
  await context.addCookies([{ name: 'pm_session', value: cookie, url: app.url }]);
  return { context, page: await context.newPage(), memberId: member.id };
}


/** One report, by keyboard: focus moves to each control, and keys do the rest. */
async function fileReport(page: Page, text: string, families: string) {
  await page.locator('#o-safeguarding-yes').focus();
  await page.keyboard.press('ArrowDown'); // → "No"
  expect(await page.locator('#o-safeguarding-no').isChecked()).toBe(true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // Continue
  await page.waitForSelector('#report-form');
  await page.locator('#o-category').focus();
  await page.keyboard.press('ArrowDown');
  await page.locator('#o-ward').focus();
  await page.keyboard.press('ArrowDown');
  await page.locator('#o-observedText').focus();
  await page.keyboard.type(text);
  await page.locator('#o-families').focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(families);
  await page.locator('#o-since').focus();
  await page.keyboard.press('ArrowDown');
  await page.locator('#o-source-seen').focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Send', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#safeguarding-question');
}

async function journey(app: Started, arrived: (memberId: string) => Promise<{ reports: number[]; concerns: number[] }>, name: string) {
  const { context, page, memberId } = await championPage(app);
  try {
    await page.goto(`${app.url}/intelligence/report?lang=en`);
    await page.waitForSelector('html[data-offline-app="ready"]');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // Once more online, now under the worker's control (it claimed the page) with its caches filled.
    await page.reload();
    await page.waitForSelector('html[data-offline-app="ready"]');
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await page.waitForFunction(() => document.querySelectorAll('#o-safeguarding-no').length === 1);

    await context.setOffline(true);
    // The form opens offline: the page shell, its CSS and JS and the form data come from the worker.
    await page.reload();
    await page.waitForSelector('html[data-offline-app="ready"]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Report what you see');
    await checkPage(page, `${name}-offline-open-en-390`);

    // Bad input is caught offline too: nothing chosen → the error summary, linked to the fields.
    await page.locator('#o-safeguarding-yes').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Send', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Choose what it is about.');
    await checkPage(page, `${name}-offline-errors-en-390`);
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');

    const texts = ['Damp and mould in the flats by the park, several families.', 'Nowhere safe to play on the estate since the fence came down.', 'Parents say the food bank runs out by Wednesday.'];
    for (const [i, text] of texts.entries()) await fileReport(page, text, String(i + 2));
    await page.waitForFunction(() => document.querySelector('#queue-count')?.textContent === '3 reports waiting to send');
    await expect(page.locator('#list-waiting + ul li .tag', { hasText: 'Not yet sent' }).count()).resolves.toBe(3);
    await checkPage(page, `${name}-offline-3-waiting-en-390`);

    // A concern: queued like a report, and what to do now is shown at once, offline.
    await page.locator('#o-safeguarding-yes').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#concern-form');
    await page.locator('#o-concernText').focus();
    await page.keyboard.type('A small child was alone outside late at night.');
    await page.getByRole('button', { name: 'Send to the safeguarding lead' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#form-heading')?.textContent === 'What to do now');
    await expect(page.locator('main').textContent()).resolves.toContain('call 999 now');
    await checkPage(page, `${name}-offline-concern-en-390`);

    expect(await arrived(memberId)).toEqual({ reports: [], concerns: [] });
    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector('#queue-count')?.textContent === 'Nothing is waiting to send.', undefined, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('main')?.textContent?.includes('Your concern has reached the safeguarding lead.'));
    // Each arrived exactly once (one stored row per client id, one client id per text).
    expect(await arrived(memberId)).toEqual({ reports: [1, 1, 1], concerns: [1] });
    await checkPage(page, `${name}-online-sent-en-390`);
  } finally {
    await context.close();
  }
}

describe('the offline report form on a phone', () => {
  it('against the real server: opens offline, files three reports and a concern, each arrives once', async (ctx) => {
    if (realSkip) ctx.skip(realSkip);
    await journey(
      real,
      async (memberId) => {
        const reports = await real.deps.database.query<{ n: string }>(
          'SELECT count(*) AS n FROM intel_reports WHERE tenant_id = $1 AND reporter_id = $2 GROUP BY observed_text ORDER BY observed_text',
          [real.tenantId, memberId],
        );
        const concerns = await real.deps.database.query<{ n: string }>('SELECT count(*) AS n FROM safeguarding_concerns WHERE tenant_id = $1 AND reporter_id = $2 GROUP BY observed_text', [real.tenantId, memberId]);
        return { reports: reports.map((r) => Number(r.n)), concerns: concerns.map((r) => Number(r.n)) };
      },
      'offline-real',
    );
  });

  it('"Use my location" picks the ward and keeps only a point rounded to about 100 m; several drafts are kept, one edited and sent', async () => {
    const rows: StandInRows = { reports: new Map(), concerns: new Map(), syncs: [] };
    const app = realSkip ? await start(rows) : real;
    // A spot in Corby; the expected ward is computed from the same boundaries the phone caches.
    const position = { longitude: -0.70123, latitude: 52.49187 };
    const wards = (await (await fetch(`${app.url}/api/v1/wards`)).json()) as { wardSet: { key: string } };
    const geo = (await (await fetch(`${app.url}/api/v1/ward-sets/${wards.wardSet.key}/geojson`)).json()) as { features: Array<{ properties: { code: string }; geometry: PolygonGeometry }> };
    const rounded = roundToAbout100m(position.longitude, position.latitude);
    const expected = findContaining(geo.features.map((f) => ({ code: f.properties.code, geometry: f.geometry })), rounded.lon, rounded.lat)?.code;
    expect(expected).toBeTruthy();
    const { context, page } = await championPage(app, { geolocation: position, permissions: ['geolocation'] });
    try {
      await page.goto(`${app.url}/intelligence/report?lang=en`);
      await page.waitForSelector('html[data-offline-app="ready"]');
      await page.locator('#o-safeguarding-no').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#report-form');
      await page.getByRole('button', { name: 'Use my location' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /Your position is in/.test(document.querySelector('#o-locate-status')?.textContent ?? ''));
      expect(await page.locator('#o-ward').inputValue()).toBe(expected);
      await checkPage(page, 'offline-location-en-390');
      await page.locator('#o-observedText').focus();
      await page.keyboard.type('Cars race past the school gate at pick-up time.');
      await page.getByRole('button', { name: 'Save as draft' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#list-drafts');
      // What the phone stored: the ward and the rounded point, never the exact position.
      const stored = await page.evaluate(
        () =>
          new Promise<unknown[]>((resolve, reject) => {
            const open = indexedDB.open('pm-offline');
            open.onsuccess = () => {
              const req = open.result.transaction('queue').objectStore('queue').getAll();
              req.onsuccess = () => resolve(req.result as unknown[]);
              req.onerror = () => reject(req.error);
            };
          }),
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ state: 'draft', body: { wardCode: expected, point: rounded } });
      expect(JSON.stringify(stored)).not.toContain(String(position.longitude));

      // Several drafts are kept; one is edited and sent, the other stays a draft, not yet sent.
      await page.locator('#o-safeguarding-no').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#report-form');
      await page.locator('#o-observedText').focus();
      await page.keyboard.type('The bus shelter on the estate has been gone for months.');
      await page.getByRole('button', { name: 'Save as draft' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('#list-drafts + ul li').length === 2);
      const first = (stored[0] as { clientId: string }).clientId;
      await page.locator(`li[data-client-id="${first}"] button`, { hasText: 'Edit' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#form-heading')?.textContent === 'Editing a saved report');
      expect(await page.locator('#o-ward').inputValue()).toBe(expected);
      await page.locator('#o-category').focus();
      await page.keyboard.press('ArrowDown');
      await page.locator('#o-source-residents').focus();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Send', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        (id) => !document.querySelector(`li[data-client-id="${id}"]`) && document.querySelectorAll('#list-drafts + ul li').length === 1 && !document.querySelector('#list-waiting'),
        first,
      );
      await expect(page.locator('#list-drafts + ul li .tag', { hasText: 'Not yet sent' }).count()).resolves.toBe(1);
      if (app !== real) {
        expect([...rows.reports.keys()]).toEqual([first]);
        expect(rows.reports.get(first)?.body).toMatchObject({ wardCode: expected, point: rounded, source: 'residents' });
      } else {
        const sent = await real.deps.database.query<{ point_lon: number; point_lat: number }>('SELECT point_lon, point_lat FROM intel_reports WHERE tenant_id = $1 AND client_id = $2', [real.tenantId, first]);
        expect(sent).toHaveLength(1);
        expect([Number(sent[0]?.point_lon.toFixed(4)), Number(sent[0]?.point_lat.toFixed(4))]).toEqual([rounded.lon, rounded.lat]);
      }
    } finally {
      await context.close();
      if (app !== real) await app.stop();
    }
  });

  it('a report the server refuses for personal details stays on the phone, marked, until the champion confirms it', async () => {
    const rows: StandInRows = { reports: new Map(), concerns: new Map(), syncs: [] };
    const app = realSkip ? await start(rows) : real;
    const { context, page, memberId } = await championPage(app);
    try {
      await page.goto(`${app.url}/intelligence/report?lang=en`);
      await page.waitForSelector('html[data-offline-app="ready"]');
      await page.waitForFunction(() => document.querySelectorAll('#o-safeguarding-no').length === 1);
      await fileReport(page, 'Landlord says call him on 07700 900123 about the damp.', '1');
      await page.waitForSelector('#list-attention');
      await expect(page.locator('#list-attention + ul li').textContent()).resolves.toContain('may contain names, addresses or phone numbers');
      await expect(page.locator('#list-attention + ul li .tag', { hasText: 'Not yet sent' }).count()).resolves.toBe(1);
      await checkPage(page, 'offline-personal-details-en-390');
      await page.getByRole('button', { name: 'Send anyway, I have checked' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#queue-count')?.textContent === 'Nothing is waiting to send.' && !document.querySelector('#list-attention'));
      if (app === real) {
        const stored = await real.deps.database.query<{ n: string }>('SELECT count(*) AS n FROM intel_reports WHERE tenant_id = $1 AND reporter_id = $2', [real.tenantId, memberId]);
        expect(Number(stored[0]?.n)).toBe(1);
      } else expect([...rows.reports.values()].map((r) => [r.inserts, r.body.confirmNoPersonalDetails])).toEqual([[1, true]]);
    } finally {
      await context.close();
      if (app !== real) await app.stop();
    }
  });
});
