/**
 * Normalising contact details typed into the membership join form. Pure functions: they return
 * either the value to store (members are matched by email, so it is stored lower-case) or a
 * message a parent can act on, worded after the GOV.UK Design System error messages.
 */
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** The outcome of normalising a field: the value to store, or a message to show next to the field. */
export type NormaliseResult<T = string> = { ok: true; value: T } | { ok: false; message: string };

/** A normalised UK phone number in E.164 form, with whether it is a mobile (can receive texts). */
export type UkPhoneResult = { ok: true; value: string; kind: 'mobile' | 'landline' } | { ok: false; message: string };

/** Error messages, exported so forms and tests use the same words. */
export const CONTACT_MESSAGES = {
  emailMissing: 'Enter an email address',
  emailFormat: 'Enter an email address in the correct format, like name@example.com',
  emailTooLong: 'Email address must be 254 characters or fewer',
  phoneMissing: 'Enter a phone number',
  phoneFormat: 'Enter a UK phone number, like 07700 900123',
  phoneNotUk: 'Enter a UK phone number, like 07700 900123 – we cannot use numbers from other countries',
  phoneNotPersonal: 'Enter a UK mobile or landline number, like 07700 900123',
} as const;

// Characters pasted from documents and chat apps that are invisible but break matching.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// RFC 5322 dot-atom characters for the part before the @ (ASCII only, as GOV.UK Notify accepts).
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Trims and lower-cases an email address, converts an international domain to ASCII, and rejects malformed ones. */
export function normaliseEmail(raw: string): NormaliseResult {
  const text = raw.replace(INVISIBLE, '').trim();
  if (text === '') return { ok: false, message: CONTACT_MESSAGES.emailMissing };
  if (text.length > 254) return { ok: false, message: CONTACT_MESSAGES.emailTooLong };
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return { ok: false, message: CONTACT_MESSAGES.emailFormat };
  const local = text.slice(0, at).toLowerCase();
  const rawDomain = text.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return { ok: false, message: CONTACT_MESSAGES.emailFormat };
  if (/\s/.test(rawDomain) || rawDomain.endsWith('.')) return { ok: false, message: CONTACT_MESSAGES.emailFormat };
  // domainToASCII lower-cases, applies IDNA (bücher.example -> xn--bcher-kva.example) and returns '' if invalid.
  const domain = domainToASCII(rawDomain);
  if (domain === '' || domain.length > 253) return { ok: false, message: CONTACT_MESSAGES.emailFormat };
  const labels = domain.split('.');
  if (labels.length < 2) return { ok: false, message: CONTACT_MESSAGES.emailFormat };
  if (!labels.every((l) => DOMAIN_LABEL.test(l))) return { ok: false, message: CONTACT_MESSAGES.emailFormat };
  if (!TLD.test(labels[labels.length - 1] ?? '')) return { ok: false, message: CONTACT_MESSAGES.emailFormat };
  const value = `${local}@${domain}`;
  if (value.length > 254) return { ok: false, message: CONTACT_MESSAGES.emailTooLong };
  return { ok: true, value };
}

/**
 * Normalises a UK mobile or landline number to E.164 (+44…). Accepts 07…, 01…, 02…, +44 …,
 * +44 (0)…, 0044 … and 44 … with spaces, dashes, dots and brackets. Refuses other countries,
 * premium, non-geographic and personal (070) or pager (076) numbers.
 */
