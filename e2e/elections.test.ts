// Issue 12 item 5 in Chromium: a member ranks the candidates on a phone (390 px) with the keyboard
// alone and gets a receipt; the result sheet of a counted election is readable; axe finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { castBallot, ballotCandidates, checkNomination, closeNominations, countElection, createElection, nominate } from '../src/modules/elections/service.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import type { Role } from '../src/modules/membership/schema.ts';
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



const actorOf = (id: string, roles: Role[] = []): Actor => ({ memberId: id, tenantId, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });

/** An election with three checked candidates, nominations closed. */
async function election(title: string, opensAt: string, closesAt: string, board: Actor) {
  const db = app.database.db;
  const id = await createElection(db, board, { title, agmOn: '2026-12-10', seats: '2', opensAt, closesAt });
  for (const [name, en, pl] of [
    ['Ann Able', 'I run the Tuesday stay-and-play.', ''],
    ['Bob Baker', '', 'Chcę, żeby rodzice mieli głos.'],
    ['Cy Cole', 'Dad of three.', 'Tata trójki dzieci.'],
  ] as const) {
    const m = await buildMember(db, tenantId, { name });
    const cid = await nominate(db, actorOf(m.member.id), id, { statementEn: en, statementPl: pl });
    await checkNomination(db, board, id, cid, new Date(TOTP_TIME));
  }
  await closeNominations(db, board, id);
  return id;
}

describe('board elections', () => {
  it('a member ranks the candidates by keyboard on a phone and gets a receipt; the result sheet reads well', async () => {
    const db = app.database.db;
    const boardM = await buildMember(db, tenantId, { roles: ['board'] });
    const board = actorOf(boardM.member.id, ['board']);
    const id = await election('Board election 2026', '2026-11-20T09:00', '2026-11-30T18:00', board);
    const voter = await buildMember(db, tenantId);
    const page = await phoneAs(browser, app.url, voter.cookie);
    await page.goto(`${app.url}/elections/${id}?lang=en`);
    await checkPage(page, 'election-en-390');
    await page.goto(`${app.url}/elections/${id}/ballot?lang=en`);
    await checkPage(page, 'ballot-en-390');
    // Keyboard only: Tab to each select in turn and step down to choice 1, 2, 3 with the arrow key.
    const selects = await page.locator('select[name^="rank_"]').count();
    expect(selects).toBe(3);
    let ranked = 0;
    for (let i = 0; i < 60 && ranked < selects; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name ?? '');
      if (!name.startsWith('rank_')) continue;
      ranked++;
      for (let k = 0; k < ranked; k++) await page.keyboard.press('ArrowDown');
    }
    expect(ranked).toBe(3);
    const values = await page.locator('select[name^="rank_"]').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(values).toEqual(['1', '2', '3']);
    // On to the button, and Enter.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.type === 'submit')) break;
    }
    await page.keyboard.press('Enter');
    await page.waitForSelector('#receipt-code');
    await expect(page.locator('#receipt-code').textContent()).resolves.toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await checkPage(page, 'receipt-en-390');

    // A counted election: the result sheet, read by the board (before publishing) in both languages.
    const past = await election('Board election 2025', '2026-11-01T09:00', '2026-11-10T18:00', board);
    const cands = await ballotCandidates(db, tenantId, past);
    const during = new Date('2026-11-05T12:00:00Z');
    for (let v = 0; v < 9; v++) {
      const m = await buildMember(db, tenantId);
      const order = [cands[v % 3]!, cands[(v + 1) % 3]!];
      await castBallot(db, actorOf(m.member.id), past, Object.fromEntries(order.map((c, i) => [`rank_${c.id}`, String(i + 1)])), during);
    }
    await countElection(db, board, past, new Date(TOTP_TIME));
    const sheet = await phoneAs(browser, app.url, boardM.cookie);
    await sheet.goto(`${app.url}/elections/${past}/result?lang=en`);
    await expect(sheet.locator('h1').textContent()).resolves.toContain('Result sheet');
    await expect(sheet.locator('main').textContent()).resolves.toContain('Quota');
    await checkPage(sheet, 'result-en-390');
    await sheet.goto(`${app.url}/elections/${past}/result?lang=pl`);
    await expect(sheet.locator('h1').textContent()).resolves.toContain('Protokół wyniku');
    await checkPage(sheet, 'result-pl-390');
  }, 180_000);
});
