/**
 * Time-based one-time passwords (RFC 6238) on HOTP (RFC 4226), for the second factor staff roles
 * need (SECURITY.md item 1). Pure functions on node:crypto; storing the secret and the last used
 * step is the caller's job. Pass the stored `lastUsedStep` to `verifyTotp` and save the returned
 * step on success, so a code cannot be used twice.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** HMAC algorithms RFC 6238 allows. */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** Code parameters; the defaults (6 digits, 30 seconds, SHA-1) are what authenticator apps expect. */
export interface TotpOptions {
  digits?: number;
  stepSeconds?: number;
  algorithm?: TotpAlgorithm;
}

/** Verification options: how many steps either side of now to accept, and the last step already used. */
export interface VerifyTotpOptions extends TotpOptions {
  window?: number;
  lastUsedStep?: number;
}

/** Result of `verifyTotp`: on success, the step that matched (store it as `lastUsedStep`). */
export type VerifyTotpResult = { ok: true; step: number } | { ok: false };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as RFC 4648 base32 without padding (the form otpauth URIs use). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes RFC 4648 base32, ignoring case, spaces, hyphens and trailing `=` padding; throws on other characters. */
export function base32Decode(text: string): Uint8Array {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError('base32Decode: not a base32 string');
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/** A new random TOTP secret: 20 bytes (160 bits, as RFC 4226 recommends) in base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

function checkOptions(opts: TotpOptions): Required<TotpOptions> {
  const digits = opts.digits ?? 6;
  const stepSeconds = opts.stepSeconds ?? 30;
  const algorithm = opts.algorithm ?? 'sha1';
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) throw new RangeError('totp: digits must be 6 to 10');
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1) throw new RangeError('totp: stepSeconds must be a positive whole number');
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512') throw new RangeError('totp: unknown algorithm');
  return { digits, stepSeconds, algorithm };
}

/** The HOTP value (RFC 4226) for a raw key and counter, zero-padded to `digits`. */
export function hotpCode(key: Uint8Array, counter: number | bigint, opts: Omit<TotpOptions, 'stepSeconds'> = {}): string {
  const { digits, algorithm } = checkOptions(opts);
  const c = typeof counter === 'bigint' ? counter : BigInt(counter);
  if (c < 0n || c > 0xffff_ffff_ffff_ffffn) throw new RangeError('hotp: counter out of range');
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(c);
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fff_ffff;
  // 10 digits exceeds 2^31, so the modulo is a no-op there; pad either way.
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 time step (counter) for a time in milliseconds since the epoch. */
export function totpStep(timeMs: number, stepSeconds = 30): number {
  if (!Number.isFinite(timeMs) || timeMs < 0) throw new RangeError('totp: time must be a non-negative number of milliseconds');
  return Math.floor(timeMs / (stepSeconds * 1000));
}

/** The TOTP code for a base32 secret at a time in milliseconds since the epoch. */
export function totpCode(secretBase32: string, timeMs: number, opts: TotpOptions = {}): string {
  const o = checkOptions(opts);
  return hotpCode(base32Decode(secretBase32), totpStep(timeMs, o.stepSeconds), o);
}

/**
 * Checks a code typed by a person (spaces ignored) against the steps within `window` of now,
 * comparing in constant time and refusing any step at or before `lastUsedStep` (no replay).
 */
export function verifyTotp(secretBase32: string, code: string, timeMs: number, opts: VerifyTotpOptions = {}): VerifyTotpResult {
  const o = checkOptions(opts);
  const window = opts.window ?? 1;
  if (!Number.isInteger(window) || window < 0 || window > 10) throw new RangeError('totp: window must be 0 to 10');
  const typed = code.replace(/\s/g, '');
  if (typed.length !== o.digits || !/^\d+$/.test(typed)) return { ok: false };
  const key = base32Decode(secretBase32);
  const now = totpStep(timeMs, o.stepSeconds);
  const typedBuf = Buffer.from(typed, 'utf8');
  let matched = -1;
  // Check every step in the window without stopping early, so timing does not reveal which matched.
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(hotpCode(key, step, o), 'utf8');
    const equal = timingSafeEqual(expected, typedBuf);
    const fresh = opts.lastUsedStep === undefined || step > opts.lastUsedStep;
    if (equal && fresh && matched < 0) matched = step;
  }
  return matched >= 0 ? { ok: true, step: matched } : { ok: false };
}

/** The `otpauth://` URI an authenticator app reads from a QR code (Key URI format). */
export function otpauthUri(params: { issuer: string; account: string; secret: string } & TotpOptions): string {
  const { issuer, account, secret } = params;
  const o = checkOptions(params);
  if (issuer.includes(':') || account.includes(':')) throw new RangeError('otpauthUri: issuer and account may not contain ":"');
  if (issuer.trim() === '' || account.trim() === '') throw new RangeError('otpauthUri: issuer and account are required');
  base32Decode(secret); // throws if the secret is not base32
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = [
    `secret=${secret.replace(/[\s=-]/g, '').toUpperCase()}`,
    `issuer=${encodeURIComponent(issuer)}`,
    `algorithm=${o.algorithm.toUpperCase()}`,
    `digits=${o.digits}`,
    `period=${o.stepSeconds}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}
