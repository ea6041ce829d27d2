import type { LayersModel } from '@tensorflow/tfjs-layers';
import { COLUMNS_OF_SCOPE } from '../features';

type Activation = (x: number) => number;

/** Activations the dense pass computes exactly as TF.js defines them; any other → TF.js scores. */
const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  relu6: (x) => (x > 0 ? Math.min(x, 6) : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
};

// Layers that pass their input through unchanged at inference.
const IDENTITY_LAYERS = new Set([
  'InputLayer',
  'Dropout',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
]);

// Above this many weights the wasm or native kernels (many cores, SIMD) beat a scalar loop.
const MAX_WEIGHTS = 1 << 20;

/** One Dense layer's weights: `kernel` is row-major `inputs × units` (Keras's layout). */
export interface DenseLayer {
  readonly inputs: number;
  readonly units: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array | undefined;
  readonly activation: string;
}

/**
 * A forward pass over a stack of Dense layers in plain JavaScript: the model's own weights,
 * copied once from the TF.js model, applied row by row. For the small models this service
 * serves it scores 20,000 pairs several times faster than a TF.js call (`npm run bench`, "model
 * call"), which pays for tensor creation, kernel dispatch and copies on every request. The first
 * layer skips zero features (most of a row: one-hot and missing flags). Sums run in float64 and
 * each layer's output is rounded to float32, as TF.js stores it; `test/lambda/model/dense-forward.test.ts`
 * holds its scores to TF.js's within 1e-5.
 */
export class DenseForward {
  private readonly activations: readonly Activation[];
  private readonly width: number;

  /** The matcher's own shape, relu hidden layer → one sigmoid output, scored by a loop made for it. */
  private readonly reluSigmoid: boolean;

  constructor(readonly layers: readonly DenseLayer[]) {
    this.activations = layers.map((l) => ACTIVATIONS[l.activation] as Activation);
    this.width = Math.max(...layers.map((l) => l.units));
    this.reluSigmoid =
      layers.length === 2 &&
      layers[0]?.activation === 'relu' &&
      layers[1]?.activation === 'sigmoid' &&
      layers[1]?.units === 1;
  }

  /**
   * The same scores for a request's `budgets × items` rows as `pairFeatures` lays them out
   * (budgets outer, items inner), using its scopes: a budget's columns are the same in all its
   * rows and an item's in all of its, so the first layer sums them once per budget and once per
   * item, and only the pair columns once per pair. The sums run in another order than
   * {@link score}'s (float64, then rounded to float32 as TF.js stores them): the scores agree
   * within 1e-6. The model's first layer must take the feature spec's columns.
   */
  scoreScoped(features: Float32Array, budgets: number, items: number): Float32Array {
    const rows = budgets * items;
    const out = new Float32Array(rows);
    if (rows === 0) return out;
    const first = this.layers[0] as DenseLayer;
    const { inputs, units, kernel, bias } = first;
    const activate = this.activations[0] as Activation;
    const partial = (row: number, columns: readonly number[], target: Float64Array, at: number) => {
      for (const j of columns) {
        const v = features[row * inputs + j] as number;
        if (v === 0) continue;
        const w = j * units;
        for (let u = 0; u < units; u++)
          target[at + u] = (target[at + u] as number) + v * (kernel[w + u] as number);
      }
    };
    const itemParts = new Float64Array(items * units);
    for (let i = 0; i < items; i++) partial(i, SCOPED.item, itemParts, i * units);
    const budgetPart = new Float64Array(units);
    if (this.reluSigmoid) {
      const output = this.layers[1] as DenseLayer;
      const pair = SCOPED_PAIR;
      const h = new Float64Array(units);
      for (let budget = 0; budget < budgets; budget++) {
        for (let u = 0; u < units; u++) budgetPart[u] = bias === undefined ? 0 : (bias[u] as number);
        partial(budget * items, SCOPED.budget, budgetPart, 0);
        for (let i = 0; i < items; i++) {
          const offset = (budget * items + i) * inputs;
          const at = i * units;
          for (let u = 0; u < units; u++) h[u] = (budgetPart[u] as number) + (itemParts[at + u] as number);
          for (let k = 0; k < pair.length; k++) {
            const j = pair[k] as number;
            const v = features[offset + j] as number;
            if (v === 0) continue;
            const w = j * units;
            for (let u = 0; u < units; u++) h[u] = (h[u] as number) + v * (kernel[w + u] as number);
          }
          out[budget * items + i] = reluSigmoidOutput(h, units, output);
        }
      }
      return out;
    }
    let a = new Float64Array(this.width);
    let b = new Float64Array(this.width);
    const pairColumns = SCOPED.pair;
    for (let budget = 0; budget < budgets; budget++) {
      for (let u = 0; u < units; u++) budgetPart[u] = bias === undefined ? 0 : (bias[u] as number);
      partial(budget * items, SCOPED.budget, budgetPart, 0);
      for (let i = 0; i < items; i++) {
        const offset = (budget * items + i) * inputs;
        for (let u = 0; u < units; u++)
          a[u] = (budgetPart[u] as number) + (itemParts[i * units + u] as number);
        for (const j of pairColumns) {
          const v = features[offset + j] as number;
          if (v === 0) continue;
          const w = j * units;
          for (let u = 0; u < units; u++) a[u] = (a[u] as number) + v * (kernel[w + u] as number);
        }
        for (let u = 0; u < units; u++) a[u] = Math.fround(activate(a[u] as number));
        for (let l = 1; l < this.layers.length; l++) {
          denseLayer(this.layers[l] as DenseLayer, this.activations[l] as Activation, a, b);
          const t = a;
          a = b;
          b = t;
        }
        out[budget * items + i] = a[0] as number;
      }
    }
    return out;
  }

