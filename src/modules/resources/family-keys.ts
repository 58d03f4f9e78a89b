/**
 * Pseudonymous family keys (issue 11, resource audit item 3): a provider replaces its own family
 * reference with HMAC-SHA256(tenant secret, normalised reference), on its own machine, before any
 * file leaves it. This file is shared by the browser's local hasher (src/client/family-keys.ts),
 * the CLI (`parent-mutual resources family-keys`) and the server's checks, so the three give the
 * same key for the same input. It uses WebCrypto only (Node 20 and every current browser): no
 * Node modules, no database.
 */
import { readCsvRows, toCsv } from '../../lib/csv.ts';

/** What a key looks like: 64 lowercase hex characters. */
export const FAMILY_KEY = /^[0-9a-f]{64}$/;

/** Trim, Unicode NFC, case-folded, inner runs of white space collapsed to one space. */
export function normaliseFamilyRef(ref: string): string {
  return ref.trim().normalize('NFC').toLowerCase().replace(/\s+/gu, ' ');
}

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The key of one family reference (the secret as the page shows it, its UTF-8 bytes as the HMAC key). */
export async function familyKey(secret: string, ref: string): Promise<string> {
  const key = await hmacKey(secret);
  return hex(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(normaliseFamilyRef(ref))));
}

export class HashCsvError extends Error {}

/**
 * A provider's CSV with the reference column replaced by `family_key` (every other column kept as
 * it is). A blank reference is an error naming its line: nothing is written for a partial file.
 */
export async function hashFamilyCsv(text: string, secret: string, column = 'family_ref'): Promise<{ csv: string; rows: number }> {
  if (!secret.trim()) throw new HashCsvError('the secret is empty: copy it from the family keys page');
  const rows = readCsvRows(text);
  const [head, ...body] = rows;
  if (!head) throw new HashCsvError('the file is empty: expected a header row');
  const header = head.cells.map((h) => h.trim());
  const at = header.findIndex((h) => h.toLowerCase() === column.toLowerCase());
  if (at < 0) throw new HashCsvError(`there is no column "${column}" in the header (${header.join(', ')}); name the column with the family reference`);
  const key = await hmacKey(secret);
  const out: string[][] = [header.map((h, i) => (i === at ? 'family_key' : h))];
  for (const r of body) {
    const ref = r.cells[at] ?? '';
    if (!ref.trim()) throw new HashCsvError(`line ${r.line}: the family reference is blank; fill it in or remove the line`);
    const k = hex(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(normaliseFamilyRef(ref))));
    out.push(r.cells.map((c, i) => (i === at ? k : c)));
  }
  return { csv: toCsv(out), rows: body.length };
}
