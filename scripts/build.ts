import { type ArtifactSize, formatBytes, LAMBDA_LIMITS } from '../layers';
import { buildArtifacts } from './build-artifacts';
import { DIST, HANDLERS } from './esbuild-options';
import { sizeFigures } from './figures/size-figures';
import { writeFigures } from './figures/write-figures';

const NATIVE = '@tensorflow/tfjs-node';

/**
 * `npm run build [-- --no-native]`: bundles every handler, assembles and trims the runtime
 * layer, zips each, writes the size report (`dist/size-report.json`) and fails, naming the
 * culprit, when a Lambda limit would be broken. `--no-native` leaves tfjs-node out of the
 * layer even when it is installed.
 */
async function main(): Promise<void> {
  const noNative = process.argv.includes('--no-native');
  const { artifacts, violations, skipped } = await buildArtifacts({
    excludeFromLayer: noNative ? [NATIVE] : [],
  });
  for (const name of skipped.handlers) {
    const entry = HANDLERS.find((h) => h.name === name)?.entry;
    console.log(`skip ${name}: ${entry} does not exist yet`);
  }
  for (const name of skipped.layerPackages) {
    console.log(
      name === NATIVE && !noNative
        ? `layer: ${NATIVE} is not installed (optional; it downloads libtensorflow), so the layer ships the cpu and wasm backends`
        : `layer: ${name} left out`,
    );
  }
  printReport(artifacts);
  console.log(`figures: ${writeFigures('sizes', sizeFigures(artifacts))}`);
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
