/**
 * The one way dates are shown to people: "1 December 2026" / "1 grudnia 2026", on the calendar of
 * Europe/London (DESIGN.md 4). Machine-readable outputs (CSV, JSON, date inputs, file names) use
 * ISO dates instead: `isoDate`.
 */

const TIME_ZONE = 'Europe/London';
const TAGS = { en: 'en-GB', pl: 'pl-PL' } as const;
export type DateLocale = keyof typeof TAGS;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Intl formatters are costly to build: one per locale for the life of the process.
const dateFormats = Object.fromEntries(
  Object.entries(TAGS).map(([locale, tag]) => [locale, new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: TIME_ZONE })]),
) as Record<DateLocale, Intl.DateTimeFormat>;
// A calendar date ("2026-12-01") is a day, not an instant: format it as that day, in any time zone.
const calendarFormats = Object.fromEntries(
  Object.entries(TAGS).map(([locale, tag]) => [locale, new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' })]),
) as Record<DateLocale, Intl.DateTimeFormat>;
const dateTimeFormats = Object.fromEntries(
  Object.entries(TAGS).map(([locale, tag]) => [locale, new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE })]),
) as Record<DateLocale, Intl.DateTimeFormat>;
const isoParts = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: TIME_ZONE });

function instant(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A day for people: a Date, a timestamp string, or a calendar date ("2026-12-01"). */
export function formatDate(locale: DateLocale, value: Date | string): string {
  if (typeof value === 'string' && ISO_DATE.test(value)) return calendarFormats[locale].format(new Date(`${value}T00:00:00Z`));
  return dateFormats[locale].format(instant(value));
}

/** A moment for people: "1 December 2026 at 14:05" / "1 grudnia 2026 14:05" (UK time). */
export function formatDateTime(locale: DateLocale, value: Date | string): string {
  return dateTimeFormats[locale].format(instant(value));
}

/** The calendar date (YYYY-MM-DD) of a moment in Europe/London: for date inputs, CSV and file names. */
export function isoDate(value: Date | string = new Date()): string {
  const parts = Object.fromEntries(isoParts.formatToParts(instant(value)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// Calendar arithmetic on 'YYYY-MM-DD' dates (days, not instants: no time zone involved).

/** The date `days` days later (or earlier, if negative). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The date `months` months later (or earlier); the 31st of a shorter month becomes its last day. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** Whether the value is a real calendar date written 'YYYY-MM-DD' (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** '2026-Q4' for a calendar date. */
export function quarterOf(day: string): string {
  const month = Number(day.slice(5, 7));
  return `${day.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** First and last day of the calendar quarter holding `day`. */
export function quarterBounds(day: string): { from: string; to: string } {
  const month = Number(day.slice(5, 7));
  const startMonth = Math.floor((month - 1) / 3) * 3 + 1;
  const from = `${day.slice(0, 4)}-${String(startMonth).padStart(2, '0')}-01`;
  return { from, to: addDays(addMonths(from, 3), -1) };
}

// Wall-clock times on the London clock, for datetime-local inputs ("2026-12-10T18:30").
const wallParts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function wall(d: Date): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = Object.fromEntries(wallParts.formatToParts(d).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second) };
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "YYYY-MM-DDTHH:mm" on the London clock → the instant; undefined if it is not such a value (or falls in the spring gap). */
export function londonToInstant(value: string): Date | undefined {
  const m = LOCAL.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const target = Date.UTC(y, mo - 1, d, h, mi);
  let guess = target;
  // Two rounds settle the offset (GMT or BST) also next to a clock change.
  for (let i = 0; i < 2; i++) {
    const w = wall(new Date(guess));
    guess += target - Date.UTC(w.y, w.m - 1, w.d, w.h, w.min);
  }
  const check = wall(new Date(guess));
  if (check.d !== d || check.m !== mo) return undefined;
  return new Date(guess);
}

/** The instant as "YYYY-MM-DDTHH:mm" on the London clock (for datetime-local inputs). */
export function instantToLondon(value: Date): string {
  const w = wall(value);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${p(w.m)}-${p(w.d)}T${p(w.h)}:${p(w.min)}`;
}

// A calendar month ('2026-11') for people: "Nov 2026" / "lis 2026", or in full "November 2026" / "listopad 2026".
const monthFormats = {
  short: Object.fromEntries(Object.entries(TAGS).map(([l, tag]) => [l, new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone: 'UTC' })])) as Record<DateLocale, Intl.DateTimeFormat>,
  long: Object.fromEntries(Object.entries(TAGS).map(([l, tag]) => [l, new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric', timeZone: 'UTC' })])) as Record<DateLocale, Intl.DateTimeFormat>,
};

export function formatMonth(locale: DateLocale, month: string, style: 'short' | 'long' = 'short'): string {
  return monthFormats[style][locale].format(new Date(`${month}-01T00:00:00Z`));
}
