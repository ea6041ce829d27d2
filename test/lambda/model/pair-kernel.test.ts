import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRequest } from '../../../lambda/contract';
import { Normaliser, pairFeatures } from '../../../lambda/features';
import { type DenseForward, denseForwardOf, type NamedWeight } from '../../../lambda/model';
import { PAIR_KERNEL_WASM } from '../../../lambda/model/pair-kernel-bytes';
import { assemblePairKernel, KERNEL_BYTES } from '../../../scripts/build-kernel';
import { generatePairs } from '../../../train/generate-pairs';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', 'models', 'default');

/** The default model's dense pass, read from its model.json and weights file. */
function defaultDense(): DenseForward {
  const model = JSON.parse(readFileSync(join(DEFAULT_MODEL, 'model.json'), 'utf8')) as {
    modelTopology: unknown;
    weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[] }> }>;
  };
  const weights = new Map<string, NamedWeight>();
  for (const group of model.weightsManifest) {
    const data = Buffer.concat(group.paths.map((p) => readFileSync(join(DEFAULT_MODEL, p))));
    let offset = 0;
    for (const { name, shape } of group.weights) {
      const size = shape.reduce((n, d) => n * d, 1);
      const values = new Float32Array(size);
      for (let k = 0; k < size; k++) values[k] = data.readFloatLE(offset + 4 * k);
      weights.set(name, { shape, values });
      offset += 4 * size;
    }
  }
  const dense = denseForwardOf(model.modelTopology, weights);
  if (!dense) throw new Error('the default model is not a dense stack');
  return dense;
}

function generatedRequests(users: number, seed: number) {
  return [...generatePairs({ seed, users })].map((user) => {
    const parsed = parseRequest(user.request);
    const n = new Normaliser();
    const budgets = parsed.budgets.flatMap((b) => (b.ok ? [n.budget(b.value)] : []));
    const items = parsed.items.flatMap((i) => (i.ok ? [n.item(i.value)] : []));
    return { matrix: pairFeatures(budgets, items), budgets: budgets.length, items: items.length };
  });
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('the WebAssembly pair kernel', () => {
  it('is pair-kernel.wat as wabt assembles it (npm run build:kernel)', async () => {
    const assembled = await assemblePairKernel();

    expect(readFileSync(KERNEL_BYTES, 'utf8')).toBe(assembled);
    expect(WebAssembly.validate(Buffer.from(PAIR_KERNEL_WASM, 'base64'))).toBe(true);
  });

  it("gives the default model's scores of generated requests within 1e-6 of the scalar pass, the largest request first", () => {
    const dense = defaultDense();
    // Largest first: the kernel's memory grows once, and smaller requests reuse it.
    const requests = generatedRequests(40, 777)
      .filter((r) => r.budgets * r.items >= 32)
      .sort((a, b) => b.budgets * b.items - a.budgets * a.items);
    let pairs = 0;
    let worst = 0;

    for (const { matrix, budgets, items } of requests) {
      const simd = dense.scoreBlocks(matrix, budgets, items, true);
      const scalar = dense.scoreBlocks(matrix, budgets, items, false);
      worst = Math.max(worst, maxDifference(simd, scalar));
      pairs += budgets * items;
    }

    expect(requests.length).toBeGreaterThan(10);
    expect(pairs).toBeGreaterThan(2000);
    expect(worst).toBeLessThan(1e-6);
  });

  it('does not carry one request into the next (a smaller request after a larger one)', () => {
    const dense = defaultDense();
    const [large, small] = generatedRequests(40, 778)
      .filter((r) => r.budgets * r.items >= 32)
      .sort((a, b) => b.budgets * b.items - a.budgets * a.items);
    if (!large || !small) throw new Error('two generated requests of 32 pairs or more expected');

    const alone = Float32Array.from(dense.scoreBlocks(small.matrix, small.budgets, small.items));
    dense.scoreBlocks(large.matrix, large.budgets, large.items);
    const after = dense.scoreBlocks(small.matrix, small.budgets, small.items);

    expect(Array.from(after)).toEqual(Array.from(alone));
  });
});
