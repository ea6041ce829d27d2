import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { handlerBuildOptions, LAYER_PACKAGES } from './esbuild-options';

/**
 * `npm run build`:
 * - `dist/predict/`: the predict handler as one minified esbuild bundle, with the default model
 *   beside it (where `MODEL_DIR`'s default finds it in `/var/task`);
 * - `dist/layer/nodejs/node_modules/`: the TF.js runtime layer, every package the bundle leaves
 *   external and their production dependencies (type-only `@types/*` packages skipped).
 */
async function main(): Promise<void> {
  const out = join('dist', 'predict');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build(handlerBuildOptions('lambda/predict.ts', join(out, 'index.js')));
  cpSync(join('models', 'default'), join(out, 'models', 'default'), { recursive: true });
  console.log(
    `dist/predict/index.js  ${statSync(join(out, 'index.js')).size} bytes (TF.js left to the runtime layer)`,
  );

  const layerModules = join('dist', 'layer', 'nodejs', 'node_modules');
  rmSync(join('dist', 'layer'), { recursive: true, force: true });
  const packages = productionClosure(LAYER_PACKAGES.filter((p) => existsSync(join('node_modules', p))));
  for (const name of packages)
    cpSync(join('node_modules', name), join(layerModules, name), { recursive: true });
  console.log(
    `dist/layer: ${packages.length} packages (${packages.filter((p) => p.startsWith('@tensorflow/')).join(', ')})`,
  );
}

/** The packages `roots` need at run time, following `dependencies` through the flat node_modules. */
function productionClosure(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (
      seen.has(name) ||
      name.startsWith('@types/') ||
      !existsSync(join('node_modules', name, 'package.json'))
    )
      return;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  for (const root of roots) visit(root);
  return [...seen].sort();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
