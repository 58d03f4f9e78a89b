import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TokenPurpose } from '../modules/membership/schema.ts';
import { issueToken } from '../modules/membership/tokens.ts';
import { testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';

// Issue 8 item 5: shared components instead of copies.
const SRC = join(import.meta.dirname, '..');
const pages = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx'));
const text = (f: string) => readFileSync(join(SRC, f), 'utf8');

describe(`shared components (${storeName()})`, () => {
  it('the token button, the member facts list and the coverage table each have one definition', () => {
    expect(pages.filter((f) => text(f).includes('name="token"'))).toEqual(['ui/token-form.tsx']);
    expect(pages.filter((f) => text(f).includes('<dl class="facts">')).sort()).toEqual(
      // The other facts lists (privacy notice, ward facts, join summary, mailbox) are not member records.
      ['modules/email/pages.tsx', 'modules/membership/pages-join.tsx', 'modules/tenancy/pages-privacy.tsx', 'modules/tenancy/pages.tsx', 'ui/facts.tsx'].sort(),
    );
    expect(text('modules/membership/pages-coverage.tsx').match(/<table/g)).toHaveLength(1);
  });

  it('every emailed-link page shows one button that posts the token with a CSRF field, and no referrer', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const { member } = await buildMember(db, tenant.id);
    const cases: Array<[TokenPurpose, string, string]> = [
      ['confirm_email', '/join/confirm', 'Confirm'],
      ['sign_in', '/sign-in/link', 'Sign in'],
      ['staff_invitation', '/staff/invitation', 'Accept'],
      ['confirm_email_change', '/email-change/confirm', 'Confirm'],
    ];
    for (const [purpose, path, button] of cases) {
      const token = await issueToken(db, { tenantId: tenant.id, memberId: member.id, purpose });
      const res = await new TestClient(app, host).get(`${path}?token=${token}&lang=en`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      const html = await res.text();
      const forms = html.match(/<form[\s\S]*?<\/form>/g)?.filter((f) => f.includes('name="token"')) ?? [];
      expect(forms, path).toHaveLength(1);
      const form = forms[0]!;
      expect(form, path).toContain(`<form method="post" action="${path}">`);
      expect(form, path).toContain(`<input type="hidden" name="token" value="${token}"/>`);
      expect(form, path).toMatch(/<input type="hidden" name="_csrf" value="[^"]+"\/>/);
      expect(form, path).toMatch(new RegExp(`<button class="button" type="submit">${button}`));
    }
  });
});
