// Issue 12 items 3 and 6 in Chromium: a member votes in a secret online ballot on a phone (390 px)
// with the keyboard alone and sees a receipt; the public reads the decisions register; axe clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '../src/modules/membership/schema.ts';
import { createMotion, openMotion, secondMotion } from '../src/modules/governance/motions.ts';
import { recordDecision } from '../src/modules/governance/api-decisions.ts';
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
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test)) return;
  }
  throw new Error(`never reached ${test} with Tab`);
}

describe('governance motions: secret ballot and decisions register', () => {
  it('a member votes by keyboard at 390 px and gets a receipt; the public reads the register', async () => {
    const db = app.database.db;
    const boardMember = await buildMember(db, tenantId, { roles: ['board'] });
    const seconder = await buildMember(db, tenantId);
    const voter = await buildMember(db, tenantId);
    const actor = { memberId: boardMember.member.id, tenantId, roles: new Set<Role>(['member', 'board']), sessionId: 's' };
    const now = new Date();
    const id = await createMotion(db, actor, { title: 'A parents’ forum in every ward', titlePl: 'Forum rodziców w każdym okręgu', body: 'That the board sets up a parents’ forum in every ward.', kind: 'ordinary', electorate: 'members', voting: 'secret_online', opensAt: new Date(Math.min(now.getTime(), TOTP_TIME) - 3600_000), closesAt: new Date(now.getTime() + 86_400_000) }, now);
    await secondMotion(db, actor, id, now, { memberId: seconder.member.id });
    await openMotion(db, actor, id, now);
    await db.transaction((tx) => recordDecision(tx, tenantId, { decidedOn: '2026-11-01', kind: 'resolution', title: 'Membership is free for parents and carers', summary: 'That membership is free.', outcome: 'carried', votesFor: 41, votesAgainst: 3, abstentions: 2, rule: 'ordinary resolution: more votes for than against (abstentions not counted)', refs: [] }));

    const page = await phoneAs(browser, app.url, voter.cookie);
    await page.goto(`${app.url}/governance/motions/${id}?lang=en`);
    await checkPage(page, 'motion-open-en-390');
    await page.goto(`${app.url}/governance/motions/${id}/ballot?lang=en`);
    await checkPage(page, 'ballot-en-390');
    // Keyboard only: Tab to the first choice, Space selects it, Tab to the button, Enter.
    await tabTo(page, `document.activeElement?.name === 'choice'`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    expect(await page.evaluate(`document.querySelector('input[name=choice]:checked')?.value`)).toBe('for');
    await tabTo(page, `document.activeElement?.type === 'submit'`);
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('#receipt-code');
    expect(await page.locator('#receipt-code').textContent()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('your vote');
    await checkPage(page, 'receipt-en-390');
    // A second visit says why there is no form.
    await page.goto(`${app.url}/governance/motions/${id}/ballot?lang=pl`);
    await expect(page.locator('.notice').textContent()).resolves.toContain('jedna osoba, jeden głos');
    await checkPage(page, 'ballot-voted-pl-390');
    await page.goto(`${app.url}/governance/motions/new?lang=en`);
    await checkPage(page, 'motion-new-member-en-390');

    const pub = await phoneAs(browser, app.url);
    await pub.goto(`${app.url}/governance/decisions?lang=en`);
    await expect(pub.locator('h1').textContent()).resolves.toBe('Decisions register');
    await expect(pub.locator('table').textContent()).resolves.toContain('Membership is free for parents and carers');
    await checkPage(pub, 'decisions-en-390');
    await pub.getByRole('link', { name: /^No\. \d+$/ }).first().click();
    await checkPage(pub, 'decision-en-390');
    await pub.goto(`${app.url}/governance/decisions?lang=pl&kind=resolution`);
    await checkPage(pub, 'decisions-pl-390');
    await pub.goto(`${app.url}/governance/motions?lang=en`);
    await checkPage(pub, 'motions-en-390');
  }, 180_000);
});
