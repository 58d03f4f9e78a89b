/** Europe/London wall-clock times for forms and back: src/lib/dates.ts. */
export { instantToLondon, londonToInstant } from '../../lib/dates.ts';
