import * as z from 'zod/mini';

/** Classification metrics of one data set at a decision threshold. */
export const metricSetSchema = z.object({
  threshold: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  roc_auc: z.number(),
  support: z.object({ positives: z.number(), negatives: z.number() }),
});

/**
 * What a model artifact says about itself (DESIGN.md #3): what it is for, how it was made, how
 * well it did, where to cut, and a checksum of every file. `manifest.json` beside `model.json`.
 */
export const manifestSchema = z.object({
  schema_version: z.literal(1),
  name: z.string(),
  version: z.string().check(z.minLength(1)),
  purpose: z.string(),
  created_at: z.string(),
  feature_spec: z.object({
    version: z.string(),
    hash: z.string().check(z.length(64)),
    names: z.array(z.string()),
  }),
  training_data: z.object({
    source: z.string(),
    seed: z.optional(z.number()),
    hash: z.string(),
    rows: z.object({ train: z.number(), validation: z.number(), test: z.number() }),
    positives: z.object({ train: z.number(), validation: z.number(), test: z.number() }),
    /** Optional: users per split (splits are made by user, never by pair). */
    users: z.optional(z.object({ train: z.number(), validation: z.number(), test: z.number() })),
  }),
  code_revision: z.string(),
  hyperparameters: z.record(z.string(), z.unknown()),
  /** Held-out (test split) metrics at `threshold`. */
  metrics: metricSetSchema,
  /**
   * Optional further evaluations at `threshold`, by name: `validation`, and `unseen_vendors`
   * (generated from another seed with brands and descriptor styles training never saw).
   */
  evaluations: z.optional(
    z.record(z.string(), z.extend(metricSetSchema, { description: z.optional(z.string()) })),
  ),
  threshold: z.number().check(z.gte(0), z.lte(1)),
  runtime: z.object({ tfjs_version: z.string(), trained_on_backend: z.string() }),
  files: z
    .array(z.object({ path: z.string(), sha256: z.string().check(z.length(64)), bytes: z.int() }))
    .check(z.minLength(1)),
});

export type Manifest = z.output<typeof manifestSchema>;
