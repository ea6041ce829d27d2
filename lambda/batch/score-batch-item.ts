import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Config, ModelConfig } from '../config';
import { errorReply, statusOf } from '../edge';
import { MatcherError } from '../errors';
import { scoreRequest } from '../matcher';
import { type ResultSink, toResultRows } from '../results';
import type { BatchConfig } from './batch-config';
import type { ScoreEvent } from './batch-event';
import { assertUnderPrefix, runKeys } from './batch-keys';

/** What one map item did; the map's result files keep it, the summary adds them up. */
export interface BatchItemResult {
  readonly outputKey: string;
  readonly firstLine: number;
  readonly lines: number;
  /** Lines answered with an error object (not a matcher request, over a limit). */
  readonly failedLines: number;
  readonly pairs: number;
  readonly entryErrors: number;
}

export interface ScoreItemDeps {
  readonly s3: S3Client;
  readonly config: ModelConfig & Pick<Config, 'limits'>;
  readonly batch: BatchConfig;
  readonly sink: ResultSink;
  /** Longest wait for the rows to leave the process before the item returns. @default 30 s */
  readonly flushMs?: number;
}

/**
 * Scores one map item: reads its byte range of the JSONL, scores each line with the same code as
 * the predict function (`scoreRequest`), writes one reply a line, in order, to its own object,
 * and records the scores with role `batch`. A line that is not a matcher request gets the error
 * object a direct invoke would return, plus its line number, and the item goes on; anything else
 * (S3 unreachable, model unavailable) fails the item, which Step Functions retries and, past its
 * retries, reports as a failed item without failing the run.
 */
export async function scoreBatchItem(deps: ScoreItemDeps, event: ScoreEvent): Promise<BatchItemResult> {
  assertUnderPrefix(event.key, deps.batch.prefix);
  const object = await deps.s3.send(
    new GetObjectCommand({
      Bucket: event.bucket,
      Key: event.key,
      Range: `bytes=${event.start}-${event.end - 1}`,
    }),
  );
  const text = (await object.Body?.transformToString('utf8')) ?? '';
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length !== event.lines) {
    throw new MatcherError(
      'batch_input_changed',
      `bytes ${event.start}-${event.end - 1} of ${event.key} hold ${lines.length} lines, not the ${event.lines} planned: the object changed after the run started`,
      'key',
    );
  }
  const replies: string[] = [];
  let failedLines = 0;
  let pairs = 0;
  let entryErrors = 0;
  for (const [i, line] of lines.entries()) {
    const lineNumber = event.firstLine + i + 1;
    try {
      const scored = await scoreRequest({ body: line }, deps.config);
      replies.push(JSON.stringify(scored.entries));
      pairs += scored.pairs;
      entryErrors += scored.entryErrors;
      const run = {
        // Stable across retries of the item: the results writer stores a row once.
        requestId: `${event.runId}/${lineNumber}`,
        modelVersion: scored.modelVersion,
        threshold: scored.threshold,
        role: 'batch',
        scoredAt: new Date(),
      } as const;
      deps.sink.record(toResultRows(scored.entries, run));
    } catch (error) {
      if (!(error instanceof MatcherError) || statusOf(error) >= 500) throw error;
      failedLines++;
      replies.push(JSON.stringify({ ...errorReply(error, undefined), line: lineNumber }));
    }
  }
  const outputKey = runKeys(deps.batch.prefix, event.runId).reply(event.firstLine);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: event.bucket,
      Key: outputKey,
      Body: replies.length > 0 ? `${replies.join('\n')}\n` : '',
      ContentType: 'application/x-ndjson',
    }),
  );
  await deps.sink.flush({ timeoutMs: deps.flushMs ?? 30_000 });
  return { outputKey, firstLine: event.firstLine, lines: lines.length, failedLines, pairs, entryErrors };
}
