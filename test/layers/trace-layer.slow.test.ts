import { join } from 'node:path';
import { RUNTIME_LAYER_PACKAGES, traceLayerFiles } from '../../layers';

const nodeModules = join(__dirname, '..', '..', 'node_modules');

describe('traceLayerFiles', () => {
  let files: readonly string[];
  let skipped: readonly string[];

  beforeAll(async () => {
    ({ files, skipped } = await traceLayerFiles({
      packages: RUNTIME_LAYER_PACKAGES,
      nodeModules,
    }));
  });

  it('keeps the node entry point of every installed TF.js package and what it requires', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '@tensorflow/tfjs-core/package.json',
        '@tensorflow/tfjs-core/dist/tf-core.node.js',
        '@tensorflow/tfjs-layers/dist/tf-layers.node.js',
        '@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.node.js',
        '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js',
        'seedrandom/index.js',
      ]),
    );
  });

  it('adds the wasm binaries the wasm backend opens by path, but not the threaded build Node never uses', () => {
    expect(files).toContain('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    expect(files).toContain('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm');
    expect(files.some((f) => f.includes('threaded-simd'))).toBe(false);
  });

  it('leaves out browser bundles, ESM copies, type declarations, source maps and docs', () => {
    expect(files.some((f) => f.endsWith('.d.ts'))).toBe(false);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
    expect(files.some((f) => /README\.md$/i.test(f))).toBe(false);
    expect(files).not.toContain('@tensorflow/tfjs-core/dist/tf-core.min.js');
    expect(files).not.toContain('@tensorflow/tfjs-core/dist/index.js');
    expect(files.some((f) => f.includes('/miniprogram/'))).toBe(false);
    expect(files.some((f) => f.startsWith('@types/') || f.startsWith('@webgpu/types/'))).toBe(false);
  });

  it('keeps license files with the code', () => {
    expect(files).toContain('node-fetch/LICENSE.md');
    expect(files).toContain('whatwg-url/LICENSE.txt');
  });

  it('reports an optional package that is not installed as skipped', async () => {
    const { skipped: none } = await traceLayerFiles({
      packages: [{ name: '@example/not-installed', why: 'test', assets: [], optional: true }],
      nodeModules,
    });

    expect(none).toEqual(['@example/not-installed']);
    expect(skipped).toEqual(['@tensorflow/tfjs-node']);
  });

  it('leaves out an installed package the build excludes', async () => {
    const { files: withoutWasm } = await traceLayerFiles({
      packages: RUNTIME_LAYER_PACKAGES,
      nodeModules,
      exclude: ['@tensorflow/tfjs-backend-wasm'],
    });

    expect(withoutWasm.some((f) => f.startsWith('@tensorflow/tfjs-backend-wasm/'))).toBe(false);
  });
});
