import { parseRequest } from '../contract';
import { ModelLoadError } from '../errors';
import { type Normaliser, requestFeatures } from '../features';
import type { Manifest } from '../model-store';

/**
 * How a model scores: row-major features in (of `budgets × items` pairs, budgets outer), one score
 * per row out; `items`, when given, lets the dense pass sum budget and item columns once each.
 */
export type ScoreFunction = (features: Float32Array, rows: number, items?: number) => Float32Array;

/** The score of one golden pair: where it is, what was expected, what the model gave. */
export interface GoldenScore {
  readonly request: string;
  readonly pair: number;
  readonly expected: number | undefined;
  readonly actual: number;
}

/**
 * Scored when a manifest has no golden requests (artifacts made before them): a flight budget
 * with its charge and a taxi ride. Only finiteness and [0, 1] are checked for it.
 */
export const PROBE_REQUEST = {
  budgets: [
    {
      budget_id: 'probe-flight',
      budget_type_budget: 'flight',
      budget_price_budget: 320,
      actual_cost_budget: 301.4,
      travel_vendor_receipts: 'Delta Air Lines',
      purchase_vendor_receipts: 'Delta Air Lines',
      generated_at_budget: '2024-03-01 15:20:00',
      start_datetime_trips: '2024-03-12 05:00:00',
      end_datetime_trips: '2024-03-14 05:00:00',
    },
  ],
  all_user_expense_lineitems: [
    {
      itemization_id: 'probe-charge',
      expensed_amount_itemization: 301.4,
      expense_type_name_itemization: 'Airfare',
      transaction_date_itemization: '2024-03-01',
      expense_category_itemization: 'airfare',
      vendor_name_expense: 'DELTA AIR 0062174963012',
    },
    {
      itemization_id: 'probe-taxi',
      expensed_amount_itemization: 24,
      expense_type_name_itemization: 'Taxi',
      transaction_date_itemization: '2024-03-12',
      vendor_name_expense: 'YELLOW CAB',
    },
  ],
} as const;

/**
 * Scores every golden request of a manifest (or the probe request when it has none) through the
 * serving feature code and `score`; returns each pair's expected and actual score, in order.
 */
export function scoreGolden(
  manifest: Pick<Manifest, 'golden'>,
  score: ScoreFunction,
  normaliser: () => Normaliser,
): GoldenScore[] {
  const requests = manifest.golden?.requests ?? [
    { name: 'probe', request: PROBE_REQUEST, scores: undefined },
  ];
  const out: GoldenScore[] = [];
  for (const golden of requests) {
    const { features, rows, items } = requestFeatures(parseRequest(golden.request), normaliser());
    if (golden.scores && golden.scores.length !== rows)
      throw new Error(
        `golden request "${golden.name}" has ${rows} pairs but ${golden.scores.length} expected scores`,
      );
    // Scored as serving scores a request (the scoped dense pass).
    const scores = score(features, rows, items);
    for (let pair = 0; pair < rows; pair++) {
      out.push({
        request: golden.name,
        pair,
        expected: golden.scores?.[pair],
        actual: scores[pair] as number,
      });
    }
  }
  return out;
}

/**
 * The first golden pair that disqualifies a model, described, or `undefined` when all pass: a
 * score that is not finite, outside [0, 1], or (with `compareExpected`) more than `tolerance` from
 * the expected score.
 */
export function firstGoldenFailure(
  scores: readonly GoldenScore[],
  tolerance: number,
  compareExpected = true,
): string | undefined {
  for (const s of scores) {
    const where = `golden request "${s.request}" pair ${s.pair}`;
    if (!Number.isFinite(s.actual))
      return `${where}: score is ${s.actual} (not finite)${s.expected === undefined ? '' : `, expected ${s.expected}`}`;
    if (s.actual < 0 || s.actual > 1) return `${where}: score ${s.actual} is outside [0, 1]`;
    if (compareExpected && s.expected !== undefined && Math.abs(s.actual - s.expected) > tolerance) {
      return `${where}: score ${s.actual} differs from the expected ${s.expected} by more than ${tolerance}`;
    }
  }
  return undefined;
}

/**
 * Runs a manifest's golden requests (or the probe) and throws `golden_mismatch` naming the model
 * and the first failing pair, so a model that would serve garbage is never served.
 */
export function verifyGolden(
  manifest: Pick<Manifest, 'golden' | 'version'>,
  score: ScoreFunction,
  normaliser: () => Normaliser,
  options: { readonly compareExpected?: boolean } = {},
): void {
  let failure: string | undefined;
  try {
    failure = firstGoldenFailure(
      scoreGolden(manifest, score, normaliser),
      manifest.golden?.tolerance ?? 0,
      options.compareExpected ?? true,
    );
  } catch (cause) {
    throw new ModelLoadError(
      'golden_mismatch',
      `model ${manifest.version} could not score its golden requests: ${cause instanceof Error ? cause.message : String(cause)}`,
      'golden',
      { cause },
    );
  }
  if (failure !== undefined) {
    throw new ModelLoadError('golden_mismatch', `model ${manifest.version} refused: ${failure}`, 'golden');
  }
}
