import * as z from 'zod/mini';
import type { LabelRow } from './label-row';
import type { ResultRow } from './result-row';

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
