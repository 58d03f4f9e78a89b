import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * Which reverse proxies may tell us the client address (X-Forwarded-For):
 * none; the nearest `hops` proxies (TRUST_PROXY=1, 2, …); or the proxies at these addresses or
 * CIDR ranges (TRUST_PROXY=10.0.0.1,10.1.0.0/16).
 */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'list'; ranges: string[] };

/** "10.0.0.1" or "10.1.0.0/16" or "fd00::/8": a valid address with an optional prefix length. */
export function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(raw: string | undefined): TrustProxy | string {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '0' || value.toLowerCase() === 'false' || value.toLowerCase() === 'off') return { kind: 'none' };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10 ? { kind: 'hops', hops } : 'a number of proxy hops from 0 to 10';
  }
  const ranges = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const bad = ranges.find((e) => !isAddressOrCidr(e));
  return bad === undefined ? { kind: 'list', ranges } : `"${bad}" is not an IP address or CIDR range (e.g. 10.0.0.1 or 10.1.0.0/16)`;
}

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('data'),
  /** "off" makes unknown host names get a 404 instead of the default tenant. */
  DEFAULT_TENANT: z.enum(['on', 'off']).default('on'),
  /** Largest accepted request body in bytes. */
  BODY_LIMIT: z.coerce.number().int().positive().default(1_000_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL (for links in email); defaults to http://HOST:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  /** smtp(s)://user:pass@host:port ; without it email goes to the log and the dev mailbox. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Parent Mutual <no-reply@localhost>'),
  /** "off" does not start the background email worker in this process. */
  EMAIL_WORKER: z.enum(['on', 'off']).default('on'),
  /** Reverse proxies trusted for X-Forwarded-For: a hop count or a list of addresses/CIDRs. */
  TRUST_PROXY: z.string().optional(),
  /** An Idempotency-Key left "in progress" this long (the process died) may be taken over. */
  IDEMPOTENCY_STALE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  dbDir: string;
  defaultTenantEnabled: boolean;
  bodyLimit: number;
  logLevel: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  emailWorker: boolean;
  trustProxy: TrustProxy;
  idempotencyStaleSeconds: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`invalid setting ${first?.path.join('.') ?? '?'}: ${first?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (typeof trustProxy === 'string') throw new ConfigError(`invalid setting TRUST_PROXY: ${trustProxy}`);
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    dbDir: path.join(dataDir, 'db'),
    defaultTenantEnabled: e.DEFAULT_TENANT === 'on',
    bodyLimit: e.BODY_LIMIT,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    emailWorker: e.EMAIL_WORKER === 'on',
    trustProxy,
    idempotencyStaleSeconds: e.IDEMPOTENCY_STALE_SECONDS,
  };
}
