import { GROUPED, ID_LIMITS, MAX_TEXT_CHARS, NUMERIC, parseTimestamp, UNSTORABLE_ID_CHARS } from './values';

/**
 * Hand-written readers with exactly the behaviour of the zod value schemas in `values.ts`
 * (`amount`, `text`, `timestamp`, `id`); `test/lambda/contract/read-values.test.ts` holds them
 * to it with property tests over client-shaped values. They exist for speed: zod's per-field
 * pipes, unions and catches cost most of a request's parse time (10 × 2,000: parsing the entries
 * with the schemas against these readers is printed by `npm run bench`, "parse entries").
 */

/** `amount`: a finite number, or a numeric string (thousands separators in place); else undefined. */
export function readAmount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = value.trim().slice(0, MAX_TEXT_CHARS).trimEnd();
  if (!NUMERIC.test(t) && !GROUPED.test(t)) return undefined;
  const n = Number(t.indexOf(',') < 0 ? t : t.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** `text`: a string trimmed and cut to MAX_TEXT_CHARS (a finite number as its decimal string); empty → undefined. */
export function readText(value: unknown): string | undefined {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number' && Number.isFinite(value)) s = String(value);
  else return undefined;
  const t = s.length <= MAX_TEXT_CHARS ? s.trim() : s.trim().slice(0, MAX_TEXT_CHARS).trimEnd();
  return t.length > 0 ? t : undefined;
}

/**
 * Parses contract date strings into epoch ms, remembering each distinct string: a user's line
 * items repeat the same few dates, so a request parses each one once.
 */
export class TimestampReader {
  private readonly seen = new Map<string, number | undefined>();

  /** `timestamp`: a contract date string → epoch ms; anything else → undefined. */
  read(value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const seen = this.seen;
    const known = seen.get(value);
    if (known !== undefined || seen.has(value)) return known;
    const t = parseTimestamp(value);
    seen.set(value, t);
    return t;
  }
}

/** An id that could not be read: why, in the words the zod `id` schema uses. */
export interface IdProblem {
  readonly message: string;
}

/** `id`: the id as a string, or why it is not usable. */
export function readId(value: unknown): string | IdProblem {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return { message: 'must not be empty' };
    if (trimmed.length > ID_LIMITS.maxChars)
      return { message: `must be at most ${ID_LIMITS.maxChars} characters` };
    if (UNSTORABLE_ID_CHARS.test(trimmed)) {
      return { message: 'must be text without control characters, lone surrogates or U+FFFE/U+FFFF' };
    }
    return trimmed;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      return {
        message: 'must be a whole number below 2^53 when sent as a number; send other ids as strings',
      };
    }
    return String(value);
  }
  return { message: 'must be a string or a number' };
}