export function normaliseUkPhone(raw: string): UkPhoneResult {
  const text = raw.replace(INVISIBLE, '').trim();
  if (text === '') return { ok: false, message: CONTACT_MESSAGES.phoneMissing };
  if (!/^\+?[\d\s().\-\u2010-\u2015]+$/.test(text)) return { ok: false, message: CONTACT_MESSAGES.phoneFormat };
  const plus = text.startsWith('+');
  const digits = text.replace(/\D/g, '');

  let national: string; // the number without country code or leading 0 (the NSN)
  if (plus || digits.startsWith('00')) {
    const international = plus ? digits : digits.slice(2);
    if (!international.startsWith('44')) return { ok: false, message: CONTACT_MESSAGES.phoneNotUk };
    national = international.slice(2);
    if (national.startsWith('0')) national = national.slice(1); // +44 (0)7700 …
  } else if (digits.startsWith('0')) {
    national = digits.slice(1);
  } else if (digits.startsWith('44') && digits.length >= 11 && digits.length <= 13) {
    national = digits.slice(2);
    if (national.startsWith('0')) national = national.slice(1);
  } else {
    return { ok: false, message: CONTACT_MESSAGES.phoneFormat };
  }

  // Mobiles: 071-075, 077-079 and 07624 (Isle of Man); 10 digits after the 0.
  if (/^7([1-5]|[7-9])\d{8}$/.test(national) || /^7624\d{6}$/.test(national)) {
    return { ok: true, value: `+44${national}`, kind: 'mobile' };
  }
  // Geographic landlines: 01 and 02 with 10 digits, plus Brampton's 016977 xxxx (9 digits). Other
  // 9-digit 01 numbers are refused rather than risk accepting a number with a digit missing.
  if (/^[12]\d{9}$/.test(national) || /^16977\d{4}$/.test(national)) {
    return { ok: true, value: `+44${national}`, kind: 'landline' };
  }
  if (/^(70|76|3|5|8|9)/.test(national) && national.length >= 9 && national.length <= 10) {
    return { ok: false, message: CONTACT_MESSAGES.phoneNotPersonal };
  }
  return { ok: false, message: CONTACT_MESSAGES.phoneFormat };
}

/** A normalised phone number from any country, in E.164, with what kind of line it is. */
export type PhoneResult =
  | { ok: true; value: string; kind: 'mobile' | 'landline' | 'mobile_or_landline'; country: string }
  | { ok: false; message: string };

export const PHONE_MESSAGES = {
  format: 'Enter a UK phone number, like 07700 900123, or a number from another country starting with + and the country code, like +48 600 100 200',
  notPersonal: 'Enter a mobile or landline number, like 07700 900123 or +48 600 100 200',
} as const;

// Types of line a person can be reached on; premium, toll-free, shared-cost, pager and the like are refused.
const PERSONAL_TYPES = new Set(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Normalises a phone number from any country to E.164. Numbers without a country code are taken
 * as UK numbers, and UK numbers keep the rules of normaliseUkPhone (which also accepts the Ofcom
 * drama ranges that libphonenumber calls invalid). Other countries are checked with
 * libphonenumber-js and its "max" metadata: this runs on the server only, so the larger metadata
 * costs no page weight, and it is the build that can tell a mobile from a premium-rate number.
 */
export function normalisePhone(raw: string): PhoneResult {
  const text = raw.replace(INVISIBLE, '').trim();
  if (text === '') return { ok: false, message: CONTACT_MESSAGES.phoneMissing };
  if (!/^\+?[\d\s().\-\u2010-\u2015]+$/.test(text)) return { ok: false, message: PHONE_MESSAGES.format };
  const digits = text.replace(/\D/g, '');
  const international = text.startsWith('+') ? digits : digits.startsWith('00') ? digits.slice(2) : undefined;
  if (international === undefined || international.startsWith('44')) {
    const uk = normaliseUkPhone(text);
    if (uk.ok) return { ok: true, value: uk.value, kind: uk.kind, country: uk.value.startsWith('+447624') ? 'IM' : 'GB' };
    return { ok: false, message: uk.message === CONTACT_MESSAGES.phoneNotPersonal ? PHONE_MESSAGES.notPersonal : PHONE_MESSAGES.format };
  }
  if (international.length < 6 || international.length > 15) return { ok: false, message: PHONE_MESSAGES.format };
  const parsed = parsePhoneNumberFromString(`+${international}`);
  if (!parsed?.isValid()) return { ok: false, message: PHONE_MESSAGES.format };
  const type = parsed.getType();
  if (!type || !PERSONAL_TYPES.has(type)) return { ok: false, message: PHONE_MESSAGES.notPersonal };
  return {
    ok: true,
    value: parsed.number,
    kind: type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' ? 'landline' : 'mobile_or_landline',
    country: parsed.country ?? '',
  };
}
