import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Database } from '../db/connection.ts';
import type { Config } from './config.ts';

// Only types are imported at the top: each command loads what it uses, so that `--help` (and
// `pb`) start without loading the app, the database drivers or zod.

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

const commands: Record<string, Command> = {
  start: {
    summary: 'Migrate, load Corby on first run, and serve the site',
    usage: 'parent-mutual start\n\nSettings (environment): PORT (3000), HOST (localhost), DATABASE_URL (embedded store when unset),\nDATA_DIR (./data), DEFAULT_TENANT (on|off), LOG_LEVEL (info), SECRET_KEY.',
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
      out(result.created ? `loaded One Corby Parent Coalition (${result.tenantId})` : 'One Corby Parent Coalition is already loaded');
      return 0;
    },
  },
  'tenant create': {
    summary: 'Create a tenant (a mutual)',
    usage: 'parent-mutual tenant create --slug SLUG --name NAME --area AREA [--host HOST ...] [--default] [--locale en|pl]',
    options: {
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
      const tenant = await withDatabase(config, (d) =>
        createTenant(
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
        ),
      );
      out(`created tenant ${tenant.slug} (${tenant.id})`);
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
  backup: {
    summary: 'Write all data to a backup file (works on both stores)',
    usage: 'parent-mutual backup FILE',
    async run({ positionals, config, out }) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the backup file name, e.g. parent-mutual backup backup-2026-11-26.pmb');
      const { backup } = await import('../db/backup.ts');
      const result = await withDatabase(config, (d) => backup(d, file));
      out(`backup written: ${file} (${result.rows} rows, checksum ${result.checksum})`);
      return 0;
    },
  },
  restore: {
    summary: 'Replace all data with a backup file (refused, data untouched, if the file is corrupt or foreign)',
    usage: 'parent-mutual restore FILE',
    async run({ positionals, config, out }) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the backup file to restore');
      if (!existsSync(file)) throw new UsageError(`file not found: ${file}`);
      const { restore } = await import('../db/backup.ts');
      const result = await withDatabase(config, (d) => restore(d, file));
      out(`restored ${result.rows} rows (checksum ${result.checksum})`);
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
};

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
    const [{ DatabaseUnavailableError }, { ConfigError }, { BackupError }, { AppError }] = await Promise.all([
      import('../db/connection.ts'),
      import('./config.ts'),
      import('../db/backup.ts'),
      import('./errors.ts'),
    ]);
    if (e instanceof DatabaseUnavailableError || e instanceof ConfigError || e instanceof BackupError || e instanceof UsageError) {
      err(`error: ${e.message}`);
      return 2;
    }
    if (e instanceof AppError) {
      err(`error: ${e.message}${e.fields.length ? ` (${e.fields.map((f) => `${f.field}: ${f.message}`).join('; ')})` : ''}`);
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
