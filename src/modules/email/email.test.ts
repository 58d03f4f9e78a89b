import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.ts';
import type { Logger } from '../../server/logger.ts';
import { testApp } from '../../test/app.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { registerDevMailbox } from './pages.tsx';
import { enqueueEmail, purgeSentEmail, type EmailMessage } from './service.ts';
import { createTransport, EmailConfigError, EmailSendError, type EmailTransport, type OutgoingEmail } from './transport.ts';
import { MAX_ATTEMPTS, startEmailWorker } from './worker.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

/** A logger whose JSON lines we can read back, to check they carry no address or content. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug', base: undefined }, stream), lines };
}

const silent = pino({ level: 'silent' });

/** Records what it was asked to send; `delivered` settles with the first message sent. */
function recordingTransport(): EmailTransport & { sent: OutgoingEmail[]; delivered: Promise<OutgoingEmail> } {
  const sent: OutgoingEmail[] = [];
  let first: (msg: OutgoingEmail) => void = () => undefined;
  const delivered = new Promise<OutgoingEmail>((resolve) => (first = resolve));
  return {
    kind: 'dev',
    sent,
    delivered,
    send(msg) {
      sent.push(msg);
      first(msg);
      return Promise.resolve();
    },
  };
}

/**
 * Like recordingTransport, but the first send waits until a second send has started: the
 * messages are then provably sent by two drains at the same time (`overlapped`), not one after
 * the other. Gives up waiting after `patienceMs` so a failure says why instead of hanging.
 */
function overlappingTransport(patienceMs = 20_000): EmailTransport & { sent: OutgoingEmail[]; overlapped: () => boolean } {
  const sent: OutgoingEmail[] = [];
  let calls = 0;
  let overlapped = false;
  let second: () => void = () => undefined;
  const secondStarted = new Promise<void>((resolve) => (second = resolve));
  return {
    kind: 'dev',
    sent,
    overlapped: () => overlapped,
    async send(msg) {
      calls += 1;
      if (calls === 1) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([secondStarted, new Promise<void>((resolve) => (timer = setTimeout(resolve, patienceMs)))]);
        clearTimeout(timer);
      } else if (calls === 2) {
        overlapped = true;
        second();
      }
      sent.push(msg);
    },
  };
}

/** An injected clock for the worker, starting a day after the database's now() (so what is queued is due). */
async function testClock() {
  const [row] = await database.query<{ t: Date | string }>("SELECT date_trunc('hour', now()) + interval '1 day' AS t");
  let t = new Date(row!.t).getTime();
  return {
    now: () => new Date(t),
    at: () => t,
    set: (ms: number) => void (t = ms),
  };
}

function message(tenantId: string, n: number, extra: Partial<EmailMessage> = {}): EmailMessage {
  return {
    tenantId,
    to: `parent${n}@example.org`,
    subject: `Welcome ${n}`,
    text: `Hello ${n}, confirm at https://corby.example/join/confirm?token=abc${n}.`,
    template: 'test.welcome',
    locale: 'en',
    ...extra,
  };
}

async function rowsOf(tenantId: string) {
  const rows = await database.query<{ id: string; status: string; attempts: number; last_error: string | null; sent_at: Date | null; next_attempt_at: Date | string }>(
    `SELECT id, status, attempts, last_error, sent_at, next_attempt_at FROM email_outbox WHERE tenant_id = $1 ORDER BY id`,
    [tenantId],
  );
  return rows.map(({ next_attempt_at, ...r }) => ({ ...r, next_ms: new Date(next_attempt_at).getTime() }));
}

// A worker that only drains when told to (the loop's first tick is an hour away).
function manualWorker(tenantId: string, transport: EmailTransport, logger: Logger = silent, now?: () => Date) {
  return startEmailWorker({ database, logger, transport }, { intervalMs: 3_600_000, tenantId, now });
}

