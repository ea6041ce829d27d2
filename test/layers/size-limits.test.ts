import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ArtifactSize,
  biggestContributors,
  checkSizeLimits,
  LAMBDA_LIMITS,
  listFiles,
} from '../../layers';
import { useScratch } from '../helpers/scratch';

const scratch = useScratch();

const MB = 1024 * 1024;

/** Measures a directory the way the build measures the layer. */
function measureLayer(dir: string): ArtifactSize {
  const files = listFiles(dir);
  return {
    name: 'layer',
    kind: 'layer',
    unzippedBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    biggest: biggestContributors(files),
  };
}

const smallFunction: ArtifactSize = {
  name: 'predict',
  kind: 'function',
  unzippedBytes: 500_000,
  zippedBytes: 110_000,
  biggest: [{ path: 'node_modules/zod', bytes: 440_000 }],
};

describe('checkSizeLimits', () => {
  it('passes the function and layer the build makes today', () => {
    const layer: ArtifactSize = {
      name: 'layer',
      kind: 'layer',
      unzippedBytes: 4.5 * MB,
      zippedBytes: 1 * MB,
      biggest: [],
    };

    expect(checkSizeLimits([smallFunction, layer])).toEqual([]);
  });

  it('stops a layer holding tfjs-node with libtensorflow, naming its size and the alternatives', () => {
    // A sparse 370 MB file stands in for libtensorflow: its size is real, its disk use is not.
    const dir = scratch.dir('oversized-layer');
    const lib = join(dir, 'nodejs/node_modules/@tensorflow/tfjs-node/deps/lib');
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, 'libtensorflow.so.2'), '');
    truncateSync(join(lib, 'libtensorflow.so.2'), 370 * MB);
    mkdirSync(join(dir, 'nodejs/node_modules/@tensorflow/tfjs-core'), { recursive: true });
    writeFileSync(join(dir, 'nodejs/node_modules/@tensorflow/tfjs-core/index.js'), 'x'.repeat(1000));

    const violations = checkSizeLimits([smallFunction, measureLayer(dir)]);

    expect(violations).toHaveLength(1);
    const [v] = violations;
    expect(v?.artifact).toBe('predict');
    expect(v?.limit).toBe('unzipped');
    expect(v?.culprit?.path).toBe('nodejs/node_modules/@tensorflow/tfjs-node');
    expect(v?.message).toMatch(/370\.\d MB/);
    expect(v?.message).toContain('250.0 MB');
    expect(v?.message).toContain('--no-native');
    expect(v?.message).toContain('wasm');
    expect(v?.message).toContain('container image');
  });

  it('names the zip over 50 MB and its biggest part', () => {
    const fat: ArtifactSize = {
      ...smallFunction,
      zippedBytes: LAMBDA_LIMITS.zippedBytes + 1,
      biggest: [{ path: 'models/default/weights.bin', bytes: 60 * MB }],
    };

    const violations = checkSizeLimits([fat]);

    expect(violations.map((v) => v.limit)).toEqual(['zipped']);
    expect(violations[0]?.message).toContain('predict.zip');
    expect(violations[0]?.message).toContain('models/default/weights.bin (60.0 MB)');
  });

  it('counts every layer against every function', () => {
    const layer = (name: string): ArtifactSize => ({
      name,
      kind: 'layer',
      unzippedBytes: 130 * MB,
      biggest: [{ path: `${name}/big`, bytes: 130 * MB }],
    });

    const violations = checkSizeLimits([smallFunction, layer('a'), layer('b')]);

    expect(violations).toHaveLength(1);
    expect(violations[0]?.bytes).toBe(smallFunction.unzippedBytes + 260 * MB);
  });
});

describe('biggestContributors', () => {
  it('groups files by npm package, scoped or not, biggest first', () => {
    const top = biggestContributors([
      { path: 'nodejs/node_modules/@tensorflow/tfjs-core/dist/a.js', bytes: 10 },
      { path: 'nodejs/node_modules/@tensorflow/tfjs-core/package.json', bytes: 5 },
      { path: 'nodejs/node_modules/long/index.js', bytes: 12 },
      { path: 'index.js', bytes: 1 },
    ]);

    expect(top).toEqual([
      { path: 'nodejs/node_modules/@tensorflow/tfjs-core', bytes: 15 },
      { path: 'nodejs/node_modules/long', bytes: 12 },
      { path: 'index.js', bytes: 1 },
    ]);
  });
});
