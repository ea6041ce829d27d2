import type { Queryable } from '../db';
import { type Day, numberOf, numberOrNull } from './sql-values';

/**
 * One model version's quality on one UTC day (view `daily_quality`): the confusion counts of its
 * labelled pairs, each pair counted once at its latest score, and the figures made of them.
 */
export interface DailyQuality {
  readonly day: Day;
  readonly modelVersion: string;
  /** `live` when the version served clients that day, `shadow` when it only shadowed. */
  readonly role: 'live' | 'shadow';
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  /** Labelled pairs: tp + fp + fn + tn. */
  readonly support: number;
  /** True matches among them: tp + fn. */
  readonly positives: number;
  /** tp / (tp + fp); `null` when the version predicted no match that day. */
  readonly precision: number | null;
  /** tp / (tp + fn); `null` when no labelled pair was a match. */
  readonly recall: number | null;
  /** 2tp / (2tp + fp + fn); `null` when there was nothing to get right or wrong. */
  readonly f1: number | null;
}

/** A range of UTC days, both ends included; an end left out is open. */
export interface DayRange {
  readonly from?: Day;
  readonly to?: Day;
}

/** The columns shared by `daily_quality` and `quality_trend`, with `day` as text. */
export const QUALITY_COLUMNS = `to_char(day, 'YYYY-MM-DD') AS day, model_version, role,
  tp, fp, fn, tn, support, positives, precision, recall, f1`;

/** `WHERE` clause bounding `day` by parameters `$n` and `$n+1` (either NULL for open). */
export function dayRangeWhere(first: number): string {
  return `($${first}::date IS NULL OR day >= $${first}::date) AND ($${first + 1}::date IS NULL OR day <= $${first + 1}::date)`;
}

/**
 * Reads `daily_quality` for the days in `range`, ordered by day then version.
 *
 * @example
 * const [row] = await dailyQuality(db, { from: '2025-03-01', to: '2025-03-01' });
 * // { day: '2025-03-01', modelVersion: '20250301T...', precision: 0.93, recall: 0.88, ... }
 */
export async function dailyQuality(db: Queryable, range: DayRange = {}): Promise<DailyQuality[]> {
  const { rows } = await db.query(
    `SELECT ${QUALITY_COLUMNS} FROM daily_quality WHERE ${dayRangeWhere(1)} ORDER BY day, model_version`,
    [range.from ?? null, range.to ?? null],
  );
  return rows.map(toDailyQuality);
}

/** Reads one row of `daily_quality`'s columns. */
export function toDailyQuality(row: Record<string, unknown>): DailyQuality {
  return {
    day: String(row.day),
    modelVersion: String(row.model_version),
    role: row.role === 'live' ? 'live' : 'shadow',
    tp: numberOf(row.tp, 'tp'),
    fp: numberOf(row.fp, 'fp'),
    fn: numberOf(row.fn, 'fn'),
    tn: numberOf(row.tn, 'tn'),
    support: numberOf(row.support, 'support'),
    positives: numberOf(row.positives, 'positives'),
    precision: numberOrNull(row.precision, 'precision'),
    recall: numberOrNull(row.recall, 'recall'),
    f1: numberOrNull(row.f1, 'f1'),
  };
}
