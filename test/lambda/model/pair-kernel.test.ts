import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRequest } from '../../../lambda/contract';
import { Normaliser, pairFeatures } from '../../../lambda/features';
import { assemblePairKernel, KERNEL_BYTES } from '../../../scripts/build-kernel';
import { generatePairs } from '../../../train/generate-pairs';
import { denseOfDirectory } from '../../helpers/dense-of-directory';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', 'models', 'default');

const defaultDense = () => denseOfDirectory(DEFAULT_MODEL);

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
