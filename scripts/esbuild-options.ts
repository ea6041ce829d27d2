import type { BuildOptions } from 'esbuild';

/**
 * Packages the handler bundle does not contain: the TF.js runtime lives in the runtime layer
 * (DESIGN.md #8), where its wasm binaries and the optional native backend sit beside it.
 */
export const LAYER_PACKAGES = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
] as const;

/** The one esbuild configuration for Lambda handlers, shared by `npm run build` and the CDK app. */
export function handlerBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    // Node 20 syntax runs on both the local Node 20 and Lambda's nodejs24.x.
    target: 'node20',
    format: 'cjs',
    minify: true,
    treeShaking: true,
    sourcemap: 'external',
    external: [...LAYER_PACKAGES],
    legalComments: 'none',
    logLevel: 'warning',
  };
}
