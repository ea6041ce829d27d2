import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';

/**
 * Builds a TF.js layers model from its topology and sets its weights to `weights`, which it takes
 * over (the caller must not use or dispose them afterwards).
 *
 * TF.js's own loader decodes weights by copying each one out of the weight data, and builds the
 * model with initial values first; for a large model that is two or three times its size in
 * memory. Here every initializer is replaced by zeros (never touched, so the operating system
 * backs them with no memory), and the weights are assigned as given, so building costs about the
 * model's own size. `loadWeights` is strict: a weight the topology has and `weights` lacks (or
 * the reverse) is an error, so no zero is ever left serving.
 */
export async function buildLayersModel(
  modelTopology: object,
  weights: tf.NamedTensorMap,
): Promise<LayersModel> {
  try {
    const model = await loadLayersModel({
      load: async () => ({ modelTopology: zeroInitializers(modelTopology) }),
    });
    try {
      model.loadWeights(weights, true);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  } finally {
    // The model's variables now share these tensors' data; dropping our references frees nothing
    // it uses, and frees everything when loading failed.
    tf.dispose(Object.values(weights));
  }
}

const ZEROS = { class_name: 'Zeros', config: {} } as const;

/** A deep copy of a Keras-style topology with every `*_initializer` set to zeros. */
function zeroInitializers(value: unknown): object {
  return replace(value) as object;
  function replace(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(replace);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k.endsWith('_initializer') && x !== null ? ZEROS : replace(x)]),
    );
  }
}
