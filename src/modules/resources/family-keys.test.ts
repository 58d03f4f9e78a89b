// Issue 11 (resource audit item 3): pseudonymous family keys, the same in the browser and the CLI.
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../server/cli.ts';
import { familyKey, hashFamilyCsv, normaliseFamilyRef } from './family-keys.ts';

const SECRET = 'test-secret-0123456789abcdef';

describe('family keys', () => {
  it('normalises a reference: trim, NFC, case-folded, inner spaces collapsed', () => {
    expect(normaliseFamilyRef('  ANNA  Nowak\t 12 ')).toBe('anna nowak 12');
    // "ó" written as o + combining acute is the same reference as the precomposed letter.
    expect(normaliseFamilyRef('Józef')).toBe(normaliseFamilyRef('Jo\u0301zef'));
  });

  it('is lowercase hex HMAC-SHA256 of the normalised reference (fixed vectors, checked against node:crypto)', async () => {
    const vectors = ['HS-00123', '  hs-00123 ', 'Family  Ref 7', 'Łucja Wiśniewska'];
    for (const v of vectors) {
      const expected = createHmac('sha256', SECRET).update(normaliseFamilyRef(v)).digest('hex');
      expect(await familyKey(SECRET, v)).toBe(expected);
    }
    expect(await familyKey(SECRET, 'HS-00123')).toBe(await familyKey(SECRET, '  hs-00123 '));
    expect(await familyKey(SECRET, 'HS-00123')).toMatch(/^[0-9a-f]{64}$/);
    expect(await familyKey('another secret', 'HS-00123')).not.toBe(await familyKey(SECRET, 'HS-00123'));
  });

  it('replaces only the reference column of a CSV, and refuses a missing column or a blank reference', async () => {
    const csv = 'family_ref,date,provider_ref,service_ref,ward_code\r\nHS-1,2025-04-08,P,S,E05010264\r\nHS-2,2025-04-09,P,S,\r\n';
    const { csv: out, rows } = await hashFamilyCsv(csv, SECRET);
    expect(rows).toBe(2);
    const lines = out.trim().split('\r\n');
    expect(lines[0]).toBe('family_key,date,provider_ref,service_ref,ward_code');
    expect(lines[1]).toBe(`${await familyKey(SECRET, 'HS-1')},2025-04-08,P,S,E05010264`);
    expect(out).not.toContain('HS-1');
    await expect(hashFamilyCsv(csv, SECRET, 'reference')).rejects.toThrow(/no column "reference"/);
    await expect(hashFamilyCsv('family_ref,date\r\n ,2025-01-01\r\n', SECRET)).rejects.toThrow(/line 2/);
  });

  it('the CLI gives the same keys as the shared function the browser uses, offline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pm-keys-'));
    const file = path.join(dir, 'families.csv');
    writeFileSync(file, '\uFEFFref,date,provider_ref,service_ref\nHS-1,2025-04-08,P,S\nhs-1 ,2025-05-08,P,S\n');
    const lines: string[] = [];
    const errors: string[] = [];
    expect(await main(['resources', 'family-keys', file, '--secret', SECRET, '--column', 'ref'], (l) => lines.push(l), (l) => errors.push(l))).toBe(0);
    const out = lines.join('\n').split(/\r?\n/);
    const key = await familyKey(SECRET, 'HS-1');
    expect(out).toEqual(['family_key,date,provider_ref,service_ref', `${key},2025-04-08,P,S`, `${key},2025-05-08,P,S`]);
    expect(await main(['resources', 'family-keys', file, '--secret', SECRET], () => undefined, (l) => errors.push(l))).toBe(2);
    expect(errors.join('\n')).toMatch(/no column "family_ref"/);
  });
});
