import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName } from '../config';
import { ModelLoadError } from '../errors';
import { FEATURE_COUNT } from '../features';
import { selectBackend } from './backend';
import { buildLayersModel } from './build-layers-model';
import type { WeightBuffers } from './weight-buffers';

/** A model built in TF.js on a backend: one batched call from features to probabilities. */
export interface TfjsScorer {
  /** The TF.js backend it runs on. */
  readonly backend: BackendName;
  /** Scores `rows` rows of `features` (row-major, FEATURE_COUNT columns) in one TF.js call. */
  score(features: Float32Array, rows: number): Float32Array;
  /** Frees the model's weights. */
  dispose(): void;
}

/**
 * Builds the artifact's model in TF.js: activates the first backend of `backends` that starts
 * (once per process and list), makes tensors over the weight buffers and builds the layers model
 * around them. The only file of `lambda/model/` that imports TF.js: `load-model.ts` requires it
 * on first use, so a model the dense pass covers never loads TF.js (its require and the wasm
 * backend's start were most of a cold start; `npm run bench`). Throws `invalid_artifact` when the
 * model cannot be built or does not take FEATURE_COUNT features.
 */
export async function buildTfjsScorer(
  version: string,
  modelTopology: object,
  buffers: WeightBuffers,
  backends: readonly BackendName[],
): Promise<TfjsScorer> {
  const backend = await selectBackend(backends);
  let layers: LayersModel;
  try {
    layers = await buildLayersModel(modelTopology, weightTensors(buffers));
  } catch (cause) {
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${version} could not be built: ${cause instanceof Error ? cause.message : String(cause)}`,
      'model.json',
      { cause },
    );
  }
  const inputWidth = layers.inputs[0]?.shape[1];
  if (inputWidth !== FEATURE_COUNT) {
    layers.dispose();
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${version} takes ${inputWidth} features; the spec has ${FEATURE_COUNT}`,
      'model.json',
    );
  }
  return {
    backend,
    score(features: Float32Array, rows: number): Float32Array {
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
    },
    dispose() {
      layers.dispose();
    },
  };
}

/**
 * Turns the filled buffers into tensors by name. Plain float32 and int32 weights become tensors
 * over their own buffer (the CPU backend keeps the array it is given, so nothing is copied);
 * quantized or other dtypes go through TF.js's own decoder, one weight at a time.
 */
export function weightTensors(buffers: WeightBuffers): tf.NamedTensorMap {
  const tensors: tf.NamedTensorMap = {};
  try {
    for (const { spec, buffer } of buffers.weights) {
      if (!('quantization' in spec && spec.quantization) && spec.dtype === 'float32') {
        tensors[spec.name] = tf.tensor(new Float32Array(buffer), spec.shape, 'float32');
      } else if (!('quantization' in spec && spec.quantization) && spec.dtype === 'int32') {
        tensors[spec.name] = tf.tensor(new Int32Array(buffer), spec.shape, 'int32');
      } else {
        Object.assign(tensors, tf.io.decodeWeights(buffer, [spec]));
      }
    }
  } catch (error) {
    tf.dispose(Object.values(tensors));
    throw error;
  }
  return tensors;
}
