import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { pl } from './pl.ts';

const SRC = path.resolve(import.meta.dirname, '../..');
const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(path.join(SRC, f), 'utf8') }));

// A catalogue key: dotted words, no spaces ("reps.error.date").
const KEY = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)+$/;

/** The message literals of field issues (`message: '…'`) and zod errors (`error: '…'`, `z.x('…')`). */
function messageLiterals(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:message|error):\s*'([^'\n]+)'/g)) found.push(m[1] ?? '');
  // A string argument of a zod call: z.string('join.error.name'), .min(1, 'join.error.name'), z.iso.date('…').
  for (const line of text.split('\n').filter((l) => /\bz\.[a-z]/.test(l))) {
    for (const m of line.matchAll(/[(,]\s*'([^'\n]+)'\s*(?=[,)])/g)) {
      if (KEY.test(m[1] ?? '') || /\s/.test(m[1] ?? '')) found.push(m[1] ?? '');
    }
  }
  return found;
}

describe('error messages', () => {
  it('every catalogue key used as a field or zod message exists in English and Polish', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { file, text } of sources) {
      for (const message of messageLiterals(text).filter((m) => KEY.test(m))) {
        checked += 1;
        if (!(message in en) || !(message in pl)) missing.push(`${file}: ${message}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it('members see catalogue keys, never English-only sentences, in the membership module', () => {
    const prose = sources
      .filter(({ file }) => file.startsWith(path.join('modules', 'membership')))
      .flatMap(({ file, text }) => messageLiterals(text).filter((m) => !KEY.test(m)).map((m) => `${file}: ${m}`));
    expect(prose).toEqual([]);
  });

  it('the scan sees the messages it is meant to see', () => {
    expect(messageLiterals("[{ field: 'startsOn', message: 'reps.error.date' }]")).toEqual(['reps.error.date']);
    expect(messageLiterals("const IsoDate = z.iso.date('Use a date like 2026-11-26.');")).toEqual(['Use a date like 2026-11-26.']);
    expect(messageLiterals("name: z.string('join.error.name').trim().min(1, 'join.error.nameX'),")).toEqual(['join.error.name', 'join.error.nameX']);
  });
});
