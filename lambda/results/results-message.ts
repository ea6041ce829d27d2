import * as z from 'zod/mini';
import type { LabelRow } from './label-row';
import { emptyColumns } from './result-columns';
import type { ResultRow } from './result-row';
import { appendPairs, pairsRowCount, type ScoredPairs } from './scored-pairs';

const isoTimestamp = z.iso.datetime({ offset: true });
const nullableText = z.nullable(z.string().check(z.minLength(1), z.maxLength(1024)));

/** One result row as it travels through the queue; mirrors {@link ResultRow} and the table's checks. */
export const resultRowSchema = z
  .object({
    request_id: z.string().check(z.minLength(1), z.maxLength(256)),
    entry_index: z.int().check(z.gte(0), z.lte(2_147_483_647)),
    budget_id: nullableText,
    itemization_id: nullableText,
    score: z.nullable(z.number().check(z.gte(0), z.lte(1))),
    decision: z.nullable(z.boolean()),
    threshold: z.number(),
    model_version: z.string().check(z.minLength(1), z.maxLength(256)),
    role: z.enum(['live', 'shadow', 'batch']),
    error_code: z.nullable(z.string().check(z.minLength(1), z.maxLength(256))),
    scored_at: isoTimestamp,
  })
  .check(
    z.refine((r) => (r.score === null) === (r.decision === null), {
      message: 'score and decision are both set or both null',
    }),
    z.refine((r) => (r.score === null) !== (r.error_code === null), {
      message: 'exactly one of score and error_code is set',
    }),
  );

/** One label as it travels through the queue; mirrors {@link LabelRow}. */
export const labelRowSchema = z.object({
  budget_id: z.string().check(z.minLength(1), z.maxLength(256)),
  itemization_id: z.string().check(z.minLength(1), z.maxLength(256)),
  is_match: z.boolean(),
  labelled_at: isoTimestamp,
  source: z.string().check(z.minLength(1), z.maxLength(256)),
});

/**
 * What travels from a sink to the writer (an SQS message body, or an entry of the local queue):
 * scored rows or labels, never both. The writer validates every message with this schema; one
 * that fails is poison and is reported as a failed batch item, so it ends in the dead-letter
 * queue instead of blocking its batch.
 */
export const resultsMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('results'), rows: z.array(resultRowSchema) }),
  z.object({ kind: z.literal('labels'), labels: z.array(labelRowSchema) }),
]);

export type ResultsMessage =
  | { readonly kind: 'results'; readonly rows: readonly ResultRow[] }
  | { readonly kind: 'labels'; readonly labels: readonly LabelRow[] };

/** The rows or labels a message carries. */
export function messageItems(message: ResultsMessage): readonly (ResultRow | LabelRow)[] {
  return message.kind === 'results' ? message.rows : message.labels;
}

const pairSide = z.union([
  z.string().check(z.minLength(1), z.maxLength(1024)),
  z.object({ error: z.string() }),
]);

/**
 * Result rows in the shape they were scored (`ScoredPairs`: budgets × items, one score a pair):
 * what the predict function sends to the queue, about a twentieth of the same rows as objects
 * (a 10 × 2,000 request is about 200 KB, one SQS message). The writer turns it into rows
 * ({@link pairsAsRows}) and checks those with {@link resultRowSchema}.
 */
export const pairsMessageSchema = z.object({
  kind: z.literal('pairs'),
  pairs: z.array(
    z.object({
      request_id: z.string().check(z.minLength(1), z.maxLength(256)),
      role: z.enum(['live', 'shadow', 'batch']),
      model_version: z.string().check(z.minLength(1), z.maxLength(256)),
      threshold: z.number(),
      scored_at: isoTimestamp,
      budgets: z.array(pairSide),
      items: z.array(pairSide),
      scores: z.array(z.nullable(z.number())),
    }),
  ),
});

/** Rows as the sink holds and sends them: as rows, as pairs, or labels. */
export type SinkMessage = ResultsMessage | { readonly kind: 'pairs'; readonly pairs: readonly ScoredPairs[] };

/** One item of a {@link SinkMessage}: a row, a label, or one scoring's pairs. */
export type SinkItem = ResultRow | LabelRow | ScoredPairs;

/** The items a sink message carries. */
export function sinkItems(message: SinkMessage): readonly SinkItem[] {
  return message.kind === 'pairs' ? message.pairs : messageItems(message);
}

/** How many rows (or labels) an item stands for: a scoring's pairs count every row they make. */
export function itemRows(item: SinkItem): number {
  return 'scores' in item ? pairsRowCount(item) : 1;
}

/** How many rows (or labels) a sink message stands for. */
export function messageRows(message: SinkMessage): number {
  if (message.kind !== 'pairs') return messageItems(message).length;
  let n = 0;
  for (const pairs of message.pairs) n += pairsRowCount(pairs);
  return n;
}

/** The result rows of scorings sent as pairs, in reply order. */
export function pairsAsRows(pairs: readonly ScoredPairs[]): ResultRow[] {
  const c = emptyColumns();
  for (const p of pairs) appendPairs(c, p);
  return c.request_id.map((request_id, i) => ({
    request_id,
    entry_index: c.entry_index[i] as number,
    budget_id: c.budget_id[i] ?? null,
    itemization_id: c.itemization_id[i] ?? null,
    score: c.score[i] ?? null,
    decision: c.decision[i] ?? null,
    threshold: c.threshold[i] as number,
    model_version: c.model_version[i] as string,
    role: c.role[i] as ResultRow['role'],
    error_code: c.error_code[i] ?? null,
    scored_at: c.scored_at[i] as string,
  }));
}
