export {
  MatcherClientError,
  MatcherFunctionError,
  MatcherServiceError,
  MatcherTransportError,
} from './errors';
export { MATCHER_ROUTE, matcherUrl } from './http-transport';
export { type ChunkLimits, DEFAULT_CHUNK_LIMITS } from './limits';
export {
  DEFAULT_FUNCTION_NAME,
  MatcherClient,
  type MatcherClientOptions,
  type ScoreStats,
} from './matcher-client';
export { mergeReplies, type ReplyEntry } from './merge-replies';
export { type Chunk, type ChunkPlan, isMatcherRequest, type MatcherRequest, planChunks } from './plan-chunks';
