import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { FEATURE_COUNT } from '../lambda/features';

// Bounds the memory of one predict call on large evaluation sets.
const BATCH_ROWS = 65_536;

/** The model's score for each of `rows` feature rows (row-major, FEATURE_COUNT columns). */
export function scoreRows(model: LayersModel, features: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(rows);
  for (let start = 0; start < rows; start += BATCH_ROWS) {
    const end = Math.min(rows, start + BATCH_ROWS);
    const batch = features.subarray(start * FEATURE_COUNT, end * FEATURE_COUNT);
    // One predict batch: layers' default of 32 slices the input per batch, and the wasm
    // backend's slice reads the whole input each time (minutes for a test set).
    const scores = tf.tidy(() =>
      (
        model.predict(tf.tensor2d(batch, [end - start, FEATURE_COUNT]), {
          batchSize: end - start,
        }) as tf.Tensor
      ).dataSync(),
    );
    out.set(scores, start);
  }
  return out;
}
