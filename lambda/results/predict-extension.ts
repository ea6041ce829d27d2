import type { CaptureSink } from '../captures';
import type { ResultsConfig } from '../config';
import { PREDICT_METRICS, type ServiceMetrics } from '../metrics';
import { discardingSink, type ResultSink } from './result-sink';
import {
  type PendingRegistration,
  RESULTS_EXTENSION_NAME,
  ResultsExtension,
  startRegistration,
} from './results-extension';

export type { ResultsExtension } from './results-extension';

/** What {@link predictResultsExtension} needs. */
export interface PredictExtensionDeps {
  readonly results: Pick<ResultsConfig, 'handoffMs' | 'send'>;
  readonly sink: ResultSink;
  readonly capture?: CaptureSink;
  readonly metrics: ServiceMetrics;
  readonly logger: {
    info(message: string, extra: Record<string, unknown>): void;
    warn(message: string, extra: Record<string, unknown>): void;
  };
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The registration, started as the init began (`early-registration.ts`) under the same
   * conditions; waited for here. @default started here
   */
  readonly registration?: PendingRegistration;
}

/**
 * The predict function's results extension (`RESULTS_SEND=after-reply`, the default): registered
 * during init when rows are recorded and Lambda's Extensions API is there
 * (`AWS_LAMBDA_RUNTIME_API`); the init must wait for this promise (the predict bundle's top-level
 * `await`). `undefined` otherwise (`before-reply`, no queue, no API, or the API refused): the
 * handler then waits for the hand-off before replying, as without it. Rejects only when the
 * registration went unanswered (Lambda may have registered it): the init must fail then.
 */
export async function predictResultsExtension(
  deps: PredictExtensionDeps,
): Promise<ResultsExtension | undefined> {
  const { results, sink, capture, metrics, logger } = deps;
  const runtimeApi = (deps.env ?? process.env).AWS_LAMBDA_RUNTIME_API;
  const wanted = results.send === 'after-reply' && sink !== discardingSink && runtimeApi;
  // A registration already started is used whatever: once registered, Lambda waits for `next`.
  const pending =
    deps.registration ?? (wanted ? startRegistration(wanted, RESULTS_EXTENSION_NAME) : undefined);
  if (!pending) return undefined;
  const registration = await pending.result;
  if ('error' in registration && registration.unanswered) {
    // Lambda may hold a registration whose identifier never came: it would wait for that
    // extension's `next` after every invocation, until each timed out. Failing the init makes
    // Lambda start the environment again instead.
    throw new Error(`results extension registration unanswered (${registration.error}): init failed`);
  }
  if ('error' in registration) {
    logger.warn('results extension not registered: rows are sent before each reply', {
      error: registration.error,
    });
    return undefined;
  }
  const extension = new ResultsExtension({
    runtimeApi: pending.runtimeApi,
    id: registration.id,
    handoffMs: results.handoffMs,
    settle: async (maxMs) => {
      const [sent] = await Promise.all([sink.settle(maxMs), capture?.settle(maxMs)]);
      return sent;
    },
    onHeld: () => metrics.count(PREDICT_METRICS.rowsHeld, sink.pendingRows ?? 0),
    onError: (error) =>
      logger.warn('results extension stopped: rows are sent before each reply', { error: String(error) }),
  });
  extension.start();
  // Lambda shuts an environment with an internal extension down with SIGTERM and 500 ms before
  // SIGKILL: rows still held (SQS failing) get one last bounded try; what stays is lost, and said.
  process.once('SIGTERM', () => {
    void sink.settle(SHUTDOWN_SEND_MS).then((sent) => {
      if (!sent) {
        metrics.count(PREDICT_METRICS.rowsDropped, sink.pendingRows ?? 0);
        logger.warn('shutting down with rows not sent: lost', { rows: sink.pendingRows ?? 0 });
      }
      metrics.publish();
      process.exit(0);
    });
  });
  return extension;
}

// Of Lambda's 500 ms shutdown grace with an internal extension, what the last send may take.
const SHUTDOWN_SEND_MS = 400;

/** A handler as Lambda calls it. */
type Handler<R> = (event: unknown, context?: { readonly awsRequestId?: string }) => Promise<R>;

/**
 * The handler `create` makes of `deps`, made again with the results extension once
 * {@link predictResultsExtension} has one; `initialised` resolves then. The predict bundle
 * (`index.mjs`) awaits it at its top level, so that the init ends with the extension registered
 * and its first `next` called; elsewhere (no Extensions API) it resolves at once. It rejects, failing the init, when the
 * registration went unanswered ({@link predictResultsExtension}).
 */
export function withResultsExtension<D extends PredictExtensionDeps, R>(
  create: (deps: D & { readonly extension?: ResultsExtension }) => Handler<R>,
  deps: D,
): { readonly handler: Handler<R>; readonly initialised: Promise<void> } {
  let handler = create(deps);
  const initialised = predictResultsExtension(deps).then((extension) => {
    if (extension) handler = create({ ...deps, extension });
  });
  return { handler: (event, context) => handler(event, context), initialised };
}

/** `handler`, telling `extension` when each invocation's handler has returned (its rows recorded). */
export function tellingExtension<R>(
  handler: (event: unknown, context?: { readonly awsRequestId?: string }) => Promise<R>,
  extension: ResultsExtension | undefined,
): typeof handler {
  if (!extension) return handler;
  return async (event, context) => {
    try {
      return await handler(event, context);
    } finally {
      if (context?.awsRequestId) extension.handlerDone(context.awsRequestId);
    }
  };
}
