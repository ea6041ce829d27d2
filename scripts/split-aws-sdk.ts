import { join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

/** The file beside the bundle that holds the AWS SDK's clients (S3, ...). */
export const AWS_SDK_FILE = 'aws-sdk.js';
/**
 * The file that holds the SDK's `@smithy/*` code a bundle imports by name: the predict function's
 * SQS client once signed with `@smithy/signature-v4` from here (an instance's first recorded send
 * had loaded all of {@link AWS_SDK_FILE}, when it was one file, to sign one request); it now signs
 * with its own code (`lambda/results/sigv4.ts`), so no bundle makes this file at present.
 */
export const AWS_SIGNER_FILE = 'aws-signer.js';

/** Which of the two files holds a package's code. */
export function sdkFileOf(pkg: string): string {
  return pkg.startsWith('@smithy/') ? AWS_SIGNER_FILE : AWS_SDK_FILE;
}

// The SDK's packages as the function's own code imports them (their internal imports are theirs).
const SDK_PACKAGE = /^@(aws-sdk|smithy|aws-crypto)\//;
const SDK_EXTERNAL = ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*'];

/** What {@link buildSplittingAwsSdk} made: each output's metafile (for the size report). */
export interface SplitBuild {
  readonly metafile: Metafile;
  /** The SDK files' metafiles; none when the bundle imports nothing of the SDK. */
  readonly sdkMetafiles: readonly Metafile[];
  /** What the bundle imports of each SDK package, by package. */
  readonly imported: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Builds a handler with the AWS SDK in files of their own beside the bundle in `codeDir`
 * ({@link AWS_SDK_FILE}, and {@link AWS_SIGNER_FILE} for the signer): the bundle holds, for each
 * SDK package its code imports, a stub whose exports load that package's file at their first use. A function whose invocations never touch the SDK (no queue, no
 * capture bucket, no S3 model store) then never reads, parses or compiles it: the predict bundle
 * is a fraction of its size with the SDK inside (`npm run build`'s size report, `docs/figures/sizes.json`).
 *
 * The names imported are read from a first pass with the SDK external (an esbuild bundle prints
 * `import { A, B } from "pkg"` and `const { A } = __require("pkg")`), and the SDK file exports only
 * those, so esbuild tree-shakes the SDK as it did inside the bundle. Any other way of using an SDK
 * package (a namespace, a default import, a `require` kept whole) fails the build, naming it.
 *
 * Why not esbuild's own code splitting (`splitting: true`): it splits only at dynamic `import()`
 * calls, so every SDK use in `lambda/` would have to become an awaited `import()` at its call site
 * (the S3 model store, the capture sink, the SQS client), and it needs an output folder of chunks
 * named by hash rather than these two named files the zip layout checks (`npm run check:lambda`).
 * The stubs keep the source's static imports. The two files each bundle the `@smithy/*` code they
 * use (no object passes between them, so no `instanceof` crosses the files).
 */
export async function buildSplittingAwsSdk(options: BuildOptions, codeDir: string): Promise<SplitBuild> {
  const imported = await importedNames(options);
  if (imported.size === 0) {
    const { metafile } = await build(options);
    return { metafile: metafile as Metafile, sdkMetafiles: [], imported };
  }
  const { metafile } = await build({
    ...options,
    plugins: [...(options.plugins ?? []), stubPlugin(imported)],
  });
  const sdkMetafiles: Metafile[] = [];
  for (const file of new Set([...imported.keys()].map(sdkFileOf))) {
    const exports: string[] = [];
    const imports: string[] = [];
    let n = 0;
    for (const [pkg, names] of imported) {
      if (sdkFileOf(pkg) !== file) continue;
      const fields = [...names].map((name) => {
        const alias = `a${n++}`;
        imports.push(`import { ${name} as ${alias} } from ${JSON.stringify(pkg)};`);
        return `${JSON.stringify(name)}: ${alias}`;
      });
      exports.push(`${JSON.stringify(pkg)}: { ${fields.join(', ')} }`);
    }
    const sdk = await build({
      stdin: {
        contents: `${imports.join('\n')}\nexport const packages = { ${exports.join(', ')} };\n`,
        resolveDir: process.cwd(),
        sourcefile: `${file}-entry.js`,
        loader: 'js',
      },
      outfile: join(codeDir, file),
      bundle: true,
      platform: 'node',
      target: options.target ?? 'node20',
      format: 'cjs',
      minify: true,
      treeShaking: true,
      // The SDK's ES module builds (`module`), which esbuild can tree-shake; `main` is CommonJS.
      mainFields: ['module', 'main'],
      external: (options.external ?? []).filter((e) => !SDK_EXTERNAL.includes(e)),
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
    });
    sdkMetafiles.push(sdk.metafile as Metafile);
  }
  return { metafile: metafile as Metafile, sdkMetafiles, imported };
}

/** The names each SDK package is imported by, from a first, unminified pass with the SDK external. */
async function importedNames(options: BuildOptions): Promise<Map<string, Set<string>>> {
  const first = await build({
    ...options,
    // As an ES module, whatever the handler's format: static imports then stay `import { A } from`.
    format: 'esm',
    write: false,
    minify: false,
    sourcemap: false,
    metafile: false,
    external: [...(options.external ?? []), ...SDK_EXTERNAL],
  });
  const code = first.outputFiles?.find((f) => f.path.endsWith('.js') || f.path.endsWith('.mjs'))?.text ?? '';
  const names = new Map<string, Set<string>>();
  const add = (pkg: string, list: string) => {
    const set = names.get(pkg) ?? new Set<string>();
    for (const part of list.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+|\s*:\s*/)[0]
        ?.trim();
      if (name) set.add(name);
    }
    names.set(pkg, set);
  };
  const uses = /(?:import\s*\{([^}]*)\}\s*from\s*|const\s*\{([^}]*)\}\s*=\s*(?:__)?require\()"([^"]+)"/g;
  let counted = 0;
  for (const match of code.matchAll(uses)) {
    const pkg = match[3] as string;
    if (!SDK_PACKAGE.test(pkg)) continue;
    add(pkg, (match[1] ?? match[2]) as string);
    counted++;
  }
  const all = [...code.matchAll(/(?:from\s*|require\()"(@(?:aws-sdk|smithy|aws-crypto)\/[^"]+)"/g)];
  if (all.length !== counted) {
    const lines = code
      .split('\n')
      .filter((line) => /(?:from\s*|require\()"@(?:aws-sdk|smithy|aws-crypto)\//.test(line));
    throw new Error(
      `split-aws-sdk: import the AWS SDK by name (import { X } from, or const { X } = require): ${lines
        .map((l) => l.trim())
        .join(' | ')}`,
    );
  }
  return names;
}

/** Resolves the function's SDK imports to stubs that load {@link AWS_SDK_FILE} at their first use. */
function stubPlugin(imported: ReadonlyMap<string, ReadonlySet<string>>): Plugin {
  return {
    name: 'split-aws-sdk',
    setup(b) {
      b.onResolve({ filter: SDK_PACKAGE }, (args) =>
        args.importer.includes('/node_modules/') || !imported.has(args.path)
          ? undefined
          : { path: args.path, namespace: 'aws-sdk-stub' },
      );
      b.onResolve({ filter: /^\.\/aws-(sdk|signer)\.js$/, namespace: 'aws-sdk-stub' }, (args) => ({
        path: args.path,
        external: true,
      }));
      b.onLoad({ filter: /.*/, namespace: 'aws-sdk-stub' }, (args) => ({
        loader: 'js',
        contents: [
          'let sdk;',
          `const load = () => (sdk ??= require('./${sdkFileOf(args.path)}').packages[${JSON.stringify(args.path)}]);`,
          `for (const name of ${JSON.stringify([...(imported.get(args.path) ?? [])])})`,
          '  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });',
        ].join('\n'),
      }));
    },
  };
}
