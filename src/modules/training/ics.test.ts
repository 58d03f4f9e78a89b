import { describe, expect, it } from 'vitest';
import { buildCalendar, foldLine, icsText } from './ics.ts';

/** A structural RFC 5545 check: CRLF only, lines ≤ 75 octets, BEGIN/END balanced, required properties per VEVENT. */
function parseIcs(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const physical = text.slice(0, -2).split('\r\n');
  for (const l of physical) expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
  // Unfold: a line starting with a space continues the previous one.
  const lines: string[] = [];
  for (const l of physical) {
    if (l.startsWith(' ')) lines[lines.length - 1] += l.slice(1);
    else lines.push(l);
  }
  const stack: string[] = [];
  const events: Array<Map<string, string>> = [];
  for (const l of lines) {
    const i = l.indexOf(':');
    expect(i).toBeGreaterThan(0);
    const name = l.slice(0, i);
    const value = l.slice(i + 1);
    if (name === 'BEGIN') {
      stack.push(value);
      if (value === 'VEVENT') events.push(new Map());
    } else if (name === 'END') expect(stack.pop()).toBe(value);
    else if (stack.at(-1) === 'VEVENT') events.at(-1)!.set(name, value);
  }
  expect(stack).toEqual([]);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines).toContain('VERSION:2.0');
  expect(lines.some((l) => l.startsWith('PRODID:'))).toBe(true);
  for (const e of events) for (const p of ['UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY', 'SEQUENCE', 'STATUS']) expect(e.has(p), p).toBe(true);
  return events;
}

describe('iCalendar feed (RFC 5545)', () => {
  const now = new Date('2026-12-01T09:00:00Z');
  const event = {
    id: '0190a1b2-0000-7000-8000-000000000001',
    title: 'Safeguarding awareness; part 1, with a very long title that certainly needs folding at seventy-five octets',
    description: 'Zażółć gęślą jaźń, line one\nline two; back\\slash — ąęółśżźćń ąęółśżźćń ąęółśżźćń ąęółśżźćń ąęółśżźćń',
    location: 'Corby Cube, George Street',
    startsAt: new Date('2026-12-10T18:00:00Z'),
    endsAt: new Date('2026-12-10T20:00:00Z'),
    cancelled: false,
    sequence: 0,
    updatedAt: now,
    url: 'https://corby.example/training/sessions/0190a1b2-0000-7000-8000-000000000001',
  };

  it('is well formed: CRLF, folded at 75 octets (UTF-8 safe), balanced, required properties, stable UID', () => {
    const text = buildCalendar({ tenantSlug: 'corby', name: 'One Corby – Training', now, events: [event, { ...event, id: '0190a1b2-0000-7000-8000-000000000002', cancelled: true, sequence: 2 }] });
    const events = parseIcs(text);
    expect(events).toHaveLength(2);
    expect(events[0]!.get('UID')).toBe(`${event.id}@corby.parent-mutual`);
    expect(events[0]!.get('DTSTART')).toBe('20261210T180000Z');
    expect(events[0]!.get('DTSTAMP')).toBe('20261201T090000Z');
    expect(events[0]!.get('LOCATION')).toBe('Corby Cube\\, George Street');
    expect(events[0]!.get('DESCRIPTION')).toContain('line one\\nline two\\; back\\\\slash');
    expect(events[1]!.get('STATUS')).toBe('CANCELLED');
    expect(events[1]!.get('SEQUENCE')).toBe('2');
    // The same input gives the same UIDs (stable across fetches).
    expect(buildCalendar({ tenantSlug: 'corby', name: 'x', now, events: [event] })).toContain(`UID:${event.id}@corby.parent-mutual`);
  });

  it('escapes TEXT values and never splits a UTF-8 character when folding', () => {
    expect(icsText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldLine('DESCRIPTION:' + 'ż'.repeat(100));
    for (const l of folded.split('\r\n')) {
      expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
      expect(l).not.toContain('\uFFFD');
    }
    expect(folded.split('\r\n').map((l, i) => (i ? l.slice(1) : l)).join('')).toBe('DESCRIPTION:' + 'ż'.repeat(100));
  });
});
