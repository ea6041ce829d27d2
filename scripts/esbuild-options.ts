import type { BuildOptions } from 'esbuild';
import { LAYER_PACKAGE_NAMES } from '../layers';

/** One Lambda handler the build bundles. */
export interface HandlerEntry {
  /** Its name: the `dist/<name>/` folder and the CDK function it becomes. */
  readonly name: string;
  /** The TypeScript entry point exporting `handler`. */
  readonly entry: string;
  /** Directories copied beside the bundle, `[from, to]` with `to` relative to the code root. */
  readonly copy?: readonly (readonly [string, string])[];
}

/**
 * Every handler the build knows. An entry whose file does not exist yet is skipped with a log
 * line, so the build works while the writer and monitor are still being written.
 */
export const HANDLERS: readonly HandlerEntry[] = [
  // The default model rides with the function, where `MODEL_DIR`'s default finds it in /var/task.
  { name: 'predict', entry: 'lambda/predict.ts', copy: [['models/default', 'models/default']] },
  // Both open the results database on first use and apply its migrations (`MIGRATIONS_DIR`'s
  // default, `db/migrations` under /var/task).
  { name: 'writer', entry: 'lambda/writer.ts', copy: [['db/migrations', 'db/migrations']] },
  { name: 'monitor', entry: 'lambda/monitor.ts', copy: [['db/migrations', 'db/migrations']] },
  // Batch scoring (Step Functions) scores with the predict function's code and default model.
  { name: 'batch', entry: 'lambda/batch.ts', copy: [['models/default', 'models/default']] },
  // POST /feedback alone, so that writing labels is a permission of its own.
  { name: 'labels', entry: 'lambda/labels.ts', copy: [] },
];

/**
 * Packages the code can load only outside Lambda: left out of the bundles and out of the layer.
 * PGlite is the local results database (loaded lazily when no `DATABASE_URL` or secret is
 * set); pg-native is pg's optional native driver. `npm run check:lambda` fails if a handler
 * requires one of them on a path the events take.
 */
export const LOCAL_ONLY_PACKAGES = [
  '@electric-sql/pglite',
  '@electric-sql/pglite-socket',
  'pg-native',
] as const;

/**
 * The one esbuild configuration for Lambda handlers, shared by `npm run build` and the CDK app.
 *
 * The AWS SDK v3 is bundled, not left to the runtime: the runtime's copy changes version under
 * us without notice, while a bundled one is the version the tests ran against; esbuild keeps
 * only the clients and commands used (a few hundred KB, visible in the size report).
 */
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
    // No `keepNames`: it adds about 5% to the predict zip (244 to 256 KB when measured). The error
    // classes write their names as literals instead (lambda/errors.ts), which survive minifying;
    // test/scripts/esbuild-options.test.ts runs the bundle and holds every class to it.
    treeShaking: true,
    sourcemap: 'external',
    // The TF.js runtime is in the runtime layer (layers/runtime-layer-spec.ts says why each is).
    external: [...LAYER_PACKAGE_NAMES, ...LOCAL_ONLY_PACKAGES],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
}
