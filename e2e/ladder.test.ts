import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSession } from '../src/modules/membership/sessions.ts';
import { findDefaultTenant } from '../src/modules/tenancy/queries.ts';
import { listCourses } from '../src/modules/training/courses.ts';
import { bookSession, createSession as createTrainingSession, markAttendance } from '../src/modules/training/service.ts';
import { instantToLondon } from '../src/modules/training/times.ts';
import type { Actor } from '../src/modules/membership/policy.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import type { Role } from '../src/modules/membership/schema.ts';
import { checkPage, launch, startApp } from './browser.ts';

// The ladder's pages in Chromium at 390 px, keyboard only for the volunteer: where I am, asking to
// step up, the coordinator's decision and the dashboard moving, in English and Polish, axe clean.
// The app's clock is fixed (e2e/browser.ts); eligibility is checked on that day.
// The volunteer's induction is booked and marked present through the training module's services
// (its own pages have their own browser tests); eligibility reads it through the real views.
let app: Running;
let browser: Browser;
let tenantId: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  tenantId = (await findDefaultTenant(app.database.db))!.id;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});


/** Press a button with the keyboard only: focus it by tabbing, then Enter. */
async function pressByKeyboard(page: Page, name: string) {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
    if (focused === name) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`no button "${name}" reachable by Tab`);
}

/** A phone-sized browser signed in as a new member with these roles (session cookie as sign-in sets it). */
async function signedIn(roles: Role[]): Promise<{ context: BrowserContext; page: Page; id: string; actor: Actor }> {
  const { member } = await buildMember(app.database.db, tenantId, { roles });
  const staff = roles.includes('coordinator');
  const { token } = await createSession(app.database.db, { tenantId, memberId: member.id, staff, secondFactor: staff });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addCookies([{ name: 'pm_session', value: token, url: app.url }]);
  return { context, page: await context.newPage(), id: member.id, actor: { tenantId, memberId: member.id, roles: new Set<Role>(['member', ...roles]), sessionId: 'e2e' } };
}

async function level1Total(page: Page): Promise<string> {
  // The per-ward table's footer: "Total | no level | Level 1 | …".
  return (await page.locator('section[aria-labelledby="per-ward"] tfoot td').nth(1).textContent())?.trim() ?? '';
}

describe('stepping up on a phone', () => {
  it('a volunteer sees what is missing, asks by keyboard once eligible; a coordinator approves and the dashboard moves', async () => {
    const vol = await signedIn(['volunteer']);
    const coord = await signedIn(['coordinator']);

    await coord.page.goto(`${app.url}/coordinator/ladder?lang=en`);
    await checkPage(coord.page, 'ladder-dashboard-before-en-390', { maxWidth: 390 });
    const before = Number(await level1Total(coord.page));

    await vol.page.goto(`${app.url}/me/ladder?lang=en`);
    await expect(vol.page.getByText('Still missing: complete Induction.').count()).resolves.toBe(1);
    await checkPage(vol.page, 'ladder-me-missing-en-390', { maxWidth: 390 });
    await vol.page.goto(`${app.url}/me/ladder?lang=pl`);
    await checkPage(vol.page, 'ladder-me-missing-pl-390', { maxWidth: 390 });

    // The volunteer attends induction (booked, then marked present by the coordinator as trainer).
    const induction = (await listCourses(app.database.db, tenantId)).find((c) => c.key === 'induction')!;
    const start = new Date(Date.now() + 86_400_000);
    const session = await createTrainingSession(app.database.db, coord.actor, { courseId: induction.id, startsAt: instantToLondon(start), endsAt: instantToLondon(new Date(start.getTime() + 7_200_000)), venue: 'Corby Cube', capacity: 10 });
    await bookSession(app.database.db, vol.actor, session.id, new Date());
    await markAttendance(app.database.db, coord.actor, session.id, [{ memberId: vol.id, present: true }]);
    await vol.page.goto(`${app.url}/me/ladder?lang=en`);
    await checkPage(vol.page, 'ladder-me-eligible-en-390', { maxWidth: 390 });
    await pressByKeyboard(vol.page, 'Ask to step up to level 1');
    await vol.page.waitForURL(/asked=1/);
    await expect(vol.page.getByText('Your request has been sent.', { exact: false }).count()).resolves.toBe(1);
    await checkPage(vol.page, 'ladder-me-asked-en-390', { maxWidth: 390 });

    await coord.page.goto(`${app.url}/coordinator/ladder/requests?lang=en`);
    await checkPage(coord.page, 'ladder-requests-en-390', { maxWidth: 390 });
    const row = coord.page.locator('tr', { has: coord.page.locator(`a[href="/coordinator/ladder/members/${vol.id}"]`) });
    await row.getByRole('button', { name: 'Approve' }).click();
    await coord.page.waitForURL(/done=approved/);
    await checkPage(coord.page, 'ladder-requests-approved-en-390', { maxWidth: 390 });

    await coord.page.goto(`${app.url}/coordinator/ladder?lang=en`);
    expect(Number(await level1Total(coord.page))).toBe(before + 1);
    await checkPage(coord.page, 'ladder-dashboard-after-en-390', { maxWidth: 390 });
    await coord.page.goto(`${app.url}/coordinator/ladder?lang=pl`);
    await checkPage(coord.page, 'ladder-dashboard-after-pl-390', { maxWidth: 390 });
    await coord.page.goto(`${app.url}/coordinator/ladder/members/${vol.id}?lang=en`);
    await checkPage(coord.page, 'ladder-member-en-390', { maxWidth: 390 });
    await coord.page.goto(`${app.url}/coordinator/ladder/levels?lang=en`);
    await checkPage(coord.page, 'ladder-levels-en-390', { maxWidth: 390 });

    await vol.page.goto(`${app.url}/me/ladder?lang=pl`);
    await expect(vol.page.getByText('Twój poziom: 1', { exact: false }).count()).resolves.toBe(1);
    await checkPage(vol.page, 'ladder-me-level1-pl-390', { maxWidth: 390 });
    await vol.context.close();
    await coord.context.close();
  });
});
