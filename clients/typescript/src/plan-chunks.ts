import { MatcherClientError } from './errors';
import { type ChunkLimits, DEFAULT_CHUNK_LIMITS, ERROR_ENTRY_BYTES, PAIR_REPLY_OVERHEAD } from './limits';

/** A matcher request as a client writes it (CONTRACT.md "Request"). */
export interface MatcherRequest {
  readonly budgets: readonly unknown[];
  readonly all_user_expense_lineitems: readonly unknown[];
}

/** One call of a split request: a run of budgets × a run of line items, and the JSON to send. */
export interface Chunk {
  /** Which budget group (`ChunkPlan.budgetGroups`) the chunk's budgets are. */
  readonly group: number;
  /** The chunk's budgets are `budgets[budgetStart, budgetEnd)` of the whole request. */
  readonly budgetStart: number;
  readonly budgetEnd: number;
  /** The chunk's line items are `all_user_expense_lineitems[itemStart, itemEnd)`. */
  readonly itemStart: number;
  readonly itemEnd: number;
  /** The request body of this call. */
  readonly body: string;
}

/** How a request is sent: one call as it is, or a grid of chunks to merge. */
export type ChunkPlan =
  | { readonly kind: 'whole'; readonly body: string }
  | {
      readonly kind: 'split';
      readonly budgetGroups: readonly { readonly start: number; readonly end: number }[];
      /** Budget group by budget group, each group's item runs in order. */
      readonly chunks: readonly Chunk[];
    };

// `{"budgets":[],"all_user_expense_lineitems":[]}`
const ENVELOPE_BYTES = 46;

interface Entry {
  readonly json: string;
  readonly bytes: number;
  /** Bytes of the id as the reply writes it (a JSON string), or undefined when it cannot be an id. */
  readonly idBytes: number | undefined;
}

/**
 * Decides how to send `request`: as one call when it is inside every limit (or is not a matcher
 * request at all, which the service answers with its own error), else split by line items, each
 * chunk carrying the budgets it needs; budgets are split too when they alone would take more than
 * half of a limit. Each chunk stays inside `limits` (request bytes, reply entries, estimated reply
 * bytes).
 * @throws MatcherClientError `entry_too_large` when one budget or line item cannot fit any chunk
 */
export function planChunks(
  request: unknown,
  limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
  /** The request's JSON when the caller has it already (a line of a JSONL file). @default JSON.stringify(request) */
  body?: string,
): ChunkPlan {
  const whole = body ?? JSON.stringify(request) ?? 'null';
  if (!isMatcherRequest(request)) return { kind: 'whole', body: whole };
  // Most requests fit: size them by their ids alone before serialising any entry on its own.
  const wholeBytes =
    whole.length * 3 <= limits.maxRequestBytes ? whole.length : Buffer.byteLength(whole, 'utf8');
  if (
    wholeBytes <= limits.maxRequestBytes &&
    fits(
      idsSize(request.budgets, 'budget_id'),
      idsSize(request.all_user_expense_lineitems, 'itemization_id'),
      limits,
    )
  ) {
    return { kind: 'whole', body: whole };
  }
  const budgets = request.budgets.map((b) => entryOf(b, 'budget_id'));
  const items = request.all_user_expense_lineitems.map((i) => entryOf(i, 'itemization_id'));
  const budgetGroups = groupBudgets(budgets, limits);
  const chunks: Chunk[] = [];
  budgetGroups.forEach((group, index) => {
    const budgetJson = budgets.slice(group.start, group.end).map((b) => b.json);
    for (const run of runItems(items, measure(budgets, group.start, group.end), limits)) {
      const itemJson = items.slice(run.start, run.end).map((i) => i.json);
      chunks.push({
        group: index,
        budgetStart: group.start,
        budgetEnd: group.end,
        itemStart: run.start,
        itemEnd: run.end,
        body: `{"budgets":[${budgetJson.join(',')}],"all_user_expense_lineitems":[${itemJson.join(',')}]}`,
      });
    }
  });
  return { kind: 'split', budgetGroups, chunks };
}

/** The envelope the service accepts: an object holding both lists (anything else goes as it is). */
export function isMatcherRequest(value: unknown): value is MatcherRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.budgets) && Array.isArray(v.all_user_expense_lineitems);
}

function entryOf(value: unknown, idField: string): Entry {
  const json = JSON.stringify(value) ?? 'null';
  return { json, bytes: Buffer.byteLength(json, 'utf8'), idBytes: idBytesOf(value, idField) };
}

/** Bytes of the entry's id as the reply writes it (a JSON string), or undefined when it is unusable. */
function idBytesOf(value: unknown, idField: string): number | undefined {
  const id =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[idField] : undefined;
  const idText = usableId(id);
  if (idText === undefined) return undefined;
  // Printable ASCII without quote or backslash (the usual id) is its own length in the reply.
  return /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(idText)
    ? idText.length
    : Buffer.byteLength(JSON.stringify(idText), 'utf8') - 2;
}

/** A list's weight in the reply from its ids alone (its bytes are counted on the whole request). */
function idsSize(list: readonly unknown[], idField: string): Size {
  let size = EMPTY;
  for (const value of list) size = add(size, { json: '', bytes: 0, idBytes: idBytesOf(value, idField) });
  return size;
}

