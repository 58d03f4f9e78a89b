/** £1,234.50 / 1234,50 zł-style display of pence (always GBP), in the reader's language. */
// Formatters are made once (Intl.NumberFormat's constructor costs far more than format: the ballot
// page formats every proposal's cost on every load).
const money = new Map<string, Intl.NumberFormat>();

export function formatPence(locale: string, pence: number): string {
  const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
  const digits = pence % 100 === 0 ? 0 : 2;
  const key = `${tag}:${digits}`;
  let f = money.get(key);
  if (!f) money.set(key, (f = new Intl.NumberFormat(tag, { style: 'currency', currency: 'GBP', minimumFractionDigits: digits })));
  return f.format(pence / 100);
}

/** Pence as a form value in pounds ("1250.50"). */
export function poundsValue(pence: number): string {
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}
