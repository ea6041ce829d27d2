import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName } from '../config';
import { ModelLoadError } from '../errors';
import { FEATURE_COUNT, FEATURE_SPEC_HASH, Normaliser, parseVendorAliases, VendorAliases } from '../features';
import {
  DirectoryStore,
  type Manifest,
  type ModelStore,
  type ReadOptions,
  readManifest,
  readObjects,
  SegmentedBuffer,
} from '../model-store';
import { asLoadStep } from './artifact-error';
import { buildLayersModel } from './build-layers-model';
import { denseForwardOf } from './dense-forward';
import { verifyGolden } from './golden-requests';
import { allocateWeightBuffers, type WeightGroup, weightTensors } from './weight-buffers';

/** A model ready to score: its manifest, and one batched call from features to probabilities. */
export interface LoadedModel {
  readonly version: string;
  readonly threshold: number;
  readonly backend: BackendName;
  /**
   * What scores: `dense`, the plain-JavaScript pass over the model's Dense layers
   * (`dense-forward.ts`), or `tfjs` for a model it does not cover.
   */
  readonly engine: 'dense' | 'tfjs';
  readonly manifest: Manifest;
  /** The artifact's vendor alias table, compiled (empty for a model without one). */
  readonly aliases: VendorAliases;
  /**
   * Scores `rows` pairs whose features sit row-major in `features` (FEATURE_COUNT columns),
   * in ONE model call; returns one probability per row.
   */
  score(features: Float32Array, rows: number, shape?: PairShape): Float32Array;
  /** The same scores, always computed by TF.js (what `score` is held to in tests and benchmarks). */
  scoreWithTfjs(features: Float32Array, rows: number): Float32Array;
  /** Frees the model's weights; it must not score afterwards. */
  dispose(): void;
}

/**
 * The shape of a feature matrix that `pairFeatures` wrote: `budgets × items` rows, budgets outer.
 * Given to `score`, the dense pass sums budget and item columns once each (`scoreScoped`).
 */
export interface PairShape {
  readonly budgets: number;
  readonly items: number;
}

/** An artifact in a store: the key prefix its `manifest.json` is under (`''` for a flat directory). */
export interface ArtifactLocation {
  readonly store: ModelStore;
  readonly prefix: string;
}

const SCOPED_MIN_ROWS = 256;

interface ModelJson {
  modelTopology: object;
  weightsManifest: WeightGroup[];
}

/**
 * Loads and verifies an artifact (manifest.json, model.json, weight shards), from a directory or
 * from a version in a model store. In order:
 *
 * 1. the manifest must be valid and name the feature spec this code implements
 *    (`feature_spec_mismatch` otherwise);
 * 2. model.json and every weight shard must be listed in the manifest, and each is streamed in
 *    ranged parts straight into buffers sized from the manifest, its size and sha256 checked as it
 *    arrives (`model_file_missing`, `checksum_mismatch`);
 * 3. the weights become tensors over those same buffers, and the model is built around them;
 * 4. the manifest's golden requests (or a probe request, for artifacts without them) are scored
 *    as serving would score them: a score that is not finite, outside [0, 1], or further than the
 *    manifest's tolerance from the expected one refuses the model (`golden_mismatch`, naming the
 *    model and the first failing pair). `verify.compareExpected: false` keeps only the first two
 *    checks (what `model publish --reseal` uses to record new expected scores).
 *
 * Errors are {@link ModelLoadError}s naming the file or field; store failures are
 * `store_unreachable`. Nothing is returned, or kept, unless all of it succeeded.
 */