describe(`email outbox (${storeName()})`, () => {
  it('queues nothing when the business transaction rolls back', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueEmail(tx, message(tenant.id, 1));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await rowsOf(tenant.id)).toEqual([]);

    await database.db.transaction((tx) => enqueueEmail(tx, message(tenant.id, 2)));
    expect(await rowsOf(tenant.id)).toHaveLength(1);
  });

  it('queues one email per dedupe key and tenant, and replays return the first id', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const other = await buildTenant(database.db, { wards: false });
    const first = await database.db.transaction((tx) => enqueueEmail(tx, message(tenant.id, 1, { dedupeKey: 'confirm:42' })));
    const replay = await database.db.transaction((tx) => enqueueEmail(tx, message(tenant.id, 1, { dedupeKey: 'confirm:42' })));
    expect(first.duplicate).toBe(false);
    expect(replay).toEqual({ id: first.id, duplicate: true });
    expect(await rowsOf(tenant.id)).toHaveLength(1);

    // The replay left the caller's transaction usable (DO NOTHING, not an error).
    await database.db.transaction(async (tx) => {
      await enqueueEmail(tx, message(tenant.id, 1, { dedupeKey: 'confirm:42' }));
      await enqueueEmail(tx, message(tenant.id, 2));
    });
    expect(await rowsOf(tenant.id)).toHaveLength(2);

    const elsewhere = await database.db.transaction((tx) => enqueueEmail(tx, message(other.tenant.id, 1, { dedupeKey: 'confirm:42' })));
    expect(elsewhere.duplicate).toBe(false);
  });

  it('refuses a header break in the subject and a list of addresses', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    await expect(enqueueEmail(database.db, message(tenant.id, 1, { subject: 'Hi\r\nBcc: victim@example.org' }))).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'subject' }],
    });
    await expect(enqueueEmail(database.db, message(tenant.id, 1, { to: 'a@example.org, b@example.org' }))).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'to' }],
    });
    expect(await rowsOf(tenant.id)).toEqual([]);
  });

  it('sends each due message exactly once, even with two drains at the same time', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 12; i += 1) await enqueueEmail(tx, message(tenant.id, i));
    });
    const later = await enqueueEmail(database.db, message(tenant.id, 99));
    await database.query(`UPDATE email_outbox SET next_attempt_at = now() + interval '1 hour' WHERE tenant_id = $1 AND id = $2`, [tenant.id, later.id]);

    const transport = overlappingTransport();
    const a = manualWorker(tenant.id, transport);
    const b = manualWorker(tenant.id, transport);
    const [fromA, fromB] = await Promise.all([a.drainOnce(), b.drainOnce()]);
    await Promise.all([a.stop(), b.stop()]);

    // Both drains sent, and two sends were in flight at once: they really ran at the same time.
    expect(transport.overlapped()).toBe(true);
    expect(fromA).toBeGreaterThan(0);
    expect(fromB).toBeGreaterThan(0);
    expect(fromA + fromB).toBe(12);
    const ids = transport.sent.map((m) => m.id);
    expect(new Set(ids).size).toBe(12);
    expect(ids).not.toContain(later.id);
    const rows = await rowsOf(tenant.id);
    expect(rows.filter((r) => r.status === 'sent' && r.sent_at !== null && r.attempts === 1)).toHaveLength(12);
    expect(rows.find((r) => r.id === later.id)?.status).toBe('queued');

    // Nothing is due any more: a second drain sends nothing again.
    const again = manualWorker(tenant.id, transport);
    expect(await again.drainOnce()).toBe(0);
    await again.stop();
    expect(transport.sent).toHaveLength(12);
  });

  // PGlite has one connection: a second transaction cannot hold a row lock while the worker runs.
  it.skipIf(storeName() !== 'postgres')(`passes over a message another worker holds instead of waiting for it${storeName() === 'postgres' ? '' : ' (skipped: needs PostgreSQL)'}`, async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const held = await enqueueEmail(database.db, message(tenant.id, 1));
    await enqueueEmail(database.db, message(tenant.id, 2));
    await enqueueEmail(database.db, message(tenant.id, 3));
    // The held message is the oldest due one, so a claim without SKIP LOCKED would block on it.
    await database.query(`UPDATE email_outbox SET next_attempt_at = now() - interval '1 minute' WHERE tenant_id = $1 AND id = $2`, [tenant.id, held.id]);
    const transport = recordingTransport();
    const worker = manualWorker(tenant.id, transport);
    const sentWhileHeld = await database.rawTransaction(async (q) => {
      await q(`SELECT id FROM email_outbox WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenant.id, held.id]);
      return worker.drainOnce();
    });
    expect(sentWhileHeld).toBe(2);
    expect(transport.sent.map((m) => m.id)).not.toContain(held.id);
    expect(await worker.drainOnce()).toBe(1);
    await worker.stop();
    expect(transport.sent.map((m) => m.id)).toContain(held.id);
  });

  it('retries a failed send with growing delays, then gives up, storing only the error code', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const { id } = await database.db.transaction((tx) => enqueueEmail(tx, message(tenant.id, 1)));
    let calls = 0;
    const failing: EmailTransport = {
      kind: 'smtp',
      send(msg) {
        calls += 1;
        // Like a real SMTP rejection, the message quotes the address: it must not be stored or logged.
        return Promise.reject(Object.assign(new Error(`451 4.7.1 <${msg.to}> try later`), { code: 'EENVELOPE', responseCode: 451 }));
      },
    };
    const { logger, lines } = capturingLogger();
    // The worker's clock is injected: each retry is due exactly when the test moves the clock there.
    const clock = await testClock();
    const worker = manualWorker(tenant.id, failing, logger, clock.now);

    expect(await worker.drainOnce()).toBe(1);
    let [row] = await rowsOf(tenant.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'EENVELOPE 451' });
    expect(row?.next_ms).toBe(clock.at() + 60_000);

    // Not due yet, even a second before: the next drains leave it alone.
    expect(await worker.drainOnce()).toBe(0);
    clock.set(row!.next_ms - 1000);
    expect(await worker.drainOnce()).toBe(0);
    expect(calls).toBe(1);

    const expectedWaits = [5 * 60, 30 * 60, 2 * 3600, 12 * 3600];
    for (const [i, wait] of expectedWaits.entries()) {
      clock.set(row!.next_ms);
      expect(await worker.drainOnce()).toBe(1);
      [row] = await rowsOf(tenant.id);
      expect(row).toMatchObject({ status: 'queued', attempts: i + 2 });
      expect(row?.next_ms).toBe(clock.at() + wait * 1000);
    }
    clock.set(row!.next_ms);
    expect(await worker.drainOnce()).toBe(1);
    [row] = await rowsOf(tenant.id);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, sent_at: null });
    expect(calls).toBe(MAX_ATTEMPTS);

    // Failed for good: never picked up again, however late.
    clock.set(clock.at() + 365 * 86_400_000);
    expect(await worker.drainOnce()).toBe(0);
    expect(calls).toBe(MAX_ATTEMPTS);
    await worker.stop();

    const log = lines.join('');
    expect(log).toContain(id);
    expect(log).toContain('EENVELOPE 451');
    expect(log).not.toContain('@example.org');
    expect(log).not.toContain('Welcome 1');
    expect(log).not.toContain('token=');
  });

  it('never makes the request path wait for a send in progress', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    await enqueueEmail(database.db, message(tenant.id, 1));
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const sendStarted = new Promise<void>((resolve) => (started = resolve));
    let calls = 0;
    // The first send hangs (an SMTP server that stopped answering) until the test releases it.
    const hanging: EmailTransport = {
      kind: 'smtp',
      send: () => {
        if (calls++ > 0) return Promise.resolve();
        started();
        return new Promise<void>((resolve) => (release = resolve));
      },
    };
    const worker = manualWorker(tenant.id, hanging);
    const draining = worker.drainOnce();
    // The worker has claimed the row and its send is in progress (told by the transport, not by polling).
    await sendStarted;
    expect((await rowsOf(tenant.id))[0]?.status).toBe('sending');

    // A request queues another email while the SMTP server hangs: it commits at once.
    const queued = await database.db.transaction((tx) => enqueueEmail(tx, message(tenant.id, 2)));
    expect(queued.duplicate).toBe(false);

    release();
    expect(await draining).toBe(2);
    await worker.stop();
  });

  it('puts a message stuck in sending (a crashed worker) back in the queue, and fails it when out of attempts', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const stuck = await enqueueEmail(database.db, message(tenant.id, 1));
    const hopeless = await enqueueEmail(database.db, message(tenant.id, 2));
    const fresh = await enqueueEmail(database.db, message(tenant.id, 3));
    // Leases, against the worker's injected clock: ended a minute ago (a crashed worker, claimed 11
    // minutes ago), and one with 9 minutes still to run on another worker.
    const clock = await testClock();
    const lease = (id: string, attempts: number, offset: string) =>
      database.query(`UPDATE email_outbox SET status = 'sending', attempts = $3, next_attempt_at = $4::timestamptz + $5::interval WHERE tenant_id = $1 AND id = $2`, [
        tenant.id,
        id,
        attempts,
        clock.now().toISOString(),
        offset,
      ]);
    await lease(stuck.id, 1, '-1 minute');
    await lease(hopeless.id, MAX_ATTEMPTS, '-1 minute');
    await lease(fresh.id, 1, '9 minutes');

    const transport = recordingTransport();
    const worker = manualWorker(tenant.id, transport, silent, clock.now);
    expect(await worker.drainOnce()).toBe(1);
    await worker.stop();

    expect(transport.sent.map((m) => m.id)).toEqual([stuck.id]);
    const byId = new Map((await rowsOf(tenant.id)).map((r) => [r.id, r]));
    expect(byId.get(stuck.id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(byId.get(hopeless.id)).toMatchObject({ status: 'failed', last_error: 'ESTUCK' });
    expect(byId.get(fresh.id)).toMatchObject({ status: 'sending', attempts: 1 });
  });

  it('keeps looping in the background: sends, survives a failing database call, and stops cleanly', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const { id } = await enqueueEmail(database.db, message(tenant.id, 1));
    let failures = 0;
    // Fault injection around the real database: the first query fails as on a dropped connection.
    const flaky: Database = {
      ...database,
      query: <T,>(text: string, params?: unknown[]) => {
        if (failures === 0) {
          failures += 1;
          return Promise.reject(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
        }
        return database.query<T>(text, params);
      },
    };
    const { logger, lines } = capturingLogger();
    const transport = recordingTransport();
    // The loop runs on its own (every 10 ms); the test waits for the send itself, however long the machine takes.
    const worker = startEmailWorker({ database: flaky, logger, transport }, { intervalMs: 10, tenantId: tenant.id });
    expect((await transport.delivered).id).toBe(id);
    await worker.stop();
    expect(failures).toBe(1);
    expect(transport.sent.map((m) => m.id)).toEqual([id]);
    expect(lines.join('')).toContain('ECONNRESET');
    expect((await rowsOf(tenant.id))[0]?.status).toBe('sent');
  });

  it('purges sent and failed email older than the retention, and nothing still to send', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const old = await enqueueEmail(database.db, message(tenant.id, 1));
    const recent = await enqueueEmail(database.db, message(tenant.id, 2));
    const oldQueued = await enqueueEmail(database.db, message(tenant.id, 3));
    const oldFailed = await enqueueEmail(database.db, message(tenant.id, 4));
    await database.query(`UPDATE email_outbox SET status = 'sent', sent_at = now() - interval '31 days' WHERE tenant_id = $1 AND id = $2`, [tenant.id, old.id]);
    await database.query(`UPDATE email_outbox SET status = 'sent', sent_at = now() - interval '1 day' WHERE tenant_id = $1 AND id = $2`, [tenant.id, recent.id]);
    await database.query(`UPDATE email_outbox SET created_at = now() - interval '40 days' WHERE tenant_id = $1 AND id = $2`, [tenant.id, oldQueued.id]);
    await database.query(`UPDATE email_outbox SET status = 'failed', created_at = now() - interval '40 days' WHERE tenant_id = $1 AND id = $2`, [tenant.id, oldFailed.id]);

    const other = await buildTenant(database.db, { wards: false });
    const theirs = await enqueueEmail(database.db, message(other.tenant.id, 5));
    await database.query(`UPDATE email_outbox SET status = 'sent', sent_at = now() - interval '31 days' WHERE tenant_id = $1 AND id = $2`, [other.tenant.id, theirs.id]);

    // Scoped to this test's tenant, the count is exact: the old sent one and the old failed one.
    expect(await purgeSentEmail(database.db, 30, { tenantId: tenant.id })).toBe(2);
    expect((await rowsOf(tenant.id)).map((r) => r.id).sort()).toEqual([recent.id, oldQueued.id].sort());
    expect((await rowsOf(other.tenant.id)).map((r) => r.id)).toEqual([theirs.id]);
    // Unscoped (the retention job), it reaches every tenant. Its count includes other tests' rows, so only the rows are checked.
    await purgeSentEmail(database.db, 30);
    expect(await rowsOf(other.tenant.id)).toEqual([]);
    expect((await rowsOf(tenant.id)).map((r) => r.id).sort()).toEqual([recent.id, oldQueued.id].sort());
    await expect(purgeSentEmail(database.db, -1)).rejects.toThrow(RangeError);
  });
});

/** A minimal SMTP server (RFC 5321 happy path), enough for nodemailer to deliver to. */
async function smtpServer(opts: { rejectRcpt?: string } = {}): Promise<{ port: number; received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    let inData = false;
    let data = '';
    socket.write('220 test.local ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push(data);
            data = '';
            socket.write('250 2.0.0 queued\r\n');
          } else data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-test.local\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') socket.write('250 2.1.0 ok\r\n');
        else if (verb === 'RCPT') socket.write(opts.rejectRcpt ? `${opts.rejectRcpt}\r\n` : '250 2.1.5 ok\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.write('221 bye\r\n');
          socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') socket.write('250 ok\r\n');
        else socket.write('502 5.5.2 not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe(`email transports (${storeName()})`, () => {
  it('delivers through SMTP with a stable Message-ID, and stores only the code when the server refuses', async () => {
    const { tenant } = await buildTenant(database.db, { wards: false });
    const good = await smtpServer();
    const transport = createTransport({ smtpUrl: `smtp://127.0.0.1:${good.port}`, from: 'One Corby <hello@corby.example>', production: true }, silent);
    expect(transport.kind).toBe('smtp');
    const { id } = await enqueueEmail(database.db, message(tenant.id, 1, { html: '<p>Hello</p>' }));
    const worker = manualWorker(tenant.id, transport);
    expect(await worker.drainOnce()).toBe(1);
    await worker.stop();
    transport.close?.();
    await good.close();
    expect(good.received).toHaveLength(1);
    const mail = good.received[0] ?? '';
    expect(mail).toContain(`Message-ID: <${id}@corby.example>`);
    expect(mail).toContain('To: parent1@example.org');
    expect(mail).toContain('Subject: Welcome 1');
    expect(mail).toContain('Auto-Submitted: auto-generated');
    expect(mail).toContain('text/html');
    expect((await rowsOf(tenant.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });

    const refusing = await smtpServer({ rejectRcpt: '550 5.1.1 <parent2@example.org> no such user' });
    const refusingTransport = createTransport({ smtpUrl: `smtp://127.0.0.1:${refusing.port}`, from: 'hello@corby.example', production: true }, silent);
    const second = await enqueueEmail(database.db, message(tenant.id, 2));
    const worker2 = manualWorker(tenant.id, refusingTransport);
    await worker2.drainOnce();
    await worker2.stop();
    refusingTransport.close?.();
    await refusing.close();
    const row = (await rowsOf(tenant.id)).find((r) => r.id === second.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'EENVELOPE 550' });
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps://, without echoing its password', () => {
    expect(() => createTransport({ smtpUrl: 'http://user:secret@mail.example', from: 'a@b.example', production: true }, silent)).toThrow(EmailConfigError);
    expect(() => createTransport({ smtpUrl: 'http://user:secret@mail.example', from: 'a@b.example', production: true }, silent)).not.toThrow(/secret/);
    expect(() => createTransport({ smtpUrl: 'not a url', from: 'a@b.example', production: false }, silent)).toThrow(EmailConfigError);
  });

  it('without SMTP: logs only the id outside production, and refuses to pretend in production', async () => {
    const { logger, lines } = capturingLogger();
    const dev = createTransport({ from: 'hello@corby.example', production: false }, logger);
    expect(dev.kind).toBe('dev');
    const msg: OutgoingEmail = { id: 'id-1', tenantId: 't', to: 'parent@example.org', subject: 'Secret subject', text: 'Body', html: null, template: 'x' };
    await dev.send(msg);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'email queued for delivery (dev)', emailId: 'id-1' });
    expect(lines[0]).not.toContain('parent@example.org');
    expect(lines[0]).not.toContain('Secret subject');

    const prod = createTransport({ from: 'hello@corby.example', production: true }, logger);
    expect(prod.kind).toBe('unconfigured');
    await expect(prod.send(msg)).rejects.toEqual(new EmailSendError('ENOSMTP'));
  });
});

