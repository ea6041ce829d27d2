import type { Queryable } from '../db';
import { type Day, numberOf, numberOrNull } from './sql-values';

/** The quality of what clients received on a day, pooled over the versions that served live. */
export interface LiveQuality {
  readonly day: Day;
  /** The versions whose live scores are counted that day (more than one across a release or rollback). */
  readonly modelVersions: readonly string[];
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly support: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
}

/**
 * Reads `day`'s pooled live figures (view `live_daily_quality`): each labelled pair once, at its
 * latest live score whichever version gave it, shadow and batch rows never counted; `undefined`
 * when no labelled pair's latest live score falls on `day`. (Summing `daily_quality`'s live rows
 * would count a pair twice on a promotion day, and a live version's shadow pairs too.)
 */
export async function liveQuality(db: Queryable, day: Day): Promise<LiveQuality | undefined> {
  const { rows } = await db.query(
    `SELECT model_versions, tp, fp, fn, tn, support, precision, recall, f1
     FROM live_daily_quality WHERE day = $1::date`,
    [day],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    day,
    modelVersions: (row.model_versions as unknown[]).map(String),
    tp: numberOf(row.tp, 'tp'),
    fp: numberOf(row.fp, 'fp'),
    fn: numberOf(row.fn, 'fn'),
    tn: numberOf(row.tn, 'tn'),
    support: numberOf(row.support, 'support'),
    precision: numberOrNull(row.precision, 'precision'),
    recall: numberOrNull(row.recall, 'recall'),
    f1: numberOrNull(row.f1, 'f1'),
  };
}
