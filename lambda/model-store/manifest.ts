import * as z from 'zod/mini';

/** Classification metrics of one data set at a decision threshold. */
export const metricSetSchema = z.object({
  threshold: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  roc_auc: z.number(),
  /** Area under the precision-recall curve (optional: manifests before issue 12 lack it). */
  average_precision: z.optional(z.number()),
  support: z.object({ positives: z.number(), negatives: z.number() }),
});

/** One golden request: a request as a client sends it and the expected score of each pair. */
export const goldenRequestSchema = z.object({
  name: z.string().check(z.minLength(1)),
  request: z.unknown(),
  scores: z.array(z.number().check(z.gte(0), z.lte(1))),
});

export const goldenSchema = z.object({
  /** Largest difference allowed between an expected and an actual score (backends differ by about 1e-6). */
  tolerance: z.number().check(z.gt(0), z.lte(0.01)),
  requests: z.array(goldenRequestSchema).check(z.minLength(1)),
});

export type GoldenRequests = z.output<typeof goldenSchema>;

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
  /**
   * Golden requests: a handful of requests and the score of each of their pairs (budgets outer,
   * items inner, as the reply orders them) when the artifact was made. Loading scores them and
   * refuses the model when a score is not finite, outside [0, 1], or more than `tolerance` from
   * the expected one (`golden_mismatch`). Optional for artifacts made before them; those are still
   * held to finite scores in [0, 1] on a built-in probe request.
   */
  golden: z.optional(goldenSchema),
  /**
   * The vendor alias table the vendor features read (brand → descriptor variants), one of `files`:
   * its path, sha256 and brand count. Optional: a model without one reads no brands.
   */
  vendor_aliases: z.optional(
    z.object({ path: z.string(), sha256: z.string().check(z.length(64)), brands: z.int() }),
  ),
  /**
   * The reciprocal stage applied to the network's scores within each request (docs/models.md,
   * "The reciprocal stage"): its formula's version (`reciprocal-logistic/3`) and four weights (JSON holds finite numbers only). Optional: a model
   * without it is served on the network's scores alone.
   */
  reciprocal_stage: z.optional(
    z.object({
      version: z.literal('reciprocal-logistic/3'),
      weights: z.object({
        bias: z.number(),
        logit: z.number(),
        vs_other_budgets: z.number(),
        vs_other_items: z.number(),
      }),
      /** What the weights were fitted on, in words (the training split's network scores). */
      fitted_on: z.optional(z.string()),
    }),
  ),
  runtime: z.object({ tfjs_version: z.string(), trained_on_backend: z.string() }),
  files: z
    .array(z.object({ path: z.string(), sha256: z.string().check(z.length(64)), bytes: z.int() }))
    .check(z.minLength(1)),
});

export type Manifest = z.output<typeof manifestSchema>;
