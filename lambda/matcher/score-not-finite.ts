import type { EntryError } from '../contract';

/**
 * The error of a pair whose score came out NaN or infinite (a broken model that got past its
 * golden requests, or a feature row it was never checked on): the pair gets an error entry, never
 * `"score": null` with `"match": false`, and the predict function counts it
 * (`PREDICT_METRICS.scoresNotFinite`).
 */
export const SCORE_NOT_FINITE: EntryError = {
  code: 'score_not_finite',
  message: 'the model gave no finite score for this pair',
  field: 'score',
};

/** How many of `scores` are not finite. */
export function countNotFinite(scores: Float32Array): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (!Number.isFinite(scores[i] as number)) n++;
  return n;
}
