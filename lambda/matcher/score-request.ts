import type { Config, ModelConfig } from '../config';
import { type ParsedRequest, parseRequest, parseRequestBody, type ReplyEntry } from '../contract';
import { readyModels, requestModels } from '../model';
import { assembleReply, type ScoredSides, scoredSides, scorePairs } from './match-request';
import { countNotFinite } from './score-not-finite';
import { writeReplyJson } from './write-reply';

function countFailed(entries: readonly { readonly ok: boolean }[]): number {
  let n = 0;
  for (const e of entries) if (!e.ok) n++;
  return n;
}

/** The reply entries of one request and the model version that scored them. */
export interface ScoredRequest {
  /** The reply entries, built on first use (an HTTP reply needs only {@link json}). */
  readonly entries: ReplyEntry[];
  /** The reply as JSON, written straight from ids and scores (`writeReplyJson`). */
  json(): string;
  readonly modelVersion: string;
  /** The serving model's decision threshold, that `match` was decided at. */
  readonly threshold: number;
  readonly pairs: number;
  readonly entryErrors: number;
  /** Pairs whose score was not finite: each an error entry `score_not_finite` (in `entryErrors` too). */
  readonly scoresNotFinite: number;
  /** The reply as the results keep it (ids or error codes, rounded scores), built on first use. */
  sides(): ScoredSides;
  /** The same request scored by the shadow model (`SHADOW_ALIAS`), for the results only. */
  readonly shadow?: {
    readonly entries: ReplyEntry[];
    sides(): ScoredSides;
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
  // The loaded model without an await (no promise a request) when no load or re-check is due.
  const { live: model, shadow } = readyModels(config) ?? (await requestModels(config));
  const scores = scorePairs(parsed, model);
  return new Scored(parsed, scores, model, shadow ? scoreShadow(parsed, shadow) : undefined);
}

/**
 * A scored request. A class, not an object of closures: `tsx` (which runs `npm start`) names each
 * closure made per request with a `defineProperty` call, and an instance of one shape allocates
 * less (1 × 1 over HTTP: `npm run bench`).
 */
class Scored implements ScoredRequest {
  readonly modelVersion: string;
  readonly threshold: number;
  readonly pairs: number;
  readonly entryErrors: number;
  readonly scoresNotFinite: number;
  private built: ReplyEntry[] | undefined;

  constructor(
    private readonly parsed: ParsedRequest,
    private readonly scores: Float32Array,
    model: { readonly version: string; readonly threshold: number },
    readonly shadow: ScoredRequest['shadow'],
  ) {
    const badBudgets = countFailed(parsed.budgets);
    const badItems = countFailed(parsed.items);
    const notFinite = countNotFinite(scores);
    this.modelVersion = model.version;
    this.threshold = model.threshold;
    this.pairs = (parsed.budgets.length - badBudgets) * (parsed.items.length - badItems);
    this.entryErrors = badBudgets + badItems + notFinite;
    this.scoresNotFinite = notFinite;
  }

  get entries(): ReplyEntry[] {
    this.built ??= assembleReply(this.parsed, this.scores, this.threshold);
    return this.built;
  }

  json(): string {
    return writeReplyJson(this.parsed, this.scores, this.threshold);
  }

  sides(): ScoredSides {
    return scoredSides(this.parsed, this.scores);
  }
}

// A shadow model that fails to score costs the results one set of rows, never the reply.
function scoreShadow(
  parsed: Parameters<typeof scorePairs>[0],
  model: Parameters<typeof scorePairs>[1] & { version: string; threshold: number },
) {
  try {
    const scores = scorePairs(parsed, model);
    let entries: ReplyEntry[] | undefined;
    return {
      get entries() {
        entries ??= assembleReply(parsed, scores, model.threshold);
        return entries;
      },
      sides: () => scoredSides(parsed, scores),
      modelVersion: model.version,
      threshold: model.threshold,
    };
  } catch {
    return undefined;
  }
}

/**
 * What `GET /health` reports: the serving model (and shadow model, if any), what scores it
 * (`engine`: `dense` or `tfjs`) and the TF.js backend (`null` while the dense pass scores and
 * TF.js is not loaded).
 */
export async function health(config: ModelConfig) {
  const { live: model, shadow } = await requestModels(config);
  return {
    status: 'ok',
    model_version: model.version,
    engine: model.engine,
    backend: model.backend ?? null,
    threshold: model.threshold,
    feature_spec_hash: model.manifest.feature_spec.hash,
    ...(shadow ? { shadow_model_version: shadow.version } : {}),
  } as const;
}
