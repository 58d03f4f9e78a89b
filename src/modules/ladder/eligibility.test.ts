import type { Locale } from '../../ui/i18n/locales.ts';
import { describe, expect, it } from 'vitest';
import { translator } from '../../ui/i18n/index.ts';
import { describeMissing, eligibility, NO_PROGRESS, pluralForm, type LevelRequirements, type MemberProgress, type Missing, type Titles } from './eligibility.ts';

const L2: LevelRequirements = {
  levelId: 'L2',
  courses: [['running-a-group', 'parent-governor']],
  qualifications: [['safeguarding']],
  minutes: 20 * 60,
  dbs: true,
  signOff: true,
};

function progress(p: Partial<MemberProgress>): MemberProgress {
  return { ...NO_PROGRESS, ...p };
}

const titles: Titles = {
  course: (k) => ({ 'safeguarding-awareness': 'Safeguarding awareness', 'running-a-group': 'Running a group', 'parent-governor': 'Being a parent governor' })[k] ?? k,
  qualification: (k) => ({ safeguarding: 'Safeguarding' })[k] ?? k,
};

const words = (locale: Locale) => {
  const t = translator(locale);
  return (k: Parameters<typeof t>[0], p?: Record<string, string | number>) => t(k, p);
};

describe('eligibility (pure)', () => {
  it('is met when every requirement is', () => {
    const all = progress({ completedCourses: new Set(['parent-governor']), validQualifications: new Set(['safeguarding']), approvedMinutes: 1200, dbsInDate: true, signedOffLevels: new Set(['L2']) });
    expect(eligibility(L2, all)).toEqual({ met: true, missing: [] });
  });

  it('lists everything missing, in a fixed order, with the minutes still short', () => {
    expect(eligibility(L2, progress({ approvedMinutes: 840 }))).toEqual({
      met: false,
      missing: [
        { kind: 'course', anyOf: ['running-a-group', 'parent-governor'] },
        { kind: 'qualification', anyOf: ['safeguarding'] },
        { kind: 'minutes', minutes: 360 },
        { kind: 'dbs' },
        { kind: 'signOff' },
      ],
    });
  });

  it('"any of": one alternative is enough; each line of all-of must be met', () => {
    const level: LevelRequirements = { levelId: 'X', courses: [['a', 'b'], ['c']], qualifications: [], minutes: 0, dbs: false, signOff: false };
    expect(eligibility(level, progress({ completedCourses: new Set(['b', 'c']) })).met).toBe(true);
    expect(eligibility(level, progress({ completedCourses: new Set(['a', 'b']) })).missing).toEqual([{ kind: 'course', anyOf: ['c'] }]);
  });

  it('a sign-off for another level does not count', () => {
    const level: LevelRequirements = { levelId: 'L3', courses: [], qualifications: [], minutes: 0, dbs: false, signOff: true };
    expect(eligibility(level, progress({ signedOffLevels: new Set(['L2']) })).missing).toEqual([{ kind: 'signOff' }]);
  });

  it('a qualification not in date (not in the valid set) does not count, even if the course was done', () => {
    const level: LevelRequirements = { levelId: 'X', courses: [], qualifications: [['safeguarding']], minutes: 0, dbs: false, signOff: false };
    expect(eligibility(level, progress({ completedCourses: new Set(['safeguarding-awareness']) })).met).toBe(false);
  });

  it('more minutes than needed, or none needed, leaves nothing missing; negative input is no progress', () => {
    const level: LevelRequirements = { levelId: 'X', courses: [], qualifications: [], minutes: 60, dbs: false, signOff: false };
    expect(eligibility(level, progress({ approvedMinutes: 600 })).met).toBe(true);
    expect(eligibility(level, progress({ approvedMinutes: -100 })).missing).toEqual([{ kind: 'minutes', minutes: 60 }]);
    expect(eligibility({ ...level, minutes: 0 }, NO_PROGRESS).met).toBe(true);
  });

  it('an empty any-of list is no requirement', () => {
    expect(eligibility({ levelId: 'X', courses: [[]], qualifications: [[]], minutes: 0, dbs: false, signOff: false }, NO_PROGRESS).met).toBe(true);
  });
});

describe('the missing list in words', () => {
  it('English: "complete Safeguarding awareness; 6 more hours"', () => {
    expect(describeMissing(words('en'), 'en', titles, [{ kind: 'course', anyOf: ['safeguarding-awareness'] }, { kind: 'minutes', minutes: 360 }])).toBe('complete Safeguarding awareness; 6 more hours');
  });

  it('Polish, with Polish plural forms', () => {
    const pl = words('pl');
    expect(describeMissing(pl, 'pl', titles, [{ kind: 'course', anyOf: ['safeguarding-awareness'] }, { kind: 'minutes', minutes: 360 }])).toBe('ukończenie kursu: Safeguarding awareness; jeszcze 6 godzin');
    expect(describeMissing(pl, 'pl', titles, [{ kind: 'minutes', minutes: 60 }])).toBe('jeszcze 1 godzina');
    expect(describeMissing(pl, 'pl', titles, [{ kind: 'minutes', minutes: 180 }])).toBe('jeszcze 3 godziny');
    expect(describeMissing(pl, 'pl', titles, [{ kind: 'minutes', minutes: 22 * 60 }])).toBe('jeszcze 22 godziny');
    expect(describeMissing(pl, 'pl', titles, [{ kind: 'minutes', minutes: 12 * 60 }])).toBe('jeszcze 12 godzin');
    expect(describeMissing(pl, 'pl', titles, [{ kind: 'minutes', minutes: 2 }])).toBe('jeszcze 2 minuty');
  });

  it('rounds part hours up, and says minutes under an hour', () => {
    const en = words('en');
    expect(describeMissing(en, 'en', titles, [{ kind: 'minutes', minutes: 301 }])).toBe('6 more hours');
    expect(describeMissing(en, 'en', titles, [{ kind: 'minutes', minutes: 60 }])).toBe('1 more hour');
    expect(describeMissing(en, 'en', titles, [{ kind: 'minutes', minutes: 45 }])).toBe('45 more minutes');
    expect(describeMissing(en, 'en', titles, [{ kind: 'minutes', minutes: 1 }])).toBe('1 more minute');
  });

  it('alternatives, accreditations, DBS and sign-off in both languages', () => {
    const missing: Missing[] = [{ kind: 'course', anyOf: ['running-a-group', 'parent-governor'] }, { kind: 'qualification', anyOf: ['safeguarding'] }, { kind: 'dbs' }, { kind: 'signOff' }];
    expect(describeMissing(words('en'), 'en', titles, missing)).toBe('complete Running a group or Being a parent governor; hold Safeguarding in date; a DBS check in date; a coordinator’s sign-off');
    expect(describeMissing(words('pl'), 'pl', titles, missing)).toBe(
      'ukończenie kursu: Running a group lub Being a parent governor; ważna akredytacja: Safeguarding; aktualne zaświadczenie DBS; zatwierdzenie przez koordynatora lub koordynatorkę',
    );
  });

  it('an unknown key shows as itself', () => {
    expect(describeMissing(words('en'), 'en', titles, [{ kind: 'course', anyOf: ['mystery-course'] }])).toBe('complete mystery-course');
  });

  it('plural forms', () => {
    expect([1, 2, 5, 22, 25, 112].map((n) => pluralForm('pl', n))).toEqual(['one', 'few', 'many', 'few', 'many', 'many']);
    expect([1, 2, 5].map((n) => pluralForm('en', n))).toEqual(['one', 'many', 'many']);
  });
});
