import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.ts';
import { testApp } from '../../test/app.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { TEST_SECRET } from '../../test/secret.ts';
import { registerDevMailbox } from './pages.tsx';
import { openBody, sealLegacyOutbox, useOutboxKey } from './sealing.ts';
import { enqueueEmail, type EmailMessage } from './service.ts';
import type { EmailTransport, OutgoingEmail } from './transport.ts';
import { startEmailWorker } from './worker.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

const silent = pino({ level: 'silent' });

function transport(kind: EmailTransport['kind']): EmailTransport & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return {
    kind,
    sent,
    send(msg) {
      sent.push(msg);
      return Promise.resolve();
    },
  };
}

function message(tenantId: string, n: number): EmailMessage {
  return {
    tenantId,
    to: `sealed${n}@example.org`,
    subject: `Sign in ${n}`,
    text: `Hello, sign in at https://corby.example/sign-in/link?token=live${n}`,
    html: `<p><a href="https://corby.example/sign-in/link?token=live${n}">Sign in</a></p>`,
    template: 'test.sign_in',
    locale: 'en',
  };
}

const worker = (tenantId: string, t: EmailTransport) => startEmailWorker({ database, logger: silent, transport: t }, { intervalMs: 3_600_000, tenantId });

async function stored(tenantId: string) {
  return database.query<{ id: string; subject: string; text_body: string; html_body: string | null; status: string; last_error: string | null }>(
    'SELECT id, subject, text_body, html_body, status, last_error FROM email_outbox WHERE tenant_id = $1 ORDER BY id',
    [tenantId],
  );
}

describe(`sealed outbox bodies (${storeName()})`, () => {
  it('stores the body sealed, hands the transport the clear text, and blanks the body once it has been sent', async () => {
    const { tenant, host } = await buildTenant(database.db, { wards: false });
    await enqueueEmail(database.db, message(tenant.id, 1));
    const [queued] = await stored(tenant.id);
    expect(queued?.text_body).not.toContain('token=');
    expect(queued?.html_body).not.toContain('token=');
    expect(queued?.text_body.startsWith('sealed1:')).toBe(true);

    const smtp = transport('smtp');
    const w = worker(tenant.id, smtp);
    expect(await w.drainOnce()).toBe(1);
    await w.stop();
    expect(smtp.sent[0]?.text).toBe('Hello, sign in at https://corby.example/sign-in/link?token=live1');
    expect(smtp.sent[0]?.html).toContain('token=live1');
    const [sent] = await stored(tenant.id);
    expect(sent).toMatchObject({ status: 'sent', subject: 'Sign in 1', text_body: '', html_body: null });

    // The dev mailbox says the text is gone rather than showing an empty message.
    const { app } = await testApp({}, (a) => registerDevMailbox(a));
    const page = await app.request(`/dev/mailbox/${sent!.id}`, { headers: { host } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('no longer kept');
  });

  it('keeps the body with the development transport (the outbox is the mailbox) and opens it only there', async () => {
    const { tenant, host } = await buildTenant(database.db, { wards: false });
    const { id } = await enqueueEmail(database.db, message(tenant.id, 2));
    const dev = transport('dev');
    const w = worker(tenant.id, dev);
    await w.drainOnce();
    await w.stop();
    const [row] = await stored(tenant.id);
    expect(row?.status).toBe('sent');
    expect(openBody(row!.text_body)).toContain('token=live2');
    const { app } = await testApp({}, (a) => registerDevMailbox(a));
    const page = await (await app.request(`/dev/mailbox/${id}`, { headers: { host } })).text();
    expect(page).toContain('href="https://corby.example/sign-in/link?token=live2"');
  });

  it('refuses to send a body sealed with another key (ESEALED), and the mailbox says it cannot show it', async () => {
    const { tenant, host } = await buildTenant(database.db, { wards: false });
    useOutboxKey('some-other-instance-key-0123456789-0123456789');
    let id: string;
    try {
      ({ id } = await enqueueEmail(database.db, message(tenant.id, 3)));
    } finally {
      useOutboxKey(TEST_SECRET);
    }
    const smtp = transport('smtp');
    const w = worker(tenant.id, smtp);
    await w.drainOnce();
    await w.stop();
    expect(smtp.sent).toHaveLength(0);
    expect((await stored(tenant.id))[0]).toMatchObject({ status: 'queued', last_error: 'ESEALED' });
    const { app } = await testApp({}, (a) => registerDevMailbox(a));
    const res = await app.request(`/dev/mailbox/${id}`, { headers: { host } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('sealed with another instance key');
  });

  it('at start, seals bodies an older release stored in clear and blanks those already sent', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const insert = (id: string, status: string) =>
      database.query(
        `INSERT INTO email_outbox (tenant_id, id, to_address, subject, text_body, html_body, template, locale, status, sent_at)
         VALUES ($1, $2, 'old@example.org', 'Old', 'link https://x.example/?token=old-${status}', '<p>old</p>', 't', 'en', $3, CASE WHEN $3 = 'sent' THEN now() END)`,
        [tenant.id, id, status],
      );
    await insert('01900000-0000-7000-8000-000000000001', 'sent');
    await insert('01900000-0000-7000-8000-000000000002', 'queued');
    // Scoped to this test's tenant, the counts are exact (start-up's unscoped run also meets other tests' rows).
    const result = await sealLegacyOutbox(database, { tenantId: tenant.id });
    expect(result).toEqual({ blanked: 1, sealed: 1 });
    const [sent, queued] = await stored(tenant.id);
    expect(sent).toMatchObject({ status: 'sent', text_body: '', html_body: null });
    expect(queued?.text_body).not.toContain('token=');
    expect(openBody(queued!.text_body)).toBe('link https://x.example/?token=old-queued');
    expect(openBody(queued!.html_body!)).toBe('<p>old</p>');
    // Idempotent: a second run finds nothing left to do here, and start-up's run over every tenant changes nothing of this tenant's rows.
    expect(await sealLegacyOutbox(database, { tenantId: tenant.id })).toEqual({ blanked: 0, sealed: 0 });
    await sealLegacyOutbox(database);
    expect(openBody((await stored(tenant.id))[1]!.text_body)).toBe('link https://x.example/?token=old-queued');
  });
});
