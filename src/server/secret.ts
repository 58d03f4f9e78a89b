import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { instanceSettings } from '../db/system-schema.ts';
import { hmacHex, randomToken, safeEqual } from '../lib/hash.ts';
import type { Logger } from './logger.ts';

/**
 * The instance key signs CSRF tokens and backups and seals TOTP seeds and queued email. It is
 * never kept in the database (a backup or a database dump alone must not open anything): it
 * comes from SECRET_KEY, or from DATA_DIR/secret.key, created (mode 0600) on first start.
 */
export const MIN_SECRET_LENGTH = 32;
export const KEY_FILE_NAME = 'secret.key';
/** The row where releases before 0.2 kept a generated key; moved out on first start. */
const LEGACY_ROW = 'secret_key';
/** A one-way check value of the key, so instances started with different keys are noticed. */
const CHECK_ROW = 'secret_key_check';

export class SecretKeyError extends Error {}

export interface KeyOptions {
  /** SECRET_KEY from the environment ('' counts as unset). */
  fromEnv: string | undefined;
  /** DATA_DIR: the key file lives at DATA_DIR/secret.key (beside the embedded store's db/). */
  dataDir: string;
  logger: Logger;
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE_NAME);
}

// One line of printable, non-space ASCII: what we generate, and what a person can paste.
const KEY_SHAPE = /^[\x21-\x7e]+$/;

/** Read a key file, refusing one that others can read or that does not hold one key. */
export function readKeyFile(file: string): string {
  let mode: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new SecretKeyError(`${file} is not a file: it must hold the instance key`);
    mode = st.mode & 0o777;
  } catch (err) {
    if (err instanceof SecretKeyError) throw err;
    throw new SecretKeyError(`cannot read the key file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SecretKeyError(`${file} has permissions ${mode.toString(8).padStart(4, '0')}: it must be readable by its owner only (chmod 600 ${file})`);
  }
  const key = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (key.length < MIN_SECRET_LENGTH || !KEY_SHAPE.test(key)) {
    throw new SecretKeyError(`${file} is malformed: it must hold one line of at least ${MIN_SECRET_LENGTH} characters without spaces`);
  }
  return key;
}

/** Create the key file with O_EXCL and mode 0600 (never chmod afterwards); false if it already exists. */
function createKeyFile(file: string, key: string): boolean {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${key}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function checkValue(key: string): string {
  return hmacHex(key, 'parent-mutual instance key check');
}

/**
 * Load the instance key: SECRET_KEY (≥ 32 characters) or DATA_DIR/secret.key, created on first
 * start. A key an older release kept in instance_settings becomes the key file's content (so
 * sealed TOTP seeds keep opening) and its row is deleted; both are logged without the value.
 */
export async function loadSecret(db: Db, { fromEnv, dataDir, logger }: KeyOptions): Promise<string> {
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv.length < MIN_SECRET_LENGTH) {
    throw new SecretKeyError(`SECRET_KEY must be at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 48), or unset it to use ${keyFilePath(dataDir)}`);
  }
  const [legacy] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, LEGACY_ROW));
  let key: string;
  if (fromEnv) {
    key = fromEnv;
  } else {
    const file = keyFilePath(dataDir);
    // The legacy key, when there is one, must survive into the file before its row goes.
    if (createKeyFile(file, legacy?.value ?? randomToken(48))) {
      logger.info({ code: legacy ? 'secret_key_moved' : 'secret_key_created', file }, legacy ? 'moved the instance key from the database to the key file' : 'created the instance key file');
    }
    key = readKeyFile(file);
  }
  if (legacy) {
    await db.delete(instanceSettings).where(eq(instanceSettings.key, LEGACY_ROW));
    if (safeEqual(legacy.value, key)) {
      logger.info({ code: 'secret_key_row_deleted' }, 'deleted the instance key from the database (it is kept outside the database now)');
    } else {
      logger.warn({ code: 'secret_key_row_discarded' }, 'deleted a different instance key found in the database; anything sealed with it (second factors, queued email) no longer opens');
    }
  }
  const check = checkValue(key);
  await db.insert(instanceSettings).values({ key: CHECK_ROW, value: check }).onConflictDoNothing();
  const [stored] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, CHECK_ROW));
  if (stored && !safeEqual(stored.value, check)) {
    logger.warn(
      { code: 'secret_key_mismatch' },
      'this database was first used with another instance key: every app instance must use the same SECRET_KEY (or the same secret.key file), or second factors and sealed email will not open',
    );
  }
  return key;
}
