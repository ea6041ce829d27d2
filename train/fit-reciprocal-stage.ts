import {
  applyReciprocalStage,
  RECIPROCAL_STAGE_VERSION,
  type ReciprocalStage,
  type ReciprocalWeights,
  STAGE_INPUTS,
  stageInputs,
} from '../lambda/model/reciprocal-stage';
import type { PairRows, RequestShape } from './pair-rows';
import type { Random } from './random';

/** A little L2 on the four weights, so that the fit is defined even on tiny or separable sets. */
const RIDGE = 1e-3;
const MAX_ITERATIONS = 50;

/**
 * Requests' network scores with their labels, one request after another as `shapes` lays them
 * out (budgets outer, items inner): what the stage reads. A {@link PairRows} with its scores.
 */
export interface ScoredRequests {
  readonly scores: Float32Array;
  readonly labels: Uint8Array;
  readonly shapes: ReadonlyArray<RequestShape>;
}

/** A set's rows with the network's scores of them. */
export function scoredRequests(scores: Float32Array, rows: PairRows): ScoredRequests {
  if (scores.length !== rows.rows) throw new Error(`${scores.length} scores for ${rows.rows} rows`);
  return { scores, labels: rows.labels, shapes: rows.shapes };
}

/**
 * The stage's inputs for every pair of a set ({@link STAGE_INPUTS} columns, row-major), each
 * request on its own as serving reads one request.
 */
export function stageInputsOf(set: ScoredRequests): Float64Array {
  const out = new Float64Array(set.scores.length * STAGE_INPUTS.length);
  let offset = 0;
  for (const { budgets, items } of set.shapes) {
    const n = budgets * items;
    stageInputs(set.scores.subarray(offset, offset + n), budgets, items, out, offset);
    offset += n;
  }
  if (offset !== set.scores.length)
    throw new Error(`request shapes cover ${offset} rows of ${set.scores.length}`);
  return out;
}

/** The network's scores of a set replaced, request by request, by the stage's (a new array). */
export function applyStageToRows(set: ScoredRequests, stage: ReciprocalStage): Float32Array {
  const out = Float32Array.from(set.scores);
  let offset = 0;
  for (const { budgets, items } of set.shapes) {
    const n = budgets * items;
    applyReciprocalStage(out.subarray(offset, offset + n), budgets, items, stage);
    offset += n;
  }
  return out;
}

/**
 * Each request's line items regrouped: `pick(budgets, items, labels)` gives lists of item
 * indices, each list a request of its own with every budget (an empty list, or one of a request
 * without budgets, gives nothing). The network's scores need no recomputing: a pair's features
 * never read the request's other line items.
 */
export function regroupItems(
  set: ScoredRequests,
  pick: (budgets: number, items: number, labels: Uint8Array) => number[][],
): ScoredRequests {
  const scores: number[] = [];
  const labels: number[] = [];
  const shapes: RequestShape[] = [];
  let offset = 0;
  for (const { budgets, items } of set.shapes) {
    const n = budgets * items;
    const own = set.labels.subarray(offset, offset + n);
    for (const group of pick(budgets, items, own)) {
      if (group.length === 0 || budgets === 0) continue;
      for (let b = 0; b < budgets; b++)
        for (const i of group) {
          scores.push(set.scores[offset + b * items + i] as number);
          labels.push(own[b * items + i] as number);
        }
      shapes.push({ budgets, items: group.length });
    }
    offset += n;
  }
  return { scores: Float32Array.from(scores), labels: Uint8Array.from(labels), shapes };
}

/**
 * The same requests with some budgets' charges absent (not posted yet, paid on a card the
 * traveller does not file): each request draws a share from [0, `maxShare`], and each budget
 * loses its matching line items with that probability. What a budget without its charge looks
 * like: its look-alikes outrank nothing.
 */
export function withChargesAbsent(set: ScoredRequests, rng: Random, maxShare: number): ScoredRequests {
  return regroupItems(set, (budgets, items, labels) => {
    const share = rng.next() * maxShare;
    const absent = new Set<number>();
    for (let b = 0; b < budgets; b++) {
      if (rng.next() >= share) continue;
      for (let i = 0; i < items; i++) if (labels[b * items + i] === 1) absent.add(i);
    }
    return [Array.from({ length: items }, (_, i) => i).filter((i) => !absent.has(i))];
  });
}

/** Each request's line items dealt at random into `pieces` requests (as a client splits one). */
export function splitByItems(set: ScoredRequests, rng: Random, pieces: number): ScoredRequests {
  return regroupItems(set, (_budgets, items) => {
    const groups: number[][] = Array.from({ length: pieces }, () => []);
    for (let i = 0; i < items; i++) groups[Math.floor(rng.next() * pieces)]?.push(i);
    return groups;
  });
}

