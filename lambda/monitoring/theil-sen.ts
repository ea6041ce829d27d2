import { median, normalQuantileAbove, normalTail } from './robust-statistics';

/** A point of a series: `x` (a day number) and its value. */
export interface SeriesPoint {
  readonly x: number;
  readonly y: number;
}

/** A robust straight-line trend and how sure it is. */
export interface TheilSenFit {
  /** Median of the pairwise slopes (change of y per unit of x). */
  readonly slope: number;
  /** Median of y − slope × x. */
  readonly intercept: number;
  /** The slope's confidence interval at `confidence` (Sen 1968, from Kendall's S). */
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  /** Mann–Kendall two-sided p-value of "no monotone trend". */
  readonly pValue: number;
  readonly points: number;
}

/**
 * Theil–Sen estimator: the median of the slopes between every pair of points, which up to 29% of
 * wild points cannot move, with Sen's distribution-free confidence interval and the Mann–Kendall
 * test of no trend (normal approximation, no tie correction: daily precision values rarely tie
 * exactly, and a tie only makes the interval a little wider). `undefined` with fewer than 3
 * points or all at one x. O(n² log n): a window of weeks of days is a few hundred slopes.
 *
 * @example
 * theilSen([{ x: 0, y: 0.9 }, { x: 1, y: 0.89 }, { x: 2, y: 0.88 }], 0.95)?.slope; // ≈ -0.01
 */
export function theilSen(points: readonly SeriesPoint[], confidence = 0.95): TheilSenFit | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  const slopes: number[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = points[i] as SeriesPoint;
    for (let j = i + 1; j < n; j++) {
      const b = points[j] as SeriesPoint;
      if (a.x === b.x) continue;
      slopes.push((b.y - a.y) / (b.x - a.x));
      s += Math.sign((b.y - a.y) * (b.x - a.x));
    }
  }
  if (slopes.length === 0) return undefined;
  slopes.sort((p, q) => p - q);
  const slope = median(slopes);
  const intercept = median(points.map((p) => p.y - slope * p.x));
  const variance = (n * (n - 1) * (2 * n + 5)) / 18;
  const c = normalQuantileAbove((1 - confidence) / 2) * Math.sqrt(variance);
  const count = slopes.length;
  const lowIndex = Math.max(0, Math.min(count - 1, Math.round((count - c) / 2) - 1));
  const highIndex = Math.max(0, Math.min(count - 1, Math.round((count + c) / 2)));
  const z = s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(variance);
  return {
    slope,
    intercept,
    low: slopes[lowIndex] as number,
    high: slopes[highIndex] as number,
    confidence,
    pValue: Math.min(1, 2 * normalTail(Math.abs(z))),
    points: n,
  };
}
