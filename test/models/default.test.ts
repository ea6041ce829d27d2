import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { parseRequest } from '../../lambda/contract';
import { Normaliser, requestFeatures } from '../../lambda/features';
import { scorePairs } from '../../lambda/matcher';
import { type LoadedModel, loadModel, RECIPROCAL_STAGE_VERSION } from '../../lambda/model';
import { manifestSchema } from '../../lambda/model-store';
import { BUDGET_TYPE_GROUPS, SLICE_NAMES } from '../../train/eval-config';
import { loadRequest } from '../helpers/events';

const DEFAULT_MODEL = join(__dirname, '..', '..', 'models', 'default');

/** The Southwest airfare charge of the seed trip, as a client would send it. */
const SOUTHWEST_CHARGE = {
  itemization_id: '1',
  expensed_amount_itemization: '131.98',
  expense_type_name_itemization: 'Airfare',
  transaction_date_itemization: '2017-04-08 00:00:00',
  expense_category_itemization: 'airfare',
  vendor_name_expense: 'SOUTHWEST AIR 5262174963012',
  expense_type_name_expense: 'Airfare',
  expense_category_expense: 'airfare',
};

/**
 * The model's scores of a request as serving answers them: its vendor alias table, the network,
 * then its reciprocal stage over the whole request.
 */
function scores(model: LoadedModel, request: unknown): Float32Array {
  return scorePairs(parseRequest(request), model);
}

/** The network's scores alone, before the reciprocal stage. */
function networkScores(model: LoadedModel, request: unknown): Float32Array {
  const { features, rows, items } = requestFeatures(parseRequest(request), new Normaliser(model.aliases));
  return model.score(features, rows, items);
}

