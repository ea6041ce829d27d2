/**
 * The reciprocal stage (docs/models.md, "The reciprocal stage"): a logistic regression over each
 * pair's network score and how far the same item's other budgets and the same budget's other line
 * items in the request outrank it. The network sees the item's competition among the budgets (the
 * evidence and field margins of `pair-features`) but never the budget's competition among the
 * line items: a seat upgrade on the airline's descriptor, a refund of the booking or a charge of
 * an untracked booking of the same brand each look like the budget's charge on their own, and stop
 * looking like it beside the budget's real charge. Being outranked lowers a pair's score; the bias
 * and logit weight recalibrate it too, so a pair nothing outranks scores `sigmoid(bias + logit·L)`,
 * above the network's own score at the low end. Fitted by `npm run train` on the training split's
 * network scores (and charge-absent copies); its four weights are in the manifest (`reciprocal_stage`).
 */

/** The stage's formula, as the manifest names it; a model with another is refused. */
export const RECIPROCAL_STAGE_VERSION = 'reciprocal-logistic/3';

/**
 * The weights of {@link RECIPROCAL_STAGE_VERSION}: the final score is
 * `sigmoid(bias + logit·L + vs_other_budgets·min(0, L − Lb) + vs_other_items·min(0, L − Li))`,
 * where `L` is the logit of the pair's network score, `Lb` the logit of the best network score of
 * the same item against any other budget of the request, and `Li` the best of the same budget
 * against any other line item: a margin counts only when a competitor outranks the pair. A
 * competitor scoring under {@link COMPETITOR_FLOOR}, or none at all, counts as scoring the floor.
 * Logits are of scores clamped to [{@link SCORE_CLAMP}, 1 − {@link SCORE_CLAMP}].
 */
export interface ReciprocalWeights {
  readonly bias: number;
  readonly logit: number;
  readonly vs_other_budgets: number;
  readonly vs_other_items: number;
}

export interface ReciprocalStage {
  readonly version: typeof RECIPROCAL_STAGE_VERSION;
  readonly weights: ReciprocalWeights;
}

/** Scores are clamped to [SCORE_CLAMP, 1 − SCORE_CLAMP] before their logit (about ±13.8). */
export const SCORE_CLAMP = 1e-6;

/**
 * A competitor scoring under this is no competition: it counts as scoring this, as does a missing
 * one (a request with one budget or one line item), so that a pair's margins stay within what
 * training shows (reciprocal-logistic/1 compared a lone pair with a clamped logit of −13.8).
 */
export const COMPETITOR_FLOOR = 0.05;

/** The inputs of the stage for one pair, in the order of {@link stageInputs}'s columns. */
export const STAGE_INPUTS = ['logit', 'vs_other_budgets', 'vs_other_items'] as const;

function logit(p: number): number {
  const q = p < SCORE_CLAMP ? SCORE_CLAMP : Math.min(p, 1 - SCORE_CLAMP);
  return Math.log(q / (1 - q));
}

/** A request's shape must be whole numbers of budgets and items that its scores hold. */
function checkShape(length: number, budgets: number, items: number): void {
  if (
    !Number.isInteger(budgets) ||
    !Number.isInteger(items) ||
    budgets < 0 ||
    items < 0 ||
    budgets * items > length
  )
    throw new RangeError(`${budgets} budgets × ${items} items do not fit ${length} scores`);
}

/** A competitor's logit: its score raised to {@link COMPETITOR_FLOOR} first. */
function competitorLogit(p: number): number {
  return logit(Math.max(p, COMPETITOR_FLOOR));
}

/**
 * Each item's best and second-best score over the budgets (with the best's budget), and each
 * budget's over the items: what a pair's competitors are, in one pass over the matrix. A score
 * that is not finite is never a competitor.
 */
interface Competition {
  readonly itemBest: Float64Array;
  readonly itemSecond: Float64Array;
  readonly itemBestAt: Int32Array;
  readonly budgetBest: Float64Array;
  readonly budgetSecond: Float64Array;
  readonly budgetBestAt: Int32Array;
}

