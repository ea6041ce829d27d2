import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import {
  type ArtifactSize,
  biggestContributors,
  checkSizeLimits,
  formatBytes,
  LAMBDA_LIMITS,
  listFiles,
  RUNTIME_LAYER_PACKAGES,
  traceLayerFiles,
  zipDirectory,
} from '../layers';
import { DIST, HANDLERS, handlerBuildOptions } from './esbuild-options';

const NATIVE = '@tensorflow/tfjs-node';

/**
 * `npm run build [-- --no-native]`: bundles every handler, assembles and trims the runtime
 * layer, zips each, writes the size report (`dist/size-report.json`) and fails, naming the
 * culprit, when a Lambda limit would be broken. `--no-native` leaves tfjs-node out of the
 * layer even when it is installed.
 */
async function main(): Promise<void> {
  const noNative = process.argv.includes('--no-native');
  const artifacts: ArtifactSize[] = [];

  for (const handler of HANDLERS) {
    if (!existsSync(handler.entry)) {
      console.log(`skip ${handler.name}: ${handler.entry} does not exist yet`);
      rmSync(join('dist', handler.name), { recursive: true, force: true });
      continue;
    }
    const code = DIST.code(handler.name);
    rmSync(join('dist', handler.name), { recursive: true, force: true });
    mkdirSync(code, { recursive: true });
    const outfile = join(code, 'index.js');
    const { metafile } = await build(handlerBuildOptions(handler.entry, outfile));
    renameSync(`${outfile}.map`, DIST.sourceMap(handler.name));
    for (const [from, to] of handler.copy ?? []) cpSync(from, join(code, to), { recursive: true });

    const bundled = Object.entries(metafile?.outputs[outfile]?.inputs ?? {}).map(([path, input]) => ({
      path,
      bytes: input.bytesInOutput,
    }));
    const files = listFiles(code);
    artifacts.push({
      name: handler.name,
      kind: 'function',
      unzippedBytes: files.reduce((sum, f) => sum + f.bytes, 0),
      zippedBytes: await zipDirectory(code, DIST.functionZip(handler.name)),
      biggest: biggestContributors([...bundled, ...files.filter((f) => f.path !== 'index.js')]),
    });
  }

  const nodeModules = join(DIST.layerContent, 'nodejs', 'node_modules');
  rmSync(dirname(DIST.layerContent), { recursive: true, force: true });
  const layer = await traceLayerFiles({
    packages: RUNTIME_LAYER_PACKAGES,
    nodeModules: resolve('node_modules'),
    exclude: noNative ? [NATIVE] : [],
  });
  for (const file of layer.files) {
    mkdirSync(dirname(join(nodeModules, file)), { recursive: true });
    cpSync(join('node_modules', file), join(nodeModules, file));
  }
  for (const name of layer.skipped) {
    console.log(
      name === NATIVE && !noNative
        ? `layer: ${NATIVE} is not installed (optional; it downloads libtensorflow), so the layer ships the cpu and wasm backends`
        : `layer: ${name} left out`,
    );
  }
  const layerFiles = listFiles(DIST.layerContent);
  artifacts.push({
    name: 'layer',
    kind: 'layer',
    unzippedBytes: layerFiles.reduce((sum, f) => sum + f.bytes, 0),
    zippedBytes: await zipDirectory(DIST.layerContent, DIST.layerZip),
    biggest: biggestContributors(layerFiles),
  });

  const violations = checkSizeLimits(artifacts);
  writeFileSync(
    DIST.sizeReport,
    `${JSON.stringify({ limits: LAMBDA_LIMITS, artifacts, violations }, null, 2)}\n`,
  );
  printReport(artifacts);
  if (violations.length > 0) {
    for (const v of violations) console.error(`error: ${v.message}`);
    process.exitCode = 1;
  }
}

function printReport(artifacts: readonly ArtifactSize[]): void {
  console.log(`\nsize report (${DIST.sizeReport}); limits: 50 MB zipped, 250 MB unzipped function + layers`);
  for (const a of artifacts) {
    const zip = a.kind === 'layer' ? DIST.layerZip : DIST.functionZip(a.name);
    console.log(
      `  ${a.name.padEnd(8)} ${formatBytes(a.unzippedBytes).padStart(9)} unzipped  ${formatBytes(a.zippedBytes ?? 0).padStart(9)} zipped  ${zip}`,
    );
    for (const c of a.biggest) console.log(`      ${formatBytes(c.bytes).padStart(9)}  ${c.path}`);
  }
  const layer = artifacts.find((a) => a.kind === 'layer')?.unzippedBytes ?? 0;
  for (const fn of artifacts.filter((a) => a.kind === 'function')) {
    console.log(
      `  ${fn.name} + layer: ${formatBytes(fn.unzippedBytes + layer)} of ${formatBytes(LAMBDA_LIMITS.unzippedBytes)} unzipped`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
