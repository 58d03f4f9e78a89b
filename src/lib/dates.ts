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
