/**
 * Value rules shared by the forms (service.ts) and the imports (import.ts): each answers the
 * parsed value, or a message key (res.core.err.*) that says what to fix.
 */
import { isCalendarDate } from '../../lib/dates.ts';
import type { MessageKey } from '../../ui/i18n/index.ts';

export type Rule<T> = { ok: true; value: T } | { ok: false; key: MessageKey; params?: Record<string, string | number> };

const ok = <T>(value: T): Rule<T> => ({ ok: true, value });
const bad = (key: MessageKey, params?: Record<string, string | number>): Rule<never> => (params ? { ok: false, key, params } : { ok: false, key });

/** Pounds and pence → pence: "1250", "1250.5", "1,250.50", "£1,250.50"; never negative, at most 2 decimals, commas only between thousands. */
export function parseMoney(raw: string | number): Rule<number> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) return bad('res.core.err.money');
    const pence = Math.round(raw * 100);
    if (Math.abs(raw * 100 - pence) > 1e-6) return bad('res.core.err.money');
    return ok(pence);
  }
  const text = raw.trim().replace(/^£\s*/, '');
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(text)) return bad('res.core.err.money');
  const [whole, frac = ''] = text.replace(/,/g, '').split('.') as [string, string?];
  const pence = Number(whole) * 100 + Number(frac.padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(pence)) return bad('res.core.err.money');
  return ok(pence);
}

export function parseDay(raw: string): Rule<string> {
  const text = raw.trim();
  return isCalendarDate(text) ? ok(text) : bad('res.core.err.date');
}

export function parseCount(raw: string | number, max = 10_000_000): Rule<number> {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text) || Number(text) > max) return bad('res.core.err.count');
  return ok(Number(text));
}

export function parseChoice<T extends string>(raw: string, options: readonly T[]): Rule<T> {
  const text = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (options as readonly string[]).includes(text) ? ok(text as T) : bad('res.core.err.choice', { options: options.join(', ') });
}

/** A provider's or service's own reference: letters, digits and - _ . / (1–60). */
export function parseRef(raw: string): Rule<string> {
  const text = raw.trim();
  return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$/.test(text) ? ok(text) : bad('res.core.err.ref');
}

export function parseText(raw: string, max: number, required = false): Rule<string> {
  const text = raw.trim();
  if (required && !text) return bad('res.core.err.required');
  if (text.length > max) return bad('res.core.err.tooLong', { max });
  return ok(text);
}

/** 'HH:MM' on the 24-hour clock. */
export function parseTime(raw: string): Rule<string> {
  const text = raw.trim().replace(/^(\d):/, '0$1:');
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text) ? ok(text) : bad('res.core.err.time');
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * A schedule cell of an import: "Tue 09:30-11:30; Thu 13:00-15:00" (weekday by its first three
 * letters in English, London times).
 */
export function parseSchedule(raw: string): Rule<Array<{ weekday: number; opensAt: string; closesAt: string }>> {
  const text = raw.trim();
  if (!text) return ok([]);
  const out: Array<{ weekday: number; opensAt: string; closesAt: string }> = [];
  for (const part of text.split(';')) {
    const m = /^\s*([A-Za-z]{3})[a-z]*\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    const day = m ? WEEKDAYS.indexOf(m[1]!.toLowerCase() as (typeof WEEKDAYS)[number]) : -1;
    const opens = m ? parseTime(m[2]!) : undefined;
    const closes = m ? parseTime(m[3]!) : undefined;
    if (!m || day < 0 || !opens?.ok || !closes?.ok || opens.value >= closes.value) return bad('res.core.err.schedule');
    out.push({ weekday: day + 1, opensAt: opens.value, closesAt: closes.value });
  }
  return ok(out);
}

export function formatSchedule(rows: ReadonlyArray<{ weekday: number; opensAt: string; closesAt: string }>): string {
  return rows.map((r) => `${WEEKDAYS[r.weekday - 1]!.replace(/^./, (c) => c.toUpperCase())} ${r.opensAt}-${r.closesAt}`).join('; ');
}

/** Pence as pounds for a template or a form ("1250.50"). */
export function penceToPounds(pence: number): string {
  return (pence / 100).toFixed(2);
}
