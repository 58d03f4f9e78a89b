import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { rotation } from './board.ts';
import { checkNotice } from './meetings.ts';
import { clearDaysBetween, computeQuorum, earliestMeetingDate, requiredFor, type AttendanceEntry } from './quorum.ts';
import type { GovSettings } from './settings.ts';

const here = (...ids: string[]): AttendanceEntry[] => ids.map((memberId) => ({ memberId, mode: 'in_person' }));

describe('quorum (pure)', () => {
  it.each([
    // rule, entitled, required
    [{ kind: 'number', value: 3 }, 9, 3],
    [{ kind: 'number', value: 3 }, 2, 3],
    [{ kind: 'share', value: 10 }, 100, 10],
    [{ kind: 'share', value: 10 }, 101, 11], // 10.1 → 11: rounded up
    [{ kind: 'share', value: 10 }, 5, 1], // 0.5 → 1
    [{ kind: 'share', value: 50 }, 7, 4], // 3.5 → 4
    [{ kind: 'share', value: 33 }, 300, 99], // integer arithmetic: exactly 99, no 99.00000001
    [{ kind: 'share', value: 10 }, 0, 1], // never zero
  ] as const)('%o of %i entitled needs %i', (rule, entitled, required) => {
    expect(requiredFor(rule, entitled)).toBe(required);
  });

  it('counts in person and online, not apologies; proxies only through a present holder', () => {
    const attendance: AttendanceEntry[] = [
      ...here('a', 'b'),
      { memberId: 'c', mode: 'online' },
      { memberId: 'd', mode: 'apologies' },
      { memberId: 'e', mode: 'proxy', proxyHolderId: 'a' },
      { memberId: 'f', mode: 'proxy', proxyHolderId: 'd' }, // holder absent: does not count
    ];
    const q = computeQuorum({ rule: { kind: 'number', value: 4 }, entitled: 10, attendance });
    expect(q).toEqual({ entitled: 10, present: 4, required: 4, quorate: true });
  });

  it('leaves the conflicted out of both counts (and a proxy held by, or for, them)', () => {
    const attendance: AttendanceEntry[] = [...here('a', 'b', 'c'), { memberId: 'e', mode: 'proxy', proxyHolderId: 'a' }, { memberId: 'f', mode: 'proxy', proxyHolderId: 'b' }];
    const entitledIds = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const q = computeQuorum({ rule: { kind: 'share', value: 50 }, entitled: 10, entitledIds, attendance, excluding: ['a', 'f'] });
    // Present: b, c (a excluded), e's proxy is held by a (excluded), f excluded → 2. Entitled 10 − 2 = 8 → 50% = 4.
    expect(q).toEqual({ entitled: 8, present: 2, required: 4, quorate: false });
  });

  it('ignores the excluded who are not entitled, and attendance of those not entitled', () => {
    const q = computeQuorum({ rule: { kind: 'number', value: 2 }, entitled: 3, entitledIds: ['a', 'b', 'c'], attendance: here('a', 'x'), excluding: ['y'] });
    expect(q).toEqual({ entitled: 3, present: 1, required: 2, quorate: false });
  });
});

const settings = { boardNoticeDays: 7, generalNoticeDays: 14, agmNoticeDays: 21 } as GovSettings;

