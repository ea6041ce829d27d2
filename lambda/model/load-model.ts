import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { ModelLoadError } from '../errors';
import { FEATURE_COUNT, FEATURE_SPEC_HASH } from '../features';
import type { BackendName } from './backend';
import { type Manifest, manifestSchema } from './manifest';

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
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

/**
 * Loads and verifies the artifact in `dir` (manifest.json, model.json, weight shards): the
 * feature spec hash must be the one this code implements and every file must match its
 * recorded size and sha256, or a {@link ModelLoadError} says which did not.
 */
export async function loadModel(dir: string, backend: BackendName): Promise<LoadedModel> {
  const manifest = await readManifest(dir);
  if (manifest.feature_spec.hash !== FEATURE_SPEC_HASH) {
    throw new ModelLoadError(
      'feature_spec_mismatch',
      `model ${manifest.version} was trained on feature spec ${manifest.feature_spec.hash.slice(0, 12)} (${manifest.feature_spec.version}); this code implements ${FEATURE_SPEC_HASH.slice(0, 12)}. Retrain, or deploy the code it was trained with.`,
      'feature_spec.hash',
    );
  }
  const files = new Map<string, Buffer>();
  for (const file of manifest.files) files.set(file.path, await readVerified(dir, file));
  const modelJson = files.get('model.json');
  if (!modelJson) throw new ModelLoadError('invalid_artifact', 'the manifest lists no model.json', 'files');
  let layers: LayersModel;
  try {
    const { modelTopology, weightsManifest } = JSON.parse(modelJson.toString('utf8')) as ModelJson;
    const weightSpecs = weightsManifest.flatMap((group) => group.weights);
    const shards = weightsManifest
      .flatMap((group) => group.paths)
      .map((p) => {
        const shard = files.get(p);
        if (!shard) throw new Error(`weight shard ${p} is not listed in the manifest`);
        return shard;
      });
    const weightData = tf.io.concatenateArrayBuffers(
      shards.map((s) => s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer),
    );
    layers = await loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
  } catch (cause) {
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${manifest.version} could not be built: ${message(cause)}`,
      'model.json',
      { cause },
    );
  }
  const inputWidth = layers.inputs[0]?.shape[1];
  if (inputWidth !== FEATURE_COUNT) {
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
        const output = layers.predict(tf.tensor2d(features, [rows, FEATURE_COUNT])) as tf.Tensor;
        return output.dataSync() as Float32Array;
      });
    },
  };
}

async function readManifest(dir: string): Promise<Manifest> {
  let raw: string;
  try {
    raw = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch (cause) {
    throw new ModelLoadError(
      'model_not_found',
      `no model manifest at ${join(dir, 'manifest.json')}: ${message(cause)}`,
      'manifest.json',
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (cause) {
    throw new ModelLoadError(
      'invalid_manifest',
      `manifest.json is not JSON: ${message(cause)}`,
      'manifest.json',
      { cause },
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(
      'invalid_manifest',
      `manifest.json: ${issue?.path.join('.')} ${issue?.message}`,
      issue?.path.join('.'),
    );
  }
  return parsed.data;
}

async function readVerified(dir: string, file: Manifest['files'][number]): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, file.path));
  } catch (cause) {
    throw new ModelLoadError('model_file_missing', `${file.path}: ${message(cause)}`, file.path, { cause });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.byteLength !== file.bytes || sha256 !== file.sha256) {
    throw new ModelLoadError(
      'checksum_mismatch',
      `${file.path} is ${bytes.byteLength} bytes with sha256 ${sha256.slice(0, 12)}; the manifest says ${file.bytes} bytes, ${file.sha256.slice(0, 12)}`,
      file.path,
    );
  }
  return bytes;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
