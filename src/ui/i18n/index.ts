import { en, type MessageKey } from './en.ts';
import { pl } from './pl.ts';

import { LOCALES, type Locale } from './locales.ts';

export { LOCALES, type Locale };
export type { MessageKey };

// Plain objects for the hot path (the exported en/pl are lazy proxies over the same objects).
let plain: Record<Locale, Record<MessageKey, string>> | undefined;
const catalogues = () => (plain ??= { en: { ...en }, pl: { ...pl } });

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function isLocale(value: string | undefined | null): value is Locale {
  return value === 'en' || value === 'pl';
}

/** A translator for one locale; {name} placeholders are filled from params. */
// Intl formatters are costly to build: one per locale for the life of the process.
const numberFormats: Record<Locale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB'),
  pl: new Intl.NumberFormat('pl-PL'),
};

export function translator(locale: Locale): Translate {
  const messages = catalogues()[locale];
  const numberFormat = numberFormats[locale];
  return (key, params) => {
    const template = messages[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numberFormat.format(value) : value;
    });
  };
}

/** A field message: a catalogue key where the service knows one, otherwise already plain text. */
export function messageText(t: Translate, message: string): string {
  return message in catalogues().en ? t(message as MessageKey) : message;
}

/** Pick a locale from an Accept-Language header (first supported language wins). */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.lang && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((r) => r.lang).find(isLocale);
}

export function formatNumber(locale: Locale, value: number): string {
  return numberFormats[locale].format(value);
}

// Dates have one formatter for the whole app (src/lib/dates.ts); re-exported beside formatNumber.
export { formatDate, formatDateTime } from '../../lib/dates.ts';
