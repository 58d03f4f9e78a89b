import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { members } from '../modules/membership/schema.ts';
import { insertMember, PRIVACY_NOTICE_VERSION } from '../modules/membership/service.ts';
import { storeName, testDatabase } from '../test/db.ts';
import { testDeps } from '../test/app.ts';
import { buildTenant } from '../test/factories.ts';
import { createApp } from './app.ts';
import { createLogger, describeStatement } from './logger.ts';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', { write: (s: string) => void lines.push(s) }) };
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

describe(`logs of failed queries (${storeName()})`, () => {
  it('an unhandled query failure in a request logs the SQLSTATE and the statement, never the values', async () => {
    const deps = await testDeps();
    const { lines, logger } = capture();
    const { host } = await buildTenant(deps.database.db);
    const email = `leak-${unique()}@example.org`;
    const app = createApp(
      { ...deps, logger },
      {
        extend: (a) =>
          a.get('/test/failing-query', async (c) => {
            // Not a uuid: PostgreSQL refuses it (22P02) and quotes the value in its message.
            await c.get('deps').database.db.select().from(members).where(eq(members.id, email));
            return c.text('unreachable');
          }),
      },
    );
    const res = await app.request('/test/failing-query', { headers: { host } });
    expect(res.status).toBe(500);
    const log = lines.join('');
    expect(log).toContain('unhandled error');
    expect(log).toContain('"code":"22P02"');
    expect(log).toContain('select \\"members\\"');
    expect(log).toMatch(/"fingerprint":"[0-9a-f]{12}"/);
    expect(log).not.toContain(email);
    expect(log).not.toContain('leak-');
  });

  it('logger.error({ err }) with a unique-violation error keeps the name and email out', async () => {
    const database = await testDatabase();
    const { tenant } = await buildTenant(database.db);
    const { lines, logger } = capture();
    const name = `Zofia Unikalna ${unique()}`;
    const email = `zofia-${unique()}@example.org`;
    const input = { name, email, relationship: 'parent' as const, preferredLocale: 'pl' as const, consentVersion: PRIVACY_NOTICE_VERSION, status: 'active' as const };
    await database.db.transaction((tx) => insertMember(tx, tenant.id, input, 'system:test'));
    const err = await database.db.transaction((tx) => insertMember(tx, tenant.id, input, 'system:test')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message) + String((err as Error).stack)).toContain(email); // the raw error does carry it
    logger.error({ err }, 'join failed');
    const log = lines.join('');
    expect(log).toContain('"code":"23505"');
    expect(log).toContain('"constraint":"members_email"');
    expect(log).toContain('insert \\"members\\"');
    expect(log).not.toContain(email);
    expect(log).not.toContain(name);
    expect(log).not.toContain('params');
  });

  it('names a statement by its kind and table only', () => {
    expect(describeStatement('insert into "members" ("name") values ($1)')).toBe('insert "members"');
    expect(describeStatement('select "id" from "email_outbox" where "to_address" = $1')).toBe('select "email_outbox"');
    expect(describeStatement('update "members" set "email" = $1')).toBe('update "members"');
    expect(describeStatement("delete from sessions where x = 'a@b.c'")).toBe('delete "sessions"');
  });
});
