import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { type LayersModel, layers, loadLayersModel, sequential } from '@tensorflow/tfjs-layers';
import { compileDenseForward } from '../../../lambda/model/dense-forward';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', 'models', 'default');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Rows of features shaped like the real ones: mostly zeros and ones, some in [-1, 1]. */
function sparseFeatures(rows: number, width: number, seed: number): Float32Array {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Float32Array.from({ length: rows * width }, () => {
    const r = next();
    return r < 0.6 ? 0 : r < 0.8 ? 1 : next() * 2 - 1;
  });
}

function tfjsScores(model: LayersModel, features: Float32Array, rows: number, width: number): Float32Array {
  return tf.tidy(
    () => (model.predict(tf.tensor2d(features, [rows, width])) as tf.Tensor).dataSync() as Float32Array,
  );
}

async function committedModel(): Promise<LayersModel> {
  const { modelTopology, weightsManifest } = JSON.parse(
    readFileSync(join(DEFAULT_MODEL, 'model.json'), 'utf8'),
  );
  const weights = readFileSync(join(DEFAULT_MODEL, 'weights.bin'));
  return loadLayersModel(
    tf.io.fromMemory({
      modelTopology,
      weightSpecs: weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: weights.buffer.slice(
        weights.byteOffset,
        weights.byteOffset + weights.byteLength,
      ) as ArrayBuffer,
    }),
  );
}

describe('compileDenseForward', () => {
  it('gives the committed model the scores TF.js gives it', async () => {
    const model = await committedModel();
    const features = sparseFeatures(500, 41, 7);

    const forward = compileDenseForward(model);

    expect(forward).toBeDefined();
    const fused = forward?.(features, 500) ?? new Float32Array();
    const reference = tfjsScores(model, features, 500, 41);
    expect(fused).toHaveLength(500);
    for (const [i, score] of reference.entries()) expect(fused[i]).toBeCloseTo(score, 6);
  });

  it('evaluates deeper stacks with every supported activation, with and without bias', () => {
    const model = sequential({
      layers: [
        layers.dense({ inputShape: [9], units: 7, activation: 'tanh' }),
        layers.dense({ units: 5, activation: 'linear', useBias: false }),
        layers.dense({ units: 4, activation: 'relu' }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const features = sparseFeatures(64, 9, 3);

    const fused = compileDenseForward(model)?.(features, 64) ?? new Float32Array();

    const reference = tfjsScores(model, features, 64, 9);
    for (const [i, score] of reference.entries()) expect(fused[i]).toBeCloseTo(score, 6);
  });

  it('answers zero rows with an empty result', async () => {
    const forward = compileDenseForward(await committedModel());

    expect(forward?.(new Float32Array(0), 0)).toEqual(new Float32Array(0));
  });

  it.each([
    [
      'a layer that is not Dense',
      () => [
        layers.dense({ inputShape: [4], units: 3 }),
        layers.dropout({ rate: 0.5 }),
        layers.dense({ units: 1 }),
      ],
    ],
    [
      'an activation it does not implement',
      () => [layers.dense({ inputShape: [4], units: 3, activation: 'elu' }), layers.dense({ units: 1 })],
    ],
    [
      'an output wider than one unit',
      () => [layers.dense({ inputShape: [4], units: 2, activation: 'softmax' })],
    ],
  ])('declines a model with %s, so TF.js scores it', (_, build) => {
    const model = sequential({ layers: build() });

    const forward = compileDenseForward(model);

    expect(forward).toBeUndefined();
  });

  it('refuses a feature buffer shorter than the rows it is asked for', async () => {
    const forward = compileDenseForward(await committedModel());

    expect(() => forward?.(new Float32Array(40), 1)).toThrow(RangeError);
  });
});
