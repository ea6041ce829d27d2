import { ModelLoadError } from '../errors';
import type { LoadedModel } from './load-model';
import type { ModelSource } from './model-source';

/** The logging a slot needs (Powertools' `Logger` has it). */
export interface SlotLogger {
  info(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

// A request that fetched the old model just before a swap may still be about to score with it.
const DISPOSE_GRACE_MS = 10_000;

/**
 * One serving model kept warm across invocations, and kept current: at most every `refreshMs` the
 * source is asked which version should serve; a new version is loaded beside the serving one and
 * swapped in only when it loaded and verified. A failed load leaves the old model serving and is
 * logged with the reason; a version that failed verification is not fetched again until the alias
 * moves (an unreachable store is retried at the next check). Only the very first load's failure
 * reaches callers (there is nothing else to serve). With nothing loaded, the live slot checks
 * again at every call (only re-reading the pointer while it names a refused version); the shadow
 * slot at most once per refresh interval, so a broken candidate never costs every request a GET.
 */
export class ModelSlot {
  private model: LoadedModel | undefined;
  private checking: Promise<void> | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  /** A version that failed verification: not fetched again until the alias names another one. */
  private refused: string | undefined;
  private lastError: unknown;

  constructor(
    readonly role: 'live' | 'shadow',
    private readonly source: ModelSource,
    private readonly refreshMs: number,
    private readonly logger: SlotLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The model to score with when no call to {@link get} would wait: loaded, and no re-check due
   * (or one already under way). Else undefined, and the caller asks {@link get}. Makes no promise.
   */
  ready(): LoadedModel | undefined {
    const model = this.model;
    if (model && this.source.movable && !this.checking && this.now() - this.checkedAt >= this.refreshMs) {
      return undefined;
    }
    return model;
  }

  /**
   * The model to score with. The call that finds a re-check due waits for it (in Lambda, work
   * left running after a reply is frozen, so a background check might never finish); calls made
   * while a check is under way get the serving model at once.
   */
  async get(): Promise<LoadedModel | undefined> {
    if (!this.model) {
      const waiting = this.role === 'shadow' && this.now() - this.checkedAt < this.refreshMs;
      if (this.lastError !== undefined && this.source.movable && waiting) throw this.lastError;
      await this.check();
      return this.model;
    }
    if (this.source.movable && !this.checking && this.now() - this.checkedAt >= this.refreshMs) {
      await this.check().catch(() => undefined);
    }
    return this.model;
  }

  /** Checks the source now (unless a check is under way) and swaps in a new version if it loads. */
  check(): Promise<void> {
    this.checking ??= this.checkNow().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async checkNow(): Promise<void> {
    this.checkedAt = this.now();
    const serving = this.model?.version;
    let target: string | undefined;
    try {
      target = await this.source.current();
      if (target === undefined) {
        if (serving) return;
        throw new ModelLoadError('alias_not_set', `${this.source.describe} is not set`, 'alias');
      }
      if (target !== this.refused) this.refused = undefined;
      if (this.model && (target === serving || target === this.refused || !this.source.movable)) return;
      if (target === this.refused) throw this.lastError;
      const started = this.now();
      const next = await this.source.load(target);
      const old = this.model;
      this.model = next;
      this.lastError = undefined;
      this.logger.info('model loaded', {
        role: this.role,
        source: this.source.describe,
        model_version: next.version,
        previous_version: old?.version ?? null,
        load_ms: this.now() - started,
      });
      if (old) setTimeout(() => old.dispose(), DISPOSE_GRACE_MS).unref();
    } catch (error) {
      // Refused before, and logged then.
      if (target !== undefined && target === this.refused && error === this.lastError) throw error;
      // A version that is broken stays broken: re-fetching a large one every interval would only
      // load the store and the function. An unreachable store, though, is tried again.
      this.lastError = error;
      const code = (error as { code?: string }).code;
      if (this.source.movable && target !== undefined && code !== 'store_unreachable') this.refused = target;
      this.logger.error(serving ? 'model refresh failed; the serving model stays' : 'model load failed', {
        role: this.role,
        source: this.source.describe,
        serving_version: serving ?? null,
        target_version: target ?? null,
        code: (error as { code?: string }).code ?? 'unknown',
        reason: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
}
