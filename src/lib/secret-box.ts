import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Encrypt small secrets at rest (e.g. TOTP seeds) with AES-256-GCM under a key derived from the instance secret. */
function key(secret: string, purpose: string): Buffer {
  // Derived keys are kept (in memory only, like the secret they come from): a ballot round seals
  // every vote under one purpose, and HKDF per call was a measurable share of a vote's CPU.
  const id = `${purpose}\u0000${secret}`;
  let k = derived.get(id);
  if (!k) {
    k = Buffer.from(hkdfSync('sha256', secret, 'parent-mutual', purpose, 32));
    if (derived.size >= 1024) derived.clear();
    derived.set(id, k);
  }
  return k;
}
const derived = new Map<string, Buffer>();

export function seal(secret: string, purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function open(secret: string, purpose: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('sealed value is malformed');
  const decipher = createDecipheriv('aes-256-gcm', key(secret, purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
