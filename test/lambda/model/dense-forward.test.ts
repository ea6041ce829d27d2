import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';
import { parseRequest } from '../../../lambda/contract';
import { FEATURE_COUNT, Normaliser, pairFeatures } from '../../../lambda/features';
import { denseForwardOf, loadModel, type NamedWeight } from '../../../lambda/model';
import { generatePairs } from '../../../train/generate-pairs';
import { generatedRequests, maxDifference } from '../../helpers/generated-features';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', 'models', 'default');

/** Each generated user's request as serving computes its features: budgets × items rows. */
function generatedRows(users: number): { features: Float32Array; rows: number } {
  const chunks = generatedRequests(users).map((r) => r.matrix);
  const features = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    features.set(c, offset);
    offset += c.length;
  }
  return { features, rows: features.length / FEATURE_COUNT };
}

/** A TF.js model as its artifact holds it: the topology (model.json) and the weights by name. */
async function artifactOf(
  model: LayersModel,
): Promise<{ topology: unknown; weights: Map<string, NamedWeight> }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const weights = new Map<string, NamedWeight>();
  const data = saved?.weightData as ArrayBuffer;
  let offset = 0;
  for (const spec of saved?.weightSpecs ?? []) {
    const size = spec.shape.reduce((n, d) => n * d, 1);
    weights.set(spec.name, {
      shape: spec.shape,
      values: new Float32Array(data.slice(offset, offset + 4 * size)),
    });
    offset += 4 * size;
  }
  return { topology: saved?.modelTopology, weights };
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
      const tfjs = await model.tfjs();
      const reference = tfjs.score(features, rows);

      expect(model.engine).toBe('dense');
      expect(tfjs.backend).toBe(backend);
      expect(rows).toBeGreaterThan(2000);
      expect(maxDifference(dense, reference)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    },
  );

  it('scores each generated request block by block (the first layer split by column scope) within 1e-5 of TF.js', async () => {
    const model = await loadModel(DEFAULT_MODEL, 'cpu');
    const tfjs = await model.tfjs();
    let pairs = 0;
    let worst = 0;

    for (const { matrix, budgets, items } of generatedRequests(40, 4343)) {
      const rows = budgets * items;
      worst = Math.max(worst, maxDifference(model.score(matrix, rows, items), tfjs.score(matrix, rows)));
      pairs += rows;
    }

    expect(pairs).toBeGreaterThan(2000);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('scores a deeper stack with dropout, every activation it knows and no bias, within 1e-5 of TF.js, row by row and block by block', async () => {
    await tf.setBackend('cpu');
    const model = sequential({
      layers: [
        // 23 units: the block pass sums four units at a time and the rest one by one.
        layers.dense({ units: 23, activation: 'tanh', inputShape: [FEATURE_COUNT] }),
        layers.dropout({ rate: 0.3 }),
        layers.dense({ units: 12, activation: 'relu6', useBias: false }),
        layers.dense({ units: 8, activation: 'linear' }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const x = tf.tensor2d(features, [rows, FEATURE_COUNT]);

    const { topology, weights } = await artifactOf(model);
    const dense = denseForwardOf(topology, weights);
    const reference = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;

    let blockWorst = 0;
    for (const { matrix, budgets, items } of generatedRequests(10)) {
      const expected = tf.tidy(() =>
        (model.predict(tf.tensor2d(matrix, [budgets * items, FEATURE_COUNT])) as tf.Tensor).dataSync(),
      ) as Float32Array;
      blockWorst = Math.max(
        blockWorst,
        maxDifference(dense?.scoreBlocks(matrix, budgets, items) ?? new Float32Array(0), expected),
      );
    }

    expect(dense).toBeDefined();
    expect(maxDifference(dense?.score(features, rows) ?? new Float32Array(0), reference)).toBeLessThanOrEqual(
      1e-5,
    );
    expect(blockWorst).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, model.getWeights()]);
  });

  it.each([
    ['tanh', 6, 'linear', true],
    // Seven units: the ReLU and output sum taken in the four-unit loop, and one unit after it;
    // in the WebAssembly kernel, one chunk of sixteen padded with zero weights.
    ['relu', 7, 'sigmoid', true],
    ['relu', 7, 'sigmoid', false],
    // Twenty units: two chunks of the kernel, the second padded.
    ['relu', 20, 'linear', true],
  ] as const)(
    'scores one hidden layer (%s, %i units) and one output (%s) block by block within 1e-5 of TF.js (WebAssembly kernel where it applies: %s)',
    async (hidden, units, output, simd) => {
      await tf.setBackend('cpu');
      const model = sequential({
        layers: [
          layers.dense({ units, activation: hidden, inputShape: [FEATURE_COUNT] }),
          layers.dense({ units: 1, activation: output }),
        ],
      });
      const { topology, weights } = await artifactOf(model);
      const dense = denseForwardOf(topology, weights);
      let worst = 0;

      for (const { matrix, budgets, items } of generatedRequests(10)) {
        const expected = tf.tidy(() =>
          (model.predict(tf.tensor2d(matrix, [budgets * items, FEATURE_COUNT])) as tf.Tensor).dataSync(),
        ) as Float32Array;
        worst = Math.max(
          worst,
          maxDifference(dense?.scoreBlocks(matrix, budgets, items, simd) ?? new Float32Array(0), expected),
        );
      }

      expect(dense).toBeDefined();
      expect(worst).toBeLessThanOrEqual(1e-5);
      tf.dispose(model.getWeights());
    },
  );

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

    const dense = async (model: LayersModel) => {
      const { topology, weights } = await artifactOf(model);
      return denseForwardOf(topology, weights);
    };

    expect(await dense(withNormalisation)).toBeUndefined();
    expect(await dense(withSelu)).toBeUndefined();
    expect(await dense(twoOutputs)).toBeUndefined();
  });

  it('leaves to TF.js an artifact with a weight no Dense layer of its topology uses', async () => {
    await tf.setBackend('cpu');
    const { topology, weights } = await artifactOf(
      sequential({
        layers: [layers.dense({ units: 1, activation: 'sigmoid', inputShape: [FEATURE_COUNT] })],
      }),
    );
    weights.set('stray/kernel', { shape: [1, 1], values: new Float32Array(1) });

    expect(denseForwardOf(topology, weights)).toBeUndefined();
  });

  it('serves a covered model without loading TF.js, and scores with TF.js when told to', async () => {
    const loaded = () =>
      Object.keys(require.cache).filter((path) => path.includes(`${join('@tensorflow', 'tfjs-core')}`));
    jest.resetModules();
    const before = loaded();
    const isolated = require('../../../lambda/model') as typeof import('../../../lambda/model');

    const dense = await isolated.loadModel(DEFAULT_MODEL, { backends: ['cpu'], engine: 'auto' });
    const afterDense = loaded();
    const viaTfjs = await isolated.loadModel(DEFAULT_MODEL, { backends: ['cpu'], engine: 'tfjs' });

    expect(before).toEqual([]);
    expect(dense.engine).toBe('dense');
    expect(dense.backend).toBeUndefined();
    expect(afterDense).toEqual([]);
    expect(viaTfjs.engine).toBe('tfjs');
    expect(viaTfjs.backend).toBe('cpu');
    expect(loaded().length).toBeGreaterThan(0);
    expect(maxDifference(dense.score(features, rows), viaTfjs.score(features, rows))).toBeLessThanOrEqual(
      1e-5,
    );
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

      const scoped = model.score(features, rows, items.length);
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
