/** Milliseconds in an hour and a day; the generator works in epoch milliseconds (UTC). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * The local calendar day of `instant` at `offsetMinutes` from UTC, as the epoch milliseconds of
 * that day's midnight read as UTC: the date a card statement prints for a charge made then.
 *
 * @example localDay(Date.UTC(2017, 3, 9, 2, 0), -300) === Date.UTC(2017, 3, 8) // 9pm in New York
 */
export function localDay(instant: number, offsetMinutes: number): number {
  return Math.floor((instant + offsetMinutes * 60_000) / DAY_MS) * DAY_MS;
}

/** The instant (UTC) of local midnight of `day` (from {@link localDay}) at `offsetMinutes`. */
export function localMidnight(day: number, offsetMinutes: number): number {
  return day - offsetMinutes * 60_000;
}

/** `YYYY-MM-DD` of a day from {@link localDay}. */
export function isoDate(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}
