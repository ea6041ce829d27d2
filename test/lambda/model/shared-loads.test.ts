import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { embeddedSource, type LoadedModel, SharedLoads } from '../../../lambda/model';
import { DEFAULT_MODEL_DIR } from '../../helpers/model-artifacts';

/** The embedded default model as a source, counting the loads that really happen (scored by TF.js, whose tensors count what is freed). */
function countingSource() {
  const source = embeddedSource(DEFAULT_MODEL_DIR, { backends: ['cpu'], engine: 'tfjs' });
  const counted = {
    ...source,
    loads: 0,
    load: (version: string) => {
      counted.loads++;
      return source.load(version);
    },
  };
  return counted;
}

describe('SharedLoads', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('loads a version two slots serve once, and frees it only when both let go', async () => {
    const source = countingSource();
    const shared = new SharedLoads();
    const [live, shadow] = [shared.share(source), shared.share(source)];

    const a = await live.load('v1');
    const b = await shadow.load('v1');
    const before = tf.memory().numTensors;
    a.dispose();
    const afterOne = tf.memory().numTensors;
    b.dispose();
    const afterBoth = tf.memory().numTensors;

    expect(source.loads).toBe(1);
    expect(a.manifest).toBe(b.manifest);
    expect(afterOne).toBe(before);
    expect(afterBoth).toBeLessThan(before);
  });

  it('loads again after a failed load', async () => {
    const source = countingSource();
    let fail = true;
    const flaky = {
      ...source,
      load: (v: string): Promise<LoadedModel> =>
        fail ? Promise.reject(new Error('store down')) : source.load(v),
    };
    const shared = new SharedLoads().share(flaky);

    await expect(shared.load('v1')).rejects.toThrow('store down');
    fail = false;

    expect((await shared.load('v1')).version).toEqual(expect.any(String));
  });
});