// The service's id rules (CONTRACT.md; `lambda/contract/values.ts`), for sizing only: an entry with
// an unusable id is answered by one error entry instead of its pairs.
const MAX_ID_CHARS = 256;
const UNSTORABLE_ID_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
  /[\u0000-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function usableId(id: unknown): string | undefined {
  if (typeof id === 'number') return Number.isSafeInteger(id) ? String(id) : undefined;
  if (typeof id !== 'string') return undefined;
  const text = id.trim();
  return text === '' || text.length > MAX_ID_CHARS || UNSTORABLE_ID_CHARS.test(text) ? undefined : text;
}

/** What a run of budgets or of line items weighs in a chunk. */
interface Size {
  readonly count: number;
  readonly bytes: number;
  /** Entries that will be scored (a usable-looking id), and their ids' bytes together. */
  readonly scored: number;
  readonly idBytes: number;
  /** Entries that will be one error entry each. */
  readonly errors: number;
}

const EMPTY: Size = { count: 0, bytes: 0, scored: 0, idBytes: 0, errors: 0 };

function measure(entries: readonly Entry[], start: number, end: number): Size {
  let size = EMPTY;
  for (let i = start; i < end; i++) size = add(size, entries[i] as Entry);
  return size;
}

function add(size: Size, entry: Entry): Size {
  const scored = entry.idBytes !== undefined;
  return {
    count: size.count + 1,
    bytes: size.bytes + entry.bytes,
    scored: size.scored + (scored ? 1 : 0),
    idBytes: size.idBytes + (entry.idBytes ?? 0),
    errors: size.errors + (scored ? 0 : 1),
  };
}

function requestBytes(g: Size, i: Size): number {
  return ENVELOPE_BYTES + g.bytes + Math.max(0, g.count - 1) + i.bytes + Math.max(0, i.count - 1);
}

/** Reply entries as the service counts them against `MAX_PAIRS`. */
function entries(g: Size, i: Size): number {
  return g.count * i.count + g.count + i.count;
}

/** The reply's bytes: each scored pair's two ids and fixed part, one error entry per unusable id. */
function replyBytes(g: Size, i: Size): number {
  const pairs = g.scored * i.scored;
  return (
    pairs * PAIR_REPLY_OVERHEAD +
    g.idBytes * i.scored +
    i.idBytes * g.scored +
    (g.errors + i.errors) * ERROR_ENTRY_BYTES
  );
}

function fits(g: Size, i: Size, limits: ChunkLimits, share = 1): boolean {
  return (
    requestBytes(g, i) <= limits.maxRequestBytes * share &&
    entries(g, i) <= limits.maxEntries * share &&
    replyBytes(g, i) <= limits.maxReplyBytes * share
  );
}

/**
 * Budgets in runs that leave at least half of every limit to line items: all in one run when they
 * fit, which is the usual case (a user has tens of budgets and thousands of line items).
 */
function groupBudgets(budgets: readonly Entry[], limits: ChunkLimits): { start: number; end: number }[] {
  // One line item with the shortest id: the heaviest item is checked against the group in runItems.
  const one: Size = { count: 1, bytes: 0, scored: 1, idBytes: 0, errors: 0 };
  if (budgets.length === 0) return [{ start: 0, end: 0 }];
  const groups: { start: number; end: number }[] = [];
  let start = 0;
  let size = EMPTY;
  for (let b = 0; b < budgets.length; b++) {
    const grown = add(size, budgets[b] as Entry);
    if (fits(grown, one, limits, 0.5)) {
      size = grown;
      continue;
    }
    if (b > start) groups.push({ start, end: b });
    start = b;
    size = add(EMPTY, budgets[b] as Entry);
    if (!fits(size, one, limits, 0.5)) throw tooLarge('budgets', b, budgets[b] as Entry);
  }
  groups.push({ start, end: budgets.length });
  return groups;
}

/** Consecutive runs of line items, each as long as the chunk with `group`'s budgets still fits. */
function runItems(
  items: readonly Entry[],
  group: Size,
  limits: ChunkLimits,
): { start: number; end: number }[] {
  if (items.length === 0) return [{ start: 0, end: 0 }];
  const runs: { start: number; end: number }[] = [];
  let start = 0;
  let size = EMPTY;
  for (let i = 0; i < items.length; i++) {
    const grown = add(size, items[i] as Entry);
    if (fits(group, grown, limits)) {
      size = grown;
      continue;
    }
    if (i === start) throw tooLarge('all_user_expense_lineitems', i, items[i] as Entry);
    runs.push({ start, end: i });
    start = i;
    size = add(EMPTY, items[i] as Entry);
    if (!fits(group, size, limits)) throw tooLarge('all_user_expense_lineitems', i, items[i] as Entry);
  }
  runs.push({ start, end: items.length });
  return runs;
}

function tooLarge(list: string, index: number, entry: Entry): MatcherClientError {
  return new MatcherClientError(
    'entry_too_large',
    `${list}[${index}] is ${entry.bytes} bytes: with the budgets it must travel with, it does not fit one call inside the service's limits; shorten it or raise the limits`,
  );
}
