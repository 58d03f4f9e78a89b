import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { laneTitles } from '../src/modules/blueprints/pages.tsx';
import { blueprintById, createBlueprint } from '../src/modules/blueprints/service.ts';
import { insertTestService } from '../src/modules/blueprints/test-services.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { translator } from '../src/ui/i18n/index.ts';
import { axe, checkPhone, launch, startApp } from './browser.ts';

let app: Running;
let browser: Browser;
let parentCookie = '';
let editorCookie = '';
let blueprintId = '';
let firstVisit = { stageId: '', laneId: '' };

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  const db = app.database.db;
  const tenant = (await findTenantBySlug(db, 'corby'))!;
  const { serviceId } = await insertTestService(db, tenant.id, { name: 'Stay and play' });
  const parent = await buildMember(db, tenant.id, { wardCode: 'E05016222', name: 'Paula Parent' });
  const editor = await buildMember(db, tenant.id, { roles: ['coordinator'], wardCode: 'E05016222', name: 'Cora Ordinator' });
  parentCookie = parent.cookie;
  editorCookie = editor.cookie;
  const actor: Actor = { memberId: editor.member.id, tenantId: tenant.id, roles: new Set(['coordinator']), sessionId: 'e2e' };
  blueprintId = await createBlueprint(db, actor, { serviceId, kind: 'current', title: 'Stay and play today', stages: ['Hearing about it', 'First visit', 'Regular sessions'], laneTitles: laneTitles(translator('en')) });
  const bp = (await blueprintById(db, tenant.id, blueprintId))!;
  firstVisit = { stageId: bp.content.stages[1]!.id, laneId: bp.content.lanes[1]!.id };
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** At 390 px: the page itself never scrolls sideways (the grid scrolls in its own region), axe finds nothing. */

/** Tab (bounded) until the focused element matches; keyboard only. */
async function tabTo(page: Page, matches: (el: { tag: string; id: string; label: string; text: string }) => boolean, limit = 250): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { tag: a?.tagName.toLowerCase() ?? '', id: a?.id ?? '', label: a?.getAttribute('aria-label') ?? '', text: (a?.textContent ?? '').trim() };
    });
    if (matches(el)) return;
  }
  throw new Error('never reached the element by keyboard');
}

describe('service blueprints in Chromium', () => {
  it('a parent at 390 px opens a blueprint and comments on a cell with the keyboard only', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addCookies([{ name: 'pm_session', value: parentCookie, url: app.url }]);
    const page = await context.newPage();
    expect((await page.goto(`${app.url}/blueprints`))?.status()).toBe(200);
    await checkPhone(page, 'list', { tables: false, shot: 'blueprints-list-390' });
    expect((await page.goto(`${app.url}/blueprints/${blueprintId}`))?.status()).toBe(200);
    await checkPhone(page, 'grid', { tables: false, shot: 'blueprints-grid-390' });
    await tabTo(page, (el) => el.tag === 'a' && el.label === 'Open the cell First visit, Family actions');
    await Promise.all([page.waitForURL(`**/cells/${firstVisit.stageId}/${firstVisit.laneId}`), page.keyboard.press('Enter')]);
    await checkPhone(page, 'cell', { tables: false, shot: 'blueprints-cell-390' });
    await tabTo(page, (el) => el.id === 'f-body');
    await page.keyboard.type('We waited outside in the rain and nearly went home.');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL('**commented=1**'), page.keyboard.press('Enter')]);
    expect(await page.textContent('.bp-comments')).toContain('We waited outside in the rain');
    await checkPhone(page, 'cell-commented', { tables: false, shot: 'blueprints-cell-commented-390' });
    await page.goto(`${app.url}/blueprints/${blueprintId}`);
    expect(await page.textContent('table.bp-grid')).toContain('Comments (1)');
    await context.close();
  });

  it('an editor reorders a stage without JavaScript; edit, versions and compare pass axe', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    await noJs.addCookies([{ name: 'pm_session', value: editorCookie, url: app.url }]);
    const plain = await noJs.newPage();
    expect((await plain.goto(`${app.url}/blueprints/${blueprintId}/edit`))?.status()).toBe(200);
    await Promise.all([plain.waitForURL(/\/edit\?saved=1$/), plain.click('button[aria-label="Move First visit right"]')]);
    const heads = await plain.$$eval('ol[data-bp-reorder="stage"] input[name="title"]', (els) => els.map((e) => (e as HTMLInputElement).value));
    expect(heads).toEqual(['Hearing about it', 'Regular sessions', 'First visit']);
    await plain.goto(`${app.url}/blueprints/${blueprintId}`);
    const columns = await plain.$$eval('table.bp-grid thead th', (els) => els.map((e) => e.textContent?.trim()));
    expect(columns.slice(1)).toEqual(['Hearing about it', 'Regular sessions', 'First visit']);
    await noJs.close();

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'pm_session', value: editorCookie, url: app.url }]);
    const page = await context.newPage();
    for (const [name, path] of [
      ['edit', `/blueprints/${blueprintId}/edit`],
      ['editor-grid', `/blueprints/${blueprintId}`],
      ['versions', `/blueprints/${blueprintId}/versions`],
      ['compare', `/blueprints/${blueprintId}/compare?a=1&b=2`],
    ] as const) {
      expect((await page.goto(`${app.url}${path}`))?.status(), name).toBe(200);
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await axe(page), name).toEqual([]);
      await checkPhone(page, name, { tables: false, shot: `blueprints-${name}-390` });
    }
    // With JavaScript: a cell edited in place posts the same form (with the CSRF token and the version).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/blueprints/${blueprintId}`);
    await page.click('button[aria-label="Edit this cell: Hearing about it, Family actions"]');
    await page.fill('table.bp-grid textarea', 'A friend tells us at the school gate');
    await page.click('table.bp-grid td button.button:not(.bp-inline-edit)');
    await page.waitForSelector('#bp-live.success');
    await page.reload();
    expect(await page.textContent('table.bp-grid')).toContain('A friend tells us at the school gate');
    await context.close();
  });
});
