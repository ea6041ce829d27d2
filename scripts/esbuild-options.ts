import { dirname, resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { LAYER_PACKAGE_NAMES } from '../layers';

/** One Lambda handler the build bundles. */
export interface HandlerEntry {
  /** Its name: the `dist/<name>/` folder and the CDK function it becomes. */
  readonly name: string;
  /** The TypeScript entry point exporting `handler`. */
  readonly entry: string;
  /** Directories copied beside the bundle, `[from, to]` with `to` relative to the code root. */
  readonly copy?: readonly (readonly [string, string])[];
  /**
   * Bundled as an ES module, `index.mjs` (Lambda's handler string stays `index.handler`: its
   * runtime tries `index.js`, then `index.mjs`, then `index.cjs`), which waits for the entry's
   * `initialised` promise with a top-level `await` before exporting `handler`: the init can then
   * wait for asynchronous work (the results extension's registration) without blocking a thread.
   * @default CommonJS, `index.js`
   */
  readonly esm?: boolean;
  /**
   * The AWS SDK packages the bundle imports go into a file of their own beside it, `aws-sdk.js`,
   * loaded at their first use (`scripts/split-aws-sdk.ts`). @default bundled in
   */
  readonly splitAwsSdk?: boolean;
}

/** The bundle's file name in the zip: `index.mjs` for an ES module handler, else `index.js`. */
export function bundleFileName(handler: Pick<HandlerEntry, 'esm'>): string {
  return handler.esm ? 'index.mjs' : 'index.js';
}

/**
 * Every handler the build knows. An entry whose file does not exist yet is skipped with a log
 * line, so the build works while the writer and monitor are still being written.
 */
export const HANDLERS: readonly HandlerEntry[] = [
  // The default model rides with the function, where `MODEL_DIR`'s default finds it in /var/task.
  {
    name: 'predict',
    entry: 'lambda/predict.ts',
    copy: [['models/default', 'models/default']],
    esm: true,
    splitAwsSdk: true,
  },
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
export function handlerBuildOptions(
  entry: string,
  outfile: string,
  options: { readonly esm?: boolean } = {},
): BuildOptions {
  return {
    ...(options.esm ? esmEntry(entry) : { entryPoints: [entry], format: 'cjs', external: OUTSIDE_BUNDLE }),
    outfile,
    bundle: true,
    platform: 'node',
    // Node 20 syntax runs on both the local Node 20 and Lambda's nodejs24.x.
    target: 'node20',
    minify: true,
    // No `keepNames`: it adds about 5% to the predict zip (244 to 256 KB when measured). The error
    // classes write their names as literals instead (lambda/errors.ts), which survive minifying;
    // test/scripts/esbuild-options.test.ts runs the bundle and holds every class to it.
    treeShaking: true,
    sourcemap: 'external',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
}

// The TF.js runtime is in the runtime layer (layers/runtime-layer-spec.ts says why each is).
const OUTSIDE_BUNDLE = [...LAYER_PACKAGE_NAMES, ...LOCAL_ONLY_PACKAGES];

/**
 * Packages left outside an ES module bundle are loaded with `require` even where the code
 * imports them: Node's `import` does not read `NODE_PATH`, through which Lambda's runtime (and the
 * local one) puts the layer's `/opt/nodejs/node_modules` within the function's reach.
 */
const requireOutsideBundle: Plugin = {
  name: 'require-outside-bundle',
  setup(b) {
    const names = OUTSIDE_BUNDLE.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
    b.onResolve({ filter: new RegExp(`^(${names})(/.*)?$`) }, (args) =>
      args.namespace === 'require-outside-bundle'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'require-outside-bundle' },
    );
    b.onLoad({ filter: /.*/, namespace: 'require-outside-bundle' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * An ES module bundle of `entry`: a generated entry awaits its `initialised` export (top-level
 * `await`) and exports its `handler`. `require` is made from the module's URL, for the code
 * bundled from CommonJS and the lazy `require`s (its resolution, unlike `import`'s, reads
 * `NODE_PATH`, which is how Lambda puts the layer's `/opt/nodejs/node_modules` within reach).
 */
function esmEntry(entry: string): BuildOptions {
  const from = JSON.stringify(resolve(entry));
  return {
    stdin: {
      contents: `import * as fn from ${from};\nawait fn.initialised;\nexport const handler = fn.handler;\n`,
      resolveDir: dirname(resolve(entry)),
      sourcefile: 'index.mjs',
      loader: 'ts',
    },
    format: 'esm',
    plugins: [requireOutsideBundle],
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        'const require = __createRequire(import.meta.url);',
        'const __filename = __fileURLToPath(import.meta.url);',
        "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
      ].join(''),
    },
  };
}
