import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName } from '../config';
import { ModelLoadError } from '../errors';
import { FEATURE_COUNT, FEATURE_SPEC_HASH } from '../features';
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
import { allocateWeightBuffers, type WeightGroup, weightTensors } from './weight-buffers';

/** A model ready to score: its manifest, and one batched call from features to probabilities. */
export interface LoadedModel {
  readonly version: string;
  readonly threshold: number;
  readonly backend: BackendName;
  readonly manifest: Manifest;
  /**
   * Scores `rows` pairs whose features sit row-major in `features` (FEATURE_COUNT columns),
   * in ONE model call; returns one probability per row.
   */
  score(features: Float32Array, rows: number): Float32Array;
  /** Frees the model's weights; it must not score afterwards. */
  dispose(): void;
}

/** An artifact in a store: the key prefix its `manifest.json` is under (`''` for a flat directory). */
export interface ArtifactLocation {
  readonly store: ModelStore;
  readonly prefix: string;
}

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
 * 3. the weights become tensors over those same buffers, and the model is built around them.
 *
 * Errors are {@link ModelLoadError}s naming the file or field; store failures are
 * `store_unreachable`. Nothing is returned, or kept, unless all of it succeeded.
 */
export async function loadModel(
  from: string | ArtifactLocation,
  backend: BackendName,
  options: ReadOptions = {},
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
  return {
    version: manifest.version,
    threshold: manifest.threshold,
    backend,
    manifest,
    score(features, rows) {
      if (rows === 0) return new Float32Array(0);
      return tf.tidy(() => {
        const output = layers.predictOnBatch(tf.tensor2d(features, [rows, FEATURE_COUNT])) as tf.Tensor;
        return output.dataSync() as Float32Array;
      });
    },
    dispose() {
      layers.dispose();
    },
  };
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
