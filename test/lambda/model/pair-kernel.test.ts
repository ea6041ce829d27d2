import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemblePairKernel, KERNEL_BYTES } from '../../../scripts/build-kernel';
import { denseOfDirectory } from '../../helpers/dense-of-directory';
import { generatedRequests, maxDifference } from '../../helpers/generated-features';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', 'models', 'default');

const defaultDense = () => denseOfDirectory(DEFAULT_MODEL);

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