function competition(scores: ArrayLike<number>, budgets: number, items: number): Competition {
  checkShape(scores.length, budgets, items);
  const itemBest = new Float64Array(items);
  const itemSecond = new Float64Array(items);
  const itemBestAt = new Int32Array(items).fill(-1);
  const budgetBest = new Float64Array(budgets);
  const budgetSecond = new Float64Array(budgets);
  const budgetBestAt = new Int32Array(budgets).fill(-1);
  for (let b = 0, r = 0; b < budgets; b++) {
    let best = 0;
    let second = 0;
    let bestAt = -1;
    for (let i = 0; i < items; i++, r++) {
      const s = scores[r] as number;
      // 0, negative, NaN or infinite: no competitor (a missing one counts as the floor).
      if (!(s > 0) || s === Number.POSITIVE_INFINITY) continue;
      if (s > best) {
        second = best;
        best = s;
        bestAt = i;
      } else if (s > second) second = s;
      if (s > (itemBest[i] as number)) {
        itemSecond[i] = itemBest[i] as number;
        itemBest[i] = s;
        itemBestAt[i] = b;
      } else if (s > (itemSecond[i] as number)) itemSecond[i] = s;
    }
    budgetBest[b] = best;
    budgetSecond[b] = second;
    budgetBestAt[b] = bestAt;
  }
  return { itemBest, itemSecond, itemBestAt, budgetBest, budgetSecond, budgetBestAt };
}

/**
 * Replaces the network scores of one request's `budgets × items` pairs (budgets outer, items
 * inner, as `pairFeatures` writes them) with the stage's scores, in place. A score that is not
 * finite stays as it is (serving answers it with `score_not_finite`) and is nobody's competitor.
 */
export function applyReciprocalStage(
  scores: Float32Array,
  budgets: number,
  items: number,
  stage: ReciprocalStage,
): Float32Array {
  checkShape(scores.length, budgets, items);
  const c = competition(scores, budgets, items);
  // The competitors' logits, once per item and budget rather than once per pair (in place: the
  // scores themselves are not needed again).
  for (const a of [c.itemBest, c.itemSecond, c.budgetBest, c.budgetSecond])
    for (let k = 0; k < a.length; k++) a[k] = competitorLogit(a[k] as number);
  const { bias, logit: wL, vs_other_budgets: wB, vs_other_items: wI } = stage.weights;
  for (let b = 0, r = 0; b < budgets; b++) {
    const bestAt = c.budgetBestAt[b] as number;
    const bestItem = c.budgetBest[b] as number;
    const secondItem = c.budgetSecond[b] as number;
    for (let i = 0; i < items; i++, r++) {
      const s = scores[r] as number;
      if (!Number.isFinite(s)) continue;
      const l = logit(s);
      const otherBudget = c.itemBestAt[i] === b ? (c.itemSecond[i] as number) : (c.itemBest[i] as number);
      const otherItem = bestAt === i ? secondItem : bestItem;
      const byBudget = l < otherBudget ? l - otherBudget : 0;
      const byItem = l < otherItem ? l - otherItem : 0;
      scores[r] = 1 / (1 + Math.exp(-(bias + wL * l + wB * byBudget + wI * byItem)));
    }
  }
  return scores;
}

/**
 * The stage's inputs for every pair of one request, row-major ({@link STAGE_INPUTS} columns):
 * what `npm run train` fits the weights on. Written into `out` at `offset` rows.
 */
export function stageInputs(
  scores: ArrayLike<number>,
  budgets: number,
  items: number,
  out: Float64Array,
  offset = 0,
): void {
  const c = competition(scores, budgets, items);
  const k = STAGE_INPUTS.length;
  for (let b = 0, r = 0; b < budgets; b++) {
    for (let i = 0; i < items; i++, r++) {
      const l = logit(scores[r] as number);
      const otherBudgets = competitorLogit(
        c.itemBestAt[i] === b ? (c.itemSecond[i] as number) : (c.itemBest[i] as number),
      );
      const otherItems = competitorLogit(
        c.budgetBestAt[b] === i ? (c.budgetSecond[b] as number) : (c.budgetBest[b] as number),
      );
      const at = (offset + r) * k;
      out[at] = l;
      out[at + 1] = Math.min(0, l - otherBudgets);
      out[at + 2] = Math.min(0, l - otherItems);
    }
  }
}

/** How a model scores a request's pairs (`ScoreFunction` in `golden-requests.ts`). */
type RequestScore = (features: Float32Array, rows: number, items?: number) => Float32Array;

/**
 * `score` followed by the model's stage, when it has one: the scores a request is answered with.
 * With a stage, `items` is required (the stage compares pairs across the request's matrix).
 */
export function withReciprocalStage(score: RequestScore, stage: ReciprocalStage | undefined): RequestScore {
  if (!stage) return score;
  return (features, rows, items) => {
    if (items === undefined)
      throw new Error('a model with a reciprocal stage scores whole requests: give the number of items');
    const scores = score(features, rows, items);
    if (items > 0) applyReciprocalStage(scores, rows / items, items, stage);
    return scores;
  };
}
