import type { Config, ModelConfig } from '../config';
import { parseRequest, parseRequestBody, type ReplyEntry } from '../contract';
import { requestModels } from '../model';
import { matchRequest } from './match-request';

/** The reply entries of one request and the model version that scored them. */
export interface ScoredRequest {
  readonly entries: ReplyEntry[];
  readonly modelVersion: string;
  /** The serving model's decision threshold, that `match` was decided at. */
  readonly threshold: number;
  readonly pairs: number;
  readonly entryErrors: number;
  /** The same request scored by the shadow model (`SHADOW_ALIAS`), for the results only. */
  readonly shadow?: {
    readonly entries: ReplyEntry[];
    readonly modelVersion: string;
    readonly threshold: number;
  };
}

/**
 * Parses a request (a JSON body, or an already-decoded invoke payload), then scores it with the
 * serving model. Parsing comes first, so a malformed request is answered as such even when the
 * model is unavailable.
 */
export async function scoreRequest(
  request: { readonly body: string } | { readonly payload: unknown },
  config: ModelConfig & Pick<Config, 'limits'>,
): Promise<ScoredRequest> {
  const parsed =
    'body' in request
      ? parseRequestBody(request.body, config.limits)
      : parseRequest(request.payload, config.limits);
  const { live: model, shadow } = await requestModels(config);
  const entries = matchRequest(parsed, model);
  const entryErrors = parsed.budgets.filter((b) => !b.ok).length + parsed.items.filter((i) => !i.ok).length;
  return {
    entries,
    modelVersion: model.version,
    threshold: model.threshold,
    pairs: entries.length - entryErrors,
    entryErrors,
    ...(shadow ? { shadow: scoreShadow(parsed, shadow) } : {}),
  };
}

// A shadow model that fails to score costs the results one set of rows, never the reply.
function scoreShadow(
  parsed: Parameters<typeof matchRequest>[0],
  model: Parameters<typeof matchRequest>[1] & { version: string },
) {
  try {
    return { entries: matchRequest(parsed, model), modelVersion: model.version, threshold: model.threshold };
  } catch {
    return undefined;
  }
}

/** What `GET /health` reports: the serving model (and shadow model, if any) and the TF.js backend. */
export async function health(config: ModelConfig) {
  const { live: model, shadow } = await requestModels(config);
  return {
    status: 'ok',
    model_version: model.version,
    backend: model.backend,
    threshold: model.threshold,
    feature_spec_hash: model.manifest.feature_spec.hash,
    ...(shadow ? { shadow_model_version: shadow.version } : {}),
  } as const;
}
