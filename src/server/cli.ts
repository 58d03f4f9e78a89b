import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Database } from '../db/connection.ts';
import type { Config } from './config.ts';

// Only types are imported at the top: each command loads what it uses, so that `--help` (and
// `pb`) start without loading the app, the database drivers or zod.
import type { Tenant } from '../modules/tenancy/schema.ts';

type Out = (line: string) => void;

interface Command {
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[]; config: Config; out: Out }): Promise<number>;
}

const CLI_ACTOR = 'system:cli';

class UsageError extends Error {}

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const [{ openDatabase }, { runMigrations }] = await Promise.all([import('../db/connection.ts'), import('../db/migrate.ts')]);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dbDir, poolSize: 4 });
  try {
    await runMigrations(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** The tenant named by --tenant, or the default tenant. */
async function cliTenant(d: Database, slug: string | boolean | undefined): Promise<Tenant> {
  const { findDefaultTenant, findTenantBySlug } = await import('../modules/tenancy/queries.ts');
  if (typeof slug === 'string' && slug) {
    const tenant = await findTenantBySlug(d.db, slug);
    if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: parent-mutual tenant list)`);
    return tenant;
  }
  const tenant = await findDefaultTenant(d.db);
  if (!tenant) throw new UsageError('there is no default tenant: give --tenant SLUG (see: parent-mutual tenant list)');
  return tenant;
}

/** The instance key, loaded as the app loads it (a key still in the database moves out first). */
async function instanceKey(config: Config, database: Database): Promise<string> {
  const [{ loadSecret }, { createLogger }] = await Promise.all([import('./secret.ts'), import('./logger.ts')]);
  return loadSecret(database.db, { fromEnv: process.env.SECRET_KEY, dataDir: config.dataDir, logger: createLogger(config.logLevel) });
}

function writeNewKeyFile(file: string, key: string): void {
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${key}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const commands: Record<string, Command> = {
  start: {
    summary: 'Migrate, load Corby on first run, and serve the site',
    usage: 'parent-mutual start\n\nSettings (environment): PORT (3000), HOST (localhost), DATABASE_URL (embedded store when unset),\nDATA_DIR (./data), DEFAULT_TENANT (on|off), LOG_LEVEL (info),\nSECRET_KEY (else the key file DATA_DIR/secret.key, created on first start).',
    async run({ config, out }) {
      const started = performance.now();
      const { startServer } = await import('./start.ts');
      const running = await startServer(config);
      out(`Parent Mutual is ready at ${running.url} (${running.database.kind === 'pglite' ? `embedded store in ${config.dbDir}` : 'PostgreSQL'}, ${Math.round(performance.now() - started)} ms)`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          void running.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    },
  },
  'resources family-keys': {
    summary: 'Replace the family reference column of a CSV with pseudonymous family keys (offline)',
    usage:
      'parent-mutual resources family-keys IN.csv --secret SECRET [--column family_ref] > OUT.csv\n\n' +
      'Runs on your computer with no database: the secret is on the site\'s /resources/family-keys page.\n' +
      'Each reference becomes HMAC-SHA256(secret, reference trimmed, NFC, lower case, spaces collapsed),\nthe same key as the page\'s local hasher.',
    options: { secret: { type: 'string' }, column: { type: 'string' } },
    async run({ values, positionals, out }) {
      const [file] = positionals;
      if (!file || typeof values.secret !== 'string' || !values.secret) throw new UsageError('give the CSV file and --secret SECRET');
      const { hashFamilyCsv, HashCsvError } = await import('../modules/resources/family-keys.ts');
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
      } catch (e) {
        throw new UsageError(e instanceof TypeError ? `${file} is not UTF-8 text: save it as CSV UTF-8` : `cannot read ${file}`);
      }
      try {
        const { csv } = await hashFamilyCsv(text, values.secret, typeof values.column === 'string' ? values.column : 'family_ref');
        out(csv.replace(/\r\n$/, ''));
      } catch (e) {
        if (e instanceof HashCsvError) throw new UsageError(e.message);
        throw e;
      }
      return 0;
    },
  },
  migrate: {
    summary: 'Apply the database migrations',
    usage: 'parent-mutual migrate',
    async run({ config, out }) {
      await withDatabase(config, async () => undefined);
      out('migrations applied');
      return 0;
    },
  },
  seed: {
    summary: 'Load the default tenant (One Corby Parent Coalition) with the Corby ward data if missing',
    usage: 'parent-mutual seed',
    async run({ config, out }) {
      const { seedCorby } = await import('../modules/tenancy/seed.ts');
      const result = await withDatabase(config, (d) => seedCorby(d.db));
      out(result.created ? `loaded One Corby Parent Coalition (${result.tenantId})` : result.upgraded ? 'upgraded One Corby Parent Coalition to the current ward data' : 'One Corby Parent Coalition is already loaded');
      return 0;
    },
  },
  'tenant create': {
    summary: 'Create a tenant (a mutual), optionally with its first admin',
    usage:
      'parent-mutual tenant create --slug SLUG --name NAME --area AREA [--host HOST ...] [--default] [--locale en|pl]\n' +
      '  [--admin-email EMAIL --admin-name NAME]\n\n' +
      'With --admin-email and --admin-name the first admin is created and a staff invitation is queued;\n' +
      'the one-time invitation link is printed too (it works once, for 72 hours).',
    options: {
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      slug: { type: 'string' },
      name: { type: 'string' },
      area: { type: 'string' },
      host: { type: 'string', multiple: true },
      default: { type: 'boolean' },
      locale: { type: 'string' },
    },
    async run({ values, config, out }) {
      const { createTenant } = await import('../modules/tenancy/service.ts');
      const hosts = (values.host as unknown as string[] | undefined) ?? [];
      const adminEmail = values['admin-email'];
      const adminName = values['admin-name'];
      if ((adminEmail === undefined) !== (adminName === undefined)) throw new UsageError('give both --admin-email and --admin-name, or neither');
      // Check the admin's details before the tenant exists, so a typo leaves nothing half made.
      if (typeof adminEmail === 'string' && typeof adminName === 'string') (await staffModule()).checkInvitation({ email: adminEmail, name: adminName, role: 'admin' });
      const { tenant, admin } = await withDatabase(config, async (d) => {
        const created = await createTenant(
          d.db,
          {
            slug: String(values.slug ?? ''),
            name: String(values.name ?? ''),
            areaName: String(values.area ?? values.name ?? ''),
            hosts,
            isDefault: values.default === true,
            defaultLocale: values.locale === 'pl' ? 'pl' : 'en',
          },
          CLI_ACTOR,
        );
        const admin = typeof adminEmail === 'string' && typeof adminName === 'string' ? await firstAdmin(d, config, created, adminEmail, adminName) : undefined;
        return { tenant: created, admin };
      });
      out(`created tenant ${tenant.slug} (${tenant.id})`);
      if (admin) printAdmin(out, tenant.slug, admin);
      return 0;
    },
  },
  'admin create': {
    summary: 'Create the first admin of a tenant (or promote a member) and print a one-time staff invitation link',
    usage:
      'parent-mutual admin create --email EMAIL --name NAME [--tenant SLUG] [--reset-second-factor]\n\n' +
      'Creates an admin (or gives the admin role to the member with that email), audited, and queues a staff\n' +
      'invitation email. The invitation link is printed for the operator: it works once, for 72 hours; opening it\n' +
      'proves the address and sets up the authenticator app and recovery codes. Without --tenant, the default tenant.\n' +
      '--reset-second-factor first removes a lost authenticator app, recovery codes and staff passkeys.',
    options: { email: { type: 'string' }, name: { type: 'string' }, tenant: { type: 'string' }, 'reset-second-factor': { type: 'boolean' } },
    async run({ values, config, out }) {
      if (typeof values.email !== 'string' || !values.email) throw new UsageError('--email is required');
      if (typeof values.name !== 'string' || !values.name) throw new UsageError('--name is required');
      const email = values.email;
      const name = values.name;
      const { findDefaultTenant, findTenantBySlug } = await import('../modules/tenancy/queries.ts');
      const { slug, admin } = await withDatabase(config, async (d) => {
        const tenant = typeof values.tenant === 'string' ? await findTenantBySlug(d.db, values.tenant) : await findDefaultTenant(d.db);
        if (!tenant) throw new UsageError(typeof values.tenant === 'string' ? `no tenant with slug "${values.tenant}" (see: parent-mutual tenant list)` : 'there is no default tenant: give --tenant SLUG (see: parent-mutual tenant list)');
        return { slug: tenant.slug, admin: await firstAdmin(d, config, tenant, email, name, values['reset-second-factor'] === true) };
      });
      printAdmin(out, slug, admin);
      return 0;
    },
  },
  'tenant contact': {
    summary: "Set the mutual's contact shown in its privacy notice (email and postal address)",
    usage: 'parent-mutual tenant contact --tenant SLUG [--email EMAIL] [--address "LINE, LINE, POSTCODE"]\n\nAn option left out is cleared.',
    options: { tenant: { type: 'string' }, email: { type: 'string' }, address: { type: 'string' } },
    async run({ values, config, out }) {
      const slug = String(values.tenant ?? '');
      const [{ findTenantBySlug }, { setTenantContact }] = await Promise.all([import('../modules/tenancy/queries.ts'), import('../modules/tenancy/service.ts')]);
      await withDatabase(config, async (d) => {
        const tenant = await findTenantBySlug(d.db, slug);
        if (!tenant) throw new UsageError(`no tenant with slug "${slug}"`);
        await setTenantContact(d.db, tenant.id, { contactEmail: typeof values.email === 'string' ? values.email : null, contactAddress: typeof values.address === 'string' ? values.address : null }, CLI_ACTOR);
      });
      out(`contact details of ${slug} saved`);
      return 0;
    },
  },
  'tenant list': {
    summary: 'List tenants and their host names',
    usage: 'parent-mutual tenant list [--json]',
    options: { json: { type: 'boolean' } },
    async run({ values, config, out }) {
      const { listTenants } = await import('../modules/tenancy/queries.ts');
      const tenants = await withDatabase(config, (d) => listTenants(d.db));
      if (values.json) out(JSON.stringify(tenants.map((t) => ({ slug: t.slug, name: t.name, default: t.isDefault, hosts: t.hosts })), null, 2));
      else for (const t of tenants) out(`${t.slug}\t${t.name}${t.isDefault ? '\t(default)' : ''}\t${t.hosts.join(' ')}`);
      return 0;
    },
  },
  'wards load': {
    summary: 'Load or replace a ward set from a GeoJSON file and an optional CSV of facts',
    usage:
      'parent-mutual wards load --tenant SLUG --key KEY --name NAME --geojson FILE [--facts FILE.csv] [--current]\n' +
      '  [--valid-from YYYY-MM-DD] [--valid-to YYYY-MM-DD] [--source TEXT]\n' +
      '  [--code-property P] [--name-property P] [--facts-code-column C] [--population-column C] [--under5-column C]\n\n' +
      'Codes and names are guessed from WDxxCD/WDxxNM or code/name when not given.',
    options: {
      tenant: { type: 'string' },
      key: { type: 'string' },
      name: { type: 'string' },
      geojson: { type: 'string' },
      facts: { type: 'string' },
      current: { type: 'boolean' },
      'valid-from': { type: 'string' },
      'valid-to': { type: 'string' },
      source: { type: 'string' },
      'code-property': { type: 'string' },
      'name-property': { type: 'string' },
      'facts-code-column': { type: 'string' },
      'population-column': { type: 'string' },
      'under5-column': { type: 'string' },
    },
    async run({ values, config, out }) {
      const [{ findTenantBySlug }, { loadWardSet }] = await Promise.all([import('../modules/tenancy/queries.ts'), import('../modules/tenancy/service.ts')]);
      const need = (k: string) => {
        const v = values[k];
        if (typeof v !== 'string' || !v) throw new UsageError(`--${k} is required`);
        return v;
      };
      const readFile = (file: string) => {
        if (!existsSync(file)) throw new UsageError(`file not found: ${file}`);
        return readFileSync(file, 'utf8');
      };
      const slug = need('tenant');
      const geojson = readFile(need('geojson'));
      const facts = typeof values.facts === 'string' ? readFile(values.facts) : undefined;
      const result = await withDatabase(config, async (d) => {
        const tenant = await findTenantBySlug(d.db, slug);
        if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: parent-mutual tenant list)`);
        return loadWardSet(
          d.db,
          {
            tenantId: tenant.id,
            key: need('key'),
            name: need('name'),
            validFrom: values['valid-from'] as string | undefined,
            validTo: values['valid-to'] as string | undefined,
            source: (values.source as string | undefined) ?? '',
            geojson,
            factsCsv: facts,
            makeCurrent: values.current === true,
            codeProperty: values['code-property'] as string | undefined,
            nameProperty: values['name-property'] as string | undefined,
            factsCodeColumn: values['facts-code-column'] as string | undefined,
            populationColumn: values['population-column'] as string | undefined,
            under5Column: values['under5-column'] as string | undefined,
          },
          CLI_ACTOR,
        );
      });
      out(`loaded ${result.wards} wards`);
      return 0;
    },
  },
  'wards current': {
    summary: "Make a ward set the area's current one",
    usage: 'parent-mutual wards current --tenant SLUG --key KEY',
    options: { tenant: { type: 'string' }, key: { type: 'string' } },
    async run({ values, config, out }) {
      const [{ findTenantBySlug }, { setCurrentWardSet }] = await Promise.all([import('../modules/tenancy/queries.ts'), import('../modules/tenancy/service.ts')]);
      await withDatabase(config, async (d) => {
        const tenant = await findTenantBySlug(d.db, String(values.tenant ?? ''));
        if (!tenant) throw new UsageError(`no tenant with slug "${String(values.tenant ?? '')}"`);
        await setCurrentWardSet(d.db, tenant.id, String(values.key ?? ''), CLI_ACTOR);
      });
      out('current ward set changed');
      return 0;
    },
  },
  'demo load': {
    summary: 'Load a clearly labelled demo dataset (made-up members across every ward) into a tenant',
    usage: 'parent-mutual demo load [--tenant SLUG]   (default: the default tenant; loading twice adds nothing)',
    options: { tenant: { type: 'string' } },
    async run({ values, config, out }) {
      const [{ loadDemo }, { useBallotKey }] = await Promise.all([import('./demo.ts'), import('../modules/commissioning/ballots-seal.ts')]);
      // The demo's open budget round holds sealed ballots, opened with the instance key when it closes.
      const report = await withDatabase(config, async (d) => {
        useBallotKey(await instanceKey(config, d));
        return loadDemo({ db: d.db, tenant: await cliTenant(d, values.tenant), today: new Date() });
      });
      const added = report.filter((r) => r.added > 0);
      out(added.length ? `demo data loaded: ${added.map((r) => `${r.added} ${r.name}`).join(', ')} (every demo record is labelled "Demo"; remove it all with: parent-mutual demo clear)` : 'demo data is already loaded (nothing added)');
      return 0;
    },
  },
  'demo clear': {
    summary: 'Remove every demo record from a tenant, and nothing else',
    usage: 'parent-mutual demo clear [--tenant SLUG]',
    options: { tenant: { type: 'string' } },
    async run({ values, config, out }) {
      const { clearDemo } = await import('./demo.ts');
      const report = await withDatabase(config, async (d) => clearDemo({ db: d.db, tenant: await cliTenant(d, values.tenant), today: new Date() }));
      out(`demo data removed: ${report.map((r) => `${r.removed} ${r.name}`).join(', ')}`);
      return 0;
    },
  },
  backup: {
    summary: 'Write all data to a signed backup file (works on both stores; mode 0600)',
    usage: 'parent-mutual backup FILE\n\nThe file is signed with the instance key (SECRET_KEY or DATA_DIR/secret.key), which is not in it:\nkeep a copy of the key apart from the backups, or the backups cannot be restored elsewhere.',
    async run({ positionals, config, out }) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the backup file name, e.g. parent-mutual backup backup-2026-11-26.pmb');
      const { backup } = await import('../db/backup.ts');
      const result = await withDatabase(config, async (d) => backup(d, file, await instanceKey(config, d)));
      out(`backup written: ${file} (${result.rows} rows, checksum ${result.checksum})`);
      return 0;
    },
  },
  restore: {
    summary: 'Replace all data with a backup file (refused, data untouched, if the file is corrupt, edited or foreign)',
    usage:
      'parent-mutual restore FILE [--key-file KEYFILE]\n\n' +
      "--key-file: the backup was made by another install; KEYFILE holds that install's key (its secret.key,\n" +
      'or its SECRET_KEY on one line, mode 0600). Its data is sealed with that key, so after the restore the key\n' +
      'becomes this install\'s DATA_DIR/secret.key (the old file is kept beside it). With SECRET_KEY set, set it\n' +
      'to that key instead and restore without --key-file.',
    options: { 'key-file': { type: 'string' } },
    async run({ values, positionals, config, out }) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the backup file to restore');
      if (!existsSync(file)) throw new UsageError(`file not found: ${file}`);
      const [{ restore }, { keyFilePath, readKeyFile }] = await Promise.all([import('../db/backup.ts'), import('./secret.ts')]);
      const keyFile = typeof values['key-file'] === 'string' ? values['key-file'] : undefined;
      const result = await withDatabase(config, async (d) => {
        const own = await instanceKey(config, d);
        if (!keyFile) return { ...(await restore(d, file, own)), adopted: undefined };
        const theirs = readKeyFile(keyFile);
        if (theirs === own) return { ...(await restore(d, file, own)), adopted: undefined };
        if (process.env.SECRET_KEY) {
          throw new UsageError(`this install uses SECRET_KEY, and the backup's data is sealed with the key in ${keyFile}: set SECRET_KEY to that key and restore without --key-file`);
        }
        // Written first, so a key that cannot be installed stops us before the data is replaced.
        const target = keyFilePath(config.dataDir);
        const staged = `${target}.new`;
        writeNewKeyFile(staged, theirs);
        try {
          const restored = await restore(d, file, theirs);
          const kept = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
          renameSync(target, kept);
          renameSync(staged, target);
          return { ...restored, adopted: kept };
        } finally {
          rmSync(staged, { force: true });
        }
      });
      out(`restored ${result.rows} rows (checksum ${result.checksum})`);
      if (result.adopted) {
        out(`the backup's key is now this install's key (${keyFilePath(config.dataDir)}; the previous one is ${result.adopted}): restart the app, and give every instance the same key`);
      }
      return 0;
    },
  },
  'audit verify': {
    summary: 'Check every tenant audit chain; exit 1 if a row was edited or removed',
    usage: 'parent-mutual audit verify [--json]',
    options: { json: { type: 'boolean' } },
    async run({ values, config, out }) {
      const { verifyAudit } = await import('../modules/audit/service.ts');
      const report = await withDatabase(config, (d) => verifyAudit(d.db));
      if (values.json) out(JSON.stringify(report, null, 2));
      else if (report.problems.length === 0) out(`audit log intact: ${report.rows} rows in ${report.tenants} tenant chain(s)`);
      else for (const p of report.problems) out(`audit problem: tenant ${p.tenantId} row ${p.seq}: ${p.problem}`);
      return report.problems.length === 0 ? 0 : 1;
    },
  },
  pb: {
    summary: 'Count participatory-budgeting votes from a Pabulib .pb file (pb count, pb compare)',
    usage: 'parent-mutual pb count FILE.pb [options] | parent-mutual pb compare FILE.pb   (see parent-mutual pb --help)',
    async run() {
      return 0; // dispatched before option parsing, see main()
    },
  },
  stv: {
    summary: 'Count a single transferable vote from a BLT ballot file by the Scottish rules (stv count)',
    usage: 'parent-mutual stv count FILE.blt [--seats N] [--seed S] [--json]   (see parent-mutual stv count --help)',
    async run() {
      return 0; // dispatched before option parsing, see main()
    },
  },
};

