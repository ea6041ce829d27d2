import { MatcherClientError } from './errors';
import type { Chunk } from './plan-chunks';

/** One entry of the service's reply (CONTRACT.md "Response"): a scored pair or an error entry. */
export interface ReplyEntry {
  readonly budget_id?: string;
  readonly itemization_id?: string;
  readonly budget_index?: number;
  readonly itemization_index?: number;
  readonly score: number | null;
  readonly match?: boolean;
  readonly error?: { readonly code: string; readonly message: string; readonly field?: string };
  readonly [extra: string]: unknown;
}

/** A chunk's reply cut along its budgets: each budget's pairs, or its one error entry. */
interface ReadChunk {
  readonly perBudget: (ReplyEntry[] | { readonly error: ReplyEntry })[];
  readonly itemErrors: ReplyEntry[];
}

/**
 * Merges the replies of a split request's chunks into one reply in the order and with the indices
 * one call would have given (CONTRACT.md "Response"): budgets in request order, each budget's pairs over all its chunks in
 * line-item order; a bad budget's error entry once; the bad line items' error entries after all
 * pairs, in request order; every index (and the field that names it) renumbered to the whole
 * request.
 * @throws MatcherClientError `unexpected_reply` when a reply does not have the shape its chunk implies
 */
export function mergeReplies(
  budgetGroups: readonly { readonly start: number; readonly end: number }[],
  chunks: readonly Chunk[],
  replies: readonly (readonly ReplyEntry[])[],
): ReplyEntry[] {
  const read = chunks.map((chunk, i) => readChunk(chunk, replies[i] ?? []));
  const merged: ReplyEntry[] = [];
  budgetGroups.forEach((group, g) => {
    const groupChunks = chunks.flatMap((chunk, i) => (chunk.group === g ? [read[i] as ReadChunk] : []));
    for (let b = 0; b < group.end - group.start; b++) {
      const first = groupChunks[0]?.perBudget[b];
      if (first !== undefined && !Array.isArray(first)) {
        merged.push(renumber(first.error, 'budget_index', 'budgets', group.start));
        continue;
      }
      for (const chunk of groupChunks) {
        const pairs = chunk.perBudget[b];
        if (Array.isArray(pairs)) for (const entry of pairs) merged.push(entry);
      }
    }
  });
  chunks.forEach((chunk, i) => {
    if (chunk.group !== 0) return;
    for (const entry of (read[i] as ReadChunk).itemErrors) {
      merged.push(renumber(entry, 'itemization_index', 'all_user_expense_lineitems', chunk.itemStart));
    }
  });
  return merged;
}

/**
 * Cuts one chunk's reply: the line items' error entries are at its end (they carry
 * `itemization_index`); every other line item is scored against each usable budget, so a usable
 * budget has exactly that many pairs, and an unusable one a single `budget_index` entry.
 */
function readChunk(chunk: Chunk, reply: readonly ReplyEntry[]): ReadChunk {
  const itemErrors = reply.filter((e) => e.itemization_index !== undefined);
  const scoredItems = chunk.itemEnd - chunk.itemStart - itemErrors.length;
  const pairsEnd = reply.length - itemErrors.length;
  const perBudget: ReadChunk['perBudget'] = [];
  let at = 0;
  for (let b = chunk.budgetStart; b < chunk.budgetEnd; b++) {
    const entry = reply[at];
    // A budget with no pairs (no usable line item in the chunk) is followed at once by the next
    // entry, which may be a later budget's error entry: the index says whose it is.
    if (entry !== undefined && entry.budget_index === b - chunk.budgetStart) {
      perBudget.push({ error: entry });
      at += 1;
    } else {
      perBudget.push(reply.slice(at, at + scoredItems));
      at += scoredItems;
    }
  }
  if (
    scoredItems < 0 ||
    at !== pairsEnd ||
    reply.slice(pairsEnd).some((e) => e.itemization_index === undefined)
  ) {
    throw new MatcherClientError(
      'unexpected_reply',
      `the reply to budgets ${chunk.budgetStart}-${chunk.budgetEnd - 1} × line items ${chunk.itemStart}-${chunk.itemEnd - 1} has ${reply.length} entries, not the shape the contract gives such a request`,
    );
  }
  return { perBudget, itemErrors };
}

/** The entry with its index (and the `field` naming it, e.g. `budgets[3].budget_id`) moved by `offset`. */
function renumber(
  entry: ReplyEntry,
  key: 'budget_index' | 'itemization_index',
  list: string,
  offset: number,
): ReplyEntry {
  if (offset === 0) return entry;
  const index = (entry[key] as number) + offset;
  const field = entry.error?.field;
  const prefix = `${list}[`;
  const renamed =
    field?.startsWith(prefix) === true
      ? field.replace(/^[a-z_]+\[(\d+)\]/, (_, n: string) => `${list}[${Number(n) + offset}]`)
      : field;
  return {
    ...entry,
    [key]: index,
    ...(entry.error === undefined
      ? {}
      : { error: { ...entry.error, ...(renamed === undefined ? {} : { field: renamed }) } }),
  };
}
