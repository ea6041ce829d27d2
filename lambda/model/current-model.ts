import type { ModelConfig } from '../config';
import type { LoadedModel } from './load-model';
import { type RequestModels, servingModelsFor } from './serving-models';

/**
 * The serving model: loaded once per container (at the first request, or earlier when the
 * handler module warms it), kept for every later invocation, and swapped for a new version when
 * the alias it serves moves (see {@link ServingModels}). A failed first load is not cached, so
 * the next request tries again.
 */
export function currentModel(config: ModelConfig): Promise<LoadedModel> {
  return servingModelsFor(config).live();
}

/** The live model and, when `SHADOW_ALIAS` names a loadable other version, the shadow model. */
export function requestModels(config: ModelConfig): Promise<RequestModels> {
  return servingModelsFor(config).forRequest();
}

/**
 * The request's models when they are at hand without waiting (see `ServingModels.ready`), else
 * undefined: then await {@link requestModels}.
 */
export function readyModels(config: ModelConfig): RequestModels | undefined {
  return servingModelsFor(config).ready();
}
