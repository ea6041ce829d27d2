import * as z from 'zod/mini';

const key = z.string().check(z.minLength(1), z.maxLength(1024));
const runId = z.string().check(z.minLength(1), z.maxLength(80), z.regex(/^[A-Za-z0-9_.:-]+$/));
const count = z.number().check(z.int(), z.nonnegative());

/** Step 1: find the line ranges of a JSONL of requests and write them as the map's item list. */
export const planEventSchema = z.object({
  action: z.literal('plan'),
  bucket: key,
  /** The JSONL of requests, under the function's prefix. */
  key,
  /** The execution's name: the run's folder under `<prefix>runs/`. */
  runId,
});

/** Step 2, one per map item: score lines `[firstLine, firstLine + lines)`, bytes `[start, end)`. */
export const scoreEventSchema = z.object({
  action: z.literal('score'),
  bucket: key,
  key,
  runId,
  firstLine: count,
  lines: count,
  start: count,
  end: count,
});

/** Step 3: count the map's failed items (its ResultWriter manifest) and publish them. */
export const summariseEventSchema = z.object({
  action: z.literal('summarise'),
  runId,
  plan: z.object({ items: count, lines: count, outputPrefix: key }),
  /** The Distributed Map's output: where its ResultWriter wrote the manifest. */
  map: z.object({ ResultWriterDetails: z.object({ Bucket: key, Key: key }) }),
});

export const batchEventSchema = z.discriminatedUnion('action', [
  planEventSchema,
  scoreEventSchema,
  summariseEventSchema,
]);

export type PlanEvent = z.output<typeof planEventSchema>;
export type ScoreEvent = z.output<typeof scoreEventSchema>;
export type SummariseEvent = z.output<typeof summariseEventSchema>;
export type BatchEvent = z.output<typeof batchEventSchema>;

/** A map item: the `score` event without its action and run (the state machine adds them). */
export type BatchItem = Omit<ScoreEvent, 'action' | 'runId'>;
