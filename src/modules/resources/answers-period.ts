import { isoDate } from '../../lib/dates.ts';
import { AppError } from '../../server/errors.ts';
import type { Translate } from '../../ui/i18n/index.ts';

/**
 * The answers' periods: a financial year (April–March, key `fy2025` = 1 April 2025 – 31 March
 * 2026) or one of its quarters (`fy2025q1` = April–June 2025 … `fy2025q4` = January–March 2026).
 * A spend or reach line counts in a period when its own period lies inside it.
 */
export interface Period {
  key: string;
  start: string;
  end: string;
}

const KEY = /^fy(\d{4})(?:q([1-4]))?$/;

function lastDay(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The period of a key, or undefined when the key is not one. */
export function periodOf(key: string): Period | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const y = Number(m[1]);
  if (y < 2000 || y > 2100) return undefined;
  if (!m[2]) return { key, start: `${y}-04-01`, end: `${y + 1}-03-31` };
  const q = Number(m[2]);
  const startMonth = ((q - 1) * 3 + 3) % 12 + 1; // 4, 7, 10, 1
  const year = q === 4 ? y + 1 : y;
  return { key, start: `${year}-${String(startMonth).padStart(2, '0')}-01`, end: lastDay(year, startMonth + 2) };
}

/** The financial year (its first calendar year) holding a London day 'YYYY-MM-DD'. */
export function financialYearOf(day: string): number {
  const y = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 4 ? y : y - 1;
}

function londonDay(now: Date): string {
  return isoDate(now);
}

/** The last full financial year before `now` (the default period). */
export function defaultPeriod(now: Date): Period {
  return periodOf(`fy${financialYearOf(londonDay(now)) - 1}`)!;
}

/** The query's `period`, the default when absent; a bad key is a field error. */
export function parsePeriod(value: string | undefined, now: Date): Period {
  if (value === undefined || value === '') return defaultPeriod(now);
  const p = periodOf(value);
  if (!p) throw new AppError('validation_failed', 'period must be a financial year such as fy2025 or a quarter such as fy2025q1.', [{ field: 'period', message: 'res.answers.error.period' }], 'res.answers.error.period');
  return p;
}

/** The choices of the period filter: the current and four previous financial years, each with its quarters. */
export function periodOptions(now: Date): Period[] {
  const current = financialYearOf(londonDay(now));
  const out: Period[] = [];
  for (let y = current; y >= current - 4; y -= 1) {
    out.push(periodOf(`fy${y}`)!);
    for (let q = 1; q <= 4; q += 1) out.push(periodOf(`fy${y}q${q}`)!);
  }
  return out;
}

/** "2025/26 (April 2025 – March 2026)" or "2025/26 Q1 (April – June 2025)". */
export function periodLabel(t: Translate, p: Period): string {
  const m = KEY.exec(p.key)!;
  const y = Number(m[1]);
  const fy = `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
  if (!m[2]) return t('res.answers.period.year', { fy, from: String(y), to: String(y + 1) });
  return t('res.answers.period.quarter', { fy, q: m[2], year: p.start.slice(0, 4), months: t(`res.answers.period.q${m[2]}` as 'res.answers.period.q1') });
}