/** Two sets as one, the second's requests after the first's. */
export function concatScored(a: ScoredRequests, b: ScoredRequests): ScoredRequests {
  const scores = new Float32Array(a.scores.length + b.scores.length);
  scores.set(a.scores);
  scores.set(b.scores, a.scores.length);
  const labels = new Uint8Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  return { scores, labels, shapes: [...a.shapes, ...b.shapes] };
}

/**
 * Fits the stage's weights by maximum likelihood (Newton's method on the logistic log loss, with
 * a small ridge and step halving): `inputs` as {@link stageInputsOf} writes them, `labels` 0/1.
 * Four weights and a convex loss: Newton converges in a handful of passes, exactly and
 * reproducibly, where a gradient method would need a learning rate and hundreds of passes.
 */
export function fitReciprocalStage(inputs: Float64Array, labels: ArrayLike<number>): ReciprocalStage {
  const k = STAGE_INPUTS.length;
  const n = labels.length;
  if (inputs.length !== n * k) throw new Error(`${inputs.length} inputs for ${n} labels`);
  // theta = [bias, logit, vs_other_budgets, vs_other_items]; start at the network's own score.
  let theta = [0, 1, 0, 0];
  let loss = logLoss(inputs, labels, theta);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const d = k + 1;
    const gradient = new Float64Array(d);
    const hessian = Array.from({ length: d }, () => new Float64Array(d));
    const x = new Float64Array(d);
    x[0] = 1;
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < k; j++) x[j + 1] = inputs[r * k + j] as number;
      const p = sigmoid(dot(theta, x));
      const err = p - (labels[r] as number);
      const w = p * (1 - p);
      for (let a = 0; a < d; a++) {
        gradient[a] = (gradient[a] as number) + err * (x[a] as number);
        const row = hessian[a] as Float64Array;
        for (let b = 0; b <= a; b++) row[b] = (row[b] as number) + w * (x[a] as number) * (x[b] as number);
      }
    }
    for (let a = 0; a < d; a++) {
      const row = hessian[a] as Float64Array;
      gradient[a] = (gradient[a] as number) / n + RIDGE * (theta[a] as number);
      for (let b = 0; b <= a; b++) {
        row[b] = (row[b] as number) / n + (a === b ? RIDGE : 0);
        (hessian[b] as Float64Array)[a] = row[b] as number;
      }
    }
    const step = solve(hessian, gradient);
    let scale = 1;
    let next = theta.map((t, a) => t - scale * (step[a] as number));
    let nextLoss = logLoss(inputs, labels, next);
    while (nextLoss > loss && scale > 1e-6) {
      scale /= 2;
      next = theta.map((t, a) => t - scale * (step[a] as number));
      nextLoss = logLoss(inputs, labels, next);
    }
    const moved = Math.max(...next.map((t, a) => Math.abs(t - (theta[a] as number))));
    theta = next;
    loss = nextLoss;
    if (moved < 1e-9) break;
  }
  const weights: ReciprocalWeights = {
    bias: theta[0] as number,
    logit: theta[1] as number,
    vs_other_budgets: theta[2] as number,
    vs_other_items: theta[3] as number,
  };
  if (!Object.values(weights).every(Number.isFinite))
    throw new Error(`the reciprocal stage's fit diverged: ${JSON.stringify(weights)}`);
  return { version: RECIPROCAL_STAGE_VERSION, weights };
}

/** Mean log loss of the stage with weights `theta` plus the ridge term. */
function logLoss(inputs: Float64Array, labels: ArrayLike<number>, theta: readonly number[]): number {
  const k = STAGE_INPUTS.length;
  let sum = 0;
  for (let r = 0; r < labels.length; r++) {
    let z = theta[0] as number;
    for (let j = 0; j < k; j++) z += (theta[j + 1] as number) * (inputs[r * k + j] as number);
    // log(1 + e^-z) for a match, log(1 + e^z) otherwise, without overflow.
    const m = labels[r] === 1 ? -z : z;
    sum += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
  }
  let ridge = 0;
  for (const t of theta) ridge += t * t;
  return sum / labels.length + (RIDGE / 2) * ridge;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function dot(a: readonly number[], b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Solves `a x = b` for a small symmetric positive definite `a` (Gaussian elimination, partial pivoting). */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r]?.[col] as number) > Math.abs(m[pivot]?.[col] as number)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = m[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const row = m[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - f * (p[c] as number);
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let c = r + 1; c < n; c++) s -= (row[c] as number) * (x[c] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}
