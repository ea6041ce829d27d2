import type { LayersModel } from '@tensorflow/tfjs-layers';

/** One batched forward pass: `rows` rows of `features` (row-major) → one probability per row. */
export type ForwardPass = (features: Float32Array, rows: number) => Float32Array;

const ACTIVATIONS = {
  linear: (x: number) => x,
  relu: (x: number) => Math.max(x, 0),
  sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
} as const;

type ActivationName = keyof typeof ACTIVATIONS;

interface DenseLayer {
  readonly inputs: number;
  readonly units: number;
  /** Row-major `[inputs][units]`, as TF.js stores a Dense kernel. */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: ActivationName;
}

/**
 * The matcher's model is a small stack of Dense layers, and TF.js's batched call costs far more
 * than its arithmetic for such a model: on 20,000 × 41 features the `cpu` backend takes about
 * 50 ms (one matMul alone 25 ms), the `wasm` backend about 280 ms; this pass takes the same
 * weights through the same layers row by row, in one loop that skips zero inputs (most features
 * are one-hot or flags) and allocates nothing per row, in about a third of that (README,
 * Benchmarks). TF.js still defines, trains, saves, loads and verifies the model; this only
 * evaluates it.
 *
 * Returns `undefined` for any model it cannot evaluate exactly (a layer other than Dense, an
 * activation not in {@link ACTIVATIONS}, an output wider than one unit), so the caller falls
 * back to TF.js.
 */
export function compileDenseForward(model: LayersModel): ForwardPass | undefined {
  const layers: DenseLayer[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dense') return undefined;
    const config = layer.getConfig() as { units?: number; activation?: string; useBias?: boolean };
    const activation = config.activation ?? 'linear';
    if (!(activation in ACTIVATIONS) || typeof config.units !== 'number') return undefined;
    const [kernel, bias] = layer.getWeights();
    if (kernel?.shape.length !== 2) return undefined;
    const [inputs, units] = kernel.shape as [number, number];
    if (units !== config.units) return undefined;
    layers.push({
      inputs,
      units,
      kernel: kernel.dataSync() as Float32Array,
      bias: config.useBias === false || !bias ? new Float32Array(units) : (bias.dataSync() as Float32Array),
      activation: activation as ActivationName,
    });
  }
  const first = layers[0];
  const last = layers.at(-1);
  if (!first || !last || last.units !== 1) return undefined;
  for (let i = 1; i < layers.length; i++) if (layers[i]?.inputs !== layers[i - 1]?.units) return undefined;

  return (features, rows) => {
    const width = first.inputs;
    if (features.length < rows * width) throw new RangeError(`${rows} rows need ${rows * width} features`);
    const out = new Float32Array(rows);
    // One scratch vector per layer, reused for every row.
    const scratch = layers.map((l) => new Float64Array(l.units));
    for (let row = 0; row < rows; row++) {
      let input: Float32Array | Float64Array = features;
      let offset = row * width;
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l] as DenseLayer;
        const acc = scratch[l] as Float64Array;
        const { kernel, bias, units, inputs } = layer;
        for (let u = 0; u < units; u++) acc[u] = bias[u] as number;
        for (let i = 0; i < inputs; i++) {
          const v = input[offset + i] as number;
          if (v === 0) continue;
          const k = i * units;
          for (let u = 0; u < units; u++) acc[u] = (acc[u] as number) + v * (kernel[k + u] as number);
        }
        const activate = ACTIVATIONS[layer.activation];
        for (let u = 0; u < units; u++) acc[u] = activate(acc[u] as number);
        input = acc;
        offset = 0;
      }
      out[row] = (input as Float64Array)[0] as number;
    }
    return out;
  };
}
