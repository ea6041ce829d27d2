import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRequest, type ReplyEntry, type ScoredEntry } from '../../../lambda/contract';
import {
  FEATURE_COUNT,
  FEATURE_INDEX,
  Normaliser,
  parseVendorAliases,
  requestFeatures,
  VendorAliases,
} from '../../../lambda/features';
import { matchRequest, type Scorer, scorePairs } from '../../../lambda/matcher';
import { NORMALISER_TEXTS, normaliserFor } from '../../../lambda/matcher/match-request';
import { applyReciprocalStage, RECIPROCAL_STAGE_VERSION } from '../../../lambda/model/reciprocal-stage';
import { generatePairs } from '../../../train/generate-pairs';
import { loadRequest } from '../../helpers/events';

/** A stand-in model whose score is a feature of the row, so each entry shows which pair it scored. */
const amountDeviationScorer: Scorer & { calls: number[] } = {
  threshold: 0.5,
  calls: [],
  score(features, rows) {
    this.calls.push(rows);
    const out = new Float32Array(rows);
    // The amount's log deviation from the budget, 1 when either side has no amount.
    const at = (r: number, name: keyof typeof FEATURE_INDEX) =>
      features[r * FEATURE_COUNT + FEATURE_INDEX[name]] ?? Number.NaN;
    for (let r = 0; r < rows; r++)
      out[r] =
        at(r, 'item_amount_missing') === 1 || at(r, 'budget_amount_missing') === 1
          ? 1
          : Math.abs(at(r, 'amount_signed_log_ratio'));
    return out;
  },
};

const scored = (entries: ReplyEntry[]) => entries.filter((e): e is ScoredEntry => e.score !== null);

describe('matchRequest', () => {
  beforeEach(() => {
    amountDeviationScorer.calls = [];
  });

  it('returns one entry per pair, budgets in request order and items in request order within each', () => {
    const request = parseRequest(loadRequest('direct-invoke-trip'));

    const reply = matchRequest(request, amountDeviationScorer);

    const budgetIds = ['309366', '309367', '309368'];
    const itemIds = ['4659496', '4659497', '4659498', '4659499', '4659500', '4659501'];
    expect(reply.map((e) => 'budget_id' in e && `${e.budget_id}/${e.itemization_id}`)).toEqual(
      budgetIds.flatMap((b) => itemIds.map((i) => `${b}/${i}`)),
    );
  });

  it('scores all pairs in one model call', () => {
    const request = parseRequest(loadRequest('direct-invoke-trip'));

    matchRequest(request, amountDeviationScorer);

    expect(amountDeviationScorer.calls).toEqual([18]);
  });

  it('gives each pair the score of its own feature row', () => {
    const request = parseRequest(loadRequest('direct-invoke-trip'));

    const reply = scored(matchRequest(request, amountDeviationScorer));

    // The airfare is exactly the flight's actual cost: zero deviation; the taxi is far from it.
    const airfare = reply.find((e) => e.budget_id === '309366' && e.itemization_id === '4659497');
    const taxi = reply.find((e) => e.budget_id === '309366' && e.itemization_id === '4659496');
    expect(airfare?.score).toBe(0);
    expect(taxi?.score).toBeGreaterThan(0.3);
  });

  it("answers with the model's reciprocal stage over the whole request when it has one", () => {
    const request = parseRequest(loadRequest('direct-invoke-trip'));
    const network = scorePairs(request, amountDeviationScorer);
    const stage = {
      version: RECIPROCAL_STAGE_VERSION,
      weights: { bias: 0.3, logit: 0.5, vs_other_budgets: 0.2, vs_other_items: 0.4 },
    } as const;

    const reply = scored(matchRequest(request, { ...amountDeviationScorer, stage }));

    // 3 budgets × 6 items: each reply score is the stage's score of the network's matrix.
    const expected = applyReciprocalStage(Float32Array.from(network), 3, 6, stage);
    expect(reply.map((e) => e.score)).toEqual(Array.from(expected, (s) => Math.round(s * 1e6) / 1e6));
    expect(reply.map((e) => e.score)).not.toEqual(Array.from(network, (s) => Math.round(s * 1e6) / 1e6));
  });

  it('sets match from the threshold', () => {
    const request = parseRequest(loadRequest('direct-invoke-trip'));

    const reply = scored(matchRequest(request, amountDeviationScorer));

    for (const entry of reply) expect(entry.match).toBe(entry.score >= 0.5);
  });

  it('reports a budget without id once, in its place, and an item without id once, after the pairs', () => {
    const request = parseRequest(loadRequest('bad-missing-ids'));

    const reply = matchRequest(request, amountDeviationScorer);

    // 1 good budget × 1 good item, then budgets 1 and 2 in place, then items 1, 2, 3 at the end.
    expect(reply).toHaveLength(1 + 2 + 3);
    expect(reply[0]).toMatchObject({ budget_id: '309366', itemization_id: '4659496' });
    expect(reply[1]).toMatchObject({
      budget_index: 1,
      score: null,
      error: { code: 'missing_id', field: 'budgets[1].budget_id' },
    });
    expect(reply[2]).toMatchObject({
      budget_index: 2,
      score: null,
      error: { code: 'invalid_id', field: 'budgets[2].budget_id' },
    });
    expect(reply.slice(3).map((e) => 'itemization_index' in e && e.itemization_index)).toEqual([1, 2, 3]);
    expect(reply[6 - 1]).toMatchObject({
      error: { code: 'invalid_entry', field: 'all_user_expense_lineitems[3]' },
    });
  });

  it('answers an empty request with an empty reply', () => {
    const reply = matchRequest(
      parseRequest({ budgets: [], all_user_expense_lineitems: [] }),
      amountDeviationScorer,
    );

    expect(reply).toEqual([]);
    expect(amountDeviationScorer.calls).toEqual([0]);
  });
});

