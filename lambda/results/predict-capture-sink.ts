import { type CaptureSink, discardingCaptureSink, openS3CaptureSink } from '../captures';
import { readCaptureConfig } from '../config';
import { discardingSink, type ResultSink } from './result-sink';

/**
 * The deployed predict function's capture sink: the requests behind the rows it records go to the
 * captures bucket when the stack names one (`CAPTURE_BUCKET`, `CAPTURE`, `CAPTURE_SAMPLE_RATE`,
 * `CAPTURE_BUFFER_MB`), held and retried beside the rows' SQS hand-off; when nothing is recorded
 * (`sink` discards) nothing is captured. A failed upload is logged and retried, never failing the
 * request; past `CAPTURE_BUFFER_MB` held a capture is dropped and logged.
 */
export function predictCaptureSink(
  sink: ResultSink,
  logger: {
    warn(message: string, fields: Record<string, unknown>): void;
    error(message: string, fields: Record<string, unknown>): void;
  },
  env: NodeJS.ProcessEnv = process.env,
): CaptureSink {
  const captures = readCaptureConfig(env);
  if (!captures.enabled || !captures.bucket || sink === discardingSink) return discardingCaptureSink;
  // The S3 client is loaded only here, when a bucket is named (cold start: bench).
  return openS3CaptureSink({
    bucket: captures.bucket,
    sampleRate: captures.sampleRate,
    maxHeldBytes: captures.bufferBytes,
    onError: (error, requestId) =>
      logger.warn('capture upload failed: held and retried', { error: String(error), request_id: requestId }),
    onDrop: (requestId) =>
      logger.error('capture dropped: CAPTURE_BUFFER_MB of captures held', { request_id: requestId }),
  });
}