describe(`development mailbox (${storeName()})`, () => {
  it('lists only the current tenant’s email, newest first, and shows one with clickable links', async () => {
    const { app } = await testApp({}, (a) => registerDevMailbox(a));
    const mine = await buildTenant(database.db, { wards: false });
    const theirs = await buildTenant(database.db, { wards: false });
    const first = await enqueueEmail(database.db, message(mine.tenant.id, 1));
    const second = await enqueueEmail(database.db, message(mine.tenant.id, 2));
    const foreign = await enqueueEmail(database.db, message(theirs.tenant.id, 3, { subject: 'Not yours' }));

    const list = await app.request('/dev/mailbox', { headers: { host: mine.host } });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const html = await list.text();
    expect(html).toContain('<h1>Development mailbox</h1>');
    expect(html).toContain('<caption>');
    expect(html).toContain('scope="col"');
    expect(html).not.toContain('Not yours');
    expect(html).not.toContain(foreign.id);
    expect(html.indexOf(second.id)).toBeGreaterThan(-1);
    expect(html.indexOf(second.id)).toBeLessThan(html.indexOf(first.id));
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)|\sstyle=/);

    const one = await app.request(`/dev/mailbox/${first.id}`, { headers: { host: mine.host } });
    expect(one.status).toBe(200);
    const page = await one.text();
    expect(page).toContain('<h1>Welcome 1</h1>');
    expect(page).toContain('<pre>Hello 1, confirm at <a href="https://corby.example/join/confirm?token=abc1">https://corby.example/join/confirm?token=abc1</a>.</pre>');

    const crossTenant = await app.request(`/dev/mailbox/${foreign.id}`, { headers: { host: mine.host } });
    expect(crossTenant.status).toBe(404);
    expect(await crossTenant.text()).not.toContain('Not yours');
    expect((await app.request('/dev/mailbox/not-a-uuid', { headers: { host: mine.host } })).status).toBe(404);

    const polish = await app.request('/dev/mailbox?lang=pl', { headers: { host: mine.host } });
    expect(await polish.text()).toContain('<h1>Skrzynka deweloperska</h1>');
  });

  it('shows an empty mailbox plainly', async () => {
    const { app } = await testApp({}, (a) => registerDevMailbox(a));
    const { host } = await buildTenant(database.db, { wards: false });
    const res = await app.request('/dev/mailbox', { headers: { host } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('No email has been queued yet.');
  });

  it('does not exist in production, even when mounted by mistake', async () => {
    const { app } = await testApp({ env: 'production' }, (a) => registerDevMailbox(a));
    const { tenant, host } = await buildTenant(database.db, { wards: false });
    const { id } = await enqueueEmail(database.db, message(tenant.id, 1));
    for (const path of ['/dev/mailbox', `/dev/mailbox/${id}`]) {
      const res = await app.request(path, { headers: { host } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('parent1@example.org');
    }
  });
});
