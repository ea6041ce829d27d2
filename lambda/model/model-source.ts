import type { BackendName, ModelConfig } from '../config';
import { ModelLoadError } from '../errors';
import { type ModelStore, openStore, type ReadOptions, readPointer, STORE_LAYOUT } from '../model-store';
import { type LoadedModel, loadModel, type ScoringRuntime } from './load-model';

/** Where one serving slot gets its model: which version is current, and how to load a version. */
export interface ModelSource {
  /** For messages: the alias and store, or the embedded directory. */
  readonly describe: string;
  /** Whether the current version can change while the process runs (a store alias can). */
  readonly movable: boolean;
  /** The version that should serve now; `undefined` when the alias is not set. */
  current(): Promise<string | undefined>;
  load(version: string): Promise<LoadedModel>;
}

/** The embedded artifact directory (`MODEL_DIR`): one version, fixed for the deployment. */
export function embeddedSource(
  dir: string,
  runtime: BackendName | ScoringRuntime,
  options: ReadOptions = {},
): ModelSource {
  return {
    describe: dir,
    movable: false,
    current: async () => 'embedded',
    load: () => loadModel(dir, runtime, options),
  };
}

/** The version an alias of a model store names (`MODEL_STORE` + `MODEL_ALIAS` or `SHADOW_ALIAS`). */
export function aliasSource(
  store: ModelStore,
  alias: string,
  runtime: BackendName | ScoringRuntime,
  options: ReadOptions = {},
): ModelSource {
  return {
    describe: `alias "${alias}" of ${store.location}`,
    movable: true,
    current: async () => (await readPointer(store, alias))?.version,
    load: (version) => loadModel({ store, prefix: STORE_LAYOUT.versionPrefix(version) }, runtime, options),
  };
}

/** The sources configuration names: the serving one, and the shadow one when `SHADOW_ALIAS` is set. */
export function configuredSources(
  config: ModelConfig,
  options: ReadOptions = {},
): { live: ModelSource; shadow?: ModelSource } {
  const runtime: ScoringRuntime = { backends: config.backends, engine: config.engine };
  if (!config.modelStore) {
    if (config.shadowAlias) {
      throw new ModelLoadError('invalid_configuration', 'SHADOW_ALIAS needs MODEL_STORE', 'SHADOW_ALIAS');
    }
    return { live: embeddedSource(config.modelDir, runtime, options) };
  }
  const store = openStore(config.modelStore, config.s3Endpoint);
  return {
    live: aliasSource(store, config.modelAlias, runtime, options),
    ...(config.shadowAlias ? { shadow: aliasSource(store, config.shadowAlias, runtime, options) } : {}),
  };
}
