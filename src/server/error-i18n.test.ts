import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../lib/ids.ts';
import { testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { en } from '../ui/i18n/en.ts';
import { pl } from '../ui/i18n/pl.ts';

// Issue 8 item 6: refused requests in Polish show Polish words, never the English sentence.
// Every English error text of the catalogues (and the service's own sentence) is checked absent.
const ENGLISH_ERRORS = Object.entries(en)
  .filter(([key, text]) => /(^|\.)error(s)?\./.test(key) && text !== (pl as Record<string, string>)[key] && text.length > 12)
  .map(([, text]) => text.replace(/\{\w+\}.*$/, ''))
  // A text that starts with its parameter leaves nothing to look for.
  .filter((text) => text.trim().length > 12);

function expectPolish(text: string, sentence: string): void {
  expect(text).not.toContain(sentence);
  expect(ENGLISH_ERRORS.filter((e) => text.includes(e))).toEqual([]);
  expect(text).not.toMatch(/\b(error|staff|memberAdmin)\.[a-z]+\.[a-zA-Z]+/); // no raw keys
}

async function signedIn(app: Awaited<ReturnType<typeof testApp>>['app'], host: string, cookie: string) {
  const c = new TestClient(app, host);
  await c.get('/about?lang=pl');
  c.cookies.set('pm_session', cookie);
  return c;
}

describe(`error pages in Polish (${storeName()})`, () => {
  it('404 member, 409 last admin, 403 wrong role, 429, 400 expired link and passkey request: Polish words only', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const admin = await buildMember(db, tenant.id, { roles: ['admin'] });
    const member = await buildMember(db, tenant.id);
    const a = await signedIn(app, host, admin.cookie);

    const missing = await a.get(`/coordinator/members/${newId()}`);
    expect(missing.status).toBe(404);
    const missingText = await missing.text();
    expect(missingText).toContain(pl['error.member.notFound']);
    expectPolish(missingText, 'That member was not found.');

    const last = await a.post(`/coordinator/members/${admin.member.id}/suspend`, { suspended: 'yes' });
    expect(last.status).toBe(409);
    const lastText = await last.text();
    expect(lastText).toContain(pl['staff.error.lastAdmin']);
    expectPolish(lastText, 'This is the only admin of the mutual');

    // A 409 on the error page itself: titled as a conflict (it was "something went wrong") with the reason in Polish.
    const active = await a.post(`/coordinator/members/${member.member.id}/confirm-in-person`, {});
    expect(active.status).toBe(409);
    const activeText = await active.text();
    expect(activeText).toContain(`<h1>${pl['error.conflict.title']}</h1>`);
    expect(activeText).toContain(pl['error.inPerson.notPending']);
    expect(activeText).not.toContain(pl['error.500.title']);
    expectPolish(activeText, 'Only a membership waiting for confirmation can be confirmed in person.');

    const m = await signedIn(app, host, member.cookie);
    const wrongRole = await m.get('/coordinator/members');
    expect(wrongRole.status).toBe(403);
    const wrongText = await wrongRole.text();
    expect(wrongText).toContain(pl['error.forbidden.body']);
    // A wrong role is not an expired form: the CSRF words are for CSRF refusals only.
    expect(wrongText).not.toContain(pl['error.403.body']);
    expectPolish(wrongText, 'Your role does not allow this.');

    const anon = new TestClient(app, host);
    await anon.get('/?lang=pl');
    const link = await anon.post('/sign-in/link', { token: 'expired-or-made-up-token-000000000000' });
    expect(link.status).toBe(400);
    const linkText = await link.text();
    expect(linkText).toContain(pl['signin.error.link']);
    expectPolish(linkText, 'This sign-in link has expired');

    const passkey = await app.request('/sign-in/passkey', {
      method: 'POST',
      headers: { host, 'content-type': 'application/json', 'accept-language': 'pl' },
      body: JSON.stringify({ challengeId: 'c'.repeat(20), response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } }),
    });
    expect(passkey.status).toBe(400);
    const passkeyText = await passkey.text();
    expect(passkeyText).toContain(pl['error.passkey.expired']);
    expect(passkeyText).toContain(`<h1>${pl['error.request.title']}</h1>`);
    expectPolish(passkeyText, 'This passkey request has expired.');

    let limited: Response | undefined;
    for (let i = 0; i < 40 && limited === undefined; i++) {
      const res = await anon.post('/sign-in/passkey/options', {});
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    const limitedText = await limited!.text();
    expect(limitedText).toContain(pl['error.rateLimited']);
    expectPolish(limitedText, 'Too many attempts. Please wait a few minutes');
  }, 60_000);

  it('413, CSRF 403 and invalid JSON 400 (the API answers in the caller’s language, English unchanged)', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db, { wards: false });
    const c = new TestClient(app, host);
    await c.get('/?lang=pl');

    const big = await c.post('/join', { name: 'x'.repeat(deps.config.bodyLimit + 10) });
    expect(big.status).toBe(413);
    const bigText = await big.text();
    expect(bigText).toContain(pl['error.413.body']);
    expectPolish(bigText, 'The request body is larger than');

    const forged = await c.post('/join', { step: '1' }, { csrf: 'not-the-token' });
    expect(forged.status).toBe(403);
    const forgedText = await forged.text();
    expect(forgedText).toContain(pl['error.403.body']);
    expectPolish(forgedText, 'This form has expired or came from another site.');

    const send = (lang: string) => app.request('/api/v1/join', { method: 'POST', headers: { host, 'content-type': 'application/json', 'accept-language': lang }, body: '{"name": "Ala",' });
    const plJson = await send('pl-PL,pl;q=0.9');
    expect(plJson.status).toBe(400);
    const plBody = (await plJson.json()) as { error: { code: string; message: string } };
    expect(plBody.error).toMatchObject({ code: 'invalid_json', message: pl['error.json.body'] });
    const enBody = (await (await send('en-GB')).json()) as { error: { code: string; message: string } };
    expect(enBody.error).toMatchObject({ code: 'invalid_json', message: 'The request body is not valid JSON. Check quotes, commas and brackets.' });

    // A refused field in Polish: the summary and the fields are both in Polish.
    const invalid = await app.request('/api/v1/join', { method: 'POST', headers: { host, 'content-type': 'application/json', 'accept-language': 'pl' }, body: JSON.stringify({ name: '', relationship: 'parent', preferredLocale: 'pl', ward: 'E05000000', email: 'not-an-address' }) });
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as { error: { message: string; fields: { message: string }[] } };
    expect(invalidBody.error.message.startsWith('Popraw: ')).toBe(true);
    expect(invalidBody.error.message).not.toContain('Please fix');
  }, 60_000);
});

