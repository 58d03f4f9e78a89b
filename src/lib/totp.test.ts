import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base32Decode, base32Encode, generateTotpSecret, hotpCode, otpauthUri, totpCode, totpStep, verifyTotp } from './totp.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const SHA1_KEY = base32Encode(ascii('12345678901234567890'));
const SHA256_KEY = base32Encode(ascii('12345678901234567890123456789012'));
const SHA512_KEY = base32Encode(ascii('1234567890123456789012345678901234567890123456789012345678901234'));

// RFC 6238 appendix B: [seconds, SHA-1, SHA-256, SHA-512], 8 digits, 30-second steps.
const RFC6238: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

// RFC 4226 appendix D: HOTP for counters 0..9 with the key "12345678901234567890".
const RFC4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

describe('base32', () => {
  it('matches the RFC 4648 test vectors (unpadded) and decodes padded input', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, enc] of vectors) {
      expect(base32Encode(ascii(plain))).toBe(enc);
      expect(new TextDecoder().decode(base32Decode(enc))).toBe(plain);
    }
    expect(new TextDecoder().decode(base32Decode('mzxw 6ytb oi======'))).toBe('foobar');
  });
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(Array.from(base32Decode(base32Encode(bytes)))).toEqual(Array.from(bytes));
      }),
    );
  });
  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('ABC1')).toThrow(RangeError);
    expect(() => base32Decode('AB!C')).toThrow(RangeError);
  });
});

describe('hotpCode (RFC 4226 appendix D)', () => {
  it('gives the published values for counters 0 to 9', () => {
    const key = ascii('12345678901234567890');
    RFC4226.forEach((expected, counter) => expect(hotpCode(key, counter)).toBe(expected));
  });
});

describe('totpCode (RFC 6238 appendix B)', () => {
  it.each(RFC6238)('at %i seconds', (seconds, sha1, sha256, sha512) => {
    const t = seconds * 1000;
    expect(totpCode(SHA1_KEY, t, { digits: 8 })).toBe(sha1);
    expect(totpCode(SHA256_KEY, t, { digits: 8, algorithm: 'sha256' })).toBe(sha256);
    expect(totpCode(SHA512_KEY, t, { digits: 8, algorithm: 'sha512' })).toBe(sha512);
  });
  it('defaults to 6 digits (the last 6 of the 8-digit value)', () => {
    expect(totpCode(SHA1_KEY, 59_000)).toBe('287082');
    expect(totpCode(SHA1_KEY, 1111111109_000)).toBe('081804');
  });
  it('uses 30-second steps', () => {
    expect(totpStep(59_000)).toBe(1);
    expect(totpStep(60_000)).toBe(2);
    expect(totpCode(SHA1_KEY, 30_000)).toBe(totpCode(SHA1_KEY, 59_999));
  });
  it('refuses bad options and times', () => {
    expect(() => totpCode(SHA1_KEY, -1)).toThrow(RangeError);
    expect(() => totpCode(SHA1_KEY, 0, { digits: 4 })).toThrow(RangeError);
    expect(() => totpCode(SHA1_KEY, 0, { stepSeconds: 0 })).toThrow(RangeError);
  });
});

describe('generateTotpSecret', () => {
  it('is 20 random bytes in base32', () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(a).not.toBe(b);
  });
});

describe('verifyTotp', () => {
  const secret = SHA1_KEY;
  const t = 1111111111_000; // step 37037037
  const step = totpStep(t);

  it('accepts the current code and returns its step; spaces are ignored', () => {
    const code = totpCode(secret, t);
    expect(verifyTotp(secret, code, t)).toEqual({ ok: true, step });
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, t)).toEqual({ ok: true, step });
  });

  it('accepts one step either side by default, not two', () => {
    expect(verifyTotp(secret, totpCode(secret, t - 30_000), t)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, totpCode(secret, t + 30_000), t)).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(secret, totpCode(secret, t - 60_000), t)).toEqual({ ok: false });
    expect(verifyTotp(secret, totpCode(secret, t + 60_000), t)).toEqual({ ok: false });
  });

  it('window 0 accepts only the current step; a wider window reaches further', () => {
    expect(verifyTotp(secret, totpCode(secret, t - 30_000), t, { window: 0 })).toEqual({ ok: false });
    expect(verifyTotp(secret, totpCode(secret, t - 60_000), t, { window: 2 })).toEqual({ ok: true, step: step - 2 });
  });

  it('refuses a replay: a step at or before lastUsedStep', () => {
    const code = totpCode(secret, t);
    const first = verifyTotp(secret, code, t);
    expect(first.ok).toBe(true);
    const used = first.ok ? first.step : -1;
    expect(verifyTotp(secret, code, t, { lastUsedStep: used })).toEqual({ ok: false });
    expect(verifyTotp(secret, code, t + 20_000, { lastUsedStep: used })).toEqual({ ok: false });
    // An older code inside the window is also refused once a later step was used.
    expect(verifyTotp(secret, totpCode(secret, t - 30_000), t, { lastUsedStep: used })).toEqual({ ok: false });
    // The next step's code is fine.
    expect(verifyTotp(secret, totpCode(secret, t + 30_000), t + 30_000, { lastUsedStep: used })).toEqual({ ok: true, step: used + 1 });
  });

  it('refuses wrong, short, long and non-numeric codes', () => {
    const code = totpCode(secret, t);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotp(secret, wrong, t).ok).toBe(false);
    expect(verifyTotp(secret, code.slice(1), t).ok).toBe(false);
    expect(verifyTotp(secret, `${code}0`, t).ok).toBe(false);
    expect(verifyTotp(secret, 'abcdef', t).ok).toBe(false);
    expect(verifyTotp(secret, '', t).ok).toBe(false);
    expect(verifyTotp(secret, '１２３４５６', t).ok).toBe(false);
  });

  it('works with 8 digits and SHA-256', () => {
    const code = totpCode(SHA256_KEY, t, { digits: 8, algorithm: 'sha256' });
    expect(code).toBe('67062674');
    expect(verifyTotp(SHA256_KEY, code, t, { digits: 8, algorithm: 'sha256' })).toEqual({ ok: true, step });
  });

  it('property: a code generated at any time verifies at that time, once', () => {
    const s = generateTotpSecret();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
        const r = verifyTotp(s, totpCode(s, ms), ms);
        expect(r.ok).toBe(true);
        if (r.ok) expect(verifyTotp(s, totpCode(s, ms), ms, { lastUsedStep: r.step }).ok).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('does not look before the epoch', () => {
    expect(verifyTotp(secret, totpCode(secret, 0), 0)).toEqual({ ok: true, step: 0 });
  });
});

describe('otpauthUri', () => {
  it('builds the Key URI an authenticator app reads', () => {
    expect(otpauthUri({ issuer: 'Parent Mutual', account: 'coordinator@example.org', secret: 'JBSWY3DPEHPK3PXP' })).toBe(
      'otpauth://totp/Parent%20Mutual:coordinator%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Parent%20Mutual&algorithm=SHA1&digits=6&period=30',
    );
  });
  it('refuses colons, blanks and a secret that is not base32', () => {
    expect(() => otpauthUri({ issuer: 'A:B', account: 'x', secret: 'JBSWY3DP' })).toThrow(RangeError);
    expect(() => otpauthUri({ issuer: 'A', account: '', secret: 'JBSWY3DP' })).toThrow(RangeError);
    expect(() => otpauthUri({ issuer: 'A', account: 'x', secret: 'not base32!' })).toThrow(RangeError);
  });
});
