import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, isoDate } from './dates.ts';

describe('dates', () => {
  it('shows a day as "1 December 2026" / "1 grudnia 2026"', () => {
    expect(formatDate('en', '2026-12-01')).toBe('1 December 2026');
    expect(formatDate('pl', '2026-12-01')).toBe('1 grudnia 2026');
    expect(formatDate('en', new Date('2026-12-01T12:00:00Z'))).toBe('1 December 2026');
    expect(formatDate('pl', '2026-12-01T12:00:00.000Z')).toBe('1 grudnia 2026');
  });

  it('uses the Europe/London calendar for moments, and the day itself for calendar dates', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    expect(formatDate('en', new Date('2026-06-30T23:30:00Z'))).toBe('1 July 2026');
    expect(isoDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(isoDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
    // A calendar date never shifts a day, whatever the process time zone.
    expect(formatDate('en', '2026-07-01')).toBe('1 July 2026');
  });

  it('shows a moment with the UK time', () => {
    expect(formatDateTime('en', new Date('2026-07-01T13:05:00Z'))).toBe('1 July 2026 at 14:05');
    expect(formatDateTime('pl', new Date('2026-12-01T13:05:00Z'))).toBe('1 grudnia 2026 13:05');
  });
});

describe('one date formatter', () => {
  it('no source file outside src/lib/dates.ts formats dates its own way', () => {
    const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
    const own = /toISOString\(\)\.slice|toLocaleDateString|toLocaleTimeString|toLocaleString\(|Intl\.DateTimeFormat/;
    const offenders = files.filter((f) => path.join(src, f) !== fileURLToPath(new URL('./dates.ts', import.meta.url)) && own.test(readFileSync(path.join(src, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
