/** Award validity on calendar dates (the arithmetic itself is src/lib/dates.ts). */
import { addDays, addMonths } from '../../lib/dates.ts';

export { addDays, addMonths };

/** The last day an award of this validity is valid (null: never expires). */
export function expiryFor(issuedOn: string, validityMonths: number | null): string | null {
  return validityMonths === null ? null : addDays(addMonths(issuedOn, validityMonths), -1);
}

export { isCalendarDate as isIsoDate } from '../../lib/dates.ts';
