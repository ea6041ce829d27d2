import { ResultsStoreError } from '../errors';
import { discardingSink, type ResultSink } from '../results';
import { acceptFeedback, type FeedbackEntry } from './accept-feedback';
import { parseFeedback } from './parse-feedback';

/** Where {@link recordFeedback} hands labels, and its limits. */
export interface FeedbackDeps {
  readonly sink: ResultSink;
  /** `MAX_BODY_BYTES`: the largest body read. */
  readonly maxBodyBytes: number;
  /** Longest wait for the sink's hand-off before replying. */
  readonly handoffMs: number;
}

/**
 * `POST /feedback`: labels are validated item by item, handed to the sink, and the per-item
 * entries returned (the edge answers them with 202).
 * @throws ResultsStoreError `feedback_unavailable` (no results store here) or `results_backlog`
 */
export async function recordFeedback(
  body: string,
  { sink, maxBodyBytes, handoffMs }: FeedbackDeps,
): Promise<FeedbackEntry[]> {
  const { labels, entries } = acceptFeedback(parseFeedback(body, maxBodyBytes), 'api');
  if (sink === discardingSink) {
    throw new ResultsStoreError(
      'feedback_unavailable',
      'labels are not recorded here: this service has no results store configured',
    );
  }
  if (!sink.recordLabels(labels)) {
    throw new ResultsStoreError(
      'results_backlog',
      'the labels could not be queued right now; send them again later',
    );
  }
  await sink.settle(handoffMs);
  return entries;
}
