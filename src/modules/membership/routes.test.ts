import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount } from '../../test/mail.ts';
import { en } from '../../ui/i18n/en.ts';
import { pl } from '../../ui/i18n/pl.ts';
import { checkJoin } from './join-form.ts';

type ApiError = { error: { code: string; message: string; fields: Array<{ field: string; message: string }> } };

describe(`POST /api/v1/join (${storeName()})`, () => {
  async function setup() {
    const { app, deps } = await testApp();
    const { tenant, host } = await buildTenant(deps.database.db);
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      app.request('/api/v1/join', { method: 'POST', headers: { host, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const members = async () => ((await deps.database.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE tenant_id = $1', [tenant.id]))[0]?.n ?? 0);
    return { post, members, deps, tenant };
  }
  const good = { name: 'Ewa API', email: 'ewa@example.org', ward: 'E05010266', relationship: 'parent', preferredLocale: 'pl', consent: true };

  it('joins once per Idempotency-Key: a retry replays the first answer, another body under the key is a 409', async () => {
    const { post, members, deps, tenant } = await setup();
    const key = crypto.randomUUID();
    const first = await post(good, { 'idempotency-key': key });
    // 202 and no member number: the answer is the same for an address that is already a member (issue 7 item 9).
    expect(first.status).toBe(202);
    const body = (await first.json()) as { status: string; next: string };
    expect(body).toEqual({ status: 'received', next: 'check-email' });
    const retry = await post(good, { 'idempotency-key': key });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(body);
    const other = await post({ ...good, name: 'Someone Else' }, { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect(((await other.json()) as ApiError).error.code).toBe('idempotency_conflict');
    expect(await members()).toBe(1);
    expect(await emailCount(deps.database, tenant.id, 'ewa@example.org')).toBe(1);
  });

  it('answers bad input with 400 naming each field, a taken email exactly like a new one, malformed JSON with 400', async () => {
    const { post, members } = await setup();
    const bad = await post({ ...good, email: 'nope', phone: '123', ward: 'E99999999', consent: true }, { 'accept-language': 'en' });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as ApiError;
    expect(err.error.code).toBe('validation_failed');
    expect(err.error.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['email', 'phone']));
    expect(err.error.message).toContain('email: Enter an email address like name@example.com');
    const noConsent = await post({ ...good, consent: false });
    expect(noConsent.status).toBe(400);
    expect(((await noConsent.json()) as ApiError).error.fields[0]?.field).toBe('consent');
    const unknownWard = await post({ ...good, ward: 'E99999999' });
    expect(unknownWard.status).toBe(400);
    expect(((await unknownWard.json()) as ApiError).error.fields[0]).toEqual({ field: 'ward', message: 'Choose your ward from the list' });
    expect((await post('{"name": ')).status).toBe(400);
    const fresh = await post(good);
    expect(fresh.status).toBe(202);
    const taken = await post({ ...good, name: 'Other' });
    expect(taken.status).toBe(fresh.status);
    expect(await taken.json()).toEqual(await fresh.json());
    expect(await members()).toBe(1);
  });
  it('refuses a field with the same catalogue message as the join form: one JoinRequest contract (issue 8 item 5)', async () => {
    const { post, members } = await setup();
    const cases: Array<[Record<string, unknown>, Record<string, string>, string]> = [
      [{ relationship: 'aunt' }, { relationship: 'aunt' }, 'relationship'],
      [{ childrenUnder5: 25 }, { childrenUnder5: '25' }, 'childrenUnder5'],
      [{ consent: false }, { consent: 'no' }, 'consent'],
      [{ name: '   ' }, { name: '   ' }, 'name'],
    ];
    for (const [api, form, field] of cases) {
      const formIssue = checkJoin({ ...good, consent: 'yes', ...form }, 3).issues.find((i) => i.field === field);
      expect(formIssue, field).toBeDefined();
      for (const [lang, catalogue] of [['en', en], ['pl', pl]] as const) {
        const res = await post({ ...good, ...api }, { 'accept-language': lang });
        expect(res.status, field).toBe(400);
        const fields = ((await res.json()) as ApiError).error.fields;
        expect(fields.find((f) => f.field === field)?.message, `${field} ${lang}`).toBe(catalogue[formIssue!.message as keyof typeof en]);
      }
    }
    expect(await members()).toBe(0);
  });
});
