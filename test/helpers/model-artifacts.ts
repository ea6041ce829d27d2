import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_COUNT } from '../../lambda/features';
import { useScratch } from './scratch';

export const DEFAULT_MODEL_DIR = join(__dirname, '..', '..', 'models', 'default');

type Json = Record<string, unknown>;

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

/** Rewrites `manifest.json` in `dir` after `edit`, recomputing every file's size and sha256. */
export function rewriteManifest(dir: string, edit: (manifest: Json) => void = () => {}): void {
  const manifest = readJson(join(dir, 'manifest.json'));
  edit(manifest);
  manifest.files = (manifest.files as Array<{ path: string }>).map(({ path }) => {
    const bytes = readFileSync(join(dir, path));
    return { path, sha256: sha256(bytes), bytes: bytes.byteLength };
  });
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * A copy of the committed default artifact as a new version, in a temporary directory. With
 * `outputBias`, the last layer's bias is set to it, so this version's scores differ visibly
 * from the default's (a large negative bias scores everything near 0).
 */
export function artifactVersion(
  version: string,
  options: { outputBias?: number; precision?: number } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'matcher-artifact-'));
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true });
  if (options.outputBias !== undefined) {
    const weights = readFileSync(join(dir, 'weights.bin'));
    weights.writeFloatLE(options.outputBias, weights.byteLength - 4);
    writeFileSync(join(dir, 'weights.bin'), weights);
  }
  rewriteManifest(dir, (m) => {
    // Its scores are meant to differ: the default's golden scores no longer hold, and without
    // them loading holds the model to finite scores in [0, 1] on the probe request.
    if (options.outputBias !== undefined) delete m.golden;
    m.version = version;
    m.created_at = new Date().toISOString();
    if (options.precision !== undefined) (m.metrics as Json).precision = options.precision;
  });
  return dir;
}

/**
 * {@link artifactVersion} for the tests of one file or `describe`: every copy it makes is removed
 * after them ({@link useScratch}). Call it where you would call `useScratch`.
 */
export function useArtifactVersions(): typeof artifactVersion {
  const scratch = useScratch();
  return (version, options) => scratch.track(artifactVersion(version, options));
}

/**
 * Makes the artifact in `dir` score NaN: every weight is NaN, and the manifest's checksums are
 * re-computed, so only the golden requests can tell (issue 12). Returns `dir`.
 */
export function nanArtifact(dir: string): string {
  const weights = readFileSync(join(dir, 'weights.bin'));
  for (let o = 0; o + 4 <= weights.byteLength; o += 4) weights.writeFloatLE(Number.NaN, o);
  writeFileSync(join(dir, 'weights.bin'), weights);
  rewriteManifest(dir);
  return dir;
}

/** What {@link writeSyntheticArtifact} wrote. */
export interface SyntheticArtifact {
  readonly dir: string;
  readonly version: string;
  readonly weightBytes: number;
  readonly shards: number;
}

/**
 * Writes a large, valid artifact for load tests and benchmarks: a stack of dense layers over the
 * real feature spec (FEATURE_COUNT inputs → `hiddenUnits`… → 1), small pseudo-random weights, split into
 * shards of `shardBytes` the way TF.js does (weights may straddle shards), and a manifest with
 * every file's checksum. Nothing is trained; the weights are only big.
 */
export function writeSyntheticArtifact(
  version: string,
  hiddenUnits: readonly number[],
  shardBytes: number,
  dir: string = mkdtempSync(join(tmpdir(), 'matcher-large-')),
): SyntheticArtifact {
  mkdirSync(dir, { recursive: true });
  const defaultModel = readJson(join(DEFAULT_MODEL_DIR, 'model.json'));
  const widths = [FEATURE_COUNT, ...hiddenUnits, 1];
  const layers = widths.slice(1).map((units, i) => ({
    class_name: 'Dense',
    config: {
      units,
      activation: i === widths.length - 2 ? 'sigmoid' : 'relu',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: i } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      name: `dense_${i}`,
      trainable: true,
      dtype: 'float32',
      ...(i === 0 ? { batch_input_shape: [null, FEATURE_COUNT] } : {}),
    },
  }));
  const weights = widths.slice(1).flatMap((units, i) => [
    { name: `dense_${i}/kernel`, shape: [widths[i] as number, units], dtype: 'float32' },
    { name: `dense_${i}/bias`, shape: [units], dtype: 'float32' },
  ]);
  const totalFloats = weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const weightBytes = totalFloats * 4;
  const shardCount = Math.ceil(weightBytes / shardBytes);
  const paths = Array.from({ length: shardCount }, (_, i) => `group1-shard${i + 1}of${shardCount}.bin`);
  // Shards are generated one at a time, so writing a 1 GiB model never holds 1 GiB here.
  let state = 0x9e3779b9;
  for (const [i, path] of paths.entries()) {
    const bytes = Math.min(shardBytes, weightBytes - i * shardBytes);
    const floats = new Float32Array(bytes / 4);
    for (let k = 0; k < floats.length; k++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      floats[k] = (state / 0x100000000 - 0.5) * 0.02;
    }
    writeFileSync(join(dir, path), new Uint8Array(floats.buffer));
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: defaultModel.generatedBy,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'synthetic_large', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths, weights }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  const manifest = readJson(join(DEFAULT_MODEL_DIR, 'manifest.json'));
  manifest.version = version;
  manifest.purpose = `synthetic ${Math.round(weightBytes / 2 ** 20)} MiB model for load tests; not trained`;
  manifest.files = [{ path: 'model.json' }, ...paths.map((path) => ({ path }))];
  // Not trained: no alias table, and the default's golden scores do not hold (the probe does).
  delete manifest.vendor_aliases;
  delete manifest.golden;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  rewriteManifest(dir);
  return { dir, version, weightBytes, shards: shardCount };
}
