import type { Database } from '../../lambda/db';
import { Random } from '../../train/random';

/** One synthetic day of labelled traffic: confusion counts and the figures they give. */
export interface SyntheticDay {
  readonly day: string;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly precision: number;
  readonly recall: number;
}

/** The true precision and recall of day `i` (0-based). */
export type QualityPath = (i: number) => { readonly precision: number; readonly recall: number };

/** Flat: the same true precision and recall every day (only sampling noise moves the figures). */
export const flat =
  (precision = 0.9, recall = 0.9): QualityPath =>
  () => ({ precision, recall });

/** Flat, then from day `at` on both figures lower by `drop` (a sudden shift). */
export const step =
  (at: number, drop: number, precision = 0.9, recall = 0.9): QualityPath =>
  (i) =>
    i < at ? { precision, recall } : { precision: precision - drop, recall: recall - drop };

/** Flat, then from day `at` on both figures falling by `perDay` each day (a slow decay). */
export const decay =
  (at: number, perDay: number, precision = 0.9, recall = 0.9): QualityPath =>
  (i) => {
    const fall = Math.max(0, i - at + 1) * perDay;
    return { precision: precision - fall, recall: recall - fall };
  };

/**
 * `days` days from `start` of labelled traffic whose true precision and recall follow `path`:
 * each day `positives` true matches, each caught with probability recall (tp, fn), and false
 * positives drawn so precision is right on average (fp ~ Binomial(4 × positives, q)), so the daily
 * figures carry the sampling noise real days have (about ±0.03 at 100 positives). tn = 0: the
 * figures do not use it. Seeded: the same arguments give the same series.
 */
export function syntheticDays(
  path: QualityPath,
  options: {
    readonly days: number;
    readonly seed: number;
    readonly positives?: number;
    readonly start?: string;
  },
): SyntheticDay[] {
  const rng = new Random(options.seed);
  const positives = options.positives ?? 100;
  const start = Date.parse(`${options.start ?? '2025-01-01'}T00:00:00Z`);
  const binomial = (n: number, p: number) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.next() < p) k++;
    return k;
  };
  const out: SyntheticDay[] = [];
  for (let i = 0; i < options.days; i++) {
    const truth = path(i);
    const tp = binomial(positives, truth.recall);
    const expectedFp = (positives * truth.recall * (1 - truth.precision)) / truth.precision;
    const fp = binomial(4 * positives, Math.min(1, expectedFp / (4 * positives)));
    const fn = positives - tp;
    out.push({
      day: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
      tp,
      fp,
      fn,
      tn: 0,
      precision: tp + fp === 0 ? Number.NaN : tp / (tp + fp),
      recall: tp / positives,
    });
  }
  return out;
}

/**
 * Inserts synthetic days as result rows and labels of `modelVersion` in one statement each (every
 * pair scored once at noon UTC; predicted matches score 0.9, the others 0.1; threshold 0.5).
 */
export async function insertSyntheticDays(
  db: Pick<Database, 'query'>,
  modelVersion: string,
  days: readonly SyntheticDay[],
): Promise<void> {
  const params = [
    days.map((d) => d.day),
    days.map((d) => d.tp),
    days.map((d) => d.fp),
    days.map((d) => d.fn),
    days.map((d) => d.tn),
    modelVersion,
  ];
  const pairs = `
    WITH d AS (SELECT * FROM unnest($1::date[], $2::int[], $3::int[], $4::int[], $5::int[]) AS t(day, tp, fp, fn, tn)),
    p AS (
      SELECT d.day, o.outcome, g
      FROM d
      CROSS JOIN LATERAL (VALUES ('tp', d.tp), ('fp', d.fp), ('fn', d.fn), ('tn', d.tn)) AS o(outcome, n)
      CROSS JOIN LATERAL generate_series(1, o.n) AS g
    )`;
  await db.query(
    `${pairs}
     INSERT INTO results (request_id, entry_index, role, budget_id, itemization_id, score, decision,
       threshold, model_version, scored_at)
     SELECT 'syn-' || $6 || '-' || p.day || '-' || p.outcome || '-' || p.g, 0, 'live', p.day || '-' || $6,
       p.outcome || '-' || p.g, CASE WHEN p.outcome IN ('tp', 'fp') THEN 0.9 ELSE 0.1 END,
       p.outcome IN ('tp', 'fp'), 0.5, $6, (p.day + time '12:00') AT TIME ZONE 'UTC'
     FROM p`,
    params,
  );
  await db.query(
    `${pairs}
     INSERT INTO labels (budget_id, itemization_id, is_match, source)
     SELECT p.day || '-' || $6, p.outcome || '-' || p.g, p.outcome IN ('tp', 'fn'), 'synthetic' FROM p`,
    params,
  );
}
