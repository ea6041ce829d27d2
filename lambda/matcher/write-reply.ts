import type { ParsedRequest } from '../contract';
import { assembleReply } from './match-request';
import { SCORE_NOT_FINITE } from './score-not-finite';

// Bytes every pair entry repeats; a score takes at most 32 (`String` of any double).
const MATCH_TRUE = Buffer.from(',"match":true}');
const MATCH_FALSE = Buffer.from(',"match":false}');
const MAX_SCORE_BYTES = 32;
const COMMA = 44;
const MIN_WRITER_PAIRS = 8;
// What follows `"score":` for a pair whose score is not finite: the ErrorEntry's tail.
const NOT_FINITE_TAIL = Buffer.from(`null,"error":${JSON.stringify(SCORE_NOT_FINITE)}}`);

/**
 * The reply's JSON, written straight from the request's ids and the scores: exactly the text
 * `JSON.stringify(assembleReply(request, scores, threshold))` gives (a property test holds it
 * there), without an object per pair. Each id is quoted and encoded once, not once per pair, and
 * each score is written as the digits of its rounded millionths, which is what `String` gives for
 * a six-decimal number in (0, 1) (a test checks all million of them), and 0 and 1 as single
 * digits; JSON.stringify's number formatting and a string of 100,000 pieces cost more than the
 * rest of the reply (`npm run bench`, "reply").
 */
export function writeReplyJson(request: ParsedRequest, scores: Float32Array, threshold: number): string {
  // Below about 8 pairs JSON.stringify of the entries is the faster (1 pair: 0.7 µs against 1.35).
  if (scores.length < MIN_WRITER_PAIRS) return JSON.stringify(assembleReply(request, scores, threshold));
  let ascii = true;
  const encode = (text: string): Buffer => {
    const bytes = Buffer.from(text);
    if (bytes.length !== text.length) ascii = false;
    return bytes;
  };
  // Every item's part encoded at once, then viewed item by item: one Buffer.from per item cost
  // as much as the rest of a one-budget reply.
  const texts: string[] = [];
  for (const entry of request.items) {
    if (entry.ok) texts.push(`"itemization_id":${JSON.stringify(entry.value.itemization_id)},"score":`);
  }
  const all = encode(texts.join(''));
  const itemBytes = all.length;
  const items: Uint8Array[] = new Array(texts.length);
  for (let i = 0, start = 0; i < texts.length; i++) {
    const text = texts[i] as string;
    const length = ascii ? text.length : Buffer.byteLength(text);
    items[i] = all.subarray(start, start + length);
    start += length;
  }
  // Everything but the pairs: error entries, as JSON.stringify writes them.
  const budgets: Array<Uint8Array | { readonly error: Uint8Array }> = [];
  let capacity = 2;
  for (const entry of request.budgets) {
    if (entry.ok) {
      const prefix = encode(`{"budget_id":${JSON.stringify(entry.value.budget_id)},`);
      budgets.push(prefix);
      capacity += itemBytes + items.length * (1 + prefix.length + MAX_SCORE_BYTES + MATCH_FALSE.length);
    } else {
      const error = encode(JSON.stringify({ budget_index: entry.index, score: null, error: entry.error }));
      budgets.push({ error });
      capacity += 1 + error.length;
    }
  }
  const itemErrors: Uint8Array[] = [];
  for (const entry of request.items) {
    if (entry.ok) continue;
    const error = encode(JSON.stringify({ itemization_index: entry.index, score: null, error: entry.error }));
    itemErrors.push(error);
    capacity += 1 + error.length;
  }

  // A pair whose score is not finite is written as an error entry: a longer tail than a score's.
  const pairs = scores.length;
  for (let r = 0; r < pairs; r++)
    if (!Number.isFinite(scores[r] as number)) capacity += NOT_FINITE_TAIL.length;
  const out = Buffer.allocUnsafe(capacity);
  let o = 0;
  out[o++] = 91; // [
  let row = 0;
  for (const budget of budgets) {
    if (!(budget instanceof Uint8Array)) {
      if (o > 1) out[o++] = COMMA;
      o = put(out, o, budget.error);
      continue;
    }
    for (let i = 0; i < items.length; i++) {
      if (o > 1) out[o++] = COMMA;
      o = put(out, o, budget);
      o = put(out, o, items[i] as Uint8Array);
      const raw = scores[row++] as number;
      if (!Number.isFinite(raw)) {
        o = put(out, o, NOT_FINITE_TAIL);
        continue;
      }
      const millionths = Math.round(raw * 1e6);
      const score = millionths / 1e6;
      if (millionths > 0 && millionths < 1e6) o = writeMillionths(out, o, millionths);
      // 0 and 1 as `String` writes them: most pairs of a request are no match and score 0.
      else if (millionths === 0) out[o++] = 48;
      else if (millionths === 1e6) out[o++] = 49;
      else o += out.write(Number.isFinite(score) ? String(score) : 'null', o, 'latin1');
      o = put(out, o, score >= threshold ? MATCH_TRUE : MATCH_FALSE);
    }
  }
  for (const error of itemErrors) {
    if (o > 1) out[o++] = COMMA;
    o = put(out, o, error);
  }
  out[o++] = 93; // ]
  // Latin-1 decoding is a plain copy; it reads UTF-8 right only when every byte is ASCII.
  return out.toString(ascii ? 'latin1' : 'utf8', 0, o);
}

/**
 * Copies `bytes` into `out` at `o`; returns the new offset. `set`, not a loop: for these 15 to 60
 * bytes a pair, a byte loop took 68% of the writer's time in the profile, and `set` wrote the
 * 20,000-pair reply in 1.6–1.9 ms of CPU against 3.3–4.1 ms with the loop (JSON.stringify of the
 * entries: 4.0–4.3 ms).
 */
function put(out: Uint8Array, o: number, bytes: Uint8Array): number {
  out.set(bytes, o);
  return o + bytes.length;
}

/**
 * Writes `m / 1e6` for a whole `m` in (0, 1e6) as `String` would: `0.` then six digits with the
 * trailing zeros left off (`0.5`, `0.000123`, `0.999999`). Returns the new offset.
 */
export function writeMillionths(out: Uint8Array, offset: number, m: number): number {
  let o = offset;
  out[o++] = 48; // 0
  out[o++] = 46; // .
  let digits = m;
  let width = 6;
  while (digits % 10 === 0) {
    digits /= 10;
    width--;
  }
  for (let i = width - 1; i >= 0; i--) {
    out[o + i] = 48 + (digits % 10);
    digits = Math.floor(digits / 10);
  }
  return o + width;
}
