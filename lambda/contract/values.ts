import { z } from 'zod';

/**
 * Field-level schemas for what real clients send (CONTRACT.md "What real clients send").
 * Every optional field is lenient: a value of the wrong type, an empty string or an unparseable
 * number or date becomes `undefined`, which the features treat as missing. Only ids can fail.
 */

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `"140.0"`, `140`, `" 1,234.50 "` → number; anything else → undefined. */
export const amount = z
  .union([
    z.number(),
    z
      .string()
      .transform((s) => s.trim().replace(/,/g, ''))
      .refine((s) => NUMERIC.test(s))
      .transform(Number),
  ])
  .pipe(z.number().finite())
  .optional()
  .catch(undefined);

/** Free text, trimmed; numbers become their decimal string; empty or other types → undefined. */
export const text = z
  .union([z.string(), z.number().finite().transform(String)])
  .transform((s) => s.trim())
  .pipe(z.string().min(1))
  .optional()
  .catch(undefined);

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Parses the three date forms of the contract into epoch milliseconds (UTC):
 * `"2017-04-18 04:00:00"` (naive, read as UTC), ISO 8601 with `T` and `Z` or an offset,
 * and a bare `"2017-04-18"`. Returns undefined for anything else, including impossible dates.
 */
export function parseTimestamp(value: string): number | undefined {
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 24 || minute > 59 || second > 60) return undefined;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2017-02-30 over into March; such a date is not a date.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  return utc - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** A contract date string → epoch milliseconds; anything unparseable → undefined. */
export const timestamp = z
  .string()
  .transform((s, ctx) => {
    const t = parseTimestamp(s);
    if (t === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a date' });
      return z.NEVER;
    }
    return t;
  })
  .optional()
  .catch(undefined);

/** Ids arrive as `"309366"` or `309366` and are returned as strings. Empty or other types fail. */
export const id = z.union(
  [
    z
      .string()
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(256, { error: 'must be at most 256 characters' }),
    z
      .number({ error: 'must be a string or a number' })
      .finite()
      .transform((n) => String(n)),
  ],
  // A value that is neither type fails both branches; zod then reports the union, not a branch.
  { error: 'must be a string or a number' },
);
