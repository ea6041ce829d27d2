import { Logger } from '@aws-lambda-powertools/logger';
import { type ModelConfig, readServiceConfig } from '../config';
import type { ReadOptions } from '../model-store';
import type { LoadedModel } from './load-model';
import { ModelSlot, type SlotLogger } from './model-slot';
import { configuredSources } from './model-source';
import { SharedLoads } from './shared-loads';

/** The models one request is scored with. */
export interface RequestModels {
  /** The model whose scores the client gets. */
  readonly live: LoadedModel;
  /** The shadow model (`SHADOW_ALIAS`), when one is set, loaded and a different version. */
  readonly shadow?: LoadedModel;
}

/**
 * The serving model and the optional shadow one, as configuration names them (`MODEL_STORE`,
 * `MODEL_ALIAS`, `SHADOW_ALIAS`, `MODEL_REFRESH_SECONDS`; without `MODEL_STORE`, the embedded
 * `MODEL_DIR`). Both are kept across invocations and re-checked at most every refresh interval.
 * A shadow model that cannot be loaded never fails a request: it is logged and skipped. A version
 * both aliases name is loaded once.
 */
export class ServingModels {
  private slots: Promise<{ live: ModelSlot; shadow?: ModelSlot }> | undefined;
  /** The slots once open: {@link ready} reads them without awaiting. */
  private opened: { live: ModelSlot; shadow?: ModelSlot } | undefined;
  /** The last `{ live }` {@link ready} gave, kept while its model serves (no object a request). */
  private liveOnly: RequestModels | undefined;

  constructor(
    private readonly config: ModelConfig,
    private readonly logger: SlotLogger,
    private readonly readOptions: ReadOptions = {},
  ) {}

  /** The live model, loading it first if need be; throws a `ModelLoadError` when it cannot be. */
  async live(): Promise<LoadedModel> {
    return (await this.forRequest({ shadow: false })).live;
  }

  /**
   * The models for one request when they are at hand without waiting: the live model loaded, no
   * re-check of it due and no shadow slot. Else undefined: ask {@link forRequest}. No promise is
   * made (a request awaiting `forRequest` made several: 1 × 1 in-process, `npm run bench`).
   */
  ready(): RequestModels | undefined {
    const slots = this.opened;
    if (slots === undefined || slots.shadow !== undefined) return undefined;
    const live = slots.live.ready();
    if (live === undefined) return undefined;
    if (this.liveOnly?.live !== live) this.liveOnly = { live };
    return this.liveOnly;
  }

  /** The models for one request: live (required) and shadow (best effort). */
  async forRequest({ shadow = true }: { readonly shadow?: boolean } = {}): Promise<RequestModels> {
    const slots = await this.open();
    // Without a shadow model to ask (the usual case), one await and no array or Promise.all a
    // request (1 × 1 over HTTP: `npm run bench`).
    if (!shadow || !slots.shadow) {
      const only = await slots.live.get();
      if (!only) throw new Error('unreachable: a live slot without a model returned without an error');
      return { live: only };
    }
    const [live, candidate] = await Promise.all([
      slots.live.get(),
      slots.shadow.get().catch(() => undefined),
    ]);
    if (!live) throw new Error('unreachable: a live slot without a model returned without an error');
    return candidate && candidate.version !== live.version ? { live, shadow: candidate } : { live };
  }

  /** Re-checks both aliases now, whatever the interval (operations, tests); failures are logged. */
  async refresh(): Promise<void> {
    const slots = await this.open();
    await Promise.all([slots.live.check(), slots.shadow?.check()].map((p) => p?.catch(() => undefined)));
  }

  private open(): Promise<{ live: ModelSlot; shadow?: ModelSlot }> {
    // No TF.js backend is started here: loading a model starts one only if TF.js must score it.
    this.slots ??= Promise.resolve()
      .then(() => {
        const sources = configuredSources(this.config, this.readOptions);
        const refreshMs = this.config.modelRefreshSeconds * 1000;
        const shared = new SharedLoads();
        this.opened = {
          live: new ModelSlot('live', shared.share(sources.live), refreshMs, this.logger),
          ...(sources.shadow
            ? { shadow: new ModelSlot('shadow', shared.share(sources.shadow), refreshMs, this.logger) }
            : {}),
        };
        return this.opened;
      })
      .catch((error: unknown) => {
        this.slots = undefined;
        throw error;
      });
    return this.slots;
  }
}

const logger = new Logger({ serviceName: readServiceConfig().name });
const byConfig = new Map<string, ServingModels>();
const byObject = new WeakMap<ModelConfig, ServingModels>();

/** The process's {@link ServingModels} for a configuration: one per distinct model setting. */
export function servingModelsFor(config: ModelConfig): ServingModels {
  // Every request asks with the same config object: skip building its key (a JSON.stringify a
  // request, 2% of a 1 × 1 request's time in the profile).
  const known = byObject.get(config);
  if (known) return known;
  const key = JSON.stringify([
    config.modelStore ?? null,
    config.modelStore ? null : config.modelDir,
    config.modelAlias,
    config.shadowAlias ?? null,
    config.modelRefreshSeconds,
    config.s3Endpoint ?? null,
    config.backends,
    config.engine,
  ]);
  let models = byConfig.get(key);
  if (!models) {
    models = new ServingModels(config, logger);
    byConfig.set(key, models);
  }
  byObject.set(config, models);
  return models;
}
