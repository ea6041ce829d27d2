import { z } from 'zod';
import type { LabelRow } from './label-row';
import type { ResultRow } from './result-row';

const isoTimestamp = z.iso.datetime({ offset: true });
const nullableText = z.string().min(1).max(1024).nullable();

/** One result row as it travels through the queue; mirrors {@link ResultRow} and the table's checks. */
export const resultRowSchema = z
  .object({
    request_id: z.string().min(1).max(256),
    entry_index: z.number().int().nonnegative().max(2_147_483_647),
    budget_id: nullableText,
    itemization_id: nullableText,
    score: z.number().min(0).max(1).nullable(),
    decision: z.boolean().nullable(),
    threshold: z.number().finite(),
    model_version: z.string().min(1).max(256),
    role: z.enum(['live', 'shadow']),
    error_code: z.string().min(1).max(256).nullable(),
    scored_at: isoTimestamp,
  })
  .refine((r) => (r.score === null) === (r.decision === null), {
    message: 'score and decision are both set or both null',
  })
  .refine((r) => (r.score === null) !== (r.error_code === null), {
    message: 'exactly one of score and error_code is set',
  });

/** One label as it travels through the queue; mirrors {@link LabelRow}. */
export const labelRowSchema = z.object({
  budget_id: z.string().min(1).max(256),
  itemization_id: z.string().min(1).max(256),
  is_match: z.boolean(),
  labelled_at: isoTimestamp,
  source: z.string().min(1).max(256),
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
