import type { LoadedModel } from './load-model';
import type { ModelSource } from './model-source';

/**
 * Loads each version once per process, however many slots serve it. The live and shadow aliases
 * often name the same version (a candidate just promoted); with production-size models, two
 * copies could exhaust the function's memory. Each slot gets its own handle; the model is freed
 * when the last handle is disposed.
 */
export class SharedLoads {
  private readonly loads = new Map<string, { model: Promise<LoadedModel>; users: number }>();

  /** `source`, with its loads shared through this cache (keyed by version). */
  share(source: ModelSource): ModelSource {
    return { ...source, load: (version) => this.load(version, () => source.load(version)) };
  }

  private async load(version: string, load: () => Promise<LoadedModel>): Promise<LoadedModel> {
    let entry = this.loads.get(version);
    if (!entry) {
      const model = load();
      const created = { model, users: 0 };
      entry = created;
      this.loads.set(version, created);
      model.catch(() => {
        if (this.loads.get(version) === created) this.loads.delete(version);
      });
    }
    const shared = entry;
    const model = await shared.model;
    shared.users++;
    let disposed = false;
    return {
      ...model,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (--shared.users > 0) return;
        if (this.loads.get(version) === shared) this.loads.delete(version);
        model.dispose();
      },
    };
  }
}
