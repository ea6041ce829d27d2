import type { Config } from '../config';
import { selectBackend } from './backend';
import { type LoadedModel, loadModel } from './load-model';

let current: Promise<LoadedModel> | undefined;

/**
 * The serving model: loaded once per container (at the first request, or earlier when the
 * handler module warms it) and kept for every later invocation. A failed load is not cached,
 * so the next request tries again.
 */
export function currentModel(config: Pick<Config, 'modelDir' | 'backends'>): Promise<LoadedModel> {
  current ??= selectBackend(config.backends)
    .then((backend) => loadModel(config.modelDir, backend))
    .catch((error: unknown) => {
      current = undefined;
      throw error;
    });
  return current;
}
