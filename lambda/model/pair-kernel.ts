import { PAIR_KERNEL_WASM } from './pair-kernel-bytes';

const PAGE = 65_536;
// Hidden units a chunk of the kernel sums (four f32x4 sums); the layer is padded to a multiple.
const CHUNK_UNITS = 16;

// The few WebAssembly JS API members used here (the project's `lib` has no DOM types, where
// TypeScript declares them).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

// Compiled once a process, on first use (never at load: a cold start's first request is small
// and scored without it); `null` when this runtime has no WebAssembly SIMD.
let compiled: object | null | undefined;

function compiledKernel(): object | null {
  if (compiled === undefined) {
    const bytes = Buffer.from(PAIR_KERNEL_WASM, 'base64');
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

type PairsExport = (
  budgets: number,
  items: number,
  features: number,
  stride: number,
  cols: number,
  ncols: number,
  weights: number,
  chunks: number,
  output: number,
  budgetPart: number,
  itemPart: number,
  out: number,
  scratch: number,
) => void;

const align = (n: number) => (n + 15) & ~15;

/**
 * The per-pair part of a one-hidden-layer, ReLU, one-output dense pass in WebAssembly SIMD
 * (`pair-kernel.wat`): for each pair of a `pairFeatures` block, the pair columns' part of the
 * first layer added to its budget's and its item's (computed once each by `DenseForward`), then
 * ReLU and the output layer's sum, sixteen hidden units in four f32x4 sums, zero columns skipped.
 * Sums run in float32, as TF.js's kernels sum. It replaced the scalar JavaScript loop of
 * `DenseForward.scoreBlocks` for that shape: measured in `npm run bench` ("model call block pass"
 * and the profile), and held to TF.js within 1e-5 by `test/lambda/model/dense-forward.test.ts`.
 * One instance per model, with its own memory; a call never awaits, so calls never overlap.
 */
export class PairKernel {
  private readonly memory: WasmMemory;
  private readonly pairs: PairsExport;
  private readonly paddedUnits: number;
  private readonly unitBytes: number;
  private readonly ncols: number;
  private readonly colsAt = 0;
  private readonly weightsAt: number;
  private readonly outputAt: number;
  private readonly scratchAt: number;
  private readonly dynamicAt: number;

  private constructor(
    module: object,
    private readonly units: number,
    kernel: Float32Array,
    pairColumns: Int32Array,
    output: Float32Array,
  ) {
    const instance = new (wasm as WasmApi).Instance(module, {});
    this.memory = instance.exports.memory as WasmMemory;
    this.pairs = instance.exports.pairs as PairsExport;
    this.paddedUnits = Math.ceil(units / CHUNK_UNITS) * CHUNK_UNITS;
    this.unitBytes = this.paddedUnits * 4;
    this.ncols = pairColumns.length;
    this.weightsAt = align(this.colsAt + this.ncols * 4);
    this.outputAt = this.weightsAt + this.ncols * this.unitBytes;
    this.scratchAt = this.outputAt + this.unitBytes;
    this.dynamicAt = align(this.scratchAt + this.ncols * 8);
    this.reserve(this.dynamicAt);
    const buffer = this.memory.buffer;
    const cols = new Int32Array(buffer, this.colsAt, this.ncols);
    const weights = new Float32Array(buffer, this.weightsAt, this.ncols * this.paddedUnits);
    const out = new Float32Array(buffer, this.outputAt, this.paddedUnits);
    pairColumns.forEach((c, p) => {
      cols[p] = c * 4;
      weights.set(kernel.subarray(c * units, (c + 1) * units), p * this.paddedUnits);
    });
    out.set(output.subarray(0, units));
  }

  /**
   * The kernel for a first layer of `units` units whose `kernel` is row-major `inputs × units`,
   * of which the kernel takes the rows `pairColumns`, and an output layer of one unit whose
   * kernel is `output`; `undefined` when this runtime has no WebAssembly SIMD.
   */
  static create(
    units: number,
    kernel: Float32Array,
    pairColumns: Int32Array,
    output: Float32Array,
  ): PairKernel | undefined {
    const module = compiledKernel();
    return module === null ? undefined : new PairKernel(module, units, kernel, pairColumns, output);
  }

  /**
   * For each of the `budgets × items` rows of `features` (`inputs` columns, budgets outer), the
   * output layer's sum without its bias, given each budget's and each item's part of the first
   * layer (`units` wide, the first layer's bias in the budget's). The result is a view into the
   * kernel's memory: read it before the next call.
   */
  sums(
    features: Float32Array,
    inputs: number,
    budgets: number,
    items: number,
    budgetPart: Float64Array,
    itemPart: Float64Array,
  ): Float32Array {
    const rows = budgets * items;
    const { units, paddedUnits, unitBytes } = this;
    const budgetAt = this.dynamicAt;
    const itemAt = budgetAt + budgets * unitBytes;
    const featuresAt = itemAt + items * unitBytes;
    const outAt = align(featuresAt + rows * inputs * 4);
    this.reserve(outAt + rows * 4);
    const buffer = this.memory.buffer;
    const parts = new Float32Array(buffer, budgetAt, (budgets + items) * paddedUnits);
    if (paddedUnits === units) {
      parts.set(budgetPart.subarray(0, budgets * units));
      parts.set(itemPart.subarray(0, items * units), budgets * units);
    } else {
      parts.fill(0);
      for (let b = 0; b < budgets; b++)
        parts.set(budgetPart.subarray(b * units, (b + 1) * units), b * paddedUnits);
      for (let i = 0; i < items; i++)
        parts.set(itemPart.subarray(i * units, (i + 1) * units), (budgets + i) * paddedUnits);
    }
    new Float32Array(buffer, featuresAt, rows * inputs).set(features.subarray(0, rows * inputs));
    this.pairs(
      budgets,
      items,
      featuresAt,
      inputs * 4,
      this.colsAt,
      this.ncols,
      this.weightsAt,
      paddedUnits / CHUNK_UNITS,
      this.outputAt,
      budgetAt,
      itemAt,
      outAt,
      this.scratchAt,
    );
    return new Float32Array(buffer, outAt, rows);
  }

  /** Grows the memory to at least `bytes` (kept afterwards: the next large request reuses it). */
  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}
