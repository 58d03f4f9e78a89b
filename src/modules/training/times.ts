/** Europe/London wall-clock times for forms ("2026-12-10T18:30") and back, whatever the server's zone. */
const TIME_ZONE = 'Europe/London';
const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function wall(d: Date): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = Object.fromEntries(parts.formatToParts(d).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second) };
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "YYYY-MM-DDTHH:mm" on the London clock → the instant; undefined if it is not such a value. */
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
