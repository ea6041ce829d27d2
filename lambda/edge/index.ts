export { acceptsGzip, MIN_COMPRESSION_BYTES } from './compression';
export { type EdgeDeps, type EdgeSteps, edgeHandler } from './edge-handler';
export { type ErrorLogger, logRequestError } from './log-request-error';
export { assertRoute, bodyOf, failureReply, matchReply, matchRequestOf, routeOfEvent } from './match-reply';
export { type EventInput, type HttpInput, type InvokeInput, readEvent } from './read-event';
export {
  assertReplyFits,
  errorReply,
  httpAccepted,
  httpError,
  httpOk,
  httpOkJson,
  invokeOk,
  MAX_REPLY_BYTES,
} from './replies';
export { type InvocationContext, requestIdOf } from './request-id';
export { ROUTES, type RouteName, routeOf } from './route';
export { scheduledTime } from './scheduled-time';
export { statusOf } from './status-of';
