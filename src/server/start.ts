import { serve, type ServerType } from '@hono/node-server';
import { openDatabase, type Database } from '../db/connection.ts';
import { runMigrations } from '../db/migrate.ts';
import { listTenants } from '../modules/tenancy/queries.ts';
import { seedCorby, upgradeCorby } from '../modules/tenancy/seed.ts';
import { buildAssets } from '../ui/assets.ts';
import { createApp } from './app.ts';
import { runRetention } from './retention.ts';
import { runJobs, seedTenantDefaults } from './jobs.ts';
import { createTransport } from '../modules/email/transport.ts';
import { sealLegacyOutbox, useOutboxKey } from '../modules/email/sealing.ts';
import { useBallotKey } from '../modules/commissioning/ballots-seal.ts';
import { startEmailWorker } from '../modules/email/worker.ts';
import { createSmsTransport } from '../modules/sms/transport.ts';
import { startSmsWorker } from '../modules/sms/worker.ts';
import type { Config } from './config.ts';
import type { Deps } from './context.ts';
import { createLogger } from './logger.ts';
import { loadSecret } from './secret.ts';

/** Open the store, migrate, load Corby on first run, build assets: everything the app needs. */
export async function prepare(config: Config): Promise<Deps> {
  const logger = createLogger(config.logLevel);
  const [database, assets] = await Promise.all([
    openDatabase({ url: config.databaseUrl, dataDir: config.dbDir }),
    buildAssets(),
  ]);
  try {
    await runMigrations(database);
    if ((await listTenants(database.db)).length === 0) {
      const seeded = await seedCorby(database.db);
      logger.info({ tenant: seeded.tenantId }, 'loaded the default tenant (One Corby Parent Coalition) with Corby ward data');
    } else if (await upgradeCorby(database.db)) {
      logger.info('upgraded the Corby tenant: the 2025 wards are current and members were moved onto them');
    }
    await seedTenantDefaults({ database }, (await listTenants(database.db)).map((t) => t.id));
    const secret = await loadSecret(database.db, { fromEnv: process.env.SECRET_KEY, dataDir: config.dataDir, logger });
    useOutboxKey(secret);
    useBallotKey(secret);
    const legacy = await sealLegacyOutbox(database);
    if (legacy.blanked + legacy.sealed > 0) logger.info({ code: 'outbox_sealed', ...legacy }, 'sealed or blanked email bodies stored in clear by an older release');
    return { database, config, logger, secret, assets };
  } catch (err) {
    await database.close();
    throw err;
  }
}

export interface Running {
  url: string;
  server: ServerType;
  database: Database;
  /** The instance key (tests open sealed values with it). */
  secret: string;
  stop(): Promise<void>;
}

/** `clock` replaces Date.now for the second-factor step (browser tests type codes made for a fixed time). */
export async function startServer(config: Config, opts: { clock?: () => number } = {}): Promise<Running> {
  const deps: Deps = { ...(await prepare(config)), ...(opts.clock ? { clock: opts.clock } : {}) };
  const app = createApp(deps);
  const transport = createTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, production: config.env === 'production' }, deps.logger);
  const worker = config.emailWorker ? startEmailWorker({ database: deps.database, logger: deps.logger, transport }) : undefined;
  // Texts go with the email worker setting: one switch for "this process sends messages".
  const smsWorker = config.emailWorker ? startSmsWorker({ database: deps.database, logger: deps.logger, transport: createSmsTransport(config, deps.logger) }) : undefined;
  // Retention (src/db/privacy.ts): sent email after 30 days, stored idempotent responses after
  // 24 hours, spent sign-in tokens after a day. Checked hourly; any instance may do it.
  const retention = setInterval(() => {
    runRetention(deps.database.db).catch((err: unknown) => deps.logger.error({ err }, 'retention job failed'));
  }, 3600_000);
  retention.unref();
  // Module jobs (reminders, expiry notices) every five minutes, in processes that send messages.
  const jobs = config.emailWorker
    ? setInterval(() => {
        runJobs(deps, new Date(deps.clock?.() ?? Date.now())).catch((err: unknown) => deps.logger.error({ err }, 'scheduled jobs failed'));
      }, 300_000)
    : undefined;
  jobs?.unref();
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    server,
    database: deps.database,
    secret: deps.secret,
    stop() {
      clearInterval(retention);
      if (jobs) clearInterval(jobs);
      stopping ??= new Promise<void>((resolve) => server.close(() => resolve()))
        .then(() => worker?.stop())
        .then(() => smsWorker?.stop())
        .then(() => transport.close?.())
        .then(() => deps.database.close());
      return stopping;
    },
  };
}
