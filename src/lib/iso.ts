/** A timestamp as ISO 8601 text for downloads (null stays null; drivers answer Date or text). */
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
