import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { and, eq } from 'drizzle-orm';
import { qualifications } from '../src/modules/accreditation/schema.ts';
import { awardForCourse } from '../src/modules/accreditation/service.ts';
import { findTenantBySlug } from '../src/modules/tenancy/queries.ts';
import type { Running } from '../src/server/start.ts';
import { buildMember } from '../src/test/members.ts';
import { LOCALES } from '../src/ui/i18n/locales.ts';
import { axe, checkPhone, launch, screenshot, startApp } from './browser.ts';

let app: Running;
let browser: Browser;
let code = '';
let coordinatorCookie = '';
let holderCookie = '';

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  const db = app.database.db;
  const tenant = (await findTenantBySlug(db, 'corby'))!;
  const holder = await buildMember(db, tenant.id, { name: 'Hanna Kowalska-Wiśniewska', wardCode: 'E05016222' });
  const coordinator = await buildMember(db, tenant.id, { roles: ['coordinator'], wardCode: 'E05016222', name: 'Cora Ordinator' });
  holderCookie = holder.cookie;
  coordinatorCookie = coordinator.cookie;
  const sg = await db.transaction((tx) => awardForCourse(tx, { tenantId: tenant.id, memberId: holder.member.id, courseKey: 'safeguarding-awareness', sessionId: 'e2e-1', completedOn: '2026-06-01', actor: 'system:test' }));
  await db.transaction((tx) => awardForCourse(tx, { tenantId: tenant.id, memberId: holder.member.id, courseKey: 'street-champion-induction', sessionId: 'e2e-2', completedOn: '2026-06-10', actor: 'system:test' }));
  const [row] = await db.select({ code: qualifications.code }).from(qualifications).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.id, sg.awarded[0]!.qualificationId)));
  code = row!.code;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** WCAG 2.2 AA at 390 px: nothing scrolls sideways, no table wider than the screen, check boxes ≥ 24 px, axe finds nothing. */

const PAGES = [
  { name: 'certificate-check', path: () => '/certificates/check' },
  { name: 'certificate', path: () => `/certificates/${code}` },
  { name: 'certificate-unknown', path: () => '/certificates/ZZZZZZZZZZ', status: 404 },
  { name: 'me-qualifications', path: () => '/me', cookie: () => holderCookie },
  { name: 'coordinator-accreditation', path: () => '/coordinator/accreditation', cookie: () => coordinatorCookie },
];

describe('accreditation pages in Chromium', () => {
  for (const lang of LOCALES) {
    for (const p of PAGES) {
      it(`${p.name} (${lang}): renders, passes axe at 1280 and 390 px`, async () => {
        const context = await browser.newContext();
        if (p.cookie) await context.addCookies([{ name: 'pm_session', value: p.cookie(), url: app.url }]);
        const page = await context.newPage();
        const res = await page.goto(`${app.url}${p.path()}?lang=${lang}`);
        expect(res?.status()).toBe(p.status ?? 200);
        await page.setViewportSize({ width: 1280, height: 844 });
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `${p.name}-${lang}-1280`);
        await checkPhone(page, `${p.name}-${lang}`);
        await context.close();
      });
    }
  }

  it('the check form takes a typed code to its certificate, showing the first name and initial only', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/certificates/check?lang=en`);
    await page.getByLabel('Verification code').fill(`${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForURL(new RegExp(`/certificates/${code}$`));
    const text = await page.locator('main').textContent();
    expect(text).toContain('Hanna K.');
    expect(text).not.toContain('Kowalska');
    await page.close();
  });
});
