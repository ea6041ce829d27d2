import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { nodeFileTrace } from '@vercel/nft';
import { globSync } from 'tinyglobby';
import { type LayerPackage, LICENSE_FILE, NEVER_LOADED } from './runtime-layer-spec';

/** The files of the runtime layer, and what was left out. */
export interface LayerContents {
  /** Paths relative to `nodeModules`, sorted: what goes under `nodejs/node_modules/`. */
  readonly files: readonly string[];
  /** Layer packages that are not installed (optional ones, such as tfjs-node). */
  readonly skipped: readonly string[];
}

/** What to trace and what to keep. */
export interface TraceLayerOptions {
  /** The layer's packages (see `RUNTIME_LAYER_PACKAGES`). */
  readonly packages: readonly LayerPackage[];
  /** The project's `node_modules` directory. */
  readonly nodeModules: string;
  /**
   * Layer packages to leave out even when installed (e.g. `@tensorflow/tfjs-node` for a build
   * that ships the wasm and cpu backends only).
   * @default none
   */
  readonly exclude?: readonly string[];
}

/**
 * Lists the files the runtime layer needs: the `require` graph from each layer package's Node
 * entry point, which is what a bundle's `require('<package>')` loads (traced with
 * `@vercel/nft`, so browser bundles, ESM copies, type declarations, tests and docs never
 * enter), plus each package's declared `assets` (files opened by a computed path) and its
 * license files. The bundles themselves are not traced: they hold everything else already, and
 * their own dynamic requires (database drivers, for one) would send the tracer through
 * directories that have nothing to do with the layer.
 *
 * @example
 * const { files } = await traceLayerFiles({
 *   packages: RUNTIME_LAYER_PACKAGES,
 *   nodeModules: 'node_modules',
 * });
 */
export async function traceLayerFiles(options: TraceLayerOptions): Promise<LayerContents> {
  // Resolved paths are real paths: a node_modules that is a symlink (a git worktree sharing the
  // main checkout's) must be compared as its target, or every traced file looks outside it.
  const nodeModules = realpathSync(options.nodeModules);
  const excluded = new Set(options.exclude ?? []);
  const present = options.packages.filter(
    (p) => !excluded.has(p.name) && existsSync(join(nodeModules, p.name, 'package.json')),
  );
  const skipped = options.packages.filter((p) => !present.includes(p)).map((p) => p.name);
  const project = join(nodeModules, '..');
  const roots = present.map((p) => require.resolve(p.name, { paths: [project] }));
  const { fileList } = await nodeFileTrace(roots, {
    base: project,
    processCwd: project,
    ignore: (path) =>
      !path.startsWith('node_modules/') || skipped.some((name) => path.includes(`node_modules/${name}/`)),
  });
  const files = new Set<string>();
  for (const traced of fileList) {
    const path = relative(nodeModules, join(project, traced)).split(sep).join('/');
    if (!path.startsWith('..')) files.add(path);
  }
  for (const p of present) {
    const dir = join(nodeModules, p.name);
    for (const asset of globSync([...p.assets], { cwd: dir, onlyFiles: true }))
      files.add(`${p.name}/${asset}`);
  }
  for (const pkg of packageDirs(files)) {
    for (const name of readdirSync(join(nodeModules, pkg)))
      if (LICENSE_FILE.test(name)) files.add(`${pkg}/${name}`);
  }
  return {
    files: [...files]
      .filter(
        (f) => LICENSE_FILE.test(f.slice(f.lastIndexOf('/') + 1)) || !NEVER_LOADED.some((re) => re.test(f)),
      )
      .sort(),
    skipped,
  };
}

/** `@scope/name` or `name` of every package a file list touches. */
function packageDirs(files: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    const name = parts[0]?.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    if (name) dirs.add(name);
  }
  return dirs;
}
