import type { DailyQuality } from './daily-quality';
import type { Day } from './sql-values';

/** The quality of what clients received on a day: the live versions' counts pooled. */
export interface LiveQuality {
  readonly day: Day;
  /** The versions that served live that day (more than one across a release or rollback). */
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
 * Pools the confusion counts of the versions that served live on `day` (shadow versions left
 * out) and computes precision, recall and F1 from the pooled counts, as `daily_quality` does;
 * `undefined` when no live version has a labelled pair that day.
 */
export function liveQuality(rows: readonly DailyQuality[], day: Day): LiveQuality | undefined {
  const live = rows.filter((r) => r.day === day && r.role === 'live');
  if (live.length === 0) return undefined;
  const sum = (key: 'tp' | 'fp' | 'fn' | 'tn') => live.reduce((total, r) => total + r[key], 0);
  const [tp, fp, fn, tn] = [sum('tp'), sum('fp'), sum('fn'), sum('tn')];
  const ratio = (numerator: number, denominator: number) =>
    denominator === 0 ? null : numerator / denominator;
  return {
    day,
    modelVersions: live.map((r) => r.modelVersion),
    tp,
    fp,
    fn,
    tn,
    support: tp + fp + fn + tn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}
