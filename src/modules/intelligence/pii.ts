/**
 * Likely personal details in a street champion's free text (SECURITY.md 20: intelligence is about
 * areas, not people). Pure and import-free, so the browser form can run the same check offline.
 * It errs on the side of asking: the champion can always send anyway after checking.
 */

export const PERSONAL_DETAIL_KINDS = ['email', 'phone', 'postcode', 'address', 'name'] as const;
export type PersonalDetailKind = (typeof PERSONAL_DETAIL_KINDS)[number];

export interface PersonalDetail {
  kind: PersonalDetailKind;
  /** Where it starts in the text (for highlighting; never logged). */
  index: number;
  text: string;
}

const EMAIL = /[\p{L}0-9._%+-]+@[\p{L}0-9-]+(?:\.[\p{L}0-9-]+)*\.\p{L}{2,}/gu;
// UK postcodes (outward + inward code), e.g. NN17 1AB, NN171AB, W1A 0AX.
const POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}\b/giu;
// Runs of digits with spaces, dots, dashes or brackets; a phone number has 9 to 13 digits
// (UK 07700 900123, +44 1536 400000; Polish 512 345 678, +48 512-345-678).
const DIGIT_RUN = /(?:\+|00)?\d[\d\s().-]{6,}\d/gu;
const STREET_EN = '(?:street|st|road|rd|avenue|ave|close|cl|lane|ln|drive|dr|way|crescent|cres|court|ct|place|pl|grove|gardens|gdns|terrace|walk|square|sq|mews|row|hill|view|rise|green|parade|park|vale|wynd)';
// "12 Elizabeth Street", "3a Occupation Road", "flat 4".
const ADDRESS_EN = new RegExp(`\\b\\d{1,4}[a-z]?,?\\s+(?:[\\p{L}'’-]+\\s+){1,3}${STREET_EN}\\b\\.?`, 'giu');
const FLAT = /\b(?:flat|apartment|apt|house|mieszkanie|mieszkania|lokal|nr)\.?\s*\d{1,4}[a-z]?\b/giu;
// Polish: "ul. Długa 5", "ulica Polna", "al. Jana Pawła 3", "os. Słoneczne", "pl. Wolności 1".
const ADDRESS_PL = /(?:^|[\s(,])(?:ul\.|ulica|ulicy|al\.|aleja|alei|os\.|osiedle|osiedlu|pl\.|plac|placu)\s*\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)*(?:\s+\d{1,4}[a-z]?(?:\/\d{1,4})?)?/gu;
// Titles before a capitalised word: "Mrs Campbell", "Pani Nowak", "pan Kowalski".
const TITLED = /\b(?:mr|mrs|ms|miss|mx|dr|pan|pani|pana|panią|panem|państwo)\.?\s+\p{Lu}[\p{L}'’-]+/giu;
// "called Jamie", "named Jamie", "nazywa się Kasia", "o imieniu Kasia", "imię Kasia".
const CALLED = /\b(?:called|named|name is|nazywa się|nazywają się|o imieniu|imię|imieniem|nazwisko|nazwiskiem)\s+\p{Lu}[\p{L}'’-]+/gu;
// A common given name followed by a capitalised word (a full name).
const GIVEN = new Set(
  ('aileen agnieszka alan andrew andrei anna barbara callum chloe craig david dorota eilidh emily emma ewa fraser gary gintare hamish iain iona ioana jack jakub james jamie jan john joanna karen katarzyna kasia kacper kirsty laura lewis liam lukasz łukasz maria marek michael magdalena małgorzata malgorzata morag niamh nicola oliwia olivia paul paulina piotr rory ruta rūta ryan sarah scott shona sophie stuart susan tomasz zofia').split(' '),
);
const CAPITAL_PAIR = /\b(\p{Lu}[\p{L}'’-]+)\s+(\p{Lu}[\p{L}'’-]+)/gu;

function matches(re: RegExp, text: string, kind: PersonalDetailKind, keep: (m: RegExpExecArray) => boolean = () => true): PersonalDetail[] {
  const out: PersonalDetail[] = [];
  for (const m of text.matchAll(re)) {
    if (keep(m)) out.push({ kind, index: m.index, text: m[0].trim() });
  }
  return out;
}

/**
 * The likely names, addresses, postcodes, phone numbers and email addresses in a text, in the order
 * they appear (English and Polish hints). Overlapping finds of different kinds are all kept.
 */
export function findPersonalDetails(text: string): PersonalDetail[] {
  if (!text) return [];
  const found = [
    ...matches(EMAIL, text, 'email'),
    ...matches(POSTCODE, text, 'postcode', (m) => /\d/.test(m[0]) && /[a-z]/i.test(m[0].slice(0, 1))),
    ...matches(DIGIT_RUN, text, 'phone', (m) => {
      const digits = m[0].replace(/\D/g, '').length;
      // Dates (12.03.2025) and years never reach 9 digits; amounts rarely have spaces every 3 digits.
      return digits >= 9 && digits <= 13;
    }),
    ...matches(ADDRESS_EN, text, 'address'),
    ...matches(FLAT, text, 'address'),
    ...matches(ADDRESS_PL, text, 'address'),
    ...matches(TITLED, text, 'name'),
    ...matches(CALLED, text, 'name'),
    ...matches(CAPITAL_PAIR, text, 'name', (m) => GIVEN.has((m[1] ?? '').toLowerCase())),
  ];
  return found.sort((a, b) => a.index - b.index);
}

/** The kinds found (each once, in a fixed order): what the warning names. */
export function personalDetailKinds(text: string): PersonalDetailKind[] {
  const kinds = new Set(findPersonalDetails(text).map((d) => d.kind));
  return PERSONAL_DETAIL_KINDS.filter((k) => kinds.has(k));
}
