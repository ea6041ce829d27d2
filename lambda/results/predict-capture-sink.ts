import { type CaptureSink, discardingCaptureSink, openS3CaptureSink, readCaptureConfig } from '../captures';
import { discardingSink, type ResultSink } from './result-sink';

/**
 * The deployed predict function's capture sink: the requests behind the rows it records go to the
 * captures bucket when the stack names one (`CAPTURE_BUCKET`, `CAPTURE`, `CAPTURE_SAMPLE_RATE`);
 * when nothing is recorded (`sink` discards) nothing is captured. An upload that fails is logged
 * as a warning and never fails the request.
 */
export function predictCaptureSink(
  sink: ResultSink,
  logger: { warn(message: string, fields: Record<string, unknown>): void },
  env: NodeJS.ProcessEnv = process.env,
): CaptureSink {
  const captures = readCaptureConfig(env);
  if (!captures.enabled || !captures.bucket || sink === discardingSink) return discardingCaptureSink;
  // The S3 client is loaded only here, when a bucket is named (cold start: bench).
  return openS3CaptureSink({
    bucket: captures.bucket,
    sampleRate: captures.sampleRate,
    onError: (error, record) =>
      logger.warn('request not captured', { error: String(error), request_id: record.requestId }),
  });
}