describe('a score that is not finite', () => {
  it('becomes an error entry score_not_finite for that pair only, never a silent null', () => {
    const parsed = parseRequest(loadRequest('direct-invoke-trip'));
    const scorer = {
      threshold: 0.5,
      score: (_f: Float32Array, rows: number) =>
        Float32Array.from({ length: rows }, (_, i) =>
          i === 1 ? Number.NaN : i === 2 ? Number.POSITIVE_INFINITY : 0.75,
        ),
    };

    const reply = matchRequest(parsed, scorer);

    expect(reply[0]).toMatchObject({ score: 0.75, match: true });
    for (const entry of [reply[1], reply[2]]) {
      expect(entry).toEqual({
        budget_id: expect.any(String),
        itemization_id: expect.any(String),
        score: null,
        error: {
          code: 'score_not_finite',
          message: 'the model gave no finite score for this pair',
          field: 'score',
        },
      });
      expect(entry).not.toHaveProperty('match');
    }
    expect(reply.slice(3).every((e) => e.score === 0.75)).toBe(true);
  });
});

describe('scorePairs across requests', () => {
  it('gives each request the features a fresh Normaliser gives it, whatever came before (the kept one)', () => {
    const users = [...generatePairs({ seed: 1717, users: 60 })].map((u) => parseRequest(u.request));
    const features: Float32Array[] = [];
    const recording: Scorer = {
      threshold: 0.5,
      score(matrix, rows) {
        features.push(matrix.slice());
        return new Float32Array(rows);
      },
    };

    // Twice over, so the second pass meets every text already remembered.
    for (const request of [...users, ...users.slice().reverse()]) scorePairs(request, recording);

    const fresh = users.map((request) => requestFeatures(request, new Normaliser()).features);
    expect(features).toEqual([...fresh, ...fresh.slice().reverse()]);
  });

  const recordingScorer = (features: Float32Array[], aliases?: VendorAliases): Scorer => ({
    threshold: 0.5,
    aliases,
    score(matrix, rows) {
      features.push(matrix.slice());
      return new Float32Array(rows);
    },
  });

  it("takes each request's alias table: requests under one table, then another, get each table's features", () => {
    const shipped = new VendorAliases(
      parseVendorAliases(
        readFileSync(join(__dirname, '..', '..', '..', 'train', 'vendor-aliases.json'), 'utf8'),
      ),
    );
    const users = [...generatePairs({ seed: 2929, users: 30 })].map((u) => parseRequest(u.request));
    const features: Float32Array[] = [];
    for (const table of [shipped, VendorAliases.EMPTY, shipped]) {
      for (const request of users) scorePairs(request, recordingScorer(features, table));
    }

    const fresh = (table: VendorAliases) =>
      users.map((request) => requestFeatures(request, new Normaliser(table)).features);
    // The tables give some request other features, or this test could not tell them apart.
    expect(fresh(shipped)).not.toEqual(fresh(VendorAliases.EMPTY));
    expect(features).toEqual([...fresh(shipped), ...fresh(VendorAliases.EMPTY), ...fresh(shipped)]);
  });

  it('keeps one Normaliser for each alias table (a live and a shadow model alternate)', () => {
    const other = new VendorAliases({ version: 1, brands: { Example: ['EXAMPLE AIR'] } });
    const live = normaliserFor(VendorAliases.EMPTY);
    const shadow = normaliserFor(other);

    expect(shadow).not.toBe(live);
    expect(normaliserFor(VendorAliases.EMPTY)).toBe(live);
    expect(normaliserFor(other)).toBe(shadow);
  });

  it(`starts a new Normaliser once the kept one remembers ${NORMALISER_TEXTS} distinct texts`, () => {
    const first = normaliserFor(undefined);
    expect(normaliserFor(undefined)).toBe(first);
    const request = parseRequest({
      budgets: [{ budget_id: 1, travel_vendor_receipts: 'Some Airline' }],
      all_user_expense_lineitems: Array.from({ length: NORMALISER_TEXTS }, (_, i) => ({
        itemization_id: i + 1,
        vendor_name_expense: `Vendor number ${i}`,
      })),
    });
    scorePairs(request, recordingScorer([]));
    expect(first.remembered).toBeGreaterThanOrEqual(NORMALISER_TEXTS);
    const next = normaliserFor(undefined);
    expect(next).not.toBe(first);
    expect(next.remembered).toBe(0);
  });
});
