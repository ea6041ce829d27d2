import { type CaptureSink, discardingCaptureSink } from '../captures';
import type { ReplyEntry } from '../contract';
import { PREDICT_METRICS, type ServiceMetrics } from '../metrics';
import { type ScoringRun, toResultRows } from './result-row';
import { discardingSink, type ResultSink } from './result-sink';
import type { PairSide } from './scored-pairs';

/** A scoring as the results keep it, budgets × items (the matcher's `ScoredSides` has this shape). */
export interface RunSides {
  readonly budgets: readonly PairSide[];
  readonly items: readonly PairSide[];
  readonly scores: readonly number[];
}

/** What one scoring run of a request leaves to record (the matcher's `ScoredRequest` has this shape). */
export interface ScoredRun {
  readonly entries: readonly ReplyEntry[];
  readonly modelVersion: string;
  readonly threshold: number;
  readonly pairs: number;
  readonly entryErrors: number;
  /** Pairs whose score was not finite (error entries `score_not_finite`); counted and logged. */
  readonly scoresNotFinite?: number;
  /** The same rows as {@link entries}, budgets × items; read instead when the sink takes them. */
  readonly sides?: () => RunSides;
  /** The same request scored by the shadow model, recorded with role `shadow`. */
  readonly shadow?: {
    readonly entries: readonly ReplyEntry[];
    readonly sides?: () => RunSides;
    readonly modelVersion: string;
    readonly threshold: number;
  };
}

/** The logging {@link recordScored} needs (Powertools' `Logger` has it). */
export interface RecordLogger {
  debug(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** Where {@link recordScored} records to, and how long it waits for the hand-off. */
export interface RecordDeps {
  readonly sink: ResultSink;
  readonly logger: RecordLogger;
  readonly metrics: ServiceMetrics;
  /** Longest wait for the sink's hand-off before replying. */
  readonly handoffMs: number;
  /** Where the request behind the rows is captured, by the same request id. @default none */
  readonly capture?: CaptureSink;
  /** Whether to log each scored request at debug level (`logsDebug`, read once). @default true */
  readonly logScored?: boolean;
  /**
   * The results extension, when it sends the rows after the reply: while it is `active` the
   * handler does not wait for the hand-off (read on every request: it may stop). @default none
   */
  readonly afterReply?: { readonly active: boolean };
}

/**
 * Counts a scored request, hands its rows (live, and the shadow model's) to the sink and waits,
 * at most `handoffMs`, for them to leave the process (the SQS sink; the local queue returns at
 * once), and hands the request itself to the capture sink. Never throws a recording failure: it is
 * logged and never fails a scored reply. Returns what to wait for, or undefined when there is
 * nothing (recording off, or the results extension sends after the reply): then no promise is
 * made (`npm run bench`, 1 × 1 in-process garbage).
 */
export function recordScored(
  scored: ScoredRun,
  requestId: string,
  {
    sink,
    logger,
    metrics,
    handoffMs,
    capture = discardingCaptureSink,
    logScored = true,
    afterReply,
  }: RecordDeps,
  /** The request as received (body text or invoke payload), for the capture. */
  request?: unknown,
): Promise<void> | undefined {
  // `entries` is read only when recording: the matcher builds them on first use (an HTTP reply
  // is written without them).
  const { modelVersion, threshold, shadow } = scored;
  if (logScored)
    logger.debug('scored', {
      pairs: scored.pairs,
      entry_errors: scored.entryErrors,
      model_version: modelVersion,
    });
  const labels = versionLabels(modelVersion);
  metrics.count(PREDICT_METRICS.pairsScored, scored.pairs, labels);
  metrics.count(PREDICT_METRICS.itemErrors, scored.entryErrors, labels);
  const notFinite = scored.scoresNotFinite ?? 0;
  metrics.count(PREDICT_METRICS.scoresNotFinite, notFinite, labels);
  if (notFinite > 0) {
    logger.error('scores not finite', {
      pairs: notFinite,
      model_version: modelVersion,
      request_id: requestId,
    });
  }
  if (sink === discardingSink) return undefined;
  try {
    const scoredAt = new Date();
    // The request behind the rows first (sampled by the capture sink; written off the reply path):
    // the local journal then writes it in the same window as its rows, never after them.
    capture.capture({ requestId, capturedAt: scoredAt, request });
    handOff(sink, scored, { requestId, modelVersion, threshold, role: 'live', scoredAt });
    if (shadow) {
      const run = { requestId, modelVersion: shadow.modelVersion, threshold: shadow.threshold, scoredAt };
      handOff(sink, shadow, { ...run, role: 'shadow' });
    }
    // The results extension sends them once the reply is out (and counts what stays held).
    if (afterReply?.active) return undefined;
    return settleHandOff(sink, capture, handoffMs, metrics).catch((error: unknown) =>
      logNotRecorded(logger, error, requestId),
    );
  } catch (error) {
    logNotRecorded(logger, error, requestId);
    return undefined;
  }
}

/** Waits for the hand-off; rows not handed off stay with the sink (sent at the container's next invocation): counted. */
async function settleHandOff(
  sink: ResultSink,
  capture: CaptureSink,
  handoffMs: number,
  metrics: ServiceMetrics,
): Promise<void> {
  const [handedOff] = await Promise.all([sink.settle(handoffMs), capture.settle(handoffMs)]);
  if (!handedOff) metrics.count(PREDICT_METRICS.rowsHeld, sink.pendingRows ?? 0);
}

function logNotRecorded(logger: RecordLogger, error: unknown, requestId: string): void {
  logger.error('results not recorded', {
    error: error instanceof Error ? error : String(error),
    request_id: requestId,
  });
}

// The metrics' labels of the version that scored last, kept: no object a count.
let lastLabels: { readonly modelVersion: string } | undefined;
function versionLabels(modelVersion: string): { readonly modelVersion: string } {
  if (lastLabels?.modelVersion !== modelVersion) lastLabels = { modelVersion };
  return lastLabels;
}

/** One scoring's rows to the sink: as pairs when both sides can (no object a row), else as rows. */
function handOff(
  sink: ResultSink,
  scored: { readonly entries: readonly ReplyEntry[]; readonly sides?: () => RunSides },
  run: ScoringRun,
): void {
  if (sink.recordPairs && scored.sides) {
    const { budgets, items, scores } = scored.sides();
    sink.recordPairs({
      request_id: run.requestId,
      role: run.role,
      model_version: run.modelVersion,
      threshold: run.threshold,
      scored_at: run.scoredAt.toISOString(),
      budgets,
      items,
      scores,
    });
    return;
  }
  sink.record(toResultRows(scored.entries, run));
}
