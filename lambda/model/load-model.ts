import type { BackendName, ScoringEngine } from '../config';
import { ModelLoadError } from '../errors';
import { FEATURE_COUNT, FEATURE_SPEC_HASH, Normaliser, parseVendorAliases, VendorAliases } from '../features';
import {
  DirectoryStore,
  type Manifest,
  type ModelStore,
  type ReadOptions,
  readManifest,
  readObjects,
  SegmentedBuffer,
} from '../model-store';
import { asLoadStep } from './artifact-error';
import { type DenseForward, denseForwardOf, type NamedWeight } from './dense-forward';
import { verifyGolden } from './golden-requests';
import { type ReciprocalStage, withReciprocalStage } from './reciprocal-stage';
import type { TfjsScorer } from './tfjs-scorer';
import { allocateWeightBuffers, type WeightBuffers, type WeightGroup } from './weight-buffers';

/** A model ready to score: its manifest, and one batched call from features to probabilities. */
export interface LoadedModel {
  readonly version: string;
  readonly threshold: number;
  /**
   * What scores: `dense`, the plain-JavaScript pass over the model's Dense layers
   * (`dense-forward.ts`), without TF.js; or `tfjs`, for a model it does not cover (or when
   * `SCORING_ENGINE=tfjs`).
   */
  readonly engine: 'dense' | 'tfjs';
  /** The TF.js backend that scores; `undefined` when the dense pass does (TF.js is not loaded). */
  readonly backend: BackendName | undefined;
  readonly manifest: Manifest;
  /** The artifact's vendor alias table, compiled (empty for a model without one). */
  readonly aliases: VendorAliases;
  /**
   * Scores `rows` pairs whose features sit row-major in `features` (FEATURE_COUNT columns),
   * in ONE model call; returns one probability per row. With `items`, the rows are what
   * `pairFeatures` writes for `rows / items` budgets × `items` items, and the dense pass computes
   * each budget's and each item's part of its first layer once (`DenseForward.scoreBlocks`).
   */
  score(features: Float32Array, rows: number, items?: number): Float32Array;
  /**
   * The reciprocal stage the manifest names (`reciprocal-stage.ts`), applied after `score` to a
   * whole request's pairs: `score` is the network's, the reply's scores are the stage's.
   * `undefined`: the network's scores are the reply's.
   */
  readonly stage: ReciprocalStage | undefined;
  /**
   * The same model in TF.js, for the same scores computed by TF.js (what `score` is held to in
   * tests and benchmarks): built on first use when the dense pass scores, which loads TF.js.
   */
  tfjs(): Promise<TfjsScorer>;
  /** Frees the model's weights; it must not score afterwards. */
  dispose(): void;
}

/** How a model is scored: TF.js's backends to try, in order, and whether the dense pass may score. */
export interface ScoringRuntime {
  readonly backends: readonly BackendName[];
  /** @default `auto`: the dense pass when it covers the model, else TF.js */
  readonly engine?: ScoringEngine;
}

/** An artifact in a store: the key prefix its `manifest.json` is under (`''` for a flat directory). */
export interface ArtifactLocation {
  readonly store: ModelStore;
  readonly prefix: string;
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: WeightGroup[];
}

/**
 * Loads and verifies an artifact (manifest.json, model.json, weight shards), from a directory or
 * from a version in a model store. In order:
 *
 * 1. the manifest must be valid and name the feature spec this code implements
 *    (`feature_spec_mismatch` otherwise);
 * 2. model.json and every weight shard must be listed in the manifest, and each is streamed in
 *    ranged parts straight into buffers sized from the manifest, its size and sha256 checked as it
 *    arrives (`model_file_missing`, `checksum_mismatch`);
 * 3. the dense pass is built from model.json and the weights when it covers the model (no
 *    TF.js); otherwise TF.js is loaded, the weights become tensors over those same buffers, and
 *    the model is built around them;
 * 4. the manifest's golden requests (or a probe request, for artifacts without them) are scored
 *    as serving would score them: a score that is not finite, outside [0, 1], or further than the
 *    manifest's tolerance from the expected one refuses the model (`golden_mismatch`, naming the
 *    model and the first failing pair). `verify.compareExpected: false` keeps only the first two
 *    checks (what `model publish --reseal` uses to record new expected scores).
 *
 * Errors are {@link ModelLoadError}s naming the file or field; store failures are
 * `store_unreachable`. Nothing is returned, or kept, unless all of it succeeded.
 */
