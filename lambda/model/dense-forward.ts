import { COLUMNS_OF_SCOPE } from '../features';
import { PairKernel } from './pair-kernel';

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

/** A float32 weight of an artifact, by the name its weights manifest gives it. */
export interface NamedWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * A forward pass over a stack of Dense layers in plain JavaScript: the model's own weights,
 * copied once from the artifact, applied row by row. For the small models this service serves it
 * scores 20,000 pairs faster than a TF.js call, which pays for tensor creation, kernel dispatch
 * and copies on every request, and it needs no TF.js at all: a model it covers is served without
 * loading TF.js (`npm run bench`, cold start). The first layer skips zero features (most of a
 * row: one-hot and missing flags). Sums run in float64 and each layer's output is rounded to
 * float32, as TF.js stores it; `test/lambda/model/dense-forward.test.ts` holds its scores to
 * TF.js's within 1e-5.
 */
export class DenseForward {
  private readonly activations: readonly Activation[];
  private readonly width: number;
  /** The first layer's kernel in float64, as {@link scoreBlocks} sums it. */
  private readonly firstKernel: Float64Array;
  /** A layer's input and output, reused by every call (a pass never awaits, so never overlaps another). */
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly offsets = new Int32Array(PAIR_COLUMNS.length);
  private readonly values = new Float64Array(PAIR_COLUMNS.length);
  /** The WebAssembly kernel of {@link scoreBlocks}, made on first use; `null` when it cannot be. */
  private kernel: PairKernel | null | undefined;

  constructor(readonly layers: readonly DenseLayer[]) {
    this.activations = layers.map((l) => ACTIVATIONS[l.activation] as Activation);
    this.width = Math.max(...layers.map((l) => l.units));
    this.firstKernel = Float64Array.from((layers[0] as DenseLayer).kernel);
    this.x = new Float64Array(this.width);
    this.y = new Float64Array(this.width);
  }

  /** How many features a row has: the first layer's inputs. */
  get inputs(): number {
    return (this.layers[0] as DenseLayer).inputs;
  }