// Loaded only by the commands that make admins, so the others start no slower.
const staffModule = () => import('../modules/membership/staff.ts');

async function firstAdmin(d: Database, config: Config, tenant: Tenant, email: string, name: string, resetSecondFactor = false) {
  const [{ createAdmin }, { tenantBaseUrl }] = await Promise.all([staffModule(), import('../modules/tenancy/views.ts')]);
  // The invitation email is sealed in the outbox with the instance key, as the app does.
  const { useOutboxKey } = await import('../modules/email/sealing.ts');
  useOutboxKey(await instanceKey(config, d));
  return createAdmin(d.db, tenant, { email, name }, CLI_ACTOR, await tenantBaseUrl(d.db, tenant, config.publicUrl), { resetSecondFactor });
}

function printAdmin(out: Out, slug: string, admin: Awaited<ReturnType<typeof firstAdmin>>): void {
  out(`${admin.created ? 'created' : 'promoted'} admin: member ${admin.member.memberNumber} (${admin.member.email ?? ''}) in tenant ${slug}`);
  out('staff invitation emailed; the one-time link (works once, for 72 hours) is:');
  out(admin.url);
}

function help(out: Out): void {
  out('Parent Mutual: the software a parent-owned mutual runs on.\n\nUsage: parent-mutual <command> [options]   (every command takes --help)\n\nCommands:');
  for (const [name, cmd] of Object.entries(commands)) out(`  ${name.padEnd(14)} ${cmd.summary}`);
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[], out: Out = console.log, err: Out = console.error): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    help(out);
    return argv.length === 0 ? 1 : 0;
  }
  if (argv[0] === 'pb') {
    const { runPbCommand } = await import('../modules/voting/cli.ts');
    return runPbCommand(argv.slice(1), out);
  }
  if (argv[0] === 'stv') {
    const { runStvCommand } = await import('../modules/voting/stv/cli.ts');
    return runStvCommand(argv.slice(1), out);
  }
  const two = `${argv[0]} ${argv[1] ?? ''}`;
  const name = commands[two] ? two : argv[0] ?? '';
  const command = commands[name];
  if (!command) {
    const group = Object.keys(commands).filter((k) => k.startsWith(`${argv[0]} `));
    err(group.length ? `choose one of: ${group.join(', ')}` : `unknown command "${argv[0]}" (see parent-mutual --help)`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    const { loadConfig } = await import('./config.ts');
    const config = loadConfig();
    return await command.run({ values: values as Record<string, string | boolean | undefined>, positionals, config, out });
  } catch (e) {
    const [{ DatabaseUnavailableError }, { ConfigError }, { BackupError }, { AppError }, { SecretKeyError }] = await Promise.all([
      import('../db/connection.ts'),
      import('./config.ts'),
      import('../db/backup.ts'),
      import('./errors.ts'),
      import('./secret.ts'),
    ]);
    if (e instanceof DatabaseUnavailableError || e instanceof ConfigError || e instanceof BackupError || e instanceof UsageError || e instanceof SecretKeyError) {
      err(`error: ${e.message}`);
      return 2;
    }
    if (e instanceof AppError) {
      // Field messages are catalogue keys: print the English words, never the keys.
      const { messageText, translator } = await import('../ui/i18n/index.ts');
      const t = translator('en');
      err(`error: ${e.message}${e.fields.length ? ` (${e.fields.map((f) => `${f.field}: ${messageText(t, f.message)}`).join('; ')})` : ''}`);
      return 2;
    }
    if (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      err(`error: ${e.message}\nUsage: ${command.usage}`);
      return 2;
    }
    if (e instanceof Error && e.name === 'ZodError') {
      err(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
