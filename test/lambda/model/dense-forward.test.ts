import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { parseRequest } from '../../../lambda/contract';
import { FEATURE_COUNT, Normaliser, pairFeatures } from '../../../lambda/features';
import { denseForwardOf, loadModel } from '../../../lambda/model';
import { generatePairs } from '../../../train/generate-pairs';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', 'models', 'default');

/** The feature rows of generated users' requests, as serving computes them. */
function generatedRows(users: number): { features: Float32Array; rows: number } {
  const chunks: Float32Array[] = [];
  for (const user of generatePairs({ seed: 4242, users })) {
    const parsed = parseRequest(user.request);
    const n = new Normaliser();
    chunks.push(
      pairFeatures(
        parsed.budgets.flatMap((b) => (b.ok ? [n.budget(b.value)] : [])),
        parsed.items.flatMap((i) => (i.ok ? [n.item(i.value)] : [])),
      ),
    );
  }
  const features = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    features.set(c, offset);
    offset += c.length;
  }
  return { features, rows: features.length / FEATURE_COUNT };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe('the dense forward pass', () => {
  const { features, rows } = generatedRows(40);

  beforeAll(() => tf.enableProdMode());

  it.each(['cpu', 'wasm'] as const)(
    'scores the default model within 1e-5 of TF.js (%s) on thousands of generated pairs',
    async (backend) => {
      await tf.setBackend(backend);
      const model = await loadModel(DEFAULT_MODEL, backend);

      const dense = model.score(features, rows);
      const reference = model.scoreWithTfjs(features, rows);

      expect(model.engine).toBe('dense');
      expect(rows).toBeGreaterThan(2000);
      expect(maxDifference(dense, reference)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    },
  );

  it('scores a deeper stack with dropout, every activation it knows and no bias, within 1e-5 of TF.js', async () => {
    await tf.setBackend('cpu');
    const model = sequential({
      layers: [
        layers.dense({ units: 24, activation: 'tanh', inputShape: [FEATURE_COUNT] }),
        layers.dropout({ rate: 0.3 }),
        layers.dense({ units: 12, activation: 'relu6', useBias: false }),
        layers.dense({ units: 8, activation: 'linear' }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const x = tf.tensor2d(features, [rows, FEATURE_COUNT]);

    const dense = denseForwardOf(model);
    const reference = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;

    expect(dense).toBeDefined();
    expect(maxDifference(dense?.score(features, rows) ?? new Float32Array(0), reference)).toBeLessThanOrEqual(
      1e-5,
    );
    tf.dispose([x, model.getWeights()]);
  });

  it('leaves to TF.js a model with a layer or an activation it does not compute', async () => {
    await tf.setBackend('cpu');
    const withNormalisation = sequential({
      layers: [
        layers.dense({ units: 4, activation: 'relu', inputShape: [FEATURE_COUNT] }),
        layers.batchNormalization(),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const withSelu = sequential({
      layers: [
        layers.dense({ units: 4, activation: 'selu', inputShape: [FEATURE_COUNT] }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const twoOutputs = sequential({ layers: [layers.dense({ units: 2, inputShape: [FEATURE_COUNT] })] });

    expect(denseForwardOf(withNormalisation)).toBeUndefined();
    expect(denseForwardOf(withSelu)).toBeUndefined();
    expect(denseForwardOf(twoOutputs)).toBeUndefined();
  });
});

describe('the scoped dense pass (budget and item columns summed once each)', () => {
  it("gives the committed model's scores of generated requests within 1e-6 of the row-by-row pass", async () => {
    // With a shape, the loaded model's dense engine scores scoped; without, row by row.
    const model = await loadModel(join(__dirname, '..', '..', '..', 'models', 'default'), 'cpu');
    let pairs = 0;

    for (const user of generatePairs({ seed: 20261204, users: 30 })) {
      const parsed = parseRequest(user.request);
      const n = new Normaliser(model.aliases);
      const budgets = parsed.budgets.flatMap((b) => (b.ok ? [n.budget(b.value)] : []));
      const items = parsed.items.flatMap((i) => (i.ok ? [n.item(i.value)] : []));
      const features = pairFeatures(budgets, items);
      const rows = budgets.length * items.length;

      const scoped = model.score(features, rows, { budgets: budgets.length, items: items.length });
      const plain = model.score(features, rows);

      for (let r = 0; r < rows; r++)
        expect(Math.abs((scoped[r] as number) - (plain[r] as number))).toBeLessThan(1e-6);
      pairs += rows;
    }

    expect(model.engine).toBe('dense');
    expect(pairs).toBeGreaterThan(1000);
    model.dispose();
  });
});
