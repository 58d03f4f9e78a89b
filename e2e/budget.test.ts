// Issue 13 in Chromium, a round end to end: members vote on a phone (390 px), the first with the
// keyboard alone, seeing the running total and getting a receipt; the coordinator closes and counts
// and sends the result to a board meeting (the form by keyboard); in the meeting the secretary keeps
// attendance, the chair moves the motion, a board member seconds it, the secretary opens it and
// records the count (one member with an interest in a funded proposal does not vote); the public
// round page shows the ratified result with its decision, the .pb and the result; axe finds nothing
// on each page, in English and Polish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../src/modules/membership/policy.ts';
import { newId } from '../src/lib/ids.ts';
import { callMeeting, createMeeting } from '../src/modules/governance/api-board.ts';
import { declareInterest } from '../src/modules/governance/board.ts';
import { govOfficers, govSeats, govTerms } from '../src/modules/governance/schema.ts';
import type { Role } from '../src/modules/membership/schema.ts';
import { getRound } from '../src/modules/commissioning/rounds.ts';
import type { RoundResult } from '../src/modules/commissioning/counting.ts';
import { createPot, recordIncome } from '../src/modules/commissioning/ledger.ts';
import { createProposal, decideEligibility } from '../src/modules/commissioning/proposals.ts';
import { advanceRound, createRound } from '../src/modules/commissioning/rounds.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { checkPage, launch, phoneAs, startApp, TOTP_TIME } from './browser.ts';

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


async function tabTo(page: Page, test: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test)) return;
  }
  throw new Error(`never reached ${test} with Tab`);
}

