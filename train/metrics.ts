/** Scores in [0, 1] and 0/1 labels of the same rows. */
export type Scores = ArrayLike<number>;
export type Labels = ArrayLike<number>;

/** Counts of a decision at a threshold: a row is predicted a match when `score >= threshold`. */
export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/** The metrics a manifest records for one data set (manifest `metrics` and `evaluations`). */
export interface MetricSet {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly roc_auc: number;
  /** Area under the precision-recall curve, as the mean of the precision at each positive. */
  readonly average_precision: number;
  readonly support: { readonly positives: number; readonly negatives: number };
}

/**
 * Confusion counts at `threshold`, with serving's rule: a match when `score >= threshold`.
 *
 * @example confusion([0.9, 0.4, 0.2], [1, 1, 0], 0.5) // { tp: 1, fp: 0, tn: 1, fn: 1 }
 */
export function confusion(scores: Scores, labels: Labels, threshold: number): Confusion {
  checkLengths(scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) >= threshold;
    const actual = (labels[i] as number) === 1;
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

/** tp / (tp + fp); 0 when nothing is predicted positive. */
export function precision(c: Confusion): number {
  return c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
}

/** tp / (tp + fn); 0 when there are no positives. */
export function recall(c: Confusion): number {
  return c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
}

/** Harmonic mean of precision and recall, 2tp / (2tp + fp + fn); 0 when both are 0. */
export function f1(c: Confusion): number {
  const denominator = 2 * c.tp + c.fp + c.fn;
  return denominator === 0 ? 0 : (2 * c.tp) / denominator;
}

/**
 * Area under the ROC curve from ranks (the Mann–Whitney U statistic): the probability that a
 * random positive scores above a random negative, counting ties as one half. Tied scores get
 * their average rank. NaN when either class is absent.
 *
 * @example rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]) // 0.875
 */
export function rocAuc(scores: Scores, labels: Labels): number {
  checkLengths(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    const value = scores[order[start] as number] as number;
    let end = start;
    while (end < order.length && scores[order[end] as number] === value) end++;
    // Ranks start + 1 .. end (1-based) share their average.
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The threshold that maximises F1 on a data set, and the F1 it reaches there. */
export interface ThresholdChoice {
  readonly threshold: number;
  readonly f1: number;
}

/**
 * The decision threshold that maximises F1 on `scores` (the validation split). Every cut between
 * two distinct scores is tried; the threshold returned is the midpoint of the best cut's gap,
 * so that rounding a score (serving replies with six decimals) does not move it across. Among
 * equal F1s the higher threshold wins (fewer false alarms for the same F1).
 *
 * @example chooseThreshold([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]) // { threshold: 0.55, f1: 1 }
 */
export function chooseThreshold(scores: Scores, labels: Labels): ThresholdChoice {
  let best: ThresholdChoice = { threshold: 1, f1: 0 };
  sweepCuts(scores, labels, undefined, (threshold, score) => {
    if (score > best.f1) best = { threshold, f1: score };
  });
  return best;
}

/**
 * Every cut between two distinct scores, from the highest score down: `onCut(threshold, f1, tp,
 * fp)` with the midpoint of the cut's gap and the counts of everything scoring above it;
 * `onMatch(row)` first for each match the cut takes in. Tied scores are never split.
 */
function sweepCuts(
  scores: Scores,
  labels: Labels,
  onMatch: ((row: number) => void) | undefined,
  onCut: (threshold: number, f1: number, tp: number, fp: number) => void,
): void {
  checkLengths(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  let totalPositives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) totalPositives++;
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < order.length; ) {
    const value = scores[order[start] as number] as number;
    let end = start;
    while (end < order.length && scores[order[end] as number] === value) {
      const row = order[end] as number;
      if (labels[row] === 1) {
        tp++;
        onMatch?.(row);
      } else fp++;
      end++;
    }
    // Everything scoring >= value is predicted positive.
    const next = end < order.length ? (scores[order[end] as number] as number) : 0;
    onCut((value + next) / 2, f1({ tp, fp, tn: 0, fn: totalPositives - tp }), tp, fp);
    start = end;
  }
}

/** What {@link chooseThresholdWithFloors} chose, and whether the floors could be kept. */
export interface FlooredThresholdChoice extends ThresholdChoice {
  /** False when no threshold keeps every floor: `threshold` is then {@link chooseThreshold}'s. */
  readonly floorsMet: boolean;
}

/**
 * The threshold that maximises F1 on `scores` among those that keep overall precision at or
 * above `precisionFloor` and the recall of every group at or above `recallFloor`; the cuts tried
 * and the midpoint rule are {@link chooseThreshold}'s. Each array of `memberships` gives every row
 * one group (a number; -1 for none), so a row can count in several groupings (its slice, its
 * budget type). When no threshold keeps every floor, {@link chooseThreshold}'s is returned with
 * `floorsMet: false`.
 *
 * @example chooseThresholdWithFloors([0.9, 0.6, 0.4, 0.1], [1, 1, 1, 0], [Int32Array.of(0, 0, 1, 1)], { recallFloor: 1, precisionFloor: 0 }) // threshold 0.25: group 1's match at 0.4 counts
 */
export function chooseThresholdWithFloors(
  scores: Scores,
  labels: Labels,
  memberships: readonly Int32Array[],
  floors: { readonly recallFloor: number; readonly precisionFloor: number },
): FlooredThresholdChoice {
  checkLengths(scores, labels);
  const groupCount = memberships.map((m) => m.reduce((max, g) => Math.max(max, g + 1), 0));
  const positives = groupCount.map((n) => new Float64Array(n));
  const found = groupCount.map((n) => new Float64Array(n));
  // One more in each grouping's group of `row`.
  const count = (tallies: Float64Array[], row: number) => {
    for (const [m, membership] of memberships.entries()) {
      const g = membership[row] as number;
      const counts = tallies[m] as Float64Array;
      if (g >= 0) counts[g] = (counts[g] as number) + 1;
    }
  };
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) count(positives, i);
  const floorsHold = (tp: number, fp: number) => {
    if (tp + fp === 0 || tp / (tp + fp) < floors.precisionFloor) return false;
    for (let m = 0; m < memberships.length; m++) {
      const p = positives[m] as Float64Array;
      const f = found[m] as Float64Array;
      for (let g = 0; g < p.length; g++)
        if ((p[g] as number) > 0 && (f[g] as number) / (p[g] as number) < floors.recallFloor) return false;
    }
    return true;
  };
  let best: ThresholdChoice | undefined;
  sweepCuts(
    scores,
    labels,
    (row) => count(found, row),
    (threshold, score, tp, fp) => {
      if ((best === undefined || score > best.f1) && floorsHold(tp, fp)) best = { threshold, f1: score };
    },
  );
  return best ? { ...best, floorsMet: true } : { ...chooseThreshold(scores, labels), floorsMet: false };
}

/**
 * Every metric of one data set at `threshold`, in the manifest's shape.
 *
 * @example evaluate(scores, labels, 0.42).f1
 */
export function evaluate(scores: Scores, labels: Labels, threshold: number): MetricSet {
  const c = confusion(scores, labels, threshold);
  return {
    threshold,
    precision: precision(c),
    recall: recall(c),
    f1: f1(c),
    roc_auc: rocAuc(scores, labels),
    average_precision: averagePrecision(scores, labels),
    support: { positives: c.tp + c.fn, negatives: c.fp + c.tn },
  };
}

/**
 * Average precision: the mean, over positives, of the precision among rows scoring at least as
 * high as that positive (scikit-learn's `average_precision_score`; tied scores form one step).
 * NaN without positives.
 *
 * @example averagePrecision([0.9, 0.8, 0.7], [1, 0, 1]) // (1 + 2/3) / 2
 */
export function averagePrecision(scores: Scores, labels: Labels): number {
  checkLengths(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  let totalPositives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) totalPositives++;
  if (totalPositives === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let sum = 0;
  for (let start = 0; start < order.length; ) {
    const value = scores[order[start] as number] as number;
    let end = start;
    let groupPositives = 0;
    while (end < order.length && scores[order[end] as number] === value) {
      if (labels[order[end] as number] === 1) groupPositives++;
      end++;
    }
    tp += groupPositives;
    seen = end;
    sum += (groupPositives * tp) / seen;
    start = end;
  }
  return sum / totalPositives;
}

/**
 * The metrics of each group of rows (`keys[i]` is row i's group) at one threshold, in the order
 * of `names`; a group without rows is left out.
 */
export function evaluateGroups<K extends string>(
  scores: Scores,
  labels: Labels,
  keys: readonly K[],
  names: readonly K[],
  threshold: number,
): Partial<Record<K, MetricSet>> {
  checkLengths(scores, labels);
  const rows = new Map<K, number[]>();
  keys.forEach((key, i) => {
    const list = rows.get(key) ?? [];
    list.push(i);
    rows.set(key, list);
  });
  const out: Partial<Record<K, MetricSet>> = {};
  for (const name of names) {
    const list = rows.get(name);
    if (!list) continue;
    out[name] = evaluate(
      list.map((i) => scores[i] as number),
      list.map((i) => labels[i] as number),
      threshold,
    );
  }
  return out;
}

function checkLengths(scores: Scores, labels: Labels): void {
  if (scores.length !== labels.length) {
    throw new Error(`${scores.length} scores but ${labels.length} labels; they must be the same rows`);
  }
}