describe('notice (pure, clear days, Europe/London)', () => {
  it.each([
    ['2026-12-01', '2026-12-09', 7],
    ['2026-12-01', '2026-12-02', 0],
    ['2026-12-01', '2026-12-01', -1],
  ] as const)('%s → %s has %i clear days', (a, b, n) => expect(clearDaysBetween(a, b)).toBe(n));

  it.each([
    ['board', '2026-12-09T19:00:00Z', true],
    ['board', '2026-12-08T19:00:00Z', false],
    ['general', '2026-12-16T19:00:00Z', true],
    ['general', '2026-12-15T19:00:00Z', false],
    ['agm', '2026-12-23T19:00:00Z', true],
    ['agm', '2026-12-22T23:30:00Z', false],
  ] as const)('%s meeting at %s with notice on 1 December: allowed %s', (kind, at, ok) => {
    const call = () => checkNotice({ kind, startsAt: new Date(at), now: new Date('2026-12-01T10:00:00Z'), settings });
    if (ok) expect(call).not.toThrow();
    else expect(call).toThrow(AppError);
  });

  it('says the earliest date it can be held, in words, in the reader\u2019s language', () => {
    expect(earliestMeetingDate('2026-12-01', 21)).toBe('2026-12-23');
    try {
      checkNotice({ kind: 'agm', startsAt: new Date('2026-12-10T19:00:00Z'), now: new Date('2026-12-01T10:00:00Z'), settings, locale: 'pl' });
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).key).toBe('gov.core.error.notice');
      expect((err as AppError).params).toEqual({ days: 21, date: '23 grudnia 2026' });
      expect((err as AppError).message).toContain('23 December 2026');
    }
  });

  it('uses the London date: 00:30 BST on 9 June is still 8 June in UTC, and counts as 9 June', () => {
    // Notice on 1 June (London); 7 clear days → 9 June at the earliest.
    expect(() => checkNotice({ kind: 'board', startsAt: new Date('2026-06-08T23:30:00Z'), now: new Date('2026-06-01T09:00:00Z'), settings })).not.toThrow();
  });
});

describe('rotation (pure)', () => {
  const serving = [
    { termId: '1', holderName: 'A', startsOn: '2023-06-01', endsOn: '2026-05-31' },
    { termId: '2', holderName: 'B', startsOn: '2024-06-01', endsOn: '2027-05-31' },
    { termId: '3', holderName: 'C', startsOn: '2024-06-01', endsOn: '2027-05-31' },
    { termId: '4', holderName: 'D', startsOn: '2025-06-01', endsOn: '2028-05-31' },
    { termId: '5', holderName: 'E', startsOn: '2025-06-01', endsOn: '2028-05-31' },
    { termId: '6', holderName: 'F', startsOn: '2025-06-01', endsOn: '2028-05-31' },
  ];
  it('retires ⌈seats / n⌉: the term ending first, then the longest-serving, ties by lot with the seed', () => {
    const r = rotation({ electedSeats: 9, denominator: 3, serving, agmOn: '2026-06-01', seed: 'abcdef0123456789' });
    expect(r.map((x) => [x.termId, x.reason])).toEqual([['1', 'term_end'], ['2', 'rotation'], ['3', 'rotation']]);
    // 6 seats: ⌈6/3⌉ = 2 → A, then one of B and C (same start) by lot.
    const r2 = rotation({ electedSeats: 6, denominator: 3, serving: [...serving].reverse(), agmOn: '2026-06-01', seed: 'abcdef0123456789' });
    const r3 = rotation({ electedSeats: 6, denominator: 3, serving, agmOn: '2026-06-01', seed: 'abcdef0123456789' });
    expect(r3.map((x) => x.reason)).toEqual(['term_end', 'lot']);
    expect(['2', '3']).toContain(r3[1]!.termId);
    // The same seed draws the same one whatever the input order; some other seed draws the other.
    expect(r2.map((x) => x.termId)).toEqual(r3.map((x) => x.termId));
    const drawn = new Set(['00000001', '00000002', '10000000', 'ffffffff', '7a7a7a7a', '12345678'].map((seed) => rotation({ electedSeats: 6, denominator: 3, serving, agmOn: '2026-06-01', seed })[1]!.termId));
    expect(drawn).toEqual(new Set(['2', '3']));
  });
  it('retires nobody by rotation when n = 0', () => {
    expect(rotation({ electedSeats: 9, denominator: 0, serving, agmOn: '2026-06-01', seed: '00000000' }).map((x) => x.termId)).toEqual(['1']);
  });
});
