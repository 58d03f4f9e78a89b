import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import { startServer, type Running } from '../src/server/start.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SHOTS_DIR = path.resolve(import.meta.dirname, '../test-results/screenshots');

/**
 * The time the app checks second-factor codes against, and the tests make them for: fixed, so a
 * code can never go stale between making it and the browser sending it.
 */
export const TOTP_TIME = Date.UTC(2026, 10, 26, 9, 0, 0);

/** Start the real app on a fresh embedded store (Corby loaded) on a free port. */
export async function startApp(): Promise<Running> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pm-e2e-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
  return startServer(config, { clock: () => TOTP_TIME });
}

export async function launch(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in the page; CSP does not apply to evaluate(). */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } };
    const result = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: true });
}

/** axe finds nothing on the page, and a screenshot is kept under `name`. */
export async function checkPage(page: Page, name: string, opts: { maxWidth?: number } = {}): Promise<void> {
  expect(await axe(page), name).toEqual([]);
  // Usable at a phone's width: nothing makes the page itself scroll sideways.
  if (opts.maxWidth !== undefined) expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(opts.maxWidth);
  await screenshot(page, name);
}

/**
 * At 390 px: the page is no wider than the phone, no table is (unless `tables: false`, for a grid
 * that scrolls in its own box), check boxes and radios are at least 24 × 24 px, axe finds nothing
 * (unless `axe: false`), and a screenshot is kept as `<name>-390`.
 */
export async function checkPhone(page: Page, name: string, opts: { axe?: boolean; tables?: boolean; resize?: boolean; shot?: string } = {}): Promise<void> {
  if (opts.resize !== false) await page.setViewportSize({ width: 390, height: 844 });
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
    innerWidth: window.innerWidth,
    wideTables: [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().width > window.innerWidth).length,
    smallChoices: [...document.querySelectorAll<HTMLInputElement>('input[type=checkbox], input[type=radio]')]
      .map((i) => ({ id: i.id, box: i.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 24 || box.height < 24)
      .map(({ id, box }) => `${id} ${box.width}×${box.height}`),
  }));
  expect(sizes.scrollWidth, `${name}: page wider than the phone`).toBeLessThanOrEqual(sizes.innerWidth);
  if (opts.tables !== false) {
    expect(sizes.wideTables, `${name}: tables wider than the phone`).toBe(0);
    expect(sizes.smallChoices, `${name}: check boxes and radios under 24 × 24 px`).toEqual([]);
  }
  if (opts.axe !== false) expect(await axe(page), name).toEqual([]);
  await screenshot(page, opts.shot ?? `${name}-390`);
}

/** A new phone-sized (390 × 844) page, signed in with the session cookie when one is given. */
export async function phoneAs(browser: Browser, appUrl: string, cookie?: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
  if (cookie) await context.addCookies([{ name: 'pm_session', value: cookie, url: appUrl }]);
  return context.newPage();
}
