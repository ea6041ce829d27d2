import type { Budget, LineItem, Parsed, ParsedRequest, ReplyEntry } from '../contract';
import { FEATURE_COUNT, Normaliser, requestFeatures, type VendorAliases } from '../features';
import type { LoadedModel } from '../model';
import { applyReciprocalStage } from '../model/reciprocal-stage';
import type { PairSide } from '../results';
import { roundScore } from './round-score';
import { SCORE_NOT_FINITE } from './score-not-finite';

/** What scoring needs of a model: one batched call, its reciprocal stage if any, and the decision threshold. */
export type Scorer = Pick<LoadedModel, 'score' | 'threshold'> & {
  /** The model's reciprocal stage (see `LoadedModel.stage`); none: the network's scores are the reply's. */
  readonly stage?: LoadedModel['stage'];
  /** The model's vendor alias table (see `LoadedModel.aliases`); none: no brands are known. */
  readonly aliases?: VendorAliases;
};

/**
 * Scores every (budget, line item) pair of a parsed request and assembles the reply
 * (docs/contract.md, "The response"): budgets in request order, and within each budget its items in
 * request order. A budget without a usable id stands in its place as one error entry; items
 * without a usable id follow all pairs, one error entry each, in request order.
 *
 * Each budget and item is normalised once; all pairs go to the model in one call.
 */
export function matchRequest(request: ParsedRequest, model: Scorer): ReplyEntry[] {
  return assembleReply(request, scorePairs(request, model), model.threshold);
}

/**
 * The scores of every (budget, item) pair of the usable budgets and items, budgets outer and
 * items inner: each budget and item normalised once, all pairs scored in one model call, then
 * the model's reciprocal stage over the whole request.
 */
export function scorePairs(
  request: ParsedRequest,
  model: Pick<Scorer, 'score' | 'aliases' | 'stage'>,
): Float32Array {
  const normaliser = normaliserFor(model.aliases);
  const { features, rows, items } = requestFeatures(request, normaliser, matrixFor);
  const scores = model.score(features, rows, items);
  if (model.stage && items > 0) applyReciprocalStage(scores, rows / items, items, model.stage);
  return scores;
}

/**
 * Feature values a kept matrix holds: 20,000 pairs (4.8 MB). A request up to it writes its
 * features into that one buffer instead of a new array: the model call copies or reads
 * them before it returns and nothing keeps them, and a fresh 4.8 MB array (zeroed, its pages
 * faulted in) costs the 20,000-pair request's pair features more than the features of several
 * columns (`npm run bench`'s stage "pair features" writes into a kept array, as serving does).
 * A larger request gets an array of its own.
 */
const KEPT_MATRIX_VALUES = 20_000 * FEATURE_COUNT;
let keptMatrix = new Float32Array(0);

function matrixFor(values: number): Float32Array {
  if (values > KEPT_MATRIX_VALUES) return new Float32Array(values);
  if (keptMatrix.length < values) keptMatrix = new Float32Array(Math.min(KEPT_MATRIX_VALUES, values * 2));
  return keptMatrix.subarray(0, values); // pairFeatures writes every value
}

/**
 * Distinct texts a kept {@link Normaliser} may remember before it is replaced: each is at most a
 * few of the contract's 256-character strings (a category key joins four), so what it keeps
 * stays within a few megabytes (the vendor texts prepared under each table are bounded apart:
 * `SHARED_VENDORS` in `lambda/features/normalise.ts`).
 */
export const NORMALISER_TEXTS = 2_000;
// One kept Normaliser per alias table (a live and a shadow model each have theirs), gone with it.
const keptByTable = new WeakMap<VendorAliases | typeof NO_TABLE, Normaliser>();
const NO_TABLE = {};

/**
 * The Normaliser for a request: one kept across requests for each alias table, since what it
 * remembers of a text is a function of that text and the table alone (scores do not change), so
 * a request no longer makes its three maps (a 1 × 1 request: about 0.6 KB of its garbage,
 * `npm run bench`). Replaced once it remembers {@link NORMALISER_TEXTS} distinct texts.
 */
export function normaliserFor(aliases: VendorAliases | undefined): Normaliser {
  const key = aliases ?? NO_TABLE;
  let normaliser = keptByTable.get(key);
  if (normaliser === undefined || normaliser.remembered >= NORMALISER_TEXTS) {
    normaliser = new Normaliser(aliases);
    keptByTable.set(key, normaliser);
  }
  return normaliser;
}

/** The reply entries for a request whose pairs were scored by {@link scorePairs}. */
export function assembleReply(request: ParsedRequest, scores: Float32Array, threshold: number): ReplyEntry[] {
  const items = usable(request.items);
  const reply: ReplyEntry[] = [];
  let row = 0;
  for (const entry of request.budgets) {
    if (!entry.ok) {
      reply.push({ budget_index: entry.index, score: null, error: entry.error });
      continue;
    }
    row = pushPairs(reply, entry.value, items, scores, row, threshold);
  }
  for (const entry of request.items) {
    if (!entry.ok) reply.push({ itemization_index: entry.index, score: null, error: entry.error });
  }
  return reply;
}

/** The values of the usable entries: a plain loop (`flatMap` made an array an entry). */
function usable<T>(entries: readonly Parsed<T>[]): T[] {
  const values: T[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Parsed<T>;
    if (e.ok) values.push(e.value);
  }
  return values;
}

function pushPairs(
  reply: ReplyEntry[],
  budget: Budget,
  items: readonly LineItem[],
  scores: Float32Array,
  row: number,
  threshold: number,
): number {
  let r = row;
  for (const item of items) {
    const raw = scores[r++] as number;
    if (!Number.isFinite(raw)) {
      // Never a silent null: the pair gets an error entry of its own (counted by the caller).
      reply.push({
        budget_id: budget.budget_id,
        itemization_id: item.itemization_id,
        score: null,
        error: SCORE_NOT_FINITE,
      });
      continue;
    }
    const score = roundScore(raw);
    reply.push({
      budget_id: budget.budget_id,
      itemization_id: item.itemization_id,
      score,
      match: score >= threshold,
    });
  }
  return r;
}

/** A scored request as its result rows need it: the reply without an entry object a pair. */
export interface ScoredSides {
  readonly budgets: PairSide[];
  readonly items: PairSide[];
  /** The scores of {@link scorePairs}, rounded as the reply has them. */
  readonly scores: number[];
}

/**
 * The request's budgets and items as the results keep them (an id, or the error code of an
 * unusable one) and the rounded scores: what `appendPairs` (lambda/results) expands into the
 * same rows as the reply entries of {@link assembleReply}.
 */
export function scoredSides(request: ParsedRequest, scores: Float32Array): ScoredSides {
  const side = <T>(entries: readonly Parsed<T>[], id: (value: T) => string): PairSide[] =>
    entries.map((e) => (e.ok ? id(e.value) : { error: e.error.code }));
  const rounded = new Array<number>(scores.length);
  for (let i = 0; i < scores.length; i++) rounded[i] = roundScore(scores[i] as number);
  return {
    budgets: side(request.budgets, (b: Budget) => b.budget_id),
    items: side(request.items, (i: LineItem) => i.itemization_id),
    scores: rounded,
  };
}
