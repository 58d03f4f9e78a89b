/** £1,234.50 / 1234,50 zł-style display of pence (always GBP), in the reader's language. */
export function formatPence(locale: string, pence: number): string {
  return new Intl.NumberFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: pence % 100 === 0 ? 0 : 2 }).format(pence / 100);
}

/** Pence as a form value in pounds ("1250.50"). */
export function poundsValue(pence: number): string {
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}
