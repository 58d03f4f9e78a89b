/** The languages of the catalogues: the one list (no imports, so CLI paths can use it without loading catalogues). */
export const LOCALES = ['en', 'pl'] as const;
export type Locale = (typeof LOCALES)[number];
