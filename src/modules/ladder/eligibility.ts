import type { Locale } from '../../ui/i18n/locales.ts';

/**
 * Eligibility for a level of the ladder: a pure function of the level's requirements and what a
 * member has done (no database, no clock). A requirement with several keys is met by any one of
 * them ("running-a-group or parent-governor"); every requirement of a level must be met.
 */

export interface LevelRequirements {
  levelId: string;
  /** Course requirements: each inner list is met by completing any one of its course keys. */
  courses: readonly (readonly string[])[];
  /** Qualification requirements: each inner list is met by holding any one of its kinds in date. */
  qualifications: readonly (readonly string[])[];
  /** Approved volunteering minutes needed. */
  minutes: number;
  dbs: boolean;
  signOff: boolean;
}

export interface MemberProgress {
  completedCourses: ReadonlySet<string>;
  validQualifications: ReadonlySet<string>;
  approvedMinutes: number;
  dbsInDate: boolean;
  /** Level ids a coordinator has signed the member off for. */
  signedOffLevels: ReadonlySet<string>;
}

/** One thing still missing, in a form both languages can word (stored in the snapshot as JSON). */
export type Missing =
  | { kind: 'course'; anyOf: string[] }
  | { kind: 'qualification'; anyOf: string[] }
  | { kind: 'minutes'; minutes: number }
  | { kind: 'dbs' }
  | { kind: 'signOff' };

export interface Eligibility {
  met: boolean;
  missing: Missing[];
}

/** Whether the member meets every requirement of the level, and what is missing (in a fixed order). */
export function eligibility(level: LevelRequirements, member: MemberProgress): Eligibility {
  const missing: Missing[] = [];
  for (const anyOf of level.courses) {
    if (anyOf.length && !anyOf.some((k) => member.completedCourses.has(k))) missing.push({ kind: 'course', anyOf: [...anyOf] });
  }
  for (const anyOf of level.qualifications) {
    if (anyOf.length && !anyOf.some((k) => member.validQualifications.has(k))) missing.push({ kind: 'qualification', anyOf: [...anyOf] });
  }
  const short = Math.max(0, level.minutes) - Math.max(0, member.approvedMinutes);
  if (short > 0) missing.push({ kind: 'minutes', minutes: short });
  if (level.dbs && !member.dbsInDate) missing.push({ kind: 'dbs' });
  if (level.signOff && !member.signedOffLevels.has(level.levelId)) missing.push({ kind: 'signOff' });
  return { met: missing.length === 0, missing };
}

export const NO_PROGRESS: MemberProgress = {
  completedCourses: new Set(),
  validQualifications: new Set(),
  approvedMinutes: 0,
  dbsInDate: false,
  signedOffLevels: new Set(),
};

/** Titles of courses and qualification kinds by key, in the reader's language (a missing key shows as itself). */
export interface Titles {
  course(key: string): string;
  qualification(key: string): string;
}

/** The words a page needs, as plain functions (the catalogue's `t` in practice). */
export type Words = (key: MissingWordKey, params?: Record<string, string | number>) => string;

export type MissingWordKey =
  | 'ladder.missing.course'
  | 'ladder.missing.qualification'
  | 'ladder.missing.or'
  | 'ladder.missing.hours.one'
  | 'ladder.missing.hours.few'
  | 'ladder.missing.hours.many'
  | 'ladder.missing.minutes.one'
  | 'ladder.missing.minutes.few'
  | 'ladder.missing.minutes.many'
  | 'ladder.missing.dbs'
  | 'ladder.missing.signOff'
  | 'ladder.missing.separator';

const plurals = { en: new Intl.PluralRules('en-GB'), pl: new Intl.PluralRules('pl-PL') };

/** The plural form of a whole number: English one/many, Polish one/few/many (1 godzina, 2 godziny, 5 godzin). */
export function pluralForm(locale: Locale, n: number): 'one' | 'few' | 'many' {
  const rule = plurals[locale].select(n);
  if (rule === 'one') return 'one';
  if (rule === 'few') return 'few';
  return 'many';
}

/** "6 more hours" (whole hours, rounded up) or, under an hour, "30 more minutes". */
export function describeMinutes(words: Words, locale: Locale, minutes: number): string {
  if (minutes < 60) return words(`ladder.missing.minutes.${pluralForm(locale, minutes)}`, { n: minutes });
  const hours = Math.ceil(minutes / 60);
  return words(`ladder.missing.hours.${pluralForm(locale, hours)}`, { n: hours });
}

/** One missing item in words: "complete Safeguarding awareness", "6 more hours", "a DBS check in date". */
export function describeOne(words: Words, locale: Locale, titles: Titles, m: Missing): string {
  switch (m.kind) {
    case 'course':
      return words('ladder.missing.course', { what: m.anyOf.map((k) => titles.course(k)).join(words('ladder.missing.or')) });
    case 'qualification':
      return words('ladder.missing.qualification', { what: m.anyOf.map((k) => titles.qualification(k)).join(words('ladder.missing.or')) });
    case 'minutes':
      return describeMinutes(words, locale, m.minutes);
    case 'dbs':
      return words('ladder.missing.dbs');
    case 'signOff':
      return words('ladder.missing.signOff');
  }
}

/** The whole list in one line: "complete Safeguarding awareness; 6 more hours". */
export function describeMissing(words: Words, locale: Locale, titles: Titles, missing: readonly Missing[]): string {
  return missing.map((m) => describeOne(words, locale, titles, m)).join(words('ladder.missing.separator'));
}