  /**
   * The same scores for the rows `pairFeatures` writes for `budgets × items` pairs (budgets
   * outer, items inner), with the first layer split by the columns' scopes (`COLUMNS_OF_SCOPE`):
   * each budget's columns (alike in every row of its block) and each item's columns (alike in
   * every block) are multiplied by their part of the first layer once, and per pair only the pair
   * columns. Measured on 10 × 2,000 pairs: see `npm run bench`, "model call". Sums run in float64
   * in another order than {@link score}'s, so a score may differ from it in float32's last digit.
   *
   * For the served shape (one ReLU hidden layer, one output) the per-pair part runs in the
   * WebAssembly SIMD kernel (`PairKernel`), with sums in float32 as TF.js sums; `simd: false`
   * keeps the scalar JavaScript loop (float64 sums; also where WebAssembly SIMD is missing).
   */
  scoreBlocks(features: Float32Array, budgets: number, items: number, simd = true): Float32Array {
    const rows = budgets * items;
    const first = this.layers[0] as DenseLayer;
    const { units, inputs, kernel, bias } = first;
    // Below about 32 pairs splitting the first layer saves less than its set-up costs (1 pair:
    // 5.0 µs against 1.1 row by row; 16 pairs: 8.9 against 6.9; 64: 17 against 25).
    if (rows < MIN_BLOCK_ROWS || inputs !== FEATURE_COLUMNS) return this.score(features, rows);
    // The first layer's pre-activation, split: budget part (with the bias) and item part.
    const budgetPart = new Float64Array(budgets * units);
    for (let b = 0; b < budgets; b++) {
      const row = b * items * inputs;
      const o = b * units;
      for (let u = 0; u < units; u++) budgetPart[o + u] = bias === undefined ? 0 : (bias[u] as number);
      for (const c of BUDGET_COLUMNS) addRow(budgetPart, o, kernel, c, units, features[row + c] as number);
    }
    const itemPart = new Float64Array(items * units);
    for (let i = 0; i < items; i++) {
      const row = i * inputs;
      for (const c of ITEM_COLUMNS)
        addRow(itemPart, i * units, kernel, c, units, features[row + c] as number);
    }
    const k = this.firstKernel;
    const out = new Float32Array(rows);
    const pairColumns = PAIR_COLUMNS;
    const pairCount = pairColumns.length;
    const { offsets, values } = this;
    const fourUnits = units - (units % 4);
    const relu = first.activation === 'relu';
    const activate = this.activations[0] as Activation;
    const second = this.layers[1];
    const output = this.layers.length === 2 && second?.units === 1 ? second : undefined;
    const ow = output?.kernel ?? new Float32Array(0);
    const outputBias = output?.bias === undefined ? 0 : (output.bias[0] as number);
    const sigmoidOut = output?.activation === 'sigmoid';
    const outputActivate = this.activations[1];
    const fused = output !== undefined && relu;
    if (fused && simd) {
      this.kernel ??= PairKernel.create(units, kernel, PAIR_COLUMNS, ow) ?? null;
      if (this.kernel !== null) {
        const sums = this.kernel.sums(features, inputs, budgets, items, budgetPart, itemPart);
        for (let p = 0; p < rows; p++) {
          const sum = outputBias + (sums[p] as number);
          out[p] = sigmoidOut ? 1 / (1 + Math.exp(-sum)) : (outputActivate as Activation)(sum);
        }
        return out;
      }
    }
    let a = this.x;
    let next = this.y;
    let r = 0;
    for (let b = 0; b < budgets; b++) {
      const bo = b * units;
      for (let i = 0; i < items; i++, r++) {
        const io = i * units;
        const row = r * inputs;
        // The pair's non-zero columns, gathered without a branch (which zeros are is data: a
        // branch on it mispredicts; measured 2.2 ms of 20,000 pairs).
        let n = 0;
        for (let p = 0; p < pairCount; p++) {
          const c = pairColumns[p] as number;
          const v = features[row + c] as number;
          offsets[n] = c * units;
          values[n] = v;
          n += +(v !== 0);
        }
        // Four units at a time: four independent sums instead of one chain of dependent adds.
        let u = 0;
        let hidden = 0;
        for (; u < fourUnits; u += 4) {
          let s0 = (budgetPart[bo + u] as number) + (itemPart[io + u] as number);
          let s1 = (budgetPart[bo + u + 1] as number) + (itemPart[io + u + 1] as number);
          let s2 = (budgetPart[bo + u + 2] as number) + (itemPart[io + u + 2] as number);
          let s3 = (budgetPart[bo + u + 3] as number) + (itemPart[io + u + 3] as number);
          for (let j = 0; j < n; j++) {
            const v = values[j] as number;
            const w = (offsets[j] as number) + u;
            s0 += v * (k[w] as number);
            s1 += v * (k[w + 1] as number);
            s2 += v * (k[w + 2] as number);
            s3 += v * (k[w + 3] as number);
          }
          if (fused) {
            // ReLU and the output's sum straight from the four sums (no store and reload).
            hidden +=
              Math.fround(Math.max(s0, 0)) * (ow[u] as number) +
              Math.fround(Math.max(s1, 0)) * (ow[u + 1] as number) +
              Math.fround(Math.max(s2, 0)) * (ow[u + 2] as number) +
              Math.fround(Math.max(s3, 0)) * (ow[u + 3] as number);
            continue;
          }
          a[u] = s0;
          a[u + 1] = s1;
          a[u + 2] = s2;
          a[u + 3] = s3;
        }
        for (; u < units; u++) {
          let s = (budgetPart[bo + u] as number) + (itemPart[io + u] as number);
          for (let j = 0; j < n; j++) s += (values[j] as number) * (k[(offsets[j] as number) + u] as number);
          a[u] = s;
        }
        if (output) {
          // One hidden layer and one output unit (the served shape): the output's sum here.
          let sum = outputBias;
          if (fused) {
            for (u = fourUnits; u < units; u++)
              hidden += Math.fround(Math.max(a[u] as number, 0)) * (ow[u] as number);
            sum += hidden;
          } else if (relu)
            for (u = 0; u < units; u++) sum += Math.fround(Math.max(a[u] as number, 0)) * (ow[u] as number);
          else for (u = 0; u < units; u++) sum += Math.fround(activate(a[u] as number)) * (ow[u] as number);
          out[r] = sigmoidOut ? 1 / (1 + Math.exp(-sum)) : (outputActivate as Activation)(sum);
          continue;
        }
        if (relu) for (u = 0; u < units; u++) a[u] = Math.fround(Math.max(a[u] as number, 0));
        else for (u = 0; u < units; u++) a[u] = Math.fround(activate(a[u] as number));
        for (let l = 1; l < this.layers.length; l++) {
          fullLayer(this.layers[l] as DenseLayer, this.activations[l] as Activation, a, next);
          const t = a;
          a = next;
          next = t;
        }
        out[r] = a[0] as number;
      }
    }
    return out;
  }

