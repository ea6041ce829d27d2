/** Lambda's package limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const LAMBDA_LIMITS = {
  /** A .zip uploaded directly (function or layer): 50 MB. */
  zippedBytes: 50 * 1024 * 1024,
  /** A function's unzipped code plus all its layers: 250 MB. */
  unzippedBytes: 250 * 1024 * 1024,
} as const;

export type LambdaLimits = { readonly zippedBytes: number; readonly unzippedBytes: number };

/** One file or package and its unzipped bytes. */
export interface Contributor {
  readonly path: string;
  readonly bytes: number;
}

/** One deployable: a function's code or a layer. */
export interface ArtifactSize {
  /** `predict`, `writer`, `layer`, ... */
  readonly name: string;
  readonly kind: 'function' | 'layer';
  readonly unzippedBytes: number;
  /** Bytes of the .zip; absent when the artifact was only measured, not zipped. */
  readonly zippedBytes?: number;
  /** The largest packages or files, biggest first. */
  readonly biggest: readonly Contributor[];
  /** A function's code files (its bundle, and any file it loads at first use), with their bytes. */
  readonly codeFiles?: readonly Contributor[];
}

/** A limit one deployable would break. */
export interface LimitViolation {
  readonly artifact: string;
  readonly limit: 'zipped' | 'unzipped';
  readonly bytes: number;
  readonly limitBytes: number;
  /** The biggest contributor: what to look at first. */
  readonly culprit: Contributor | undefined;
  readonly message: string;
}

const NATIVE_BACKEND = '@tensorflow/tfjs-node';

/**
 * The limits each function (with the layers it uses) would break, with the culprit named.
 * Every function uses every layer, as the stack deploys them.
 *
 * @example
 * const violations = checkSizeLimits(artifacts);
 * if (violations.length) throw new Error(violations.map((v) => v.message).join('\n'));
 */
export function checkSizeLimits(
  artifacts: readonly ArtifactSize[],
  limits: LambdaLimits = LAMBDA_LIMITS,
): LimitViolation[] {
  const violations: LimitViolation[] = [];
  for (const a of artifacts) {
    if (a.zippedBytes !== undefined && a.zippedBytes > limits.zippedBytes) {
      violations.push(
        violation(a.name, 'zipped', a.zippedBytes, limits.zippedBytes, a.biggest[0], `${a.name}.zip`),
      );
    }
  }
  const layers = artifacts.filter((a) => a.kind === 'layer');
  const layerBytes = layers.reduce((sum, l) => sum + l.unzippedBytes, 0);
  for (const fn of artifacts.filter((a) => a.kind === 'function')) {
    const total = fn.unzippedBytes + layerBytes;
    if (total > limits.unzippedBytes) {
      const culprit = [...fn.biggest, ...layers.flatMap((l) => l.biggest)].sort(
        (x, y) => y.bytes - x.bytes,
      )[0];
      violations.push(
        violation(fn.name, 'unzipped', total, limits.unzippedBytes, culprit, `${fn.name} plus its layers`),
      );
    }
  }
  return violations;
}

function violation(
  artifact: string,
  limit: 'zipped' | 'unzipped',
  bytes: number,
  limitBytes: number,
  culprit: Contributor | undefined,
  what: string,
): LimitViolation {
  let message =
    `${what} is ${formatBytes(bytes)} ${limit}, over Lambda's ${formatBytes(limitBytes)} limit` +
    (culprit ? `; the biggest part is ${culprit.path} (${formatBytes(culprit.bytes)})` : '');
  if (culprit?.path.includes(NATIVE_BACKEND)) {
    message +=
      `. ${NATIVE_BACKEND} carries libtensorflow, about 370 MB unzipped, which no Lambda layer can hold. ` +
      'Either build without it (`npm run build -- --no-native`: the layer then ships the wasm and cpu ' +
      'backends, under 1 MB of binaries, and TFJS_BACKEND picks one), or deploy the function as a ' +
      'container image (10 GB limit) with tfjs-node installed in it.';
  }
  return { artifact, limit, bytes, limitBytes, culprit, message };
}

/** Bytes for people: KB under a megabyte, else MB with one decimal (Lambda's MB are MiB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
