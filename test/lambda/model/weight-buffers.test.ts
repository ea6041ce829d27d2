import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { FEATURE_COUNT } from '../../../lambda/features';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { ModelLoadError } from '../../../lambda/errors';
import { allocateWeightBuffers, loadModel } from '../../../lambda/model';
import { writeSyntheticArtifact } from '../../helpers/model-artifacts';
import { useScratch } from '../../helpers/scratch';

const spec = (name: string, shape: number[]) => ({ name, shape, dtype: 'float32' as const });

describe('allocateWeightBuffers', () => {
  it('gives every weight its own buffer and maps shards onto them, straddling as TF.js shards do', () => {
    const group = { paths: ['s1', 's2'], weights: [spec('a', [3]), spec('b', [2, 2]), spec('c', [1])] };

    const { weights, shards } = allocateWeightBuffers(
      [group],
      new Map([
        ['s1', 20],
        ['s2', 12],
      ]),
    );

    expect(weights.map((w) => [w.spec.name, w.buffer.byteLength])).toEqual([
      ['a', 12],
      ['b', 16],
      ['c', 4],
    ]);
    expect(shards.map((s) => [s.path, s.target.byteLength])).toEqual([
      ['s1', 20],
      ['s2', 12],
    ]);
    // Bytes 12..19 of shard 1 and 0..7 of shard 2 are weight b.
    shards[0]?.target.write(
      0,
      Uint8Array.from({ length: 20 }, (_, i) => i),
    );
    shards[1]?.target.write(
      0,
      Uint8Array.from({ length: 12 }, (_, i) => 20 + i),
    );
    expect([...new Uint8Array(weights[1]?.buffer as ArrayBuffer)]).toEqual([
      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    ]);
  });

  it('refuses shards that do not add up to the declared weights', () => {
    const group = { paths: ['s1'], weights: [spec('a', [3])] };

    expect(() => allocateWeightBuffers([group], new Map([['s1', 16]]))).toThrow(ModelLoadError);
  });
});

describe('loading a multi-shard model', () => {
  const artifact = writeSyntheticArtifact(
    '2026-06-01T000000Z',
    [64, 32],
    1000,
    useScratch().dir('matcher-large'),
  );
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('scores exactly as TF.js own loader does from the concatenated weights', async () => {
    const modelJson = JSON.parse(readFileSync(join(artifact.dir, 'model.json'), 'utf8'));
    const group = modelJson.weightsManifest[0];
    const weightData = Buffer.concat(group.paths.map((p: string) => readFileSync(join(artifact.dir, p))));
    const reference = await loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: group.weights,
        weightData: weightData.buffer.slice(
          weightData.byteOffset,
          weightData.byteOffset + weightData.byteLength,
        ),
      }),
    );
    const features = Float32Array.from({ length: FEATURE_COUNT * 5 }, (_, i) => Math.sin(i));

    const model = await loadModel(artifact.dir, 'cpu', { partBytes: 300 });

    expect(artifact.shards).toBeGreaterThan(10);
    const expected = (reference.predict(tf.tensor2d(features, [5, FEATURE_COUNT])) as tf.Tensor).dataSync();
    expect([...model.score(features, 5)]).toEqual([...expected]);
  });
});
