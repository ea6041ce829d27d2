import type { Queryable } from '../db';
import type { DayRange } from './daily-quality';
import { type Day, numberOf } from './sql-values';

/** One bucket of one day's scores by one model version (function `score_histogram`). */
export interface ScoreBucket {
  readonly day: Day;
  readonly modelVersion: string;
  /** 1 … bins. */
  readonly bucket: number;
  /** The bucket is [lower, upper); the last one includes 1. */
  readonly lower: number;
  readonly upper: number;
  /** Scored rows in the bucket. */
  readonly count: number;
  /** The bucket's fraction of the day's scored rows by that version. */
  readonly share: number;
}

/**
 * Reads the score distribution per day and model version, `bins` equal buckets over [0, 1]
 * (every bucket, empty ones with count 0), ordered by day, version, bucket.
 */
export async function scoreHistogram(
  db: Queryable,
  options: DayRange & { readonly bins?: number } = {},
): Promise<ScoreBucket[]> {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000)
    throw new RangeError(`bins: ${bins} is not a whole number from 1 to 1000`);
  const { rows } = await db.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, model_version, bucket, lower_bound, upper_bound, count, share
     FROM score_histogram($1, $2::date, $3::date)`,
    [bins, options.from ?? null, options.to ?? null],
  );
  return rows.map((row) => ({
    day: String(row.day),
    modelVersion: String(row.model_version),
    bucket: numberOf(row.bucket, 'bucket'),
    lower: numberOf(row.lower_bound, 'lower_bound'),
    upper: numberOf(row.upper_bound, 'upper_bound'),
    count: numberOf(row.count, 'count'),
    share: numberOf(row.share, 'share'),
  }));
}