  /** The model's first output for each of `rows` rows of `features` (row-major). */
  score(features: Float32Array, rows: number): Float32Array {
    const out = new Float32Array(rows);
    const first = this.layers[0] as DenseLayer;
    const inputs = first.inputs;
    if (this.reluSigmoid) {
      const { units, kernel, bias } = first;
      const output = this.layers[1] as DenseLayer;
      const h = new Float64Array(units);
      for (let r = 0; r < rows; r++) {
        const offset = r * inputs;
        for (let u = 0; u < units; u++) h[u] = bias === undefined ? 0 : (bias[u] as number);
        for (let j = 0; j < inputs; j++) {
          const v = features[offset + j] as number;
          if (v === 0) continue;
          const w = j * units;
          for (let u = 0; u < units; u++) h[u] = (h[u] as number) + v * (kernel[w + u] as number);
        }
        out[r] = reluSigmoidOutput(h, units, output);
      }
      return out;
    }
    let a = new Float64Array(this.width);
    let b = new Float64Array(this.width);
    for (let r = 0; r < rows; r++) {
      sparseLayer(first, this.activations[0] as Activation, features, r * inputs, a);
      for (let l = 1; l < this.layers.length; l++) {
        denseLayer(this.layers[l] as DenseLayer, this.activations[l] as Activation, a, b);
        const t = a;
        a = b;
        b = t;
      }
      out[r] = a[0] as number;
    }
    return out;
  }
}

/**
 * The output of the relu → sigmoid shape from the hidden layer's sums `h`: each unit rounded to
 * float32 after relu as TF.js stores it, then the one sigmoid unit. Monomorphic, with no
 * activation calls: most of the model call's time per pair in the generic pass.
 */
function reluSigmoidOutput(h: Float64Array, units: number, output: DenseLayer): number {
  const k = output.kernel;
  let z = output.bias === undefined ? 0 : (output.bias[0] as number);
  for (let u = 0; u < units; u++) {
    const x = h[u] as number;
    if (x > 0) z += Math.fround(x) * (k[u] as number);
  }
  return Math.fround(1 / (1 + Math.exp(-z)));
}

// Plain arrays of the column indices of each scope, read in the scoped pass's inner loops.
const SCOPED = {
  budget: [...COLUMNS_OF_SCOPE.budget],
  item: [...COLUMNS_OF_SCOPE.item],
  pair: [...COLUMNS_OF_SCOPE.pair],
};
const SCOPED_PAIR = Int32Array.from(COLUMNS_OF_SCOPE.pair);

/** The first layer over one feature row at `offset`, skipping zero features. */
function sparseLayer(
  layer: DenseLayer,
  activate: Activation,
  x: Float32Array,
  offset: number,
  y: Float64Array,
): void {
  const { units, inputs, kernel, bias } = layer;
  for (let u = 0; u < units; u++) y[u] = bias === undefined ? 0 : (bias[u] as number);
  for (let j = 0; j < inputs; j++) {
    const v = x[offset + j] as number;
    if (v === 0) continue;
    const w = j * units;
    for (let u = 0; u < units; u++) y[u] = (y[u] as number) + v * (kernel[w + u] as number);
  }
  for (let u = 0; u < units; u++) y[u] = Math.fround(activate(y[u] as number));
}

function denseLayer(layer: DenseLayer, activate: Activation, x: Float64Array, y: Float64Array): void {
  const { units, inputs, kernel, bias } = layer;
  for (let u = 0; u < units; u++) y[u] = bias === undefined ? 0 : (bias[u] as number);
  for (let j = 0; j < inputs; j++) {
    const v = x[j] as number;
    if (v === 0) continue;
    const w = j * units;
    for (let u = 0; u < units; u++) y[u] = (y[u] as number) + v * (kernel[w + u] as number);
  }
  for (let u = 0; u < units; u++) y[u] = Math.fround(activate(y[u] as number));
}

/**
 * The dense pass for a TF.js model, when the model is a Sequential stack of Dense layers (with
 * identity layers such as Dropout between) whose activations it knows and whose weights are
 * few; `undefined` otherwise, and TF.js scores that model.
 */
export function denseForwardOf(model: LayersModel): DenseForward | undefined {
  if (model.getClassName() !== 'Sequential') return undefined;
  const layers: DenseLayer[] = [];
  let weights = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (IDENTITY_LAYERS.has(kind)) continue;
    if (kind !== 'Dense') return undefined;
    const config = layer.getConfig() as { activation?: unknown; useBias?: unknown; units?: unknown };
    const activation = typeof config.activation === 'string' ? config.activation : 'linear';
    if (!(activation in ACTIVATIONS)) return undefined;
    const tensors = layer.getWeights();
    const kernel = tensors[0];
    if (kernel?.rank !== 2 || kernel.dtype !== 'float32') return undefined;
    const [inputs, units] = kernel.shape as [number, number];
    const bias = config.useBias === false ? undefined : tensors[1];
    if (bias && (bias.dtype !== 'float32' || bias.size !== units)) return undefined;
    weights += kernel.size + (bias?.size ?? 0);
    if (weights > MAX_WEIGHTS) return undefined;
    const previous = layers.at(-1);
    if (previous && previous.units !== inputs) return undefined;
    layers.push({
      inputs,
      units,
      kernel: Float32Array.from(kernel.dataSync() as Float32Array),
      bias: bias ? Float32Array.from(bias.dataSync() as Float32Array) : undefined,
      activation,
    });
  }
  // One probability per row, as the service reads it.
  return layers.length > 0 && layers.at(-1)?.units === 1 ? new DenseForward(layers) : undefined;
}
