import * as z from 'zod/mini';

/**
 * Field-level schemas for what real clients send (docs/contract.md, "The request").
 * Every optional field is lenient: a value of the wrong type, an empty string or an unparseable
 * number or date becomes `undefined`, which the features treat as missing. Only ids can fail.
 */

export const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// Thousands separators only in their proper places: "1,234.50" is 1234.5, but "131,98" (a decimal
// comma) is ambiguous and must not be read as 13198.
export const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/** `"140.0"`, `140`, `" 1,234.50 "` → number; anything else (including `"131,98"`) → undefined. */
export const amount = z.catch(
  z.optional(
    z.pipe(
      z.union([
        z.number(),
        z.pipe(
          z.string(),
          z.transform((s: string, ctx) => {
            const t = s.trim().slice(0, MAX_TEXT_CHARS).trimEnd();
            if (NUMERIC.test(t) || GROUPED.test(t)) return Number(t.replace(/,/g, ''));
            ctx.issues.push({ code: 'custom', message: 'not a number', input: s });
            return z.NEVER;
          }),
        ),
      ]),
      // zod 4's number() refuses Infinity and NaN.
      z.number(),
    ),
  ),
  undefined,
);

// Receipt vendors, categories and types are short; cutting text here bounds the work of every
// feature built from it (a 600 KB vendor string took over a minute to compare before this).
export const MAX_TEXT_CHARS = 256;

/**
 * Free text, trimmed and cut to {@link MAX_TEXT_CHARS}; numbers become their decimal string;
 * empty or other types → undefined.
 */
export const text = z.catch(
  z.optional(
    z.pipe(
      z.union([z.string(), z.pipe(z.number(), z.transform(String))]),
      z.pipe(
        z.transform((s: string) => s.trim().slice(0, MAX_TEXT_CHARS).trimEnd()),
        z.string().check(z.minLength(1)),
      ),
    ),
  ),
  undefined,
);

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Parses the three date forms of the contract into epoch milliseconds (UTC):
 * `"2017-04-18 04:00:00"` (naive, read as UTC), ISO 8601 with `T` and `Z` or an offset,
 * and a bare `"2017-04-18"`. Returns undefined for anything else, including impossible dates.
 */
export function parseTimestamp(value: string): number | undefined {
  const t = value.trim();
  const plain = plainDateTime(t);
  return plain === null ? parseTimestampByPattern(t) : plain;
}

/**
 * The contract's usual form, `YYYY-MM-DD HH:MM:SS` (or with `T`), read digit by digit: the
 * pattern below, its captures and a Date object took 1.5 µs a date over HTTP (profile of a 1 × 1
 * request on the local server, four dates). `null` when `t` is not in that form (or its year is
 * below 100, which Date.UTC reads otherwise); `undefined` when it is, but not a date.
 * `test/lambda/contract/values.test.ts` holds it to {@link parseTimestampByPattern}.
 */
function plainDateTime(t: string): number | undefined | null {
  if (t.length !== 19) return null;
  const sep = t.charCodeAt(10);
  if (
    t.charCodeAt(4) !== 45 ||
    t.charCodeAt(7) !== 45 ||
    (sep !== 32 && sep !== 84 && sep !== 116) ||
    t.charCodeAt(13) !== 58 ||
    t.charCodeAt(16) !== 58
  )
    return null;
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  const second = digits(t, 17, 2);
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (month < 1 || month > 12 || minute > 59 || second > 60) return undefined;
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The whole number written by `length` ASCII digits of `t` from `at`; -1 if any is not a digit. */
function digits(t: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** {@link parseTimestamp} by the contract's date pattern, for every form it takes (`t` trimmed). */
export function parseTimestampByPattern(t: string): number | undefined {
  const m = DATE.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || minute > 59 || second > 60) return undefined;
  // ISO 8601 allows 24:00:00 (the end of the day), nothing later.
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || Number(frac) > 0))) return undefined;
  const offset = zoneOffsetMs(zone);
  if (offset === undefined) return undefined;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day past the month's end rolls over (2017-02-30 → March 2); such a date is not a date.
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime() - offset;
}

/** The zone's offset from UTC in ms; undefined for an offset no clock uses (over ±18:00). */
function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 18 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** A contract date string → epoch milliseconds; anything unparseable → undefined. */
export const timestamp = z.catch(
  z.optional(
    z.pipe(
      z.string(),
      z.transform((s: string, ctx) => {
        const t = parseTimestamp(s);
        if (t === undefined) {
          ctx.issues.push({ code: 'custom', message: 'not a date', input: s });
          return z.NEVER;
        }
        return t;
      }),
    ),
  ),
  undefined,
);

const MAX_ID_CHARS = 256;
/** Id limits shared with the hand-written readers (`read-values.ts`). */
export const ID_LIMITS = { maxChars: MAX_ID_CHARS } as const;
// C0 controls and DEL, the noncharacters U+FFFE/U+FFFF, and a surrogate without its pair.
export const UNSTORABLE_ID_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
  /[\u0000-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Ids arrive as `"309366"` or `309366` and are returned as strings. Fails, saying why, for an
 * empty or over-long string, text with control characters or lone surrogates, a number that is not a safe whole number, and any other type.
 */
export const id = z.pipe(
  z.unknown(),
  z.transform((value: unknown, ctx): string => {
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', message, input: value });
      return z.NEVER;
    };
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed === '') return fail('must not be empty');
      if (trimmed.length > MAX_ID_CHARS) return fail(`must be at most ${MAX_ID_CHARS} characters`);
      // Ids are stored and queued as text: PostgreSQL refuses NUL, drivers turn a lone surrogate
      // into U+FFFD (two different ids become one row), and SQS refuses U+FFFE/U+FFFF. One such id
      // must not fail the batch its row travels in.
      if (UNSTORABLE_ID_CHARS.test(trimmed)) {
        return fail('must be text without control characters, lone surrogates or U+FFFE/U+FFFF');
      }
      return trimmed;
    }
    if (typeof value === 'number') {
      // Above 2^53 a JSON number has already lost digits (12345678901234567890 arrives as
      // 12345678901234567000): refuse it rather than answer for a different id.
      if (!Number.isSafeInteger(value)) {
        return fail('must be a whole number below 2^53 when sent as a number; send other ids as strings');
      }
      return String(value);
    }
    return fail('must be a string or a number');
  }),
);
