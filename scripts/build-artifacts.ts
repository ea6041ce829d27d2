import { cpSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { DIST, type distLayout } from '../cdk/dist-layout';
import {
  type ArtifactSize,
  biggestContributors,
  checkSizeLimits,
  LAMBDA_LIMITS,
  type LambdaLimits,
  type LimitViolation,
  listFiles,
  RUNTIME_LAYER_PACKAGES,
  traceLayerFiles,
  zipDirectory,
} from '../layers';
import { bundleFileName, HANDLERS, type HandlerEntry, handlerBuildOptions } from './esbuild-options';
import { AWS_SDK_FILE, AWS_SIGNER_FILE, buildSplittingAwsSdk } from './split-aws-sdk';

/** What to build, and where. */
export interface BuildArtifactsOptions {
  /** Output layout. @default `dist/` */
  readonly dist?: ReturnType<typeof distLayout>;
  /** @default every handler in {@link HANDLERS} */
  readonly handlers?: readonly HandlerEntry[];
  /** Leave out these layer packages even when installed (e.g. tfjs-node). @default none */
  readonly excludeFromLayer?: readonly string[];
  /** @default Lambda's ({@link LAMBDA_LIMITS}) */
  readonly limits?: LambdaLimits;
}

/** What a build made. */
export interface BuildReport {
  readonly artifacts: readonly ArtifactSize[];
  /** Limits broken; the build has failed when this is not empty. */
  readonly violations: readonly LimitViolation[];
  /** Handlers whose entry file does not exist, and layer packages not installed or excluded. */
  readonly skipped: { readonly handlers: readonly string[]; readonly layerPackages: readonly string[] };
}

/**
 * Bundles every handler, assembles and trims the runtime layer, zips each, measures them
 * against `limits` and writes the size report. Paths are relative to the working directory,
 * which must be the project root. It does not throw over a broken limit: it reports it.
 */
export async function buildArtifacts(options: BuildArtifactsOptions = {}): Promise<BuildReport> {
  const dist = options.dist ?? DIST;
  const artifacts: ArtifactSize[] = [];
  const skippedHandlers: string[] = [];
  mkdirSync(dist.root, { recursive: true });

  for (const handler of options.handlers ?? HANDLERS) {
    rmSync(join(dist.root, handler.name), { recursive: true, force: true });
    if (!existsSync(handler.entry)) {
      skippedHandlers.push(handler.name);
      continue;
    }
    const code = dist.code(handler.name);
    mkdirSync(code, { recursive: true });
    const bundle = bundleFileName(handler);
    const outfile = join(code, bundle);
    const options = handlerBuildOptions(handler.entry, outfile, { esm: handler.esm === true });
    const built = handler.splitAwsSdk
      ? await buildSplittingAwsSdk(options, code)
      : { metafile: (await build(options)).metafile };
    renameSync(`${outfile}.map`, dist.sourceMap(handler.name, bundle));
    for (const [from, to] of handler.copy ?? []) cpSync(from, join(code, to), { recursive: true });

    // The bundles' bytes by the source file they came from, so the report names packages.
    const bundled = [built.metafile, ...('sdkMetafiles' in built ? built.sdkMetafiles : [])].flatMap((meta) =>
      Object.values(meta?.outputs ?? {}).flatMap((output) =>
        Object.entries(output.inputs).map(([path, input]) => ({ path, bytes: input.bytesInOutput })),
      ),
    );
    const files = listFiles(code);
    artifacts.push({
      name: handler.name,
      kind: 'function',
      unzippedBytes: files.reduce((sum, f) => sum + f.bytes, 0),
      zippedBytes: await zipDirectory(code, dist.functionZip(handler.name)),
      codeFiles: files.filter((f) => [bundle, AWS_SDK_FILE, AWS_SIGNER_FILE].includes(f.path)),
      biggest: biggestContributors([
        ...bundled,
        ...files.filter((f) => f.path !== bundle && f.path !== AWS_SDK_FILE && f.path !== AWS_SIGNER_FILE),
      ]),
    });
  }

  const nodeModules = join(dist.layerContent, 'nodejs', 'node_modules');
  rmSync(dirname(dist.layerContent), { recursive: true, force: true });
  const layer = await traceLayerFiles({
    packages: RUNTIME_LAYER_PACKAGES,
    // The real folder: the tracer drops files outside its base, and a symlinked node_modules
    // (a git worktree sharing one) would put every file there.
    nodeModules: realpathSync(resolve('node_modules')),
    exclude: options.excludeFromLayer ?? [],
  });
  for (const file of layer.files) {
    mkdirSync(dirname(join(nodeModules, file)), { recursive: true });
    cpSync(join('node_modules', file), join(nodeModules, file));
  }
  const layerFiles = listFiles(dist.layerContent);
  artifacts.push({
    name: 'layer',
    kind: 'layer',
    unzippedBytes: layerFiles.reduce((sum, f) => sum + f.bytes, 0),
    zippedBytes: await zipDirectory(dist.layerContent, dist.layerZip),
    biggest: biggestContributors(layerFiles),
  });

  const limits = options.limits ?? LAMBDA_LIMITS;
  const violations = checkSizeLimits(artifacts, limits);
  writeFileSync(dist.sizeReport, `${JSON.stringify({ limits, artifacts, violations }, null, 2)}\n`);
  return { artifacts, violations, skipped: { handlers: skippedHandlers, layerPackages: layer.skipped } };
}