export async function loadModel(
  from: string | ArtifactLocation,
  backend: BackendName,
  options: ReadOptions = {},
  verify: { readonly compareExpected?: boolean } = {},
): Promise<LoadedModel> {
  const { store, prefix } = typeof from === 'string' ? { store: new DirectoryStore(from), prefix: '' } : from;
  const manifest = await asLoadStep(readManifest(store, prefix));
  if (manifest.feature_spec.hash !== FEATURE_SPEC_HASH) {
    throw new ModelLoadError(
      'feature_spec_mismatch',
      `model ${manifest.version} was trained on feature spec ${manifest.feature_spec.hash.slice(0, 12)} (${manifest.feature_spec.version}); this code implements ${FEATURE_SPEC_HASH.slice(0, 12)}. Retrain, or deploy the code it was trained with.`,
      'feature_spec.hash',
    );
  }
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const fileRead = (path: string, target: SegmentedBuffer) => {
    const file = listed.get(path);
    if (!file) throw new ModelLoadError('invalid_artifact', `${path} is not listed in the manifest`, 'files');
    return { key: `${prefix}${path}`, name: path, bytes: file.bytes, sha256: file.sha256, target };
  };

  const modelJsonBytes = SegmentedBuffer.ofLength(listed.get('model.json')?.bytes ?? 0);
  await asLoadStep(readObjects(store, [fileRead('model.json', modelJsonBytes)], options));
  const { modelTopology, weightsManifest } = parseModelJson(manifest.version, modelJsonBytes.toBuffer());
  const aliases = await readAliases(manifest, listed, (path, target) =>
    asLoadStep(readObjects(store, [fileRead(path, target)], options)),
  );
  const shardPaths = weightsManifest.flatMap((group) => group.paths);
  const buffers = allocateWeightBuffers(
    weightsManifest,
    new Map(shardPaths.map((p) => [p, listed.get(p)?.bytes ?? Number.NaN])),
  );
  await asLoadStep(
    readObjects(
      store,
      buffers.shards.map((s) => fileRead(s.path, s.target)),
      options,
    ),
  );

  let layers: LayersModel;
  try {
    layers = await buildLayersModel(modelTopology, weightTensors(buffers));
  } catch (cause) {
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${manifest.version} could not be built: ${cause instanceof Error ? cause.message : String(cause)}`,
      'model.json',
      { cause },
    );
  }
  const inputWidth = layers.inputs[0]?.shape[1];
  if (inputWidth !== FEATURE_COUNT) {
    layers.dispose();
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${manifest.version} takes ${inputWidth} features; the spec has ${FEATURE_COUNT}`,
      'model.json',
    );
  }
  const scoreWithTfjs = (features: Float32Array, rows: number): Float32Array => {
    if (rows === 0) return new Float32Array(0);
    // The output leaves tidy() as a tensor: returning its data instead would make tidy walk
    // every element of the array looking for tensors.
    const output = tf.tidy(
      () => layers.predictOnBatch(tf.tensor2d(features, [rows, FEATURE_COUNT], 'float32')) as tf.Tensor,
    );
    try {
      return output.dataSync() as Float32Array;
    } finally {
      output.dispose();
    }
  };
  const dense = denseForwardOf(layers);
  const scopedOk = dense !== undefined && dense.layers[0]?.inputs === FEATURE_COUNT;
  const score = dense
    ? (features: Float32Array, rows: number, shape?: PairShape) =>
        // Small requests skip the scoped pass: its per-call arrays cost more than it saves.
        shape !== undefined && scopedOk && rows >= SCOPED_MIN_ROWS && shape.budgets * shape.items === rows
          ? dense.scoreScoped(features, shape.budgets, shape.items)
          : dense.score(features, rows)
    : scoreWithTfjs;
  try {
    verifyGolden(manifest, score, () => new Normaliser(aliases), verify);
  } catch (error) {
    layers.dispose();
    throw error;
  }
  return {
    version: manifest.version,
    threshold: manifest.threshold,
    backend,
    engine: dense ? 'dense' : 'tfjs',
    manifest,
    aliases,
    score,
    scoreWithTfjs,
    dispose() {
      layers.dispose();
    },
  };
}

/** The artifact's vendor alias table, read and checked against the manifest; empty when it names none. */
async function readAliases(
  manifest: Manifest,
  listed: ReadonlyMap<string, Manifest['files'][number]>,
  read: (path: string, target: SegmentedBuffer) => Promise<unknown>,
): Promise<VendorAliases> {
  const entry = manifest.vendor_aliases;
  if (!entry) return VendorAliases.EMPTY;
  const file = listed.get(entry.path);
  if (!file || file.sha256 !== entry.sha256) {
    throw new ModelLoadError(
      'invalid_manifest',
      `model ${manifest.version}: vendor_aliases names ${entry.path} with sha256 ${entry.sha256.slice(0, 12)}…, which is not one of its files`,
      'vendor_aliases',
    );
  }
  const bytes = SegmentedBuffer.ofLength(file.bytes);
  await read(entry.path, bytes);
  try {
    return new VendorAliases(parseVendorAliases(bytes.toBuffer().toString('utf8')));
  } catch (cause) {
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${manifest.version}: ${entry.path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      entry.path,
      { cause },
    );
  }
}

function parseModelJson(version: string, bytes: Buffer): ModelJson {
  let json: Partial<ModelJson>;
  try {
    json = JSON.parse(bytes.toString('utf8')) as Partial<ModelJson>;
  } catch (cause) {
    throw new ModelLoadError('invalid_artifact', `model ${version}: model.json is not JSON`, 'model.json', {
      cause,
    });
  }
  if (
    typeof json.modelTopology !== 'object' ||
    json.modelTopology === null ||
    !Array.isArray(json.weightsManifest)
  ) {
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${version}: model.json has no modelTopology or weightsManifest`,
      'model.json',
    );
  }
  return { modelTopology: json.modelTopology, weightsManifest: json.weightsManifest };
}