export async function loadModel(
  from: string | ArtifactLocation,
  runtime: BackendName | ScoringRuntime,
  options: ReadOptions = {},
  verify: { readonly compareExpected?: boolean } = {},
): Promise<LoadedModel> {
  const { backends, engine = 'auto' } = typeof runtime === 'string' ? { backends: [runtime] } : runtime;
  const { store, prefix } = typeof from === 'string' ? { store: new DirectoryStore(from), prefix: '' } : from;
  const manifest = await asLoadStep(readManifest(store, prefix));
  if (manifest.feature_spec.hash !== FEATURE_SPEC_HASH) {
    throw new ModelLoadError(
      'feature_spec_mismatch',
      `model ${manifest.version} was trained on feature spec ${manifest.feature_spec.hash.slice(0, 12)} (${manifest.feature_spec.version}); this code implements ${FEATURE_SPEC_HASH.slice(0, 12)}. Retrain, or deploy the code it was trained with.`,
      'feature_spec.hash',
    );
  }
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const fileRead = (path: string, target: SegmentedBuffer) => {
    const file = listed.get(path);
    if (!file) throw new ModelLoadError('invalid_artifact', `${path} is not listed in the manifest`, 'files');
    return { key: `${prefix}${path}`, name: path, bytes: file.bytes, sha256: file.sha256, target };
  };

  const modelJsonBytes = SegmentedBuffer.ofLength(listed.get('model.json')?.bytes ?? 0);
  await asLoadStep(readObjects(store, [fileRead('model.json', modelJsonBytes)], options));
  const { modelTopology, weightsManifest } = parseModelJson(manifest.version, modelJsonBytes.toBuffer());
  const aliases = await readAliases(manifest, listed, (path, target) =>
    asLoadStep(readObjects(store, [fileRead(path, target)], options)),
  );
  const shardPaths = weightsManifest.flatMap((group) => group.paths);
  const buffers = allocateWeightBuffers(
    weightsManifest,
    new Map(shardPaths.map((p) => [p, listed.get(p)?.bytes ?? Number.NaN])),
  );
  await asLoadStep(
    readObjects(
      store,
      buffers.shards.map((s) => fileRead(s.path, s.target)),
      options,
    ),
  );

  const dense = engine === 'auto' ? denseOf(modelTopology, buffers) : undefined;
  if (dense && dense.inputs !== FEATURE_COUNT) throw inputMismatch(manifest.version, dense.inputs);
  // TF.js is required here, on first use: a model the dense pass scores never loads it.
  let tfjs: Promise<TfjsScorer> | undefined;
  const buildTfjs = () => {
    tfjs ??= (require('./tfjs-scorer') as typeof import('./tfjs-scorer')).buildTfjsScorer(
      manifest.version,
      modelTopology,
      buffers,
      backends,
    );
    return tfjs;
  };
  const scorer = dense ? undefined : await buildTfjs();
  const score = dense
    ? (features: Float32Array, rows: number, items?: number) =>
        items !== undefined && items > 0 && rows % items === 0
          ? dense.scoreBlocks(features, rows / items, items)
          : dense.score(features, rows)
    : (scorer as TfjsScorer).score;
  try {
    verifyGolden(
      manifest,
      withReciprocalStage(score, manifest.reciprocal_stage),
      () => new Normaliser(aliases),
      verify,
    );
  } catch (error) {
    scorer?.dispose();
    throw error;
  }
  return {
    version: manifest.version,
    threshold: manifest.threshold,
    engine: dense ? 'dense' : 'tfjs',
    backend: scorer?.backend,
    manifest,
    aliases,
    score,
    stage: manifest.reciprocal_stage,
    tfjs: buildTfjs,
    dispose() {
      if (scorer) scorer.dispose();
      else tfjs?.then((t) => t.dispose()).catch(() => undefined);
    },
  };
}

/** The artifact's vendor alias table, read and checked against the manifest; empty when it names none. */
async function readAliases(
  manifest: Manifest,
  listed: ReadonlyMap<string, Manifest['files'][number]>,
  read: (path: string, target: SegmentedBuffer) => Promise<unknown>,
): Promise<VendorAliases> {
  const entry = manifest.vendor_aliases;
  if (!entry) return VendorAliases.EMPTY;
  const file = listed.get(entry.path);
  if (!file || file.sha256 !== entry.sha256) {
    throw new ModelLoadError(
      'invalid_manifest',
      `model ${manifest.version}: vendor_aliases names ${entry.path} with sha256 ${entry.sha256.slice(0, 12)}…, which is not one of its files`,
      'vendor_aliases',
    );
  }
  const bytes = SegmentedBuffer.ofLength(file.bytes);
  await read(entry.path, bytes);
  try {
    return new VendorAliases(parseVendorAliases(bytes.toBuffer().toString('utf8')));
  } catch (cause) {
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${manifest.version}: ${entry.path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      entry.path,
      { cause },
    );
  }
}

/** The dense pass over the artifact's weights, when every weight is plain float32 and the pass covers the model. */
function denseOf(modelTopology: object, buffers: WeightBuffers): DenseForward | undefined {
  const weights = new Map<string, NamedWeight>();
  for (const { spec, buffer } of buffers.weights) {
    if (spec.dtype !== 'float32' || spec.quantization) return undefined;
    weights.set(spec.name, { shape: spec.shape, values: new Float32Array(buffer) });
  }
  return denseForwardOf(modelTopology, weights);
}

/** The error for a model whose input width is not the feature spec's (`tfjs-scorer.ts` says the same). */
function inputMismatch(version: string, inputs: unknown): ModelLoadError {
  return new ModelLoadError(
    'invalid_artifact',
    `model ${version} takes ${inputs} features; the spec has ${FEATURE_COUNT}`,
    'model.json',
  );
}

function parseModelJson(version: string, bytes: Buffer): ModelJson {
  let json: Partial<ModelJson>;
  try {
    json = JSON.parse(bytes.toString('utf8')) as Partial<ModelJson>;
  } catch (cause) {
    throw new ModelLoadError('invalid_artifact', `model ${version}: model.json is not JSON`, 'model.json', {
      cause,
    });
  }
  if (
    typeof json.modelTopology !== 'object' ||
    json.modelTopology === null ||
    !Array.isArray(json.weightsManifest)
  ) {
    throw new ModelLoadError(
      'invalid_artifact',
      `model ${version}: model.json has no modelTopology or weightsManifest`,
      'model.json',
    );
  }
  return { modelTopology: json.modelTopology, weightsManifest: json.weightsManifest };
}
