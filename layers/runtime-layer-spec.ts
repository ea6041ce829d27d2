/**
 * What goes into the runtime layer, and why (DESIGN.md #8). Each package here is left out of the
 * handler bundles (esbuild `external`) and shipped once, in the layer, with only the files Lambda
 * loads: the layer build traces the `require` graph from each package's Node entry point, then adds the `assets` a
 * package opens by a computed path, which no tracer can see.
 */
export interface LayerPackage {
  /** The npm package name, as the handlers `require` it. */
  readonly name: string;
  /** Why it is in the layer rather than in the bundle. */
  readonly why: string;
  /** Files (globs relative to the package directory) the package reads by a computed path. */
  readonly assets: readonly string[];
  /**
   * An optional dependency that may be absent (the build skips it, saying so).
   * @default false
   */
  readonly optional?: boolean;
}

/**
 * The TF.js runtime: the packages of the runtime layer. Not in it, and bundled instead: zod,
 * Powertools, the AWS SDK clients and pg. They are small once esbuild has tree-shaken them,
 * carry no binaries, and should change version with the code that calls them.
 */
export const RUNTIME_LAYER_PACKAGES: readonly LayerPackage[] = [
  {
    name: '@tensorflow/tfjs-core',
    why: 'the tensor engine every backend registers with; 1.2 MB minified that changes only with TF.js',
    assets: [],
  },
  {
    name: '@tensorflow/tfjs-layers',
    why: 'loads and runs the layers-API model (model.json + weights); changes only with TF.js',
    assets: [],
  },
  {
    name: '@tensorflow/tfjs-backend-cpu',
    why: 'the pure-JS backend, the default on Lambda (measured faster than wasm for this model)',
    assets: [],
  },
  {
    name: '@tensorflow/tfjs-backend-wasm',
    why: 'the wasm backend: its .wasm binaries are opened by path at run time, so they cannot be bundled',
    // The loader opens `dist/<name>.wasm` beside its own file (strace shows it). On Node it never
    // picks the threaded build (tfjs#3830), so only the simd and plain builds are shipped; it
    // chooses between those two by the CPU's SIMD support, so both stay.
    assets: ['dist/tfjs-backend-wasm.wasm', 'dist/tfjs-backend-wasm-simd.wasm'],
  },
  {
    name: '@tensorflow/tfjs-node',
    why: 'the native libtensorflow backend, fastest, but ~370 MB unzipped: over the 250 MB limit alone',
    // The binding finds libtensorflow through its rpath, not through a require the tracer can follow.
    assets: ['lib/**', 'deps/lib/**'],
    optional: true,
  },
];

/** Names of the layer's packages: the handler bundles' `external` list. */
export const LAYER_PACKAGE_NAMES: readonly string[] = RUNTIME_LAYER_PACKAGES.map((p) => p.name);

/**
 * Files never loaded on Lambda even when a traced package lists them: type declarations,
 * source maps, docs, tests. The tracer already leaves most of them out; this is the backstop
 * for assets globs, so a broad glob cannot drag them in.
 */
export const NEVER_LOADED: readonly RegExp[] = [
  /\.d\.[cm]?ts$/,
  /\.map$/,
  /\.md$/i,
  /(^|\/)(test|tests|__tests__|docs?|examples?)\//,
  /(^|\/)\.[^/]+$/,
];

/** License files stay with every package that ships code (their licenses require it). */
export const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.[a-z]+)?$/i;
