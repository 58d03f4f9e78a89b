import { v7 as uuidv7 } from 'uuid';

/** A new UUID v7 (time-ordered), made in the app as DESIGN.md §4 requires. */
export function newId(): string {
  return uuidv7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
