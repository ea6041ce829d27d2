/**
 * Reading monitoring rows as `pg` and PGlite return them. Both return `int` and `double
 * precision` as numbers, but `bigint` and `numeric` as strings (`pg` keeps their full
 * precision); these helpers accept either, so a view changed to return `numeric` or a
 * `count(*)` left as `bigint` still reads correctly.
 */

/** A number, or `null` for SQL NULL. Throws on anything that is not a number. */
export function numberOrNull(value: unknown, column: string): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (Number.isNaN(n)) throw new TypeError(`monitoring column ${column}: ${String(value)} is not a number`);
  return n;
}

/** A number that SQL never returns as NULL (a count). */
export function numberOf(value: unknown, column: string): number {
  const n = numberOrNull(value, column);
  if (n === null) throw new TypeError(`monitoring column ${column}: unexpected NULL`);
  return n;
}

/** A boolean, or `null` for SQL NULL. */
export function booleanOrNull(value: unknown): boolean | null {
  return value === null || value === undefined ? null : Boolean(value);
}

/** A UTC day as the queries take and return it: `YYYY-MM-DD`. */
export type Day = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks `day` is `YYYY-MM-DD` and a real date; returns it. */
export function parseDay(day: string, what = 'day'): Day {
  if (
    !DAY.test(day) ||
    Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ||
    toDay(new Date(`${day}T00:00:00Z`)) !== day
  )
    throw new RangeError(`${what}: "${day}" is not a date (YYYY-MM-DD)`);
  return day;
}

/** The UTC day of an instant. */
export function toDay(instant: Date): Day {
  return instant.toISOString().slice(0, 10);
}

/** `day` moved by `days` (negative: back). */
export function addDays(day: Day, days: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return toDay(date);
}
