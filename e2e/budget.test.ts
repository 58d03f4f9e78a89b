// Issue 13 in Chromium: a member votes in a budget round on a phone (390 px) with the keyboard
// alone, sees the running total, gets a receipt; the counted round's public page links the .pb and
// the result; axe finds nothing on each page, in English and Polish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../src/modules/membership/policy.ts';
import { castBallot } from '../src/modules/commissioning/ballots.ts';
import { closeAndCount } from '../src/modules/commissioning/counting.ts';
import { createPot, recordIncome } from '../src/modules/commissioning/ledger.ts';
import { createProposal, decideEligibility } from '../src/modules/commissioning/proposals.ts';
import { advanceRound, createRound } from '../src/modules/commissioning/rounds.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { axe, launch, screenshot, startApp } from './browser.ts';

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

async function checkPage(page: Page, name: string) {
  expect(await axe(page), name).toEqual([]);
  await screenshot(page, name);
}

async function phoneAs(cookie?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  if (cookie) await context.addCookies([{ name: 'pm_session', value: cookie, url: app.url }]);
  return context.newPage();
}

describe('budget rounds', () => {
  it('a member votes by keyboard on a phone, gets a receipt, and finds the published ballots and result', async () => {
    const db = app.database.db;
    const coordM = await buildMember(db, tenantId, { roles: ['coordinator'] });
    const coord: Actor = { memberId: coordM.member.id, tenantId, roles: new Set(['member', 'coordinator']), sessionId: 'e2e' };
    const potId = await createPot(db, coord, { name: 'E2E pot', financialYear: '2026-27', source: 'devolved_budget' });
    await recordIncome(db, coord, { potId, amount: '20000', idempotencyKey: `e2e-income-${potId}` });
    const roundId = await createRound(db, coord, { title: 'E2E round', potId, budget: '10000', ballotType: 'approval', maxChoices: '2', rule: 'mes', completion: 'add1_utilitarian' });
    const titles = [['Dads group', '6000'], ['Toy library', '3000'], ['Park walks', '2000']] as const;
    const ids: string[] = [];
    for (const [title, cost] of titles) {
      const id = await createProposal(db, coord, { title, summary: 'Something for families with under-fives.', cost, roundId });
      await decideEligibility(db, coord, id, { decision: 'eligible', reason: 'It fits the aims.' });
      ids.push(id);
    }
    await advanceRound(db, coord, roundId, 'review');
    await advanceRound(db, coord, roundId, 'voting');

    const voter = await buildMember(db, tenantId);
    const page = await phoneAs(voter.cookie);
    await page.goto(`${app.url}/budget/rounds/${roundId}/vote?lang=en`);
    await checkPage(page, 'budget-ballot-en-390');
    await expect(page.locator('#running').textContent()).resolves.toContain('£0 of the £10,000 budget');
    // Keyboard only: tab to the first two choices, tick them with Space, watch the running total.
    await page.locator('#ballot input[type=checkbox]').first().focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(page.locator('#running').textContent()).resolves.toContain('£9,000 of the £10,000 budget');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(page.locator('#running').textContent()).resolves.toContain('too much');
    await page.keyboard.press('Space');
    // To the "Cast my vote" button and Enter.
    await page.getByRole('button', { name: 'Cast my vote' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#receipt-code');
    const code = (await page.locator('#receipt-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    await checkPage(page, 'budget-receipt-en-390');

    for (let i = 0; i < 4; i++) {
      const m = await buildMember(db, tenantId);
      await castBallot(db, { ...coord, memberId: m.member.id, roles: new Set(['member']) }, roundId, { choose: [ids[i % 3]!] });
    }
    await closeAndCount(db, coord, roundId, 'One Corby Parent Coalition');

    const visitor = await phoneAs();
    await visitor.goto(`${app.url}/budget?lang=en`);
    await checkPage(visitor, 'budget-en-390');
    await visitor.getByRole('link', { name: 'E2E round' }).click();
    await expect(visitor.locator(`a[href="/budget/rounds/${roundId}/ballots.pb"]`).count()).resolves.toBe(1);
    await expect(visitor.locator(`a[href="/budget/rounds/${roundId}/result.json"]`).count()).resolves.toBe(1);
    await checkPage(visitor, 'budget-round-en-390');
    await visitor.getByLabel('Receipt code').fill(code);
    await visitor.getByRole('button', { name: 'Find my ballot' }).click();
    await expect(visitor.locator('[role=status]').last().textContent()).resolves.toContain('Your ballot is in the published list');
    await checkPage(visitor, 'budget-receipt-found-en-390');
    await visitor.goto(`${app.url}/budget/rounds/${roundId}?lang=pl`);
    await checkPage(visitor, 'budget-round-pl-390');
    const coordPage = await phoneAs(coordM.cookie);
    await coordPage.goto(`${app.url}/coordinator/budget?lang=en`);
    await checkPage(coordPage, 'coordinator-budget-en-390');
    await coordPage.goto(`${app.url}/budget/proposals?lang=en`);
    await checkPage(coordPage, 'budget-proposals-en-390');
  }, 180_000);
});
