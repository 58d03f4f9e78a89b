// Issue 13 item 7 in Chromium at 390 px: a coordinator draws up and signs a contract for a funded
// proposal, requests a milestone payment with the keyboard alone, a second person (a board member)
// approves it with the keyboard, and the public contract page shows it with roles, not names; axe
// finds nothing on each page, in English and Polish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Tx } from '../src/db/connection.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import { castBallot } from '../src/modules/commissioning/ballots.ts';
import { closeAndCount } from '../src/modules/commissioning/counting.ts';
import { createPot, ledgerProblems, recordIncome } from '../src/modules/commissioning/ledger.ts';
import { createProposal, decideEligibility } from '../src/modules/commissioning/proposals.ts';
import { onRoundDecided } from '../src/modules/commissioning/ratify.ts';
import { advanceRound, createRound } from '../src/modules/commissioning/rounds.ts';
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



describe('contracts and payments', () => {
  it('a contract is signed, a milestone payment requested and approved by two people, and published without names', async () => {
    const db = app.database.db;
    const coordM = await buildMember(db, tenantId, { roles: ['coordinator'], name: 'Casey Coordinator' });
    const boardM = await buildMember(db, tenantId, { roles: ['board'], name: 'Tess Treasurer' });
    const coord: Actor = { memberId: coordM.member.id, tenantId, roles: new Set(['member', 'coordinator']), sessionId: 'e2e' };
    const potId = await createPot(db, coord, { name: 'E2E contracts pot', financialYear: '2026-27', source: 'devolved_budget' });
    await recordIncome(db, coord, { potId, amount: '20000', idempotencyKey: `e2e-income-${potId}` });
    const roundId = await createRound(db, coord, { title: 'E2E contracts round', potId, budget: '10000', ballotType: 'approval', maxChoices: '2', rule: 'greedy', completion: 'none' });
    const proposalId = await createProposal(db, coord, { title: 'E2E stay and play', summary: 'Saturday sessions for dads and under-fives.', cost: '3000', roundId, indicators: ['M2'] });
    await decideEligibility(db, coord, proposalId, { decision: 'eligible', reason: 'It fits the aims.' });
    await advanceRound(db, coord, roundId, 'review');
    await advanceRound(db, coord, roundId, 'voting');
    for (let i = 0; i < 3; i++) {
      const m = await buildMember(db, tenantId);
      await castBallot(db, { ...coord, memberId: m.member.id, roles: new Set(['member']) }, roundId, { choose: [proposalId] });
    }
    await closeAndCount(db, coord, roundId, 'One Corby Parent Coalition');
    await db.transaction((tx) => onRoundDecided(tx as unknown as Tx, tenantId, roundId, { motionId: '00000000-0000-4000-8000-00000000e2e1', decidedOn: '2026-11-30', outcome: 'carried', votesFor: 3, votesAgainst: 0, abstentions: 0, conflicted: 0, decisionNumber: 1 }));

    // The coordinator: list, new contract from the funded proposal, sign.
    const page = await phoneAs(browser, app.url, coordM.cookie);
    await page.goto(`${app.url}/coordinator/budget/contracts?lang=en`);
    await checkPage(page, 'contracts-coordinator-en-390');
    await page.locator(`a[href="/coordinator/budget/contracts/new?proposal=${proposalId}"]`).click();
    await checkPage(page, 'contract-new-en-390');
    await page.getByLabel('Provider’s name').fill('Corby Dads Network');
    await page.getByLabel('Starts on').fill('2027-01-01');
    await page.getByLabel('Ends on').fill('2027-12-31');
    const first = page.locator('fieldset.card').first();
    await first.getByLabel('Milestone', { exact: true }).fill('Sessions start');
    await first.getByLabel('Due on').fill('2027-02-01');
    await first.getByLabel('Amount in pounds').fill('1000');
    // Milestones that do not add up are refused beside the form.
    await page.getByRole('button', { name: 'Save the draft contract' }).click();
    await expect(page.locator('.error-summary, [role=alert]').first().textContent()).resolves.toContain('add up exactly');
    await checkPage(page, 'contract-new-error-en-390');
    const second = page.locator('fieldset.card').nth(1);
    await second.getByLabel('Milestone', { exact: true }).fill('End-of-year report');
    await second.getByLabel('Due on').fill('2027-12-01');
    await second.getByLabel('Amount in pounds').fill('2000');
    await page.getByRole('button', { name: 'Save the draft contract' }).click();
    await page.getByRole('button', { name: 'Sign the contract' }).click();
    await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('signed');
    const contractUrl = page.url().split('?')[0]!;
    const contractId = contractUrl.split('/').pop()!;

    // Request a payment with the keyboard alone: the milestone is chosen, type the amount, Enter.
    await page.locator('#f-milestoneId').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type('1000');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Invoice 42');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=requested/);
    await expect(page.locator('#payments ~ ul').textContent()).resolves.toContain('a different person must approve it');
    await checkPage(page, 'contract-requested-en-390');

    // The treasurer (board) approves with the keyboard.
    const treasurer = await phoneAs(browser, app.url, boardM.cookie);
    await treasurer.goto(`${contractUrl}?lang=en`);
    await checkPage(treasurer, 'contract-approve-en-390');
    await treasurer.getByRole('button', { name: /Approve the payment of £1,000/ }).focus();
    await treasurer.keyboard.press('Enter');
    await treasurer.waitForURL(/done=approved/);
    await expect(treasurer.locator('[role=status]').first().textContent()).resolves.toContain('entered in the ledger');
    expect(await ledgerProblems(db, tenantId)).toEqual([]);

    // The public: budget page → contracts → the contract, in English and Polish.
    const visitor = await phoneAs(browser, app.url);
    await visitor.goto(`${app.url}/budget?lang=en`);
    await visitor.getByRole('link', { name: 'Contracts and payments' }).click();
    await checkPage(visitor, 'contracts-public-en-390');
    await visitor.locator(`a[href="/budget/contracts/${contractId}"]`).click();
    const text = (await visitor.locator('main').textContent()) ?? '';
    expect(text).toContain('Corby Dads Network');
    expect(text).toContain('requested by a coordinator, approved by a board member');
    expect(text).not.toContain('Casey Coordinator');
    expect(text).not.toContain('Tess Treasurer');
    await checkPage(visitor, 'contract-public-en-390');
    await visitor.goto(`${app.url}/budget/contracts/${contractId}?lang=pl`);
    await expect(visitor.locator('h1').textContent()).resolves.toContain('Umowa');
    await checkPage(visitor, 'contract-public-pl-390');
    await visitor.goto(`${app.url}/budget/rounds/${roundId}?lang=en`);
    await expect(visitor.locator(`a[href="/budget/contracts#round-${roundId}"]`).count()).resolves.toBe(1);
  }, 240_000);
});