  /** The model's first output for each of `rows` rows of `features` (row-major). */
  score(features: Float32Array, rows: number): Float32Array {
    const out = new Float32Array(rows);
    const first = this.layers[0] as DenseLayer;
    const inputs = first.inputs;
    let a = this.x;
    let b = this.y;
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

const BUDGET_COLUMNS = Int32Array.from(COLUMNS_OF_SCOPE.budget);
const ITEM_COLUMNS = Int32Array.from(COLUMNS_OF_SCOPE.item);
const PAIR_COLUMNS = Int32Array.from(COLUMNS_OF_SCOPE.pair);
const FEATURE_COLUMNS = BUDGET_COLUMNS.length + ITEM_COLUMNS.length + PAIR_COLUMNS.length;
const MIN_BLOCK_ROWS = 32;

/** Adds `v` times row `c` of `kernel` (`units` wide) to `y` at `o`. */
function addRow(y: Float64Array, o: number, kernel: Float32Array, c: number, units: number, v: number): void {
  if (v === 0) return;
  const w = c * units;
  for (let u = 0; u < units; u++) y[o + u] = (y[o + u] as number) + v * (kernel[w + u] as number);
}

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
 * A layer after the first in {@link DenseForward.scoreBlocks}: every input summed, zero or not (a
 * hidden layer's zeros fall where the data puts them, and a branch on them mispredicts).
 */
function fullLayer(layer: DenseLayer, activate: Activation, x: Float64Array, y: Float64Array): void {
  const { units, inputs, kernel, bias } = layer;
  for (let u = 0; u < units; u++) {
    let sum = bias === undefined ? 0 : (bias[u] as number);
    for (let j = 0; j < inputs; j++) sum += (x[j] as number) * (kernel[j * units + u] as number);
    y[u] = Math.fround(activate(sum));
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The dense pass for a layers-model artifact, read from the artifact alone (model.json's
 * `modelTopology` and the weights by name), so that TF.js need not be loaded to serve it: when
 * the model is a Sequential stack of Dense layers (with identity layers such as Dropout between)
 * whose activations it knows, whose weights are float32 and few, and whose every weight it uses,
 * ending in one output. `undefined` otherwise, and TF.js scores that model.
 */
export function denseForwardOf(
  modelTopology: unknown,
  weights: ReadonlyMap<string, NamedWeight>,
): DenseForward | undefined {
  const topology =
    isObject(modelTopology) && isObject(modelTopology.model_config)
      ? modelTopology.model_config
      : modelTopology;
  if (!isObject(topology) || topology.class_name !== 'Sequential') return undefined;
  const config = topology.config;
  const specs = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(specs)) return undefined;
  const layers: DenseLayer[] = [];
  const used = new Set<string>();
  let count = 0;
  let declaredInputs: unknown;
  for (const spec of specs) {
    if (!isObject(spec) || !isObject(spec.config)) return undefined;
    const kind = spec.class_name;
    const c = spec.config;
    if (layers.length === 0 && Array.isArray(c.batch_input_shape)) declaredInputs = c.batch_input_shape[1];
    if (typeof kind === 'string' && IDENTITY_LAYERS.has(kind)) continue;
    if (kind !== 'Dense' || typeof c.name !== 'string') return undefined;
    if (c.dtype !== undefined && c.dtype !== 'float32') return undefined;
    const activation = c.activation ?? 'linear';
    if (typeof activation !== 'string' || !(activation in ACTIVATIONS)) return undefined;
    const kernel = weights.get(`${c.name}/kernel`);
    const units = kernel?.shape[1];
    if (kernel?.shape.length !== 2 || units !== c.units || units === undefined) return undefined;
    const inputs = kernel.shape[0] as number;
    const useBias = c.use_bias !== false;
    const bias = useBias ? weights.get(`${c.name}/bias`) : undefined;
    if (useBias && (bias?.shape.length !== 1 || bias.shape[0] !== units)) return undefined;
    const previous = layers.at(-1);
    if (previous ? previous.units !== inputs : declaredInputs !== undefined && declaredInputs !== inputs)
      return undefined;
    count += kernel.values.length + (bias?.values.length ?? 0);
    if (count > MAX_WEIGHTS) return undefined;
    used.add(`${c.name}/kernel`);
    if (bias) used.add(`${c.name}/bias`);
    layers.push({
      inputs,
      units,
      kernel: Float32Array.from(kernel.values),
      bias: bias ? Float32Array.from(bias.values) : undefined,
      activation,
    });
  }
  // Every weight the artifact holds is one of these layers' (TF.js's own loading is as strict).
  if (used.size !== weights.size) return undefined;
  // One probability per row, as the service reads it.
  return layers.length > 0 && layers.at(-1)?.units === 1 ? new DenseForward(layers) : undefined;
}