/** The text of each `new AppError(…)` call in a source file (balanced parentheses, strings skipped). */
function appErrorCalls(text: string): string[] {
  const calls: string[] = [];
  for (let at = text.indexOf('new AppError('); at >= 0; at = text.indexOf('new AppError(', at + 1)) {
    let depth = 0;
    let quote = '';
    for (let i = at + 'new AppError'.length; i < text.length; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        calls.push(text.slice(at, i + 1));
        break;
      }
    }
  }
  return calls;
}

describe('AppErrors that reach a member’s page carry catalogue words', () => {
  const SRC = path.resolve(import.meta.dirname, '..');
  const files = [
    ...readdirSync(path.join(SRC, 'modules/membership')).filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.')).map((f) => `modules/membership/${f}`),
    'modules/tenancy/views.ts',
    'modules/tenancy/pages.tsx',
  ];
  const KEY = /'([a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9-]+)+)'/g;

  it('every one names a key of both catalogues (its own, or its fields’); sign-in refusals use the 401 words', () => {
    const bare: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const call of appErrorCalls(readFileSync(path.join(SRC, file), 'utf8'))) {
        checked++;
        if (call.startsWith("new AppError('unauthenticated'")) continue;
        if (call.includes('err.code, err.message')) continue; // re-thrown with its fields translated (API)
        if (/, (issues|fields)\)$/.test(call)) continue; // form issues: their messages are keys (ui/i18n/message-keys.test.ts)
        const keys = [...call.matchAll(KEY)].map((m) => m[1] ?? '').filter((k) => k in en && k in pl);
        if (keys.length === 0) bare.push(`${file}: ${call.slice(0, 90)}`);
      }
    }
    expect(bare).toEqual([]);
    expect(checked).toBeGreaterThan(80);
  });

  it('the scan reads whole calls', () => {
    expect(appErrorCalls("x; throw new AppError('conflict', 'It (really) failed.', [{ field: 'a', message: 'b.c' }]); y")).toEqual(["new AppError('conflict', 'It (really) failed.', [{ field: 'a', message: 'b.c' }])"]);
  });
});