/** A board of four with terms, the first the chair and the second the secretary. */
async function boardOfFour() {
  const db = app.database.db;
  const seatId = newId();
  await db.insert(govSeats).values({ tenantId, id: seatId, kind: 'elected_parent', label: 'E2E parent seat' });
  const board = [];
  for (let i = 0; i < 4; i++) {
    const m = await buildMember(db, tenantId, { roles: ['board'] });
    await db.insert(govTerms).values({ tenantId, id: newId(), seatId, memberId: m.member.id, holderName: m.member.name, startsOn: '2025-06-01', endsOn: '2028-06-01' });
    board.push({ ...m, actor: { memberId: m.member.id, tenantId, roles: new Set<Role>(['member', 'board']), sessionId: 'e2e' } as Actor });
  }
  await db.insert(govOfficers).values([
    { tenantId, id: newId(), office: 'chair', memberId: board[0]!.member.id, holderName: board[0]!.member.name, startsOn: '2025-06-01' },
    { tenantId, id: newId(), office: 'secretary', memberId: board[1]!.member.id, holderName: board[1]!.member.name, startsOn: '2025-06-01' },
  ]);
  return board;
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
    const page = await phoneAs(browser, app.url, voter.cookie);
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

    // Three more members vote on their phones (with the mouse, or a finger).
    for (let i = 0; i < 3; i++) {
      const m = await buildMember(db, tenantId);
      const p = await phoneAs(browser, app.url, m.cookie);
      await p.goto(`${app.url}/budget/rounds/${roundId}/vote?lang=en`);
      await p.locator(`#ballot input[value="${ids[i]}"]`).check();
      await p.getByRole('button', { name: 'Cast my vote' }).click();
      await p.waitForSelector('#receipt-code');
      await p.context().close();
    }

    // The board: four members, a board meeting this evening called a fortnight ago.
    const board = await boardOfFour();
    const [chair, secretary, third, interested] = board as [(typeof board)[number], (typeof board)[number], (typeof board)[number], (typeof board)[number]];
    const meeting = await createMeeting(db, secretary.actor, { kind: 'board', title: 'E2E board meeting', startsAt: '2026-11-26T18:00', endsAt: '2026-11-26T20:00', location: 'Corby Cube' });
    await callMeeting(db, secretary.actor, meeting.id, { now: new Date(TOTP_TIME - 14 * 86_400_000), baseUrl: app.url });

    // The coordinator closes voting and counts, then sends the result to the meeting by keyboard.
    const coordPage = await phoneAs(browser, app.url, coordM.cookie);
    await coordPage.goto(`${app.url}/coordinator/budget/rounds/${roundId}?lang=en`);
    await Promise.all([coordPage.waitForLoadState('load'), coordPage.getByRole('button', { name: 'Close voting and count' }).click()]);
    await coordPage.waitForSelector('#ratify-h');
    await checkPage(coordPage, 'budget-send-to-board-en-390');
    await tabTo(coordPage, `document.activeElement?.name === 'meetingId'`);
    expect(await coordPage.evaluate(`document.activeElement.value`)).toBe(meeting.id);
    await tabTo(coordPage, `document.activeElement?.type === 'submit' && document.activeElement.textContent.includes('Send the result to the board')`);
    await Promise.all([coordPage.waitForLoadState('load'), coordPage.keyboard.press('Enter')]);
    await expect(coordPage.locator('#ratify-h + p').textContent()).resolves.toContain('The result is with the board');
    await checkPage(coordPage, 'budget-with-board-en-390');
    const motionId = (await getRound(db, tenantId, roundId)).motionId!;
    expect(motionId).toBeTruthy();
    // A board member with an interest in a funded proposal, in the register of interests.
    const winners = ((await getRound(db, tenantId, roundId)).result as unknown as RoundResult).winners;
    await declareInterest(db, interested.actor, { description: 'I volunteer with this group.', declaredOn: '2026-11-01' }, { relatedKind: 'comm_proposal', relatedId: winners[0]! });

    // In the meeting: the secretary keeps attendance.
    const sec = await phoneAs(browser, app.url, secretary.cookie);
    for (const b of board) {
      await sec.goto(`${app.url}/governance/meetings/${meeting.id}?lang=en`);
      await sec.locator('#f-memberId').selectOption(b.member.id);
      await Promise.all([sec.waitForLoadState('load'), sec.getByRole('button', { name: 'Record', exact: true }).click()]);
    }
    // The chair moves the referred motion, another board member seconds it, the secretary opens it.
    const chairPage = await phoneAs(browser, app.url, chair.cookie);
    await chairPage.goto(`${app.url}/governance/meetings/${meeting.id}?lang=en`);
    await checkPage(chairPage, 'budget-board-meeting-en-390');
    await Promise.all([chairPage.waitForLoadState('load'), chairPage.getByRole('link', { name: 'The motion on this item' }).click()]);
    expect(chairPage.url()).toContain(`/governance/motions/${motionId}`);
    await checkPage(chairPage, 'budget-motion-referred-en-390');
    await Promise.all([chairPage.waitForLoadState('load'), chairPage.getByRole('button', { name: 'Move this motion' }).click()]);
    await expect(chairPage.locator('[role=status]').first().textContent()).resolves.toContain('You moved the motion');
    const seconder = await phoneAs(browser, app.url, third.cookie);
    await seconder.goto(`${app.url}/governance/motions/${motionId}?lang=en`);
    await Promise.all([seconder.waitForLoadState('load'), seconder.getByRole('button', { name: 'Second this motion' }).click()]);
    await sec.goto(`${app.url}/governance/motions/${motionId}?lang=en`);
    await Promise.all([sec.waitForLoadState('load'), sec.getByRole('button', { name: 'Open for voting' }).click()]);
    // The secretary records the count: four present, one with an interest, so three votes at most.
    await sec.getByLabel('For', { exact: true }).fill('4');
    await sec.getByLabel('Against', { exact: true }).fill('0');
    await sec.getByLabel('Abstain', { exact: true }).fill('0');
    await Promise.all([sec.waitForLoadState('load'), sec.getByRole('button', { name: 'Record the count and close the motion' }).click()]);
    await expect(sec.locator('.error-summary').textContent()).resolves.toContain('more than the 3 entitled members present');
    await checkPage(sec, 'budget-motion-count-refused-en-390');
    await sec.getByLabel('For', { exact: true }).fill('2');
    await sec.getByLabel('Against', { exact: true }).fill('0');
    await sec.getByLabel('Abstain', { exact: true }).fill('1');
    await Promise.all([sec.waitForLoadState('load'), sec.getByRole('button', { name: 'Record the count and close the motion' }).click()]);
    await expect(sec.locator('[role=status]').first().textContent()).resolves.toContain('The count was recorded');
    await checkPage(sec, 'budget-motion-carried-en-390');
    expect((await getRound(db, tenantId, roundId)).phase).toBe('published');

    const visitor = await phoneAs(browser, app.url);
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
    // The public round page shows the decision and links its register entry.
    await visitor.goto(`${app.url}/budget/rounds/${roundId}?lang=en`);
    await expect(visitor.locator('#decision').textContent()).resolves.toContain('Ratified by the board: decision');
    await expect(visitor.locator('#decision').textContent()).resolves.toContain('2 for, 0 against, 1 abstaining.');
    await expect(visitor.locator('#decision').textContent()).resolves.toContain('did not vote because of a declared interest: 1');
    await visitor.getByRole('link', { name: 'The decision in the register' }).click();
    await expect(visitor.locator('h1').textContent()).resolves.toContain('Ratify the result of the budget round');
    await checkPage(visitor, 'budget-decision-en-390');
    await coordPage.goto(`${app.url}/coordinator/budget?lang=en`);
    await checkPage(coordPage, 'coordinator-budget-en-390');
    await coordPage.goto(`${app.url}/budget/proposals?lang=en`);
    await checkPage(coordPage, 'budget-proposals-en-390');
  }, 300_000);
});
