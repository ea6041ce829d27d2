import type { Queryable } from '../db';
import type { DayRange } from './daily-quality';
import { numberOf, numberOrNull } from './sql-values';

/** One point of a version's threshold curve (function `threshold_curve`). */
export interface ThresholdPoint {
  readonly threshold: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  /** `null` where nothing would be predicted a match. */
  readonly precision: number | null;
  /** `null` where no labelled pair is a true match. */
  readonly recall: number | null;
  readonly f1: number | null;
}

/** What one model version would have done at every threshold, and what it did at its own. */
export interface ThresholdCurve {
  readonly modelVersion: string;
  /** `live` when some of its pairs in the range were live replies, else `shadow`. */
  readonly role: 'live' | 'shadow';
  /** Every threshold of the grid, ascending. */
  readonly points: readonly ThresholdPoint[];
  /** The threshold the version's rows recorded (the most common one, if it changed in the range). */
  readonly modelThreshold: number;
  /** The figures at the decisions the rows recorded, at their own thresholds. */
  readonly atModelThreshold: ThresholdPoint;
  /** The grid threshold with the highest F1 (the lowest such threshold on a tie). */
  readonly bestF1?: ThresholdPoint;
  /** The lowest grid threshold whose precision meets the target (the one with the most recall). */
  readonly meetsPrecision?: ThresholdPoint;
}

/** What to compute: the day range of the labelled pairs, the grid and the precision to meet. */
export interface ThresholdCurveQuery extends DayRange {
  /** Grid thresholds 0, 1/steps, …, 1. @default 100 */
  readonly steps?: number;
  /** The precision a threshold must reach for `meetsPrecision`. @default 0.9 */
  readonly targetPrecision?: number;
}

/**
 * Precision, recall and F1 of each model version's labelled pairs in a day range at every grid
 * threshold, its own threshold marked, and the thresholds that would have maximised F1 or met a
 * target precision. Shadow versions get their own curve, so a candidate and the live model compare
 * on the same days.
 *
 * @example
 * const [live] = await thresholdCurves(db, { from: '2025-03-01', to: '2025-03-14', targetPrecision: 0.95 });
 * // { modelVersion: 'v1', modelThreshold: 0.5, bestF1: { threshold: 0.42, f1: 0.91, ... }, ... }
 */
export async function thresholdCurves(
  db: Queryable,
  query: ThresholdCurveQuery = {},
): Promise<ThresholdCurve[]> {
  const steps = query.steps ?? 100;
  const target = query.targetPrecision ?? 0.9;
  if (!Number.isInteger(steps) || steps < 1 || steps > 10_000)
    throw new RangeError(`steps: ${steps} is not a whole number from 1 to 10000`);
  if (!(target > 0 && target <= 1)) throw new RangeError(`target precision: ${target} is not in (0, 1]`);
  const range = [query.from ?? null, query.to ?? null];
  const curve = await db.query(
    `SELECT model_version, role, threshold, tp, fp, fn, tn, precision, recall, f1
     FROM threshold_curve($1::date, $2::date, $3)`,
    [...range, steps],
  );
  const own = await db.query(
    `SELECT model_version,
       mode() WITHIN GROUP (ORDER BY threshold) AS threshold,
       count(*) FILTER (WHERE outcome = 'tp')::int AS tp,
       count(*) FILTER (WHERE outcome = 'fp')::int AS fp,
       count(*) FILTER (WHERE outcome = 'fn')::int AS fn,
       count(*) FILTER (WHERE outcome = 'tn')::int AS tn
     FROM pair_outcomes_between($1::date, $2::date)
     GROUP BY model_version`,
    range,
  );
  const owned = new Map(own.rows.map((r) => [String(r.model_version), r]));
  const byVersion = new Map<string, { role: 'live' | 'shadow'; points: ThresholdPoint[] }>();
  for (const row of curve.rows) {
    const version = String(row.model_version);
    let entry = byVersion.get(version);
    if (!entry) {
      entry = { role: row.role === 'live' ? 'live' : 'shadow', points: [] };
      byVersion.set(version, entry);
    }
    entry.points.push({
      threshold: numberOf(row.threshold, 'threshold'),
      tp: numberOf(row.tp, 'tp'),
      fp: numberOf(row.fp, 'fp'),
      fn: numberOf(row.fn, 'fn'),
      tn: numberOf(row.tn, 'tn'),
      precision: numberOrNull(row.precision, 'precision'),
      recall: numberOrNull(row.recall, 'recall'),
      f1: numberOrNull(row.f1, 'f1'),
    });
  }
  return [...byVersion].map(([modelVersion, { role, points }]) => {
    const mine = owned.get(modelVersion) ?? {};
    const counts = {
      tp: numberOf(mine.tp ?? 0, 'tp'),
      fp: numberOf(mine.fp ?? 0, 'fp'),
      fn: numberOf(mine.fn ?? 0, 'fn'),
      tn: numberOf(mine.tn ?? 0, 'tn'),
    };
    const modelThreshold = numberOf(mine.threshold, 'threshold');
    const curveOf: ThresholdCurve = {
      modelVersion,
      role,
      points,
      modelThreshold,
      atModelThreshold: { threshold: modelThreshold, ...counts, ...figures(counts) },
      ...pick('bestF1', bestF1(points)),
      ...pick('meetsPrecision', meetsPrecision(points, target)),
    };
    return curveOf;
  });
}

/** The point with the highest F1 (the lowest threshold on a tie); `undefined` when no F1 is defined. */
export function bestF1(points: readonly ThresholdPoint[]): ThresholdPoint | undefined {
  let best: ThresholdPoint | undefined;
  for (const p of points) if (p.f1 !== null && (best?.f1 == null || p.f1 > best.f1)) best = p;
  return best;
}

/** The lowest threshold whose precision is at least `target` (so the most recall that meets it). */
export function meetsPrecision(
  points: readonly ThresholdPoint[],
  target: number,
): ThresholdPoint | undefined {
  return points.find((p) => p.precision !== null && p.precision >= target - 1e-12);
}

/** Precision, recall and F1 of confusion counts; `null` where a denominator is 0. */
export function figures(c: { tp: number; fp: number; fn: number }): {
  precision: number | null;
  recall: number | null;
  f1: number | null;
} {
  const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
  return {
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

function pick<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