describe('the committed default model (models/default, made by npm run train)', () => {
  let model: LoadedModel;

  beforeAll(async () => {
    // Production mode, as serving runs: no per-op checks, no "install tfjs-node" banner.
    tf.enableProdMode();
    await tf.setBackend('cpu');
    model = await loadModel(DEFAULT_MODEL, 'cpu');
  });

  it('scores the seed taxi low and the Southwest airfare charge high for the Southwest budget', () => {
    const request = loadRequest('seed-request');
    request.all_user_expense_lineitems.push({ ...SOUTHWEST_CHARGE });

    const [taxi, airfare] = scores(model, request);

    expect(taxi).toBeLessThan(0.1);
    expect(airfare).toBeGreaterThan(0.9);
  });

  it('does not match a pair it knows nothing about: ids only, or every field null', () => {
    const idsOnly = { budgets: [{ budget_id: 1 }], all_user_expense_lineitems: [{ itemization_id: 2 }] };

    const [bare] = scores(model, idsOnly);
    const [nulls] = scores(model, loadRequest('bad-nulls-everywhere'));

    expect(bare).toBeLessThan(model.threshold);
    expect(nulls).toBeLessThan(model.threshold);
  });

  it('does not match on a budget type alone, or on two unrelated vendors', () => {
    const typeOnly = {
      budgets: [{ budget_id: 1, budget_type_budget: 'hotel' }],
      all_user_expense_lineitems: [{ itemization_id: 2 }],
    };
    const unrelated = {
      budgets: [{ budget_id: 1, travel_vendor_receipts: 'Southwest Airlines' }],
      all_user_expense_lineitems: [{ itemization_id: 2, vendor_name_expense: 'Starbucks' }],
    };

    const [type] = scores(model, typeOnly);
    const [vendors] = scores(model, unrelated);

    expect(type).toBeLessThan(model.threshold);
    expect(vendors).toBeLessThan(0.1);
  });

  it('matches no taxi or dinner to any budget when only ids and vendors are sent', () => {
    const trip = loadRequest('direct-invoke-trip');
    const keep = (entry: Record<string, unknown>, keys: readonly string[]) =>
      Object.fromEntries(Object.entries(entry).filter(([key]) => keys.includes(key)));
    const vendorsOnly = {
      budgets: trip.budgets.map((b) =>
        keep(b, ['budget_id', 'travel_vendor_receipts', 'purchase_vendor_receipts']),
      ),
      all_user_expense_lineitems: trip.all_user_expense_lineitems.map((i) =>
        keep(i, ['itemization_id', 'vendor_name_expense']),
      ),
    };
    const items = trip.all_user_expense_lineitems.map((i) => String(i.itemization_id));
    const unrelated = ['4659496', '4659500'].map((id) => items.indexOf(id));

    const all = scores(model, vendorsOnly);

    expect(unrelated).not.toContain(-1);
    for (let b = 0; b < trip.budgets.length; b++) {
      for (const i of unrelated) expect(all[b * items.length + i]).toBeLessThan(0.1);
    }
  });

  it("serves through its reciprocal stage: a look-alike beside the budget's real charge scores lower than alone", () => {
    // The seed trip's Southwest budget with its airfare charge, and a second Southwest charge
    // (a seat upgrade's look: same descriptor, a fraction of the fare, the same day).
    const request = loadRequest('seed-request');
    request.all_user_expense_lineitems = [
      { ...SOUTHWEST_CHARGE },
      { ...SOUTHWEST_CHARGE, itemization_id: '2', expensed_amount_itemization: '39.00' },
    ];
    const alone = { ...request, all_user_expense_lineitems: [request.all_user_expense_lineitems[1]] };

    const [charge, lookAlike] = scores(model, request);
    const [lookAloneServed] = scores(model, alone);
    const [, lookAlikeNetwork] = networkScores(model, request);

    expect(model.stage?.version).toBe(RECIPROCAL_STAGE_VERSION);
    expect(charge).toBeGreaterThan(0.9);
    expect(lookAlike).toBeLessThan(lookAloneServed as number);
    expect(lookAlike).toBeLessThan(lookAlikeNetwork as number);
    // Alone (the flight's charge not in the request), nothing outranks it: its score is the
    // stage's recalibration of its own, sigmoid(bias + logit·L), and stays under the threshold.
    const [lookAloneNetwork] = networkScores(model, alone);
    const { bias, logit } = model.stage?.weights ?? { bias: Number.NaN, logit: Number.NaN };
    const l = Math.log((lookAloneNetwork as number) / (1 - (lookAloneNetwork as number)));
    expect(lookAloneServed).toBeCloseTo(1 / (1 + Math.exp(-(bias + logit * l))), 5);
    expect(lookAloneServed).toBeLessThan(model.threshold);
  });

  it('matches a pair that nothing outranks only from a network score within bounds (docs/models.md)', () => {
    const { bias, logit } = model.stage?.weights ?? { bias: Number.NaN, logit: Number.NaN };
    const t = model.threshold;

    // The network score from which sigmoid(bias + logit·L) reaches the threshold.
    const loneMatch = 1 / (1 + Math.exp(-((Math.log(t / (1 - t)) - bias) / logit)));

    // A retrain that lifts lone pairs much further (reciprocal-logistic/2 matched them from
    // about 0.07) fails here, as does one whose stage no longer lifts them at all.
    expect(loneMatch).toBeGreaterThan(0.15);
    expect(loneMatch).toBeLessThan(t);
  });

  it('records how it was made, its golden requests, and its test metrics overall, by slice and by type', () => {
    const manifest = manifestSchema.parse(
      JSON.parse(readFileSync(join(DEFAULT_MODEL, 'manifest.json'), 'utf8')),
    );
    const evaluation = (name: string) => manifest.evaluations?.[name];

    expect(manifest.training_data.source).toMatch(/^train\/generate-pairs\.ts/);
    expect(manifest.threshold).toBe(manifest.metrics.threshold);
    expect(manifest.golden?.requests.length).toBeGreaterThanOrEqual(3);
    expect(manifest.vendor_aliases?.brands).toBeGreaterThan(50);
    expect(manifest.reciprocal_stage?.version).toBe(RECIPROCAL_STAGE_VERSION);
    for (const slice of SLICE_NAMES)
      expect(evaluation(`test_slice_${slice}`)?.support.positives).toBeGreaterThan(300);
    for (const group of BUDGET_TYPE_GROUPS)
      expect(evaluation(`test_type_${group}`)?.support.positives).toBeGreaterThan(200);
    // The two validation sets the threshold is chosen on, by slice and by budget type, and whether
    // the threshold kept the floors of its rule on them.
    for (const set of ['validation', 'stress']) {
      for (const slice of SLICE_NAMES)
        expect([set, slice, (evaluation(`${set}_slice_${slice}`)?.support.positives ?? 0) > 300]).toEqual([
          set,
          slice,
          true,
        ]);
      for (const group of BUDGET_TYPE_GROUPS)
        expect([set, group, (evaluation(`${set}_type_${group}`)?.support.positives ?? 0) > 200]).toEqual([
          set,
          group,
          true,
        ]);
    }
    expect(manifest.hyperparameters.threshold_floors_met).toBe(true);
    // Floors well below issue 12's targets (F1 0.97, AP 0.99; docs/models.md shows where the
    // committed model stands): a retrain that falls through them is broken, not merely worse.
    expect(manifest.metrics.f1).toBeGreaterThanOrEqual(0.9);
    expect(manifest.metrics.average_precision).toBeGreaterThanOrEqual(0.95);
    for (const name of Object.keys(manifest.evaluations ?? {}).filter((n) => n.startsWith('test_'))) {
      expect([name, (evaluation(name)?.recall ?? 0) >= 0.8]).toEqual([name, true]);
    }
  });
});
